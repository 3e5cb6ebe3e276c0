// Python source formatting for the emitters: abstract values as literals, identifiers,
// and small layout helpers (axis and permutation arithmetic between NCHW and NHWC).

import type { Value } from '../eval/values';
import type { Dim } from '../shapes/dim';

/** A Python literal for a concrete value, or undefined when it has none (tensors, unknowns). */
export function pyLiteral(v: Value | undefined): string | undefined {
  if (!v) return undefined;
  switch (v.k) {
    case 'none': return 'None';
    case 'bool': return v.v ? 'True' : 'False';
    case 'int': return typeof v.v === 'number' ? String(v.v) : undefined;
    case 'float': return pyFloat(v.v);
    case 'str': return pyStr(v.v);
    case 'tuple':
    case 'list': {
      const items = v.items.map(pyLiteral);
      if (items.some((x) => x === undefined)) return undefined;
      if (v.k === 'list') return `[${items.join(', ')}]`;
      return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
    }
    case 'dict': {
      // A plain dict of literals (a config): not a defaultdict or a dict subclass instance.
      if (v.factory || v.cls) return undefined;
      const parts = v.keys.map((k, i) => {
        const key = pyLiteral(k);
        const val = pyLiteral(v.vals[i]);
        return key === undefined || val === undefined ? undefined : `${key}: ${val}`;
      });
      return parts.some((x) => x === undefined) ? undefined : `{${parts.join(', ')}}`;
    }
    default: return undefined;
  }
}

export function pyFloat(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? 'float("inf")' : n < 0 ? 'float("-inf")' : 'float("nan")';
  if (Number.isInteger(n)) return `${n}.0`;
  const s = String(n);
  // 1 - 0.99 = 0.010000000000000009: prefer the short decimal.
  const short = String(Number(n.toPrecision(12)));
  return short.length < s.length ? short : s;
}

export function pyStr(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function pyTuple(xs: Array<number | string>): string {
  return xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(', ')})`;
}

/** `k` when every entry is the same, else the tuple: `3` for (3, 3). */
/**
 * Python index text for basic indexing that PyTorch and Keras read alike: ints, slices with
 * int bounds and a positive step (torch has no negative steps), `...` (as the interpreter
 * holds it, the string '...'), None. Undefined for anything else.
 */
export function basicIndexText(parts: readonly Value[]): string | undefined {
  const bound = (v: Value): string | undefined => (v.k === 'none' ? '' : v.k === 'int' && typeof v.v === 'number' ? String(v.v) : undefined);
  const texts: string[] = [];
  for (const p of parts) {
    if (p.k === 'int' && typeof p.v === 'number') texts.push(String(p.v));
    else if (p.k === 'none') texts.push('None');
    else if (p.k === 'str' && p.v === '...') texts.push('...');
    else if (p.k === 'slice') {
      const [a, b, c] = [bound(p.start), bound(p.stop), bound(p.step)];
      if (a === undefined || b === undefined || c === undefined || (c !== '' && Number(c) <= 0)) return undefined;
      texts.push(`${a}:${b}${c ? `:${c}` : ''}`);
    } else return undefined;
  }
  return texts.join(', ');
}

export function pyIntOrTuple(xs: Dim[]): string {
  const s = xs.map((d) => (typeof d === 'number' ? String(d) : 'None'));
  return s.every((x) => x === s[0]) ? s[0] : pyTuple(s);
}

/** A valid, lower_snake attribute name from a layer name. */
export function pyIdent(name: string): string {
  let s = name.replace(/[^A-Za-z0-9_]/g, '_');
  if (/^[0-9]/.test(s)) s = `l_${s}`;
  if (PY_KEYWORDS.has(s)) s = `${s}_`;
  return s || 'layer';
}

export function camelCase(name: string): string {
  const s = name.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : '')).replace(/^[a-z]/, (c) => c.toUpperCase());
  return /^[A-Za-z]/.test(s) ? s : `Model${s}`;
}

const PY_KEYWORDS = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'input', 'self']);

/** Channels-last axis -> channels-first axis for a rank-r tensor (batch stays 0). */
export function clToCfAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a === 0) return 0;
  if (a === rank - 1) return 1;
  return a + 1;
}

/** Channels-first axis -> channels-last axis. */
export function cfToClAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a === 0) return 0;
  if (a === 1) return rank - 1;
  return a - 1;
}

/** Permutation taking channels-last to channels-first: (0, r-1, 1, ..., r-2). */
export function permClToCf(rank: number): number[] {
  return [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
}

/** Permutation taking channels-first to channels-last: (0, 2, ..., r-1, 1). */
export function permCfToCl(rank: number): number[] {
  return [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];
}
