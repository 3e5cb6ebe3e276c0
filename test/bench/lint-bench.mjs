// Lint throughput (issue 4): lines per second of parse + evaluate + lint, warm, in one
// process, on (a) deep-learning code (the shared corpus, the oracle models and the test
// fixtures, replicated to at least 50,000 lines) and (b) every .py file of
// /usr/lib/python3.11; Ruff's WASM build (Workspace.check, default rules) runs on the same
// files in the same process as the reference, taking turns with TensorLens on the first set.
// Called from bench.mjs; also runnable alone:
//   node test/bench/lint-bench.mjs [--max-stdlib-files N]
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { cacheRoot, projectRoot } from './engine-bundle.mjs';
import { pyFiles } from './py-files.mjs';

const require = createRequire(join(projectRoot, 'package.json'));
const webTreeSitterCjs = {
  name: 'web-tree-sitter-cjs',
  setup(build) {
    build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') }));
  },
};

async function buildLintEngine() {
  const dir = join(cacheRoot, 'lint-bench');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, 'lint.cjs');
  await esbuild.build({
    absWorkingDir: projectRoot,
    stdin: {
      contents: "export { analyzeDetailed, parseText } from './src/core/analyze'; export { lintFileDetailed } from './src/core/lint/engine'; export { loadParser } from './src/core/python/parser';",
      resolveDir: projectRoot, loader: 'ts', sourcefile: 'lint-bench-entry.ts',
    },
    outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', plugins: [webTreeSitterCjs], logLevel: 'warning',
  });
  return require(outfile);
}

function load(files) {
  return files.map((f) => {
    try { return { file: f, text: readFileSync(f, 'utf8') }; } catch { return undefined; }
  }).filter(Boolean);
}

const lineCount = (docs) => docs.reduce((n, d) => n + d.text.split('\n').length, 0);

/**
 * TensorLens on a list of files: `warm` runs a few untimed, `run` adds a timed pass to the
 * totals (analysis and lint apart), and times the parse alone on the same files (the part of
 * the analysis that turns text into a tree: a floor under the whole).
 */
function tensorLensTimer(engine, parser) {
  const totals = { analyzeMs: 0, lintMs: 0, totalMs: 0, parseMs: 0, findings: 0, failures: 0 };
  const opts = (d) => ({ fileName: d.file, dataflow: false });
  return {
    totals,
    async warm(docs) {
      for (const d of docs) engine.lintFileDetailed(engine.analyzeDetailed(parser, d.text, opts(d)), d.text, {});
    },
    run(docs) {
      for (const d of docs) {
        const t0 = performance.now();
        let detailed;
        try { detailed = engine.analyzeDetailed(parser, d.text, opts(d)); } catch { totals.failures++; continue; }
        const t1 = performance.now();
        const r = engine.lintFileDetailed(detailed, d.text, {});
        const t2 = performance.now();
        totals.analyzeMs += t1 - t0;
        totals.lintMs += t2 - t1;
        totals.totalMs += t2 - t0;
        totals.findings += r.findings.length;
        totals.failures += r.notes.filter((n) => n.startsWith('lint rule')).length;
      }
      const t0 = performance.now();
      for (const d of docs) engine.parseText(parser, d.text);
      totals.parseMs += performance.now() - t0;
    },
  };
}

/** Ruff's WASM build (Workspace.check, default rules) with the same `warm` / `run` as tensorLensTimer. */
function ruffTimer(ruff) {
  const ws = new ruff.Workspace(ruff.Workspace.defaultSettings(), ruff.PositionEncoding.Utf16);
  const totals = { totalMs: 0, findings: 0 };
  return {
    totals,
    // V8 runs a WebAssembly module first on baseline code and optimises it in the background:
    // Ruff is some 5x faster once that is done (measured: 10-30 k lines/s on the first passes
    // over the deep-learning set, 90-140 k after). Warm means optimised: passes, a pause for the
    // background compiler, and a last pass.
    async warm(docs) {
      for (let pass = 0; pass < 2; pass++) for (const d of docs) ws.check(d.text);
      await sleep(RUFF_TIER_UP_PAUSE_MS);
      for (const d of docs) ws.check(d.text);
    },
    run(docs) {
      const t0 = performance.now();
      for (const d of docs) {
        try { totals.findings += ws.check(d.text).length; } catch { /* ruff rejects some inputs */ }
      }
      totals.totalMs += performance.now() - t0;
    },
  };
}

/**
 * The two linters take turns on slices of the set, the order flipping each turn: the speed
 * of this machine drifts within minutes, and taking turns makes the drift weigh on both
 * alike instead of on whichever ran first.
 */
async function timeTakingTurns(timers, docs, slice) {
  for (const t of timers) await t.warm(docs.slice(0, slice));
  for (let i = 0, turn = 0; i < docs.length; i += slice, turn++) {
    const part = docs.slice(i, i + slice);
    for (const t of turn % 2 ? [...timers].reverse() : timers) t.run(part);
  }
}

const RUFF_TIER_UP_PAUSE_MS = 2000;

/** Per-file guard: a file the engine does not finish within this time is reported and skipped. */
const FILE_TIMEOUT_MS = 20_000;

/**
 * Times TensorLens in a worker thread, one file at a time, so that a file on which the engine
 * hangs is reported (and skipped) instead of stalling the benchmark.
 */
async function timeTensorLensGuarded(docs) {
  const totals = { analyzeMs: 0, lintMs: 0, totalMs: 0, findings: 0, failures: 0, timedOut: [] };
  const done = new Set();
  let next = 0;
  while (next < docs.length) {
    const start = next;
    await new Promise((resolveRun) => {
      const w = new Worker(fileURLToPath(import.meta.url), { workerData: { files: docs.slice(start).map((d) => d.file) } });
      let timer;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          totals.timedOut.push(docs[next].file);
          next++;
          w.terminate();
        }, FILE_TIMEOUT_MS);
      };
      w.on('message', (m) => {
        if (m.ready) return arm();
        const i = start + m.i;
        if (done.has(i)) return;
        done.add(i);
        totals.analyzeMs += m.analyzeMs;
        totals.lintMs += m.lintMs;
        totals.findings += m.findings;
        totals.failures += m.failures;
        next = i + 1;
        arm();
      });
      w.on('exit', () => {
        clearTimeout(timer);
        if (next === start) next++; // the worker died on its first file
        resolveRun();
      });
      w.on('error', () => {});
    });
  }
  totals.totalMs = totals.analyzeMs + totals.lintMs;
  totals.kept = docs.filter((_, i) => done.has(i));
  return totals;
}

async function workerMain() {
  const engine = await buildLintEngine();
  const parser = await engine.loadParser({
    treeSitter: readFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm')),
    python: readFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm')),
  });
  const docs = load(workerData.files);
  for (const d of docs.slice(0, 5)) engine.lintFileDetailed(engine.analyzeDetailed(parser, d.text, { fileName: d.file, dataflow: false }), d.text, {});
  parentPort.postMessage({ ready: true });
  docs.forEach((d, i) => {
    const t0 = performance.now();
    let detailed;
    try { detailed = engine.analyzeDetailed(parser, d.text, { fileName: d.file, dataflow: false }); } catch {
      parentPort.postMessage({ i, analyzeMs: 0, lintMs: 0, findings: 0, failures: 1 });
      return;
    }
    const t1 = performance.now();
    const r = engine.lintFileDetailed(detailed, d.text, {});
    const t2 = performance.now();
    parentPort.postMessage({ i, analyzeMs: t1 - t0, lintMs: t2 - t1, findings: r.findings.length, failures: r.notes.filter((n) => n.startsWith('lint rule')).length });
  });
}

export async function runLintBench({ maxStdlibFiles = Infinity, log = console.log } = {}) {
  const engine = await buildLintEngine();
  const parser = await engine.loadParser({
    treeSitter: readFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm')),
    python: readFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm')),
  });
  let ruff;
  try { ruff = require('@astral-sh/ruff-wasm-nodejs'); } catch (e) { log(`ruff-wasm unavailable: ${e.message}`); }

  const dlBase = load([
    ...pyFiles('/work/shared/corpus', { recursive: false }), ...pyFiles(join(projectRoot, 'test/oracle/models'), { recursive: false }),
    ...pyFiles(join(projectRoot, 'test/fixtures')), ...pyFiles(join(projectRoot, 'examples'), { recursive: false }),
  ]);
  const dl = [];
  while (dlBase.length && lineCount(dl) < 50_000) dl.push(...dlBase);
  const stdlib = load(pyFiles('/usr/lib/python3.11').slice(0, maxStdlibFiles));

  const sets = [
    { name: `deep-learning code (${dlBase.length} files x${dlBase.length ? Math.round(dl.length / dlBase.length) : 0})`, docs: dl, slice: dlBase.length },
    { name: '/usr/lib/python3.11', docs: stdlib, guarded: true },
  ];
  const results = [];
  for (const s of sets) {
    if (!s.docs.length) continue;
    let tl;
    let rf;
    let docs = s.docs;
    if (s.guarded) {
      // In a worker (a file that hangs is skipped), then Ruff on the files it finished.
      tl = await timeTensorLensGuarded(s.docs);
      docs = tl.kept;
      for (const f of tl.timedOut) log(`  skipped (engine did not finish within ${FILE_TIMEOUT_MS / 1000} s): ${f}`);
      if (ruff) {
        const r = ruffTimer(ruff);
        await r.warm(docs.slice(0, 100));
        r.run(docs);
        rf = r.totals;
      }
    } else {
      const t = tensorLensTimer(engine, parser);
      const r = ruff ? ruffTimer(ruff) : undefined;
      await timeTakingTurns(r ? [t, r] : [t], docs, s.slice);
      tl = t.totals;
      rf = r?.totals;
    }
    const lines = lineCount(docs);
    results.push({
      set: s.name, files: docs.length, lines, timedOut: tl.timedOut ?? [],
      tensorlens: {
        linesPerSec: Math.round(lines / (tl.totalMs / 1000)), lintOnlyLinesPerSec: Math.round(lines / (tl.lintMs / 1000)),
        parseOnlyLinesPerSec: tl.parseMs ? Math.round(lines / (tl.parseMs / 1000)) : undefined,
        totalMs: Math.round(tl.totalMs), analyzeMs: Math.round(tl.analyzeMs), lintMs: Math.round(tl.lintMs), parseMs: tl.parseMs ? Math.round(tl.parseMs) : undefined, findings: tl.findings, failures: tl.failures,
      },
      ruff: rf && { version: ruff.Workspace.version(), linesPerSec: Math.round(lines / (rf.totalMs / 1000)), totalMs: Math.round(rf.totalMs), findings: rf.findings },
    });
  }
  log('\nLint throughput (warm, one process; TensorLens = parse + evaluate + lint, lint-only = the rules alone, parse-only = the parse alone):');
  // The target (issue 4): at least Ruff's speed on the deep-learning set (the first set).
  const rows = [['set', 'files', 'lines', 'TensorLens lines/s', 'lint-only lines/s', 'parse-only lines/s', 'TensorLens ms', 'Ruff (wasm) lines/s', 'Ruff ms', 'rule failures', 'target']];
  results.forEach((r, i) => {
    if (i === 0 && r.ruff) r.target = { atLeastRuff: true, ratio: Math.round((r.tensorlens.linesPerSec / r.ruff.linesPerSec) * 100) / 100, met: r.tensorlens.linesPerSec >= r.ruff.linesPerSec };
    rows.push([r.set, r.files, r.lines, r.tensorlens.linesPerSec, r.tensorlens.lintOnlyLinesPerSec, r.tensorlens.parseOnlyLinesPerSec ?? 'n/a', r.tensorlens.totalMs,
      r.ruff?.linesPerSec ?? 'n/a', r.ruff?.totalMs ?? 'n/a', r.tensorlens.failures,
      r.target ? `>= Ruff: ${r.target.met ? 'ok' : 'MISS'} (${r.target.ratio}x)` : '-']);
  });
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  for (const r of rows) log(r.map((c, i) => String(c).padEnd(widths[i])).join('  '));
  const cli = cliLintTimes(dl.map((d) => d.file), lineCount(dl), log);
  if (cli && results[0]) results[0].cli = cli;
  return results;
}

/**
 * The `tensorlens lint` command end to end on the deep-learning set (a new process each run:
 * start-up and a cold JIT included), on one thread (--jobs 1) and on one worker thread per
 * core (--jobs N): what a CI job sees, and whether the pool pays on this machine (--jobs auto
 * takes one per two cores). Needs the bundle (dist/cli.js).
 */
function cliLintTimes(files, lines, log) {
  const cliPath = join(projectRoot, 'dist', 'cli.js');
  if (!existsSync(cliPath)) return undefined;
  const out = {};
  for (const jobs of ['1', String(Math.max(2, cpus().length))]) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [cliPath, 'lint', '--format', 'json', '--jobs', jobs, ...files], {
      encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, TENSORLENS_DEBUG: 'pool' },
    });
    const ms = performance.now() - t0;
    const threads = /on (\d+) worker threads/.exec(r.stderr ?? '')?.[1];
    out[jobs === '1' ? 'oneThread' : 'pool'] = { ms: Math.round(ms), linesPerSec: Math.round(lines / (ms / 1000)), threads: threads ? Number(threads) : 1, exitStatus: r.status };
  }
  log(`\nCLI end to end, deep-learning set (${files.length} files, ${lines} lines, a new process): --jobs 1 ${out.oneThread.linesPerSec} lines/s (${out.oneThread.ms} ms); ` +
    `--jobs ${out.pool.threads} (one worker thread per core, ${cpus().length} cores) ${out.pool.linesPerSec} lines/s (${out.pool.ms} ms)`);
  return out;
}

if (!isMainThread && workerData?.files) {
  workerMain();
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--max-stdlib-files');
  runLintBench({ maxStdlibFiles: i > 0 ? Number(process.argv[i + 1]) : Infinity }).catch((e) => {
    console.error(e?.stack ?? e);
    process.exit(1);
  });
}
