// Shared building blocks of the Keras layer catalogue: the base-layer `**kwargs`,
// signature helpers, data-format and padding readers, axis normalisation and
// parameter-count arithmetic. Families build their specs from these only.

import { type Dim, type Shape, dimsConflict, formatShape, isConcrete, prodDims } from '../../../shapes/dim';
import type { TensorV, Value } from '../../../eval/values';
import { type LayerArgs, type LayerSpec, type ParamCount, type ParamDef, ShapeError, out, tensorInput } from '../../spec';

/** Base-layer arguments (name, trainable, dtype, input_shape, input_dim, batch_input_shape...) land here. */
export const BASE_KWARGS: ParamDef = { name: 'kwargs', star: '**' };

/** A positional-or-keyword parameter; `def` undefined = required. */
export function p(name: string, ...def: [unknown?]): ParamDef {
  return def.length === 0 ? { name } : { name, default: def[0] };
}

/** A full Keras signature: the listed parameters followed by the base `**kwargs`. */
export function sig(...params: ParamDef[]): ParamDef[] {
  return [...params, BASE_KWARGS];
}

export const NO_PARAMS: ParamCount = { trainable: 0, nonTrainable: 0 };

/** Builds a Keras spec (the framework tag is filled in here). */
export function kerasLayer(def: Omit<LayerSpec, 'framework'>): LayerSpec {
  return { framework: 'keras', ...def };
}

/** Product of dims as a concrete count, or null when any factor is not known. */
export function countOf(...dims: Dim[]): number | null {
  const d = prodDims(dims);
  return isConcrete(d) ? d : null;
}

/** Sums counts; null when any part is null. */
export function sumCounts(...parts: Array<number | null>): number | null {
  let s = 0;
  for (const x of parts) {
    if (x === null) return null;
    s += x;
  }
  return s;
}

export function trainable(n: number | null): ParamCount {
  return { trainable: n, nonTrainable: 0 };
}

export function channelsFirst(a: LayerArgs): boolean {
  return a.str('data_format') === 'channels_first';
}

export function paddingMode(a: LayerArgs, name = 'padding'): 'valid' | 'same' | 'causal' {
  const s = (a.str(name) ?? 'valid').toLowerCase();
  return s === 'same' ? 'same' : s === 'causal' ? 'causal' : 'valid';
}

/** Marks a recurrent layer's last-step output (return_sequences=False) so that DL408 can name it. */
export function markLastStep<T extends TensorV>(t: T, rnn: string): T {
  return Object.assign(t, { lastStepOf: rnn });
}

/** The recurrent layer whose last step this tensor is (through shape-keeping layers), if any. */
export function lastStepOf(v: Value | undefined): string | undefined {
  return v ? (v as Value & { lastStepOf?: string }).lastStepOf : undefined;
}

/**
 * A rank error: DL408 when a 2-D last-step RNN output reaches a layer that needs a time
 * axis (a stacked RNN without return_sequences=True), else DL406.
 */
export function rankMismatch(layer: string, t: TensorV & { shape: Shape }, message: string, needsTime: boolean): ShapeError {
  const rnn = lastStepOf(t);
  if (rnn && needsTime && t.shape.length === 2) {
    return new ShapeError(`${message}: the ${rnn} before it returns only its last step; set return_sequences=True on it`, 'DL408', { layer, input: t.shape });
  }
  return new ShapeError(message, 'DL406', { layer, input: t.shape });
}

/** The input tensor with an exact rank, or a ShapeError naming the layer. */
export function rankedInput(inputs: Value[], rank: number, layer: string, i = 0): TensorV & { shape: Shape } {
  const t = tensorInput(inputs, i, layer);
  if (t.shape.length !== rank) {
    throw rankMismatch(layer, t, `${layer} expects a ${rank}-D input (batch included), got ${t.shape.length}-D ${formatShape(t.shape)}`, rank >= 3);
  }
  return t;
}

/** The input tensor with at least `min` dims. */
export function minRankInput(inputs: Value[], min: number, layer: string, i = 0): TensorV & { shape: Shape } {
  const t = tensorInput(inputs, i, layer);
  if (t.shape.length < min) {
    throw rankMismatch(layer, t, `${layer} expects an input of rank ≥ ${min}, got ${formatShape(t.shape)}`, min >= 3);
  }
  return t;
}

/** The input's shape when it is a tensor of known rank, else null (params of lazily built layers). */
export function inputShape(inputs: Value[] | undefined, i = 0): Shape | null {
  const t = inputs?.[i];
  return t && t.k === 'tensor' && t.shape ? t.shape : null;
}

/** The input's last dim (features / channels_last), or null. */
export function lastDimOf(inputs: Value[] | undefined, i = 0): Dim | null {
  const s = inputShape(inputs, i);
  return s && s.length > 0 ? s[s.length - 1] : null;
}

/** Python-style axis normalisation against a rank; ShapeError when out of range. */
export function normAxis(axis: number, rank: number, layer: string): number {
  const ax = axis < 0 ? axis + rank : axis;
  if (ax < 0 || ax >= rank) throw new ShapeError(`${layer}: axis ${axis} is out of range for a ${rank}-D input`, 'DL406', { layer });
  return ax;
}

/** A size that must be positive: provably ≤ 0 is a ShapeError (input too small for the kernel). */
export function positiveDim(d: Dim, layer: string, what: string): Dim {
  if (isConcrete(d) && d <= 0) throw new ShapeError(`${layer}: ${what} would be ${d} (input too small)`, 'DL405', { layer });
  return d;
}

/** Layout of a spatial tensor: batch, spatial dims and channels, per data_format. */
export interface SpatialLayout {
  batch: Dim;
  spatial: Dim[];
  channels: Dim;
}

export function splitSpatial(shape: Shape, first: boolean): SpatialLayout {
  if (first) return { batch: shape[0], channels: shape[1], spatial: shape.slice(2) };
  return { batch: shape[0], channels: shape[shape.length - 1], spatial: shape.slice(1, -1) };
}

export function joinSpatial(l: SpatialLayout, first: boolean): Shape {
  return first ? [l.batch, l.channels, ...l.spatial] : [l.batch, ...l.spatial, l.channels];
}

/** An output tensor, keeping the input's dtype. */
export function outLike(input: TensorV, shape: Shape): TensorV {
  return out(shape, input.dtype);
}

/** Identity forward for layers that keep the shape (dropout, noise, activations...). */
export function identityForward(layer: string) {
  return (_a: LayerArgs, inputs: Value[], _kwargs?: Map<string, Value>): Value => {
    const t = tensorInput(inputs, 0, layer);
    const o = outLike(t, t.shape);
    // Dropout, normalisation and activations keep a last-step RNN output what it is (DL408).
    const rnn = lastStepOf(t);
    return rnn ? markLastStep(o, rnn) : o;
  };
}

/** A list of tensors (merge / attention inputs): `layer([a, b])` or `layer(a, b)`. */
export function tensorList(inputs: Value[], layer: string): Array<TensorV & { shape: Shape }> {
  const first = inputs[0];
  const items = first && (first.k === 'list' || first.k === 'tuple') ? first.items : inputs;
  return items.map((_, i) => tensorInput(items, i, layer));
}

/** Throws when two dims are provably different. */
export function requireEqual(a: Dim, b: Dim, layer: string, what: string, code = 'DL406'): void {
  if (dimsConflict(a, b)) throw new ShapeError(`${layer}: ${what} do not match (${String(a)} vs ${String(b)})`, code, { layer });
}

/** Number of spatial entries of a tuple-or-int argument given as list of ints (for padding pairs). */
export function intPair(v: Value): [Dim, Dim] | null {
  if (v.k === 'int') return [v.v, v.v];
  if (v.k === 'tuple' || v.k === 'list') {
    if (v.items.length === 2 && v.items.every((x) => x.k === 'int')) return [(v.items[0] as { v: Dim }).v, (v.items[1] as { v: Dim }).v];
    if (v.items.length === 1 && v.items[0].k === 'int') return [v.items[0].v, v.items[0].v];
  }
  return null;
}
