// Test helpers for the torch.nn layer specs: build LayerArgs from Python-like literals,
// run a spec's forward and compare shape / params / MACs with values recorded from torch.

import { expect } from 'vitest';
import { TORCH_LAYERS } from '../../../src/core/frameworks/torch/layers';
import { type LayerSpec, LayerArgs, ShapeError, bindArgs } from '../../../src/core/frameworks/spec';
import { type Shape, formatDim } from '../../../src/core/shapes/dim';
import { type Value, NONE, bool, float, int, str, tensor, tuple } from '../../../src/core/eval/values';

/** A Python literal as the generator wrote it: floats as {f}, tuples as arrays. */
export type Py = number | string | boolean | null | { f: number } | Py[];
export type InputSpec = number[] | { shape: number[]; dtype: string; offsets?: boolean } | null;
export type Expected = number[] | { t: Expected[] } | null;

export interface TorchCase {
  layer: string;
  args: Py[];
  kwargs?: Record<string, Py>;
  inputs: InputSpec[];
  fwd?: Record<string, Py>;
  shape?: Expected;
  params?: number;
  macs?: number;
  error?: string;
}

export function py(v: Py): Value {
  if (v === null) return NONE;
  if (typeof v === 'boolean') return bool(v);
  if (typeof v === 'number') return Number.isInteger(v) ? int(v) : float(v);
  if (typeof v === 'string') return str(v);
  if (Array.isArray(v)) return tuple(v.map(py));
  return float(v.f);
}

export function spec(name: string): LayerSpec {
  const s = TORCH_LAYERS.find((x) => x.name === name);
  if (!s) throw new Error(`no torch spec ${name}`);
  return s;
}

/** `new LayerArgs(bindArgs(...))` from Python-like positional and keyword arguments. */
export function layerArgs(s: LayerSpec, args: Py[], kwargs: Record<string, Py> = {}): LayerArgs {
  return new LayerArgs(bindArgs(s.signature, args.map(py), new Map(Object.entries(kwargs).map(([k, v]) => [k, py(v)]))), s.name);
}

export function inputValue(i: InputSpec): Value {
  if (i === null) return NONE;
  if (Array.isArray(i)) return tensor(i);
  return tensor(i.shape, i.dtype);
}

/** Output value in the generator's form; symbolic dims print as text. */
export function describe(v: Value): unknown {
  if (v.k === 'none') return null;
  if (v.k === 'tensor') return v.shape ? v.shape.map((d) => (typeof d === 'number' ? d : formatDim(d))) : 'rank?';
  if (v.k === 'tuple') return { t: v.items.map(describe) };
  return `<${v.k}>`;
}

export interface RunResult {
  output: Value;
  params: number | null;
  macs: number | null | undefined;
}

/** Runs one layer: constructor args, inputs (shapes or Values), forward kwargs. */
export function run(name: string, args: Py[], kwargs: Record<string, Py>, inputs: Array<InputSpec | Value>, fwd: Record<string, Py> = {}): RunResult {
  const s = spec(name);
  const a = layerArgs(s, args, kwargs);
  const ins = inputs.map((i) => (i !== null && typeof i === 'object' && 'k' in i ? (i as Value) : inputValue(i as InputSpec)));
  const output = s.forward(a, ins, new Map(Object.entries(fwd).map(([k, v]) => [k, py(v)])));
  return { output, params: s.params(a, ins).trainable, macs: s.macs?.(a, ins, output) };
}

/** Like `run`, with constructor arguments already as Values (symbolic ints and the like). */
export function runValues(name: string, args: Value[], kwargs: Record<string, Value>, inputs: Value[]): RunResult {
  const s = spec(name);
  const a = new LayerArgs(bindArgs(s.signature, args, new Map(Object.entries(kwargs))), s.name);
  const output = s.forward(a, inputs, new Map());
  return { output, params: s.params(a, inputs).trainable, macs: s.macs?.(a, inputs, output) };
}

export function caseLabel(c: TorchCase): string {
  const kw = Object.entries(c.kwargs ?? {}).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  const fwd = Object.entries(c.fwd ?? {}).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  const ins = c.inputs.map((i) => JSON.stringify(Array.isArray(i) ? i : i?.shape));
  return `${c.layer}(${[...c.args.map((x) => JSON.stringify(x)), ...kw].join(', ')})(${[...ins, ...fwd].join(', ')})`;
}

/** Asserts a recorded torch case: same output shape(s), params and MACs, or a ShapeError. */
export function checkCase(c: TorchCase): void {
  if (c.error !== undefined) {
    expect(() => run(c.layer, c.args, c.kwargs ?? {}, c.inputs, c.fwd)).toThrow(ShapeError);
    return;
  }
  const r = run(c.layer, c.args, c.kwargs ?? {}, c.inputs, c.fwd);
  expect(describe(r.output)).toEqual(c.shape);
  expect(r.params).toBe(c.params);
  expect(r.macs).toBe(c.macs);
}

/** The first output tensor's shape. */
export function shapeOf(v: Value): Shape | null {
  if (v.k === 'tensor') return v.shape;
  if (v.k === 'tuple' && v.items.length > 0) return shapeOf(v.items[0]);
  return null;
}
