// Host side (Node): finds the parser WASM files, next to the bundle in dist/ or in
// node_modules when running from source (tests), and creates the analyzer.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createAnalyzer, type Analyzer } from '../core/index';

/** `file` beside the bundle (dist/), else resolved through the package (`pkgPath`, an exported subpath). */
function findWasm(file: string, pkgPath: string): Uint8Array {
  const beside = typeof __dirname === 'string' ? join(__dirname, file) : '';
  if (beside && existsSync(beside)) return readFileSync(beside);
  const req = createRequire(typeof __filename === 'string' ? __filename : join(process.cwd(), 'x.js'));
  return readFileSync(req.resolve(pkgPath));
}

let shared: Promise<Analyzer> | undefined;

/** One analyzer per process (parser init is the only slow part). */
export function nodeAnalyzer(): Promise<Analyzer> {
  shared ??= createAnalyzer({
    treeSitter: findWasm('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm'),
    python: findWasm('tree-sitter-python.wasm', 'tree-sitter-python/tree-sitter-python.wasm'),
  });
  return shared;
}
