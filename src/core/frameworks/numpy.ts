// numpy arrays in model code (`ln = np.array([13, 512, 256])`, N-BEATS' `np.arange(...) / n`,
// positional encodings built in numpy): tensors marked `ndarray`, made and transformed by
// torch's own rules under numpy's names and keywords (axis / keepdims for dim / keepdim),
// with numpy's float64 default. Where numpy and torch differ in what a name means, the
// array keeps numpy's: `a.size` is the element count, `a[i]` of a 1-D array a number.

import {
  type BuiltinV, type CallCtx, type TensorV, type Value,
  NONE, TENSOR_VALUES, float, int, list, scalarOf, tensor, tuple, unknown, withValues,
} from '../eval/values';
import { prodDims } from '../shapes/dim';
import { WHOLE_REDUCTIONS } from './torch/constants';
import type { RegistryView } from '../eval/registry';

type Fn = (ctx: CallCtx, args: Value[], kwargs: Map<string, Value>) => Value;

const b = (name: string, call: Fn): BuiltinV => ({ k: 'builtin', name, call });

/** Marks a tensor made by numpy (a fresh value: a parameter or a value handed back as it was is left alone). */
export function asNdarray(v: Value, from: readonly Value[] = []): Value {
  if (v.k !== 'tensor' || v.param || from.includes(v)) return v;
  v.ndarray = true;
  return v;
}

/** numpy's dtype for one given as `dtype=`: a name, np.float32, the builtin int / float. */
function dtypeOf(v: Value | undefined): string | undefined {
  if (v?.k === 'builtin') return v.name === 'int' ? 'int64' : v.name === 'float' ? 'float64' : v.name === 'bool' ? 'bool' : undefined;
  return dtypeName(v);
}

/** A dtype given by name: `"float32"`, `np.float32` (ndarray.astype and numpy's `dtype=`). */
export function dtypeName(v: Value | undefined): string | undefined {
  if (v?.k === 'str') return v.v;
  if (v?.k === 'modref') return v.path.slice(v.path.lastIndexOf('.') + 1);
  return undefined;
}

/** The dtype names numpy and torch share. */
export const DTYPE = /^(?:u?int(?:8|16|32|64)|float(?:16|32|64)|bool|complex(?:64|128))$/;

/** `t` with numpy's dtype: the one asked for, else float64 where torch would make float32. */
function withDtype(t: Value, asked: string | undefined): Value {
  if (t.k !== 'tensor') return t;
  const dtype = asked && DTYPE.test(asked) ? asked : t.dtype === 'float32' ? 'float64' : t.dtype === 'int32' ? 'int64' : t.dtype;
  if (dtype === t.dtype) return asNdarray(t);
  const out = tensor(t.shape, dtype);
  const vals = TENSOR_VALUES.get(t);
  if (vals) withValues(out, /^u?int/.test(dtype) ? vals.map(Math.trunc) : vals);
  return asNdarray(out);
}

/** Calls torch's function `name` (its shape rules and value tracking), numpy-marking a tensor result. */
function viaTorch(ctx: CallCtx, name: string, args: Value[], kwargs: Map<string, Value> = new Map()): Value {
  const fn = ctx.interp.resolvePath(`torch.${name}`);
  if (fn.k === 'unknown') return unknown(`numpy: torch.${name} is not modelled`);
  return asNdarray(ctx.callValue(fn, args, kwargs), args);
}

/** An array from a list, tuple, number or array (np.array / np.asarray). */
function toArray(ctx: CallCtx, x: Value | undefined, dtype?: string): Value {
  if (!x) return unknown('np.array()');
  if (x.k === 'tensor') return dtype ? withDtype(x, dtype) : x.ndarray ? x : asNdarray({ ...x, param: undefined, flow: undefined });
  if (x.k === 'unknown') return x;
  return withDtype(viaTorch(ctx, 'tensor', [x]), dtype);
}

/** numpy's axis / keepdims keywords as torch's dim / keepdim (and `axis` by position as given). */
function torchKwargs(kwargs: Map<string, Value>): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const [k, v] of kwargs) {
    if (k === 'axis') {
      if (v.k !== 'none') out.set('dim', v);
    } else if (k === 'keepdims') out.set('keepdim', v);
    else if (k !== 'dtype' && k !== 'out') out.set(k, v);
  }
  return out;
}

/** A reduction over the whole array of known values gives a number, as numpy's scalars act. */
function scalarIfKnown(v: Value): Value {
  if (v.k !== 'tensor' || !v.shape || v.shape.length) return v;
  const vals = TENSOR_VALUES.get(v);
  return vals && vals.length === 1 ? scalarOf(v, vals[0]) : v;
}

/** The number or array one of numpy's elementwise functions was given, as an array. */
function arrayArgs(ctx: CallCtx, args: Value[]): Value[] {
  return args.map((a) => (a.k === 'list' || a.k === 'tuple' ? toArray(ctx, a) : a));
}

const REDUCTIONS: Record<string, string> = {
  sum: 'sum', mean: 'mean', max: 'amax', min: 'amin', amax: 'amax', amin: 'amin', std: 'std', var: 'var',
  argmax: 'argmax', argmin: 'argmin', all: 'all', any: 'any', median: 'median', prod: 'prod',
};

/** Reductions of a whole array whose values are known, worked out here (`np.sum(sizes)`). */
const WHOLE: Record<string, (xs: readonly number[]) => number> = { ...WHOLE_REDUCTIONS, amax: WHOLE_REDUCTIONS.max, amin: WHOLE_REDUCTIONS.min };

/** The torch function that reduces a whole tensor where the one along a dim is another (amax(dim) / max()). */
const FULL_REDUCTION: Record<string, string> = { amax: 'max', amin: 'min' };

const ELEMENTWISE: Record<string, string> = {
  sin: 'sin', cos: 'cos', tan: 'tan', tanh: 'tanh', sinh: 'sinh', cosh: 'cosh', arcsin: 'asin', arccos: 'acos', arctan: 'atan',
  exp: 'exp', log: 'log', log2: 'log2', log10: 'log10', log1p: 'log1p', expm1: 'expm1', sqrt: 'sqrt', abs: 'abs', absolute: 'abs',
  floor: 'floor', ceil: 'ceil', round: 'round', around: 'round', rint: 'round', square: 'square', sign: 'sign', negative: 'neg',
  power: 'pow', maximum: 'maximum', minimum: 'minimum', arctan2: 'atan2', isnan: 'isnan', isinf: 'isinf',
};

/** Elementwise functions whose result keeps an integer array's dtype. */
/** numpy's arithmetic functions: the Python operator on arrays. */
const ARITHMETIC: Record<string, string> = {
  add: '+', subtract: '-', multiply: '*', divide: '/', true_divide: '/', floor_divide: '//', mod: '%', remainder: '%',
};

const INT_PRESERVING = new Set(['abs', 'absolute', 'negative', 'sign', 'square', 'power', 'maximum', 'minimum', 'isnan', 'isinf']);

const JS_MATH: Record<string, (...xs: number[]) => number> = {
  sin: Math.sin, cos: Math.cos, tan: Math.tan, tanh: Math.tanh, sinh: Math.sinh, cosh: Math.cosh, arcsin: Math.asin, arccos: Math.acos,
  arctan: Math.atan, exp: Math.exp, log: Math.log, log2: Math.log2, log10: Math.log10, log1p: Math.log1p, expm1: Math.expm1,
  sqrt: Math.sqrt, abs: Math.abs, absolute: Math.abs, square: (x) => x * x, sign: Math.sign, negative: (x) => -x,
  power: (x, y) => x ** y, maximum: Math.max, minimum: Math.min, arctan2: Math.atan2, floor: Math.floor, ceil: Math.ceil,
  round: roundHalfEven, around: roundHalfEven, rint: roundHalfEven,
};

/** numpy's rounding: halves to the even neighbour (np.round(2.5) == 2.0). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function numberOf(v: Value): number | null {
  return (v.k === 'int' || v.k === 'float') && typeof v.v === 'number' ? v.v : v.k === 'bool' ? Number(v.v) : null;
}

/** numpy.<name> as a builtin, or undefined for a name not modelled here. */
export function numpyFunction(name: string): BuiltinV | undefined {
  const red = REDUCTIONS[name];
  if (red) {
    return b(name, (ctx, [a, axis], kwargs) => {
      // np.prod of a list or tuple (`np.prod(x.shape[1:])`): Python's product, symbolic dims kept.
      if (name === 'prod' && a && a.k !== 'tensor' && !axis && !kwargs.size) return ctx.callValue(ctx.interp.resolvePath('math.prod'), [a]);
      const kw = torchKwargs(kwargs);
      if (axis && axis.k !== 'none') kw.set('dim', axis);
      const x = toArray(ctx, a);
      if (x.k !== 'tensor') return unknown(`np.${name}() of ${x.k}`);
      if (name === 'median' && kw.has('dim')) return unknown('np.median() along an axis');
      const vals = TENSOR_VALUES.get(x);
      const whole = WHOLE[name];
      if (vals && vals.length && whole && !kw.has('dim') && !kw.has('keepdim')) return scalarOf(name === 'mean' ? tensor([], 'float64') : name.startsWith('arg') ? tensor([], 'int64') : x, whole(vals));
      return scalarIfKnown(viaTorch(ctx, kw.has('dim') ? red : FULL_REDUCTION[red] ?? red, [x], kw));
    });
  }
  const ew = ELEMENTWISE[name];
  if (ew) {
    return b(name, (ctx, args) => {
      const nums = args.map(numberOf);
      const js = JS_MATH[name];
      if (js && args.length && nums.every((n) => n !== null)) {
        const r = js(...(nums as number[]));
        return name === 'abs' || name === 'absolute' || name === 'negative' || name === 'sign' || name === 'maximum' || name === 'minimum' || name === 'power' || name === 'square'
          ? (args.every((a) => a.k === 'int') && Number.isInteger(r) ? int(r) : float(r))
          : float(r);
      }
      const xs = arrayArgs(ctx, args);
      const first = xs.find((x): x is TensorV => x.k === 'tensor');
      if (!first) return unknown(`np.${name}()`);
      const r = viaTorch(ctx, ew, xs);
      // numpy's transcendental functions of integers give float64 (torch: float32).
      return INT_PRESERVING.has(name) || /^float/.test(first.dtype) ? r : withDtype(r, 'float64');
    });
  }
  const op = ARITHMETIC[name];
  if (op) {
    // np.divide(ws, q), np.multiply(a, 2): the operator on arrays (lists made arrays), values kept as `a / b` keeps them.
    return b(name, (ctx, [x, y]) => {
      if (!x || !y) return unknown(`np.${name}() needs two operands`);
      const [p, q] = [x, y].map((v) => (v.k === 'list' || v.k === 'tuple' ? toArray(ctx, v) : v));
      return asNdarray(ctx.interp.binop(op, p, q), [p, q]);
    });
  }
  switch (name) {
    case 'unique':
      // Sorted distinct values (torch.unique's, with counts / inverse when asked): known for a constant array, else data-dependent.
      return b(name, (ctx, [a], kwargs) => {
        if (kwargs.has('return_index') || (kwargs.get('axis') ?? NONE).k !== 'none') return unknown('np.unique(return_index= / axis=)');
        const kw = new Map<string, Value>();
        for (const k of ['return_inverse', 'return_counts']) if (kwargs.has(k)) kw.set(k, kwargs.get(k)!);
        return viaTorch(ctx, 'unique', [toArray(ctx, a)], kw);
      });
    case 'array': case 'asarray': case 'asanyarray': case 'ascontiguousarray': case 'copy':
      return b(name, (ctx, [x, dt], kwargs) => toArray(ctx, x, dtypeOf(dt ?? kwargs.get('dtype'))));
    case 'arange':
      return b(name, (ctx, args, kwargs) => {
        const nums = args.filter((a) => a.k !== 'none');
        const asked = dtypeOf(kwargs.get('dtype'));
        const r = viaTorch(ctx, 'arange', nums, torchKwargs(kwargs));
        return withDtype(r, asked ?? (nums.every((a) => a.k === 'int') ? 'int64' : 'float64'));
      });
    case 'linspace':
      return b(name, (ctx, [start, stop, num], kwargs) => {
        const n = num ?? kwargs.get('num') ?? int(50);
        const endpoint = kwargs.get('endpoint');
        const s = start ? numberOf(start) : null;
        const e = stop ? numberOf(stop) : null;
        const k = numberOf(n);
        if (endpoint && endpoint.k === 'bool' && !endpoint.v) {
          if (s === null || e === null || k === null) return unknown('np.linspace(endpoint=False)');
          const vals = Array.from({ length: k }, (_x, i) => s + ((e - s) * i) / k);
          return asNdarray(withValues(tensor([k], 'float64'), vals));
        }
        return withDtype(viaTorch(ctx, 'linspace', [start ?? NONE, stop ?? NONE, n]), dtypeOf(kwargs.get('dtype')));
      });
    case 'zeros': case 'ones': case 'empty':
      return b(name, (ctx, [shape], kwargs) => withDtype(viaTorch(ctx, name, [shape ?? kwargs.get('shape') ?? NONE]), dtypeOf(kwargs.get('dtype'))));
    case 'zeros_like': case 'ones_like': case 'empty_like':
      return b(name, (ctx, [a], kwargs) => {
        const x = toArray(ctx, a);
        return x.k === 'tensor' ? asNdarray(tensor(x.shape, dtypeOf(kwargs.get('dtype')) ?? x.dtype)) : unknown(`np.${name}()`);
      });
    case 'logspace':
      return b(name, (ctx, [start, stop, num, base], kwargs) =>
        withDtype(viaTorch(ctx, 'logspace', [start ?? NONE, stop ?? NONE, num ?? kwargs.get('num') ?? int(50), base ?? kwargs.get('base') ?? float(10)]), dtypeOf(kwargs.get('dtype'))));
    case 'eye':
      return b(name, (ctx, [n, m], kwargs) => {
        const cols = m ?? kwargs.get('M');
        return withDtype(viaTorch(ctx, 'eye', cols && cols.k !== 'none' ? [n ?? NONE, cols] : [n ?? NONE]), dtypeOf(kwargs.get('dtype')));
      });
    case 'diff':
      return b(name, (ctx, [a, n, axis], kwargs) => viaTorch(ctx, 'diff', [toArray(ctx, a), n ?? kwargs.get('n') ?? int(1), axis ?? kwargs.get('axis') ?? int(-1)]));
    case 'triu': case 'tril': case 'diag':
      return b(name, (ctx, [a, k], kwargs) => viaTorch(ctx, name, [toArray(ctx, a), k ?? kwargs.get('k') ?? int(0)]));
    case 'full':
      return b(name, (ctx, [shape, fill], kwargs) => withDtype(viaTorch(ctx, 'full', [shape ?? NONE, fill ?? kwargs.get('fill_value') ?? NONE]), dtypeOf(kwargs.get('dtype'))));
    case 'concatenate': case 'stack':
      return b(name, (ctx, [seq, axis], kwargs) => {
        const items = seq ? ctx.interp.iterate(seq) : null;
        if (!items) return unknown(`np.${name}() of a sequence not known`);
        const ax = axis ?? kwargs.get('axis') ?? int(0);
        if (ax.k === 'none') {
          const flat = items.map((x) => viaTorch(ctx, 'flatten', [toArray(ctx, x)]));
          return viaTorch(ctx, 'cat', [list(flat)]);
        }
        return viaTorch(ctx, name === 'stack' ? 'stack' : 'cat', [list(items.map((x) => toArray(ctx, x))), ax]);
      });
    case 'tile':
      // np.tile(a, reps): torch.tile's shape rule (reps padded with ones, or a's dims).
      return b(name, (ctx, [a, reps], kwargs) => {
        const r = reps ?? kwargs.get('reps');
        if (!r) return unknown('np.tile() without reps');
        return viaTorch(ctx, 'tile', [toArray(ctx, a), r.k === 'tuple' || r.k === 'list' ? tuple(r.items) : tuple([r])]);
      });
    case 'expand_dims':
      return b(name, (ctx, [a, axis], kwargs) => viaTorch(ctx, 'unsqueeze', [toArray(ctx, a), axis ?? kwargs.get('axis') ?? NONE]));
    case 'squeeze':
      return b(name, (ctx, [a, axis], kwargs) => {
        const ax = axis ?? kwargs.get('axis');
        return viaTorch(ctx, 'squeeze', ax && ax.k !== 'none' ? [toArray(ctx, a), ax] : [toArray(ctx, a)]);
      });
    case 'reshape':
      return b(name, (ctx, [a, shape], kwargs) => viaTorch(ctx, 'reshape', [toArray(ctx, a), shape ?? kwargs.get('newshape') ?? NONE]));
    case 'flip':
      return b(name, (ctx, [a, axis], kwargs) => {
        const x = toArray(ctx, a);
        if (x.k !== 'tensor' || !x.shape) return unknown('np.flip()');
        const ax = axis ?? kwargs.get('axis');
        const dims = ax && ax.k !== 'none' ? (ax.k === 'tuple' || ax.k === 'list' ? list(ax.items) : list([ax])) : list(x.shape.map((_d, i) => int(i)));
        return viaTorch(ctx, 'flip', [x, dims]);
      });
    case 'transpose':
      return b(name, (ctx, [a, axes], kwargs) => {
        const x = toArray(ctx, a);
        if (x.k !== 'tensor' || !x.shape) return unknown('np.transpose()');
        const ax = axes ?? kwargs.get('axes');
        const order = ax && ax.k !== 'none' ? ax : list(x.shape.map((_d, i) => int(x.shape!.length - 1 - i)));
        return viaTorch(ctx, 'permute', [x, order]);
      });
    case 'cumsum': case 'cumprod':
      return b(name, (ctx, [a, axis], kwargs) => {
        const x = toArray(ctx, a);
        const ax = axis ?? kwargs.get('axis');
        return ax && ax.k !== 'none' ? viaTorch(ctx, name, [x, ax]) : viaTorch(ctx, name, [viaTorch(ctx, 'flatten', [x]), int(0)]);
      });
    case 'clip':
      return b(name, (ctx, [a, lo, hi]) => viaTorch(ctx, 'clamp', [toArray(ctx, a), lo ?? NONE, hi ?? NONE]));
    case 'where':
      return b(name, (ctx, args) => (args.length === 3 ? viaTorch(ctx, 'where', arrayArgs(ctx, args)) : unknown('np.where(condition)')));
    case 'outer': case 'dot': case 'matmul':
      return b(name, (ctx, [x, y]) => viaTorch(ctx, name === 'dot' ? 'matmul' : name, arrayArgs(ctx, [x ?? NONE, y ?? NONE])));
    case 'fromstring':
      // np.fromstring("13-512-256", dtype=int, sep="-"): the numbers between the separators (DLRM's layer sizes).
      return b(name, (_ctx, [s], kwargs) => {
        const sep = kwargs.get('sep');
        if (s?.k !== 'str' || sep?.k !== 'str' || !sep.v) return unknown('np.fromstring() of binary data or text not known');
        const parts = s.v.split(sep.v).map((x) => x.trim()).filter((x) => x !== '');
        const vals = parts.map(Number);
        if (vals.some((x) => Number.isNaN(x))) return unknown('np.fromstring(): text that is not numbers');
        const dtype = dtypeOf(kwargs.get('dtype')) ?? 'float64';
        return asNdarray(withValues(tensor([vals.length], dtype), /^u?int/.test(dtype) ? vals.map(Math.trunc) : vals));
      });
    default:
      return undefined;
  }
}

/**
 * What an ndarray's attribute means where numpy and torch differ: `size` the element count,
 * reductions and reshapes with numpy's keywords, `transpose(*axes)` a permutation, `copy()`.
 * Undefined: the tensor attribute of that name serves.
 */
export function ndarrayAttribute(t: TensorV, name: string, tensorMethod: (name: string) => Value | undefined): Value | undefined {
  switch (name) {
    case 'size': {
      const n = t.shape ? prodDims(t.shape) : null;
      return n === null ? unknown('size of an array of unknown rank') : int(n);
    }
    case 'copy':
      return b('copy', () => asNdarray({ ...t }));
    case 'transpose':
      return b('transpose', (ctx, axes) => {
        if (!t.shape) return unknown('transpose()');
        const order = axes.length === 1 && (axes[0].k === 'tuple' || axes[0].k === 'list') ? axes[0] : axes.length ? list(axes) : list(t.shape.map((_d, i) => int(t.shape!.length - 1 - i)));
        return viaTorch(ctx, 'permute', [t, order]);
      });
    default:
      break;
  }
  // a.sum(axis=0), a.prod(), a.max(): numpy's functions of the same name on the array.
  const fn = REDUCTIONS[name] ? numpyFunction(name) : undefined;
  if (fn) return b(name, (ctx, args, kwargs) => fn.call(ctx, [t, ...args], kwargs));
  if (SAME_METHODS.has(name)) {
    const m = tensorMethod(name);
    if (!m) return undefined;
    return b(name, (ctx, args, kwargs) => asNdarray(ctx.callValue(m, args, torchKwargs(kwargs)), [t]));
  }
  if (SAME_ATTRIBUTES.has(name)) return undefined;
  // A method numpy and torch mean differently by (`a.repeat(2)` flattens in numpy, tiles in
  // torch; `a.fill(0)` is in place) or that is not modelled: not torch's answer, which may be an error.
  return { k: 'unknown', why: `ndarray.${name} is not modelled`, tensor: true };
}

/** ndarray methods whose shapes torch's method of the same name gives (numpy keywords renamed). */
const SAME_METHODS = new Set(['cumsum', 'reshape', 'squeeze', 'flatten', 'astype', 'tolist', 'item', 'clip', 'swapaxes', 'round']);

/** ndarray attributes that are the tensor's (shape, ndim, dtype, T, ...). */
const SAME_ATTRIBUTES = new Set(['shape', 'ndim', 'dtype', 'T', 'real', 'imag']);

/** `a[i]` of an array: a number when the element is one known value (numpy's scalars act as numbers). */
export function ndarrayItem(v: Value): Value {
  if (v.k !== 'tensor') return v;
  if (v.shape && v.shape.length === 0) return scalarIfKnown(v);
  return asNdarray(v);
}

/** The dims of numpy's `size=` / `rand(d0, d1, ...)` argument: an int, a tuple of ints; null when not known. */
function sizeDims(v: Value | undefined): number[] | null {
  if (!v) return null;
  const items = v.k === 'tuple' || v.k === 'list' ? v.items : [v];
  const dims = items.map((x) => (x.k === 'int' && typeof x.v === 'number' ? x.v : null));
  return dims.every((d) => d !== null) ? (dims as number[]) : null;
}

/**
 * numpy.random's samplers: an array of the requested size (float64; int64 for randint and for
 * choice / permutation of an int range), the values unknown. A sample without a size is not a
 * known number. keras.io's neural decision trees pick their features with np.random.choice.
 */
export function numpyRandomFunction(name: string): BuiltinV | undefined {
  const sized = (dims: number[] | null, dtype: string): Value => (dims ? asNdarray(tensor(dims, dtype)) : unknown(`np.random.${name}() of a size not known`));
  switch (name) {
    case 'rand': case 'randn':
      return b(name, (_ctx, args) => (args.length ? sized(sizeDims(list(args)), 'float64') : unknown(`np.random.${name}()`)));
    case 'random': case 'random_sample': case 'normal': case 'uniform': case 'standard_normal': case 'randint': {
      const sizeAt = { random: 0, random_sample: 0, standard_normal: 0, normal: 2, uniform: 2, randint: 2 }[name];
      return b(name, (_ctx, args, kwargs) => {
        const size = kwargs.get('size') ?? args[sizeAt];
        if (!size || size.k === 'none') return unknown(`np.random.${name}() without a size`);
        return sized(sizeDims(size), name === 'randint' ? 'int64' : 'float64');
      });
    }
    case 'choice':
      return b(name, (_ctx, [a, size], kwargs) => {
        const n = size ?? kwargs.get('size');
        if (!n || n.k === 'none') return unknown('np.random.choice() without a size');
        return sized(sizeDims(n), a?.k === 'int' ? 'int64' : a?.k === 'tensor' ? a.dtype : 'float64');
      });
    case 'permutation':
      return b(name, (_ctx, [x]) => (x?.k === 'int' && typeof x.v === 'number' ? sized([x.v], 'int64') : x?.k === 'tensor' && x.shape ? asNdarray(tensor(x.shape, x.dtype)) : unknown('np.random.permutation()')));
    default:
      return undefined;
  }
}

/** numpy's functions by qualified name (`numpy.arange`, `numpy.random.choice`), made on first use; other numpy names fall through to the next registry. */
export function numpyRegistry(): RegistryView {
  const made = new Map<string, BuiltinV | undefined>();
  return {
    get(path: string): BuiltinV | undefined {
      if (!path.startsWith('numpy.')) return undefined;
      const random = path.startsWith('numpy.random.') && path.indexOf('.', 13) < 0;
      if (!random && path.indexOf('.', 6) >= 0) return undefined;
      if (!made.has(path)) made.set(path, random ? numpyRandomFunction(path.slice(13)) : numpyFunction(path.slice(6)));
      return made.get(path);
    },
    names: () => [],
  };
}
