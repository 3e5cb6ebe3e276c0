// Shape rules of the torch.Tensor surface: methods (TENSOR_METHODS, called with the
// receiver as `self`), attributes (`.shape`, `.T`...), `x[...]` indexing and the Python
// operators. Methods that mirror a `torch.X(input, ...)` function reuse its rule from
// functional.ts; the rest are defined here. PyTorch 1.13 semantics; only ShapeError escapes.

import { type Dim, type Shape, UNKNOWN_DIM, addDims, ceilDivDims, dimsConflict, floorDivDims, formatDim, formatShape, isUnknownDim, prodDims, subDims } from '../../shapes/dim';
import { broadcastShapes, expandShape, normDim, reshapeShape, transposeShape } from '../../shapes/broadcast';
import { LayerArgs, type OpSpec, type ParamDef, ShapeError, valueToDim } from '../spec';
import { MAX_TENSOR_VALUES, type SliceV, TENSOR_VALUES, type TensorV, type Value, bool, int, list, scalarOf, str, tensor, tuple, unknown, withValues } from '../../eval/values';
import { contiguousStrides, isContiguous, layoutOf, numericShape, viewStrides } from '../../shapes/strides';
import {
  Bail,
  KW,
  type KnownTensor,
  batchFlattened,
  dimOrder,
  permuteRule,
  permuted,
  P,
  STAR,
  TORCH_OPS,
  catRule,
  category,
  defOp,
  dtypeKw,
  dtypeOf,
  elementwise,
  floatOf,
  intArg,
  isFloatDtype,
  literalShape,
  resultType,
  sizeList,
  tensorArg,
  tileShape,
  type RuleFn,
} from './functional';
import { binaryValues, sameValues, withKnownValues } from './constants';

// ---------------------------------------------------------------------------
// Methods

/** Derives `x.name(...)` from `torch.name(input, ...)`: the receiver becomes `input`. */
function methodFromOp(name: string, op: OpSpec): OpSpec | null {
  const first = op.signature[0];
  if (!first || first.name !== 'input' || first.star) return null;
  const sig = op.signature.slice(1);
  return {
    name: `Tensor.${name}`,
    signature: sig,
    call(a, self) {
      const values = new Map(a.values);
      values.set('input', self ?? unknown('no receiver'));
      return op.call(new LayerArgs(values, a.owner), self);
    },
  };
}

/** A method rule reading the receiver as `input`. */
function selfRule(fn: RuleFn): RuleFn {
  return (a, self) => {
    const values = new Map(a.values);
    values.set('input', self ?? unknown('no receiver'));
    return fn(new LayerArgs(values, a.owner), self);
  };
}

const receiver = (self: Value | undefined): TensorV => {
  if (self && self.k === 'tensor') return self;
  throw new Bail(unknown('method called on a non-tensor'));
};

function shapedSelf(self: Value | undefined): TensorV & { shape: Shape } {
  const t = receiver(self);
  if (!t.shape) throw new Bail(tensor(null, t.dtype));
  return t as TensorV & { shape: Shape };
}

function viewRule(a: LayerArgs, self?: Value): Value {
  const x = receiver(self);
  const byKeyword = a.has('dtype') ? a.raw('dtype') : undefined;
  const v = byKeyword ? tuple([byKeyword]) : a.raw('shape');
  if (v.k === 'tuple' && v.items.length === 1 && v.items[0].k === 'str') {
    // view(dtype) / view(dtype=...): reinterpretation; same shape when element sizes agree.
    const dt = dtypeOf(v.items[0]);
    if (!dt) return tensor(null, x.dtype);
    return tensor(elementSize(dt) === elementSize(x.dtype) ? x.shape : x.shape ? [...x.shape.slice(0, -1), UNKNOWN_DIM] : null, dt);
  }
  const target = sizeList(v);
  if (!target) return tensor(null, x.dtype);
  if (!x.shape) return tensor(target.map((d) => (d === -1 ? UNKNOWN_DIM : d)), x.dtype);
  return batchFlattened(x, viewOf(x, reshapeShape(x.shape, target), !a.owner.endsWith('reshape')));
}

/**
 * `x` viewed as `shape`. A tensor with a known non-contiguous layout (a transpose's result)
 * can be viewed only where its memory allows (shapes/strides.ts): `view` raises torch's
 * error otherwise, `reshape` copies (the result is contiguous).
 */
function viewOf(x: TensorV, shape: Shape, strict: boolean): TensorV {
  const out = tensor(shape, x.dtype);
  const from = x.strides && numericShape(x.shape);
  const to = from && numericShape(shape);
  if (!from || !to) return out;
  const st = viewStrides(from, x.strides!, to);
  if (!st) {
    // torch's error text, with the sizes and strides that make it.
    if (strict) throw new ShapeError(`view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces): ${formatShape(from)} with strides (${x.strides!.join(', ')}) viewed as ${formatShape(to)}. Use .reshape(...) instead.`, 'DL115');
    return out;
  }
  const layout = layoutOf(to, st);
  return layout ? { ...out, strides: layout } : out;
}

function elementSize(dt: string): number {
  if (dt === 'bool' || dt === 'uint8' || dt === 'int8') return 1;
  if (dt === 'int16' || dt === 'float16' || dt === 'bfloat16') return 2;
  if (dt === 'int32' || dt === 'float32') return 4;
  if (dt === 'complex128') return 16;
  return 8;
}

function asRule(a: LayerArgs, self?: Value): Value {
  const x = receiver(self);
  const o = tensorArg(a, 'other');
  if (!o.shape) return tensor(null, x.dtype);
  if (!x.shape) return tensor(o.shape, x.dtype);
  return tensor(reshapeShape(x.shape, o.shape), x.dtype);
}

function expandRule(a: LayerArgs, self?: Value): Value {
  const x = receiver(self);
  const target = sizeList(a.raw('sizes'));
  if (!target) return tensor(null, x.dtype);
  if (!x.shape) return tensor(target.some((d) => d === -1) ? null : target, x.dtype);
  const out = tensor(expandShape(x.shape, target), x.dtype);
  // New dims, and dims of size 1 grown, repeat the same memory: stride 0.
  const from = numericShape(x.shape);
  const to = from && numericShape(out.shape);
  if (!from || !to) return out;
  const st = x.strides ?? contiguousStrides(from);
  const lead = to.length - from.length;
  return { ...out, strides: to.map((d, i) => (i < lead || (from[i - lead] === 1 && d !== 1) ? 0 : st[i - lead])) };
}

function repeatRule(a: LayerArgs, self?: Value): Value {
  const x = receiver(self);
  const reps = sizeList(a.raw('sizes'));
  if (!reps) return tensor(null, x.dtype);
  if (!x.shape) return tensor(reps.length ? null : null, x.dtype);
  if (reps.length < x.shape.length) {
    throw new ShapeError(`Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor (repeat ${formatShape(reps)} for a tensor of shape ${formatShape(x.shape)})`);
  }
  return tensor(tileShape(x.shape, reps), x.dtype);
}

function unflattenRule(a: LayerArgs, self?: Value): Value {
  const x = shapedSelf(self);
  const dim = normDim(intArg(a, 'dim'), x.shape.length, a.owner);
  const sizes = sizeList(a.raw('sizes'));
  if (!sizes) return tensor(null, x.dtype);
  if (sizes.length === 0) throw new ShapeError('unflatten: sizes must be non-empty');
  const inner = reshapeShape([x.shape[dim]], sizes);
  return tensor([...x.shape.slice(0, dim), ...inner, ...x.shape.slice(dim + 1)], x.dtype);
}

function permuteMethod(a: LayerArgs, self?: Value): Value {
  return permuteRule(shapedSelf(self), a.raw('dims'));
}

/**
 * The tuples that are a torch.Size (`x.shape`, `x.size()`, `torch.Size(...)`, a slice of one):
 * a legacy constructor given one makes a tensor of that shape (`torch.BoolTensor(x.size())`),
 * where a plain tuple is data (`torch.FloatTensor((2, 3))` is [2]).
 */
export const TORCH_SIZES = new WeakSet<Value>();

/** A tuple marked as a torch.Size (TORCH_SIZES). */
export function torchSize(items: Value[]): Value {
  const t = tuple(items);
  TORCH_SIZES.add(t);
  return t;
}

function sizeRule(a: LayerArgs, self?: Value): Value {
  const x = receiver(self);
  if (a.isNone('dim')) return x.shape ? torchSize(x.shape.map(int)) : unknown('size of a tensor of unknown rank');
  if (!x.shape) return int(UNKNOWN_DIM);
  const d = normDim(intArg(a, 'dim', int(UNKNOWN_DIM)), x.shape.length, a.owner);
  if (x.shape.length === 0) throw new ShapeError('size(): dimension specified as 0 but tensor has no dimensions');
  return int(x.shape[d]);
}

/** `.to(...)`, `.type(...)`: only the dtype can change. */
function toRule(a: LayerArgs, self?: Value): Value {
  const x = receiver(self);
  let dt: string | null = dtypeKw(a);
  const args = a.raw('args');
  if (!dt && args.k === 'tuple') {
    for (const v of args.items) {
      if (v.k === 'tensor') dt = v.dtype;
      else dt = dtypeOf(v) ?? dt;
    }
  }
  return sameValues(x, tensor(x.shape, dt ?? x.dtype));
}

/** The legacy tensor classes and their dtypes (`torch.FloatTensor(4, 3)`, `x.type(torch.LongTensor)`). */
export const LEGACY_TYPES: Record<string, string> = {
  'torch.FloatTensor': 'float32', 'torch.DoubleTensor': 'float64', 'torch.HalfTensor': 'float16', 'torch.LongTensor': 'int64', 'torch.IntTensor': 'int32',
  'torch.ShortTensor': 'int16', 'torch.CharTensor': 'int8', 'torch.ByteTensor': 'uint8', 'torch.BoolTensor': 'bool', 'torch.BFloat16Tensor': 'bfloat16',
};

/**
 * `torch.Tensor(4, 3)` / `torch.FloatTensor(i, o)` (uninitialised, of those sizes, as old
 * code builds parameters), of a torch.Size (`torch.BoolTensor(x.size())`: that shape), of a
 * tensor (its shape), or from data (`torch.Tensor([1, 2])`, `torch.FloatTensor((2, 3))`: the
 * data's shape); else of unknown shape. Shapes checked with torch 1.13.
 */
export function legacyTensor(args: Value[], dtype: string): Value {
  if (args.length === 0) return tensor([0], dtype);
  if (args.every((a) => a.k === 'int')) return tensor(args.map((a) => (a as { v: Dim }).v), dtype);
  if (args.length === 1) {
    const a = args[0];
    if (a.k === 'tuple' && TORCH_SIZES.has(a) && a.items.every((x) => x.k === 'int')) return tensor(a.items.map((x) => (x as { v: Dim }).v), dtype);
    if (a.k === 'tensor') return tensor(a.shape, dtype);
    if (a.k === 'list' || a.k === 'tuple') {
      try {
        const lit = literalShape(a).shape;
        if (lit) return tensor(lit, dtype);
      } catch {
        return tensor(null, dtype);
      }
      // Items of unknown value: at least the number of rows (and of columns of the first).
      const rows = a.items;
      const inner = rows[0] && (rows[0].k === 'list' || rows[0].k === 'tuple') ? rows[0].items.length : undefined;
      return tensor(inner === undefined ? [rows.length] : [rows.length, inner], dtype);
    }
  }
  return tensor(null, dtype);
}

function typeRule(a: LayerArgs, self?: Value): Value {
  const x = receiver(self);
  const v = a.raw('dtype');
  if (v.k === 'none') {
    const name = Object.entries(LEGACY_TYPES).find(([, d]) => d === x.dtype)?.[0];
    return name ? str(name) : unknown('tensor type name');
  }
  const dt = (v.k === 'str' && LEGACY_TYPES[v.v]) || (v.k === 'str' && LEGACY_TYPES[v.v.replace('torch.cuda.', 'torch.')]) || (v.k === 'class' && LEGACY_TYPES[v.qualname]) || dtypeOf(v);
  return tensor(x.shape, dt ?? x.dtype);
}

const castTo = (dt: string): RuleFn => (_a, self) => sameValues(receiver(self), tensor(receiver(self).shape, dt));
/** Same shape and values (detach, clone, cpu, contiguous...). */
const keep: RuleFn = (_a, self) => {
  const x = receiver(self);
  return sameValues(x, tensor(x.shape, x.dtype));
};
/** An in-place op that may change the values (fill_, normal_, clamp_...): the receiver's known values no longer hold. */
const keepShape: RuleFn = (_a, self) => {
  const x = receiver(self);
  TENSOR_VALUES.delete(x);
  return tensor(x.shape, x.dtype);
};

function newRule(kind: 'size' | 'full' | 'tensor'): RuleFn {
  return (a, self) => {
    const x = receiver(self);
    if (kind === 'tensor') {
      const { shape, dtype } = literalShape(a.raw('data'));
      return tensor(shape, dtypeKw(a) ?? (a.raw('data').k === 'tensor' ? dtype : x.dtype));
    }
    return tensor(sizeList(a.raw('size')), dtypeKw(a) ?? x.dtype);
  };
}

function itemRule(_a: LayerArgs, self?: Value): Value {
  const x = receiver(self);
  const values = TENSOR_VALUES.get(x);
  if (values && values.length === 1) return scalarOf(x, values[0]);
  if (x.shape && prodDims(x.shape) !== 1 && typeof prodDims(x.shape) === 'number') {
    throw new ShapeError(`a Tensor with ${formatDim(prodDims(x.shape))} elements cannot be converted to Scalar (shape ${formatShape(x.shape)})`);
  }
  // An int of unknown value keeps the Python type; a float has no "unknown value" form.
  if (category(x.dtype) === 1) return int(UNKNOWN_DIM);
  return unknown('value of Tensor.item()');
}

/**
 * `x.tolist()`: nested lists of Python numbers, their values when known (a constant tensor,
 * TENSOR_VALUES), else of the right lengths with numbers of unknown value; a 0-d tensor gives one number.
 */
function tolistRule(x: TensorV): Value {
  const values = TENSOR_VALUES.get(x);
  const shape = x.shape;
  if (!shape || shape.some((d) => typeof d !== 'number')) return unknown('values of Tensor.tolist()');
  const dims = shape as number[];
  const n = dims.reduce((p, d) => p * d, 1);
  if (n > MAX_TENSOR_VALUES) return unknown('values of Tensor.tolist() (too many elements)');
  const scalar = (i: number): Value => (values ? scalarOf(x, values[i]) : category(x.dtype) === 1 ? int(UNKNOWN_DIM) : unknown('value of a tensor element'));
  let next = 0;
  const build = (depth: number): Value => (depth === dims.length ? scalar(next++) : list(Array.from({ length: dims[depth] }, () => build(depth + 1))));
  return build(0);
}

function whereMethod(a: LayerArgs, self?: Value): Value {
  const x = receiver(self);
  const c = a.raw('condition');
  const y = a.raw('other');
  return elementwise([c, x, y], resultType([x, y]));
}

function masked(inplace: boolean): RuleFn {
  return (a, self) => {
    const x = receiver(self);
    const m = a.raw('mask');
    if (inplace) {
      // In place: the mask must broadcast to self's shape; self keeps its shape.
      if (m.k === 'tensor' && m.shape && x.shape) {
        const b = broadcastShapes(x.shape, m.shape);
        if (b.length !== x.shape.length || b.some((d, i) => dimsConflict(d, (x.shape as Shape)[i]))) {
          throw new ShapeError(`masked_fill_: mask ${formatShape(m.shape)} is not broadcastable to self ${formatShape(x.shape)}`);
        }
      }
      TENSOR_VALUES.delete(x);
      return tensor(x.shape, x.dtype);
    }
    return elementwise([x, m], x.dtype);
  };
}

/** In-place binary op: `other` must broadcast to self's shape, which is kept. */
function inplaceBinary(otherName = 'other'): RuleFn {
  return (a, self) => {
    const x = receiver(self);
    TENSOR_VALUES.delete(x);
    const o = a.raw(otherName);
    if (o.k === 'tensor' && o.shape && x.shape) {
      const b = broadcastShapes(x.shape, o.shape);
      if (b.length !== x.shape.length || b.some((d, i) => dimsConflict(d, (x.shape as Shape)[i]))) {
        throw new ShapeError(`output with shape ${formatShape(x.shape)} doesn't match the broadcast shape ${formatShape(b)}`);
      }
    }
    return tensor(x.shape, x.dtype);
  };
}

const M = (name: string, signature: ParamDef[], fn: RuleFn): [string, OpSpec] => [name, defOp(`Tensor.${name}`, signature, fn)];
const SEL = (fn: RuleFn): RuleFn => selfRule(fn);
const op = (n: string) => TORCH_OPS.get(`torch.${n}`) as OpSpec;
/** Method whose receiver fills the first parameter of a torch.* op with a different first name. */
const viaOp = (n: string): RuleFn => (a, self) => op(n).call(new LayerArgs(new Map([...a.values, ['input', self ?? unknown('no receiver')]]), a.owner), self);

function buildMethods(): Map<string, OpSpec> {
  const m = new Map<string, OpSpec>();
  for (const [qual, o] of TORCH_OPS) {
    if (!qual.startsWith('torch.') || qual.startsWith('torch.nn.') || qual.startsWith('torch.linalg.')) continue;
    const name = qual.slice(6);
    const meth = methodFromOp(name, o);
    if (meth) m.set(name, meth);
  }
  const own: Array<[string, OpSpec]> = [
    M('view', [STAR('shape'), KW('dtype')], viewRule),
    M('reshape', [STAR('shape')], viewRule),
    M('view_as', [P('other')], asRule),
    M('reshape_as', [P('other')], asRule),
    M('expand', [STAR('sizes')], expandRule),
    M('expand_as', [P('other')], (a, self) => {
      const o = tensorArg(a, 'other');
      return expandRule(new LayerArgs(new Map([['sizes', o.shape ? tuple(o.shape.map(int)) : unknown('*unknown')]]), a.owner), self);
    }),
    M('broadcast_to', [P('size')], (a, self) => expandRule(new LayerArgs(new Map([['sizes', a.raw('size')]]), a.owner), self)),
    M('repeat', [STAR('sizes')], repeatRule),
    M('tile', [STAR('dims')], (a, self) => {
      const x = receiver(self);
      const reps = sizeList(a.raw('dims'));
      if (!x.shape || !reps) return tensor(null, x.dtype);
      return tensor(tileShape(x.shape, reps), x.dtype);
    }),
    M('unflatten', [P('dim'), P('sizes')], unflattenRule),
    M('permute', [STAR('dims')], permuteMethod),
    M('size', [P('dim', null)], sizeRule),
    M('dim', [], (_a, self) => {
      const x = receiver(self);
      return int(x.shape ? x.shape.length : UNKNOWN_DIM);
    }),
    M('ndimension', [], (_a, self) => {
      const x = receiver(self);
      return int(x.shape ? x.shape.length : UNKNOWN_DIM);
    }),
    M('nelement', [], (_a, self) => {
      const x = receiver(self);
      return int(x.shape ? prodDims(x.shape) : UNKNOWN_DIM);
    }),
    M('element_size', [], (_a, self) => int(elementSize(receiver(self).dtype))),
    M('is_contiguous', [KW('memory_format')], (_a, self) => {
      const x = receiver(self);
      const shape = numericShape(x.shape);
      return bool(!x.strides || !shape || isContiguous(shape, x.strides));
    }),
    M('is_floating_point', [], (_a, self) => bool(isFloatDtype(receiver(self).dtype))),
    M('contiguous', [KW('memory_format')], keep),
    M('float', [KW('memory_format')], castTo('float32')),
    M('double', [KW('memory_format')], castTo('float64')),
    M('half', [KW('memory_format')], castTo('float16')),
    M('bfloat16', [KW('memory_format')], castTo('bfloat16')),
    M('long', [KW('memory_format')], castTo('int64')),
    M('int', [KW('memory_format')], castTo('int32')),
    M('short', [KW('memory_format')], castTo('int16')),
    M('char', [KW('memory_format')], castTo('int8')),
    M('byte', [KW('memory_format')], castTo('uint8')),
    M('bool', [KW('memory_format')], castTo('bool')),
    M('to', [STAR('args'), KW('dtype'), KW('device'), KW('non_blocking', false), KW('copy', false), KW('memory_format')], toRule),
    M('type', [P('dtype', null), P('non_blocking', false)], typeRule),
    M('type_as', [P('other')], (a, self) => tensor(receiver(self).shape, tensorArg(a, 'other').dtype)),
    ...['cuda', 'cpu', 'pin_memory', 'share_memory_'].map((n) => M(n, [P('device', null), P('non_blocking', false), KW('memory_format')], keep)),
    ...['detach', 'detach_', 'clone', 'requires_grad_', 'retain_grad', 'coalesce', 'resolve_conj', 'resolve_neg'].map((n) => M(n, [P('_a', null), KW('memory_format')], keep)),
    // The sparse layouts keep the dense shape (torch 1.13: eye(4).to_sparse() is [4, 4]).
    ...['to_sparse', 'to_sparse_coo', 'to_sparse_csr', 'to_sparse_csc', 'to_dense'].map((n) => M(n, [P('_a', null), KW('dtype'), KW('layout'), KW('blocksize')], keep)),
    ...['zero_', 'normal_', 'uniform_', 'fill_', 'random_', 'bernoulli_', 'exponential_', 'geometric_', 'cauchy_', 'log_normal_', 'clamp_', 'clip_', 'relu_', 'sigmoid_', 'tanh_', 'exp_', 'sqrt_', 'abs_', 'neg_', 'floor_', 'ceil_', 'round_', 'fill_diagonal_', 'squeeze_', 'unsqueeze_', 't_', 'transpose_', 'scatter_', 'scatter_add_', 'scatter_reduce_', 'index_fill_', 'index_add_', 'index_copy_', 'put_', 'masked_scatter_', 'triu_', 'tril_', 'clamp_min_', 'clamp_max_', 'log_', 'log1p_', 'expm1_', 'sin_', 'cos_', 'erf_', 'reciprocal_', 'rsqrt_', 'sign_', 'trunc_', 'frac_', 'square_', 'logical_not_', 'bitwise_not_', 'float_power_', 'true_divide_', 'multiply_', 'subtract_', 'index_put_'].map(
      (n) => M(n, [P('_a', null), P('_b', null), P('_c', null), KW('generator')], n === 'squeeze_' || n === 'unsqueeze_' || n === 't_' || n === 'transpose_' ? inplaceShapeChange(n) : keepShape),
    ),
    ...['add_', 'sub_', 'mul_', 'div_', 'pow_', 'copy_', 'lerp_', 'addcmul_', 'addcdiv_', 'maximum_', 'minimum_', 'fmod_', 'remainder_', 'floor_divide_', 'atan2_', 'logical_and_', 'logical_or_'].map((n) =>
      M(n, [P('other'), P('_b', null), KW('alpha', 1), KW('rounding_mode')], inplaceBinary()),
    ),
    M('masked_fill', [P('mask'), P('value')], masked(false)),
    M('masked_fill_', [P('mask'), P('value')], masked(true)),
    M('where', [P('condition'), P('other')], whereMethod),
    M('new_zeros', [STAR('size'), KW('dtype'), KW('device'), KW('requires_grad', false), KW('layout'), KW('pin_memory', false)], newRule('size')),
    M('new_ones', [STAR('size'), KW('dtype'), KW('device'), KW('requires_grad', false), KW('layout'), KW('pin_memory', false)], newRule('size')),
    M('new_empty', [STAR('size'), KW('dtype'), KW('device'), KW('requires_grad', false), KW('layout'), KW('pin_memory', false)], newRule('size')),
    M('new_full', [P('size'), P('fill_value'), KW('dtype'), KW('device'), KW('requires_grad', false), KW('layout'), KW('pin_memory', false)], newRule('size')),
    M('new_tensor', [P('data'), KW('dtype'), KW('device'), KW('requires_grad', false)], newRule('tensor')),
    // x.new(...): the legacy constructor with the receiver's dtype (x.new(x.size()), x.new(2, 3), x.new([1, 2])).
    M('new', [STAR('args')], (a, self) => {
      const args = a.raw('args');
      return legacyTensor(args.k === 'tuple' ? args.items : [], receiver(self).dtype);
    }),
    // x.resize_(*sizes) / x.resize_as_(other): in place, the receiver takes the new shape (its values are
    // not kept), and is returned (AWD-LSTM's embedded_dropout: `w.new().resize_((V, 1)).bernoulli_(p)`).
    M('resize_', [STAR('sizes'), KW('memory_format')], (a, self) => resized(self, sizeList(a.raw('sizes')))),
    M('resize_as_', [P('other'), KW('memory_format')], (a, self) => resized(self, tensorArg(a, 'other').shape)),
    M('item', [], itemRule),
    M('tolist', [], (_a, self) => tolistRule(receiver(self))),
    // x.numpy(): an array of the tensor's shape, dtype and known values (TimesNet's FFT periods index with it).
    M('numpy', [KW('force', false)], (_a, self) => {
      const x = receiver(self);
      const out: TensorV = { ...x, param: undefined, flow: undefined, packed: undefined, ndarray: true };
      const values = TENSOR_VALUES.get(x);
      return values ? withValues(out, values) : out;
    }),
    M('data_ptr', [], () => unknown('data pointer')),
    M('get_device', [], () => int(-1)),
    M('split', [P('split_size'), P('dim', 0)], viaOp('split')),
    M('softmax', [P('dim'), KW('dtype')], viaOp('softmax')),
    M('log_softmax', [P('dim'), KW('dtype')], viaOp('log_softmax')),
    M('apply_', [P('callable')], keep),
    M('map_', [P('tensor'), P('callable')], keep),
    M('sum_to_size', [STAR('size')], (a, self) => tensor(sizeList(a.raw('size')), receiver(self).dtype)),
    M('stride', [P('dim', null)], (a, self) => {
      const x = receiver(self);
      if (!x.shape) return unknown('stride of unknown rank');
      const strides = x.shape.map((_, i) => int(prodDims(x.shape!.slice(i + 1))));
      if (a.isNone('dim')) return tuple(strides);
      return strides[normDim(intArg(a, 'dim'), x.shape.length, a.owner)];
    }),
    M('cat', [P('tensors'), P('dim', 0)], SEL(catRule)),
    M('unfold', [P('dimension'), P('size'), P('step')], (a, self) => {
      // Sliding windows: dim becomes ⌊(n − size)/step⌋ + 1 and a trailing dim of `size` is added.
      const x = shapedSelf(self);
      const d = x.shape.length === 0 ? 0 : normDim(intArg(a, 'dimension'), x.shape.length, a.owner);
      const n = x.shape.length === 0 ? 1 : x.shape[d];
      const size = a.dim('size');
      const step = a.dim('step');
      if (typeof step === 'number' && step <= 0) throw new ShapeError(`step is ${step} but must be > 0`);
      if (typeof n === 'number' && typeof size === 'number' && size > n) throw new ShapeError(`maximum size for tensor at dimension ${d} is ${n} but size is ${size}`);
      const windows = addDims(floorDivDims(subDims(n, size), step), 1);
      const base = x.shape.length === 0 ? [] : x.shape.map((v, i) => (i === d ? windows : v));
      return tensor([...base, size], x.dtype);
    }),
  ];
  // `x.split(...)` names its first argument `split_size` rather than torch.split's.
  own.forEach(([n, o]) => m.set(n, o));
  const splitOp = op('split');
  m.set('split', {
    name: 'Tensor.split',
    signature: [P('split_size'), P('dim', 0)],
    call: (a, self) => splitOp.call(new LayerArgs(new Map<string, Value>([['input', self ?? unknown('no receiver')], ['split_size_or_sections', a.raw('split_size')], ['dim', a.raw('dim')]]), a.owner), self),
  });
  m.delete('cat');
  return m;
}

function resized(self: Value | undefined, shape: Shape | null): Value {
  const x = receiver(self);
  if (self?.k !== 'tensor') return tensor(shape, x.dtype);
  self.shape = shape;
  delete self.strides;
  TENSOR_VALUES.delete(self);
  return self;
}

function inplaceShapeChange(n: string): RuleFn {
  const base = n.slice(0, -1);
  return (a, self) => {
    const o = op(base);
    const sig = o.signature.slice(1);
    const vals = [a.raw('_a'), a.raw('_b')];
    const values = new Map<string, Value>([['input', self ?? unknown('no receiver')]]);
    sig.forEach((p, i) => values.set(p.name, i < vals.length && vals[i].k !== 'none' ? vals[i] : 'default' in p ? ({ k: 'none' } as Value) : unknown('missing')));
    if (base === 'squeeze' && a.isNone('_a')) values.set('dim', { k: 'none' });
    const out = o.call(new LayerArgs(values, a.owner), self);
    // In place: the receiver itself takes the new shape (`wave.unsqueeze_(1)` as a statement), and is returned.
    if (out.k !== 'tensor' || self?.k !== 'tensor') return out;
    self.shape = out.shape;
    if (out.strides) self.strides = out.strides;
    else delete self.strides;
    return self;
  };
}

export const TENSOR_METHODS: ReadonlyMap<string, OpSpec> = buildMethods();

// ---------------------------------------------------------------------------
// Attributes

/** `x.shape`, `x.ndim`, `x.dtype`, `x.T`... undefined for names that are not attributes (methods). */
export function tensorAttribute(t: TensorV, name: string): Value | undefined {
  switch (name) {
    case 'shape':
      return t.shape ? torchSize(t.shape.map(int)) : unknown('shape of a tensor of unknown rank');
    case 'ndim':
      return int(t.shape ? t.shape.length : UNKNOWN_DIM);
    case 'dtype':
      return str(t.dtype);
    case 'T':
      return t.shape ? permuted(t as KnownTensor, dimOrder(t as KnownTensor).reverse()) : tensor(null, t.dtype);
    case 'mT':
    case 'mH':
      if (!t.shape) return tensor(null, t.dtype);
      if (t.shape.length < 2) throw new ShapeError(`tensor.${name} is only supported on matrices or batches of matrices. Got ${t.shape.length}-D tensor.`);
      return permuted(t as KnownTensor, transposeShape(dimOrder(t as KnownTensor), -2, -1) as number[]);
    case 'H':
      if (t.shape && t.shape.length > 2) throw new ShapeError(`tensor.H is only supported on matrices (2-D tensors). Got ${t.shape.length}-D tensor.`);
      return tensor(t.shape ? [...t.shape].reverse() : null, t.dtype);
    case 'device':
      return str('cpu');
    case 'is_cuda':
      return bool(false);
    case 'requires_grad':
      return unknown('requires_grad of a tensor');
    case 'is_leaf':
      return unknown('is_leaf of a tensor');
    case 'data':
      return tensor(t.shape, t.dtype);
    case 'grad':
      return tensor(t.shape, t.dtype);
    case 'real':
    case 'imag':
      return tensor(t.shape, t.dtype === 'complex128' ? 'float64' : t.dtype === 'complex64' ? 'float32' : t.dtype);
    case 'layout':
      return str('torch.strided');
    case 'is_sparse':
    case 'is_quantized':
    case 'is_meta':
      return bool(false);
    case 'itemsize':
      return int(elementSize(t.dtype));
    case 'nbytes':
      return int(t.shape ? prodDims([...t.shape, elementSize(t.dtype)]) : UNKNOWN_DIM);
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------
// Indexing

type IndexItem =
  | { kind: 'int'; v: Dim }
  | { kind: 'slice'; s: SliceV }
  | { kind: 'none' }
  | { kind: 'ellipsis' }
  | { kind: 'bool'; v: boolean }
  | { kind: 'adv'; shape: Shape | null; consumes: number | null; mask: Shape | null };

function classify(v: Value): IndexItem | null {
  switch (v.k) {
    case 'int':
      return { kind: 'int', v: v.v };
    case 'bool':
      return { kind: 'bool', v: v.v };
    case 'none':
      return { kind: 'none' };
    case 'slice':
      return { kind: 'slice', s: v };
    case 'str':
      return v.v === '...' || v.v === 'Ellipsis' ? { kind: 'ellipsis' } : null;
    case 'tensor': {
      // An index whose dtype is only a guess (torch.from_numpy of an index array) may be ints or a mask.
      if (v.dtypeGuessed) return null;
      if (v.dtype === 'bool' || v.dtype === 'uint8') {
        // A constant mask (a registered keep-mask buffer, torch.tensor([True, False, ...])) selects as many as it has set.
        const vals = TENSOR_VALUES.get(v);
        return { kind: 'adv', shape: [vals ? vals.filter((x) => x !== 0).length : UNKNOWN_DIM], consumes: v.shape ? Math.max(v.shape.length, 0) : null, mask: v.shape };
      }
      if (category(v.dtype) !== 1) throw new ShapeError('tensors used as indices must be long, int, byte or bool tensors');
      return { kind: 'adv', shape: v.shape, consumes: 1, mask: null };
    }
    case 'list': {
      const lit = literalShape(v);
      if (lit.dtype === 'bool') {
        const flags = v.items.every((x) => x.k === 'bool' && typeof x.v === 'boolean') ? v.items.filter((x) => x.k === 'bool' && x.v === true).length : UNKNOWN_DIM;
        return { kind: 'adv', shape: [flags], consumes: lit.shape ? lit.shape.length : null, mask: lit.shape };
      }
      if (v.items.some((x) => x.k === 'slice' || x.k === 'none' || x.k === 'tensor')) return null;
      return { kind: 'adv', shape: lit.shape, consumes: 1, mask: null };
    }
    default:
      return null;
  }
}

/** Whether an index holds a slice with a negative step (`x[::-1]`, `x[..., 8:2:-2]`). */
export function hasNegativeStep(index: Value): boolean {
  const neg = (v: Value) => v.k === 'slice' && v.step.k === 'int' && typeof v.step.v === 'number' && v.step.v < 0;
  return index.k === 'tuple' ? index.items.some(neg) : neg(index);
}

function sliceBound(v: Value): Dim | null | 'bad' {
  if (v.k === 'none') return null;
  if (v.k === 'int' || v.k === 'bool') return valueToDim(v);
  if (v.k === 'tensor' && v.shape && v.shape.length === 0 && category(v.dtype) === 1) return UNKNOWN_DIM;
  if (v.k === 'unknown') return UNKNOWN_DIM;
  return 'bad';
}

/**
 * The length of `dim[start:stop:step]`. Symbolic bounds are taken to lie inside the dim. A
 * negative step is torch's error, and Python's reversed slice under NumPy / TensorFlow rules
 * (`negativeSteps`: numpy arrays, TF tensors).
 */
export function sliceLength(n: Dim, s: SliceV, negativeSteps = false): Dim {
  const start = sliceBound(s.start);
  const stop = sliceBound(s.stop);
  const step = sliceBound(s.step);
  if (start === 'bad' || stop === 'bad' || step === 'bad') throw new Bail(unknown('slice bound is not an integer'));
  const st = step ?? 1;
  if (negativeSteps && typeof st === 'number' && st < 0) {
    if (start === null && stop === null) return sliceLength(n, { ...s, step: int(-st) });
    if (typeof n !== 'number' || (start !== null && typeof start !== 'number') || (stop !== null && typeof stop !== 'number')) return UNKNOWN_DIM;
    // Python's slice.indices for a negative step: from start (default the last) down to stop (default before the first).
    const bound = (b: number) => (b < 0 ? Math.max(-1, b + n) : Math.min(b, n - 1));
    const a = start === null ? n - 1 : bound(start);
    const b = stop === null ? -1 : bound(stop);
    return a <= b ? 0 : Math.ceil((a - b) / -st);
  }
  if (typeof st === 'number' && st <= 0) throw new ShapeError(st === 0 ? 'slice step cannot be zero' : 'step must be greater than zero');
  if (typeof n === 'number' && (start === null || typeof start === 'number') && (stop === null || typeof stop === 'number') && typeof st === 'number') {
    const clamp = (b: number) => (b < 0 ? Math.max(0, b + n) : Math.min(b, n));
    const a = start === null ? 0 : clamp(start);
    const b = stop === null ? n : clamp(stop);
    return b <= a ? 0 : Math.ceil((b - a) / st);
  }
  if (start === null && stop === null && st === 1) return n;
  if (typeof st !== 'number' || isUnknownDim(n)) return UNKNOWN_DIM;
  const norm = (b: Dim): Dim => {
    if (typeof b === 'number' && b < 0) return addDims(n, b);
    if (typeof b === 'number' && typeof n === 'number') return Math.min(b, n);
    return b;
  };
  const a = start === null ? 0 : norm(start);
  const b = stop === null ? n : norm(stop);
  if (isUnknownDim(a) || isUnknownDim(b)) return UNKNOWN_DIM;
  const len = subDims(b, a);
  if (typeof len === 'number') return len <= 0 ? 0 : Math.ceil(len / st);
  return st === 1 ? len : ceilDivDims(len, st);
}

/** `x[index]`: ints, slices, None, Ellipsis, bool/long tensors and lists, and tuples of these. */
export function indexTensor(t: TensorV, index: Value, negativeSteps = false): Value {
  try {
    const out = indexImpl(t, index, negativeSteps);
    // (Element values are followed through forward slices only.)
    if (negativeSteps && hasNegativeStep(index)) return out;
    return TENSOR_VALUES.has(t) ? indexValues(t, index, out) : out;
  } catch (e) {
    if (e instanceof ShapeError) throw e;
    if (e instanceof Bail) return e.value;
    return unknown(`indexing: ${e instanceof Error ? e.message : 'internal error'}`);
  }
}

/** The values of `t[i]` / `t[a:b:c]` (along the first dim) of a constant tensor. */
function indexValues(t: TensorV, index: Value, out: Value): Value {
  const values = TENSOR_VALUES.get(t)!;
  const n = t.shape?.[0];
  if (out.k !== 'tensor' || typeof n !== 'number' || n === 0) return out;
  const inner = values.length / n;
  const num = (v: Value, dflt: number): number | null => (v.k === 'none' ? dflt : v.k === 'int' && typeof v.v === 'number' ? v.v : null);
  let rows: number[];
  if (index.k === 'int' && typeof index.v === 'number') rows = [index.v < 0 ? index.v + n : index.v];
  else if (index.k === 'slice') {
    const step = num(index.step, 1);
    if (step === null || step <= 0) return out;
    const bound = (v: Value, dflt: number): number | null => {
      const b = num(v, dflt);
      return b === null ? null : b < 0 ? Math.max(b + n, 0) : Math.min(b, n);
    };
    const start = bound(index.start, 0);
    const stop = bound(index.stop, n);
    if (start === null || stop === null) return out;
    rows = [];
    for (let i = start; i < stop; i += step) rows.push(i);
  } else return out;
  if (rows.some((r) => r < 0 || r >= n)) return out;
  const picked = rows.flatMap((r) => values.slice(r * inner, (r + 1) * inner));
  return withKnownValues(out, picked);
}

function indexImpl(t: TensorV, index: Value, negativeSteps: boolean): Value {
  const raw = index.k === 'tuple' ? index.items : [index];
  const items: IndexItem[] = [];
  for (const v of raw) {
    const c = classify(v);
    if (!c) return tensor(null, t.dtype);
    items.push(c);
  }
  if (!t.shape) return tensor(null, t.dtype);
  const shape = t.shape;
  // PyTorch 1.13 accepts several ellipses with odd results; not modelled.
  if (items.filter((i) => i.kind === 'ellipsis').length > 1) return tensor(null, t.dtype);
  let consumed = 0;
  for (const it of items) {
    if (it.kind === 'int' || it.kind === 'slice') consumed += 1;
    else if (it.kind === 'adv') {
      if (it.consumes === null) return tensor(null, t.dtype);
      consumed += it.consumes;
    }
  }
  if (consumed > shape.length) throw new ShapeError(`too many indices for tensor of dimension ${shape.length} (index uses ${consumed} dims, shape ${formatShape(shape)})`);
  // Expand the ellipsis (or pad at the end) with full slices.
  const full: IndexItem = { kind: 'slice', s: { k: 'slice', start: { k: 'none' }, stop: { k: 'none' }, step: { k: 'none' } } };
  const ei = items.findIndex((i) => i.kind === 'ellipsis');
  const fill = Array(shape.length - consumed).fill(full);
  const seq = ei >= 0 ? [...items.slice(0, ei), ...fill, ...items.slice(ei + 1)] : [...items, ...fill];

  const out: Array<Dim | { adv: number }> = [];
  const advShapes: Shape[] = [];
  const advSlots: number[] = [];
  let d = 0;
  let advMarker = -1;
  for (const it of seq) {
    switch (it.kind) {
      case 'int': {
        const n = shape[d];
        if (typeof it.v === 'number' && typeof n === 'number' && (it.v >= n || it.v < -n)) {
          throw new ShapeError(`index ${it.v} is out of bounds for dimension ${d} with size ${n}`);
        }
        d += 1;
        break;
      }
      case 'slice':
        out.push(sliceLength(shape[d], it.s, negativeSteps));
        d += 1;
        break;
      case 'none':
        out.push(1);
        break;
      case 'bool':
        // x[True] adds a dim of size 1; x[False] one of size 0 (treated as a 0-d mask).
        advShapes.push([it.v ? 1 : 0]);
        advSlots.push(out.length);
        out.push({ adv: ++advMarker });
        break;
      case 'adv': {
        const mask = it.mask;
        if (mask) {
          const dims = shape.slice(d, d + mask.length);
          mask.forEach((m: Dim, j: number) => {
            if (dimsConflict(m, dims[j])) {
              throw new ShapeError(`The shape of the mask ${formatShape(mask)} at index ${j} does not match the shape of the indexed tensor ${formatShape(shape)} at index ${d + j}`);
            }
          });
        }
        if (!it.shape) return tensor(null, t.dtype);
        advShapes.push(it.shape);
        advSlots.push(out.length);
        out.push({ adv: ++advMarker });
        d += it.consumes ?? 1;
        break;
      }
      default:
        break;
    }
  }
  if (advShapes.length === 0) return tensor(out as Shape, t.dtype);
  let adv: Shape = [];
  for (const s of advShapes) {
    try {
      adv = broadcastShapes(adv, s);
    } catch {
      throw new ShapeError(`shape mismatch: indexing tensors could not be broadcast together with shapes ${advShapes.map(formatShape).join(', ')}`);
    }
  }
  const rest = out.filter((x): x is Dim => !(typeof x === 'object' && x !== null && 'adv' in x));
  const adjacent = advSlots.every((s, i) => i === 0 || s === advSlots[i - 1] + 1);
  if (!adjacent) return tensor([...adv, ...rest], t.dtype);
  const first = advSlots[0];
  const before = out.slice(0, first) as Shape;
  const after = out.slice(first + advSlots.length) as Shape;
  return tensor([...before, ...adv, ...after], t.dtype);
}

// ---------------------------------------------------------------------------
// Operators

const COMPARE = new Set(['<', '>', '<=', '>=', '==', '!=']);

/** `a op b` where at least one side is a tensor: broadcasting and dtype promotion. */
export function binaryTensorOp(op: string, a: Value, b: Value): Value {
  try {
    return binaryImpl(op, a, b);
  } catch (e) {
    if (e instanceof ShapeError) throw e;
    if (e instanceof Bail) return e.value;
    return unknown(`operator ${op}: ${e instanceof Error ? e.message : 'internal error'}`);
  }
}

const isOperand = (v: Value) => v.k === 'tensor' || v.k === 'int' || v.k === 'float' || v.k === 'bool' || v.k === 'unknown';

function binaryImpl(op: string, a: Value, b: Value): Value {
  if (a.k !== 'tensor' && b.k !== 'tensor') return unknown(`operator ${op} without a tensor operand`);
  if (!isOperand(a) || !isOperand(b)) {
    if ((op === '==' || op === '!=') && (a.k === 'none' || b.k === 'none')) return bool(op === '!=');
    return unknown(`operator ${op} between a ${a.k} and a ${b.k}`);
  }
  // An unknown operand: keep the tensor's shape (most often a Python scalar we could not
  // evaluate), unless it is known to be a tensor (a torch op not modelled) or may be one (what
  // torch.load / np.load returned): then the result's shape is not known either.
  if ((a.k === 'unknown' && (a.tensor || a.loaded)) || (b.k === 'unknown' && (b.tensor || b.loaded))) return tensor(null, resultType([a, b].filter((v) => v.k !== 'unknown')));
  const ops = [a, b].filter((v) => v.k !== 'unknown');
  if (op === '@') {
    if (a.k !== 'tensor' || b.k !== 'tensor') return unknown('@ with a non-tensor operand');
    const dtype = resultType([a, b]);
    if (!a.shape || !b.shape) return tensor(null, dtype);
    return TORCH_OPS.get('torch.matmul')!.call(new LayerArgs(new Map<string, Value>([['input', a], ['other', b]]), 'matmul'));
  }
  let dtype = resultType(ops);
  if (COMPARE.has(op)) dtype = 'bool';
  else if (op === '/') dtype = floatOf(dtype);
  else if (op === '&' || op === '|' || op === '^' || op === '<<' || op === '>>') {
    if (isFloatDtype(dtype)) return unknown(`bitwise ${op} is not defined for floating tensors`);
  }
  // Constant operands (1 - torch.exp(torch.linspace(...))): the result's values too.
  return binaryValues(op, a, b, elementwise(ops, dtype));
}

/** `-x`, `+x`, `~x`. */
export function unaryTensorOp(op: '-' | '+' | '~', t: Value): Value {
  if (t.k !== 'tensor') return unknown(`unary ${op} of a ${t.k}`);
  if (op === '-' && t.dtype === 'bool') return unknown('negation of a bool tensor is not supported; use ~ or logical_not()');
  if (op === '~' && isFloatDtype(t.dtype)) return unknown('~ is only defined for integer and bool tensors');
  const out = tensor(t.shape, t.dtype);
  if (op === '+') return sameValues(t, out);
  return op === '-' ? binaryValues('*', t, int(-1), out) : out;
}
