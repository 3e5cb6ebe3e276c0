// The shape of a layer spec: one table entry per framework layer (signature with
// defaults, parameter count, shape function, MACs, docs line, equivalents).
// Specs never see the syntax tree: they get bound arguments and abstract inputs.

import { type Dim, type Shape, UNKNOWN_DIM, isUnknownDim } from '../shapes/dim';
import type { TensorV, Value } from '../eval/values';
import { NONE, OPEN_KWARGS, UNPROVEN_SHAPE, fromJs, isStarUnknown, tensor as mkTensor } from '../eval/values';

export type Framework = 'torch' | 'keras' | 'tf';

/** One constructor parameter. `default` absent = required. */
export interface ParamDef {
  name: string;
  default?: unknown;
  kwOnly?: boolean;
  /** `*args` collector (e.g. nn.Sequential) or `**kwargs` (Keras base args). */
  star?: '*' | '**';
}

export interface ParamCount {
  trainable: number | null;
  nonTrainable: number;
}

/**
 * What a quick fix needs from a shape error, beyond its message: the constructor argument
 * at fault, the value it has and the value the propagation found (`in_features` 200 vs 300).
 */
export interface ShapeErrorDetail {
  /** The layer class (`Linear`). */
  layer?: string;
  /** The constructor argument that disagrees with the input (`in_features`, `num_features`). */
  arg?: string;
  /** The argument's value as written. */
  expected?: Dim;
  /** The value found on the input (what the argument would have to be). */
  actual?: Dim;
  /** The input shape the layer received. */
  input?: Shape;
}

/** A shape problem found while propagating: becomes a DL4xx diagnostic and an Unknown output. */
export class ShapeError extends Error {
  /**
   * `code`: the DL4xx rule this mismatch belongs to (docs/pitfalls.md §4), when known;
   * `detail`: structured facts for quick fixes.
   */
  constructor(message: string, readonly code?: string, readonly detail?: ShapeErrorDetail) {
    super(message);
    this.name = 'ShapeError';
  }
}

export interface Equivalent {
  framework: Framework;
  /** Display form of the call, e.g. `layers.Conv2D(filters, kernel_size)`. */
  call: string;
}

export interface LayerSpec {
  framework: Framework;
  /** The class name as the framework exposes it (`Conv2d`, `Conv2D`). */
  name: string;
  signature: ParamDef[];
  /** One line on what the layer does (hover text). */
  doc: string;
  /** Parameter count from the bound constructor arguments (and, for lazily built Keras layers, the input). */
  params(a: LayerArgs, inputs?: Value[]): ParamCount;
  /** Output value (a tensor, or a tuple for RNN / attention layers) for the given inputs. Throws ShapeError. */
  forward(a: LayerArgs, inputs: Value[], kwargs: Map<string, Value>): Value;
  /** Multiply-accumulates for one call, torchinfo's convention. */
  macs?(a: LayerArgs, inputs: Value[], output: Value): number | null;
  equivalents?: Equivalent[];
  /** The formula used for the params, for hovers (`in·out + out`). */
  paramFormula?: string;
  /** Shapes of the layer's named parameters (`weight`, `bias`), when the layer exposes them. */
  paramShapes?(a: LayerArgs): Record<string, Dim[]>;
  /**
   * The input shape (batch first, null for a free dim) the layer declares for itself when
   * constructed without input_shape=: a Keras Sequential it comes first in is built on it.
   */
  declaredInput?(a: LayerArgs, kwargs: Map<string, Value>): Array<Dim | null> | null;
  /**
   * A lazy layer (torch LazyLinear): given its first inputs, the layer it turns into and that
   * layer's arguments (PyTorch swaps the module's class on the first call); undefined while
   * the input does not tell.
   */
  materialize?(a: LayerArgs, inputs: Value[]): { spec: LayerSpec; args: Map<string, Value> } | undefined;
  /** Attributes the module stores in another form than its arguments (torch's conv keeps `stride=2` as `(2, 2)`). */
  attrs?(a: LayerArgs): Record<string, Value>;
}

/** Typed access to a layer's bound constructor arguments. */
export class LayerArgs {
  /**
   * `owner` names the layer or op, for messages; `onWarning`, when the caller listens, records a
   * problem the framework only warns about (the result still stands).
   */
  constructor(readonly values: Map<string, Value>, readonly owner: string, private readonly onWarning?: (message: string, code?: string) => void) {}

  /** Reports a problem that the framework only warns about, with the owner's name; the rule then returns its result as usual. */
  warnShape(message: string, code?: string): void {
    this.onWarning?.(`${this.owner}: ${message}`, code);
  }

  raw(name: string): Value {
    return this.values.get(name) ?? NONE;
  }
  has(name: string): boolean {
    const v = this.values.get(name);
    return v !== undefined && v.k !== 'none';
  }
  isNone(name: string): boolean {
    const v = this.values.get(name);
    return v === undefined || v.k === 'none';
  }
  /** An integer argument; symbolic or unknown ints become a Dim. */
  dim(name: string): Dim {
    return valueToDim(this.raw(name));
  }
  /** A concrete integer, or null when not known. */
  int(name: string): number | null {
    const d = this.dim(name);
    return typeof d === 'number' ? d : null;
  }
  num(name: string): number | null {
    const v = this.raw(name);
    if (v.k === 'int' && typeof v.v === 'number') return v.v;
    if (v.k === 'float') return v.v;
    if (v.k === 'bool') return v.v ? 1 : 0;
    return null;
  }
  bool(name: string): boolean {
    const v = this.raw(name);
    if (v.k === 'bool') return v.v;
    if (v.k === 'int') return v.v !== 0;
    if (v.k === 'none') return false;
    return true;
  }
  str(name: string): string | null {
    const v = this.raw(name);
    return v.k === 'str' ? v.v : null;
  }
  /** An int-or-tuple argument expanded to n dims (`kernel_size=3` -> [3, 3]). */
  dims(name: string, n: number): Dim[] {
    const v = this.raw(name);
    if (v.k === 'tuple' || v.k === 'list') {
      if (v.items.length === n) return v.items.map(valueToDim);
      if (v.items.length === 1) return Array(n).fill(valueToDim(v.items[0]));
      return Array(n).fill(UNKNOWN_DIM);
    }
    return Array(n).fill(valueToDim(v));
  }
  /** A tuple/list argument of ints of any length (`normalized_shape`, Keras `target_shape`). */
  dimList(name: string): Dim[] | null {
    const v = this.raw(name);
    // A starred unknown inside (`(*grid, 1)`): the length is not known.
    if (v.k === 'tuple' || v.k === 'list') return v.items.some(isStarUnknown) ? null : v.items.map(valueToDim);
    if (v.k === 'int') return [v.v];
    return null;
  }
}

export function valueToDim(v: Value): Dim {
  if (v.k === 'int') return v.v;
  if (v.k === 'bool') return v.v ? 1 : 0;
  if (v.k === 'float' && Number.isInteger(v.v)) return v.v;
  return UNKNOWN_DIM;
}

/**
 * The first input as a tensor with known rank, or a ShapeError saying what was wrong. An
 * input the evaluator could not follow (an unknown value, a tensor of unknown rank) proves no
 * mismatch: its ShapeError is marked UNPROVEN_SHAPE (an Unknown result, no diagnostic).
 */
export function tensorInput(inputs: Value[], i = 0, layer = 'layer'): TensorV & { shape: Shape } {
  const t = inputs[i];
  if (!t) throw new ShapeError(`${layer} expects an input tensor`);
  if (t.k === 'unknown') throw new ShapeError(`${layer}: input not known (${t.why})`, UNPROVEN_SHAPE);
  if (t.k !== 'tensor') throw new ShapeError(`${layer} got a ${t.k} where a tensor was expected`);
  if (!t.shape) throw new ShapeError(`${layer}: input rank unknown`, UNPROVEN_SHAPE);
  return t as TensorV & { shape: Shape };
}

export function out(shape: Shape, dtype = 'float32'): TensorV {
  return mkTensor(shape, dtype);
}

export const known = (d: Dim): d is number => typeof d === 'number';
export const unknownDim = (d: Dim) => isUnknownDim(d);

/** Binds defaults of a signature into a map (helper for tests and for Keras base args). */
export function defaultsOf(sig: ParamDef[]): Map<string, Value> {
  const m = new Map<string, Value>();
  for (const p of sig) if ('default' in p) m.set(p.name, fromJs(p.default));
  return m;
}

/** A functional op or tensor method (`torch.cat`, `F.max_pool2d`, `x.view`): signature + shape rule. */
export interface OpSpec {
  name: string;
  signature: ParamDef[];
  /** `self` is the receiver for tensor methods. Throws ShapeError on a provable mismatch. */
  call(a: LayerArgs, self?: Value): Value;
}

/**
 * Binds positional and keyword arguments to a signature, Python-style. Missing required
 * arguments become Unknown (never throws): a half-typed call still gets analysed.
 * A `*` parameter collects extra positionals as a tuple; `**` collects extra keywords as a dict.
 */
export function bindArgs(sig: ParamDef[], args: Value[], kwargs: Map<string, Value> | undefined): Map<string, Value> {
  const info = signatureInfo(sig);
  const out = new Map<string, Value>();
  let i = 0;
  let extraKw: Map<string, Value> | undefined;
  for (const p of sig) {
    if (p.star === '*') {
      // torch also takes the sizes of `view(*shape)` / `randn(*size)` / `permute(*dims)` as one
      // keyword (`size=(2, 10)`): as if they had been passed one by one.
      const kw = i < args.length ? undefined : starKeyword(p.name, kwargs);
      if (kw) {
        out.set(p.name, kw.value.k === 'tuple' || kw.value.k === 'list' ? { k: 'tuple', items: kw.value.items } : { k: 'tuple', items: [kw.value] });
        kwargs = new Map(kwargs);
        kwargs.delete(kw.name);
      } else out.set(p.name, { k: 'tuple', items: args.slice(i) });
      i = args.length;
      continue;
    }
    if (p.star === '**') continue;
    if (!p.kwOnly && i < args.length) {
      out.set(p.name, args[i++]);
    }
  }
  if (kwargs) {
    for (const [k, v] of kwargs) {
      if (k === OPEN_KWARGS) continue;
      if (info.named.has(k)) out.set(k, v);
      // torch's NumPy spellings: `axis=` for `dim=`, `keepdims=` for `keepdim=`.
      else if (NUMPY_KEYWORDS[k] && info.named.has(NUMPY_KEYWORDS[k]) && !kwargs.has(NUMPY_KEYWORDS[k])) out.set(NUMPY_KEYWORDS[k], v);
      else (extraKw ??= new Map()).set(k, v);
    }
  }
  if (out.size === sig.length) return out;
  const open = kwargs?.get(OPEN_KWARGS);
  for (let j = 0; j < sig.length; j++) {
    const p = sig[j];
    if (p.star === '**') out.set(p.name, open ?? { k: 'dict', keys: [...(extraKw?.keys() ?? [])].map((s) => ({ k: 'str', v: s })), vals: [...(extraKw?.values() ?? [])] });
    else if (!out.has(p.name)) out.set(p.name, open ?? ('default' in p ? (info.defaults[j] ??= fromJs(p.default)) : { k: 'unknown', why: `missing argument ${p.name}` }));
  }
  return out;
}

const NUMPY_KEYWORDS: Record<string, string> = { axis: 'dim', keepdims: 'keepdim' };

/** The keywords torch accepts for a star parameter's sizes (`x.view(size=...)`, `x.reshape(shape=...)`). */
const STAR_KEYWORDS: Record<string, string[]> = { shape: ['shape', 'size'], size: ['size', 'shape'], sizes: ['size', 'sizes'], dims: ['dims'] };

function starKeyword(name: string, kwargs: Map<string, Value> | undefined): { name: string; value: Value } | undefined {
  if (!kwargs?.size) return undefined;
  for (const k of STAR_KEYWORDS[name] ?? []) {
    const value = kwargs.get(k);
    if (value) return { name: k, value };
  }
  return undefined;
}

/**
 * What bindArgs reads of a signature besides its order, made once per signature: the names a
 * keyword may bind, and each parameter's default as a value (defaults are numbers, strings,
 * booleans, None and tuples, which nothing changes in place).
 */
interface SignatureInfo {
  named: Set<string>;
  defaults: Array<Value | undefined>;
}

const SIGNATURES = new WeakMap<ParamDef[], SignatureInfo>();

function signatureInfo(sig: ParamDef[]): SignatureInfo {
  let info = SIGNATURES.get(sig);
  if (!info) SIGNATURES.set(sig, (info = { named: new Set(sig.filter((p) => !p.star).map((p) => p.name)), defaults: new Array(sig.length) }));
  return info;
}
