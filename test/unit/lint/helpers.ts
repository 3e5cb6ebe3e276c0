// Test helpers for lint rules: parse + analyse + lint a snippet, find findings by code,
// apply fixes and re-lint. Snippets are dedented so tests can indent them naturally.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { analyzeDetailed } from '../../../src/core/analyze';
import { applyFixes, lintFileDetailed } from '../../../src/core/lint/engine';
import type { LintConfig } from '../../../src/core/lint/config';
import type { Finding, Rule } from '../../../src/core/lint/types';
import { loadParser, type PyParser } from '../../../src/core/python/parser';

let parser: PyParser | undefined;
const req = createRequire(join(__dirname, 'x.js'));

export async function initParser(): Promise<PyParser> {
  parser ??= await loadParser({
    treeSitter: readFileSync(req.resolve('web-tree-sitter/tree-sitter.wasm')),
    python: readFileSync(req.resolve('tree-sitter-python/tree-sitter-python.wasm')),
  });
  return parser;
}

export function dedent(s: string): string {
  const lines = s.replace(/^\n/, '').split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length);
  const min = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(min)).join('\n');
}

export function lintText(text: string, config: LintConfig = {}, rules?: readonly Rule[]): { findings: Finding[]; notes: string[] } {
  if (!parser) throw new Error('call initParser() in beforeAll');
  const detailed = analyzeDetailed(parser, text, { fileName: 'snippet.py' });
  return lintFileDetailed(detailed, text, config, rules);
}

/** Findings of one code in a dedented snippet. */
export function findings(code: string, snippet: string, config: LintConfig = {}): Finding[] {
  return lintText(dedent(snippet), { ...config, select: config.select ?? [code] }).findings.filter((f) => f.code === code);
}

/** 1-based lines of the findings of `code`. */
export function lines(code: string, snippet: string, config: LintConfig = {}): number[] {
  return findings(code, snippet, config).map((f) => f.range.line + 1);
}

/** Applies every safe fix of `code`, returns the new text and the findings of `code` left after re-linting. */
export function fixAndRelint(code: string, snippet: string): { text: string; applied: number; remaining: Finding[]; syntaxErrors: number } {
  const text = dedent(snippet);
  const fs = lintText(text, { select: [code] }).findings.filter((f) => f.code === code);
  const { text: fixed, applied } = applyFixes(text, fs);
  const detailed = analyzeDetailed(parser!, fixed, { fileName: 'snippet.py' });
  const remaining = lintFileDetailed(detailed, fixed, { select: [code] }).findings.filter((f) => f.code === code);
  return { text: fixed, applied, remaining, syntaxErrors: detailed.analysis.syntaxErrors.length };
}
