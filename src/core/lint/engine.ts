// The lint engine: runs every registered rule over one analysed file, each in its own
// guard (a throwing rule is logged in the notes, the others still run), then applies the
// configuration (select / ignore / severity, hints off unless selected) and in-source
// suppressions. Also applies fixes to text, for the CLI's --fix and for tests.

import type { DetailedAnalysis } from '../analyze';
import { statementStartLine, type Module, type Node } from '../python/ast';
import type { Range, Severity } from '../summary/types';
import { collectImports, type FileFacts, makeContext } from './context';
import { type LintConfig, PROFILE_RULES, matchesCode } from './config';
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
  let imports: Map<string, string>;
  let shared: LintFacts;
  try {
    imports = collectImports(mod);
    shared = factsFor(mod, text, imports);
  } catch (e) {
    out.notes.push(`lint: could not compute file facts (${(e as Error).message}); lint skipped.`);
    return out;
  }
  const facts: FileFacts = {
    text, lines: shared.lines, module: mod, analysis: detailed.analysis, imports,
    settings: { versions: { ...config.versions }, profiles: config.profile ?? [] }, facts: shared, viewChecks: detailed.runtimes?.torch.viewChecks,
  };
  const sup = collectSuppressions(mod);
  const present = frameworksOf(imports, detailed.analysis.framework, text);
  let words: FileWords | undefined;
  const fileWords = () => (words ??= wordsOf(text, registryVocabulary(), { module: mod, lines: shared.lines }));
  for (const rule of rules) {
    const code = rule.meta.code;
    if (!ruleEnabled(code, config)) continue;
    // A rule about a framework the file does not import has nothing to look at.
    if (!rule.meta.frameworks.some((f) => f === 'any' || present.has(f))) continue;
    // Nor has a rule whose trigger words (a call it looks for, an API it checks) never occur.
    if (rule.meta.needs && !ruleMayApply(rule.meta, fileWords())) continue;
    const sink: Finding[] = [];
    try {
      rule.check(makeContext(facts, rule.meta, sink, rule.meta.scoped ? scopedBody(rule.meta, mod, fileWords(), imports) : undefined));
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

/**
 * The identifier-like words of a text (code, strings and comments alike), for the rules'
 * `needs` gate. With a vocabulary (the registry's trigger words), the scan looks each
 * identifier up by a hash of its characters and keeps only the vocabulary's words, without
 * cutting every identifier out of the text; any other question (a word outside the
 * vocabulary, a `*suffix` entry) makes the full set on first use.
 */
export class FileWords {
  private all: Set<string> | undefined;
  private joined: string | undefined;
  private readonly found: Set<string> | undefined;
  private statements: Array<ReadonlySet<string> | undefined> | undefined;

  constructor(private readonly text: string, readonly vocabulary?: Vocabulary, private readonly tree?: { module: Module; lines: readonly string[] }) {
    this.found = !vocabulary ? undefined : tree ? vocabulary.occurringByStatement(text, tree.module, tree.lines) : vocabulary.occurring(text);
  }

  /** With a vocabulary and a tree: the vocabulary's words on the lines of each top-level statement (Vocabulary.wordsByStatement). */
  get byStatement(): ReadonlyArray<ReadonlySet<string> | undefined> | undefined {
    if (!this.vocabulary || !this.tree) return undefined;
    return (this.statements ??= this.vocabulary.wordsByStatement(this.text, this.tree.module, this.tree.lines));
  }

  /** Every distinct word of the text. */
  get set(): ReadonlySet<string> {
    return (this.all ??= allWords(this.text));
  }

  has(word: string): boolean {
    return this.found && this.vocabulary!.includes(word) ? this.found.has(word) : this.set.has(word);
  }

  /** Whether a word of the text ends with `suffix`. */
  hasSuffix(suffix: string): boolean {
    this.joined ??= ` ${[...this.set].join(' ')} `;
    return this.joined.includes(`${suffix} `);
  }
}

/** With `tree` (the text's module and lines), compound top-level statements kept from an earlier tree are not scanned again. */
export function wordsOf(text: string, vocabulary?: Vocabulary, tree?: { module: Module; lines: readonly string[] }): FileWords {
  return new FileWords(text, vocabulary, tree);
}

// [A-Za-z_] starts a word; [A-Za-z0-9_] continues it (a word starting with a digit is a number: `1e5` is no word `e5`).
const isWordStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isWordPart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
const wordHash = (h: number, c: number) => (Math.imul(h, 31) + c) | 0;

/** Calls `word` with the start, end and hash of each word of text[from, to), in order. */
function eachWord(text: string, word: (start: number, end: number, hash: number) => void, from = 0, to = text.length): void {
  const n = to;
  let i = from;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isWordStart(c)) {
      const start = i++;
      let h = wordHash(0, c);
      for (let d = text.charCodeAt(i); i < n && isWordPart(d); d = text.charCodeAt(++i)) h = wordHash(h, d);
      word(start, i, h);
    } else if (c >= 48 && c <= 57) {
      i++;
      while (i < n && isWordPart(text.charCodeAt(i))) i++;
    } else i++;
  }
}

function allWords(text: string): Set<string> {
  const set = new Set<string>();
  eachWord(text, (start, end) => set.add(text.slice(start, end)));
  return set;
}

/** A fixed set of words, found in a text by hashing each identifier as it is scanned. */
export class Vocabulary {
  private readonly byHash = new Map<number, string[]>();
  private readonly words: ReadonlySet<string>;

  constructor(words: Iterable<string>) {
    this.words = new Set(words);
    for (const w of this.words) {
      let h = 0;
      for (let i = 0; i < w.length; i++) h = wordHash(h, w.charCodeAt(i));
      const list = this.byHash.get(h);
      if (list) list.push(w);
      else this.byHash.set(h, [w]);
    }
  }

  includes(word: string): boolean {
    return this.words.has(word);
  }

  /** The vocabulary's words that occur in `text` (or in text[from, to)) as whole words. */
  occurring(text: string, from = 0, to = text.length, out = new Set<string>()): Set<string> {
    eachWord(text, (start, end, h) => {
      const candidates = this.byHash.get(h);
      if (candidates) for (const w of candidates) if (w.length === end - start && text.startsWith(w, start)) out.add(w);
    }, from, to);
    return out;
  }

  /**
   * `occurring(text)` for the text of `module`, whose lines are `lines`: the words of each
   * compound top-level statement (a class, a function, a block) are kept with its node, so a
   * statement the language server's incremental re-parse kept (its lines unchanged) is not
   * scanned again; the lines between such statements are scanned each time.
   */
  occurringByStatement(text: string, module: Module, lines: readonly string[]): Set<string> {
    const out = new Set<string>();
    let cursor = 0;
    // (A statement starting on a line already passed, which only a recovering parse of broken
    // code makes, is left to the scans between kept statements; so are simple statements.)
    statementRanges(text, module, lines, (s, range) => {
      if (!range || !COMPOUND.has(s.t)) return;
      this.occurring(text, cursor, range.from, out);
      for (const w of this.keptWords(s, text, range)) out.add(w);
      cursor = range.to;
    });
    return this.occurring(text, cursor, text.length, out);
  }

  /**
   * The vocabulary's words on the lines of each top-level statement of `module` (compound
   * statements: the sets occurringByStatement keeps), or undefined for a statement whose
   * lines cannot be told apart from the previous one's (`a = 1; b = 2`, or a recovering parse
   * of broken code).
   */
  wordsByStatement(text: string, module: Module, lines: readonly string[]): Array<ReadonlySet<string> | undefined> {
    const out: Array<ReadonlySet<string> | undefined> = [];
    statementRanges(text, module, lines, (s, range) => {
      out.push(!range ? undefined : COMPOUND.has(s.t) ? this.keptWords(s, text, range) : this.occurring(text, range.from, range.to));
    });
    return out;
  }

  /** The words of compound statement `s` (text[from, to)), kept with its node. */
  private keptWords(s: Node, text: string, { from, to }: { from: number; to: number }): Set<string> {
    let kept = this.byStatement.get(s);
    if (!kept) this.byStatement.set(s, (kept = this.occurring(text, from, to)));
    return kept;
  }

  private readonly byStatement = new WeakMap<Node, Set<string>>();
}

/**
 * Calls `visit` with each top-level statement of `module` and the offsets in `text` of its
 * whole lines (`lines` are the text's lines), or with none for a statement that starts on a
 * line an earlier one already covered (`a = 1; b = 2`, or a recovering parse of broken code).
 */
function statementRanges(text: string, module: Module, lines: readonly string[], visit: (s: Node, range: { from: number; to: number } | undefined) => void): void {
  let line = 0;
  let offset = 0;
  const offsetOf = (target: number) => {
    for (; line < target && line < lines.length; line++) offset += lines[line].length + 1;
    return Math.min(offset, text.length);
  };
  for (const s of module.body) {
    const first = statementStartLine(s);
    if (first < line) visit(s, undefined);
    else visit(s, { from: offsetOf(first), to: offsetOf(s.endLine + 1) });
  }
}

/** Top-level statements whose words are kept with the node (occurringByStatement): they span whole lines. */
const COMPOUND = new Set<string>(['FunctionDef', 'ClassDef', 'If', 'For', 'While', 'With', 'Try']);

/** The trigger words of the registered rules (made on first use). */
let triggerWords: Vocabulary | undefined;
function registryVocabulary(): Vocabulary {
  return (triggerWords ??= new Vocabulary(RULES.flatMap((r) => (r.meta.needs ?? []).filter((w) => w.charCodeAt(0) !== 42))));
}

/**
 * The indices of the top-level statements a scoped rule's walk visits (RuleMeta.scoped):
 * those whose lines hold one of its trigger words, or whose words cannot be told. Undefined
 * (all of them) when that is every statement, for a rule whose words are not all whole words
 * of the registry's vocabulary, and in a file that imports one of them under another name.
 */
function scopedBody(meta: RuleMeta, mod: Module, words: FileWords, imports: ReadonlyMap<string, string>): number[] | undefined {
  const needs = meta.needs;
  const vocabulary = words.vocabulary;
  const byStatement = words.byStatement;
  if (!needs || !vocabulary || !byStatement || !needs.every((w) => vocabulary.includes(w))) return undefined;
  // A trigger word imported under another name can be used without being spelt.
  for (const [local, path] of imports) {
    const last = path.slice(path.lastIndexOf('.') + 1);
    if (local !== last && needs.includes(last)) return undefined;
  }
  let wanted = NEEDS.get(meta);
  if (!wanted) NEEDS.set(meta, (wanted = new Set(needs)));
  const out: number[] = [];
  for (let i = 0; i < mod.body.length; i++) {
    const found = byStatement[i];
    if (!found || intersects(found, wanted)) out.push(i);
  }
  return out.length < mod.body.length ? out : undefined;
}

/** A rule's trigger words as a set (the statements' word sets are small: they are walked, these looked up). */
const NEEDS = new WeakMap<RuleMeta, ReadonlySet<string>>();

function intersects(small: ReadonlySet<string>, big: ReadonlySet<string>): boolean {
  for (const w of small) if (big.has(w)) return true;
  return false;
}

/** Whether a rule's trigger words occur in the file (always true for a rule without `needs`). */
export function ruleMayApply(meta: RuleMeta, words: FileWords): boolean {
  if (!meta.needs) return true;
  for (const w of meta.needs) {
    if (w.charCodeAt(0) === 42 /* '*' */) {
      if (words.hasSuffix(w.slice(1))) return true;
    } else if (words.has(w)) return true;
  }
  return false;
}

/** The frameworks a file uses, from its imports (tf.keras counts as Keras too) and the engine's detection. */
function frameworksOf(imports: ReadonlyMap<string, string>, detected: string, text: string): Set<string> {
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
  // A helper module that imports no framework (`def train(model, loader, opt, crit)` in
  // engine.py) but is a PyTorch training step by its idioms: zero_grad() and backward().
  if (out.size === 0 && /\.zero_grad\(/.test(text) && /\.backward\(/.test(text)) out.add('pytorch');
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
  if (s === 'hint' && o !== 'hint' && !matchesCode(f.code, config.select) && !(config.profile ?? []).some((p) => PROFILE_RULES[p]?.includes(f.code))) return undefined;
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
