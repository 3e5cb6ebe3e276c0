// Shape rules of PyTorch's functional surface: `torch.*` functions and
// `torch.nn.functional.*`, as a table keyed by qualified name (TORCH_OPS). The same
// rules back the tensor methods (tensor.ts derives `x.sum(...)` from `torch.sum`).
// Semantics follow PyTorch 1.13; rules only throw ShapeError, and only when provable.

import {
  type Dim,
  type Shape,
  UNKNOWN_DIM,
  addDims,
  ceilDivDims,
  dimsConflict,
  dimsEqual,
  floorDivDims,
  formatDim,
  formatShape,
  isUnknownDim,
  mulDims,
  prodDims,
  subDims,
} from '../../shapes/dim';
import { convOutDim, convTransposeOutDim, poolOutDim } from '../../shapes/ops';
import { broadcastAll, broadcastOrNull, broadcastShapes, normDim, permuteShape, provablyDiffer, reshapeShape, transposeShape } from '../../shapes/broadcast';
import { LayerArgs, type OpSpec, type ParamDef, ShapeError, valueToDim } from '../spec';
import { contiguousStrides, numericShape } from '../../shapes/strides';
import { markFlattened } from './layers/common';
import { WHOLE_REDUCTIONS, binaryValues, elementOf, literalValues, piecesValues, sameValues, unaryValues, valuesOfTensor, withKnownValues } from './constants';
import { MAX_TENSOR_VALUES, NONE, type TensorV, type Value, float, int, isStarUnknown, namedTuple, tensor, tuple, unknown, withValues } from '../../eval/values';

// ---------------------------------------------------------------------------
// Plumbing: a guard that turns "cannot know" into Unknown values.

/**
 * Thrown inside a rule to stop with a given (usually Unknown or rank-unknown) result. Not an
 * Error: rules bail often (every op on a tensor of unknown shape), and an Error takes a stack
 * trace when it is made, which cost more than the rule itself.
 */
export class Bail {
  readonly message = 'bail';
  constructor(readonly value: Value) {}
}

export type RuleFn = (a: LayerArgs, self?: Value) => Value;

/** Wraps a rule so that nothing but ShapeError escapes. */
export function guarded(name: string, fn: RuleFn): RuleFn {
  return (a, self) => {
    try {
      return fn(a, self);
    } catch (e) {
      if (e instanceof ShapeError) {
        if (e.message.startsWith(`${name}:`)) throw e;
        throw new ShapeError(`${name}: ${e.message}`, e.code);
      }
      if (e instanceof Bail) return e.value;
      return unknown(`${name}: ${e instanceof Error ? e.message : 'internal error'}`);
    }
  };
}

export function defOp(name: string, signature: ParamDef[], fn: RuleFn): OpSpec {
  return { name, signature, call: guarded(name, fn) };
}

function P(name: string, ...dflt: unknown[]): ParamDef {
  return dflt.length ? { name, default: dflt[0] } : { name };
}
const KW = (name: string, dflt: unknown = null): ParamDef => ({ name, default: dflt, kwOnly: true });
const STAR = (name: string): ParamDef => ({ name, star: '*' });

export type KnownTensor = TensorV & { shape: Shape };

/** The named argument as a tensor; Bail(unknown) when it is not one. */
export function tensorArg(a: LayerArgs, name: string): TensorV {
  const v = a.raw(name);
  if (v.k === 'tensor') return v;
  if (v.k === 'unknown') throw new Bail(unknown(v.why));
  if (v.k === 'int' || v.k === 'float' || v.k === 'bool') return tensor([], scalarDtype(v));
  throw new Bail(unknown(`${a.owner}: ${name} is a ${v.k}, not a tensor`));
}

/** The named argument as a tensor of known rank; Bail(rank-unknown tensor of `dtype`) otherwise. */
export function shapedArg(a: LayerArgs, name: string, dtype?: string): KnownTensor {
  const t = tensorArg(a, name);
  if (!t.shape) throw new Bail(tensor(null, dtype ?? t.dtype));
  return t as KnownTensor;
}

/** A concrete integer argument, or Bail(unknown). */
export function intArg(a: LayerArgs, name: string, fallback?: Value): number {
  const v = a.raw(name);
  const d = valueToDim(v);
  if (typeof d === 'number' && v.k !== 'float') return d;
  if (v.k === 'float' && Number.isInteger(v.v)) return v.v;
  throw new Bail(fallback ?? unknown(`${a.owner}: ${name} is not a known integer`));
}

/** A dim index normalised for `rank`; Bail when not a concrete int. */
export function dimArg(a: LayerArgs, name: string, rank: number, fallback?: Value): number {
  return normDim(intArg(a, name, fallback), rank, a.owner);
}

/** A size given as `*ints`, one tuple/list/torch.Size, or an int. null when not readable. */
export function sizeList(v: Value): Dim[] | null {
  if (v.k === 'tuple' || v.k === 'list') {
    if (v.items.length === 1 && (v.items[0].k === 'tuple' || v.items[0].k === 'list')) return sizeList(v.items[0]);
    if (v.items.some(isStarUnknown)) return null;
    return v.items.map(valueToDim);
  }
  if (v.k === 'int' || v.k === 'bool') return [valueToDim(v)];
  return null;
}

/** An int / tuple / list / None `dim` argument as normalised dims (null = all dims). */
export function dimsArg(v: Value, rank: number, owner: string): number[] | null {
  if (v.k === 'none') return null;
  const items = v.k === 'tuple' || v.k === 'list' ? v.items : [v];
  const out: number[] = [];
  for (const it of items) {
    const d = valueToDim(it);
    if (typeof d !== 'number' || it.k === 'float') throw new Bail(unknown(`${owner}: dim not known`));
    out.push(normDim(d, rank, owner));
  }
  if (new Set(out).size !== out.length) throw new ShapeError(`${owner}: dim appears multiple times in the list of dims`);
  return out;
}

const sizeStr = (d: Dim) => formatDim(d);

// ---------------------------------------------------------------------------
// Dtypes

const DTYPE_ALIASES: Record<string, string> = {
  float: 'float32', float32: 'float32', double: 'float64', float64: 'float64', half: 'float16', float16: 'float16', bfloat16: 'bfloat16',
  long: 'int64', int64: 'int64', int: 'int32', int32: 'int32', short: 'int16', int16: 'int16', int8: 'int8', uint8: 'uint8', bool: 'bool',
  cfloat: 'complex64', complex64: 'complex64', cdouble: 'complex128', complex128: 'complex128',
};
const DTYPE_ORDER = ['bool', 'uint8', 'int8', 'int16', 'int32', 'int64', 'float16', 'bfloat16', 'float32', 'float64', 'complex64', 'complex128'];

/** `torch.float32`, `'float32'`, `torch.long`, Python's `float`/`int`/`bool` → canonical name; null if not a dtype. */
export function dtypeOf(v: Value): string | null {
  let s: string | null = null;
  if (v.k === 'str') s = v.v;
  else if (v.k === 'modref') s = v.path;
  else if (v.k === 'class' || v.k === 'builtin') s = v.k === 'class' ? v.qualname || v.name : v.name;
  if (s === null) return null;
  s = s.replace(/^torch\./, '').replace(/^builtins\./, '');
  if (v.k !== 'str' && v.k !== 'modref') {
    // Python's builtin types used as dtypes: float → float64 for `.to(float)`? torch maps float→float64, int→int64.
    if (s === 'float') return 'float64';
    if (s === 'int') return 'int64';
    if (s === 'bool') return 'bool';
  }
  return DTYPE_ALIASES[s] ?? null;
}

const category = (dt: string) => (dt === 'bool' ? 0 : dt.startsWith('complex') ? 3 : dt.startsWith('float') || dt === 'bfloat16' ? 2 : 1);
export const isFloatDtype = (dt: string) => category(dt) >= 2;

function promotePair(a: string, b: string): string {
  if (a === b) return a;
  if ((a === 'float16' && b === 'bfloat16') || (a === 'bfloat16' && b === 'float16')) return 'float32';
  if ((a === 'uint8' && b === 'int8') || (a === 'int8' && b === 'uint8')) return 'int16';
  const ia = DTYPE_ORDER.indexOf(a);
  const ib = DTYPE_ORDER.indexOf(b);
  if (ia < 0) return b;
  if (ib < 0) return a;
  return ia >= ib ? a : b;
}

const DEFAULT_OF_CATEGORY = ['bool', 'int64', 'float32', 'complex64'];

export function scalarDtype(v: Value): string {
  return v.k === 'bool' ? 'bool' : v.k === 'float' ? 'float32' : 'int64';
}

/** PyTorch's result_type over operands: dimensioned tensors, then 0-d tensors, then Python scalars. */
export function resultType(ops: Value[]): string {
  let dimmed: string | null = null;
  let zeroDim: string | null = null;
  let scalarCat = -1;
  for (const v of ops) {
    if (v.k === 'tensor') {
      if (v.shape && v.shape.length === 0) zeroDim = zeroDim ? promotePair(zeroDim, v.dtype) : v.dtype;
      else dimmed = dimmed ? promotePair(dimmed, v.dtype) : v.dtype;
    } else if (v.k === 'int' || v.k === 'float' || v.k === 'bool') {
      scalarCat = Math.max(scalarCat, category(scalarDtype(v)));
    }
  }
  let out = dimmed ?? zeroDim ?? (scalarCat >= 0 ? DEFAULT_OF_CATEGORY[scalarCat] : 'float32');
  if (dimmed && zeroDim && category(zeroDim) > category(out)) out = zeroDim;
  if (scalarCat > category(out)) out = DEFAULT_OF_CATEGORY[scalarCat];
  return out;
}

/** The `dtype=` keyword if given. */
function dtypeKw(a: LayerArgs, name = 'dtype'): string | null {
  return a.has(name) ? dtypeOf(a.raw(name)) : null;
}

const floatOf = (dt: string) => (isFloatDtype(dt) ? dt : 'float32');

// ---------------------------------------------------------------------------
// Shared shape rules (exported for tensor.ts)

/** Broadcasting elementwise op over tensors and scalars; null shapes propagate. */
export function elementwise(ops: Value[], dtype?: string): TensorV {
  const shapes: Array<Shape | null> = [];
  let anyTensor = false;
  for (const v of ops) {
    if (v.k === 'tensor') {
      shapes.push(v.shape);
      anyTensor = true;
    } else if (v.k === 'int' || v.k === 'float' || v.k === 'bool' || v.k === 'none') shapes.push([]);
    else if (v.k === 'unknown') continue; // an unknown operand is taken to be a scalar
    else throw new Bail(unknown(`operand is a ${v.k}, not a tensor`));
  }
  if (!anyTensor && ops.some((v) => v.k === 'unknown')) throw new Bail(unknown('operands unknown'));
  return tensor(broadcastAll(shapes), dtype ?? resultType(ops));
}

/** A reduction over `dims` (null = all), with keepdim. */
export function reduceShape(shape: Shape, dims: number[] | null, keepdim: boolean): Shape {
  if (dims === null || dims.length === 0) return keepdim ? shape.map(() => 1) : [];
  const set = new Set(dims);
  if (keepdim) return shape.map((d, i) => (set.has(i) ? 1 : d));
  return shape.filter((_, i) => !set.has(i));
}

/**
 * Sum/mean-style reduction: `dim` int, tuple or None; keepdim. `fold`, for a reduction over
 * every element of a tensor whose values are known, gives the one value
 * (`int(np.array(obs_shape).prod())`, CleanRL's observation size).
 */
function reduceRule(kind: 'sum' | 'mean' | 'bool' | 'arg' | 'keep' | 'float' | 'count', opts: { emptyIsAll?: boolean; fold?: (values: readonly number[]) => number } = {}): RuleFn {
  return (a) => {
    const x = tensorArg(a, 'input');
    let dtype = dtypeKw(a) ?? x.dtype;
    if (!a.has('dtype')) {
      if (kind === 'sum' && category(x.dtype) <= 1) dtype = 'int64';
      if (kind === 'bool') dtype = 'bool';
      if (kind === 'arg' || kind === 'count') dtype = 'int64';
      if (kind === 'float') dtype = floatOf(x.dtype);
    }
    if (!x.shape) throw new Bail(tensor(null, dtype));
    const dv = a.raw('dim');
    let dims = dimsArg(dv, x.shape.length, a.owner);
    if (dims && dims.length === 0 && !opts.emptyIsAll) dims = null;
    const keep = a.values.has('keepdim') ? a.bool('keepdim') : false;
    const out = tensor(reduceShape(x.shape, dims, keep), dtype);
    return dims === null ? folded(out, x, opts.fold) : out;
  };
}

/** `out`, the reduction of all of `x`, with its value when `fold` is given and `x`'s values are known. */
function folded(out: TensorV, x: TensorV, fold: ((values: readonly number[]) => number) | undefined): Value {
  const vals = fold ? valuesOfTensor(x) : null;
  return vals && vals.length ? withKnownValues(out, [fold!(vals)]) : out;
}

const { sum: SUM, mean: MEAN, prod: PROD, max: MAX, min: MIN, argmax: ARGMAX, argmin: ARGMIN } = WHOLE_REDUCTIONS;

/**
 * max/min: no dim → 0-d (with `fold`, its value when the tensor's are known:
 * `int(batch.max()) + 1` graphs in a batch vector); with an int dim → (values, indices);
 * with a tensor `other` → elementwise.
 */
function maxMinRule(fold?: (values: readonly number[]) => number): RuleFn {
  return (a) => {
    const x = tensorArg(a, 'input');
    const d = a.raw('dim');
    if (d.k === 'tensor') return elementwise([x, d]);
    if (d.k === 'none') return x.shape ? folded(tensor([], x.dtype), x, fold) : tensor(null, x.dtype);
    if (!x.shape) return tuple([tensor(null, x.dtype), tensor(null, 'int64')]);
    const dim = dimArg(a, 'dim', x.shape.length);
    const s = reduceShape(x.shape, [dim], a.bool('keepdim'));
    return tuple([tensor(s, x.dtype), tensor(s, 'int64')]);
  };
}

/** Ops along one dim returning (values, indices): sort, cummax, median(dim), mode, kthvalue. */
function valuesIndices(shape: Shape | null, dtype: string): Value {
  return tuple([tensor(shape, dtype), tensor(shape, 'int64')]);
}

export function catShapes(shapes: Shape[], dimRaw: number, owner = 'cat'): Shape {
  // Legacy rule: 1-D empty tensors are skipped.
  const used = shapes.filter((s) => !(s.length === 1 && s[0] === 0));
  if (used.length === 0) return shapes.length ? [0] : [];
  const rank = used[0].length;
  if (rank === 0) throw new ShapeError(`${owner}: zero-dimensional tensor cannot be concatenated`);
  const dim = normDim(dimRaw, rank, owner);
  let total: Dim = 0;
  for (const [i, s] of used.entries()) {
    if (s.length !== rank) throw new ShapeError(`${owner}: Tensors must have same number of dimensions: got ${rank} and ${s.length}`);
    for (let j = 0; j < rank; j++) {
      if (j !== dim && dimsConflict(s[j], used[0][j])) {
        throw new ShapeError(`${owner}: Sizes of tensors must match except in dimension ${dim}. Expected size ${sizeStr(used[0][j])} but got size ${sizeStr(s[j])} for tensor number ${i} in the list (shapes ${used.map(formatShape).join(', ')})`);
      }
    }
    total = addDims(total, s[dim]);
  }
  const out = used[0].map((d, j) => (j === dim ? total : isUnknownDim(d) ? (used.find((s) => !isUnknownDim(s[j]))?.[j] ?? d) : d));
  return out;
}

function tensorList(v: Value, owner: string): TensorV[] {
  if (v.k === 'tuple' || v.k === 'list') {
    return v.items.map((t) => {
      if (t.k === 'tensor') return t;
      if (t.k === 'unknown') throw new Bail(unknown(t.why));
      if (t.k === 'int' || t.k === 'float' || t.k === 'bool') return tensor([], scalarDtype(t));
      throw new Bail(unknown(`${owner}: a ${t.k} in the tensor list`));
    });
  }
  if (v.k === 'tensor') throw new ShapeError(`${owner}: expected a tuple or list of tensors, got a single tensor`);
  throw new Bail(unknown(`${owner}: tensors not known`));
}

export function catRule(a: LayerArgs): Value {
  const ts = tensorList(a.raw('tensors'), a.owner);
  const dtype = resultType(ts);
  if (ts.some((t) => !t.shape)) throw new Bail(tensor(null, dtype));
  return tensor(catShapes(ts.map((t) => t.shape as Shape), intArg(a, 'dim', tensor(null, dtype)), a.owner), dtype);
}

function stackRule(a: LayerArgs): Value {
  const ts = tensorList(a.raw('tensors'), a.owner);
  const dtype = resultType(ts);
  if (ts.length === 0) throw new ShapeError('stack expects a non-empty TensorList');
  if (ts.some((t) => !t.shape)) throw new Bail(tensor(null, dtype));
  const shapes = ts.map((t) => t.shape as Shape);
  const first = shapes[0];
  for (const [i, s] of shapes.entries()) {
    if (s.length !== first.length || s.some((d, j) => dimsConflict(d, first[j]))) {
      throw new ShapeError(`stack expects each tensor to be equal size, but got ${formatShape(first)} at entry 0 and ${formatShape(s)} at entry ${i}`);
    }
  }
  const dim = normDim(intArg(a, 'dim', tensor(null, dtype)), first.length + 1, a.owner);
  const out = [...first];
  out.splice(dim, 0, ts.length);
  return tensor(out, dtype);
}

export function flattenShape(shape: Shape, start: number, end: number, owner = 'flatten'): Shape {
  if (shape.length === 0) return [1];
  const s = normDim(start, shape.length, owner);
  const e = normDim(end, shape.length, owner);
  if (s > e) throw new ShapeError(`${owner}: flatten() has invalid args: start_dim cannot come after end_dim`);
  return [...shape.slice(0, s), prodDims(shape.slice(s, e + 1)), ...shape.slice(e + 1)];
}

export function squeezeShape(shape: Shape, dimV: Value, owner = 'squeeze'): Shape | null {
  if (dimV.k === 'none') {
    if (shape.some((d) => typeof d !== 'number')) {
      // A symbolic size might be 1; symbols are taken to be > 1 (batch, length), unknown sizes are not.
      if (shape.some(isUnknownDim)) return null;
    }
    return shape.filter((d) => d !== 1);
  }
  const dims = dimsArg(dimV, shape.length, owner) ?? [];
  if (shape.length === 0) return [];
  const drop = new Set(dims.filter((d) => shape[d] === 1));
  for (const d of dims) if (isUnknownDim(shape[d])) return null;
  return shape.filter((_, i) => !drop.has(i));
}

export function unsqueezeShape(shape: Shape, dim: number, owner = 'unsqueeze'): Shape {
  const d = normDim(dim, shape.length + 1, owner);
  const out = [...shape];
  out.splice(d, 0, 1);
  return out;
}

/** torch.matmul's shape rule (1-D promotion, batch broadcasting). */
export function matmulShape(a: Shape, b: Shape, owner = 'matmul'): Shape {
  if (a.length === 0 || b.length === 0) throw new ShapeError(`${owner}: both arguments to matmul need to be at least 1D, but they are ${a.length}D and ${b.length}D`);
  const a2 = a.length === 1 ? [1, a[0]] : a;
  const b2 = b.length === 1 ? [b[0], 1] : b;
  const k1 = a2[a2.length - 1];
  const k2 = b2[b2.length - 2];
  if (dimsConflict(k1, k2)) {
    if (a.length === 1 && b.length === 1) throw new ShapeError(`${owner}: inconsistent tensor size, expected tensor [${sizeStr(a[0])}] and src [${sizeStr(b[0])}] to have the same number of elements, but got ${sizeStr(a[0])} and ${sizeStr(b[0])} elements respectively`);
    const m1 = a.length === 1 ? `1x${sizeStr(a[0])}` : `${sizeStr(prodDims(a.slice(0, -1)))}x${sizeStr(k1)}`;
    const m2 = `${sizeStr(k2)}x${sizeStr(b2[b2.length - 1])}`;
    throw new ShapeError(`${owner}: mat1 and mat2 shapes cannot be multiplied (${m1} and ${m2}); shapes ${formatShape(a)} @ ${formatShape(b)}`);
  }
  const batch = broadcastShapes(a2.slice(0, -2), b2.slice(0, -2));
  const out = [...batch];
  if (a.length > 1) out.push(a2[a2.length - 2]);
  if (b.length > 1) out.push(b2[b2.length - 1]);
  return out;
}

function mmRule(a: LayerArgs): Value {
  const x = shapedArg(a, 'input');
  const y = shapedArg(a, 'mat2');
  if (x.shape.length !== 2) throw new ShapeError(`mm: self must be a matrix, got ${formatShape(x.shape)}`);
  if (y.shape.length !== 2) throw new ShapeError(`mm: mat2 must be a matrix, got ${formatShape(y.shape)}`);
  return tensor(matmulShape(x.shape, y.shape, a.owner), resultType([x, y]));
}

/** `input + mat1 @ mat2` (torch.addmm, torch.sparse.addmm). */
function addmmRule(a: LayerArgs): Value {
  const m1 = shapedArg(a, 'mat1');
  const m2 = shapedArg(a, 'mat2');
  const s = matmulShape(m1.shape, m2.shape, a.owner);
  const x = tensorArg(a, 'input');
  return tensor(x.shape ? broadcastShapes(x.shape, s) : s, resultType([x, m1, m2]));
}

/** The same arguments under the names another rule reads (`to` name <- `from` name). */
function renamed(a: LayerArgs, names: Record<string, string>): LayerArgs {
  return new LayerArgs(new Map(Object.entries(names).map(([to, from]) => [to, a.raw(from)])), a.owner);
}

/**
 * torch.sparse_coo_tensor(indices, values, size) / sparse_csr_tensor(...): the shape is
 * `size` when given; otherwise COO takes one dim per row of `indices` (their extent is the
 * data's: unknown) followed by the dense dims of `values` (all but its first), and a
 * compressed tensor is 2-D of unknown sizes plus those dims. The dtype is `values`'.
 */
function sparseRule(a: LayerArgs, kind: 'coo' | 'compressed'): Value {
  const vals = literalShape(a.raw('values'));
  const dtype = dtypeKw(a) ?? vals.dtype;
  if (!a.isNone('size')) return tensor(sizeList(a.raw('size')), dtype);
  if (!vals.shape || vals.shape.length === 0) return tensor(null, dtype);
  const dense = vals.shape.slice(1);
  if (kind === 'compressed') return tensor([UNKNOWN_DIM, UNKNOWN_DIM, ...dense], dtype);
  const idx = literalShape(a.raw('indices'));
  if (!idx.shape || idx.shape.length !== 2 || typeof idx.shape[0] !== 'number') return tensor(null, dtype);
  return tensor([...Array<Dim>(idx.shape[0]).fill(UNKNOWN_DIM), ...dense], dtype);
}

/**
 * torch.combinations(1-D input, r, with_replacement): the C(n, r) (or C(n + r - 1, r)) tuples
 * as rows of an (count, r) tensor; r = 0 gives an empty [0]. Values too for a constant input.
 */
function combinationsRule(a: LayerArgs): Value {
  const x = shapedArg(a, 'input');
  if (x.shape.length !== 1) throw new ShapeError(`Expect a 1D vector, but got shape ${formatShape(x.shape)}`);
  const r = intArg(a, 'r');
  const repl = a.bool('with_replacement');
  if (r < 0) throw new ShapeError(`Expect a non-negative number, but got ${r}`);
  if (r === 0) return tensor([0], x.dtype);
  const n = x.shape[0];
  if (typeof n !== 'number') return tensor([UNKNOWN_DIM, r], x.dtype);
  const combos: number[][] = [];
  const pick = (from: number, acc: number[]) => {
    if (combos.length > MAX_TENSOR_VALUES) return;
    if (acc.length === r) {
      combos.push(acc);
      return;
    }
    for (let i = from; i < n; i++) pick(repl ? i : i + 1, [...acc, i]);
  };
  // The count in closed form; the tuples themselves only when few.
  const count = binomial(repl ? n + r - 1 : n, r);
  const out = tensor([count, r], x.dtype);
  const vals = valuesOfTensor(x);
  if (!vals || count * r > MAX_TENSOR_VALUES) return out;
  pick(0, []);
  return withKnownValues(out, combos.flatMap((c) => c.map((i) => vals[i])));
}

function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

/**
 * torch.unique / unique_consecutive: the number of distinct values depends on the data
 * (unknown), except for a constant input (TENSOR_VALUES), whose values, inverse indices and
 * counts are worked out (torch.unique_consecutive(torch.tensor([32, 32, 16]), return_counts=True):
 * ([32, 16], [2, 1])). With `dim`, that dim's size is unknown.
 */
function uniqueRule(a: LayerArgs, consecutive: boolean): Value {
  const x = tensorArg(a, 'input');
  const byDim = !a.isNone('dim');
  const vals = a.isNone('dim') ? valuesOfTensor(x) : null;
  let u: Value;
  let inv: Value = tensor(byDim ? null : x.shape, 'int64');
  let counts: Value;
  if (vals && (consecutive || a.bool('sorted') || !a.has('sorted'))) {
    const out: number[] = [];
    const cnt: number[] = [];
    const index: number[] = [];
    if (consecutive) {
      for (const v of vals) {
        if (out.length && out[out.length - 1] === v) cnt[cnt.length - 1]++;
        else {
          out.push(v);
          cnt.push(1);
        }
        index.push(out.length - 1);
      }
    } else {
      out.push(...[...new Set(vals)].sort((p, q) => p - q));
      for (const v of out) cnt.push(vals.filter((w) => w === v).length);
      for (const v of vals) index.push(out.indexOf(v));
    }
    u = withKnownValues(tensor([out.length], x.dtype), out);
    counts = withKnownValues(tensor([cnt.length], 'int64'), cnt);
    inv = withKnownValues(inv, index);
  } else {
    u = tensor(byDim ? (x.shape ? x.shape.map((d, i) => (i === normDim(intArg(a, 'dim'), x.shape!.length, a.owner) ? UNKNOWN_DIM : d)) : null) : x.shape ? [UNKNOWN_DIM] : null, x.dtype);
    counts = tensor([UNKNOWN_DIM], 'int64');
  }
  const extra: Value[] = [];
  if (a.bool('return_inverse')) extra.push(inv);
  if (a.bool('return_counts')) extra.push(counts);
  return extra.length ? tuple([u, ...extra]) : u;
}

/** cumsum / cumprod: the shape kept (an integer input gives int64), the running values of a constant 1-D input. */
function cumulative(kind: 'sum' | 'prod'): RuleFn {
  const base = alongDimKeep('dim', (x) => (category(x.dtype) <= 1 ? 'int64' : x.dtype));
  return (a) => {
    const out = base(a);
    const x = a.raw('input');
    const vals = x.k === 'tensor' && x.shape?.length === 1 ? valuesOfTensor(x) : null;
    if (!vals) return out;
    let acc = kind === 'sum' ? 0 : 1;
    return withKnownValues(out, vals.map((v) => (acc = kind === 'sum' ? acc + v : acc * v)));
  };
}

function bmmRule(a: LayerArgs): Value {
  const x = shapedArg(a, 'input');
  const y = shapedArg(a, 'mat2');
  if (x.shape.length !== 3) throw new ShapeError(`bmm: batch1 must be a 3D tensor, got ${formatShape(x.shape)}`);
  if (y.shape.length !== 3) throw new ShapeError(`bmm: batch2 must be a 3D tensor, got ${formatShape(y.shape)}`);
  if (dimsConflict(x.shape[0], y.shape[0])) throw new ShapeError(`bmm: batch1 and batch2 must have same number of batches, got ${sizeStr(x.shape[0])} and ${sizeStr(y.shape[0])}`);
  if (dimsConflict(x.shape[2], y.shape[1])) {
    throw new ShapeError(`bmm: Expected size for first two dimensions of batch2 tensor to be: [${sizeStr(x.shape[0])}, ${sizeStr(x.shape[2])}] but got: [${sizeStr(y.shape[0])}, ${sizeStr(y.shape[1])}]`);
  }
  return tensor([x.shape[0], x.shape[1], y.shape[2]], resultType([x, y]));
}

function einsumRule(a: LayerArgs): Value {
  const eq = a.str('equation');
  let opsV = a.raw('operands');
  if (opsV.k === 'tuple' && opsV.items.length === 1 && (opsV.items[0].k === 'list' || opsV.items[0].k === 'tuple')) opsV = opsV.items[0];
  const ops = tensorList(opsV, 'einsum');
  const dtype = resultType(ops);
  if (eq === null) throw new Bail(tensor(null, dtype));
  if (ops.some((t) => !t.shape)) throw new Bail(tensor(null, dtype));
  const clean = eq.replace(/\s+/g, '');
  const [lhs, rhs] = clean.includes('->') ? clean.split('->') : [clean, undefined];
  const terms = lhs.split(',');
  if (terms.length !== ops.length) throw new ShapeError(`einsum(): more operands were provided than specified in the equation` + ` (${terms.length} subscripts, ${ops.length} operands)`);
  const sizes = new Map<string, Dim>();
  let ell: Shape | null = null;
  const counts = new Map<string, number>();
  for (const [i, term] of terms.entries()) {
    const shape = ops[i].shape as Shape;
    const hasEll = term.includes('...');
    const letters = term.replace('...', '').split('');
    if (letters.some((c) => !/[a-zA-Z]/.test(c))) throw new Bail(unknown(`einsum: cannot parse '${eq}'`));
    if (hasEll ? letters.length > shape.length : letters.length !== shape.length) {
      throw new ShapeError(`einsum(): the number of subscripts in the equation (${letters.length}) does not match the number of dimensions (${shape.length}) for operand ${i}${hasEll ? '' : ' and no ellipsis was given'}`);
    }
    const pre = hasEll ? term.indexOf('...') : letters.length;
    const nEll = shape.length - letters.length;
    const ellShape = shape.slice(pre, pre + nEll);
    if (hasEll) ell = ell ? broadcastShapes(ell, ellShape) : ellShape;
    letters.forEach((c, j) => {
      const d = j < pre ? shape[j] : shape[j + nEll];
      counts.set(c, (counts.get(c) ?? 0) + 1);
      const prev = sizes.get(c);
      if (prev === undefined || prev === 1) sizes.set(c, d);
      else if (d !== 1 && dimsConflict(prev, d)) {
        throw new ShapeError(`einsum(): operands do not broadcast with remapped shapes (original->remapped): subscript '${c}' has size ${sizeStr(prev)} and ${sizeStr(d)}`);
      }
    });
  }
  let outTerm = rhs;
  if (outTerm === undefined) {
    const once = [...counts.entries()].filter(([, n]) => n === 1).map(([c]) => c).sort();
    outTerm = (ell ? '...' : '') + once.join('');
  }
  const out: Dim[] = [];
  const rhsLetters = outTerm.replace('...', '');
  for (let j = 0; j < outTerm.length; j++) {
    if (outTerm.startsWith('...', j)) {
      out.push(...(ell ?? []));
      j += 2;
      continue;
    }
    const c = outTerm[j];
    if (!sizes.has(c)) throw new ShapeError(`einsum(): output subscript ${c} does not appear in the equation for any input operand`);
    out.push(sizes.get(c) as Dim);
  }
  if (new Set(rhsLetters).size !== rhsLetters.length) throw new ShapeError('einsum(): output subscript appears more than once in the output');
  return tensor(out, dtype);
}

/** Beyond this many pieces, split/chunk/unbind give Unknown rather than a huge tuple. */
const MAX_PIECES = 4096;

/** Sizes of the pieces of `split(size)` / `chunk(n)` along a dim of size `n`. */
export function splitPieces(n: Dim, size: Dim): Dim[] | null {
  if (typeof size === 'number' && size <= 0) {
    if (size === 0 && n === 0) return [0];
    throw new ShapeError(`split expects split_size be non-negative, but got split_size=${size}`);
  }
  if (typeof n === 'number' && typeof size === 'number') {
    if (n / size > MAX_PIECES) return null;
    const out: Dim[] = [];
    for (let i = 0; i < n; i += size) out.push(Math.min(size, n - i));
    return n === 0 ? [0] : out;
  }
  // Symbolic: only when the size divides exactly (n = k·size for a small k).
  for (let k = 1; k <= 64; k++) if (dimsEqual(mulDims(size, k), n)) return Array(k).fill(size);
  return null;
}

export function chunkPieces(n: Dim, chunks: number): Dim[] | null {
  if (chunks <= 0) throw new ShapeError('chunk expects `chunks` to be greater than 0');
  if (chunks > MAX_PIECES && typeof n !== 'number') return null;
  if (typeof n === 'number') {
    const size = Math.ceil(n / chunks);
    if (size === 0) return chunks > MAX_PIECES ? null : Array(chunks).fill(0);
    return splitPieces(n, size);
  }
  if (isUnknownDim(n)) return Array(chunks).fill(UNKNOWN_DIM);
  return Array(chunks).fill(ceilDivDims(n, chunks));
}

function piecesTuple(x: KnownTensor, dim: number, pieces: Dim[]): Value {
  return tuple(piecesValues(x, dim, pieces.map((p) => tensor(x.shape.map((d, i) => (i === dim ? p : d)), x.dtype))));
}

export function chunkRule(a: LayerArgs): Value {
  const x = shapedArg(a, 'input');
  const dim = dimArg(a, 'dim', x.shape.length);
  const chunks = intArg(a, 'chunks');
  const pieces = chunkPieces(x.shape[dim], chunks);
  if (!pieces) return unknown('chunk of a symbolic size');
  return piecesTuple(x, dim, pieces);
}

/** What split and tensor_split start from: the input (at least 1-D), the dim, its size and the sizes argument. */
function splitArgs(a: LayerArgs, sizesArg: string, emptyMessage: string) {
  const x = shapedArg(a, 'input');
  if (x.shape.length === 0) throw new ShapeError(emptyMessage);
  const dim = dimArg(a, 'dim', x.shape.length);
  return { x, dim, n: x.shape[dim], s: a.raw(sizesArg) };
}

export function splitRule(a: LayerArgs): Value {
  const { x, dim, n, s } = splitArgs(a, 'split_size_or_sections', 'split: expected a tensor with at least one dimension');
  if (s.k === 'list' || s.k === 'tuple') {
    const sizes = s.items.map(valueToDim);
    const total = prodSum(sizes);
    if (dimsConflict(total, n)) {
      throw new ShapeError(`split_with_sizes expects split_sizes to sum exactly to ${sizeStr(n)} (input tensor's size at dimension ${dim}), but got split_sizes=[${sizes.map(sizeStr).join(', ')}]`);
    }
    return piecesTuple(x, dim, sizes);
  }
  const size = valueToDim(s);
  if (isUnknownDim(size)) return unknown('split size not known');
  const pieces = splitPieces(n, size);
  if (!pieces) return unknown('split of a symbolic size');
  return piecesTuple(x, dim, pieces);
}

/**
 * A flatten / view / reshape that keeps the batch dim and folds the rest into one
 * (`flatten(x, 1)`, `x.view(x.size(0), -1)`): the result is marked with the shape it
 * flattened, so a Linear after it reports a wrong in_features as DL404.
 */
export function batchFlattened(x: TensorV, flat: TensorV): TensorV {
  if (x.shape && x.shape.length >= 3 && flat.shape && flat.shape.length === 2 && dimsEqual(flat.shape[0], x.shape[0])) return markFlattened(flat, x.shape);
  return flat;
}

/** 0, 1, …, rank - 1: the dims of `x` in order, to permute like its shape. */
export function dimOrder(x: KnownTensor): number[] {
  return x.shape.map((_, i) => i);
}

/**
 * `x` with its dims reordered: output dim i is input dim `order[i]`. The strides move with
 * the dims (transpose / permute return views): the result carries them when the shape is
 * known (shapes/strides.ts), also when they happen to be contiguous (a transpose of a size-1
 * dim), so that a `.view()` of it is known to work.
 */
export function permuted(x: KnownTensor, order: readonly number[]): TensorV {
  const out = tensor(order.map((i) => x.shape[i]), x.dtype);
  const shape = numericShape(x.shape);
  if (!shape) return out;
  const st = x.strides ?? contiguousStrides(shape);
  return { ...out, strides: order.map((i) => st[i]) };
}

export function permuteRule(x: KnownTensor, dimsValue: Value): TensorV {
  const dims = sizeList(dimsValue);
  if (!dims || dims.some((d) => typeof d !== 'number')) return tensor(null, x.dtype);
  return permuted(x, permuteShape(dimOrder(x), dims as number[]) as number[]);
}

const prodSum = (ds: Dim[]) => ds.reduce<Dim>((s, d) => addDims(s, d), 0);

/**
 * torch.tensor_split: `k` sections (the first n % k one longer, as numpy.array_split), or
 * the pieces between a list of indices, each taken as a Python slice bound (negative from
 * the end, clamped to [0, n]; each piece is the slice between two neighbours, empty when they are out of order).
 */
export function tensorSplitRule(a: LayerArgs): Value {
  const { x, dim, n, s } = splitArgs(a, 'indices_or_sections', 'tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims');
  if (s.k === 'list' || s.k === 'tuple') {
    if (typeof n !== 'number') return unknown('tensor_split of a symbolic size');
    if (s.items.length + 1 > MAX_PIECES) return unknown(`tensor_split into ${s.items.length + 1} tensors is not modelled`);
    const bounds: number[] = [];
    for (const v of s.items) {
      if (v.k !== 'int' || typeof v.v !== 'number') return unknown('tensor_split indices not known');
      bounds.push(Math.min(Math.max(v.v < 0 ? v.v + n : v.v, 0), n));
    }
    const pieces: Dim[] = [];
    let start = 0;
    for (const b of [...bounds, n]) {
      pieces.push(Math.max(b - start, 0));
      start = b;
    }
    return piecesTuple(x, dim, pieces);
  }
  if (s.k !== 'int' || typeof s.v !== 'number') return unknown('tensor_split by a tensor of indices, or a number of sections not known');
  const k = s.v;
  if (k <= 0) throw new ShapeError(`number of sections must be larger than 0, got ${k}`);
  if (typeof n !== 'number') return unknown('tensor_split of a symbolic size');
  if (k > MAX_PIECES) return unknown(`tensor_split into ${k} tensors is not modelled`);
  const base = Math.floor(n / k);
  return piecesTuple(x, dim, Array.from({ length: k }, (_, i) => (i < n % k ? base + 1 : base)));
}

/**
 * torch.hsplit / vsplit / dsplit: tensor_split along dim 1 (a 1-D tensor's dim 0), 0 or 2,
 * except that a number of sections must divide the size evenly.
 */
function directionSplitRule(which: 'h' | 'v' | 'd') {
  return (a: LayerArgs): Value => {
    const x = shapedArg(a, 'input');
    const rank = x.shape.length;
    const least = which === 'h' ? 1 : which === 'v' ? 2 : 3;
    if (rank < least) throw new ShapeError(`torch.${which}split requires a tensor with at least ${least} dimension, but got a tensor with ${rank} dimensions!`);
    const dim = which === 'h' ? (rank === 1 ? 0 : 1) : which === 'v' ? 0 : 2;
    const s = a.raw('indices_or_sections');
    const n = x.shape[dim];
    if (s.k === 'int' && typeof s.v === 'number' && s.v > 0 && typeof n === 'number' && n % s.v !== 0) {
      throw new ShapeError(`torch.${which}split attempted to split along dimension ${dim}, but the size of the dimension ${n} is not divisible by the split_size ${s.v}!`);
    }
    return tensorSplitRule(new LayerArgs(new Map<string, Value>([['input', x], ['indices_or_sections', s], ['dim', int(dim)]]), a.owner));
  };
}

/** torch.cartesian_prod(*tensors): the (prod n_i, k) tuples of 1-D tensors (one tensor: itself). */
function cartesianProdRule(a: LayerArgs): Value {
  const ts = tensorList(a.raw('tensors'), 'cartesian_prod');
  if (!ts.length) throw new ShapeError('cartesian_prod expects at least one tensor');
  for (const t of ts) if (t.shape && t.shape.length !== 1) throw new ShapeError(`Expect a 1D vector, but got shape ${formatShape(t.shape)}`);
  if (ts.length === 1) return ts[0];
  if (ts.some((t) => !t.shape)) return tensor([UNKNOWN_DIM, ts.length], resultType(ts));
  const out = tensor([prodDims(ts.map((t) => t.shape![0])), ts.length], resultType(ts));
  const vals = ts.map(valuesOfTensor);
  const count = vals.reduce((c, v) => c * (v ? v.length : 0), 1);
  if (vals.some((v) => !v) || count * ts.length > MAX_TENSOR_VALUES) return out;
  let rows: number[][] = [[]];
  for (const v of vals) rows = rows.flatMap((r) => v!.map((x) => [...r, x]));
  return withKnownValues(out, rows.flat());
}

/** torch.triu_indices / tril_indices: a (2, count) int64 tensor of the (row, col) pairs on or above (below) diagonal `offset`. */
function triangleIndicesRule(upper: boolean) {
  return (a: LayerArgs): Value => {
    const rows = a.dim('row');
    const cols = a.dim('col');
    const offset = intArg(a, 'offset');
    const dtype = dtypeKw(a) ?? 'int64';
    if (typeof rows !== 'number' || typeof cols !== 'number') return tensor([2, UNKNOWN_DIM], dtype);
    let count = 0;
    for (let i = 0; i < rows; i++) count += upper ? Math.min(Math.max(cols - Math.max(i + offset, 0), 0), cols) : Math.min(Math.max(i + offset + 1, 0), cols);
    return tensor([2, count], dtype);
  };
}

export function unbindRule(a: LayerArgs): Value {
  const x = shapedArg(a, 'input');
  const dim = dimArg(a, 'dim', x.shape.length);
  const n = x.shape[dim];
  if (typeof n !== 'number') return unknown('unbind along a dim of unknown size');
  if (n > MAX_PIECES) return unknown(`unbind into ${n} tensors is not modelled`);
  const rest = x.shape.filter((_, i) => i !== dim);
  return tuple(piecesValues(x, dim, Array.from({ length: n }, () => tensor(rest, x.dtype))));
}

// --- creation ops

function creationRule(defaultDtype = 'float32'): RuleFn {
  return (a) => {
    const dtype = dtypeKw(a) ?? defaultDtype;
    const size = sizeList(a.raw('size'));
    return tensor(size, dtype);
  };
}

function fullRule(a: LayerArgs): Value {
  const fill = a.raw('fill_value');
  const dtype = dtypeKw(a) ?? (fill.k === 'tensor' ? fill.dtype : scalarDtype(fill));
  const sz = a.raw('size');
  const size = sz.k === 'tuple' || sz.k === 'list' ? sizeList(sz) : sz.k === 'int' ? null : null;
  return tensor(size, dtype);
}

function randintRule(a: LayerArgs): Value {
  // randint(high, size) or randint(low, high, size)
  const dtype = dtypeKw(a) ?? 'int64';
  const args = a.raw('args');
  const items = args.k === 'tuple' ? args.items : [];
  let sizeV: Value | undefined = a.values.get('size');
  if (!sizeV || sizeV.k === 'none') sizeV = items.length >= 2 ? items[items.length - 1] : undefined;
  if (!sizeV) return unknown('randint: size missing');
  return tensor(sizeV.k === 'tuple' || sizeV.k === 'list' ? sizeList(sizeV) : null, dtype);
}

function numOf(v: Value): Dim | null {
  if (v.k === 'int') return v.v;
  if (v.k === 'float') return v.v;
  if (v.k === 'bool') return v.v ? 1 : 0;
  return null;
}

/** torch.linspace: its values too when the bounds and the count are known numbers (TENSOR_VALUES). */
function linspaceRule(a: LayerArgs): Value {
  const dtype = dtypeKw(a) ?? 'float32';
  const t = tensor([a.dim('steps')], dtype);
  const s = numOf(a.raw('start'));
  const e = numOf(a.raw('end'));
  const n = numOf(a.raw('steps'));
  if (typeof s !== 'number' || typeof e !== 'number' || typeof n !== 'number' || n < 1 || n > MAX_TENSOR_VALUES) return t;
  const step = n === 1 ? 0 : (e - s) / (n - 1);
  return withValues(t, Array.from({ length: n }, (_, i) => elementOf(dtype, s + i * step)));
}


function arangeRule(a: LayerArgs): Value {
  const args = a.raw('args');
  const items = args.k === 'tuple' ? args.items : [];
  let start: Value = int(0);
  let end: Value | undefined;
  let step: Value = int(1);
  if (a.has('end')) {
    end = a.raw('end');
    if (items.length >= 1) start = items[0];
    if (a.has('start')) start = a.raw('start');
  } else if (items.length === 1) end = items[0];
  else if (items.length >= 2) {
    [start, end] = items;
    if (items.length >= 3) step = items[2];
  }
  if (a.has('step')) step = a.raw('step');
  if (a.has('start') && !a.has('end') && items.length === 1) {
    start = a.raw('start');
    end = items[0];
  }
  const all = [start, end ?? int(0), step];
  const dtype = dtypeKw(a) ?? (all.some((v) => v.k === 'float' || (v.k === 'tensor' && isFloatDtype(v.dtype))) ? 'float32' : 'int64');
  if (!end) return tensor([UNKNOWN_DIM], dtype);
  const s = numOf(start);
  const e = numOf(end);
  const st = numOf(step);
  if (s === null || e === null || st === null) return tensor([UNKNOWN_DIM], dtype);
  if (typeof s === 'number' && typeof e === 'number' && typeof st === 'number') {
    if (st === 0) throw new ShapeError('arange: step must be nonzero');
    if ((st > 0 && e < s) || (st < 0 && e > s)) throw new ShapeError('arange: upper bound and larger bound inconsistent with step sign');
    const n = Math.ceil((e - s) / st);
    const t = tensor([n], dtype);
    return n <= MAX_TENSOR_VALUES ? withValues(t, Array.from({ length: n }, (_, i) => elementOf(dtype, s + i * st))) : t;
  }
  if (typeof st === 'number' && Number.isInteger(st) && st > 0 && (typeof s !== 'number' || Number.isInteger(s)) && (typeof e !== 'number' || Number.isInteger(e))) {
    return tensor([ceilDivDims(subDims(e, s), st)], dtype);
  }
  return tensor([UNKNOWN_DIM], dtype);
}

/** Shape and dtype of a nested list literal (`torch.tensor([[1, 2], [3, 4]])`). */
export function literalShape(v: Value): { shape: Shape | null; dtype: string; guessed?: true } {
  if (v.k === 'int') return { shape: [], dtype: 'int64' };
  if (v.k === 'bool') return { shape: [], dtype: 'bool' };
  if (v.k === 'float') return { shape: [], dtype: 'float32' };
  if (v.k === 'tensor') return { shape: v.shape, dtype: v.dtype, ...(v.dtypeGuessed ? { guessed: true as const } : {}) };
  if (v.k === 'list' || v.k === 'tuple') {
    if (v.items.length === 0) return { shape: [0], dtype: 'float32' };
    const subs = v.items.map(literalShape);
    let cat = 0;
    for (const s of subs) cat = Math.max(cat, category(s.dtype));
    const dtype = cat === 0 ? 'bool' : cat === 1 ? 'int64' : 'float32';
    const guessed = subs.some((s) => s.guessed) ? { guessed: true as const } : {};
    const first = subs[0].shape;
    if (!first || subs.some((s) => !s.shape)) return { shape: null, dtype, ...guessed };
    for (const s of subs) {
      if ((s.shape as Shape).length !== first.length || (s.shape as Shape).some((d, i) => dimsConflict(d, first[i]))) {
        throw new ShapeError(`expected sequence of length ${formatDim(first[0] ?? 0)} at dim 1 (got ${formatDim((s.shape as Shape)[0] ?? 0)})`);
      }
    }
    return { shape: [v.items.length, ...first], dtype, ...guessed };
  }
  return { shape: null, dtype: 'float32', guessed: true };
}

/** A tensor whose dtype was not given and could not be read from its data. */
function guessedDtype(shape: Shape | null, dtype: string): TensorV {
  return { ...tensor(shape, dtype), dtypeGuessed: true };
}

function tensorCtorRule(a: LayerArgs): Value {
  const data = a.raw('data');
  const given = dtypeKw(a);
  if (data.k === 'unknown') return given ? tensor(null, given) : guessedDtype(null, 'float32');
  const { shape, dtype, guessed } = literalShape(data);
  const out = given ? tensor(shape, given) : guessed ? guessedDtype(shape, dtype) : tensor(shape, dtype);
  // The values of literal data (torch.tensor([inp.shape[-1] for inp in x])), or of a tensor copied.
  return data.k === 'tensor' ? sameValues(data, out) : withKnownValues(out, literalValues(data));
}

function likeRule(dtypeFrom?: (x: TensorV, a: LayerArgs) => string): RuleFn {
  return (a) => {
    const x = tensorArg(a, 'input');
    return tensor(x.shape, dtypeKw(a) ?? (dtypeFrom ? dtypeFrom(x, a) : x.dtype));
  };
}

// --- elementwise

/** Shape-preserving unary op; `toFloat` promotes integer inputs to float32 (exp, sqrt...). */
function unaryRule(mode: 'keep' | 'float' | 'bool' | 'long' | 'real' = 'keep'): RuleFn {
  return (a) => {
    const x = tensorArg(a, 'input');
    // abs / angle of a complex tensor are real.
    const real = mode === 'real' ? (x.dtype.startsWith('complex') ? realOf(x.dtype) : x.dtype) : undefined;
    const dt = dtypeKw(a) ?? real ?? (mode === 'float' ? floatOf(x.dtype) : mode === 'bool' ? 'bool' : mode === 'long' ? 'int64' : x.dtype);
    const out = tensor(x.shape, dt);
    // Element values of a constant input (1 - torch.exp(torch.linspace(...))), for an op without further arguments.
    return a.has('_a') || a.has('decimals') ? out : unaryValues(a.owner, x, out);
  };
}

/**
 * An elementwise function of two operands. `valueOp`: the Python operator it computes
 * (torch.pow is `**`), so constant operands give the result's values as the operator does
 * (np.power(2.54, ks) in RegNet's width schedule); not with an alpha or a rounding mode.
 */
function binaryRule(kind: 'arith' | 'div' | 'bool' | 'float' = 'arith', first = 'input', second = 'other', valueOp?: string): RuleFn {
  return (a) => {
    const x = a.raw(first);
    const y = a.raw(second);
    let dtype = resultType([x, y]);
    let mode: string | null = null;
    if (kind === 'div') {
      mode = a.str('rounding_mode');
      if (!mode && !isFloatDtype(dtype)) dtype = 'float32';
    }
    if (kind === 'float') dtype = floatOf(dtype);
    if (kind === 'bool') dtype = 'bool';
    const out = elementwise([x, y], dtype);
    if (!valueOp || mode) return out;
    // torch.add(x, y, alpha=2) is x + 2 * y.
    const alpha = a.isNone('alpha') ? 1 : a.num('alpha');
    if (alpha === null) return out;
    const scaled = alpha === 1 ? y : binaryValues('*', y, float(alpha), y.k === 'tensor' ? tensor(y.shape, y.dtype) : tensor([], 'float32'));
    return binaryValues(valueOp, x, scaled, out);
  };
}

function softmaxRule(a: LayerArgs): Value {
  const x = tensorArg(a, 'input');
  const dtype = dtypeKw(a) ?? x.dtype;
  if (!x.shape) return tensor(null, dtype);
  if (a.has('dim')) dimArg(a, 'dim', x.shape.length);
  return tensor(x.shape, dtype);
}

/** An op along one dim that keeps the shape (cumsum, flip along dims, roll...). */
function alongDimKeep(dimName = 'dim', dtypeFn?: (x: TensorV, a: LayerArgs) => string): RuleFn {
  return (a) => {
    const x = tensorArg(a, 'input');
    const dtype = dtypeKw(a) ?? (dtypeFn ? dtypeFn(x, a) : x.dtype);
    if (!x.shape) return tensor(null, dtype);
    if (a.has(dimName)) dimsArg(a.raw(dimName), x.shape.length, a.owner);
    return tensor(x.shape, dtype);
  };
}

function whereRule(a: LayerArgs): Value {
  const c = a.raw('condition');
  const x = a.raw('input');
  const y = a.raw('other');
  if (x.k === 'unknown' && x.why.startsWith('missing') && y.k === 'unknown') {
    // torch.where(cond): a tuple of index tensors, one per dim of cond.
    if (c.k !== 'tensor' || !c.shape) return unknown('where(condition) of unknown rank');
    return tuple(c.shape.map(() => tensor([UNKNOWN_DIM], 'int64')));
  }
  return elementwise([c, x, y], resultType([x, y]));
}

function clampRule(a: LayerArgs): Value {
  const x = tensorArg(a, 'input');
  const ops: Value[] = [x];
  for (const n of ['min', 'max']) if (a.raw(n).k === 'tensor') ops.push(a.raw(n));
  if (ops.length === 1) {
    const lim = [a.raw('min'), a.raw('max')].filter((v) => v.k === 'float');
    return tensor(x.shape, lim.length && !isFloatDtype(x.dtype) ? 'float32' : x.dtype);
  }
  return elementwise(ops, resultType(ops));
}

// --- indexing-style ops

function topkRule(a: LayerArgs): Value {
  const x = tensorArg(a, 'input');
  if (!x.shape) return valuesIndices(null, x.dtype);
  const dim = x.shape.length === 0 ? 0 : dimArg(a, 'dim', x.shape.length);
  const k = a.dim('k');
  const n = x.shape.length === 0 ? 1 : x.shape[dim];
  if (typeof k === 'number' && typeof n === 'number' && (k > n || k < 0)) throw new ShapeError(`topk: selected index k out of range (k=${k}, size ${n})`);
  if (x.shape.length === 0) return valuesIndices([], x.dtype);
  return valuesIndices(x.shape.map((d, i) => (i === dim ? k : d)), x.dtype);
}

function sortRule(a: LayerArgs): Value {
  const x = tensorArg(a, 'input');
  if (x.shape && x.shape.length) dimArg(a, 'dim', x.shape.length);
  return valuesIndices(x.shape, x.dtype);
}

function gatherRule(a: LayerArgs): Value {
  const x = tensorArg(a, 'input');
  const idx = tensorArg(a, 'index');
  if (!x.shape || !idx.shape) return tensor(idx.shape, x.dtype);
  const dim = dimArg(a, 'dim', x.shape.length);
  if (idx.shape.length !== x.shape.length && !(x.shape.length === 0 && idx.shape.length <= 1)) {
    throw new ShapeError(`gather: Index tensor must have the same number of dimensions as input tensor (index ${formatShape(idx.shape)}, input ${formatShape(x.shape)})`);
  }
  const xs = x.shape;
  const is = idx.shape;
  is.forEach((d, i) => {
    if (i !== dim && typeof d === 'number' && typeof xs[i] === 'number' && d > (xs[i] as number)) {
      throw new ShapeError(`gather: Size does not match at dimension ${i} expected index ${formatShape(is)} to be smaller than self ${formatShape(xs)} apart from dimension ${dim}`);
    }
  });
  return tensor(idx.shape, x.dtype);
}

function indexSelectRule(a: LayerArgs): Value {
  const x = tensorArg(a, 'input');
  const idx = tensorArg(a, 'index');
  if (!x.shape) return tensor(null, x.dtype);
  if (idx.shape && idx.shape.length > 1) throw new ShapeError('index_select(): Index is supposed to be a vector');
  const n = idx.shape ? (idx.shape.length === 0 ? 1 : idx.shape[0]) : UNKNOWN_DIM;
  if (x.shape.length === 0) return tensor([], x.dtype);
  const dim = dimArg(a, 'dim', x.shape.length);
  return tensor(x.shape.map((d, i) => (i === dim ? n : d)), x.dtype);
}

function narrowRule(a: LayerArgs): Value {
  const x = shapedArg(a, 'input');
  const dim = dimArg(a, 'dim', x.shape.length);
  const start = a.dim('start');
  const len = a.dim('length');
  const n = x.shape[dim];
  if (typeof start === 'number' && typeof len === 'number' && typeof n === 'number') {
    const s = start < 0 ? start + n : start;
    if (s < 0 || s > n) throw new ShapeError(`narrow: start (${start}) out of range for dimension ${dim} of size ${n}`);
    if (len < 0 || s + len > n) throw new ShapeError(`narrow: start (${start}) + length (${len}) exceeds dimension size (${n})`);
  }
  return tensor(x.shape.map((d, i) => (i === dim ? len : d)), x.dtype);
}

function selectRule(a: LayerArgs): Value {
  const x = shapedArg(a, 'input');
  if (x.shape.length === 0) throw new ShapeError('select() cannot be applied to a 0-dim tensor');
  const dim = dimArg(a, 'dim', x.shape.length);
  const idx = a.dim('index');
  const n = x.shape[dim];
  if (typeof idx === 'number' && typeof n === 'number' && (idx >= n || idx < -n)) {
    throw new ShapeError(`select(): index ${idx} out of range for tensor of size ${formatShape(x.shape)} at dimension ${dim}`);
  }
  return tensor(x.shape.filter((_, i) => i !== dim), x.dtype);
}

function repeatInterleaveRule(a: LayerArgs): Value {
  const x = tensorArg(a, 'input');
  const r = a.raw('repeats');
  if (r.k === 'unknown' && r.why.startsWith('missing')) {
    // repeat_interleave(repeats_tensor): indices, total unknown.
    return tensor([UNKNOWN_DIM], 'int64');
  }
  if (!x.shape) return tensor(null, x.dtype);
  let rep: Dim = UNKNOWN_DIM;
  // A repeats tensor of known values (FastSpeech's durations written out): one count, or one per slice.
  const counts = r.k === 'tensor' && r.shape && r.shape.length <= 1 ? valuesOfTensor(r) : null;
  if (r.k === 'int') rep = r.v;
  else if (counts && counts.length === 1) rep = counts[0];
  if (a.isNone('dim')) return tensor([mulDims(prodDims(x.shape), rep)], x.dtype);
  const dim = dimArg(a, 'dim', x.shape.length);
  if (r.k === 'tensor' && r.shape && r.shape.length === 1 && typeof r.shape[0] === 'number' && r.shape[0] !== 1 && dimsConflict(r.shape[0], x.shape[dim])) {
    throw new ShapeError(`repeat_interleave: repeats must have the same size as input along dim (${formatShape(r.shape)} vs ${sizeStr(x.shape[dim])})`);
  }
  if (counts && counts.length > 1 && counts.length === x.shape[dim] && counts.every((c) => Number.isInteger(c) && c >= 0)) {
    return tensor(x.shape.map((d, i) => (i === dim ? SUM(counts) : d)), x.dtype);
  }
  return tensor(x.shape.map((d, i) => (i === dim ? mulDims(d, rep) : d)), x.dtype);
}

export function tileShape(shape: Shape, reps: Dim[]): Shape {
  const n = Math.max(shape.length, reps.length);
  const s = [...Array(n - shape.length).fill(1), ...shape];
  const r = [...Array(n - reps.length).fill(1), ...reps];
  return s.map((d, i) => mulDims(d, r[i]));
}

function cdistRule(a: LayerArgs): Value {
  const x = shapedArg(a, 'x1');
  const y = shapedArg(a, 'x2');
  if (x.shape.length < 2 || y.shape.length < 2) throw new ShapeError(`cdist only supports at least 2D tensors, X1 got: ${x.shape.length}D, X2 got: ${y.shape.length}D`);
  const m1 = x.shape[x.shape.length - 1];
  const m2 = y.shape[y.shape.length - 1];
  if (dimsConflict(m1, m2)) throw new ShapeError(`cdist: X1 and X2 must have the same number of columns. X1: ${sizeStr(m1)} X2: ${sizeStr(m2)}`);
  const batch = broadcastShapes(x.shape.slice(0, -2), y.shape.slice(0, -2));
  return tensor([...batch, x.shape[x.shape.length - 2], y.shape[y.shape.length - 2]], resultType([x, y]));
}

function outerRule(a: LayerArgs): Value {
  const x = shapedArg(a, 'input');
  const y = shapedArg(a, 'vec2');
  if (x.shape.length !== 1 || y.shape.length !== 1) throw new ShapeError(`outer: expected 1-D arguments, got ${formatShape(x.shape)} and ${formatShape(y.shape)}`);
  return tensor([x.shape[0], y.shape[0]], resultType([x, y]));
}

function dotRule(a: LayerArgs): Value {
  const x = shapedArg(a, 'input');
  const y = shapedArg(a, 'other');
  if (x.shape.length !== 1 || y.shape.length !== 1) throw new ShapeError(`1D tensors expected, but got ${x.shape.length}D and ${y.shape.length}D tensors`);
  if (dimsConflict(x.shape[0], y.shape[0])) throw new ShapeError(`inconsistent tensor size, expected tensor [${sizeStr(x.shape[0])}] and src [${sizeStr(y.shape[0])}] to have the same number of elements, but got ${sizeStr(x.shape[0])} and ${sizeStr(y.shape[0])} elements respectively`);
  return tensor([], resultType([x, y]));
}

function diagRule(a: LayerArgs): Value {
  const x = shapedArg(a, 'input');
  const off = intArg(a, 'diagonal', tensor(null, x.dtype));
  if (x.shape.length === 1) {
    const n = addDims(x.shape[0], Math.abs(off));
    return tensor([n, n], x.dtype);
  }
  if (x.shape.length === 2) return tensor([diagLen(x.shape[0], x.shape[1], off)], x.dtype);
  throw new ShapeError(`diag(): Supports 1D or 2D tensors. Got ${x.shape.length}D`);
}

function diagLen(r: Dim, c: Dim, off: number): Dim {
  const rr = off < 0 ? subDims(r, -off) : r;
  const cc = off > 0 ? subDims(c, off) : c;
  if (typeof rr === 'number' && typeof cc === 'number') return Math.max(0, Math.min(rr, cc));
  if (dimsEqual(rr, cc)) return rr;
  return UNKNOWN_DIM;
}

function diagonalRule(a: LayerArgs): Value {
  const x = shapedArg(a, 'input');
  const d1 = dimArg(a, 'dim1', x.shape.length);
  const d2 = dimArg(a, 'dim2', x.shape.length);
  if (d1 === d2) throw new ShapeError('diagonal dimensions cannot be identical');
  const off = intArg(a, 'offset');
  const rest = x.shape.filter((_, i) => i !== d1 && i !== d2);
  return tensor([...rest, diagLen(x.shape[d1], x.shape[d2], off)], x.dtype);
}

function broadcastToRule(a: LayerArgs): Value {
  const x = tensorArg(a, 'input');
  const target = sizeList(a.raw('size'));
  if (!target) return tensor(null, x.dtype);
  if (!x.shape) return tensor(target.some((d) => d === -1) ? null : target, x.dtype);
  // expand semantics
  if (target.length < x.shape.length) throw new ShapeError(`broadcast_to: the number of sizes provided (${target.length}) must be greater or equal to the number of dimensions in the tensor (${x.shape.length})`);
  const lead = target.length - x.shape.length;
  const shp = x.shape;
  return tensor(
    target.map((t, i) => {
      if (i < lead) return t;
      const s = shp[i - lead];
      if (t === -1) return s;
      if (s !== 1 && dimsConflict(s, t)) throw new ShapeError(`broadcast_to: the expanded size ${sizeStr(t)} must match the existing size ${sizeStr(s)} at non-singleton dimension ${i}`);
      return t;
    }),
    x.dtype,
  );
}

function meshgridRule(a: LayerArgs): Value {
  let tsV = a.raw('tensors');
  if (tsV.k === 'tuple' && tsV.items.length === 1 && (tsV.items[0].k === 'list' || tsV.items[0].k === 'tuple')) tsV = tsV.items[0];
  const ts = tensorList(tsV, 'meshgrid');
  const ns = ts.map((t) => (t.shape ? (t.shape.length === 0 ? 1 : t.shape[0]) : UNKNOWN_DIM));
  const shape = a.str('indexing') === 'xy' && ns.length >= 2 ? [ns[1], ns[0], ...ns.slice(2)] : ns;
  return tuple(ts.map((t) => tensor(shape, t.dtype)));
}

function multinomialRule(a: LayerArgs): Value {
  const x = tensorArg(a, 'input');
  const n = a.dim('num_samples');
  if (!x.shape) return tensor(null, 'int64');
  if (x.shape.length < 1 || x.shape.length > 2) throw new ShapeError('multinomial: prob_dist must be 1 or 2 dim');
  return tensor([...x.shape.slice(0, -1), n], 'int64');
}

function nonzeroRule(a: LayerArgs): Value {
  const x = tensorArg(a, 'input');
  if (a.bool('as_tuple')) {
    if (!x.shape) return unknown('nonzero of unknown rank');
    return tuple(Array.from({ length: Math.max(1, x.shape.length) }, () => tensor([UNKNOWN_DIM], 'int64')));
  }
  return tensor([UNKNOWN_DIM, x.shape ? x.shape.length : UNKNOWN_DIM], 'int64');
}

// ---------------------------------------------------------------------------
// torch.nn.functional

/** Splits an N-d spatial input into (batch dims, channels, spatial), accepting the unbatched form. */
function spatialInput(x: KnownTensor, nd: number, owner: string): { batch: Shape; c: Dim; sp: Shape } {
  const r = x.shape.length;
  if (r === nd + 2) return { batch: [x.shape[0]], c: x.shape[1], sp: x.shape.slice(2) };
  if (r === nd + 1) return { batch: [], c: x.shape[0], sp: x.shape.slice(1) };
  throw new ShapeError(`${owner}: Expected ${nd + 1}D (unbatched) or ${nd + 2}D (batched) input, but got input of size: ${formatShape(x.shape)}`);
}

function convRule(nd: number): RuleFn {
  return (a) => {
    const x = shapedArg(a, 'input');
    const w = shapedArg(a, 'weight', x.dtype);
    if (w.shape.length !== nd + 2) throw new ShapeError(`weight should have ${nd + 2} dimensions, got ${formatShape(w.shape)}`);
    const { batch, c, sp } = spatialInput(x, nd, a.owner);
    const groups = a.int('groups') ?? 1;
    const inPerGroup = w.shape[1];
    if (dimsConflict(c, mulDims(inPerGroup, groups))) {
      throw new ShapeError(`Given groups=${groups}, weight of size ${formatShape(w.shape)}, expected input${formatShape(x.shape)} to have ${sizeStr(mulDims(inPerGroup, groups))} channels, but got ${sizeStr(c)} channels instead`);
    }
    const k = w.shape.slice(2);
    const stride = a.dims('stride', nd);
    const dil = a.dims('dilation', nd);
    const padMode = a.str('padding');
    let out: Shape;
    if (padMode === 'same') {
      if (stride.some((s) => s !== 1)) throw new ShapeError("padding='same' is not supported for strided convolutions");
      out = [...sp];
    } else {
      const pad = padMode === 'valid' ? Array(nd).fill(0) : a.dims('padding', nd);
      out = sp.map((d, i) => convOutDim(d, k[i], stride[i], pad[i], dil[i]));
    }
    for (const [i, d] of out.entries()) {
      if (typeof d === 'number' && d <= 0) {
        throw new ShapeError(`Calculated padded input size per channel: (${sp.map(sizeStr).join(' x ')}). Kernel size: (${k.map(sizeStr).join(' x ')}). Kernel size can't be greater than actual input size (output dim ${i} would be ${d})`, 'DL405');
      }
    }
    return tensor([...batch, w.shape[0], ...out], x.dtype);
  };
}

function convTransposeRule(nd: number): RuleFn {
  return (a) => {
    const x = shapedArg(a, 'input');
    const w = shapedArg(a, 'weight', x.dtype);
    if (w.shape.length !== nd + 2) throw new ShapeError(`weight should have ${nd + 2} dimensions, got ${formatShape(w.shape)}`);
    const { batch, c, sp } = spatialInput(x, nd, a.owner);
    const groups = a.int('groups') ?? 1;
    if (dimsConflict(c, w.shape[0])) {
      throw new ShapeError(`Given transposed=1, weight of size ${formatShape(w.shape)}, expected input${formatShape(x.shape)} to have ${sizeStr(w.shape[0])} channels, but got ${sizeStr(c)} channels instead`);
    }
    const k = w.shape.slice(2);
    const stride = a.dims('stride', nd);
    const pad = a.dims('padding', nd);
    const opad = a.dims('output_padding', nd);
    const dil = a.dims('dilation', nd);
    const out = sp.map((d, i) => convTransposeOutDim(d, k[i], stride[i], pad[i], opad[i], dil[i]));
    return tensor([...batch, mulDims(w.shape[1], groups), ...out], x.dtype);
  };
}

function poolRule(nd: number, kind: 'max' | 'avg' | 'lp'): RuleFn {
  return (a) => {
    const x = tensorArg(a, 'input');
    const withIdx = kind === 'max' && a.bool('return_indices');
    const wrap = (s: Shape | null): Value => (withIdx ? tuple([tensor(s, x.dtype), tensor(s, 'int64')]) : tensor(s, x.dtype));
    if (!x.shape) return wrap(null);
    const xs = x as KnownTensor;
    const { batch, c, sp } = spatialInput(xs, nd, a.owner);
    const k = a.dims('kernel_size', nd);
    const stride = a.isNone('stride') || (a.raw('stride').k === 'tuple' && (a.raw('stride') as any).items.length === 0) ? k : a.dims('stride', nd);
    const pad = kind === 'lp' ? Array(nd).fill(0) : a.dims('padding', nd);
    const dil = kind === 'max' ? a.dims('dilation', nd) : Array(nd).fill(1);
    const ceil = a.bool('ceil_mode');
    for (let i = 0; i < nd; i++) {
      if (typeof pad[i] === 'number' && typeof k[i] === 'number' && (pad[i] as number) * 2 > (k[i] as number)) {
        throw new ShapeError(`pad should be at most half of effective kernel size, but got pad=${sizeStr(pad[i])}, kernel_size=${sizeStr(k[i])}`);
      }
    }
    const out = sp.map((d, i) => poolOutDim(d, k[i], stride[i], pad[i], dil[i], ceil));
    for (const d of out) {
      if (typeof d === 'number' && d <= 0) {
        throw new ShapeError(`Given input size: (${[c, ...sp].map(sizeStr).join('x')}). Calculated output size: (${[c, ...out].map(sizeStr).join('x')}). Output size is too small`, 'DL405');
      }
    }
    return wrap([...batch, c, ...out]);
  };
}

function adaptivePoolRule(nd: number, kind: 'max' | 'avg'): RuleFn {
  return (a) => {
    const x = tensorArg(a, 'input');
    const withIdx = kind === 'max' && a.bool('return_indices');
    const wrap = (s: Shape | null): Value => (withIdx ? tuple([tensor(s, x.dtype), tensor(s, 'int64')]) : tensor(s, x.dtype));
    if (!x.shape) return wrap(null);
    const { batch, c, sp } = spatialInput(x as KnownTensor, nd, a.owner);
    const osV = a.raw('output_size');
    const items = osV.k === 'tuple' || osV.k === 'list' ? osV.items : Array(nd).fill(osV);
    if (items.length !== nd) throw new ShapeError(`adaptive_${kind}_pool${nd}d: output_size must be ${nd}`);
    const out = items.map((v, i) => (v.k === 'none' ? sp[i] : valueToDim(v)));
    return wrap([...batch, c, ...out]);
  };
}

function interpolateRule(a: LayerArgs): Value {
  const x = shapedArg(a, 'input');
  const nd = x.shape.length - 2;
  if (nd < 1 || nd > 3) throw new ShapeError(`interpolate: Input Error: Only 3D, 4D and 5D input Tensors supported (got ${x.shape.length}D)`);
  const sp = x.shape.slice(2);
  const hasSize = a.has('size');
  const hasScale = a.has('scale_factor');
  if (hasSize && hasScale) throw new ShapeError('only one of size or scale_factor should be defined');
  if (!hasSize && !hasScale) throw new ShapeError('either size or scale_factor should be defined');
  let out: Shape;
  if (hasSize) {
    const s = a.raw('size');
    if ((s.k === 'tuple' || s.k === 'list') && s.items.length !== nd) {
      throw new ShapeError(`Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of ${formatShape(sp)} and output size of ${formatShape(s.items.map(valueToDim))}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.`);
    }
    out = a.dims('size', nd);
  } else {
    const f = a.raw('scale_factor');
    const fs = f.k === 'tuple' || f.k === 'list' ? f.items : Array(nd).fill(f);
    if (fs.length !== nd) throw new ShapeError(`Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of ${formatShape(sp)} and scale_factor of shape ${fs.length}`);
    out = sp.map((d, i) => {
      const v = fs[i];
      const s = v.k === 'int' || v.k === 'float' ? (typeof v.v === 'number' ? v.v : null) : null;
      if (s === null) return UNKNOWN_DIM;
      if (typeof d === 'number') return Math.floor(d * s);
      return Number.isInteger(s) ? mulDims(d, s) : UNKNOWN_DIM;
    });
  }
  return tensor([x.shape[0], x.shape[1], ...out], x.dtype);
}

function padRule(a: LayerArgs): Value {
  const x = shapedArg(a, 'input');
  const p = a.raw('pad');
  if (p.k !== 'tuple' && p.k !== 'list') return tensor(null, x.dtype);
  const pads = p.items.map(valueToDim);
  if (pads.length % 2 !== 0) throw new ShapeError('Padding length must be divisible by 2');
  if (pads.length / 2 > x.shape.length) throw new ShapeError(`Padding length too large (${pads.length} values for a ${x.shape.length}D input)`);
  const out = [...x.shape];
  for (let i = 0; i < pads.length / 2; i++) {
    const d = out.length - 1 - i;
    out[d] = addDims(addDims(out[d], pads[2 * i]), pads[2 * i + 1]);
    if (typeof out[d] === 'number' && (out[d] as number) < 0) throw new ShapeError(`The input size ${sizeStr(x.shape[d])}, plus negative padding ${sizeStr(pads[2 * i])} and ${sizeStr(pads[2 * i + 1])} resulted in a negative output size, which is invalid. Check dimension ${d} of your input.`);
  }
  return tensor(out, x.dtype);
}

function linearRule(a: LayerArgs): Value {
  const x = shapedArg(a, 'input');
  const w = shapedArg(a, 'weight', x.dtype);
  if (x.shape.length === 0) throw new ShapeError('linear: input must have at least 1 dimension');
  const inF = x.shape[x.shape.length - 1];
  if (w.shape.length === 2) {
    if (dimsConflict(inF, w.shape[1])) {
      throw new ShapeError(`mat1 and mat2 shapes cannot be multiplied (${sizeStr(prodDims(x.shape.slice(0, -1)))}x${sizeStr(inF)} and ${sizeStr(w.shape[1])}x${sizeStr(w.shape[0])})`);
    }
    return tensor([...x.shape.slice(0, -1), w.shape[0]], x.dtype);
  }
  if (w.shape.length === 1) return tensor(matmulShape(x.shape, w.shape, a.owner), x.dtype);
  throw new ShapeError(`linear: weight must be 1-D or 2-D, got ${formatShape(w.shape)}`);
}

function bilinearRule(a: LayerArgs): Value {
  const x1 = shapedArg(a, 'input1');
  const x2 = shapedArg(a, 'input2');
  const w = shapedArg(a, 'weight', x1.dtype);
  if (w.shape.length !== 3) throw new ShapeError('bilinear(): weight must be three-dimensional');
  const last = (t: KnownTensor) => t.shape[t.shape.length - 1] ?? UNKNOWN_DIM;
  if (dimsConflict(last(x1), w.shape[1])) throw new ShapeError(`bilinear(): input1 size does not match weight size: got ${sizeStr(last(x1))} but expected ${sizeStr(w.shape[1])}`);
  if (dimsConflict(last(x2), w.shape[2])) throw new ShapeError(`bilinear(): input2 size does not match weight size: got ${sizeStr(last(x2))} but expected ${sizeStr(w.shape[2])}`);
  return tensor([...x1.shape.slice(0, -1), w.shape[0]], x1.dtype);
}

function embeddingRule(a: LayerArgs): Value {
  const idx = tensorArg(a, 'input');
  const w = tensorArg(a, 'weight');
  if (!idx.shape || !w.shape) return tensor(null, w.dtype);
  if (w.shape.length !== 2) throw new ShapeError(`embedding: weight must be 2-D, got ${formatShape(w.shape)}`);
  return tensor([...idx.shape, w.shape[1]], w.dtype);
}

function oneHotRule(a: LayerArgs): Value {
  const x = tensorArg(a, 'tensor');
  const n = a.dim('num_classes');
  const k = n === -1 ? UNKNOWN_DIM : n;
  if (!x.shape) return tensor(null, 'int64');
  return tensor([...x.shape, k], 'int64');
}

function layerNormRule(a: LayerArgs): Value {
  const x = shapedArg(a, 'input');
  const ns = sizeList(a.raw('normalized_shape'));
  if (ns) {
    const tail = x.shape.slice(x.shape.length - ns.length);
    if (ns.length > x.shape.length || ns.some((d, i) => dimsConflict(d, tail[i]))) {
      throw new ShapeError(`Given normalized_shape=${formatShape(ns)}, expected input with shape [*, ${ns.map(sizeStr).join(', ')}], but got input of size${formatShape(x.shape)}`);
    }
  }
  return tensor(x.shape, x.dtype);
}

function normChannelsRule(weightName: string | null): RuleFn {
  return (a) => {
    const x = shapedArg(a, 'input');
    if (x.shape.length < 2 && weightName !== 'group') throw new ShapeError(`Expected 2D or higher input (got ${x.shape.length}D input)`);
    const c = x.shape.length >= 2 ? x.shape[1] : UNKNOWN_DIM;
    if (weightName === 'group') {
      const g = a.int('num_groups');
      if (g !== null && typeof c === 'number' && c % g !== 0) throw new ShapeError(`Expected number of channels in input to be divisible by num_groups, but got input of shape ${formatShape(x.shape)} and num_groups=${g}`);
    } else if (weightName) {
      for (const n of [weightName, 'running_mean']) {
        const w = a.raw(n);
        if (w.k === 'tensor' && w.shape && w.shape.length === 1 && dimsConflict(w.shape[0], c)) {
          throw new ShapeError(`running_mean should contain ${sizeStr(c)} elements not ${sizeStr(w.shape[0])}`);
        }
      }
    }
    return tensor(x.shape, x.dtype);
  };
}

function pixelShuffleRule(inverse: boolean): RuleFn {
  return (a) => {
    const x = shapedArg(a, 'input');
    const r = intArg(a, inverse ? 'downscale_factor' : 'upscale_factor', tensor(null, x.dtype));
    if (x.shape.length < 3) throw new ShapeError(`pixel_${inverse ? 'un' : ''}shuffle expects input to have at least 3 dimensions, but got input with ${x.shape.length} dimension(s)`);
    const lead = x.shape.slice(0, -3);
    const [c, h, w] = x.shape.slice(-3);
    if (!inverse) {
      if (typeof c === 'number' && c % (r * r) !== 0) throw new ShapeError(`pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=${c} is not divisible by ${r * r}`);
      return tensor([...lead, floorDivDims(c, r * r), mulDims(h, r), mulDims(w, r)], x.dtype);
    }
    for (const [nm, d] of [['height', h], ['width', w]] as const) {
      if (typeof d === 'number' && d % r !== 0) throw new ShapeError(`pixel_unshuffle expects ${nm} to be divisible by downscale_factor, but input.size(${nm === 'height' ? -2 : -1})=${d} is not divisible by ${r}`);
    }
    return tensor([...lead, mulDims(c, r * r), floorDivDims(h, r), floorDivDims(w, r)], x.dtype);
  };
}

/** channel_shuffle(x, groups): x's shape; (N, C, *) with C divisible by groups. */
function channelShuffleRule(a: LayerArgs): Value {
  const x = shapedArg(a, 'input');
  const g = intArg(a, 'groups', tensor(null, x.dtype));
  if (x.shape.length < 3) throw new ShapeError(`channel_shuffle expects input to have at least 3 dimensions, but got input with ${x.shape.length} dimension(s)`);
  if (typeof x.shape[1] === 'number' && g > 0 && x.shape[1] % g !== 0) throw new ShapeError(`Number of channels must be divisible by groups. Got ${x.shape[1]} channels and ${g} groups.`);
  return tensor([...x.shape], x.dtype);
}

function unfoldRule(a: LayerArgs): Value {
  const x = shapedArg(a, 'input');
  if (x.shape.length !== 3 && x.shape.length !== 4) throw new ShapeError(`Input Error: Only 3D or 4D input Tensors are supported (got ${x.shape.length}D)`);
  const batched = x.shape.length === 4;
  const [c, h, w] = x.shape.slice(-3);
  const k = a.dims('kernel_size', 2);
  const d = a.dims('dilation', 2);
  const p = a.dims('padding', 2);
  const s = a.dims('stride', 2);
  const oh = convOutDim(h, k[0], s[0], p[0], d[0]);
  const ow = convOutDim(w, k[1], s[1], p[1], d[1]);
  for (const o of [oh, ow]) if (typeof o === 'number' && o <= 0) throw new ShapeError(`unfold: calculated shape of the array of sliding blocks is non-positive (${sizeStr(oh)} x ${sizeStr(ow)})`);
  const out = [mulDims(c, prodDims(k)), mulDims(oh, ow)];
  return tensor(batched ? [x.shape[0], ...out] : out, x.dtype);
}

function foldRule(a: LayerArgs): Value {
  const x = shapedArg(a, 'input');
  if (x.shape.length !== 2 && x.shape.length !== 3) throw new ShapeError(`Input Error: Only unbatched (2D) or batched (3D) input Tensors are supported (got ${x.shape.length}D)`);
  const batched = x.shape.length === 3;
  const ck = x.shape[x.shape.length - 2];
  const k = a.dims('kernel_size', 2);
  const o = a.dims('output_size', 2);
  const kk = prodDims(k);
  if (typeof ck === 'number' && typeof kk === 'number' && ck % kk !== 0) throw new ShapeError(`Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got input.size(1)=${ck} and kernel_size=(${k.join(', ')})`);
  const c = floorDivDims(ck, kk);
  return tensor(batched ? [x.shape[0], c, ...o] : [c, ...o], x.dtype);
}

function gridSampleRule(a: LayerArgs): Value {
  const x = shapedArg(a, 'input');
  const g = shapedArg(a, 'grid', x.dtype);
  if (x.shape.length !== 4 && x.shape.length !== 5) throw new ShapeError(`grid_sampler(): expected 4D or 5D input and grid with same number of dimensions, but got input with sizes ${formatShape(x.shape)} and grid with sizes ${formatShape(g.shape)}`);
  if (g.shape.length !== x.shape.length) throw new ShapeError(`grid_sampler(): expected grid to have the same number of dimensions as input, but got input with sizes ${formatShape(x.shape)} and grid with sizes ${formatShape(g.shape)}`);
  if (dimsConflict(x.shape[0], g.shape[0])) throw new ShapeError(`grid_sampler(): expected grid and input to have same batch size, but got input with sizes ${formatShape(x.shape)} and grid with sizes ${formatShape(g.shape)}`);
  const nd = x.shape.length - 2;
  if (dimsConflict(g.shape[g.shape.length - 1], nd)) throw new ShapeError(`grid_sampler(): expected grid to have size ${nd} in last dimension, but got grid with sizes ${formatShape(g.shape)}`);
  return tensor([x.shape[0], x.shape[1], ...g.shape.slice(1, -1)], x.dtype);
}

function affineGridRule(a: LayerArgs): Value {
  const th = tensorArg(a, 'theta');
  const size = sizeList(a.raw('size'));
  if (!size) return tensor(null, th.dtype);
  if (size.length === 4) return tensor([size[0], size[2], size[3], 2], th.dtype);
  if (size.length === 5) return tensor([size[0], size[2], size[3], size[4], 3], th.dtype);
  throw new ShapeError('affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, respectively');
}

/** Loss reduction: 'mean' / 'sum' → 0-d; 'none' → the elementwise shape. Legacy size_average/reduce honoured. */
function reducedLoss(a: LayerArgs, noneShape: () => Shape | null, dtype: string): Value {
  let red = a.str('reduction') ?? 'mean';
  if (a.has('reduce') && !a.bool('reduce')) red = 'none';
  if (red === 'none') return tensor(noneShape(), dtype);
  if (!['mean', 'sum', 'batchmean'].includes(red)) throw new ShapeError(`${red} is not a valid value for reduction`);
  return tensor([], dtype);
}


function pairLossRule(opts: { warnBroadcast?: boolean | 'silent' } = {}): RuleFn {
  return (a) => {
    const x = tensorArg(a, 'input');
    const t = tensorArg(a, 'target');
    if (x.shape && t.shape && opts.warnBroadcast === 'silent' && provablyDiffer(x.shape, t.shape)) {
      // mse / l1 / smooth_l1 / huber only warn and broadcast a target of another shape: the
      // loss of the broadcast pair is wrong (DL410, as for their nn.*Loss modules), but torch
      // returns it, so the result stands. A pair that cannot broadcast is left as before.
      const b = broadcastOrNull(x.shape, t.shape);
      if (b) a.warnShape(`target ${formatShape(t.shape)} differs from the input ${formatShape(x.shape)}; torch warns and silently broadcasts both to ${formatShape(b)}, which gives a wrong loss`, 'DL410');
    }
    if (x.shape && t.shape && opts.warnBroadcast !== false && opts.warnBroadcast !== 'silent') {
      // PyTorch broadcasts (with a warning) for mse/l1; bce requires equal sizes.
      if (opts.warnBroadcast === undefined && (x.shape.length !== t.shape.length || x.shape.some((d, i) => dimsConflict(d, (t.shape as Shape)[i])))) {
        throw new ShapeError(`Using a target size (${formatShape(t.shape)}) that is different to the input size (${formatShape(x.shape)}) is deprecated. Please ensure they have the same size.`, 'DL410');
      }
    }
    return reducedLoss(a, () => (x.shape && t.shape ? broadcastShapes(x.shape, t.shape) : null), x.dtype);
  };
}

function bceLogitsRule(a: LayerArgs): Value {
  const x = tensorArg(a, 'input');
  const t = tensorArg(a, 'target');
  if (x.shape && t.shape && (x.shape.length !== t.shape.length || x.shape.some((d, i) => dimsConflict(d, (t.shape as Shape)[i])))) {
    throw new ShapeError(`Target size (${formatShape(t.shape)}) must be the same as input size (${formatShape(x.shape)})`, 'DL410');
  }
  return reducedLoss(a, () => x.shape, x.dtype);
}

function classLossRule(kind: 'ce' | 'nll'): RuleFn {
  return (a) => {
    const x = tensorArg(a, 'input');
    const t = tensorArg(a, 'target');
    const noneShape = (): Shape | null => {
      if (!x.shape) return null;
      if (x.shape.length === 0) throw new ShapeError('cross_entropy: input must be at least 1-D');
      if (x.shape.length === 1) return [];
      return [x.shape[0], ...x.shape.slice(2)];
    };
    if (x.shape && t.shape) {
      const isProb = category(t.dtype) >= 2;
      if (isProb) {
        if (kind === 'nll') throw new ShapeError('nll_loss: expected target of integer class indices');
        if (t.shape.length !== x.shape.length || t.shape.some((d, i) => dimsConflict(d, (x.shape as Shape)[i]))) {
          throw new ShapeError(`cross_entropy: target ${formatShape(t.shape)} with class probabilities must have the same shape as input ${formatShape(x.shape)}`, 'DL410');
        }
      } else {
        const want = x.shape.length === 1 ? [] : [x.shape[0], ...x.shape.slice(2)];
        if (t.shape.length !== want.length) {
          if (x.shape.length === 2 && t.shape.length !== 1) throw new ShapeError(`0D or 1D target tensor expected, multi-target not supported (input ${formatShape(x.shape)}, target ${formatShape(t.shape)})`, 'DL410');
          throw new ShapeError(`Expected target size ${formatShape(want)}, got ${formatShape(t.shape)}`, 'DL410');
        }
        for (const [i, d] of want.entries()) {
          if (dimsConflict(d, t.shape[i])) {
            if (i === 0) throw new ShapeError(`Expected input batch_size (${sizeStr(d)}) to match target batch_size (${sizeStr(t.shape[0])}).`, 'DL410');
            throw new ShapeError(`Expected target size ${formatShape(want)}, got ${formatShape(t.shape)}`, 'DL410');
          }
        }
      }
    }
    return reducedLoss(a, noneShape, x.dtype);
  };
}

function similarityRule(kind: 'cos' | 'pair'): RuleFn {
  return (a) => {
    const x = tensorArg(a, 'x1');
    const y = tensorArg(a, 'x2');
    if (!x.shape || !y.shape) return tensor(null, x.dtype);
    const b = broadcastShapes(x.shape, y.shape);
    if (kind === 'cos') {
      if (b.length === 0) return tensor([], x.dtype);
      const dim = dimArg(a, 'dim', b.length);
      return tensor(b.filter((_, i) => i !== dim), x.dtype);
    }
    const keep = a.bool('keepdim');
    if (b.length === 0) return tensor([], x.dtype);
    return tensor(keep ? [...b.slice(0, -1), 1] : b.slice(0, -1), x.dtype);
  };
}

function sdpaRule(a: LayerArgs): Value {
  const q = shapedArg(a, 'query');
  const k = shapedArg(a, 'key', q.dtype);
  const v = shapedArg(a, 'value', q.dtype);
  if (q.shape.length < 2 || k.shape.length < 2 || v.shape.length < 2) throw new ShapeError('scaled_dot_product_attention: query, key and value must be at least 2-D');
  const e1 = q.shape[q.shape.length - 1];
  const e2 = k.shape[k.shape.length - 1];
  if (dimsConflict(e1, e2)) throw new ShapeError(`scaled_dot_product_attention: query embedding ${sizeStr(e1)} does not match key embedding ${sizeStr(e2)}`);
  const s1 = k.shape[k.shape.length - 2];
  const s2 = v.shape[v.shape.length - 2];
  if (dimsConflict(s1, s2)) throw new ShapeError(`scaled_dot_product_attention: key length ${sizeStr(s1)} does not match value length ${sizeStr(s2)}`);
  const batch = broadcastAll([q.shape.slice(0, -2), k.shape.slice(0, -2), v.shape.slice(0, -2)]) as Shape;
  return tensor([...batch, q.shape[q.shape.length - 2], v.shape[v.shape.length - 1]], q.dtype);
}

/**
 * F.multi_head_attention_forward (CLIP's AttentionPool2d): query / key / value (L, N, E) or
 * unbatched (L, E); the output's last dim is out_proj_weight's rows; the weights (N, L, S),
 * per head (N, heads, L, S) when not averaged, S one longer for bias_k and for add_zero_attn.
 */
function mhaForwardRule(a: LayerArgs): Value {
  const q = shapedArg(a, 'query');
  const k = shapedArg(a, 'key', q.dtype);
  const r = q.shape.length;
  if ((r !== 2 && r !== 3) || k.shape.length !== r) throw new ShapeError(`multi_head_attention_forward expects 2-D (unbatched) or 3-D query and key of the same rank, but got ${formatShape(q.shape)} and ${formatShape(k.shape)}`);
  const w = a.raw('out_proj_weight');
  const e = w.k === 'tensor' && w.shape && w.shape.length === 2 ? w.shape[0] : UNKNOWN_DIM;
  const out = tensor([...q.shape.slice(0, -1), e], q.dtype);
  if (!a.bool('need_weights')) return tuple([out, NONE]);
  let src = k.shape[0];
  if (!a.isNone('bias_k')) src = addDims(src, 1);
  if (a.bool('add_zero_attn')) src = addDims(src, 1);
  const perHead: Dim[] = a.bool('average_attn_weights') ? [] : [a.dim('num_heads')];
  return tuple([out, tensor([...(r === 3 ? [q.shape[1]] : []), ...perHead, q.shape[0], src], q.dtype)]);
}

/** F.pdist: the N (N - 1) / 2 pairwise distances of an (N, M) input's rows. */
function pdistRule(a: LayerArgs): Value {
  const x = shapedArg(a, 'input');
  if (x.shape.length !== 2) throw new ShapeError(`pdist only supports 2D tensors, got: ${x.shape.length}D`);
  const n = x.shape[0];
  return tensor([typeof n === 'number' ? (n * (n - 1)) / 2 : UNKNOWN_DIM], x.dtype);
}

function gluRule(a: LayerArgs): Value {
  const x = shapedArg(a, 'input');
  if (x.shape.length === 0) throw new ShapeError('glu does not support scalars because halving size must be even');
  const dim = dimArg(a, 'dim', x.shape.length);
  const n = x.shape[dim];
  if (typeof n === 'number' && n % 2 !== 0) throw new ShapeError(`Halving dimension must be even, but dimension ${dim} is size ${n}`);
  return tensor(x.shape.map((d, i) => (i === dim ? floorDivDims(d, 2) : d)), x.dtype);
}

// ---------------------------------------------------------------------------
// The table

const IN = P('input');
const DIM_KEEP = [IN, P('dim', null), P('keepdim', false), KW('dtype')];

type Entry = [string, ParamDef[], RuleFn];

/** A batch of matrices (*, m, n): its batch dims and m, n (a rank below 2 is torch's error). */
function matrices(a: LayerArgs, owner: string): { batch: Dim[]; m: Dim; n: Dim; dtype: string } {
  const x = shapedArg(a, 'input');
  if (x.shape.length < 2) throw new ShapeError(`${owner}: The input tensor A must have at least 2 dimensions.`);
  return { batch: x.shape.slice(0, -2), m: x.shape[x.shape.length - 2], n: x.shape[x.shape.length - 1], dtype: x.dtype };
}

/** torch.atleast_3d's shape: () -> (1, 1, 1), (n) -> (1, n, 1), (m, n) -> (m, n, 1), others unchanged. */
const atLeast3d = (s: readonly Dim[]): Dim[] => (s.length === 0 ? [1, 1, 1] : s.length === 1 ? [1, s[0], 1] : s.length === 2 ? [s[0], s[1], 1] : [...s]);
const minDim = (a: Dim, b: Dim): Dim => (typeof a === 'number' && typeof b === 'number' ? Math.min(a, b) : dimsEqual(a, b) ? a : UNKNOWN_DIM);

/** A square batch (*, n, n), as inv / cholesky / eigh / matrix_exp require. */
function squares(a: LayerArgs, owner: string): { batch: Dim[]; n: Dim; dtype: string } {
  const { batch, m, n, dtype } = matrices(a, owner);
  if (dimsConflict(m, n)) throw new ShapeError(`${owner}: A must be batches of square matrices, but they are ${formatDim(m)} by ${formatDim(n)} matrices`);
  return { batch, n, dtype };
}

const sameSquare = (owner: string) => (a: LayerArgs): Value => {
  const { batch, n, dtype } = squares(a, owner);
  return tensor([...batch, n, n], dtype);
};

/** det / linalg.det: one value per matrix of the batch. */
const detRule = (owner: string) => (a: LayerArgs): Value => {
  const { batch, dtype } = squares(a, owner);
  return tensor(batch, dtype);
};

/** QR: `reduced` Q (*, m, k), R (*, k, n); `complete` Q (*, m, m), R (*, m, n); `r` R only (Q empty). */
function qrOf(a: LayerArgs, owner: string, mode: string): Value {
  const { batch, m, n, dtype } = matrices(a, owner);
  const k = minDim(m, n);
  if (mode === 'complete') return namedTuple(['Q', 'R'], [tensor([...batch, m, m], dtype), tensor([...batch, m, n], dtype)]);
  if (mode === 'r') return namedTuple(['Q', 'R'], [tensor([0], dtype), tensor([...batch, k, n], dtype)]);
  return namedTuple(['Q', 'R'], [tensor([...batch, m, k], dtype), tensor([...batch, k, n], dtype)]);
}

/** The three LU factors P (*, m, m), L (*, m, k), U (*, k, n). */
function luUnpacked(a: LayerArgs, owner: string): Value {
  const { batch, m, n, dtype } = matrices(a, owner);
  const k = minDim(m, n);
  return namedTuple(['P', 'L', 'U'], [tensor([...batch, m, m], dtype), tensor([...batch, m, k], dtype), tensor([...batch, k, n], dtype)]);
}

/** The packed LU (*, m, n) and its int32 pivots (*, k), with the int32 infos (*) when asked. */
function luPacked(a: LayerArgs, owner: string, infos: boolean): Value {
  const { batch, m, n, dtype } = matrices(a, owner);
  const out = [tensor([...batch, m, n], dtype), tensor([...batch, minDim(m, n)], 'int32')];
  return infos ? namedTuple(['LU', 'pivots', 'info'], [...out, tensor(batch, 'int32')]) : namedTuple(['LU', 'pivots'], out);
}

/** SVD: U, S, and Vh (linalg.svd) or V (torch.svd), full or reduced. */
function svdOf(a: LayerArgs, owner: string, full: boolean, v: boolean): Value {
  const { batch, m, n, dtype } = matrices(a, owner);
  const k = minDim(m, n);
  const U = tensor([...batch, m, full ? m : k], dtype);
  const S = tensor([...batch, k], dtype);
  const W = v ? tensor([...batch, n, full ? n : k], dtype) : tensor([...batch, full ? n : k, n], dtype);
  return namedTuple(['U', 'S', v ? 'V' : 'Vh'], [U, S, W]);
}

// ---------------------------------------------------------------------------
// Spectral ops (torch.fft, torch.stft): complex results of the input's precision.

const complexOf = (dt: string): string => (dt === 'float64' || dt === 'complex128' ? 'complex128' : 'complex64');
const realOf = (dt: string): string => (dt === 'float64' || dt === 'complex128' ? 'float64' : 'float32');
const half = (n: Dim): Dim => addDims(floorDivDims(n, 2), 1);
const fromHalf = (n: Dim): Dim => mulDims(2, subDims(n, 1));

type FftKind = 'c2c' | 'r2c' | 'c2r';

/**
 * fft / rfft / irfft and their 2-D and n-D forms: the transformed dims take the sizes given
 * (`n`, `s`), else keep theirs; a real-to-complex transform halves its last dim (n // 2 + 1),
 * complex-to-real restores it (2 · (n - 1) when no size is given).
 */
function fftRule(kind: FftKind, arity: 1 | 2 | 'n', owner: string): RuleFn {
  const dtypeOf = kind === 'c2r' ? realOf : complexOf;
  return (a) => {
    const dtype = dtypeOf(tensorArg(a, 'input').dtype);
    const x = shapedArg(a, 'input', dtype);
    const rank = x.shape.length;
    const sizes: Dim[] | null = arity === 1 ? (a.isNone('n') ? null : [a.dim('n')]) : a.isNone('s') ? null : sizeList(a.raw('s'));
    let dims: number[];
    if (arity === 1) dims = [dimArg(a, 'dim', rank)];
    else if (!a.isNone('dim')) dims = dimsArg(a.raw('dim'), rank, owner) ?? [];
    else if (arity === 2) dims = [normDim(-2, rank, owner), normDim(-1, rank, owner)];
    else dims = Array.from({ length: sizes ? sizes.length : rank }, (_, i) => rank - (sizes ? sizes.length : rank) + i);
    if (sizes && sizes.length !== dims.length) throw new ShapeError(`${owner}: got ${sizes.length} sizes for ${dims.length} dims`);
    const out = [...x.shape];
    if (sizes) dims.forEach((d, i) => (out[d] = sizes[i]));
    const last = dims[dims.length - 1];
    if (last !== undefined && kind === 'r2c') out[last] = half(out[last]);
    if (last !== undefined && kind === 'c2r' && !sizes) out[last] = fromHalf(x.shape[last]);
    return tensor(out, dtype);
  };
}

/** torch.stft: (B?, freq, frames) complex, or (B?, freq, frames, 2) real when return_complex is not True (torch 1.13). */
function stftRule(a: LayerArgs): Value {
  const x = shapedArg(a, 'input');
  if (x.shape.length !== 1 && x.shape.length !== 2) throw new ShapeError(`stft expected a 1D or 2D tensor, got ${x.shape.length}D`);
  const nFft = a.dim('n_fft');
  const hop = a.isNone('hop_length') ? floorDivDims(nFft, 4) : a.dim('hop_length');
  const len = x.shape[x.shape.length - 1];
  const frames = a.bool('center') ? addDims(1, floorDivDims(len, hop)) : addDims(1, floorDivDims(subDims(len, nFft), hop));
  const complexIn = x.dtype.startsWith('complex');
  const onesided = a.isNone('onesided') ? !complexIn : a.bool('onesided');
  const freq = onesided ? half(nFft) : nFft;
  const out = [...x.shape.slice(0, -1), freq, frames];
  if (a.raw('return_complex').k === 'bool' && a.bool('return_complex')) return tensor(out, complexOf(x.dtype));
  return complexIn ? tensor(out, complexOf(x.dtype)) : tensor([...out, 2], realOf(x.dtype));
}

/** torch.tensordot: `dims` trailing dims of a against leading dims of b, or the two lists of dims given. */
function tensordotRule(a: LayerArgs): Value {
  const x = shapedArg(a, 'a');
  const y = shapedArg(a, 'b');
  const d = a.raw('dims');
  let dx: number[];
  let dy: number[];
  if (d.k === 'int') {
    const k = intArg(a, 'dims');
    dx = Array.from({ length: k }, (_, i) => x.shape.length - k + i);
    dy = Array.from({ length: k }, (_, i) => i);
  } else if ((d.k === 'tuple' || d.k === 'list') && d.items.length === 2) {
    dx = dimsArg(d.items[0], x.shape.length, 'tensordot') ?? [];
    dy = dimsArg(d.items[1], y.shape.length, 'tensordot') ?? [];
  } else throw new Bail(unknown('tensordot: dims not known'));
  if (dx.length !== dy.length) throw new ShapeError('tensordot: both dimension lists should have same length');
  dx.forEach((i, j) => {
    if (dimsConflict(x.shape[i], y.shape[dy[j]])) throw new ShapeError(`tensordot: contracted dimensions need to match, but first has size ${formatDim(x.shape[i])} in dim ${i} and second has size ${formatDim(y.shape[dy[j]])} in dim ${dy[j]}`);
  });
  return tensor([...x.shape.filter((_, i) => !dx.includes(i)), ...y.shape.filter((_, i) => !dy.includes(i))], resultType([x, y]));
}

/** A window function: window_length, periodic, the window's own parameters, the factory keywords. */
function windowEntry(name: string, ...extra: ParamDef[]): Entry {
  return [name, [P('window_length'), P('periodic', true), ...extra, KW('dtype'), KW('layout'), KW('device'), KW('requires_grad', false)], (a) => tensor([a.dim('window_length')], dtypeKw(a) ?? 'float32')];
}

const FFT_1D = [IN, P('n', null), P('dim', -1), P('norm', null), KW('out')];
const FFT_2D = [IN, P('s', null), P('dim', [-2, -1]), P('norm', null), KW('out')];
const FFT_ND = [IN, P('s', null), P('dim', null), P('norm', null), KW('out')];

const torchEntries: Entry[] = [
  // spectral
  ['fft.fft', FFT_1D, fftRule('c2c', 1, 'fft.fft')], ['fft.ifft', FFT_1D, fftRule('c2c', 1, 'fft.ifft')],
  ['fft.rfft', FFT_1D, fftRule('r2c', 1, 'fft.rfft')], ['fft.irfft', FFT_1D, fftRule('c2r', 1, 'fft.irfft')],
  ['fft.hfft', FFT_1D, fftRule('c2r', 1, 'fft.hfft')], ['fft.ihfft', FFT_1D, fftRule('r2c', 1, 'fft.ihfft')],
  ['fft.fft2', FFT_2D, fftRule('c2c', 2, 'fft.fft2')], ['fft.ifft2', FFT_2D, fftRule('c2c', 2, 'fft.ifft2')],
  ['fft.rfft2', FFT_2D, fftRule('r2c', 2, 'fft.rfft2')], ['fft.irfft2', FFT_2D, fftRule('c2r', 2, 'fft.irfft2')],
  ['fft.fftn', FFT_ND, fftRule('c2c', 'n', 'fft.fftn')], ['fft.ifftn', FFT_ND, fftRule('c2c', 'n', 'fft.ifftn')],
  ['fft.rfftn', FFT_ND, fftRule('r2c', 'n', 'fft.rfftn')], ['fft.irfftn', FFT_ND, fftRule('c2r', 'n', 'fft.irfftn')],
  ...(['fft.fftshift', 'fft.ifftshift'] as const).map((n): Entry => [n, [IN, P('dim', null)], (a) => tensorArg(a, 'input')]),
  ['fft.fftfreq', [P('n'), P('d', 1.0), KW('out'), KW('dtype'), KW('layout'), KW('device'), KW('requires_grad', false)], (a) => tensor([a.dim('n')], dtypeKw(a) ?? 'float32')],
  ['fft.rfftfreq', [P('n'), P('d', 1.0), KW('out'), KW('dtype'), KW('layout'), KW('device'), KW('requires_grad', false)], (a) => tensor([half(a.dim('n'))], dtypeKw(a) ?? 'float32')],
  ['stft', [IN, P('n_fft'), P('hop_length', null), P('win_length', null), P('window', null), P('center', true), P('pad_mode', 'reflect'), P('normalized', false), P('onesided', null), P('return_complex', null)], stftRule],
  ['tensordot', [P('a'), P('b'), P('dims', 2), KW('out')], tensordotRule],
  ['view_as_real', [IN], (a) => {
    const x = shapedArg(a, 'input');
    if (!x.dtype.startsWith('complex')) throw new ShapeError('view_as_real is only supported for complex tensors');
    return tensor([...x.shape, 2], realOf(x.dtype));
  }],
  ['view_as_complex', [IN], (a) => {
    const x = shapedArg(a, 'input');
    if (x.shape.length === 0 || dimsConflict(x.shape[x.shape.length - 1], 2)) throw new ShapeError('Tensor must have a last dimension of size 2');
    return tensor(x.shape.slice(0, -1), complexOf(x.dtype));
  }],
  // linear algebra (batches of matrices)
  ['linalg.qr', [IN, P('mode', 'reduced')], (a) => qrOf(a, 'linalg.qr', a.str('mode') ?? 'reduced')],
  ['qr', [IN, P('some', true)], (a) => qrOf(a, 'qr', a.bool('some') ? 'reduced' : 'complete')],
  // LU: linalg.lu gives P (*, m, m), L (*, m, k), U (*, k, n) with k = min(m, n); the packed form (lu_factor,
  // torch.lu) LU (*, m, n) and int32 pivots (*, k), infos (*) when asked; lu_unpack unpacks it into P, L, U.
  ['linalg.lu', [IN, KW('pivot', true), KW('out')], (a) => luUnpacked(a, 'linalg.lu')],
  ['linalg.lu_factor', [IN, KW('pivot', true), KW('out')], (a) => luPacked(a, 'linalg.lu_factor', false)],
  ['linalg.lu_factor_ex', [IN, KW('pivot', true), KW('check_errors', false), KW('out')], (a) => luPacked(a, 'linalg.lu_factor_ex', true)],
  ['lu', [IN, P('pivot', true), P('get_infos', false), KW('out')], (a) => luPacked(a, 'lu', a.bool('get_infos'))],
  ['lu_unpack', [P('LU_data'), P('LU_pivots'), P('unpack_data', true), P('unpack_pivots', true), KW('out')], (a) => {
    const x = tensorArg(a, 'LU_data');
    return luUnpacked(new LayerArgs(new Map([['input', x]]), a.owner), 'lu_unpack');
  }],
  ['linalg.svd', [IN, P('full_matrices', true), KW('driver')], (a) => svdOf(a, 'linalg.svd', a.bool('full_matrices'), false)],
  ['svd', [IN, P('some', true), P('compute_uv', true)], (a) => svdOf(a, 'svd', !a.bool('some'), true)],
  ['linalg.svdvals', [IN, KW('driver')], (a) => {
    const { batch, m, n, dtype } = matrices(a, 'linalg.svdvals');
    return tensor([...batch, minDim(m, n)], dtype);
  }],
  ['linalg.inv', [IN], sameSquare('linalg.inv')],
  ['inverse', [IN], sameSquare('inverse')],
  ['linalg.cholesky', [IN, KW('upper', false)], sameSquare('linalg.cholesky')],
  ['linalg.matrix_exp', [IN], sameSquare('linalg.matrix_exp')],
  ['matrix_exp', [IN], sameSquare('matrix_exp')],
  ['linalg.eigh', [IN, P('UPLO', 'L')], (a) => {
    const { batch, n, dtype } = squares(a, 'linalg.eigh');
    return namedTuple(['eigenvalues', 'eigenvectors'], [tensor([...batch, n], dtype), tensor([...batch, n, n], dtype)]);
  }],
  ['linalg.eigvalsh', [IN, P('UPLO', 'L')], (a) => {
    const { batch, n, dtype } = squares(a, 'linalg.eigvalsh');
    return tensor([...batch, n], dtype);
  }],
  ['linalg.det', [IN], detRule('linalg.det')],
  ['det', [IN], detRule('det')],
  ['linalg.slogdet', [IN], (a) => {
    const { batch, dtype } = squares(a, 'linalg.slogdet');
    return namedTuple(['sign', 'logabsdet'], [tensor(batch, dtype), tensor(batch, dtype)]);
  }],
  // solve(A, B): A (*, n, n); B (*, n, k), or a vector batch (*, n) when B is 1-D or A's shape without
  // its last dim; the batch dims broadcast. left=False solves XA = B: B (*, k, n).
  ['linalg.solve', [P('A'), P('B'), KW('left', true)], (a) => {
    const A = shapedArg(a, 'A');
    const B = shapedArg(a, 'B');
    const sq = squares(new LayerArgs(new Map([['input', A as Value]]), a.owner), 'linalg.solve');
    const vector = a.bool('left') && (B.shape.length === 1 || (B.shape.length === A.shape.length - 1 && B.shape.every((d, i) => !dimsConflict(d, A.shape[i]))));
    if (vector) return tensor([...broadcastShapes(sq.batch, B.shape.slice(0, -1)), sq.n], resultType([A, B]));
    if (B.shape.length < 2) throw new ShapeError('linalg.solve: B must have at least 2 dimensions');
    const [r, c] = B.shape.slice(-2);
    if (dimsConflict(a.bool('left') ? r : c, sq.n)) throw new ShapeError(`linalg.solve: Incompatible shapes of A and B for the equation ${a.bool('left') ? 'AX = B' : 'XA = B'} (${formatShape(A.shape)} and ${formatShape(B.shape)})`);
    return tensor([...broadcastShapes(sq.batch, B.shape.slice(0, -2)), r, c], resultType([A, B]));
  }],
  // pinv: the pseudo-inverse of (*, m, n) is (*, n, m).
  ...(['linalg.pinv', 'pinverse'] as const).map((n): Entry => [n, n === 'pinverse' ? [IN, P('rcond', 1e-15)] : [IN, KW('rcond', null), KW('hermitian', false), KW('atol', null), KW('rtol', null)], (a) => {
    const { batch, m, n: cols, dtype } = matrices(a, n);
    return tensor([...batch, cols, m], dtype);
  }]),
  ['linalg.cross', [IN, P('other'), KW('dim', -1)], (a) => elementwise([a.raw('input'), a.raw('other')])],
  // trapezoid / trapz: the integral along dim (the dim goes); cumulative_trapezoid keeps it, one shorter.
  ...(['trapezoid', 'trapz', 'cumulative_trapezoid'] as const).map((n): Entry => [n, [P('y'), P('x', null), KW('dx', null), KW('dim', -1)], (a) => {
    const y = shapedArg(a, 'y');
    const dim = dimArg(a, 'dim', y.shape.length);
    const dt = y.dtype.startsWith('int') || y.dtype === 'bool' ? 'float32' : y.dtype;
    if (n === 'cumulative_trapezoid') return tensor(y.shape.map((d, i) => (i === dim ? subDims(d, 1) : d)), dt);
    return tensor(reduceShape(y.shape, [dim], false), dt);
  }]),
  // joining / reshaping
  ['cat', [P('tensors'), P('dim', 0)], catRule],
  ['concat', [P('tensors'), P('dim', 0)], catRule],
  ['stack', [P('tensors'), P('dim', 0)], stackRule],
  ['hstack', [P('tensors')], (a) => {
    const ts = tensorList(a.raw('tensors'), 'hstack');
    const dim = ts.every((t) => t.shape && t.shape.length === 1) ? 0 : 1;
    return catRule(new LayerArgs(new Map([['tensors', a.raw('tensors')], ['dim', int(dim)]]), a.owner));
  }],
  ['vstack', [P('tensors')], (a) => {
    const ts = tensorList(a.raw('tensors'), 'vstack').map((t) => (t.shape && t.shape.length < 2 ? tensor(t.shape.length === 0 ? [1, 1] : [1, t.shape[0]], t.dtype) : t));
    return catRule(new LayerArgs(new Map<string, Value>([['tensors', tuple(ts)], ['dim', int(0)]]), a.owner));
  }],
  ['row_stack', [P('tensors')], (a) => {
    const ts = tensorList(a.raw('tensors'), 'row_stack').map((t) => (t.shape && t.shape.length < 2 ? tensor(t.shape.length === 0 ? [1, 1] : [1, t.shape[0]], t.dtype) : t));
    return catRule(new LayerArgs(new Map<string, Value>([['tensors', tuple(ts)], ['dim', int(0)]]), a.owner));
  }],
  // Each tensor of at most one dimension as a column (numel, 1), then joined along dim 1.
  ['column_stack', [P('tensors')], (a) => {
    const ts = tensorList(a.raw('tensors'), 'column_stack').map((t) => (t.shape && t.shape.length < 2 ? tensor([t.shape.length === 0 ? 1 : t.shape[0], 1], t.dtype) : t));
    return catRule(new LayerArgs(new Map<string, Value>([['tensors', tuple(ts)], ['dim', int(1)]]), a.owner));
  }],
  // Each tensor made at least 3-D (atleast_3d), then joined along dim 2.
  ['dstack', [P('tensors')], (a) => {
    const ts = tensorList(a.raw('tensors'), 'dstack').map((t) => (t.shape ? tensor(atLeast3d(t.shape), t.dtype) : t));
    return catRule(new LayerArgs(new Map<string, Value>([['tensors', tuple(ts)], ['dim', int(2)]]), a.owner));
  }],
  ['flatten', [IN, P('start_dim', 0), P('end_dim', -1)], (a) => {
    const x = shapedArg(a, 'input');
    return batchFlattened(x, tensor(flattenShape(x.shape, intArg(a, 'start_dim'), intArg(a, 'end_dim'), a.owner), x.dtype));
  }],
  ['reshape', [IN, P('shape')], (a) => {
    const x = tensorArg(a, 'input');
    const target = sizeList(a.raw('shape'));
    if (!target) return tensor(null, x.dtype);
    if (!x.shape) return tensor(target.includes(-1) ? target.map((d) => (d === -1 ? UNKNOWN_DIM : d)) : target, x.dtype);
    return batchFlattened(x, tensor(reshapeShape(x.shape, target), x.dtype));
  }],
  ['permute', [IN, P('dims')], (a) => permuteRule(shapedArg(a, 'input'), a.raw('dims'))],
  ...(['transpose', 'swapaxes', 'swapdims'] as const).map((n): Entry => [n, n === 'transpose' ? [IN, P('dim0'), P('dim1')] : [IN, P(n === 'swapaxes' ? 'axis0' : 'dim0'), P(n === 'swapaxes' ? 'axis1' : 'dim1')], (a) => {
    const x = shapedArg(a, 'input');
    const [n0, n1] = n === 'swapaxes' ? ['axis0', 'axis1'] : ['dim0', 'dim1'];
    return permuted(x, transposeShape(dimOrder(x), intArg(a, n0), intArg(a, n1)) as number[]);
  }]),
  ['t', [IN], (a) => {
    const x = shapedArg(a, 'input');
    if (x.shape.length > 2) throw new ShapeError(`t() expects a tensor with <= 2 dimensions, but self is ${x.shape.length}D`);
    return permuted(x, dimOrder(x).reverse());
  }],
  ['squeeze', [IN, P('dim', null)], (a) => {
    const x = shapedArg(a, 'input');
    return tensor(squeezeShape(x.shape, a.raw('dim'), a.owner), x.dtype);
  }],
  ['unsqueeze', [IN, P('dim')], (a) => {
    const x = shapedArg(a, 'input');
    return tensor(unsqueezeShape(x.shape, intArg(a, 'dim', tensor(null, x.dtype)), a.owner), x.dtype);
  }],
  ['movedim', [IN, P('source'), P('destination')], (a) => {
    const x = shapedArg(a, 'input');
    const r = x.shape.length;
    const src = dimsArg(a.raw('source'), r, a.owner) ?? [];
    const dst = dimsArg(a.raw('destination'), r, a.owner) ?? [];
    if (src.length !== dst.length) throw new ShapeError(`movedim: Invalid source or destination dims: source (${src.length} dims) should contain the same number of dims as destination (${dst.length} dims)`);
    const out: Array<number | undefined> = Array(r).fill(undefined);
    src.forEach((s, i) => (out[dst[i]] = s));
    const rest = dimOrder(x).filter((i) => !src.includes(i));
    let j = 0;
    return permuted(x, out.map((d) => (d === undefined ? rest[j++] : d)));
  }],
  ['unbind', [IN, P('dim', 0)], unbindRule],
  ['chunk', [IN, P('chunks'), P('dim', 0)], chunkRule],
  ['split', [IN, P('split_size_or_sections'), P('dim', 0)], splitRule],
  ['tensor_split', [IN, P('indices_or_sections'), P('dim', 0)], tensorSplitRule],
  ['narrow', [IN, P('dim'), P('start'), P('length')], narrowRule],
  ['select', [IN, P('dim'), P('index')], selectRule],
  ['index_select', [IN, P('dim'), P('index')], indexSelectRule],
  ['gather', [IN, P('dim'), P('index'), KW('sparse_grad', false)], gatherRule],
  ['take_along_dim', [IN, P('indices'), P('dim', null)], (a) => {
    const x = tensorArg(a, 'input');
    const i = tensorArg(a, 'indices');
    if (a.isNone('dim')) return tensor(i.shape ? [prodDims(i.shape)] : null, x.dtype);
    if (!x.shape || !i.shape) return tensor(null, x.dtype);
    const dim = dimArg(a, 'dim', x.shape.length);
    const xs = x.shape.map((d, j) => (j === dim ? 1 : d));
    const is = i.shape.map((d, j) => (j === dim ? 1 : d));
    const b = broadcastShapes(xs, is);
    return tensor(b.map((d, j) => (j === dim ? (i.shape as Shape)[j] : d)), x.dtype);
  }],
  ['masked_select', [IN, P('mask')], (a) => tensor([UNKNOWN_DIM], tensorArg(a, 'input').dtype)],
  ['masked_fill', [IN, P('mask'), P('value')], (a) => {
    const x = tensorArg(a, 'input');
    return elementwise([x, a.raw('mask')], x.dtype);
  }],
  ['nonzero', [IN, KW('as_tuple', false)], nonzeroRule],
  ['argwhere', [IN], (a) => nonzeroRule(a)],
  ['unique', [IN, P('sorted', true), P('return_inverse', false), P('return_counts', false), P('dim', null)], (a) => uniqueRule(a, false)],
  ['unique_consecutive', [IN, P('return_inverse', false), P('return_counts', false), P('dim', null)], (a) => uniqueRule(a, true)],
  ['roll', [IN, P('shifts'), P('dims', null)], alongDimKeep('dims')],
  ['flip', [IN, P('dims')], alongDimKeep('dims')],
  ['fliplr', [IN], unaryRule()],
  ['flipud', [IN], unaryRule()],
  ['rot90', [IN, P('k', 1), P('dims', [0, 1])], (a) => {
    const x = shapedArg(a, 'input');
    const dims = dimsArg(a.raw('dims'), x.shape.length, a.owner) ?? [0, 1];
    const k = ((intArg(a, 'k') % 4) + 4) % 4;
    return tensor(k % 2 === 1 ? transposeShape(x.shape, dims[0], dims[1]) : x.shape, x.dtype);
  }],
  ['tril', [IN, P('diagonal', 0)], unaryRule()],
  ['triu', [IN, P('diagonal', 0)], unaryRule()],
  ['diag', [IN, P('diagonal', 0)], diagRule],
  ['diagonal', [IN, P('offset', 0), P('dim1', 0), P('dim2', 1)], diagonalRule],
  ['diag_embed', [IN, P('offset', 0), P('dim1', -2), P('dim2', -1)], (a) => {
    // The last dim becomes a square of side n + |offset| at dims dim1 and dim2 of the
    // result; the other dims keep their order around them.
    const x = shapedArg(a, 'input');
    const n = addDims(x.shape[x.shape.length - 1] ?? 1, Math.abs(intArg(a, 'offset')));
    const r = x.shape.length + 1;
    const d1 = normDim(intArg(a, 'dim1'), r, 'diag_embed');
    const d2 = normDim(intArg(a, 'dim2'), r, 'diag_embed');
    if (d1 === d2) throw new ShapeError(`diagonal dimensions cannot be identical ${intArg(a, 'dim1')}, ${intArg(a, 'dim2')}`);
    const rest = x.shape.slice(0, -1);
    let j = 0;
    return tensor(Array.from({ length: r }, (_, i) => (i === d1 || i === d2 ? n : rest[j++])), x.dtype);
  }],
  ['trace', [IN], (a) => tensor([], tensorArg(a, 'input').dtype)],
  ['repeat_interleave', [IN, P('repeats'), P('dim', null), KW('output_size')], repeatInterleaveRule],
  ['tile', [IN, P('dims')], (a) => {
    const x = tensorArg(a, 'input');
    const reps = sizeList(a.raw('dims'));
    if (!x.shape || !reps) return tensor(null, x.dtype);
    return tensor(tileShape(x.shape, reps), x.dtype);
  }],
  ['broadcast_to', [IN, P('size')], broadcastToRule],
  ['broadcast_tensors', [STAR('tensors')], (a) => {
    const ts = tensorList(a.raw('tensors'), 'broadcast_tensors');
    const s = broadcastAll(ts.map((t) => t.shape));
    return tuple(ts.map((t) => tensor(s, t.dtype)));
  }],
  ['broadcast_shapes', [STAR('shapes')], (a) => {
    const v = a.raw('shapes');
    const shapes = v.k === 'tuple' ? v.items.map(sizeList) : [];
    const s = broadcastAll(shapes);
    return s ? tuple(s.map(int)) : unknown('broadcast_shapes of unknown shapes');
  }],
  ['meshgrid', [STAR('tensors'), KW('indexing', 'ij')], meshgridRule],
  ['combinations', [IN, P('r', 2), P('with_replacement', false)], combinationsRule],
  ['cartesian_prod', [STAR('tensors')], cartesianProdRule],
  ['hsplit', [IN, P('indices_or_sections')], directionSplitRule('h')],
  ['vsplit', [IN, P('indices_or_sections')], directionSplitRule('v')],
  ['dsplit', [IN, P('indices_or_sections')], directionSplitRule('d')],
  ['block_diag', [STAR('tensors')], (a) => {
    // Each input as a matrix (0-d: 1 x 1, 1-D [n]: 1 x n) on the diagonal: rows and columns add up.
    const ts = tensorList(a.raw('tensors'), 'block_diag');
    let rows: Dim = 0;
    let cols: Dim = 0;
    for (const [i, t] of ts.entries()) {
      if (!t.shape) return tensor(null, resultType(ts));
      if (t.shape.length > 2) throw new ShapeError(`torch.block_diag: Input tensors must have 2 or fewer dimensions. Input ${i} has ${t.shape.length} dimensions`);
      const m = t.shape.length === 2 ? t.shape : t.shape.length === 1 ? [1, t.shape[0]] : [1, 1];
      rows = addDims(rows, m[0]);
      cols = addDims(cols, m[1]);
    }
    return tensor(ts.length ? [rows, cols] : [1, 0], ts.length ? resultType(ts) : 'float32');
  }],
  ['atleast_1d', [IN], (a) => {
    const x = shapedArg(a, 'input');
    return tensor(x.shape.length === 0 ? [1] : x.shape, x.dtype);
  }],
  ['atleast_2d', [IN], (a) => {
    const x = shapedArg(a, 'input');
    return tensor(x.shape.length === 0 ? [1, 1] : x.shape.length === 1 ? [1, x.shape[0]] : x.shape, x.dtype);
  }],
  ['atleast_3d', [IN], (a) => {
    const x = shapedArg(a, 'input');
    return tensor(atLeast3d(x.shape), x.dtype);
  }],
  ['topk', [IN, P('k'), P('dim', -1), P('largest', true), P('sorted', true)], topkRule],
  ['sort', [IN, P('dim', -1), P('descending', false), KW('stable', false)], sortRule],
  ['argsort', [IN, P('dim', -1), P('descending', false), KW('stable', false)], alongDimKeep('dim', () => 'int64')],
  ['msort', [IN], unaryRule()],
  ['kthvalue', [IN, P('k'), P('dim', -1), P('keepdim', false)], (a) => {
    const x = shapedArg(a, 'input');
    if (x.shape.length === 0) return valuesIndices([], x.dtype);
    const dim = dimArg(a, 'dim', x.shape.length);
    return valuesIndices(reduceShape(x.shape, [dim], a.bool('keepdim')), x.dtype);
  }],
  ['cummax', [IN, P('dim')], (a) => {
    const x = shapedArg(a, 'input');
    if (x.shape.length) dimArg(a, 'dim', x.shape.length);
    return valuesIndices(x.shape, x.dtype);
  }],
  ['cummin', [IN, P('dim')], (a) => {
    const x = shapedArg(a, 'input');
    if (x.shape.length) dimArg(a, 'dim', x.shape.length);
    return valuesIndices(x.shape, x.dtype);
  }],
  ['cumsum', [IN, P('dim'), KW('dtype')], cumulative('sum')],
  ['cumprod', [IN, P('dim'), KW('dtype')], cumulative('prod')],
  ['logcumsumexp', [IN, P('dim')], alongDimKeep('dim')],
  ['diff', [IN, P('n', 1), P('dim', -1), P('prepend', null), P('append', null)], (a) => {
    const x = shapedArg(a, 'input');
    const dim = dimArg(a, 'dim', x.shape.length);
    let len: Dim = x.shape[dim];
    for (const nm of ['prepend', 'append']) {
      const v = a.raw(nm);
      if (v.k === 'tensor') len = addDims(len, v.shape ? (v.shape.length === 0 ? 1 : v.shape[dim] ?? UNKNOWN_DIM) : UNKNOWN_DIM);
      else if (v.k !== 'none') len = addDims(len, 1);
    }
    const n = intArg(a, 'n');
    const outLen = typeof len === 'number' ? Math.max(0, len - n) : subDims(len, n);
    const out = tensor(x.shape.map((d, i) => (i === dim ? outLen : d)), x.dtype);
    // A constant 1-D input (np.diff of stage boundaries, RegNet's block depths): the differences too.
    let vals = x.shape.length === 1 && a.isNone('prepend') && a.isNone('append') ? valuesOfTensor(x) : null;
    if (!vals) return out;
    for (let i = 0; i < n; i++) vals = vals.slice(1).map((v, j) => v - vals![j]);
    return withKnownValues(out, vals);
  }],

  // products
  ['matmul', [IN, P('other')], (a) => {
    const x = tensorArg(a, 'input');
    const y = tensorArg(a, 'other');
    const dtype = resultType([x, y]);
    if (!x.shape || !y.shape) return tensor(null, dtype);
    return tensor(matmulShape(x.shape, y.shape, a.owner), dtype);
  }],
  ['mm', [IN, P('mat2')], mmRule],
  ['bmm', [IN, P('mat2')], bmmRule],
  ['mv', [IN, P('vec')], (a) => {
    const x = shapedArg(a, 'input');
    const v = shapedArg(a, 'vec');
    if (x.shape.length !== 2 || v.shape.length !== 1) throw new ShapeError(`vector + matrix @ vector expected, got ${x.shape.length}, ${v.shape.length}`);
    return tensor(matmulShape(x.shape, v.shape, a.owner), x.dtype);
  }],
  ['dot', [IN, P('other')], dotRule],
  ['vdot', [IN, P('other')], dotRule],
  ['inner', [IN, P('other')], (a) => {
    const x = shapedArg(a, 'input');
    const y = shapedArg(a, 'other');
    if (x.shape.length === 0 || y.shape.length === 0) return tensor(x.shape.length === 0 ? y.shape : x.shape, resultType([x, y]));
    if (dimsConflict(x.shape[x.shape.length - 1], y.shape[y.shape.length - 1])) throw new ShapeError(`inner() the last dimension must match on both input tensors but got shapes ${formatShape(x.shape)} and ${formatShape(y.shape)}`);
    return tensor([...x.shape.slice(0, -1), ...y.shape.slice(0, -1)], resultType([x, y]));
  }],
  ['outer', [IN, P('vec2')], outerRule],
  ['ger', [IN, P('vec2')], outerRule],
  ['kron', [IN, P('other')], (a) => {
    const x = shapedArg(a, 'input');
    const y = shapedArg(a, 'other');
    const n = Math.max(x.shape.length, y.shape.length);
    const xs = [...Array(n - x.shape.length).fill(1), ...x.shape];
    const ys = [...Array(n - y.shape.length).fill(1), ...y.shape];
    return tensor(xs.map((d, i) => mulDims(d, ys[i])), resultType([x, y]));
  }],
  ['einsum', [P('equation'), STAR('operands')], einsumRule],
  ['cdist', [P('x1'), P('x2'), P('p', 2.0), P('compute_mode', 'use_mm_for_euclid_dist_if_necessary')], cdistRule],
  ['addmm', [IN, P('mat1'), P('mat2'), KW('beta', 1), KW('alpha', 1)], (a) => addmmRule(a)],
  // sparse tensors: a sparse tensor has the shape of its dense form (the layout is not followed)
  ['sparse_coo_tensor', [P('indices'), P('values'), P('size', null), KW('dtype'), KW('device'), KW('requires_grad', false), KW('check_invariants', null)], (a) => sparseRule(a, 'coo')],
  ...(['sparse_csr_tensor', 'sparse_csc_tensor'] as const).map((n): Entry => [n, [P(n === 'sparse_csr_tensor' ? 'crow_indices' : 'ccol_indices'), P(n === 'sparse_csr_tensor' ? 'col_indices' : 'row_indices'), P('values'), P('size', null), KW('dtype'), KW('device'), KW('requires_grad', false), KW('check_invariants', null)], (a) => sparseRule(a, 'compressed')]),
  ['sparse.mm', [P('mat1'), P('mat2')], (a) => mmRule(renamed(a, { input: 'mat1', mat2: 'mat2' }))],
  ['spmm', [IN, P('mat2')], mmRule],
  ['sparse.addmm', [P('mat'), P('mat1'), P('mat2'), KW('beta', 1), KW('alpha', 1)], (a) => addmmRule(renamed(a, { input: 'mat', mat1: 'mat1', mat2: 'mat2' }))],
  ['sparse.sum', [IN, P('dim', null), P('dtype', null)], reduceRule('sum', { emptyIsAll: false })],
  ['sparse.softmax', [IN, P('dim'), P('dtype', null)], softmaxRule],
  ['sparse.log_softmax', [IN, P('dim'), P('dtype', null)], softmaxRule],
  ['baddbmm', [IN, P('batch1'), P('batch2'), KW('beta', 1), KW('alpha', 1)], (a) => {
    const s = bmmRule(new LayerArgs(new Map([['input', a.raw('batch1')], ['mat2', a.raw('batch2')]]), a.owner)) as TensorV;
    const x = tensorArg(a, 'input');
    return tensor(x.shape && s.shape ? broadcastShapes(x.shape, s.shape) : s.shape, s.dtype);
  }],

  // reductions
  ['sum', DIM_KEEP, reduceRule('sum', { emptyIsAll: false, fold: SUM })],
  ['nansum', DIM_KEEP, reduceRule('sum', { fold: SUM })],
  ['mean', DIM_KEEP, reduceRule('mean', { fold: MEAN })],
  ['nanmean', DIM_KEEP, reduceRule('mean')],
  ['prod', [IN, P('dim', null), P('keepdim', false), KW('dtype')], reduceRule('sum', { fold: PROD })],
  ['amax', [IN, P('dim', []), P('keepdim', false)], reduceRule('keep', { emptyIsAll: false, fold: MAX })],
  ['amin', [IN, P('dim', []), P('keepdim', false)], reduceRule('keep', { emptyIsAll: false, fold: MIN })],
  ['argmax', [IN, P('dim', null), P('keepdim', false)], reduceRule('arg', { fold: ARGMAX })],
  ['argmin', [IN, P('dim', null), P('keepdim', false)], reduceRule('arg', { fold: ARGMIN })],
  ['all', [IN, P('dim', null), P('keepdim', false)], reduceRule('bool')],
  ['any', [IN, P('dim', null), P('keepdim', false)], reduceRule('bool')],
  ['count_nonzero', [IN, P('dim', null)], reduceRule('count')],
  ['logsumexp', [IN, P('dim'), P('keepdim', false)], reduceRule('float')],
  ['norm', [IN, P('p', 'fro'), P('dim', null), P('keepdim', false), KW('dtype')], reduceRule('float')],
  ['linalg.norm', [IN, P('ord', null), P('dim', null), P('keepdim', false), KW('dtype')], reduceRule('float')],
  ['linalg.vector_norm', [IN, P('ord', 2), P('dim', null), P('keepdim', false), KW('dtype')], reduceRule('float')],
  ['linalg.matrix_norm', [IN, P('ord', 'fro'), P('dim', [-2, -1]), P('keepdim', false), KW('dtype')], reduceRule('float')],
  ['max', [IN, P('dim', null), P('keepdim', false)], maxMinRule(MAX)],
  ['min', [IN, P('dim', null), P('keepdim', false)], maxMinRule(MIN)],
  ['median', [IN, P('dim', null), P('keepdim', false)], maxMinRule()],
  ['nanmedian', [IN, P('dim', null), P('keepdim', false)], maxMinRule()],
  ['mode', [IN, P('dim', -1), P('keepdim', false)], maxMinRule()],
  ['std', [IN, P('dim', null), P('unbiased', true), P('keepdim', false), KW('correction', null)], stdRule(false)],
  ['var', [IN, P('dim', null), P('unbiased', true), P('keepdim', false), KW('correction', null)], stdRule(false)],
  ['std_mean', [IN, P('dim', null), P('unbiased', true), P('keepdim', false), KW('correction', null)], stdRule(true)],
  ['var_mean', [IN, P('dim', null), P('unbiased', true), P('keepdim', false), KW('correction', null)], stdRule(true)],
  ['aminmax', [IN, KW('dim', null), KW('keepdim', false)], (a) => {
    const r = reduceRule('keep')(a) as TensorV;
    return namedTuple(['min', 'max'], [r, r]);
  }],

  // elementwise binary
  ['add', [IN, P('other'), KW('alpha', 1)], binaryRule('arith', 'input', 'other', '+')],
  ['sub', [IN, P('other'), KW('alpha', 1)], binaryRule('arith', 'input', 'other', '-')],
  ['subtract', [IN, P('other'), KW('alpha', 1)], binaryRule('arith', 'input', 'other', '-')],
  ['rsub', [IN, P('other'), KW('alpha', 1)], binaryRule()],
  ['mul', [IN, P('other')], binaryRule('arith', 'input', 'other', '*')],
  ['multiply', [IN, P('other')], binaryRule('arith', 'input', 'other', '*')],
  ['div', [IN, P('other'), KW('rounding_mode')], binaryRule('div', 'input', 'other', '/')],
  ['divide', [IN, P('other'), KW('rounding_mode')], binaryRule('div', 'input', 'other', '/')],
  ['true_divide', [IN, P('other')], binaryRule('div', 'input', 'other', '/')],
  ['floor_divide', [IN, P('other')], binaryRule('arith', 'input', 'other', '//')],
  ['remainder', [IN, P('other')], binaryRule('arith', 'input', 'other', '%')],
  ['fmod', [IN, P('other')], binaryRule()],
  ['pow', [IN, P('exponent')], binaryRule('arith', 'input', 'exponent', '**')],
  ['float_power', [IN, P('exponent')], (a) => elementwise([a.raw('input'), a.raw('exponent')], 'float64')],
  ['atan2', [IN, P('other')], binaryRule('float')],
  ['arctan2', [IN, P('other')], binaryRule('float')],
  ['hypot', [IN, P('other')], binaryRule('float')],
  ['maximum', [IN, P('other')], binaryRule()],
  ['minimum', [IN, P('other')], binaryRule()],
  ['fmax', [IN, P('other')], binaryRule()],
  ['fmin', [IN, P('other')], binaryRule()],
  ['copysign', [IN, P('other')], binaryRule('float')],
  ['xlogy', [IN, P('other')], binaryRule('float')],
  ['logaddexp', [IN, P('other')], binaryRule('float')],
  ...(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'greater', 'less', 'greater_equal', 'less_equal', 'not_equal', 'logical_and', 'logical_or', 'logical_xor', 'isclose'] as const).map(
    (n): Entry => [n, [IN, P('other')], binaryRule('bool')],
  ),
  ['bitwise_and', [IN, P('other')], binaryRule()],
  ['bitwise_or', [IN, P('other')], binaryRule()],
  ['bitwise_xor', [IN, P('other')], binaryRule()],
  ['equal', [IN, P('other')], () => unknown('torch.equal compares values')],
  ['allclose', [IN, P('other')], () => unknown('torch.allclose compares values')],
  ['where', [P('condition'), P('input'), P('other')], whereRule],
  ['lerp', [IN, P('end'), P('weight')], (a) => elementwise([a.raw('input'), a.raw('end'), a.raw('weight')], tensorArg(a, 'input').dtype)],
  ['addcmul', [IN, P('tensor1'), P('tensor2'), KW('value', 1)], (a) => elementwise([a.raw('input'), a.raw('tensor1'), a.raw('tensor2')])],
  ['addcdiv', [IN, P('tensor1'), P('tensor2'), KW('value', 1)], (a) => elementwise([a.raw('input'), a.raw('tensor1'), a.raw('tensor2')])],
  ['clamp', [IN, P('min', null), P('max', null)], clampRule],
  ['clip', [IN, P('min', null), P('max', null)], clampRule],
  ['masked_scatter', [IN, P('mask'), P('source')], (a) => elementwise([a.raw('input'), a.raw('mask')], tensorArg(a, 'input').dtype)],
  ['scatter', [IN, P('dim'), P('index'), P('src', null), KW('value', null), KW('reduce', null)], unaryRule()],
  ['scatter_add', [IN, P('dim'), P('index'), P('src')], unaryRule()],
  ['scatter_reduce', [IN, P('dim'), P('index'), P('src'), P('reduce'), KW('include_self', true)], unaryRule()],
  ['index_add', [IN, P('dim'), P('index'), P('source'), KW('alpha', 1)], unaryRule()],
  ['index_put', [IN, P('indices'), P('values'), P('accumulate', false)], unaryRule()],
  ['channel_shuffle', [IN, P('groups')], channelShuffleRule],
  ['native_channel_shuffle', [IN, P('groups')], channelShuffleRule],
  ['index_fill', [IN, P('dim'), P('index'), P('value')], unaryRule()],
  ['index_copy', [IN, P('dim'), P('index'), P('source')], unaryRule()],
  ['cross', [IN, P('other'), P('dim', null)], (a) => elementwise([a.raw('input'), a.raw('other')])],
  ['bucketize', [IN, P('boundaries'), KW('out_int32', false), KW('right', false)], (a) => tensor(tensorArg(a, 'input').shape, a.bool('out_int32') ? 'int32' : 'int64')],
  ['searchsorted', [P('sorted_sequence'), IN, KW('out_int32', false), KW('right', false), KW('side', null), KW('sorter', null)], (a) => {
    const v = a.raw('input');
    const shape = v.k === 'tensor' ? v.shape : [];
    return tensor(shape, a.bool('out_int32') ? 'int32' : 'int64');
  }],
  ['histc', [IN, P('bins', 100), P('min', 0), P('max', 0)], (a) => tensor([a.dim('bins')], tensorArg(a, 'input').dtype)],
  ['bincount', [IN, P('weights', null), P('minlength', 0)], (a) => tensor([UNKNOWN_DIM], a.raw('weights').k === 'tensor' ? 'float64' : 'int64')],

  // creation
  ...(['randn', 'rand', 'zeros', 'ones', 'empty'] as const).map((n): Entry => [n, [STAR('size'), KW('out'), KW('dtype'), KW('layout'), KW('device'), KW('requires_grad', false), KW('generator'), KW('pin_memory', false), KW('names')], creationRule()]),
  ['full', [P('size'), P('fill_value'), KW('out'), KW('dtype'), KW('layout'), KW('device'), KW('requires_grad', false)], fullRule],
  ['randint', [STAR('args'), KW('size', null), KW('generator'), KW('out'), KW('dtype'), KW('layout'), KW('device'), KW('requires_grad', false), KW('low', null), KW('high', null)], randintRule],
  ['randperm', [P('n'), KW('generator'), KW('out'), KW('dtype'), KW('layout'), KW('device'), KW('requires_grad', false)], (a) => tensor([a.dim('n')], dtypeKw(a) ?? 'int64')],
  ['arange', [STAR('args'), KW('start', null), KW('end', null), KW('step', null), KW('out'), KW('dtype'), KW('layout'), KW('device'), KW('requires_grad', false)], arangeRule],
  ['linspace', [P('start'), P('end'), P('steps'), KW('out'), KW('dtype'), KW('layout'), KW('device'), KW('requires_grad', false)], linspaceRule],
  ['logspace', [P('start'), P('end'), P('steps'), P('base', 10.0), KW('out'), KW('dtype'), KW('layout'), KW('device'), KW('requires_grad', false)], (a) => tensor([a.dim('steps')], dtypeKw(a) ?? 'float32')],
  ['triu_indices', [P('row'), P('col'), P('offset', 0), KW('dtype'), KW('device'), KW('layout')], triangleIndicesRule(true)],
  ['tril_indices', [P('row'), P('col'), P('offset', 0), KW('dtype'), KW('device'), KW('layout')], triangleIndicesRule(false)],
  ['eye', [P('n'), P('m', null), KW('out'), KW('dtype'), KW('layout'), KW('device'), KW('requires_grad', false)], (a) => {
    const n = a.dim('n');
    return tensor([n, a.isNone('m') ? n : a.dim('m')], dtypeKw(a) ?? 'float32');
  }],
  // Window functions for spectrograms: a 1-D tensor of window_length values.
  windowEntry('hann_window'),
  windowEntry('hamming_window', P('alpha', 0.54), P('beta', 0.46)),
  windowEntry('blackman_window'),
  windowEntry('bartlett_window'),
  windowEntry('kaiser_window', P('beta', 12.0)),
  ['tensor', [P('data'), KW('dtype'), KW('device'), KW('requires_grad', false), KW('pin_memory', false)], tensorCtorRule],
  ['as_tensor', [P('data'), KW('dtype'), KW('device')], tensorCtorRule],
  ['from_numpy', [P('ndarray')], (a) => {
    // An array the engine knows (np.random.rand(5, 7).astype(np.float32)): same shape and dtype.
    const x = a.raw('ndarray');
    return x.k === 'tensor' ? tensor(x.shape, x.dtype) : guessedDtype(null, 'float32');
  }],
  ['zeros_like', [IN, KW('dtype'), KW('layout'), KW('device'), KW('requires_grad', false), KW('memory_format')], likeRule()],
  ['ones_like', [IN, KW('dtype'), KW('layout'), KW('device'), KW('requires_grad', false), KW('memory_format')], likeRule()],
  ['empty_like', [IN, KW('dtype'), KW('layout'), KW('device'), KW('requires_grad', false), KW('memory_format')], likeRule()],
  ['randn_like', [IN, KW('dtype'), KW('layout'), KW('device'), KW('requires_grad', false), KW('memory_format')], likeRule()],
  ['rand_like', [IN, KW('dtype'), KW('layout'), KW('device'), KW('requires_grad', false), KW('memory_format')], likeRule()],
  ['full_like', [IN, P('fill_value'), KW('dtype'), KW('layout'), KW('device'), KW('requires_grad', false), KW('memory_format')], likeRule()],
  ['randint_like', [IN, P('low'), P('high', null), KW('dtype'), KW('layout'), KW('device'), KW('requires_grad', false), KW('memory_format')], likeRule()],
  ['bernoulli', [IN, P('p', null), KW('generator')], unaryRule()],
  ['multinomial', [IN, P('num_samples'), P('replacement', false), KW('generator')], multinomialRule],
  ['normal', [P('mean'), P('std', 1.0), P('size', null), KW('generator'), KW('dtype')], (a) => {
    if (a.has('size')) return tensor(sizeList(a.raw('size')), dtypeKw(a) ?? 'float32');
    return elementwise([a.raw('mean'), a.raw('std')], 'float32');
  }],
  ['poisson', [IN, P('generator', null)], unaryRule()],

  // elementwise unary
  ...(['abs', 'absolute'] as const).map((n): Entry => [n, [IN, P('_a', null), P('_b', null), KW('memory_format')], unaryRule('real')]),
  ...(['relu', 'relu_', 'neg', 'negative', 'sign', 'square', 'floor', 'ceil', 'round', 'trunc', 'fix', 'clone', 'detach', 'conj', 'positive', 'nan_to_num', 'frac', 'hardshrink'] as const).map(
    (n): Entry => [n, [IN, P('_a', null), P('_b', null), KW('memory_format')], unaryRule()],
  ),
  ...([
    'sigmoid', 'tanh', 'exp', 'exp2', 'expm1', 'log', 'log2', 'log10', 'log1p', 'sqrt', 'rsqrt', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan',
    'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'asinh', 'acosh', 'atanh', 'erf', 'erfc', 'erfinv', 'reciprocal', 'logit', 'lgamma', 'digamma', 'sinc', 'i0', 'deg2rad', 'rad2deg', 'angle', 'selu', 'celu',
  ] as const).map((n): Entry => [n, [IN, P('_a', null)], unaryRule('float')]),
  ...(['isnan', 'isinf', 'isfinite', 'isposinf', 'isneginf', 'isreal', 'logical_not', 'signbit'] as const).map((n): Entry => [n, [IN], unaryRule('bool')]),
  ['bitwise_not', [IN], unaryRule()],
  ['softmax', [IN, P('dim'), KW('dtype')], softmaxRule],
  ['log_softmax', [IN, P('dim'), KW('dtype')], softmaxRule],
  ['dropout', [IN, P('p', 0.5), P('train', true)], unaryRule()],
  ['alpha_dropout', [IN, P('p', 0.5), P('train', true)], unaryRule()],
  ['feature_dropout', [IN, P('p', 0.5), P('train', true)], unaryRule()],
  ['numel', [IN], (a) => {
    const x = tensorArg(a, 'input');
    return x.shape ? int(prodDims(x.shape)) : int(UNKNOWN_DIM);
  }],
  ['is_tensor', [P('obj')], (a) => ({ k: 'bool', v: a.raw('obj').k === 'tensor' })],
  ['result_type', [P('tensor1'), P('tensor2')], (a) => ({ k: 'str', v: `torch.${resultType([a.raw('tensor1'), a.raw('tensor2')])}` })],
  // torch-level NN ops that also exist under torch.*
  ['conv1d', [IN, P('weight'), P('bias', null), P('stride', 1), P('padding', 0), P('dilation', 1), P('groups', 1)], convRule(1)],
  ['conv2d', [IN, P('weight'), P('bias', null), P('stride', 1), P('padding', 0), P('dilation', 1), P('groups', 1)], convRule(2)],
  ['conv3d', [IN, P('weight'), P('bias', null), P('stride', 1), P('padding', 0), P('dilation', 1), P('groups', 1)], convRule(3)],
  ['layer_norm', [IN, P('normalized_shape'), P('weight', null), P('bias', null), P('eps', 1e-5), P('cudnn_enable', true)], layerNormRule],
  ['embedding', [P('weight'), IN, P('padding_idx', -1), P('scale_grad_by_freq', false), P('sparse', false)], embeddingRule],
  ['prelu', [IN, P('weight')], unaryRule()],
  ['pixel_shuffle', [IN, P('upscale_factor')], pixelShuffleRule(false)],
  ['pixel_unshuffle', [IN, P('downscale_factor')], pixelShuffleRule(true)],
  ['cosine_similarity', [P('x1'), P('x2'), P('dim', 1), P('eps', 1e-8)], similarityRule('cos')],
  ['pairwise_distance', [P('x1'), P('x2'), P('p', 2.0), P('eps', 1e-6), P('keepdim', false)], similarityRule('pair')],
];

function stdRule(pair: boolean): RuleFn {
  return (a) => {
    const x = tensorArg(a, 'input');
    const dtype = floatOf(x.dtype);
    const wrap = (s: Shape | null) => (pair ? tuple([tensor(s, dtype), tensor(s, dtype)]) : tensor(s, dtype));
    if (!x.shape) return wrap(null);
    let dv = a.raw('dim');
    let keep = a.bool('keepdim');
    if (dv.k === 'bool') {
      // std(input, unbiased): a full reduction
      dv = { k: 'none' };
      keep = false;
    }
    const dims = dimsArg(dv, x.shape.length, a.owner);
    return wrap(reduceShape(x.shape, dims && dims.length === 0 ? null : dims, keep));
  };
}

const FN = (extra: ParamDef[] = []) => [IN, ...extra];

const functionalEntries: Entry[] = [
  // activations (shape-preserving)
  ...(['relu', 'relu6', 'selu', 'silu', 'mish', 'hardswish', 'hardsigmoid', 'sigmoid', 'tanh', 'softsign', 'tanhshrink', 'logsigmoid', 'relu_', 'elu_', 'leaky_relu_', 'hardtanh_'] as const).map(
    (n): Entry => [n, FN([P('inplace', false)]), unaryRule(['sigmoid', 'tanh', 'logsigmoid', 'softsign', 'tanhshrink'].includes(n) ? 'float' : 'keep')],
  ),
  ['elu', FN([P('alpha', 1.0), P('inplace', false)]), unaryRule()],
  ['celu', FN([P('alpha', 1.0), P('inplace', false)]), unaryRule()],
  ['gelu', FN([KW('approximate', 'none')]), unaryRule()],
  ['leaky_relu', FN([P('negative_slope', 0.01), P('inplace', false)]), unaryRule()],
  ['hardtanh', FN([P('min_val', -1.0), P('max_val', 1.0), P('inplace', false)]), unaryRule()],
  ['softplus', FN([P('beta', 1), P('threshold', 20)]), unaryRule()],
  ['softshrink', FN([P('lambd', 0.5)]), unaryRule()],
  ['hardshrink', FN([P('lambd', 0.5)]), unaryRule()],
  ['threshold', FN([P('threshold'), P('value'), P('inplace', false)]), unaryRule()],
  ['rrelu', FN([P('lower', 1 / 8), P('upper', 1 / 3), P('training', false), P('inplace', false)]), unaryRule()],
  ['prelu', FN([P('weight')]), unaryRule()],
  ['glu', FN([P('dim', -1)]), gluRule],
  ['softmax', FN([P('dim', null), P('_stacklevel', 3), P('dtype', null)]), softmaxRule],
  ['softmin', FN([P('dim', null), P('_stacklevel', 3), P('dtype', null)]), softmaxRule],
  ['log_softmax', FN([P('dim', null), P('_stacklevel', 3), P('dtype', null)]), softmaxRule],
  ['gumbel_softmax', [P('logits'), P('tau', 1), P('hard', false), P('eps', 1e-10), P('dim', -1)], (a) => {
    const x = tensorArg(a, 'logits');
    return tensor(x.shape, x.dtype);
  }],
  ...(['dropout', 'alpha_dropout', 'feature_alpha_dropout', 'dropout1d', 'dropout2d', 'dropout3d'] as const).map(
    (n): Entry => [n, FN([P('p', 0.5), P('training', n === 'dropout' || n.startsWith('dropout') || n.startsWith('alpha') ? true : false), P('inplace', false)]), unaryRule()],
  ),
  ['normalize', FN([P('p', 2.0), P('dim', 1), P('eps', 1e-12), P('out', null)]), (a) => {
    const x = tensorArg(a, 'input');
    if (x.shape && x.shape.length) dimArg(a, 'dim', x.shape.length);
    return tensor(x.shape, x.dtype);
  }],
  ['local_response_norm', FN([P('size'), P('alpha', 1e-4), P('beta', 0.75), P('k', 1.0)]), unaryRule()],

  // linear / conv
  ['linear', FN([P('weight'), P('bias', null)]), linearRule],
  ['bilinear', [P('input1'), P('input2'), P('weight'), P('bias', null)], bilinearRule],
  ['conv1d', FN([P('weight'), P('bias', null), P('stride', 1), P('padding', 0), P('dilation', 1), P('groups', 1)]), convRule(1)],
  ['conv2d', FN([P('weight'), P('bias', null), P('stride', 1), P('padding', 0), P('dilation', 1), P('groups', 1)]), convRule(2)],
  ['conv3d', FN([P('weight'), P('bias', null), P('stride', 1), P('padding', 0), P('dilation', 1), P('groups', 1)]), convRule(3)],
  ['conv_transpose1d', FN([P('weight'), P('bias', null), P('stride', 1), P('padding', 0), P('output_padding', 0), P('groups', 1), P('dilation', 1)]), convTransposeRule(1)],
  ['conv_transpose2d', FN([P('weight'), P('bias', null), P('stride', 1), P('padding', 0), P('output_padding', 0), P('groups', 1), P('dilation', 1)]), convTransposeRule(2)],
  ['conv_transpose3d', FN([P('weight'), P('bias', null), P('stride', 1), P('padding', 0), P('output_padding', 0), P('groups', 1), P('dilation', 1)]), convTransposeRule(3)],
  ['unfold', FN([P('kernel_size'), P('dilation', 1), P('padding', 0), P('stride', 1)]), unfoldRule],
  ['fold', FN([P('output_size'), P('kernel_size'), P('dilation', 1), P('padding', 0), P('stride', 1)]), foldRule],

  // pooling
  ...([1, 2, 3] as const).flatMap((nd): Entry[] => [
    [`max_pool${nd}d`, FN([P('kernel_size'), P('stride', null), P('padding', 0), P('dilation', 1), P('ceil_mode', false), P('return_indices', false)]), poolRule(nd, 'max')],
    [`max_pool${nd}d_with_indices`, FN([P('kernel_size'), P('stride', null), P('padding', 0), P('dilation', 1), P('ceil_mode', false), P('return_indices', true)]), poolRule(nd, 'max')],
    [`avg_pool${nd}d`, FN([P('kernel_size'), P('stride', null), P('padding', 0), P('ceil_mode', false), P('count_include_pad', true), ...(nd > 1 ? [P('divisor_override', null)] : [])]), poolRule(nd, 'avg')],
    [`adaptive_avg_pool${nd}d`, FN([P('output_size')]), adaptivePoolRule(nd, 'avg')],
    [`adaptive_max_pool${nd}d`, FN([P('output_size'), P('return_indices', false)]), adaptivePoolRule(nd, 'max')],
  ]),
  ['lp_pool1d', FN([P('norm_type'), P('kernel_size'), P('stride', null), P('ceil_mode', false)]), poolRule(1, 'lp')],
  ['lp_pool2d', FN([P('norm_type'), P('kernel_size'), P('stride', null), P('ceil_mode', false)]), poolRule(2, 'lp')],

  // resampling / padding
  ['interpolate', FN([P('size', null), P('scale_factor', null), P('mode', 'nearest'), P('align_corners', null), P('recompute_scale_factor', null), P('antialias', false)]), interpolateRule],
  ['upsample', FN([P('size', null), P('scale_factor', null), P('mode', 'nearest'), P('align_corners', null)]), interpolateRule],
  ['upsample_nearest', FN([P('size', null), P('scale_factor', null)]), interpolateRule],
  ['upsample_bilinear', FN([P('size', null), P('scale_factor', null)]), interpolateRule],
  ['pad', FN([P('pad'), P('mode', 'constant'), P('value', null)]), padRule],
  ['pixel_shuffle', FN([P('upscale_factor')]), pixelShuffleRule(false)],
  ['pixel_unshuffle', FN([P('downscale_factor')]), pixelShuffleRule(true)],
  ['grid_sample', FN([P('grid'), P('mode', 'bilinear'), P('padding_mode', 'zeros'), P('align_corners', null)]), gridSampleRule],
  ['affine_grid', [P('theta'), P('size'), P('align_corners', null)], affineGridRule],

  // embeddings / encodings
  ['one_hot', [P('tensor'), P('num_classes', -1)], oneHotRule],
  ['embedding', FN([P('weight'), P('padding_idx', null), P('max_norm', null), P('norm_type', 2.0), P('scale_grad_by_freq', false), P('sparse', false)]), embeddingRule],

  // normalisation
  ['layer_norm', FN([P('normalized_shape'), P('weight', null), P('bias', null), P('eps', 1e-5)]), layerNormRule],
  ['batch_norm', FN([P('running_mean'), P('running_var'), P('weight', null), P('bias', null), P('training', false), P('momentum', 0.1), P('eps', 1e-5)]), normChannelsRule('weight')],
  ['instance_norm', FN([P('running_mean', null), P('running_var', null), P('weight', null), P('bias', null), P('use_input_stats', true), P('momentum', 0.1), P('eps', 1e-5)]), normChannelsRule(null)],
  ['group_norm', FN([P('num_groups'), P('weight', null), P('bias', null), P('eps', 1e-5)]), normChannelsRule('group')],

  // similarity / attention
  ['cosine_similarity', [P('x1'), P('x2'), P('dim', 1), P('eps', 1e-8)], similarityRule('cos')],
  ['pairwise_distance', [P('x1'), P('x2'), P('p', 2.0), P('eps', 1e-6), P('keepdim', false)], similarityRule('pair')],
  ['multi_head_attention_forward', [P('query'), P('key'), P('value'), P('embed_dim_to_check'), P('num_heads'), P('in_proj_weight'), P('in_proj_bias'), P('bias_k'), P('bias_v'),
    P('add_zero_attn'), P('dropout_p'), P('out_proj_weight'), P('out_proj_bias'), P('training', true), P('key_padding_mask', null), P('need_weights', true), P('attn_mask', null),
    P('use_separate_proj_weight', false), P('q_proj_weight', null), P('k_proj_weight', null), P('v_proj_weight', null), P('static_k', null), P('static_v', null), P('average_attn_weights', true)], mhaForwardRule],
  ['pdist', [IN, P('p', 2)], pdistRule],
  ['scaled_dot_product_attention', [P('query'), P('key'), P('value'), P('attn_mask', null), P('dropout_p', 0.0), P('is_causal', false), KW('scale', null)], sdpaRule],

  // losses
  ['cross_entropy', FN([P('target'), P('weight', null), P('size_average', null), P('ignore_index', -100), P('reduce', null), P('reduction', 'mean'), P('label_smoothing', 0.0)]), classLossRule('ce')],
  ['nll_loss', FN([P('target'), P('weight', null), P('size_average', null), P('ignore_index', -100), P('reduce', null), P('reduction', 'mean')]), classLossRule('nll')],
  ['mse_loss', FN([P('target'), P('size_average', null), P('reduce', null), P('reduction', 'mean')]), pairLossRule({ warnBroadcast: 'silent' })],
  ['l1_loss', FN([P('target'), P('size_average', null), P('reduce', null), P('reduction', 'mean')]), pairLossRule({ warnBroadcast: 'silent' })],
  ['smooth_l1_loss', FN([P('target'), P('size_average', null), P('reduce', null), P('reduction', 'mean'), P('beta', 1.0)]), pairLossRule({ warnBroadcast: 'silent' })],
  ['huber_loss', FN([P('target'), P('reduction', 'mean'), P('delta', 1.0)]), pairLossRule({ warnBroadcast: 'silent' })],
  ['soft_margin_loss', FN([P('target'), P('size_average', null), P('reduce', null), P('reduction', 'mean')]), pairLossRule({ warnBroadcast: false })],
  ['binary_cross_entropy', FN([P('target'), P('weight', null), P('size_average', null), P('reduce', null), P('reduction', 'mean')]), pairLossRule()],
  ['binary_cross_entropy_with_logits', FN([P('target'), P('weight', null), P('size_average', null), P('reduce', null), P('reduction', 'mean'), P('pos_weight', null)]), bceLogitsRule],
  ['kl_div', FN([P('target'), P('size_average', null), P('reduce', null), P('reduction', 'mean'), P('log_target', false)]), pairLossRule({ warnBroadcast: false })],
  ['poisson_nll_loss', FN([P('target'), P('log_input', true), P('full', false), P('size_average', null), P('eps', 1e-8), P('reduce', null), P('reduction', 'mean')]), pairLossRule({ warnBroadcast: false })],
  ['multilabel_soft_margin_loss', FN([P('target'), P('weight', null), P('size_average', null), P('reduce', null), P('reduction', 'mean')]), (a) => {
    const x = tensorArg(a, 'input');
    return reducedLoss(a, () => (x.shape ? x.shape.slice(0, 1) : null), x.dtype);
  }],
  ['cosine_embedding_loss', [P('input1'), P('input2'), P('target'), P('margin', 0), P('size_average', null), P('reduce', null), P('reduction', 'mean')], (a) => {
    const t = tensorArg(a, 'target');
    return reducedLoss(a, () => t.shape, tensorArg(a, 'input1').dtype);
  }],
  ['margin_ranking_loss', [P('input1'), P('input2'), P('target'), P('margin', 0), P('size_average', null), P('reduce', null), P('reduction', 'mean')], (a) => {
    const ops = [a.raw('input1'), a.raw('input2'), a.raw('target')];
    return reducedLoss(a, () => elementwise(ops).shape, tensorArg(a, 'input1').dtype);
  }],
  ['triplet_margin_loss', [P('anchor'), P('positive'), P('negative'), P('margin', 1.0), P('p', 2), P('eps', 1e-6), P('swap', false), P('size_average', null), P('reduce', null), P('reduction', 'mean')], (a) => {
    const x = tensorArg(a, 'anchor');
    return reducedLoss(a, () => (x.shape ? x.shape.slice(0, -1) : null), x.dtype);
  }],
  ['hinge_embedding_loss', FN([P('target'), P('margin', 1.0), P('size_average', null), P('reduce', null), P('reduction', 'mean')]), pairLossRule({ warnBroadcast: false })],
  ['gaussian_nll_loss', FN([P('target'), P('var'), P('full', false), P('eps', 1e-6), P('reduction', 'mean')]), (a) => {
    const x = tensorArg(a, 'input');
    return reducedLoss(a, () => x.shape, x.dtype);
  }],
  ['ctc_loss', [P('log_probs'), P('targets'), P('input_lengths'), P('target_lengths'), P('blank', 0), P('reduction', 'mean'), P('zero_infinity', false)], (a) => {
    const x = tensorArg(a, 'log_probs');
    return reducedLoss(a, () => (x.shape && x.shape.length === 3 ? [x.shape[1]] : x.shape ? [] : null), x.dtype);
  }],
];

const TOP_LEVEL_TWINS = [
  'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d', 'max_pool1d', 'max_pool2d', 'max_pool3d', 'avg_pool1d', 'adaptive_avg_pool1d',
  'group_norm', 'instance_norm', 'bilinear', 'rrelu', 'threshold', 'feature_alpha_dropout',
];
// torch.* ops that PyTorch 1.13 also exposes under torch.nn.functional.
const FUNCTIONAL_TWINS = ['channel_shuffle'];

function buildTable(): Map<string, OpSpec> {
  const m = new Map<string, OpSpec>();
  for (const [n, sig, fn] of torchEntries) m.set(`torch.${n}`, defOp(`torch.${n}`, sig, fn));
  for (const [n, sig, fn] of functionalEntries) m.set(`torch.nn.functional.${n}`, defOp(`torch.nn.functional.${n}`, sig, fn));
  // torch.nn.functional ops that PyTorch 1.13 also exposes as torch.* with the same leading arguments.
  for (const n of TOP_LEVEL_TWINS) {
    const f = m.get(`torch.nn.functional.${n}`);
    if (f && !m.has(`torch.${n}`)) m.set(`torch.${n}`, { ...f, name: `torch.${n}` });
  }
  for (const n of FUNCTIONAL_TWINS) {
    const f = m.get(`torch.${n}`);
    if (f && !m.has(`torch.nn.functional.${n}`)) m.set(`torch.nn.functional.${n}`, { ...f, name: `torch.nn.functional.${n}` });
  }
  return m;
}

export const TORCH_OPS: ReadonlyMap<string, OpSpec> = buildTable();

// Exposed for tensor.ts (method forms share these rules).
export { reduceRule, maxMinRule, stdRule, softmaxRule, unaryRule, binaryRule, topkRule, sortRule, gatherRule, indexSelectRule, narrowRule, selectRule, repeatInterleaveRule, clampRule, alongDimKeep, dtypeKw, floatOf, category, tensorList, mmRule, bmmRule };
export { P, KW, STAR, IN };

/** Tensor functions whose result is a Python number or flag, not a tensor. */
const SCALAR_RESULT_OP = /(?:^|\.)(?:numel|is_\w+|equal|allclose|get_\w+|result_type|can_cast|promote_types)$/;

/**
 * What a tensor op gives when the engine cannot work it out (an input of unknown shape): a
 * tensor of unknown shape, so that an operator with it does not take the other operand's
 * shape as it would for a number (`tf.matmul(x, W) + b` is not b's shape).
 */
export function tensorResult(name: string, r: Value): Value {
  return r.k === 'unknown' && !r.tensor && !SCALAR_RESULT_OP.test(name) ? { ...r, tensor: true } : r;
}
