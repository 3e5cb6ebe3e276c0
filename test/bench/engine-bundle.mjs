// Bundles the engine's Node entry (src/node/wasm.ts) into one CommonJS file, so plain Node
// scripts (the benchmark) and child processes (the robustness test) can load the engine
// from source without the CLI. Bundled the way esbuild.mjs bundles dist/cli.js. Output goes
// under node_modules/.cache/tensorlens/ (ignored by git and ESLint).

import * as esbuild from 'esbuild';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Scratch space for generated bundles and model files. */
export const cacheRoot = join(projectRoot, 'node_modules', '.cache', 'tensorlens');
const require = createRequire(join(projectRoot, 'package.json'));

// As in esbuild.mjs: a CommonJS bundle takes web-tree-sitter's CommonJS build.
const webTreeSitterCjs = {
  name: 'web-tree-sitter-cjs',
  setup(build) {
    build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') }));
  },
};

/** Builds `<cacheRoot>/<name>/engine.cjs` (exports `nodeAnalyzer`, `nodeParser`, `analyzeDetailed`, `lintFileDetailed`) and returns its absolute path. */
export async function buildEngine(name) {
  const dir = join(cacheRoot, name);
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, 'engine.cjs');
  await esbuild.build({
    absWorkingDir: projectRoot,
    // The Node entry, and the detailed analysis and the linter (the robustness test lints too).
    stdin: {
      contents: "export * from './src/node/wasm'; export { analyzeDetailed } from './src/core/analyze'; export { lintFileDetailed } from './src/core/lint/engine';",
      resolveDir: projectRoot, loader: 'ts', sourcefile: 'engine-entry.ts',
    },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [webTreeSitterCjs],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return outfile;
}
