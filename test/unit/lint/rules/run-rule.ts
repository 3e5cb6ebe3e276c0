// Test helper for the DL2xx / DL3xx / DL5xx rule tests: loads the parser the way the Node
// host does, runs one rule over a text and applies a finding's fix edits.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadParser, type PyParser } from '../../../../src/core/python/parser';
import { analyzeDetailed } from '../../../../src/core/analyze';
import { collectImports, makeContext } from '../../../../src/core/lint/context';
import { assertGatePasses } from '../gate';
import type { Finding, Rule, TextEdit } from '../../../../src/core/lint/types';

let parser: Promise<PyParser> | undefined;

export function getParser(): Promise<PyParser> {
  const req = createRequire(__filename);
  parser ??= loadParser({
    treeSitter: readFileSync(req.resolve('web-tree-sitter/tree-sitter.wasm')),
    python: readFileSync(req.resolve('tree-sitter-python/tree-sitter-python.wasm')),
  });
  return parser;
}

/** Runs one rule over a Python text (dedented) and returns its findings. */
export async function runRule(rule: Rule, text: string, fileName = 'test.py'): Promise<Finding[]> {
  const p = await getParser();
  const detailed = analyzeDetailed(p, text, { fileName });
  const facts = { text, lines: text.split('\n'), module: detailed.module!, analysis: detailed.analysis, imports: collectImports(detailed.module!) };
  const sink: Finding[] = [];
  rule.check(makeContext(facts, rule.meta, sink));
  assertGatePasses(rule, text, sink);
  return sink;
}

/** Applies text edits (0-based line/character ranges), last first. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (line: number, ch: number) => lines.slice(0, line).reduce((s, l) => s + l.length + 1, 0) + ch;
  const sorted = [...edits].sort((a, b) => offset(b.range.line, b.range.character) - offset(a.range.line, a.range.character));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.line, e.range.character)) + e.newText + out.slice(offset(e.range.endLine, e.range.endCharacter));
  return out;
}

/** Removes the common indentation of a template literal (first and last blank lines dropped). */
export function py(s: string): string {
  const lines = s.replace(/^\n/, '').replace(/\n[ \t]*$/, '\n').split('\n');
  const ind = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(ind)).join('\n');
}

/** 1-based lines of the findings, for readable assertions. */
export function linesOf(fs: readonly Finding[]): number[] {
  return fs.map((f) => f.range.line + 1);
}

/** Runs the rule, applies every fix and re-runs: returns the fixed text and the remaining findings. */
export async function fixAndRerun(rule: Rule, text: string): Promise<{ fixed: string; after: Finding[] }> {
  const before = await runRule(rule, text);
  const edits = before.flatMap((f) => f.fix?.edits ?? []);
  const fixed = applyEdits(text, edits);
  return { fixed, after: await runRule(rule, fixed) };
}
