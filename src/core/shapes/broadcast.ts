// Shape helpers shared by every tensor op: NumPy/PyTorch broadcasting, `view`/`reshape`
// with one inferred -1 (symbolic-aware), negative-dim normalisation and permutations.
// Everything here works on Dim (concrete, symbolic or unknown) and throws only
// ShapeError, and only when the mismatch is provable.

import { type Dim, type Shape, UNKNOWN_DIM, dimsConflict, dimsEqual, floorDivDims, formatShape, isSym, isUnknownDim, mulDims, prodDims } from './dim';
import { ShapeError } from '../frameworks/spec';

/** PyTorch broadcasting of two shapes (trailing dims aligned; 1 stretches). */
export function broadcastShapes(a: Shape, b: Shape): Shape {
  const n = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    out.push(broadcastDim(da, db, a, b, i - n));
  }
  return out;
}

/** True when the two shapes provably differ (rank, or a pair of known, unequal dims). */
export function provablyDiffer(a: Shape, b: Shape): boolean {
  return a.length !== b.length || a.some((d, i) => dimsConflict(d, b[i]));
}

/** The broadcast of two shapes, or null when they cannot broadcast (the caller reports it its own way). */
export function broadcastOrNull(a: Shape, b: Shape): Shape | null {
  try {
    return broadcastShapes(a, b);
  } catch (e) {
    if (e instanceof ShapeError) return null;
    throw e;
  }
}

function broadcastDim(da: Dim, db: Dim, a: Shape, b: Shape, axis: number): Dim {
  if (da === 1) return db;
  if (db === 1) return da;
  if (dimsEqual(da, db)) return da;
  if (typeof da === 'number' && typeof db === 'number') {
    throw new ShapeError(`shapes ${formatShape(a)} and ${formatShape(b)} are not broadcastable (dim ${axis}: ${da} vs ${db})`);
  }
  // A symbolic or unknown size may be 1: the result is whichever side is not 1.
  if (isUnknownDim(da)) return typeof db === 'number' ? db : UNKNOWN_DIM;
  if (isUnknownDim(db)) return typeof da === 'number' ? da : UNKNOWN_DIM;
  // Two different symbolic sizes (or symbolic vs concrete > 1): assume they are equal
  // (symbols stand for sizes the user means to match); keep the more informative one.
  if (typeof da === 'number') return da;
  if (typeof db === 'number') return db;
  return dimsConflict(da, db) ? UNKNOWN_DIM : da;
}

/** Broadcasts several shapes; null (unknown rank) anywhere gives null. */
export function broadcastAll(shapes: Array<Shape | null>): Shape | null {
  let out: Shape = [];
  for (const s of shapes) {
    if (!s) return null;
    out = broadcastShapes(out, s);
  }
  return out;
}

/** Normalises a possibly negative dim index for a tensor of the given rank (Python's wrap rule). */
export function normDim(d: number, rank: number, owner = 'dim'): number {
  const r = Math.max(rank, 1); // a 0-d tensor accepts dim 0 and -1
  if (!Number.isInteger(d) || d < -r || d >= r) {
    throw new ShapeError(`${owner}: Dimension out of range (expected to be in range of [${-r}, ${r - 1}], but got ${d})`);
  }
  return d < 0 ? d + r : d;
}

/** The target shape of `view`/`reshape`, with at most one -1 inferred from the element count. */
export function reshapeShape(inShape: Shape, target: Dim[]): Shape {
  const negs = target.map((d, i) => (d === -1 ? i : -1)).filter((i) => i >= 0);
  if (negs.length > 1) throw new ShapeError('only one dimension can be inferred');
  for (const d of target) {
    if (typeof d === 'number' && (d < -1 || !Number.isInteger(d))) throw new ShapeError(`invalid shape dimension ${d}`);
  }
  const total = prodDims(inShape);
  if (negs.length === 0) {
    const want = prodDims(target);
    // Cancel shared factors first so that [B, 400] -> (B, 399) is caught as well.
    const ratio = divideShape(inShape, target);
    if (dimsConflict(total, want) || (typeof ratio === 'number' && ratio !== 1) || ratio === null) {
      throw new ShapeError(`shape '${formatShape(target)}' is invalid for input of size ${formatShape([total]).slice(1, -1)} (input ${formatShape(inShape)})`, 'DL404');
    }
    return [...target];
  }
  const idx = negs[0];
  const others = target.filter((_, i) => i !== idx);
  if (total === 0 && others.some((d) => d === 0)) {
    throw new ShapeError(`cannot reshape tensor of 0 elements into shape ${formatShape(target)} because the unspecified dimension size -1 can be any value and is ambiguous`, 'DL404');
  }
  const inferred = divideShape(inShape, others);
  if (inferred === null) {
    const rest = prodDims(others);
    throw new ShapeError(`shape '${formatShape(target)}' is invalid for input of size ${formatShape([total]).slice(1, -1)} (input ${formatShape(inShape)}; not divisible by ${formatShape([rest]).slice(1, -1)})`, 'DL404');
  }
  const out = [...target];
  out[idx] = inferred;
  return out;
}

/**
 * numel(inShape) / prod(others), symbolic-aware: equal factors cancel first (so
 * [B, 16, 5, 5] viewed as (B, -1) gives 400). Returns null when provably not divisible.
 */
function divideShape(inShape: Shape, others: Dim[]): Dim | null {
  const num = [...inShape];
  const den: Dim[] = [];
  for (const d of others) {
    const j = num.findIndex((x) => typeof x !== 'number' && dimsEqual(x, d));
    if (j >= 0) num.splice(j, 1);
    else den.push(d);
  }
  const n = prodDims(num);
  const dd = prodDims(den);
  if (dd === 0) return UNKNOWN_DIM;
  if (typeof n === 'number' && typeof dd === 'number') {
    if (n % dd !== 0) return null;
    return n / dd;
  }
  if (dimsEqual(n, dd)) return 1;
  if (typeof dd === 'number') {
    // Exact division of a symbolic numel by a constant when every coefficient divides.
    if (typeof n !== 'number' && !isUnknownDim(n) && n.c % dd === 0 && n.terms.every(([k]) => k % dd === 0)) return floorDivDims(n, dd);
    // Concrete factors of the input may cancel the constant ([B, 64, 7, 7] as (B*7, -1)).
    const concrete = prodDims(num.filter((x) => typeof x === 'number'));
    if (typeof concrete === 'number' && concrete % dd === 0) {
      return mulDims(prodDims(num.filter((x) => typeof x !== 'number')), concrete / dd);
    }
    return UNKNOWN_DIM;
  }
  // Two symbolic products: a constant ratio when one is an integer multiple of the other.
  if (isSym(n) && isSym(dd) && n.terms.length === dd.terms.length && n.terms.length > 0) {
    const k = n.terms[0][0] / dd.terms[0][0];
    if (Number.isInteger(k) && k > 0 && dimsEqual(mulDims(dd, k), n)) return k;
  }
  return UNKNOWN_DIM;
}

/** Validates a permutation of 0..rank-1 (negative entries allowed) and returns it normalised. */
export function normPermutation(dims: number[], rank: number): number[] {
  if (dims.length !== rank) {
    throw new ShapeError(`permute: number of dims don't match (got ${dims.length} dims for a tensor of rank ${rank})`);
  }
  const out = dims.map((d) => normDim(d, rank, 'permute'));
  if (new Set(out).size !== out.length) throw new ShapeError('permute: repeated dim in permutation');
  return out;
}

/** Applies a permutation to a shape. */
export function permuteShape(shape: Shape, dims: number[]): Shape {
  const p = normPermutation(dims, shape.length);
  return p.map((i) => shape[i]);
}

/** Swaps two dims (`transpose(d0, d1)`). */
export function transposeShape(shape: Shape, d0: number, d1: number): Shape {
  const a = normDim(d0, shape.length, 'transpose');
  const b = normDim(d1, shape.length, 'transpose');
  const out = [...shape];
  if (shape.length === 0) return out;
  [out[a], out[b]] = [out[b], out[a]];
  return out;
}

/** `expand` target: -1 keeps a dim; new leading dims allowed; non-1 dims must match. */
export function expandShape(shape: Shape, target: Dim[]): Shape {
  if (target.length < shape.length) {
    throw new ShapeError(`expand: the number of sizes provided (${target.length}) must be greater or equal to the number of dimensions in the tensor (${shape.length})`);
  }
  const lead = target.length - shape.length;
  return target.map((t, i) => {
    if (i < lead) {
      if (t === -1) throw new ShapeError('expand: -1 is not allowed in a leading, non-existing dimension');
      return t;
    }
    const s = shape[i - lead];
    if (t === -1) return s;
    if (s === 1) return t;
    if (dimsConflict(s, t)) {
      throw new ShapeError(`expand: the expanded size of the tensor (${formatShape([t]).slice(1, -1)}) must match the existing size (${formatShape([s]).slice(1, -1)}) at non-singleton dimension ${i}. Target sizes: ${formatShape(target)}. Tensor sizes: ${formatShape(shape)}`);
    }
    return typeof t === 'number' || isUnknownDim(s) ? t : s;
  });
}
