// Element values of small constant tensors carried through ops (TENSOR_VALUES in
// eval/values.ts): `1 - torch.exp(torch.linspace(-3, -6, 2))`, `x.detach().cpu()`,
// `torch.linspace(0, r, 4).split([2, 2])`, `torch.tensor([32, 32, 16])`. Model code reads
// them back with `.tolist()`, `.item()`, `int(...)` or by iterating, to size its layers.
// An op whose values are not worked out here gives a tensor without them (never wrong ones).

import { TENSOR_VALUES, type TensorV, type Value, withValues, MAX_TENSOR_VALUES } from '../../eval/values';

/** A number as a tensor of `dtype` holds it (float32 rounding, integer truncation, bool 0 / 1). */
export function elementOf(dtype: string, x: number): number {
  if (dtype === 'float32') return Math.fround(x);
  if (dtype === 'bool') return x !== 0 && !Number.isNaN(x) ? 1 : 0;
  return /^(?:u?int|long)/.test(dtype) ? Math.trunc(x) + 0 : x;
}

const isIntDtype = (dt: string) => /^(?:u?int|long)/.test(dt) || dt === 'bool';

/** The known element values of a tensor or the value of a Python number; null when not known. */
export function valuesOf(v: Value): readonly number[] | null {
  if (v.k === 'tensor') return TENSOR_VALUES.get(v) ?? null;
  if (v.k === 'int') return typeof v.v === 'number' ? [v.v] : null;
  if (v.k === 'float') return [v.v];
  if (v.k === 'bool') return [v.v ? 1 : 0];
  return null;
}

/**
 * Reductions of every element of a tensor (or numpy array) whose values are known: `sum`,
 * `mean`, `prod`, `max` / `min` (NaN when one is NaN, as torch and numpy give) and the index of
 * the first largest / smallest. Known values are at most MAX_TENSOR_VALUES, so spreading is safe.
 */
export const WHOLE_REDUCTIONS = {
  sum: (xs: readonly number[]): number => xs.reduce((a, c) => a + c, 0),
  mean: (xs: readonly number[]): number => xs.reduce((a, c) => a + c, 0) / xs.length,
  prod: (xs: readonly number[]): number => xs.reduce((a, c) => a * c, 1),
  max: (xs: readonly number[]): number => Math.max(...xs),
  min: (xs: readonly number[]): number => Math.min(...xs),
  argmax: (xs: readonly number[]): number => xs.indexOf(Math.max(...xs)),
  argmin: (xs: readonly number[]): number => xs.indexOf(Math.min(...xs)),
};

/** The known element values of a tensor, or null. */
export function valuesOfTensor(t: TensorV): readonly number[] | null {
  return TENSOR_VALUES.get(t) ?? null;
}

/** `out` with `values` (converted to its dtype) when it is a tensor of that many elements. */
function attach(out: Value, values: readonly number[]): Value {
  if (out.k !== 'tensor' || !out.shape || values.length > MAX_TENSOR_VALUES) return out;
  let n = 1;
  for (const d of out.shape) {
    if (typeof d !== 'number') return out;
    n *= d;
  }
  if (n !== values.length) return out;
  return withValues(out, values.map((x) => elementOf(out.dtype, x)));
}

/** The same values as `x` in `out` (a copy, a move to another device, a cast, a view of the same shape). */
export function sameValues(x: Value, out: Value): Value {
  const v = x.k === 'tensor' ? TENSOR_VALUES.get(x) : undefined;
  return v ? attach(out, v) : out;
}

/** Element functions of the unary ops, by op name (`torch.exp`, `x.exp()`, `F.relu`). */
const UNARY: Record<string, (x: number) => number> = {
  exp: Math.exp, exp2: (x) => 2 ** x, expm1: Math.expm1, log: Math.log, log2: Math.log2, log10: Math.log10, log1p: Math.log1p,
  sqrt: Math.sqrt, rsqrt: (x) => 1 / Math.sqrt(x), square: (x) => x * x, reciprocal: (x) => 1 / x,
  abs: Math.abs, absolute: Math.abs, neg: (x) => -x, negative: (x) => -x, sign: Math.sign,
  floor: Math.floor, ceil: Math.ceil, trunc: Math.trunc, fix: Math.trunc, frac: (x) => x - Math.trunc(x),
  round: (x) => {
    // round half to even, as torch.round
    const r = Math.round(x);
    return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r;
  },
  sin: Math.sin, cos: Math.cos, tan: Math.tan, asin: Math.asin, acos: Math.acos, atan: Math.atan,
  sinh: Math.sinh, cosh: Math.cosh, tanh: Math.tanh, asinh: Math.asinh, acosh: Math.acosh, atanh: Math.atanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)), relu: (x) => Math.max(x, 0), relu6: (x) => Math.min(Math.max(x, 0), 6),
  logical_not: (x) => (x === 0 ? 1 : 0),
};

/** A unary op's result with values, when the input's are known and the op's element function is. */
export function unaryValues(owner: string, x: Value, out: Value): Value {
  const name = owner.slice(owner.lastIndexOf('.') + 1);
  const f = UNARY[name];
  const v = x.k === 'tensor' ? TENSOR_VALUES.get(x) : undefined;
  if (!f || !v || out.k !== 'tensor') return out;
  // Integer inputs promoted to float are computed on the float value; the rest as torch: in the input's dtype.
  return attach(out, v.map((e) => f(e)));
}

/** Python's floor division and modulo (torch's `//` and `%` follow them). */
const BINARY: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '//': (a, b) => Math.floor(a / b),
  '%': (a, b) => a - b * Math.floor(a / b),
  '**': (a, b) => a ** b,
  '<': (a, b) => +(a < b),
  '>': (a, b) => +(a > b),
  '<=': (a, b) => +(a <= b),
  '>=': (a, b) => +(a >= b),
  '==': (a, b) => +(a === b),
  '!=': (a, b) => +(a !== b),
};

/**
 * `a op b` with values, when both operands' are known and one is a single value or both
 * have the same shape (the broadcasts model code does on constants).
 */
export function binaryValues(op: string, a: Value, b: Value, out: Value): Value {
  const f = BINARY[op];
  const va = valuesOf(a);
  const vb = valuesOf(b);
  if (!f || !va || !vb || out.k !== 'tensor') return out;
  const single = (v: Value, vals: readonly number[]) => vals.length === 1 && (v.k !== 'tensor' || (v.shape !== null && v.shape.length <= 1));
  const sameShape = a.k === 'tensor' && b.k === 'tensor' && a.shape && b.shape && a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape![i]);
  // Integer division by zero raises in torch: no values then.
  if ((op === '//' || op === '%') && isIntDtype(out.dtype) && vb.includes(0)) return out;
  let r: number[];
  if (sameShape || (va.length === vb.length && single(a, va) && single(b, vb))) r = va.map((x, i) => f(x, vb[i]));
  else if (single(b, vb)) r = va.map((x) => f(x, vb[0]));
  else if (single(a, va)) r = vb.map((y) => f(va[0], y));
  else return out;
  return attach(out, r);
}

/** The pieces of `x` along dim 0 (split, chunk, unbind), with their values when `x`'s are known. */
export function piecesValues(x: TensorV, dim: number, pieces: Value[]): Value[] {
  const v = TENSOR_VALUES.get(x);
  const n = x.shape?.[0];
  if (!v || dim !== 0 || typeof n !== 'number' || n === 0) return pieces;
  const inner = v.length / n;
  let start = 0;
  return pieces.map((p) => {
    if (p.k !== 'tensor' || !p.shape) return p;
    const rows = p.shape.length === x.shape!.length ? p.shape[0] : 1;
    if (typeof rows !== 'number') return p;
    const out = attach(p, v.slice(start * inner, (start + rows) * inner));
    start += rows;
    return out;
  });
}

/** The values of a nested list of Python numbers (`torch.tensor([[1, 2], [3, 4]])`), flattened; null when one is not known. */
export function literalValues(v: Value): number[] | null {
  const out: number[] = [];
  const visit = (x: Value): boolean => {
    if (out.length > MAX_TENSOR_VALUES) return false;
    if (x.k === 'list' || x.k === 'tuple') return x.items.every(visit);
    const n = valuesOf(x);
    if (!n || (x.k === 'tensor' && (!x.shape || x.shape.length > 0 || n.length !== 1))) return false;
    out.push(n[0]);
    return true;
  };
  return visit(v) ? out : null;
}

/** `x` with its values (converted to its dtype) when `values` are known. */
export function withKnownValues(x: Value, values: readonly number[] | null): Value {
  return values ? attach(x, values) : x;
}
