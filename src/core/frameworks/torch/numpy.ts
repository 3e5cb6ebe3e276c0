// numpy array functions PyTorch model code calls while it builds its parameters and
// buffers (SincNet's mel-spaced filter banks, Glow's triangular masks, position tables):
// arrays share the tensor form (torch.from_numpy keeps their shape), so each function maps
// onto the torch op of the same meaning with numpy's argument names (`num`, `axis`, `k`)
// and numpy's result dtype (float64 where torch would give float32). Only the shapes are
// modelled; a function not listed here stays unknown.

import { type Value, float, tensor, unknown } from '../../eval/values';
import { LayerArgs, type OpSpec, type ParamDef, bindArgs } from '../spec';
import { P, TORCH_OPS } from './functional';
import { sameValues } from './constants';

type ArgMap = Record<string, Value>;

/** Calls torch `name` with arguments already named for it. */
function torchCall(name: string, args: ArgMap, owner: LayerArgs): Value {
  const op = TORCH_OPS.get(`torch.${name}`);
  if (!op) return unknown(`torch.${name} is not modelled`);
  const bound = bindArgs(op.signature, [], new Map(Object.entries(args)));
  return op.call(new LayerArgs(bound, owner.owner));
}

/** numpy's dtype for data of Python numbers: int64 for ints and bools as ints, float64 as soon as one is a float. */
function numericDtype(values: Value[]): string {
  return values.some((v) => v.k === 'float' || (v.k === 'tensor' && /^float/.test(v.dtype))) ? 'float64' : 'int64';
}

function flatItems(v: Value): Value[] {
  return v.k === 'list' || v.k === 'tuple' ? v.items.flatMap(flatItems) : [v];
}

/** The result with numpy's dtype when it is a tensor (shapes come from the torch rule; known element values stay). */
function withDtype(v: Value, dtype: string | null): Value {
  return v.k === 'tensor' && dtype ? sameValues(v, tensor(v.shape, dtype)) : v;
}

const given = (a: LayerArgs, name: string): Value | undefined => (a.isNone(name) ? undefined : a.raw(name));

const ENTRIES: Array<[string, ParamDef[], (a: LayerArgs) => Value]> = [
  // linspace(start, stop, num=50): float64 of `num` values.
  ['linspace', [P('start'), P('stop'), P('num', 50), P('endpoint', true), P('retstep', false), P('dtype', null), P('axis', 0)], (a) =>
    withDtype(torchCall('linspace', { start: a.raw('start'), end: a.raw('stop'), steps: a.raw('num') }, a), 'float64')],
  ['logspace', [P('start'), P('stop'), P('num', 50), P('endpoint', true), P('base', 10.0), P('dtype', null), P('axis', 0)], (a) =>
    withDtype(torchCall('logspace', { start: a.raw('start'), end: a.raw('stop'), steps: a.raw('num') }, a), 'float64')],
  // arange([start,] stop[, step]): int64 when every bound is an int, else float64.
  ['arange', [{ name: 'args', star: '*' }, P('dtype', null)], (a) => {
    const args = a.raw('args');
    const items = args.k === 'tuple' ? args.items : [];
    const out = TORCH_OPS.get('torch.arange')!.call(new LayerArgs(bindArgs(TORCH_OPS.get('torch.arange')!.signature, items, new Map()), a.owner));
    return withDtype(out, numericDtype(items));
  }],
  // array(object) / asarray: the nested lists' shape (an array passed in keeps its own).
  ...(['array', 'asarray', 'asanyarray', 'ascontiguousarray'] as const).map((name): [string, ParamDef[], (a: LayerArgs) => Value] => [name, [P('object'), P('dtype', null)], (a) => {
    const data = a.raw('object');
    if (data.k === 'tensor') return data;
    return withDtype(torchCall('tensor', { data }, a), numericDtype(flatItems(data)));
  }]),
  ['diff', [P('a'), P('n', 1), P('axis', -1)], (a) => torchCall('diff', { input: a.raw('a'), n: a.raw('n'), dim: a.raw('axis') }, a)],
  ['triu', [P('m'), P('k', 0)], (a) => torchCall('triu', { input: a.raw('m'), diagonal: a.raw('k') }, a)],
  ['tril', [P('m'), P('k', 0)], (a) => torchCall('tril', { input: a.raw('m'), diagonal: a.raw('k') }, a)],
  ['diag', [P('v'), P('k', 0)], (a) => torchCall('diag', { input: a.raw('v'), diagonal: a.raw('k') }, a)],
  ['eye', [P('N'), P('M', null), P('k', 0), P('dtype', null)], (a) => withDtype(torchCall('eye', { n: a.raw('N'), ...(given(a, 'M') ? { m: a.raw('M') } : {}) }, a), 'float64')],
  // concatenate / stack along `axis` (concatenate's axis=None flattens first: not modelled).
  ['concatenate', [P('arrays'), P('axis', 0)], (a) => (a.isNone('axis') ? unknown('numpy.concatenate(axis=None)') : torchCall('cat', { tensors: a.raw('arrays'), dim: a.raw('axis') }, a))],
  ['stack', [P('arrays'), P('axis', 0)], (a) => torchCall('stack', { tensors: a.raw('arrays'), dim: a.raw('axis') }, a)],
  ['outer', [P('a'), P('b')], (a) => torchCall('outer', { input: a.raw('a'), vec2: a.raw('b') }, a)],
  ['expand_dims', [P('a'), P('axis')], (a) => torchCall('unsqueeze', { input: a.raw('a'), dim: a.raw('axis') }, a)],
  // flip keeps the shape (axis=None flips every axis).
  ['flip', [P('m'), P('axis', null)], (a) => {
    const m = a.raw('m');
    return m.k === 'tensor' ? tensor(m.shape, m.dtype) : unknown('numpy.flip of a non-array');
  }],
  // Elementwise trigonometry (sqrt, log, exp... are builtins): a number gives a float, an array keeps its shape.
  ...([['sin', Math.sin], ['cos', Math.cos], ['tan', Math.tan], ['tanh', Math.tanh], ['arctan', Math.atan]] as const).map(([name, f]): [string, ParamDef[], (a: LayerArgs) => Value] => [name, [P('x')], (a) => {
    const x = a.raw('x');
    if (x.k === 'tensor') return tensor(x.shape, /^float/.test(x.dtype) ? x.dtype : 'float64');
    if ((x.k === 'int' || x.k === 'float') && typeof x.v === 'number') return float(f(x.v));
    return unknown(`numpy.${name}()`);
  }]),
];

/** `numpy.<name>` → its model, for the torch runtime's path resolution. */
export const NUMPY_OPS: ReadonlyMap<string, OpSpec> = new Map(
  ENTRIES.map(([name, signature, fn]) => [`numpy.${name}`, { name: `numpy.${name}`, signature, call: (a: LayerArgs) => fn(a) }]),
);
