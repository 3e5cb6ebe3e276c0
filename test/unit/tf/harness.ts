// Runs the engine on low-level TensorFlow files through the real pipeline (analyzeDetailed),
// with the parser loaded from node_modules.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadParser, type PyParser } from '../../../src/core/python/parser';
import { analyzeDetailed } from '../../../src/core/analyze';
import type { Analysis, AnalyzeOptions } from '../../../src/core/summary/types';

const req = createRequire(__filename);
let parser: Promise<PyParser> | undefined;

export function tfParser(): Promise<PyParser> {
  parser ??= loadParser({
    treeSitter: readFileSync(req.resolve('web-tree-sitter/tree-sitter.wasm')),
    python: readFileSync(req.resolve('tree-sitter-python/tree-sitter-python.wasm')),
  });
  return parser;
}

/** The analysis of `text` (the same pipeline as the CLI and the language server). */
export function analyzeTf(p: PyParser, text: string, options: AnalyzeOptions = {}): { analysis: Analysis } {
  return { analysis: analyzeDetailed(p, text, options).analysis };
}
