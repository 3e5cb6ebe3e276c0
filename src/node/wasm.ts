// Host side (Node): finds the parser WASM files, next to the bundle in dist/ or in
// node_modules when running from source (tests), and creates the analyzer.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createAnalyzer, type Analyzer } from '../core/index';

function findWasm(file: string, pkgFile: string): Uint8Array {
  const beside = typeof __dirname === 'string' ? join(__dirname, file) : '';
  if (beside && existsSync(beside)) return readFileSync(beside);
  const req = createRequire(typeof __filename === 'string' ? __filename : join(process.cwd(), 'x.js'));
  return readFileSync(join(dirname(req.resolve(pkgFile)), file));
}

let shared: Promise<Analyzer> | undefined;

/** One analyzer per process (parser init is the only slow part). */
export function nodeAnalyzer(): Promise<Analyzer> {
  shared ??= createAnalyzer({
    treeSitter: findWasm('tree-sitter.wasm', 'web-tree-sitter/package.json'),
    python: findWasm('tree-sitter-python.wasm', 'tree-sitter-python/package.json'),
  });
  return shared;
}
