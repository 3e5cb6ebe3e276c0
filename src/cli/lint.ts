// `tensorlens lint PATH...`: walks files and folders, reads the nearest pyproject.toml
// `[tool.tensorlens]`, lints each Python file (following its project imports, as `summary`
// does) and prints text, JSON or SARIF 2.1.0.
// `--fix` applies the safe fixes in place. Exit 0 clean, 1 when a warning or error is
// reported, 2 for bad usage. Positions are converted to 1-based here, and only here.

import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { analyzeDetailed } from '../core/analyze';
import { type LintConfig, mergeConfig, parseConfig } from '../core/lint/config';
import { applyFixes, isSafeFix, lintFileDetailed } from '../core/lint/engine';
import { RULES } from '../core/lint/registry';
import type { Finding } from '../core/lint/types';
import { withLazyParser } from '../node/wasm';
import { projectResolver } from '../node/resolver';
import type { ModuleResolver } from '../core/eval/modules';
import type { PyParser } from '../core/python/parser';
import type { Severity } from '../core/summary/types';
import { isFlag, walkArgs } from './args';
import { pinnedVersionsFor } from '../node/versionPins';
import { poolSize, runPool } from './lint-pool';

export class LintUsageError extends Error {}

export const LINT_USAGE = `Usage:
  tensorlens lint PATH... [--format text|json|sarif] [--select DL101,..] [--ignore DL5] [--fix]
                  [--jobs N|auto]

Lints Python files (folders are walked; .git, .venv, venv, node_modules, __pycache__,
build, dist and simple .gitignore patterns are skipped). Configuration comes from the
nearest pyproject.toml ([tool.tensorlens] select / ignore / severity); --select and
--ignore replace those lists. Project imports are followed as in \`tensorlens summary\`
(the file's folders up to the project root, then [tool.tensorlens] roots), so shape rules
see blocks defined in other files. Many files may be linted on several worker threads
(--jobs: auto takes one per two cores, up to 8, when there are at least 4 files per worker,
so none on a 2-core machine; 1 keeps one thread); the output is the same either way.
Exit status: 0 clean, 1 warnings or errors, 2 bad usage.
`;

interface LintArgs {
  paths: string[];
  format: 'text' | 'json' | 'sarif';
  select?: string[];
  ignore?: string[];
  fix: boolean;
  /** Worker threads (--jobs N); 'auto': one per two cores when there are enough files (lint-pool.ts). */
  jobs: number | 'auto';
}

const SKIP_DIRS = new Set(['.git', '.venv', 'venv', 'node_modules', '__pycache__', 'build', 'dist', '.mypy_cache', '.tox', '.hg', '.svn']);

function parseCodes(v: string, opt: string): string[] {
  const codes = v.split(',').map((c) => c.trim().toUpperCase()).filter(Boolean);
  const bad = codes.filter((c) => !/^DL\d{0,3}$/.test(c));
  if (!codes.length || bad.length) throw new LintUsageError(`${opt}: expected rule codes or prefixes such as DL101,DL2 (got '${v}')`);
  return codes;
}

export function parseLintArgs(argv: string[]): LintArgs {
  const out: LintArgs = { paths: [], format: 'text', fix: false, jobs: 'auto' };
  walkArgs(argv, (m) => new LintUsageError(m), (a, value) => {
    if (a === '--fix') out.fix = true;
    else if (a === '--json') out.format = 'json';
    else if (isFlag(a, '--format')) {
      const f = value();
      if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new LintUsageError(`--format must be text, json or sarif (got '${f}')`);
      out.format = f;
    } else if (isFlag(a, '--select')) out.select = parseCodes(value(), '--select');
    else if (isFlag(a, '--ignore')) out.ignore = parseCodes(value(), '--ignore');
    else if (isFlag(a, '--jobs') || a === '-j') {
      const v = value();
      const n = Number(v);
      if (v !== 'auto' && !(Number.isInteger(n) && n >= 1)) throw new LintUsageError(`--jobs must be a whole number from 1, or auto (got '${v}')`);
      out.jobs = v === 'auto' ? 'auto' : n;
    }
    else if (a.startsWith('-')) throw new LintUsageError(`unknown option ${a}`);
    else out.paths.push(a);
  });
  if (!out.paths.length) throw new LintUsageError('lint needs at least one PATH');
  return out;
}

/** Simple .gitignore support: name globs and path globs relative to the folder holding the file; negations are ignored. */
function gitignoreMatchers(dir: string): Array<(rel: string, isDir: boolean) => boolean> {
  const f = join(dir, '.gitignore');
  if (!existsSync(f)) return [];
  const out: Array<(rel: string, isDir: boolean) => boolean> = [];
  for (const raw of readFileSync(f, 'utf8').split('\n')) {
    let line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('!')) continue;
    const dirOnly = line.endsWith('/');
    if (dirOnly) line = line.slice(0, -1);
    const anchored = line.includes('/');
    line = line.replace(/^\//, '');
    const re = new RegExp('^' + line.split('**').map((p) => p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')).join('.*') + '$');
    out.push((rel, isDir) => {
      if (dirOnly && !isDir) return false;
      if (anchored) return re.test(rel);
      return re.test(rel.split('/').pop() ?? rel);
    });
  }
  return out;
}

export function collectPythonFiles(paths: string[]): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  for (const p of paths) {
    if (!existsSync(p)) {
      missing.push(p);
      continue;
    }
    if (!statSync(p).isDirectory()) {
      files.push(p);
      continue;
    }
    const root = p;
    const ignores = gitignoreMatchers(root);
    const walk = (dir: string) => {
      let entries: string[];
      try {
        entries = readdirSync(dir).sort();
      } catch {
        return;
      }
      for (const name of entries) {
        const full = join(dir, name);
        let st;
        try {
          st = statSync(full);
        } catch {
          continue;
        }
        const rel = relative(root, full).split(sep).join('/');
        const isDir = st.isDirectory();
        if (ignores.some((m) => m(rel, isDir))) continue;
        if (isDir) {
          if (!SKIP_DIRS.has(name) && !name.endsWith('.egg-info')) walk(full);
        } else if (name.endsWith('.py') || name.endsWith('.pyi')) files.push(full);
      }
    };
    walk(root);
  }
  return { files, missing };
}

const configCache = new Map<string, { config: LintConfig; errors: string[]; path?: string }>();

/** The config of the nearest pyproject.toml above `file` (cached per folder). */
export function configFor(file: string): { config: LintConfig; errors: string[]; path?: string } {
  const dir = dirname(resolve(file));
  const cached = configCache.get(dir);
  if (cached) return cached;
  let result: { config: LintConfig; errors: string[]; path?: string };
  const candidate = join(dir, 'pyproject.toml');
  if (existsSync(candidate)) {
    const r = parseConfig(readFileSync(candidate, 'utf8'));
    result = { ...r, path: candidate };
  } else if (dirname(dir) !== dir) result = configFor(join(dirname(dir), 'x.py'));
  else result = { config: {}, errors: [] };
  configCache.set(dir, result);
  return result;
}

export interface FileResult {
  file: string;
  findings: Finding[];
  notes: string[];
  fixed: number;
}

/**
 * Lints one text (and, with `fix`, returns the fixed text): shared by the CLI and tests.
 * `resolveModule` finds the project's own imports (the CLI passes the file-system resolver,
 * as `summary` does), so shape rules see models built from blocks defined in other files.
 */
export function lintOne(parser: PyParser, file: string, text: string, config: LintConfig, fix: boolean,
  resolveModule?: ModuleResolver): FileResult & { text: string } {
  const options = { fileName: file, resolveModule, dataflow: false }; // no summary graphs: lint does not show them
  let cur = text;
  let fixed = 0;
  let notes: string[] = [];
  for (let pass = 0; pass < (fix ? 4 : 1); pass++) {
    const detailed = analyzeDetailed(parser, cur, options);
    const r = lintFileDetailed(detailed, cur, config);
    notes = r.notes;
    if (!fix || !r.findings.some((f) => isSafeFix(f.fix))) return { file, findings: r.findings, notes, fixed, text: cur };
    const applied = applyFixes(cur, r.findings);
    if (!applied.applied) return { file, findings: r.findings, notes, fixed, text: cur };
    // Keep a fix only if the text still parses as well as before.
    const before = detailed.analysis.syntaxErrors.length;
    const after = analyzeDetailed(parser, applied.text, options).analysis.syntaxErrors.length;
    if (after > before) return { file, findings: r.findings, notes: [...notes, 'a fix was withheld: it would have broken the syntax'], fixed, text: cur };
    fixed += applied.applied;
    cur = applied.text;
  }
  const detailed = analyzeDetailed(parser, cur, options);
  const r = lintFileDetailed(detailed, cur, config);
  return { file, findings: r.findings, notes: r.notes, fixed, text: cur };
}

const pos1 = (line: number, ch: number) => ({ line: line + 1, column: ch + 1 });

export function toJson(results: FileResult[]): unknown[] {
  return results.flatMap((r) => r.findings.map((f) => ({
    file: r.file, code: f.code, severity: f.severity,
    line: f.range.line + 1, column: f.range.character + 1, endLine: f.range.endLine + 1, endColumn: f.range.endCharacter + 1,
    message: f.message,
    ...(f.fix ? { fix: { title: f.fix.title, safe: isSafeFix(f.fix), edits: f.fix.edits.map((e) => ({ ...pos1(e.range.line, e.range.character), endLine: e.range.endLine + 1, endColumn: e.range.endCharacter + 1, newText: e.newText })) } } : {}),
  })));
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function toSarif(results: FileResult[], version = '0.1.0'): unknown {
  const rules = [...RULES].sort((a, b) => a.meta.code.localeCompare(b.meta.code));
  const index = new Map(rules.map((r, i) => [r.meta.code, i]));
  const uri = (f: string) => relative(process.cwd(), resolve(f)).split(sep).join('/');
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'TensorLens', version, informationUri: 'https://github.com/tensorlens/tensorlens',
          rules: rules.map((r) => ({
            id: r.meta.code, name: r.meta.name,
            shortDescription: { text: r.meta.name.replace(/-/g, ' ') },
            fullDescription: { text: r.meta.docs.replace(/`/g, '') },
            defaultConfiguration: { level: SARIF_LEVEL[r.meta.severity] },
            properties: { frameworks: r.meta.frameworks, fix: r.meta.fix },
          })),
        },
      },
      results: results.flatMap((r) => r.findings.map((f) => ({
        ruleId: f.code,
        ...(index.has(f.code) ? { ruleIndex: index.get(f.code) } : {}),
        level: SARIF_LEVEL[f.severity],
        message: { text: f.message },
        locations: [{ physicalLocation: { artifactLocation: { uri: uri(r.file) }, region: { startLine: f.range.line + 1, startColumn: f.range.character + 1, endLine: f.range.endLine + 1, endColumn: f.range.endCharacter + 1 } } }],
        ...(f.fix ? {
          fixes: [{
            description: { text: f.fix.title },
            artifactChanges: [{
              artifactLocation: { uri: uri(r.file) },
              replacements: f.fix.edits.map((e) => ({
                deletedRegion: { startLine: e.range.line + 1, startColumn: e.range.character + 1, endLine: e.range.endLine + 1, endColumn: e.range.endCharacter + 1 },
                insertedContent: { text: e.newText },
              })),
            }],
          }],
        } : {}),
      }))),
      columnKind: 'utf16CodeUnits',
    }],
  };
}

export function toText(results: FileResult[]): string {
  const lines: string[] = [];
  let n = 0;
  let fixed = 0;
  for (const r of results) {
    fixed += r.fixed;
    for (const f of r.findings) {
      n++;
      lines.push(`${r.file}:${f.range.line + 1}:${f.range.character + 1}: ${f.code} ${f.severity}: ${f.message}${f.fix && isSafeFix(f.fix) ? ' [fixable]' : ''}`);
    }
  }
  lines.push(n ? `${n} finding${n === 1 ? '' : 's'} in ${results.filter((r) => r.findings.length).length} file(s)${fixed ? `; ${fixed} fixed` : ''}.` : `No findings in ${results.length} file(s)${fixed ? `; ${fixed} fixed` : ''}.`);
  return lines.join('\n') + '\n';
}

/** One file of a `tensorlens lint` run, with its configuration (plain data: it may go to a worker thread). */
export interface LintTask {
  file: string;
  config: LintConfig;
  fix: boolean;
}

/** A linted file (with its fixed text when --fix changed it), or one that could not be read. */
export type TaskResult = (FileResult & { fixedText?: string }) | { file: string; readError: string };

/**
 * Lints one file as `tensorlens lint` does: reads it and follows its project imports as
 * `tensorlens summary` does (same folders, same [tool.tensorlens] roots; a bad roots setting
 * was reported with the rest of that pyproject.toml). Runs on the CLI's thread or in a worker.
 */
export async function lintTask(task: LintTask): Promise<TaskResult> {
  let text: string;
  try {
    text = readFileSync(task.file, 'utf8');
  } catch (e) {
    return { file: task.file, readError: (e as Error).message };
  }
  const resolve = projectResolver(task.file, task.file).resolve;
  const r = await withLazyParser((parser) => lintOne(parser, task.file, text, task.config, task.fix, resolve));
  return { file: r.file, findings: r.findings, notes: r.notes, fixed: r.fixed, ...(task.fix && r.text !== text ? { fixedText: r.text } : {}) };
}

export async function lintCommand(argv: string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(LINT_USAGE);
    return 0;
  }
  let args: LintArgs;
  try {
    args = parseLintArgs(argv);
  } catch (e) {
    if (!(e instanceof LintUsageError)) throw e;
    process.stderr.write(`tensorlens: ${e.message}\n\n${LINT_USAGE}`);
    return 2;
  }
  const { files, missing } = collectPythonFiles(args.paths);
  if (missing.length) {
    process.stderr.write(`tensorlens: no such file or folder: ${missing.join(', ')}\n`);
    return 2;
  }
  const reported = new Set<string>();
  const tasks: LintTask[] = files.map((file) => {
    const cfg = configFor(file);
    if (cfg.errors.length && cfg.path && !reported.has(cfg.path)) {
      reported.add(cfg.path);
      for (const e of cfg.errors) process.stderr.write(`tensorlens: ${cfg.path}: ${e}\n`);
    }
    const config = mergeConfig(cfg.config, { select: args.select, ignore: args.ignore });
    // Versions pinned in the project's dependency files, under any set in [tool.tensorlens].
    config.versions = { ...pinnedVersionsFor(file), ...config.versions };
    return { file, config, fix: args.fix };
  });
  const results: FileResult[] = [];
  const take = (r: TaskResult) => {
    if ('readError' in r) {
      process.stderr.write(`tensorlens: cannot read ${r.file}: ${r.readError}\n`);
      return;
    }
    if (r.fixedText !== undefined) writeFileSync(r.file, r.fixedText);
    for (const note of r.notes.filter((x) => x.startsWith('lint'))) process.stderr.write(`tensorlens: ${r.file}: ${note}\n`);
    results.push({ file: r.file, findings: r.findings, notes: r.notes, fixed: r.fixed });
  };
  const workers = poolSize(tasks.length, args.jobs);
  // TENSORLENS_DEBUG=pool tells on stderr how the files were shared out (the tests check it).
  if (process.env.TENSORLENS_DEBUG === 'pool') process.stderr.write(`tensorlens: ${tasks.length} file(s) on ${workers ? `${workers} worker threads` : 'the main thread'}\n`);
  if (workers) await runPool(tasks, workers, take);
  else for (const task of tasks) take(await lintTask(task));
  if (args.format === 'json') process.stdout.write(JSON.stringify(toJson(results), null, 2) + '\n');
  else if (args.format === 'sarif') process.stdout.write(JSON.stringify(toSarif(results), null, 2) + '\n');
  else process.stdout.write(toText(results));
  return results.some((r) => r.findings.some((f) => f.severity === 'error' || f.severity === 'warning')) ? 1 : 0;
}
