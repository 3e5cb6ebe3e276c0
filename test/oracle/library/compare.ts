// Shared by the library oracle tests: runs test/oracle/oracle.py (real torch/torchvision,
// all files in one Python process) and compares a model's summary field by field.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ORACLE_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', 'oracle.py');
const PYTHON = process.env.TENSORLENS_ORACLE_PYTHON ?? '/usr/bin/python3';

export type Shape = Array<number | string | null>;
export interface Layer { path: string; type: string; output_shape: Shape | null; params: number | null }
export interface Model { name: string; output_shape: Shape | null; total_params: number; trainable_params: number; layers: Layer[] }
export interface OracleResult { file: string; models: Model[]; error?: string }

/**
 * Runs oracle.py over `files` (writing into `outFile`); results by base name, or the reason it
 * failed. Asynchronous: a many-minute spawnSync would starve vitest's worker RPC.
 */
export async function runOracle(files: string[], outFile: string): Promise<Map<string, OracleResult> | string> {
  if (!existsSync(PYTHON)) return `${PYTHON} not found (needs Debian's python3-torch and python3-torchvision)`;
  const stderr: string[] = [];
  const status = await new Promise<number | null>((resolve) => {
    const child = spawn(PYTHON, [ORACLE_SCRIPT, '--out', outFile, ...files], { stdio: ['ignore', 'ignore', 'pipe'] });
    const timer = setTimeout(() => child.kill(), 1_500_000);
    child.stderr.on('data', (d: Buffer) => {
      stderr.push(d.toString());
      if (stderr.length > 200) stderr.shift();
    });
    child.on('error', (e) => {
      stderr.push(e.message);
      clearTimeout(timer);
      resolve(null);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  if (!existsSync(outFile)) return `oracle.py produced no output (exit ${status}): ${stderr.join('').split('\n').slice(-15).join('\n')}`;
  const out = new Map<string, OracleResult>();
  for (const r of JSON.parse(readFileSync(outFile, 'utf8')) as OracleResult[]) out.set(r.file, r);
  return out;
}

const fmt = (v: unknown) => JSON.stringify(v);

/** Readable differences between torch's and the engine's summary (empty = agreement). */
export function compareModels(o: Model, e: Model): string[] {
  const problems: string[] = [];
  for (const k of ['output_shape', 'total_params', 'trainable_params'] as const) {
    if (fmt(o[k]) !== fmt(e[k])) problems.push(`${k}: torch ${fmt(o[k])} engine ${fmt(e[k])}`);
  }
  const n = Math.max(o.layers.length, e.layers.length);
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const a = o.layers[i];
    const b = e.layers[i];
    const ok = a && b && a.path === b.path && a.type === b.type && fmt(a.output_shape) === fmt(b.output_shape) && a.params === b.params;
    if (ok) continue;
    if (++bad <= 15) problems.push(`#${i} torch ${a ? `${a.path} ${a.type} ${fmt(a.output_shape)} ${a.params}` : '(none)'} | engine ${b ? `${b.path} ${b.type} ${fmt(b.output_shape)} ${b.params}` : '(none)'}`);
  }
  if (bad > 0) problems.push(`${bad} of ${n} rows differ (torch ${o.layers.length}, engine ${e.layers.length})`);
  return problems;
}
