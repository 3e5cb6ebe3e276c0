// Test helpers for the DL4xx shape rules: analyse Python source with the real parser,
// run one rule through the lint context, apply a quick fix's edits to the text.

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { loadParser, type PyParser } from '../../../../src/core/python/parser';
import { analyzeDetailed, type DetailedAnalysis } from '../../../../src/core/analyze';
import { collectImports, makeContext } from '../../../../src/core/lint/context';
import { assertGatePasses } from '../gate';
import type { Finding, Rule, TextEdit } from '../../../../src/core/lint/types';
import type { AnalyzeOptions } from '../../../../src/core/summary/types';

let parser: Promise<PyParser> | undefined;

export function getParser(): Promise<PyParser> {
  const req = createRequire(__filename);
  parser ??= loadParser({
    treeSitter: readFileSync(req.resolve('web-tree-sitter/tree-sitter.wasm')),
    python: readFileSync(req.resolve('tree-sitter-python/tree-sitter-python.wasm')),
  });
  return parser;
}

/** Strips the common indentation of a template literal (Python source in tests). */
export function py(src: string): string {
  const lines = src.replace(/^\n/, '').split('\n');
  const ind = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(ind)).join('\n');
}

export async function analyse(text: string, options: AnalyzeOptions = {}): Promise<DetailedAnalysis> {
  return analyzeDetailed(await getParser(), text, options);
}

/** Runs one rule on the text and returns its findings. */
export async function lint(rule: Rule, text: string, options: AnalyzeOptions = {}): Promise<Finding[]> {
  const d = await analyse(text, options);
  const sink: Finding[] = [];
  if (!d.module) return sink;
  const facts = { text, lines: text.split('\n'), module: d.module, analysis: d.analysis, imports: collectImports(d.module) };
  rule.check(makeContext(facts, rule.meta, sink));
  assertGatePasses(rule, text, sink);
  return sink;
}

/** Applies non-overlapping edits (0-based ranges) to the text. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (line: number, ch: number) => lines.slice(0, line).reduce((s, l) => s + l.length + 1, 0) + ch;
  const sorted = [...edits].sort((a, b) => offset(b.range.line, b.range.character) - offset(a.range.line, a.range.character));
  let out = text;
  for (const e of sorted) {
    const start = offset(e.range.line, e.range.character);
    const end = offset(e.range.endLine, e.range.endCharacter);
    out = out.slice(0, start) + e.newText + out.slice(end);
  }
  return out;
}
