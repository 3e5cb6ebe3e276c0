// Differential oracle test: real PyTorch (Debian's python3-torch 1.13) runs every model
// file in test/oracle/models/ and its numbers are the truth; the engine must agree with
// them field by field. See test/oracle/README.md.
//
// The oracle runs live, once, in beforeAll (nothing is cached in git). Missing
// /usr/bin/python3 or torch makes every test FAIL with the reason; it never skips.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const HERE = dirname(fileURLToPath(import.meta.url));
const MODELS_DIR = join(HERE, 'models');
const ORACLE_SCRIPT = join(HERE, 'oracle.py');
/** Debian's interpreter, the one with python3-torch; the `python3` on PATH may have no torch. */
const PYTHON = process.env.TENSORLENS_ORACLE_PYTHON ?? '/usr/bin/python3';
const MODEL_FILES = readdirSync(MODELS_DIR).filter((f) => f.endsWith('.py')).sort();

// ---- shapes of the two JSON documents -------------------------------------------------

type Dim = number | string | null;
type Shape = Dim[];

interface OracleLayer {
  path: string;
  type: string;
  output_shape: Shape | null;
  params: number;
}
interface OracleModel {
  name: string;
  input_shapes: number[][];
  output_shape: Shape | null;
  total_params: number;
  trainable_params: number;
  layers: OracleLayer[];
}
interface OracleFile {
  file: string;
  framework: 'pytorch';
  oracle: string;
  models: OracleModel[];
  error?: string;
  traceback?: string;
}

/** The part of the engine's `toSummaryJson` output (DESIGN.md contract) compared here. */
interface EngineLayer {
  path: string;
  type: string;
  output_shape: Shape | null;
  params: number | null;
}
interface EngineModel {
  name: string;
  input_shapes?: Shape[];
  input_source?: string;
  output_shape: Shape | null;
  total_params: number;
  trainable_params: number;
  layers: EngineLayer[];
}
interface EngineSummary {
  file: string;
  framework: string;
  models: EngineModel[];
}
interface EngineOptions {
  fileName?: string;
  model?: string;
  inputShapes?: Array<Array<number | null>>;
}
type RunEngine = (text: string, options: EngineOptions) => EngineSummary;

// ---- state filled by beforeAll --------------------------------------------------------

let oracleError: string | undefined;
let engineError: string | undefined;
let runEngine: RunEngine | undefined;
const oracleByFile = new Map<string, OracleFile>();
let workDir: string | undefined;
const scoreboard: Array<{ file: string; mode: 'given' | 'discovery'; ok: boolean }> = [];

function runOracle(): void {
  if (!existsSync(PYTHON)) {
    oracleError =
      `Oracle interpreter ${PYTHON} not found. The differential tests need Debian's Python with ` +
      `PyTorch 1.13 (apt-get install python3-torch), or TENSORLENS_ORACLE_PYTHON pointing at a Python with torch.`;
    return;
  }
  const probe = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 120_000 });
  if (probe.status !== 0) {
    oracleError =
      `${PYTHON} cannot import torch (apt-get install python3-torch):\n` +
      (probe.error?.message ?? '') + (probe.stderr ?? '').split('\n').slice(-5).join('\n');
    return;
  }
  workDir = mkdtempSync(join(tmpdir(), 'tensorlens-oracle-'));
  const out = join(workDir, 'oracle.json');
  const files = MODEL_FILES.map((f) => join(MODELS_DIR, f));
  const run = spawnSync(PYTHON, [ORACLE_SCRIPT, '--out', out, ...files], {
    encoding: 'utf8',
    timeout: 280_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (!existsSync(out)) {
    oracleError =
      `oracle.py produced no output (exit ${run.status}${run.signal ? `, signal ${run.signal}` : ''}):\n` +
      (run.error?.message ?? '') + (run.stderr ?? '').split('\n').slice(-20).join('\n');
    return;
  }
  const results = JSON.parse(readFileSync(out, 'utf8')) as OracleFile[];
  for (const r of results) oracleByFile.set(r.file, r);
}

/** TENSORLENS_ORACLE_SELFTEST=1: the "engine" echoes the oracle, to check the harness itself. */
function selfTestEngine(): RunEngine {
  return (_text, options) => {
    const file = oracleByFile.get(options.fileName ?? '');
    const models = (file?.models ?? []).filter((m) => !options.model || m.name === options.model);
    return { file: options.fileName ?? '', framework: 'pytorch', models: JSON.parse(JSON.stringify(models)) as EngineModel[] };
  };
}

async function loadEngine(): Promise<void> {
  if (process.env.TENSORLENS_ORACLE_SELFTEST === '1') {
    runEngine = selfTestEngine();
    return;
  }
  try {
    const { nodeAnalyzer } = await import('../../src/node/wasm');
    const core = await import('../../src/core/index');
    const analyzer = await nodeAnalyzer();
    runEngine = (text, options) => core.toSummaryJson(analyzer.analyze(text, options)) as unknown as EngineSummary;
  } catch (e) {
    engineError = `The engine could not be loaded (src/node/wasm + src/core/index): ${e instanceof Error ? e.message : String(e)}`;
  }
}

beforeAll(async () => {
  runOracle();
  await loadEngine();
}, 300_000);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  if (scoreboard.length > 0) {
    const count = (mode: 'given' | 'discovery') => {
      const rows = scoreboard.filter((s) => s.mode === mode);
      return `${rows.filter((s) => s.ok).length}/${rows.length}`;
    };
    console.log(`[oracle] files agreeing with torch: given inputs ${count('given')}, discovered inputs ${count('discovery')}`);
  }
});

// ---- comparison helpers ---------------------------------------------------------------

const fmtShape = (s: Shape | null | undefined): string =>
  s === undefined ? '—' : s === null ? 'null' : `[${s.map((d) => (typeof d === 'string' ? JSON.stringify(d) : String(d))).join(', ')}]`;
const fmtNum = (n: number | null | undefined): string => (n === undefined ? '—' : n === null ? 'null' : n.toLocaleString('en-US'));
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function oracleFor(file: string): OracleFile {
  if (oracleError) throw new Error(oracleError);
  const r = oracleByFile.get(file);
  if (!r) throw new Error(`oracle.py returned nothing for ${file}`);
  if (r.error) throw new Error(`oracle.py could not run ${file} (fix the model file): ${r.error}\n${r.traceback ?? ''}`);
  return r;
}

function engine(): RunEngine {
  if (!runEngine) throw new Error(engineError ?? 'engine not loaded');
  return runEngine;
}

function layerCell(l: OracleLayer | EngineLayer | undefined): string {
  if (!l) return '(none)';
  return `${l.path || '(root)'} ${l.type} ${fmtShape(l.output_shape)} ${fmtNum(l.params)}`;
}

/** Field-by-field comparison; returns readable problem lines (empty = agreement). */
function compareModel(o: OracleModel, e: EngineModel): string[] {
  const problems: string[] = [];
  const field = (name: string, ov: unknown, ev: unknown, fmt: (v: never) => string) => {
    if (!same(ov, ev)) problems.push(`  ${name}: torch ${fmt(ov as never)}  engine ${fmt(ev as never)}`);
  };
  field('output_shape', o.output_shape, e.output_shape, fmtShape);
  field('total_params', o.total_params, e.total_params, fmtNum);
  field('trainable_params', o.trainable_params, e.trainable_params, fmtNum);

  const el = e.layers ?? [];
  const n = Math.max(o.layers.length, el.length);
  const rows: string[] = [];
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const a = o.layers[i];
    const b = el[i];
    const diffs: string[] = [];
    if (!a || !b) diffs.push(a ? 'missing in engine' : 'extra in engine');
    else {
      if (a.path !== b.path) diffs.push('path');
      if (a.type !== b.type) diffs.push('type');
      if (!same(a.output_shape, b.output_shape)) diffs.push('output_shape');
      if (a.params !== b.params) diffs.push('params');
    }
    if (diffs.length === 0) continue;
    bad++;
    if (rows.length < 40) rows.push(`  ✗ #${i}  torch: ${layerCell(a)}\n        engine: ${layerCell(b)}   (${diffs.join(', ')})`);
  }
  if (bad > 0) {
    problems.push(`  layers: ${bad} of ${n} rows differ (torch ${o.layers.length} rows, engine ${el.length})`);
    problems.push(...rows);
    if (bad > rows.length) problems.push(`  ... and ${bad - rows.length} more rows`);
  }
  return problems;
}

function describeEngineModels(summary: EngineSummary): string {
  return summary.models.map((m) => `${m.name} ${(m.input_shapes ?? []).map(fmtShape).join(' + ')}`).join('; ') || '(none)';
}

// ---- the tests ------------------------------------------------------------------------

describe('oracle (real PyTorch)', () => {
  it('runs every model file', () => {
    if (oracleError) throw new Error(oracleError);
    const failed = MODEL_FILES.filter((f) => !oracleByFile.get(f) || oracleByFile.get(f)?.error);
    expect(failed.map((f) => `${f}: ${oracleByFile.get(f)?.error ?? 'missing'}`)).toEqual([]);
    expect(MODEL_FILES.length).toBeGreaterThanOrEqual(34);
  });

  it('is sane: LeNet-5 has 61,706 parameters', () => {
    const lenet = oracleFor('lenet_classic.py').models[0];
    expect(lenet.name).toBe('LeNet');
    expect(lenet.total_params).toBe(61706);
    expect(lenet.output_shape).toEqual([4, 10]);
  });
});

describe('engine vs torch, given input shapes', () => {
  it.each(MODEL_FILES)('%s', (file) => {
    const truth = oracleFor(file);
    const text = readFileSync(join(MODELS_DIR, file), 'utf8');
    const report: string[] = [];
    for (const om of truth.models) {
      let summary: EngineSummary;
      try {
        summary = engine()(text, { fileName: file, model: om.name, inputShapes: om.input_shapes });
      } catch (e) {
        report.push(`${om.name} (input ${om.input_shapes.map(fmtShape).join(' + ')}): engine threw ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        continue;
      }
      let em = summary.models.find((m) => m.name === om.name);
      const problems: string[] = [];
      if (!em && summary.models.length === 1) {
        em = summary.models[0];
        problems.push(`  name: torch ${om.name}  engine ${em.name}`);
      }
      if (!em) {
        report.push(`${om.name}: the engine returned no such model (it returned: ${describeEngineModels(summary)})`);
        continue;
      }
      problems.push(...compareModel(om, em));
      if (problems.length > 0) report.push(`${om.name} (input ${om.input_shapes.map(fmtShape).join(' + ')}):\n${problems.join('\n')}`);
    }
    scoreboard.push({ file, mode: 'given', ok: report.length === 0 });
    if (report.length > 0) throw new Error(`${file}: engine disagrees with torch\n${report.join('\n')}`);
  });
});

describe('engine vs torch, input shapes discovered from the file', () => {
  it.each(MODEL_FILES)('%s', (file) => {
    const truth = oracleFor(file);
    const text = readFileSync(join(MODELS_DIR, file), 'utf8');
    let summary: EngineSummary;
    try {
      summary = engine()(text, { fileName: file });
    } catch (e) {
      scoreboard.push({ file, mode: 'discovery', ok: false });
      throw new Error(`${file}: engine threw in discovery mode: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
    const report: string[] = [];
    for (const om of truth.models) {
      const em = summary.models.find((m) => m.name === om.name);
      if (!em) {
        report.push(`  ${om.name}: not found (engine models: ${describeEngineModels(summary)})`);
        continue;
      }
      if (!same(om.input_shapes, em.input_shapes)) {
        report.push(
          `  ${om.name}: input_shapes torch ${om.input_shapes.map(fmtShape).join(' + ')}  ` +
            `engine ${(em.input_shapes ?? []).map(fmtShape).join(' + ') || '(none)'} (source: ${em.input_source ?? '?'})`,
        );
      }
    }
    scoreboard.push({ file, mode: 'discovery', ok: report.length === 0 });
    if (report.length > 0) throw new Error(`${file}: discovered inputs differ from the file's example call\n${report.join('\n')}`);
  });
});
