// Shared building blocks of the torch.nn layer tables: signature fragments, input
// checks that raise ShapeError only on a provable mismatch, channels-first layout
// splitting, parameter-count helpers and torchinfo's MACs convention.

import {
  type Dim,
  type Shape,
  UNKNOWN_DIM,
  addDims,
  dimsConflict,
  floorDivDims,
  formatDim,
  formatShape,
  isUnknownDim,
  mulDims,
  prodDims,
} from '../../../shapes/dim';
import { broadcastShapes as broadcastShared, normDim as normDimShared } from '../../../shapes/broadcast';
import type { TensorV, Value } from '../../../eval/values';
import { NONE, tensor, unknown } from '../../../eval/values';
import {
  type Equivalent,
  type LayerSpec,
  type ParamCount,
  type ParamDef,
  LayerArgs,
  ShapeError,
  bindArgs,
  out,
} from '../../spec';

export type KnownTensor = TensorV & { shape: Shape };

/** `device=None, dtype=None`: the factory kwargs that close most torch.nn signatures. */
export const FACTORY_KWARGS: ParamDef[] = [
  { name: 'device', default: null },
  { name: 'dtype', default: null },
];

/** The torch.nn layer spec without the constant `framework` field. */
export type TorchLayerDef = Omit<LayerSpec, 'framework' | 'forward'> & {
  /**
   * Shape rule on known-rank tensors. The wrapper built by `defineLayer` has already
   * turned Unknown / rank-unknown inputs into an Unknown-ish output, so `forward` only
   * sees tensors whose rank is known (at the positions listed in `tensorInputs`).
   */
  forward(a: LayerArgs, inputs: Value[], kwargs: Map<string, Value>): Value;
  /** Input positions that must be tensors of known rank (default [0]). */
  tensorInputs?: number[];
  /** What to return when an input's rank is unknown (default: a rank-unknown tensor). */
  unknownOutput?(a: LayerArgs, kwargs: Map<string, Value>): Value;
};

/**
 * Wraps a table entry into a LayerSpec. An input that is Unknown stays Unknown (the reason
 * travels on); an input of unknown rank gives an output of unknown rank: neither is a
 * shape error, since nothing is proven wrong.
 */
export function defineLayer(def: TorchLayerDef): LayerSpec {
  const positions = def.tensorInputs ?? [0];
  const { tensorInputs: _t, unknownOutput, ...rest } = def;
  return {
    ...rest,
    framework: 'torch',
    // Parameterless layers count 0; layers whose parameters are all `weight` / `bias` on a
    // non-conv class follow torchinfo's first-output-dim rule. Others override.
    macs: rest.macs ?? torchinfoMacs('dense', (a) => rest.params(a)),
    forward(a, inputs, kwargs) {
      for (const i of positions) {
        const v = inputs[i];
        if (v === undefined) throw new ShapeError(`${def.name} expects ${positions.length > 1 ? `${positions.length} input tensors` : 'an input tensor'}`, 'DL406');
        if (v.k === 'unknown') return v;
        if (v.k !== 'tensor') {
          const rnn = rnnOutputOf(v);
          if (rnn) throw new ShapeError(`${def.name} got ${rnnTupleMisuse(rnn, 'where a tensor was expected')}`, 'DL407', { layer: def.name });
          throw new ShapeError(`${def.name} got a ${v.k} where a tensor was expected`, 'DL406');
        }
        if (!v.shape) return unknownOutput ? unknownOutput(a, kwargs) : tensor(null, v.dtype);
      }
      return def.forward(a, inputs, kwargs);
    },
  };
}

/** The input at position i, already checked by `defineLayer`. */
export function inputAt(inputs: Value[], i = 0): KnownTensor {
  return inputs[i] as KnownTensor;
}

/** An optional tensor input (`hx`, `offsets`): undefined when absent or None, null when unknown. */
export function optionalTensor(v: Value | undefined): KnownTensor | null | undefined {
  if (v === undefined || v.k === 'none') return undefined;
  if (v.k === 'tensor' && v.shape) return v as KnownTensor;
  return null;
}

/** Binds a forward() call against the module's forward signature (after `input`). */
export function bindForward(owner: string, sig: ParamDef[], inputs: Value[], kwargs: Map<string, Value>): LayerArgs {
  return new LayerArgs(bindArgs(sig, inputs, kwargs), owner);
}

export function rankError(owner: string, expected: string, t: KnownTensor): ShapeError {
  return new ShapeError(`${owner} expects a ${expected} input, but got a ${t.shape.length}-D input ${formatShape(t.shape)}`, 'DL406', { layer: owner, input: t.shape });
}

/**
 * The rule a disagreeing constructor argument belongs to: feature sizes of the last dim are
 * DL401 (dense in_features), channel counts DL402 (docs/pitfalls.md §4).
 */
const ARG_CODES: Record<string, string> = {
  in_features: 'DL401',
  in1_features: 'DL401',
  in2_features: 'DL401',
  input_size: 'DL401',
  embed_dim: 'DL401',
  kdim: 'DL401',
  vdim: 'DL401',
  in_channels: 'DL402',
  num_features: 'DL402',
  num_channels: 'DL402',
  num_parameters: 'DL402',
};

/**
 * Marks a tuple as the `(output, state)` result of an RNN-family module (DL407 reads it
 * back). The output tensor carries the mark too: runtimes may rebuild the tuple around it.
 */
export function markRnnOutput<T extends Value>(v: T, kind: string): T {
  if (v.k === 'tuple' && v.items[0]) Object.assign(v.items[0], { rnnOutputOf: kind });
  return Object.assign(v, { rnnOutputOf: kind });
}

/** The RNN class that produced this tuple, when it is a never-unpacked RNN result. */
/** The (output, state) tuple an RNN returned, used as a tensor (DL407): `the (output, h_n) tuple returned by GRU <what>: unpack it first (...)`. */
export function rnnTupleMisuse(rnn: string, what: string): string {
  return `the ${rnn === 'LSTM' ? '(output, (h_n, c_n))' : '(output, h_n)'} tuple returned by ${rnn} ${what}: unpack it first (\`out, _ = ${rnn.toLowerCase()}(x)\`)`;
}

export function rnnOutputOf(v: Value): string | undefined {
  const own = (v as Value & { rnnOutputOf?: string }).rnnOutputOf;
  if (own || v.k !== 'tuple' || !v.items[0]) return own;
  return (v.items[0] as Value & { rnnOutputOf?: string }).rnnOutputOf;
}

/** Throws unless the rank is one of `ranks`. */
export function expectRank(owner: string, t: KnownTensor, ranks: number[]): void {
  if (!ranks.includes(t.shape.length)) throw rankError(owner, describeRanks(ranks), t);
}

export function describeRanks(ranks: number[]): string {
  return ranks.length === 1 ? `${ranks[0]}-D` : `${ranks.slice(0, -1).join('-D, ')}-D or ${ranks[ranks.length - 1]}-D`;
}

/**
 * Throws when `actual` is provably different from `expected`. `where` names the dim; the
 * code follows the argument (ARG_CODES) unless given. The message always reads
 * `<Layer> expected <arg>=<value> but the input has <value> (<where>)`.
 */
export function expectDim(owner: string, argName: string, expected: Dim, actual: Dim, where: string, input?: Shape, code?: string): void {
  if (dimsConflict(expected, actual)) {
    throw new ShapeError(`${owner} expected ${argName}=${formatDim(expected)} but the input has ${formatDim(actual)} (${where})`, code ?? ARG_CODES[argName] ?? 'DL406', {
      layer: owner,
      arg: argName,
      expected,
      actual,
      input,
    });
  }
}

/** Python's negative-index normalisation of a `dim` argument (shapes/broadcast.ts); ShapeError when out of range. */
export function normDim(owner: string, dim: number, rank: number): number {
  try {
    return normDimShared(dim, rank, owner);
  } catch (e) {
    if (e instanceof ShapeError && !e.code) throw new ShapeError(e.message, 'DL406', { layer: owner });
    throw e;
  }
}

/**
 * Channels-first layout with an optional batch dim, as conv / pool / padding layers take
 * it: rank n+2 is (N, C, *spatial), rank n+1 is unbatched (C, *spatial).
 */
export interface ChannelsFirst {
  lead: Dim[];
  channels: Dim;
  spatial: Dim[];
}

export function splitChannelsFirst(owner: string, t: KnownTensor, nSpatial: number, allowUnbatched = true): ChannelsFirst {
  const r = t.shape.length;
  const ranks = allowUnbatched ? [nSpatial + 1, nSpatial + 2] : [nSpatial + 2];
  if (!ranks.includes(r)) {
    throw rankError(owner, allowUnbatched ? `${nSpatial + 1}-D (unbatched) or ${nSpatial + 2}-D (batched)` : `${nSpatial + 2}-D`, t);
  }
  const lead = t.shape.slice(0, r - nSpatial - 1);
  return { lead, channels: t.shape[r - nSpatial - 1], spatial: t.shape.slice(r - nSpatial) };
}

export function joinChannelsFirst(p: ChannelsFirst): Shape {
  return [...p.lead, p.channels, ...p.spatial];
}

/** A size that must be positive; concrete sizes below 1 are a shape error. */
export function expectPositive(owner: string, d: Dim, context: () => string): Dim {
  if (typeof d === 'number' && d < 1) throw new ShapeError(`${owner}: ${context()}`, 'DL405');
  return d;
}

/**
 * Σ of products of dims as a parameter count (one term per weight tensor, its shape);
 * an empty term is an absent tensor (`bias=False`). null when any factor is not concrete.
 */
export function countParams(...terms: Dim[][]): ParamCount {
  let total: Dim = 0;
  for (const t of terms) if (t.length > 0) total = addDims(total, prodDims(t));
  return { trainable: typeof total === 'number' ? total : null, nonTrainable: 0 };
}

export const NO_PARAMS: ParamCount = { trainable: 0, nonTrainable: 0 };
export const noParams = (): ParamCount => NO_PARAMS;

/** `floor(size · factor)` for a float factor, exact on symbolic sizes when the factor is a small fraction. */
export function scaleDim(d: Dim, factor: number): Dim {
  if (typeof d === 'number') return Math.floor(d * factor);
  if (isUnknownDim(d)) return UNKNOWN_DIM;
  for (let q = 1; q <= 64; q++) {
    const p = factor * q;
    if (Math.abs(p - Math.round(p)) < 1e-9) return floorDivDims(mulDims(d, Math.round(p)), q);
  }
  return UNKNOWN_DIM;
}

/** A float-or-int argument (or one item of a tuple argument) as a JS number. */
export function numberOf(v: Value): number | null {
  if (v.k === 'int' && typeof v.v === 'number') return v.v;
  if (v.k === 'float') return v.v;
  return null;
}

/** An int-or-tuple argument whose items may be None (adaptive pooling's `output_size`). */
export function optionalDims(a: LayerArgs, name: string, n: number): Array<Dim | null> {
  const v = a.raw(name);
  const one = (x: Value): Dim | null => (x.k === 'none' ? null : x.k === 'int' ? x.v : UNKNOWN_DIM);
  if (v.k === 'tuple' || v.k === 'list') {
    if (v.items.length === n) return v.items.map(one);
    if (v.items.length === 1) return Array(n).fill(one(v.items[0]));
    return Array(n).fill(UNKNOWN_DIM);
  }
  return Array(n).fill(one(v));
}

/** torch broadcasting of two shapes (shapes/broadcast.ts), with the layer named in the error. */
export function broadcastShapes(owner: string, a: Shape, b: Shape): Shape {
  try {
    return broadcastShared(a, b);
  } catch (e) {
    if (e instanceof ShapeError) throw new ShapeError(`${owner}: ${e.message}`, e.code ?? 'DL406');
    throw e;
  }
}

// ---------------------------------------------------------------------------------------
// MACs, torchinfo's "mult-adds" convention (torchinfo/layer_info.py, calculate_macs).
// For each parameter tensor of the module, with `out` the shape of the (first) output:
//   - named exactly `weight` or `bias`:
//       class name containing "Conv": numel × prod(out[0], out[2:])  (batch × output positions)
//       any other class:              numel × out[0]                 (first output dim only)
//   - any other name containing weight / bias (RNN `weight_ih_l0`, MHA `in_proj_weight`,
//     `out_proj.weight`, `bias_k`): numel × out[0] × out[1]
// Layers without parameters count 0. Note the non-conv rule multiplies by the first dim
// only: a Linear on [B, T, F] counts B·params, not B·T·params, exactly as torchinfo does.
// ---------------------------------------------------------------------------------------

export type MacsRule = 'conv' | 'dense' | 'inner';

/** The shape torchinfo reads as a layer's output size: the first tensor of a (nested) tuple. */
export function firstOutputShape(v: Value): Shape | null {
  if (v.k === 'tensor') return v.shape;
  if ((v.k === 'tuple' || v.k === 'list') && v.items.length > 0) return firstOutputShape(v.items[0]);
  return null;
}

export function torchinfoMacs(rule: MacsRule, params: (a: LayerArgs) => ParamCount): NonNullable<LayerSpec['macs']> {
  return (a, _inputs, output) => {
    const n = params(a).trainable;
    if (n === null) return null;
    if (n === 0) return 0;
    const s = firstOutputShape(output);
    if (!s) return null;
    let factor: Dim;
    if (rule === 'conv') factor = prodDims([s[0] ?? 1, ...s.slice(2)]);
    else if (rule === 'dense') factor = s.length > 0 ? s[0] : 1;
    else factor = prodDims(s.slice(0, 2));
    return typeof factor === 'number' ? factor * n : null;
  };
}

// ---------------------------------------------------------------------------------------
// Equivalents in the other frameworks (display strings only).
// ---------------------------------------------------------------------------------------

/** `layers.X(...)` for Keras and `tf.keras.layers.X(...)` for tf.keras. */
export function kerasEquivalent(call: string): Equivalent[] {
  return [
    { framework: 'keras', call: `layers.${call}` },
    { framework: 'tf', call: `tf.keras.layers.${call}` },
  ];
}

/** A tf-only equivalent (`tf.nn.*` functions that Keras lacks as a layer). */
export function tfEquivalent(call: string): Equivalent[] {
  return [{ framework: 'tf', call }];
}

/** The tensor passed through unchanged (activations, dropout, normalisation); a Flatten mark travels on. */
export function sameShape(t: KnownTensor): TensorV {
  const o = out([...t.shape], t.dtype);
  const from = flattenedFrom(t);
  return from ? markFlattened(o, from) : o;
}

/** Marks the output of a Flatten with the shape it flattened, so a Linear after it can report DL404. */
export function markFlattened<T extends TensorV>(t: T, from: Shape): T {
  return Object.assign(t, { flattenedFrom: from });
}

export function flattenedFrom(v: Value): Shape | undefined {
  return (v as Value & { flattenedFrom?: Shape }).flattenedFrom;
}

export { NONE, unknown };
