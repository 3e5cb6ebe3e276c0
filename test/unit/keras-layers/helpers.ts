// Test helpers for the Keras layer catalogue: bind a call like Python would, feed
// abstract tensors with Keras' symbolic None batch, read shapes back as JSON.

import { sym, shapeToJson, type Dim } from '../../../src/core/shapes/dim';
import { type InstanceV, type Value, int, tensor, tuple, list, str, bool, float, NONE } from '../../../src/core/eval/values';
import { LayerArgs, bindArgs, type LayerSpec, type ParamCount } from '../../../src/core/frameworks/spec';
import { kerasLayerSpec } from '../../../src/core/frameworks/keras/layers';

export { int, tuple, list, str, bool, float, NONE, tensor };

export const NONE_BATCH = sym('None');

/** A float tensor (None, ...dims). */
export function t(...dims: Dim[]) {
  return tensor([NONE_BATCH, ...dims]);
}

export function specOf(name: string): LayerSpec {
  const s = kerasLayerSpec(name);
  if (!s) throw new Error(`no Keras spec ${name}`);
  return s;
}

/** Plain JS keyword values become Values: numbers, strings, booleans, arrays (tuples), null. */
export function v(x: unknown): Value {
  if (x === null) return NONE;
  if (typeof x === 'number') return Number.isInteger(x) ? int(x) : float(x);
  if (typeof x === 'string') return str(x);
  if (typeof x === 'boolean') return bool(x);
  if (Array.isArray(x)) return tuple(x.map(v));
  return x as Value;
}

export function args(name: string, pos: unknown[] = [], kw: Record<string, unknown> = {}): LayerArgs {
  const spec = specOf(name);
  return new LayerArgs(bindArgs(spec.signature, pos.map(v), new Map(Object.entries(kw).map(([k, x]) => [k, v(x)]))), spec.name);
}

/** A layer instance value as the interpreter passes it to wrappers (Bidirectional, TimeDistributed). */
export function instance(name: string, pos: unknown[] = [], kw: Record<string, unknown> = {}): InstanceV {
  const spec = specOf(name);
  const a = args(name, pos, kw);
  return { k: 'instance', cls: { k: 'class', name, qualname: `keras.layers.${name}`, bases: [], attrs: new Map(), spec, family: 'keras' }, attrs: new Map(), id: 1, layer: { spec, args: a.values } };
}

export interface Run {
  shape: Array<number | string | null> | null;
  out: Value;
  params: ParamCount;
}

/** Constructs `name(*pos, **kw)` and calls it on `inputs`: output shape (JSON) and params. */
export function run(name: string, pos: unknown[], kw: Record<string, unknown>, inputs: Value[], callKw: Record<string, unknown> = {}): Run {
  const spec = specOf(name);
  const a = args(name, pos, kw);
  const o = spec.forward(a, inputs, new Map(Object.entries(callKw).map(([k, x]) => [k, v(x)])));
  return { out: o, shape: o.k === 'tensor' ? shapeToJson(o.shape) : null, params: spec.params(a, inputs) };
}

/** Shapes of a list / tuple output (RNN states, attention scores). */
export function shapes(o: Value): Array<Array<number | string | null> | null> {
  if (o.k === 'list' || o.k === 'tuple') return o.items.map((x) => (x.k === 'tensor' ? shapeToJson(x.shape) : null));
  return [o.k === 'tensor' ? shapeToJson(o.shape) : null];
}

export function total(p: ParamCount): number | null {
  return p.trainable === null ? null : p.trainable + p.nonTrainable;
}
