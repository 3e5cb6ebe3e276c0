// Host side (Node): finds the parser WASM files, next to the bundle in dist/ or in
// node_modules when running from source (tests), and creates the parser and the analyzer.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { analyzerFor, type Analyzer } from '../core/index';
import { loadParser, type PyParser } from '../core/python/parser';

/** `file` beside the bundle (dist/), else resolved through the package (`pkgPath`, an exported subpath). */
function findWasm(file: string, pkgPath: string): Uint8Array {
  const beside = typeof __dirname === 'string' ? join(__dirname, file) : '';
  if (beside && existsSync(beside)) return readFileSync(beside);
  const req = createRequire(typeof __filename === 'string' ? __filename : join(process.cwd(), 'x.js'));
  return readFileSync(req.resolve(pkgPath));
}

let parser: Promise<PyParser> | undefined;
let analyzer: Promise<Analyzer> | undefined;

/** One parser per process (loading the WASM is the only slow part); for analyzeDetailed callers. */
export function nodeParser(): Promise<PyParser> {
  parser ??= loadParser({
    treeSitter: findWasm('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm'),
    python: findWasm('tree-sitter-python.wasm', 'tree-sitter-python/tree-sitter-python.wasm'),
  });
  return parser;
}

/** One analyzer per process, over the shared parser. */
export function nodeAnalyzer(): Promise<Analyzer> {
  analyzer ??= nodeParser().then(analyzerFor);
  return analyzer;
}

/**
 * For one-shot hosts (the CLI): runs `task` with a parser that loads no WASM, since the
 * hand-written parser takes nearly every file. When a text needs tree-sitter (a syntax
 * error, a construct the hand-written parser declines), that parser answers no tree, and
 * `task` runs again with tree-sitter loaded, so a result never comes from a missing parse.
 * Once loaded, tree-sitter serves every later call.
 */
export async function withLazyParser<T>(task: (parser: PyParser) => T): Promise<T> {
  if (parser) return task(await parser);
  let wanted = false;
  const out = task({
    parse: () => {
      wanted = true;
      return null;
    },
  });
  if (!wanted) return out;
  return task(await nodeParser());
}

/** Whether this process has loaded (or started loading) tree-sitter. */
export function treeSitterLoaded(): boolean {
  return parser !== undefined;
}
