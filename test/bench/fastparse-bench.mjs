// Speed of the hand-written parser (src/core/python/fastparse.ts) against tree-sitter parse +
// toModule, in lines per second, warm, over the Python standard library and over a
// deep-learning set (/work/shared/corpus + test/fixtures + test/oracle). Bundles the TS
// sources with esbuild the way engine-bundle.mjs does. Figures only; nothing is asserted.
//
//   node test/bench/fastparse-bench.mjs [--runs 10] [--warmup 5] [--stdlib /usr/lib/python3.11]
//
// Lines are counted as newline characters (as `wc -l`). Each figure is the median of the
// timed runs; "cpu" divides by this process's user+system CPU time, which is less affected
// by other processes competing for the cores than the wall-clock figure.

import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cacheRoot, projectRoot } from './engine-bundle.mjs';
import { pyFiles } from './py-files.mjs';

const UP_TO_1MB = { maxBytes: 1 << 20 };

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const RUNS = Number(opt('--runs', 10));
const WARMUP = Number(opt('--warmup', 5));
const STDLIB = opt('--stdlib', '/usr/lib/python3.11');
const require = createRequire(join(projectRoot, 'package.json'));

async function bundle() {
  const dir = join(cacheRoot, 'fastparse-bench');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, 'bundle.cjs');
  await esbuild.build({
    absWorkingDir: projectRoot,
    stdin: {
      contents: "export { fastParse } from './src/core/python/fastparse';\nexport { toModule } from './src/core/python/ast';\nexport { loadParser } from './src/core/python/parser';\n",
      resolveDir: projectRoot,
      loader: 'ts',
    },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    plugins: [{
      name: 'web-tree-sitter-cjs',
      setup(build) {
        build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') }));
      },
    }],
    logLevel: 'warning',
  });
  return require(outfile);
}

const { fastParse, toModule, loadParser } = await bundle();
const parser = await loadParser({
  treeSitter: readFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm')),
  python: readFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm')),
});

const sets = [
  { name: `stdlib (${STDLIB})`, files: pyFiles(STDLIB, UP_TO_1MB) },
  { name: 'deep-learning (corpus + fixtures + oracle)', files: [...pyFiles('/work/shared/corpus', UP_TO_1MB), ...pyFiles(join(projectRoot, 'test/fixtures'), UP_TO_1MB), ...pyFiles(join(projectRoot, 'test/oracle'), UP_TO_1MB)] },
];

/** Median time of one pass over `texts`; a small set is repeated within a sample (>= ~250 ms) to damp noise. */
function timeRuns(texts, fn, runs, warmup) {
  for (let r = 0; r < warmup; r++) for (const t of texts) fn(t);
  const t0 = performance.now();
  for (const t of texts) fn(t);
  const reps = Math.max(1, Math.ceil(250 / Math.max(1, performance.now() - t0)));
  const wall = [];
  const cpu = [];
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    for (let k = 0; k < reps; k++) for (const t of texts) fn(t);
    wall.push((performance.now() - w0) / reps);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000 / reps);
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  return { wall: med(wall), cpu: med(cpu) };
}

const treeSitter = (t) => {
  const tree = parser.parse(t);
  const m = toModule(tree);
  tree.delete();
  return m;
};

console.log(`fastParse vs tree-sitter parse + toModule, median of ${RUNS} warm runs after ${WARMUP} warm-up runs (tree-sitter: up to 3 runs); machine shared with other work, figures are noisy`);
for (const s of sets) {
  if (!s.files.length) continue;
  const texts = s.files.map((f) => readFileSync(f, 'utf8'));
  let lines = 0;
  for (const t of texts) for (let i = t.indexOf('\n'); i >= 0; i = t.indexOf('\n', i + 1)) lines++;
  const nulls = texts.filter((t) => fastParse(t) === null).length;
  const fast = timeRuns(texts, fastParse, RUNS, WARMUP);
  const ts = timeRuns(texts, treeSitter, Math.max(1, Math.min(RUNS, 3)), 1);
  const rate = (ms) => Math.round(lines / (ms / 1000)).toLocaleString('en-US').padStart(11);
  const row = (name, r) => `  ${name.padEnd(24)} wall ${r.wall.toFixed(1).padStart(8)} ms ${rate(r.wall)} lines/s | cpu ${r.cpu.toFixed(1).padStart(8)} ms ${rate(r.cpu)} lines/s`;
  console.log(`\n${s.name}: ${texts.length} files, ${lines.toLocaleString('en-US')} lines, fastParse null for ${nulls}`);
  console.log(row('fastParse', fast));
  console.log(`${row('tree-sitter + toModule', ts)}  (x${(ts.cpu / fast.cpu).toFixed(1)} by cpu)`);
}
