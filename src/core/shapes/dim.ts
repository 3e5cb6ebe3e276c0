// Dim algebra: a tensor dimension is a concrete integer, a symbolic expression
// (`B`, `H`, `⌊(H - 1)/2⌋ + 1`) or unknown. Symbolic expressions are kept as
// normalised linear forms over atoms so that equal sizes compare equal and
// print simply; anything outside that algebra degrades to unknown, never throws.

/** An atom of a symbolic expression: a named symbol, a floor division or a product. */
interface Atom {
  key: string;
  text: string;
  /** true when the text needs parentheses inside a product. */
  compound: boolean;
}

/** A symbolic dim: const + Σ coeff·atom with integer coefficients. */
export class Sym {
  constructor(
    readonly c: number,
    readonly terms: ReadonlyArray<readonly [number, Atom]>,
  ) {}
  get key(): string {
    return this.terms.map(([k, a]) => `${k}*${a.key}`).join('+') + `+${this.c}`;
  }
  toString(): string {
    return formatSym(this);
  }
}

/** The unknown dim. One shared instance; compare with `isUnknownDim`. */
export const UNKNOWN_DIM = Object.freeze({ unknown: true as const });
export type UnknownDim = typeof UNKNOWN_DIM;

export type Dim = number | Sym | UnknownDim;
export type Shape = Dim[];

export const isUnknownDim = (d: Dim): d is UnknownDim => typeof d === 'object' && 'unknown' in d;
export const isSym = (d: Dim): d is Sym => d instanceof Sym;
export const isConcrete = (d: Dim): d is number => typeof d === 'number';

const atomCache = new Map<string, Atom>();
function atom(key: string, text: string, compound: boolean): Atom {
  let a = atomCache.get(key);
  if (!a) {
    if (atomCache.size > 100_000) atomCache.clear();
    a = { key, text, compound };
    atomCache.set(key, a);
  }
  return a;
}

/**
 * Keras' unknown size (`None`): a batch or spatial size not given. Unlike a named
 * symbol it carries no identity, so any arithmetic that involves it is `None` again
 * (`None + 1`, `⌈None/2⌉`, `4·None` all print `None`, as Keras shows them).
 */
export const NONE_DIM: Sym = new Sym(0, [[1, atom('None', 'None', false)]]);

/** True for Keras' `None` size (the one shared instance or any Sym spelled the same). */
export function isNoneDim(d: Dim): boolean {
  return d instanceof Sym && d.terms.some(([, a]) => a.key === 'None');
}

/** A fresh named symbol (`B`, `H`, `T`...). The name `None` gives the shared Keras `NONE_DIM`. */
export function sym(name: string): Sym {
  if (name === 'None') return NONE_DIM;
  return new Sym(0, [[1, atom(name, name, false)]]);
}

function make(c: number, terms: Map<string, [number, Atom]>): Dim {
  const list = [...terms.values()].filter(([k]) => k !== 0).sort((x, y) => (x[1].key < y[1].key ? -1 : x[1].key > y[1].key ? 1 : 0));
  if (list.length === 0) return c;
  return new Sym(c, list.map(([k, a]) => [k, a] as const));
}

function asLinear(d: Sym | number): { c: number; terms: Map<string, [number, Atom]> } {
  const terms = new Map<string, [number, Atom]>();
  if (typeof d === 'number') return { c: d, terms };
  for (const [k, a] of d.terms) terms.set(a.key, [k, a]);
  return { c: d.c, terms };
}

export function addDims(a: Dim, b: Dim): Dim {
  if (isUnknownDim(a) || isUnknownDim(b)) return UNKNOWN_DIM;
  if (isNoneDim(a) || isNoneDim(b)) return NONE_DIM;
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  const la = asLinear(a);
  const lb = asLinear(b);
  for (const [key, [k, at]] of lb.terms) {
    const prev = la.terms.get(key);
    la.terms.set(key, [(prev ? prev[0] : 0) + k, at]);
  }
  return make(la.c + lb.c, la.terms);
}

export function negDim(a: Dim): Dim {
  return mulDims(a, -1);
}

export function subDims(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return addDims(a, negDim(b));
}

export function mulDims(a: Dim, b: Dim): Dim {
  if (isUnknownDim(a) || isUnknownDim(b)) return UNKNOWN_DIM;
  if (isNoneDim(a) || isNoneDim(b)) return NONE_DIM;
  if (typeof a === 'number' && typeof b === 'number') return a * b;
  if (typeof b === 'number' || typeof a === 'number') {
    const [s, n] = typeof a === 'number' ? [b as Sym, a] : [a as Sym, b as number];
    if (n === 0) return 0;
    if (!Number.isInteger(n)) return UNKNOWN_DIM;
    const terms = new Map<string, [number, Atom]>();
    for (const [k, at] of s.terms) terms.set(at.key, [k * n, at]);
    return make(s.c * n, terms);
  }
  // Product of two symbolic sizes: expand (sa.c + Σ..)(sb.c + Σ..) into product atoms.
  const sa = a as Sym;
  const sb = b as Sym;
  let out: Dim = sa.c * sb.c;
  out = addDims(out, mulDims(new Sym(0, sa.terms), sb.c));
  out = addDims(out, mulDims(new Sym(0, sb.terms), sa.c));
  for (const [ka, aa] of sa.terms) {
    for (const [kb, ab] of sb.terms) {
      const parts = [aa, ab].sort((x, y) => (x.key < y.key ? -1 : 1));
      const text = parts.map((p) => (p.compound ? `(${p.text})` : p.text)).join('·');
      const prod = new Sym(0, [[1, atom(parts.map((p) => p.key).join('*'), text, false)]]);
      out = addDims(out, mulDims(prod, ka * kb));
    }
  }
  return out;
}

/** Python's `a // b` on sizes (b a positive integer when symbolic). */
export function floorDivDims(a: Dim, b: Dim): Dim {
  if (isUnknownDim(a) || isUnknownDim(b)) return UNKNOWN_DIM;
  if (isNoneDim(a) || isNoneDim(b)) return NONE_DIM;
  if (typeof a === 'number' && typeof b === 'number') return b === 0 ? UNKNOWN_DIM : Math.floor(a / b);
  if (typeof b !== 'number' || !Number.isInteger(b) || b <= 0) {
    if (dimsEqual(a, b)) return 1;
    return UNKNOWN_DIM;
  }
  if (b === 1) return a;
  const s = a as Sym;
  // Split off the part that divides exactly: ⌊(kB·x + r + c)/b⌋ = k·x + ⌊(r + c mod b)/b⌋ + ⌊c/b⌋.
  const exact = new Map<string, [number, Atom]>();
  const rest = new Map<string, [number, Atom]>();
  for (const [k, at] of s.terms) {
    const q = Math.trunc(k / b);
    if (q !== 0) exact.set(at.key, [q, at]);
    if (k - q * b !== 0) rest.set(at.key, [k - q * b, at]);
  }
  const cq = Math.floor(s.c / b);
  const cr = s.c - cq * b;
  let out = make(cq, exact);
  if (rest.size > 0) {
    const inner = make(cr, rest) as Sym;
    const text = `⌊${inner.terms.length === 1 && inner.c === 0 && inner.terms[0][0] === 1 ? inner.terms[0][1].text : `(${formatSym(inner)})`}/${b}⌋`;
    out = addDims(out, new Sym(0, [[1, atom(`floor(${inner.key})/${b}`, text, false)]]));
  }
  return out;
}

/** Python's `-(-a // b)`: ceiling division, used by `ceil_mode` pooling and 'same' padding. */
export function ceilDivDims(a: Dim, b: Dim): Dim {
  return negDim(floorDivDims(negDim(a), b));
}

export function dimsEqual(a: Dim, b: Dim): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (isSym(a) && isSym(b)) return a.key === b.key;
  return false;
}

/** True when the two dims are provably different (both known and unequal). */
export function dimsConflict(a: Dim, b: Dim): boolean {
  if (isUnknownDim(a) || isUnknownDim(b)) return false;
  if (typeof a === 'number' && typeof b === 'number') return a !== b;
  const d = subDims(a, b);
  return typeof d === 'number' && d !== 0;
}

export function formatSym(s: Sym): string {
  let out = '';
  for (const [k, a] of s.terms) {
    const mag = Math.abs(k);
    const body = mag === 1 ? a.text : `${mag}${a.compound ? `(${a.text})` : a.text}`;
    if (out === '') out = k < 0 ? `-${body}` : body;
    else out += k < 0 ? ` - ${body}` : ` + ${body}`;
  }
  if (s.c !== 0) out += s.c < 0 ? ` - ${-s.c}` : ` + ${s.c}`;
  return out;
}

export function formatDim(d: Dim): string {
  if (typeof d === 'number') return String(d);
  if (isUnknownDim(d)) return '?';
  return formatSym(d);
}

export function formatShape(s: Shape | null | undefined): string {
  if (!s) return 'Unknown';
  return `[${s.map(formatDim).join(', ')}]`;
}

/** JSON form: numbers stay numbers, Keras' `None` batch and unknown dims are null, symbols are strings. */
export function dimToJson(d: Dim): number | string | null {
  if (typeof d === 'number') return d;
  if (isUnknownDim(d)) return null;
  if (d.c === 0 && d.terms.length === 1 && d.terms[0][0] === 1 && d.terms[0][1].key === 'None') return null;
  return formatSym(d);
}

export function shapeToJson(s: Shape | null | undefined): Array<number | string | null> | null {
  return s ? s.map(dimToJson) : null;
}

/** Product of dims (numel), symbolic when needed. */
export function prodDims(dims: readonly Dim[]): Dim {
  let p: Dim = 1;
  for (const d of dims) p = mulDims(p, d);
  return p;
}
