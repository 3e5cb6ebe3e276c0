// Bundles every entry point into dist/ and copies the parser WASM files beside them.
// `node esbuild.mjs [--production] [--watch]`; `vscode` is the only external.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// Entries are listed explicitly; an entry is built only once its source exists.
const nodeEntries = [
  // dist/cli.js is the `tensorlens` command: a small loader that runs the CLI bundle with
  // V8's code cache (src/cli/bin.ts).
  { in: 'src/cli/main.ts', out: 'cli-main' },
  { in: 'src/cli/bin.ts', out: 'cli' },
  { in: 'src/server/main.ts', out: 'server' },
  { in: 'src/extension/main.ts', out: 'extension' },
].filter((e) => existsSync(e.in));
const browserEntries = [
  { in: 'src/webview/main.ts', out: 'webview' },
  { in: 'src/webview/translate.ts', out: 'translate' },
].filter((e) => existsSync(e.in));

mkdirSync('dist', { recursive: true });
copyFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm'), join('dist', 'tree-sitter.wasm'));
copyFileSync(join(dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm'),
  join('dist', 'tree-sitter-python.wasm'));

// The node bundles are CommonJS: take web-tree-sitter's CommonJS build (its ESM build
// reads import.meta.url, which a CommonJS bundle does not have).
const treeSitterCjs = {
  name: 'web-tree-sitter-cjs',
  setup(build) {
    build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') }));
  },
};

// Minified even in development: the CLI starts measurably faster (less to compile);
// the linked source map keeps stack traces readable with --enable-source-maps.
const common = { bundle: true, sourcemap: !production, minify: true, logLevel: 'warning' };
const contexts = [
  await esbuild.context({
    ...common, entryPoints: nodeEntries, outdir: 'dist', platform: 'node', format: 'cjs', target: 'node20',
    external: ['vscode'], banner: { js: '#!/usr/bin/env node' }, plugins: [treeSitterCjs],
  }),
];
if (browserEntries.length) {
  contexts.push(await esbuild.context({
    ...common, entryPoints: browserEntries, outdir: 'dist', platform: 'browser', format: 'iife', target: 'es2022',
  }));
}
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
