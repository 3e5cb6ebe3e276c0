// The lint engine: runs every registered rule over one analysed file, each in its own
// guard (a throwing rule is logged in the notes, the others still run), then applies the
// configuration (select / ignore / severity, hints off unless selected) and in-source
// suppressions. Also applies fixes to text, for the CLI's --fix and for tests.

import type { DetailedAnalysis } from '../analyze';
import type { Range, Severity } from '../summary/types';
import { collectImports, type FileFacts, makeContext } from './context';
import { type LintConfig, matchesCode } from './config';
import { factsFor, type LintFacts } from './facts';
import { RULES } from './registry';
import { collectSuppressions, isSuppressed } from './suppression';
import type { Finding, Fix, Rule, RuleMeta, TextEdit } from './types';

export interface LintResult {
  findings: Finding[];
  /** Rules that failed (the message names the rule and the error). */
  notes: string[];
}

/** Lints one file; rule failures are also appended to `detailed.analysis.notes`. */
export function lintFile(detailed: DetailedAnalysis, text: string, config: LintConfig = {}): Finding[] {
  const r = lintFileDetailed(detailed, text, config);
  detailed.analysis.notes.push(...r.notes);
  return r.findings;
}

export function lintFileDetailed(detailed: DetailedAnalysis, text: string, config: LintConfig = {}, rules: readonly Rule[] = RULES): LintResult {
  const out: LintResult = { findings: [], notes: [] };
  const mod = detailed.module;
  if (!mod) return out;
  const imports = collectImports(mod);
  let shared: LintFacts;
  try {
    shared = factsFor(mod, text, imports);
  } catch (e) {
    out.notes.push(`lint: could not compute file facts (${(e as Error).message}); lint skipped.`);
    return out;
  }
  const facts: FileFacts = {
    text, lines: shared.lines, module: mod, analysis: detailed.analysis, imports,
    settings: { versions: { ...config.versions } }, facts: shared,
  };
  const sup = collectSuppressions(mod);
  const present = frameworksOf(imports, detailed.analysis.framework);
  let words: FileWords | undefined;
  for (const rule of rules) {
    const code = rule.meta.code;
    if (!ruleEnabled(code, config)) continue;
    // A rule about a framework the file does not import has nothing to look at.
    if (!rule.meta.frameworks.some((f) => f === 'any' || present.has(f))) continue;
    // Nor has a rule whose trigger words (a call it looks for, an API it checks) never occur.
    if (rule.meta.needs && !ruleMayApply(rule.meta, (words ??= wordsOf(text)))) continue;
    const sink: Finding[] = [];
    try {
      rule.check(makeContext(facts, rule.meta, sink));
    } catch (e) {
      out.notes.push(`lint rule ${code} (${rule.meta.name}) failed: ${(e as Error).message ?? String(e)}; its findings were dropped.`);
      continue;
    }
    for (const f of sink) {
      const severity = effectiveSeverity(f, config);
      if (!severity) continue;
      if (isSuppressed(sup, code, f.range.line)) continue;
      const fix = f.fix ? { ...f.fix, safe: f.fix.safe ?? rule.meta.fix === 'yes' } : undefined;
      out.findings.push({ ...f, severity, ...(fix ? { fix } : {}) });
    }
  }
  out.findings = dedupe(out.findings).sort((a, b) => a.range.line - b.range.line || a.range.character - b.range.character || a.code.localeCompare(b.code));
  return out;
}

/** The identifier-like words of a text (code, strings and comments alike), for the rules' `needs` gate. */
export interface FileWords {
  set: Set<string>;
  /** The distinct words joined by spaces, for `*suffix` entries. */
  joined?: string;
}

export function wordsOf(text: string): FileWords {
  const set = new Set<string>();
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    // [A-Za-z_] starts a word; [A-Za-z0-9_] continues it.
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95) {
      const start = i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if ((d >= 97 && d <= 122) || (d >= 65 && d <= 90) || (d >= 48 && d <= 57) || d === 95) i++;
        else break;
      }
      set.add(text.slice(start, i));
    } else if (c >= 48 && c <= 57) {
      // A number (or the digits before a word-like suffix): skip it whole, so `1e5` is no word `e5`.
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if ((d >= 97 && d <= 122) || (d >= 65 && d <= 90) || (d >= 48 && d <= 57) || d === 95) i++;
        else break;
      }
    } else i++;
  }
  return { set };
}

/** Whether a rule's trigger words occur in the file (always true for a rule without `needs`). */
export function ruleMayApply(meta: RuleMeta, words: FileWords): boolean {
  if (!meta.needs) return true;
  for (const w of meta.needs) {
    if (w.charCodeAt(0) === 42 /* '*' */) {
      words.joined ??= ` ${[...words.set].join(' ')} `;
      if (words.joined.includes(`${w.slice(1)} `)) return true;
    } else if (words.set.has(w)) return true;
  }
  return false;
}

/** The frameworks a file uses, from its imports (tf.keras counts as Keras too) and the engine's detection. */
function frameworksOf(imports: ReadonlyMap<string, string>, detected: string): Set<string> {
  const out = new Set<string>();
  if (detected === 'pytorch' || detected === 'keras' || detected === 'tensorflow') out.add(detected);
  for (const path of imports.values()) {
    const root = path.split('.')[0];
    if (root === 'torch' || root === 'torchvision' || root === 'torchaudio' || root === 'torchtext' || root === 'timm' || root === 'torchinfo' || root === 'torchsummary') out.add('pytorch');
    else if (root === 'keras') out.add('keras');
    else if (root === 'tensorflow' || root === 'tf_keras') {
      out.add('tensorflow');
      out.add('keras');
    }
  }
  return out;
}

export function ruleEnabled(code: string, config: LintConfig): boolean {
  if (config.select && config.select.length && !matchesCode(code, config.select)) return false;
  if (matchesCode(code, config.ignore)) return false;
  return config.severity?.[code] !== 'off';
}

/** The severity after overrides, or undefined when the finding is switched off (hints unless selected). */
function effectiveSeverity(f: Finding, config: LintConfig): Severity | undefined {
  const o = config.severity?.[f.code];
  if (o === 'off') return undefined;
  const s = o ?? f.severity;
  if (s === 'hint' && o !== 'hint' && !matchesCode(f.code, config.select)) return undefined;
  return s;
}

function dedupe(fs: Finding[]): Finding[] {
  const seen = new Set<string>();
  return fs.filter((f) => {
    const k = `${f.code}:${f.range.line}:${f.range.character}:${f.range.endLine}:${f.range.endCharacter}:${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Whether a fix may be applied without review (fix-all, `--fix`). */
export function isSafeFix(fix: Fix | undefined): fix is Fix {
  return !!fix && fix.safe !== false;
}

function offsetIn(lineStarts: number[], text: string, line: number, ch: number): number {
  return Math.min(text.length, (lineStarts[line] ?? text.length) + ch);
}

/**
 * Applies the safe fixes of `findings` to `text`. Edits that overlap an already accepted
 * fix are skipped (run again to apply them). Returns the new text and how many fixes applied.
 */
export function applyFixes(text: string, findings: readonly Finding[], onlySafe = true): { text: string; applied: number } {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const accepted: Array<{ start: number; end: number; newText: string }> = [];
  let applied = 0;
  for (const f of findings) {
    if (!f.fix || (onlySafe && !isSafeFix(f.fix))) continue;
    const spans = f.fix.edits.map((e: TextEdit) => ({ start: offsetIn(lineStarts, text, e.range.line, e.range.character), end: offsetIn(lineStarts, text, e.range.endLine, e.range.endCharacter), newText: e.newText }));
    const clash = spans.some((s) => accepted.some((a) => s.start < a.end && a.start < s.end || (s.start === s.end && s.start === a.start)));
    if (clash) continue;
    accepted.push(...spans);
    applied++;
  }
  accepted.sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const a of accepted) out = out.slice(0, a.start) + a.newText + out.slice(a.end);
  return { text: out, applied };
}

export function rangeText(r: Range): string {
  return `${r.line + 1}:${r.character + 1}`;
}
