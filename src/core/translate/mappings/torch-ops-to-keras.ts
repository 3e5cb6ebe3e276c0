// torch functional ops and tensor methods -> Keras layers, as data keyed by the op's short
// name (`relu` answers F.relu, torch.relu and x.relu()). Each entry sees the arguments as
// printer values (Keras tensors with their layout, or Python values), the tensor torch
// computes, and builds Keras layer calls; axes are remapped when the data is channels-last.
// Layers where Keras has one; otherwise a keras.ops function (Keras 3) or a tf function
// (tf.keras), which the functional API records as a graph node (an operation / TFOpLambda).

import type { TensorV, Value } from '../../eval/values';
import { dimsEqual, formatDim } from '../../shapes/dim';
import type { KerasTensorSym, Layout, Sym } from '../forward-syms';
import { cfToClAxis, pyFloat, pyIntOrTuple, pyTuple } from '../pyfmt';
import { hardActivation } from './activations';

export interface OpCtx {
  /** Positional arguments; for a tensor method the receiver comes first. */
  args: Sym[];
  kwargs: Map<string, Sym>;
  /** The argument by keyword, else by position. */
  arg(name: string, pos: number): Sym | undefined;
  /** What torch computes (shapes for the axis decisions). */
  result: Value;
  dialect: 'keras' | 'tf-keras';
  /** Calls the Keras layer `expr` on `inputs` (converted to `want`); the result carries `t` (default `result`) and `outLayout`. */
  apply(expr: string, inputs: KerasTensorSym[], want: Layout | 'any', outLayout?: Layout, t?: TensorV): KerasTensorSym;
  /**
   * Calls the function `fn` (a keras.ops / tf function, which the functional API turns into a
   * graph node) on `inputs` (converted to `want`) followed by `extra` arguments (", axis=1"),
   * after `lead` ones ('"bij,bjk->bik", ').
   */
  callFn(fn: string, inputs: KerasTensorSym[], want: Layout | 'any', extra?: string, outLayout?: Layout, lead?: string): KerasTensorSym;
  toLayout(s: KerasTensorSym, l: Layout): KerasTensorSym;
  /** `v = call(vars)` on `inputs` converted to `want`: a graph-node function whose arguments are not in input order. */
  callWith(call: (vars: string[]) => string, inputs: KerasTensorSym[], want: Layout | 'any', outLayout?: Layout): KerasTensorSym;
  /** Basic indexing `s[text]` (a graph node: GetItem / SlicingOpLambda) giving torch's `t`; the result keeps the layout of `s`. */
  index(s: KerasTensorSym, text: string, t: TensorV): KerasTensorSym;
  note(message: string, paramDelta?: number): void;
  /** Records a TODO (line + note) and returns a value standing for the unmapped result. */
  todo(message: string): Sym;
  /** Drops `keepdims=True` of the global pool that produced `s` (when flattening right after it). */
  dropKeepdims(s: KerasTensorSym): KerasTensorSym | undefined;
  /** Turns the recurrent layer that produced `s` into return_sequences=False (for `out[:, -1]`). */
  lastStep(s: KerasTensorSym): KerasTensorSym | undefined;
}

export type OpRule = (c: OpCtx) => Sym;

const kt = (s: Sym | undefined): KerasTensorSym | undefined => (s && s.k === 'kt' ? s : undefined);
export function pyInt(s: Sym | undefined): number | null {
  if (!s || s.k !== 'py') return null;
  return s.v.k === 'int' && typeof s.v.v === 'number' ? s.v.v : s.v.k === 'bool' ? Number(s.v.v) : null;
}
export function pyNum(s: Sym | undefined): number | null {
  if (!s || s.k !== 'py') return null;
  if (s.v.k === 'float') return s.v.v;
  return pyInt(s);
}
/** A list of ints from an int / tuple / list Python value. */
export function pyInts(s: Sym | undefined): number[] | null {
  if (!s) return null;
  if (s.k === 'py' && (s.v.k === 'tuple' || s.v.k === 'list')) {
    const xs = s.v.items.map((v) => (v.k === 'int' && typeof v.v === 'number' ? v.v : null));
    return xs.some((x) => x === null) ? null : (xs as number[]);
  }
  if (s.k === 'tup') {
    const xs = s.items.map(pyInt);
    return xs.some((x) => x === null) ? null : (xs as number[]);
  }
  const n = pyInt(s);
  return n === null ? null : [n];
}
const rankOf = (t: TensorV | undefined): number => t?.shape?.length ?? 0;
const resultT = (c: OpCtx): TensorV | undefined => (c.result.k === 'tensor' ? c.result : undefined);

function activation(name: string): OpRule {
  return (c) => {
    const x = kt(c.arg('input', 0));
    if (!x) return c.todo(`${name}() of a value that is not a Keras tensor`);
    if (name === 'relu') return c.apply('layers.ReLU()', [x], 'any');
    if (name === 'hard_sigmoid' || name === 'hard_swish') return c.apply(hardActivation(c.dialect, name === 'hard_sigmoid' ? 'sigmoid' : 'swish'), [x], 'any');
    if (name === 'relu6') return c.apply('layers.ReLU(max_value=6.0)', [x], 'any');
    if (name === 'leaky_relu') {
      const slope = pyNum(c.arg('negative_slope', 1)) ?? 0.01;
      return c.apply(c.dialect === 'keras' ? `layers.LeakyReLU(negative_slope=${pyFloat(slope)})` : `layers.LeakyReLU(alpha=${pyFloat(slope)})`, [x], 'any');
    }
    return c.apply(`layers.Activation("${name}")`, [x], 'any');
  };
}

function softmax(log: boolean): OpRule {
  return (c) => {
    const x = kt(c.arg('input', 0));
    if (!x) return c.todo('softmax of a value that is not a Keras tensor');
    const r = rankOf(x.t);
    const dim = pyInt(c.arg('dim', 1)) ?? -1;
    const axis = x.layout === 'cl' && r >= 3 ? cfToClAxis(dim, r) : dim < 0 ? dim + r : dim;
    if (log) {
      if (axis !== r - 1) return c.todo(`log_softmax over dim ${dim} (not the last Keras axis)`);
      return c.apply('layers.Activation("log_softmax")', [x], 'any');
    }
    return c.apply(`layers.Softmax(axis=${axis === r - 1 ? -1 : axis})`, [x], 'any');
  };
}

function pool(nd: number, op: 'Max' | 'Average'): OpRule {
  return (c) => {
    const x = kt(c.arg('input', 0));
    const k = pyInts(c.arg('kernel_size', 1));
    if (!x || !k) return c.todo(`${op.toLowerCase()}_pool${nd}d with unknown arguments`);
    const sArg = c.arg('stride', 2);
    const s = sArg && !(sArg.k === 'py' && sArg.v.k === 'none') ? pyInts(sArg) : k;
    const p = pyInts(c.arg('padding', 3)) ?? [0];
    if (pyInt(c.arg('ceil_mode', op === 'Max' ? 5 : 4))) c.todo(`${op.toLowerCase()}_pool${nd}d(ceil_mode=True): use padding="same" when the sizes agree`);
    const kk = Array.from({ length: nd }, (_, i) => k[i] ?? k[0]);
    const ss = Array.from({ length: nd }, (_, i) => (s ?? k)[i] ?? (s ?? k)[0]);
    let padding = '';
    if (p.some((v) => v)) {
      padding = ', padding="same"';
      c.note(`${op.toLowerCase()}_pool${nd}d padding=${pyIntOrTuple(p)} becomes padding="same" (TF pads on the right/bottom, PyTorch on both sides: same size, windows shifted by one)`);
    }
    return c.apply(`layers.${op}Pooling${nd}D(${pyIntOrTuple(kk)}${pyIntOrTuple(ss) !== pyIntOrTuple(kk) ? `, strides=${pyIntOrTuple(ss)}` : ''}${padding})`, [x], 'cl');
  };
}

function adaptivePool(nd: number, op: 'Max' | 'Average'): OpRule {
  return (c) => {
    const x = kt(c.arg('input', 0));
    const o = pyInts(c.arg('output_size', 1));
    if (!x || !o || !o.every((v) => v === 1)) return c.todo(`adaptive pooling to ${o ? pyIntOrTuple(o) : '?'} has no Keras layer; use fixed pool sizes for your input size`);
    const r = c.apply(`layers.Global${op}Pooling${nd}D(keepdims=True)`, [x], 'cl');
    return r;
  };
}

/** Reductions over dims: the spatial dims become a global pool; (B, T, C) over T a 1-D pool. */
function reduce(op: 'Average' | 'Max'): OpRule {
  return (c) => {
    const x = kt(c.arg('input', 0));
    const r = rankOf(x?.t);
    const dimArg = c.arg('dim', 1) ?? c.arg('axis', 1);
    const dims = pyInts(dimArg);
    const keep = pyInt(c.arg('keepdim', 2)) === 1;
    if (!x || !dims) return c.todo(`${op === 'Average' ? 'mean' : 'amax'}() over ${dims ? pyTuple(dims) : 'all dims'} has no per-sample Keras equivalent`);
    // No global pool for it: keras.ops.mean / max (tf.reduce_*) over torch's dims.
    const byFunction = op === 'Average' ? meanFn : amaxFn;
    if (r < 3) return byFunction(c);
    const norm = [...new Set(dims.map((d) => (d < 0 ? d + r : d)))].sort((a, b) => a - b);
    const spatial = Array.from({ length: r - 2 }, (_, i) => i + 2);
    const nd = r - 2;
    const name = `Global${op}Pooling${nd}D`;
    if (norm.join() === spatial.join() && nd <= 3) return c.apply(`layers.${name}(${keep ? 'keepdims=True' : ''})`, [x], 'cl', 'cl');
    if (r === 3 && norm.join() === '1') {
      // (B, T, C) over T: Keras' 1-D global pool averages axis 1 of the data as torch holds it.
      return c.apply(`layers.${name}(${keep ? 'keepdims=True' : ''})`, [x], 'same', 'same');
    }
    return byFunction(c);
  };
}

function flatten(c: OpCtx, x: KerasTensorSym, start: number, end: number): Sym {
  const r = rankOf(x.t);
  if (r <= 2 && start === 1) return x;
  if (start !== 1 || (end !== -1 && end !== r - 1)) {
    // Any other flatten keeps the batch: a Reshape to torch's shape. On channels-last data,
    // flattening spatial dims only (x.flatten(2): (B, C, H·W)) keeps the channels last, so the
    // result stays channels-last ((B, H·W, C) in Keras).
    const out = resultT(c)?.shape;
    const s0 = start < 0 ? start + r : start;
    const e0 = end < 0 ? end + r : end;
    if (!out || s0 < 1 || out.slice(1).some((d) => typeof d !== 'number')) return c.todo(`flatten(start_dim=${start}, end_dim=${end}) of a tensor with unknown sizes: reshape by hand`);
    if (x.layout === 'cl' && r >= 3 && s0 >= 2 && e0 === r - 1) {
      const cl = [...out.slice(2), out[1]] as number[];
      return c.apply(`layers.Reshape(${pyTuple(cl)})`, [x], 'cl', 'cl');
    }
    return c.apply(`layers.Reshape(${pyTuple(out.slice(1) as number[])})`, [x], 'same', 'same');
  }
  const spatialOnes = x.t.shape?.slice(2).every((d) => d === 1) ?? false;
  if (x.layout === 'cl' && r >= 3 && spatialOnes) {
    const dropped = c.dropKeepdims(x);
    if (dropped) return dropped;
    return c.apply('layers.Flatten()', [x], 'cl', 'same');
  }
  if (x.layout === 'cl' && r >= 3) c.note(`Keras data is channels-last; a Permute before Flatten keeps PyTorch's C·H·W feature order (the following Dense then matches torch's weight layout)`);
  return c.apply('layers.Flatten()', [x], 'same', 'same');
}

const flattenRule: OpRule = (c) => {
  const x = kt(c.arg('input', 0));
  if (!x) return c.todo('flatten() of a value that is not a Keras tensor');
  return flatten(c, x, pyInt(c.arg('start_dim', 1)) ?? 0, pyInt(c.arg('end_dim', 2)) ?? -1);
};

/** view / reshape: to (B, -1) is a flatten; otherwise a Reshape of the data in torch's order. */
const reshapeRule: OpRule = (c) => {
  const x = kt(c.args[0]);
  const out = resultT(c);
  if (!x || !out?.shape) return c.todo('view/reshape with an unknown target shape');
  // Keras reshapes each sample: a reshape that folds other dims into the batch (x.reshape(-1, 1, H, W)) has no Keras counterpart.
  if (!x.t.shape?.length || !dimsEqual(out.shape[0], x.t.shape[0])) return c.todo(`reshape to ${pyTuple(out.shape.map(formatDim))} changes the batch dim: Keras layers reshape each sample`);
  if (out.shape.length === 2) return flatten(c, x, 1, -1);
  const target = out.shape.slice(1);
  if (target.some((d) => typeof d !== 'number')) return c.todo(`reshape to ${pyTuple(out.shape.map(String))}: only concrete non-batch sizes map to layers.Reshape`);
  return c.apply(`layers.Reshape(${pyTuple(target as number[])})`, [x], 'same', 'same');
};

const unsqueezeRule: OpRule = (c) => {
  const x = kt(c.args[0]);
  const out = resultT(c);
  if (!x || !out?.shape) return c.todo('unsqueeze/squeeze with an unknown shape');
  const target = out.shape.slice(1);
  if (target.some((d) => typeof d !== 'number')) return c.todo('unsqueeze/squeeze of a tensor with symbolic sizes');
  if (out.shape.length < 2) return c.todo('squeeze down to the batch dim');
  return c.apply(`layers.Reshape(${pyTuple(target as number[])})`, [x], 'same', 'same');
};

/** permute / transpose: a Keras Permute over the data as Keras holds it, or nothing when the layout absorbs it. */
function permuteTo(c: OpCtx, x: KerasTensorSym, perm: number[], out = resultT(c)): Sym {
  const r = perm.length;
  if (perm[0] !== 0) return perm[1] === 0 ? unstackLeading(c, x, perm) : c.todo(`permute${pyTuple(perm)} moves the batch dim`);
  if (!out) return c.todo('permute of an unknown tensor');
  // Where each torch axis of x lives in the Keras data.
  const kAxis = (a: number) => (x.layout === 'cl' && r >= 3 ? cfToClAxis(a, r) : a);
  const asSame = perm.map(kAxis);
  const asCl = r >= 3 ? [0, ...Array.from({ length: r - 2 }, (_, i) => perm[i + 2]), perm[1]].map(kAxis) : asSame;
  const id = (q: number[]) => q.every((v, i) => v === i);
  if (id(asSame)) return { ...x, t: out, layout: 'same', rnnLine: undefined, gapLine: undefined };
  if (id(asCl)) return { ...x, t: out, layout: 'cl', rnnLine: undefined, gapLine: undefined };
  return c.apply(`layers.Permute(${pyTuple(asSame.slice(1))})`, [x], 'any', 'same', out);
}

/** Most pieces a leading axis is unstacked into (qkv's 3, a few heads). */
const MAX_UNSTACK = 64;

/**
 * A permute that puts a non-batch axis `a` in front of the batch (`qkv.permute(2, 0, 3, 1, 4)`
 * in attention: (3, B, H, N, D)): Keras keeps the batch first, so the result is the tuple of
 * its slices along `a`, each permuted like the rest: what `qkv[0]`, `qkv.unbind(0)` and
 * `q, k, v = qkv` then take apart.
 */
function unstackLeading(c: OpCtx, x0: KerasTensorSym, perm: number[]): Sym {
  const a = perm[0];
  const r = perm.length;
  const n = x0.t.shape?.[a];
  const out = resultT(c);
  if (typeof n !== 'number' || n > MAX_UNSTACK || !out?.shape || !x0.t.shape) return c.todo(`permute${pyTuple(perm)} moves the batch dim`);
  const x = c.toLayout(x0, 'same');
  const rest = perm.slice(1).map((ax) => (ax > a ? ax - 1 : ax));
  const pieceShape = x.t.shape!.filter((_, i) => i !== a);
  const items: Sym[] = [];
  for (let i = 0; i < n; i++) {
    const piece = c.index(x, alongAxis(a, r, String(i)), { ...x.t, shape: pieceShape });
    const p = permuteTo(c, piece, rest, { ...out, shape: out.shape.slice(1) });
    if (p.k === 'na') return p;
    items.push(p);
  }
  return { k: 'tup', items, stacked: out };
}

const permuteRule: OpRule = (c) => {
  const x = kt(c.args[0]);
  const rest = c.args.slice(1);
  const dims = rest.length === 1 ? pyInts(rest[0]) : pyInts({ k: 'tup', items: rest });
  const perm = dims ?? pyInts(c.kwargs.get('dims'));
  if (!x || !perm) return c.todo('permute with unknown dims');
  const r = rankOf(x.t);
  return permuteTo(c, x, perm.map((d) => (d < 0 ? d + r : d)));
};

const transposeRule: OpRule = (c) => {
  const x = kt(c.args[0]);
  const r = rankOf(x?.t);
  let d0 = pyInt(c.arg('dim0', 1));
  let d1 = pyInt(c.arg('dim1', 2));
  if (!x || d0 === null || d1 === null) return c.todo('transpose with unknown dims');
  d0 = d0 < 0 ? d0 + r : d0;
  d1 = d1 < 0 ? d1 + r : d1;
  const perm = Array.from({ length: r }, (_, i) => i);
  [perm[d0], perm[d1]] = [perm[d1], perm[d0]];
  return permuteTo(c, x, perm);
};

const catRule: OpRule = (c) => {
  const xs = c.arg('tensors', 0);
  const items = xs?.k === 'tup' ? xs.items : [];
  if (!items.length || !items.every((s) => s.k === 'kt')) return c.todo('cat() of values that are not all Keras tensors');
  const ts = items as KerasTensorSym[];
  const r = rankOf(ts[0].t);
  const dim = pyInt(c.arg('dim', 1)) ?? 0;
  const layout: Layout = r >= 3 && ts.some((t) => t.layout === 'cl') ? 'cl' : 'same';
  const d = dim < 0 ? dim + r : dim;
  if (d === 0) return c.todo('cat() along the batch dim');
  const axis = layout === 'cl' ? cfToClAxis(d, r) : d;
  return c.apply(`layers.Concatenate(axis=${axis === r - 1 ? -1 : axis})`, ts, layout, layout);
};

const dropoutRule: OpRule = (c) => {
  const x = kt(c.arg('input', 0));
  if (!x) return c.todo('dropout of a value that is not a Keras tensor');
  const p = pyNum(c.arg('p', 1)) ?? 0.5;
  const training = c.arg('training', 2);
  if (training && training.k === 'py' && training.v.k === 'bool' && !training.v.v) return x;
  return c.apply(`layers.Dropout(${pyFloat(p)})`, [x], 'any');
};

const interpolateRule: OpRule = (c) => {
  const x = kt(c.arg('input', 0));
  const r = rankOf(x?.t);
  const sf = pyNum(c.arg('scale_factor', 2));
  const modeS = c.arg('mode', 3);
  const mode = modeS?.k === 'py' && modeS.v.k === 'str' ? modeS.v.v : 'nearest';
  const out = resultT(c)?.shape;
  if (x && r === 4 && (sf === null || !Number.isInteger(sf)) && out && typeof out[2] === 'number' && typeof out[3] === 'number') {
    // To a given size (interpolate(x, size=skip.shape[2:])): layers.Resizing to torch's output size.
    if (mode !== 'nearest' && mode !== 'bilinear') return c.todo(`interpolate(mode="${mode}") to a size: use layers.Resizing with a matching interpolation`);
    const ac = c.arg('align_corners', 4);
    if (ac && ac.k === 'py' && ac.v.k === 'bool' && ac.v.v) c.note('interpolate(align_corners=True): Keras Resizing samples like align_corners=False; border pixels differ');
    if (mode === 'nearest') c.note("interpolate(mode='nearest') picks floor(i·scale); TF's nearest resize rounds half-pixel centres: the same size, some rows / columns picked one off");
    return c.apply(`layers.Resizing(${out[2]}, ${out[3]}${mode === 'bilinear' ? ', interpolation="bilinear"' : ', interpolation="nearest"'})`, [x], 'cl');
  }
  if (!x || sf === null || !Number.isInteger(sf) || (r !== 3 && r !== 4)) return c.todo('interpolate() with size= or a non-integer scale: use layers.Resizing with the target size');
  if (r === 3) {
    if (mode !== 'nearest') return c.todo(`interpolate(mode="${mode}") on 1-D data`);
    return c.apply(`layers.UpSampling1D(${sf})`, [x], 'cl');
  }
  if (mode !== 'nearest' && mode !== 'bilinear') return c.todo(`interpolate(mode="${mode}") has no UpSampling2D interpolation`);
  const ac = c.arg('align_corners', 4);
  if (ac && ac.k === 'py' && ac.v.k === 'bool' && ac.v.v) c.note('interpolate(align_corners=True): Keras UpSampling2D samples like align_corners=False; border pixels differ');
  return c.apply(`layers.UpSampling2D(${sf}${mode === 'bilinear' ? ', interpolation="bilinear"' : ''})`, [x], 'cl');
};

/** Elementwise binary functions (torch.add, torch.mul): the same as the operators. */
function binaryFn(op: '+' | '-' | '*'): OpRule {
  return (c) => {
    const a = kt(c.arg('input', 0));
    const b = kt(c.arg('other', 1));
    if (!a || !b) return c.todo(`${op} with a value that is not a Keras tensor`);
    const layout: Layout = a.layout === 'cl' || b.layout === 'cl' ? 'cl' : 'same';
    return c.apply(`layers.${op === '+' ? 'Add' : op === '-' ? 'Subtract' : 'Multiply'}()`, [a, b], layout, layout);
  };
}

const passThrough: OpRule = (c) => c.args[0] ?? c.todo('no argument');

/** The Keras axis of torch dim `d` (non-negative) of a rank-`r` tensor held in `layout`. */
const kerasAxis = (layout: Layout, d: number, r: number): number => (layout === 'cl' && r >= 3 ? cfToClAxis(d, r) : d);

/** The index text taking `item` (a slice text or an int) on Keras axis `axis` of a rank-`r` tensor, every other axis whole. */
const alongAxis = (axis: number, r: number, item: string): string => (axis === r - 1 ? `..., ${item}` : `${':, '.repeat(axis)}${item}`);

const sliceText = (a: number, b: number, n: number): string => `${a ? a : ''}:${b === n ? '' : b}`;

/**
 * chunk / split / tensor_split (unbind: false) and unbind (true): basic slices of the input
 * along one axis, cut where torch cut it (the sizes of the pieces torch computed), so every
 * form (a count, a size, a list of sizes or of indices) is one rule. Each piece is a graph node
 * of its own (GetItem / SlicingOpLambda), in the input's layout.
 */
function splitRule(unbind: boolean): OpRule {
  return (c) => {
    const x0 = kt(c.args[0]);
    const pieces = c.result.k === 'tuple' || c.result.k === 'list' ? c.result.items : null;
    const r = rankOf(x0?.t);
    const dim = pyInt(c.arg('dim', unbind ? 1 : 2)) ?? 0;
    const d = dim < 0 ? dim + r : dim;
    const what = unbind ? 'unbind()' : 'split / chunk';
    if (!x0 || !pieces || !pieces.length || !r) return c.todo(`${what} of a value whose pieces are not known here`);
    if (d === 0) return c.todo(`${what} along the batch dim has no per-sample Keras equivalent`);
    const n = x0.t.shape?.[d];
    const sizes = pieces.map((p) => (p.k === 'tensor' && p.shape ? (unbind ? 1 : p.shape[d]) : null));
    if (typeof n !== 'number' || sizes.some((s) => typeof s !== 'number') || pieces.some((p) => p.k !== 'tensor')) return c.todo(`${what} of a dim whose size is not known here`);
    // unbind drops the axis: on channels-last data that could be the channel axis, so the
    // pieces are taken from the data in torch's order.
    const x = unbind ? c.toLayout(x0, 'same') : x0;
    const axis = kerasAxis(x.layout, d, r);
    let at = 0;
    const items = pieces.map((p, i) => {
      const size = sizes[i] as number;
      const text = alongAxis(axis, r, unbind ? String(i) : sliceText(at, at + size, n));
      at += size;
      return c.index(x, text, p as TensorV);
    });
    return { k: 'tup', items };
  };
}

/** stack(tensors, dim): keras.ops.stack / tf.stack on the data in torch's order (a new axis at torch's dim). */
const stackRule: OpRule = (c) => {
  const xs = c.arg('tensors', 0);
  const items = xs?.k === 'tup' ? xs.items : [];
  if (!items.length || !items.every((s) => s.k === 'kt')) return c.todo('stack() of values that are not all Keras tensors');
  const r = rankOf((items[0] as KerasTensorSym).t) + 1;
  const dim = pyInt(c.arg('dim', 1)) ?? 0;
  const d = dim < 0 ? dim + r : dim;
  if (d <= 0) return c.todo('stack() along the batch dim has no per-sample Keras equivalent');
  return c.callFn(fnName(c.dialect, 'stack', 'tf.stack'), items as KerasTensorSym[], 'same', `], axis=${d}`, 'same', '[');
};

/**
 * repeat(*sizes) / expand(*sizes) of a Keras tensor that keeps the batch: keras.ops.tile /
 * tf.tile by the factor each axis grows (torch's sizes; expand grows size-1 axes only), on the
 * data as Keras holds it.
 */
const tileRule: OpRule = (c) => {
  const x = kt(c.args[0]);
  const out = resultT(c)?.shape;
  const inS = x?.t.shape;
  if (!x || !out || !inS) return c.todo('repeat / expand of a tensor whose shape is not known here');
  const r = out.length;
  // repeat / expand may add leading axes: not before the batch.
  if (r !== inS.length) return c.todo('repeat / expand that adds axes has no per-sample Keras equivalent');
  const factors: number[] = [];
  for (let i = 0; i < r; i++) {
    if (out[i] === inS[i]) factors.push(1);
    else if (typeof out[i] === 'number' && typeof inS[i] === 'number' && (inS[i] as number) > 0 && (out[i] as number) % (inS[i] as number) === 0) factors.push((out[i] as number) / (inS[i] as number));
    else return c.todo('repeat / expand to a size that is not known here');
  }
  if (factors[0] !== 1) return c.todo('repeat / expand of the batch dim has no per-sample Keras equivalent');
  if (factors.every((f) => f === 1)) return { ...x, t: resultT(c)!, rnnLine: undefined, gapLine: undefined };
  const byAxis = new Array<number>(r).fill(1);
  factors.forEach((f, d) => { byAxis[kerasAxis(x.layout, d, r)] = f; });
  return c.callFn(fnName(c.dialect, 'tile', 'tf.tile'), [x], x.layout, `, ${pyTuple(byAxis)}`, x.layout);
};

/** Keras dtype names of torch's. */
const KERAS_DTYPE: Record<string, string> = {
  float32: 'float32', float16: 'float16', bfloat16: 'bfloat16', float64: 'float64',
  int64: 'int64', int32: 'int32', int16: 'int16', int8: 'int8', uint8: 'uint8', bool: 'bool',
};

/**
 * float() / long() / bool() / to(dtype) / type(dtype) / type_as(y): keras.ops.cast / tf.cast to
 * the dtype torch gives; nothing when it is the tensor's own (to(device), float() of floats).
 */
const castRule: OpRule = (c) => {
  const x = kt(c.args[0]);
  const t = resultT(c);
  if (!x || !t) return c.todo('a dtype cast of a value that is not a Keras tensor');
  if (t.dtype === x.t.dtype) return { ...x, t };
  const dt = KERAS_DTYPE[t.dtype];
  if (!dt) return c.todo(`a cast to ${t.dtype} has no Keras dtype`);
  return c.callFn(fnName(c.dialect, 'cast', 'tf.cast'), [x], 'any', `, "${dt}"`);
};

/** masked_fill(mask, value): keras.ops.where / tf.where(mask, value, x); the mask a Keras tensor (`ids == 0`). */
const maskedFillRule: OpRule = (c) => {
  const x = kt(c.args[0]);
  const mask = kt(c.arg('mask', 1));
  const v = pyNum(c.arg('value', 2));
  if (!x || !mask || v === null) return c.todo('masked_fill() with a mask that is not a Keras tensor (a constant mask: build it in a custom layer) or a value that is not a number');
  const fn = fnName(c.dialect, 'where', 'tf.where');
  return c.callWith(([m, y]) => `${fn}(${m}, ${pyFloat(v)}, ${y})`, [mask, x], 'same', 'same');
};

/** glu(x, dim): the first half of `dim` times the sigmoid of the second. */
const gluRule: OpRule = (c) => {
  const x = kt(c.arg('input', 0));
  const r = rankOf(x?.t);
  const dim = pyInt(c.arg('dim', 1)) ?? -1;
  const d = dim < 0 ? dim + r : dim;
  const n = x?.t.shape?.[d];
  const t = resultT(c);
  if (!x || !t || typeof n !== 'number' || n % 2 || d <= 0) return c.todo('glu() over a dim whose size is not known (or the batch dim)');
  const axis = kerasAxis(x.layout, d, r);
  const a = c.index(x, alongAxis(axis, r, sliceText(0, n / 2, n)), t);
  const b = c.index(x, alongAxis(axis, r, sliceText(n / 2, n, n)), t);
  return c.apply('layers.Multiply()', [a, c.apply('layers.Activation("sigmoid")', [b], 'any')], x.layout, x.layout);
};

/**
 * F.pad(x, pad, mode, value): pad lists (before, after) pairs from the last dim backwards.
 * Zeros on the spatial dims of channels-first data are a ZeroPadding layer; any other
 * constant, reflect, or a pad of the channel dim is keras.ops.pad / tf.pad on the data as
 * Keras holds it. torch's 'replicate' and 'circular' have no TensorFlow counterpart.
 */
const padRule: OpRule = (c) => {
  const x = kt(c.arg('input', 0));
  const pad = pyInts(c.arg('pad', 1));
  const modeS = c.arg('mode', 2);
  const mode = modeS?.k === 'py' && modeS.v.k === 'str' ? modeS.v.v : 'constant';
  const value = pyNum(c.arg('value', 3)) ?? 0;
  const r = rankOf(x?.t);
  if (!x || !pad || pad.length % 2 || pad.length / 2 > r || !r) return c.todo('pad() with pad widths that are not known here');
  if (pad.some((p) => p < 0)) return c.todo('pad() with negative widths (cropping): use a Cropping layer');
  if (mode !== 'constant' && mode !== 'reflect') return c.todo(`pad(mode="${mode}") has no TensorFlow counterpart (tf.pad pads with a constant, reflect or symmetric)`);
  // Widths by torch dim.
  const widths: [number, number][] = Array.from({ length: r }, () => [0, 0]);
  for (let i = 0; i < pad.length / 2; i++) widths[r - 1 - i] = [pad[2 * i], pad[2 * i + 1]];
  if (widths[0].some((w) => w)) return c.todo('pad() of the batch dim has no per-sample Keras equivalent');
  const spatialOnly = widths[1].every((w) => !w);
  const nd = r - 2;
  if (mode === 'constant' && value === 0 && spatialOnly && nd >= 1 && nd <= 3) {
    const sp = widths.slice(2);
    const arg = nd === 1 ? pyTuple(sp[0]) : pyTuple(sp.map((w) => pyTuple(w)));
    return c.apply(`layers.ZeroPadding${nd}D(${arg})`, [x], 'cl');
  }
  const byAxis: [number, number][] = Array.from({ length: r }, () => [0, 0]);
  widths.forEach((w, d) => { byAxis[kerasAxis(x.layout, d, r)] = w; });
  const list = `[${byAxis.map(([a, b]) => `[${a}, ${b}]`).join(', ')}]`;
  const extra = c.dialect === 'keras'
    ? `, mode="${mode}"${mode === 'constant' && value ? `, constant_values=${pyFloat(value)}` : ''}`
    : `, mode="${mode.toUpperCase()}"${mode === 'constant' && value ? `, constant_values=${pyFloat(value)}` : ''}`;
  return c.callFn(fnName(c.dialect, 'pad', 'tf.pad'), [x], x.layout, `, ${list}${extra}`, x.layout);
};

/** The keras.ops function (Keras 3) or the tf one (tf.keras) for an op. */
export const fnName = (dialect: 'keras' | 'tf-keras', kerasOp: string, tfFn: string): string => (dialect === 'keras' ? `keras.ops.${kerasOp}` : tfFn);

/** A Python number or None as a literal argument. */
const numArg = (s: Sym | undefined): string | null => {
  if (!s || (s.k === 'py' && s.v.k === 'none')) return 'None';
  const v = pyNum(s);
  return v === null ? null : pyFloat(v);
};

/** Elementwise functions of one tensor: any layout. */
function unary(kerasOp: string, tfFn: string): OpRule {
  return (c) => {
    const x = kt(c.arg('input', 0));
    if (!x) return c.todo(`${kerasOp}() of a value that is not a Keras tensor`);
    return c.callFn(fnName(c.dialect, kerasOp, tfFn), [x], 'any');
  };
}

/**
 * Reductions over given dims that are no global pool: keras.ops.sum / tf.reduce_sum & co.
 * on the data in torch's order (the axes are torch's dims). Over all dims (a scalar, the
 * batch included) there is no per-sample Keras output.
 */
function reduceFn(kerasOp: string, tfFn: string, torchName: string): OpRule {
  return (c) => {
    const x = kt(c.arg('input', 0));
    const r = rankOf(x?.t);
    const dims = pyInts(c.arg('dim', 1) ?? c.kwargs.get('axis'));
    if (!x || !dims || !r) return c.todo(`${torchName}() over ${dims ? pyTuple(dims) : 'all dims'} has no per-sample Keras equivalent`);
    const norm = [...new Set(dims.map((d) => (d < 0 ? d + r : d)))].sort((a, b) => a - b);
    if (norm.includes(0)) return c.todo(`${torchName}() over the batch dim has no per-sample Keras equivalent`);
    const keep = pyInt(c.arg('keepdim', 2)) === 1;
    const axis = norm.length === 1 ? String(norm[0]) : pyTuple(norm);
    return c.callFn(fnName(c.dialect, kerasOp, tfFn), [x], 'same', `, axis=${axis}${keep ? ', keepdims=True' : ''}`, 'same');
  };
}

const meanFn = reduceFn('mean', 'tf.reduce_mean', 'mean');
const amaxFn = reduceFn('max', 'tf.reduce_max', 'amax');

/** matmul / bmm on the data in torch's order (batch-major matrices on the last two axes). */
const matmulRule: OpRule = (c) => {
  const a = kt(c.arg('input', 0));
  const b = kt(c.arg('other', 1) ?? c.kwargs.get('mat2'));
  if (!a || !b) return c.todo('matmul with a value that is not a Keras tensor (a weight: use a Dense layer or a custom layer)');
  return c.callFn(fnName(c.dialect, 'matmul', 'tf.matmul'), [a, b], 'same', '', 'same');
};

/** einsum(equation, *operands) on the data in torch's order. */
const einsumRule: OpRule = (c) => {
  const eq = c.args[0];
  const rest = c.args.slice(1);
  const ops = rest.length === 1 && rest[0].k === 'tup' ? rest[0].items : rest;
  if (!eq || eq.k !== 'py' || eq.v.k !== 'str' || !ops.length || !ops.every((o) => o.k === 'kt')) return c.todo('einsum with an unknown equation or an operand that is not a Keras tensor');
  return c.callFn(fnName(c.dialect, 'einsum', 'tf.einsum'), ops as KerasTensorSym[], 'same', '', 'same', `${JSON.stringify(eq.v.v)}, `);
};

/** clamp / clip(min, max): keras.ops.clip / tf.clip_by_value; one bound alone is a maximum / minimum. */
const clampRule: OpRule = (c) => {
  const x = kt(c.arg('input', 0));
  const lo = numArg(c.arg('min', 1));
  const hi = numArg(c.arg('max', 2));
  if (!x || lo === null || hi === null || (lo === 'None' && hi === 'None')) return c.todo('clamp() with bounds that are not numbers');
  if (hi === 'None') return c.callFn(fnName(c.dialect, 'maximum', 'tf.maximum'), [x], 'any', `, ${lo}`);
  if (lo === 'None') return c.callFn(fnName(c.dialect, 'minimum', 'tf.minimum'), [x], 'any', `, ${hi}`);
  return c.callFn(fnName(c.dialect, 'clip', 'tf.clip_by_value'), [x], 'any', `, ${lo}, ${hi}`);
};

/** pow(x, k) with a number k: keras.ops.power / tf.pow, elementwise. */
const powRule: OpRule = (c) => {
  const x = kt(c.arg('input', 0));
  const k = numArg(c.arg('exponent', 1));
  if (!x || k === null || k === 'None') return c.todo('pow() with an exponent that is not a number');
  return c.callFn(fnName(c.dialect, 'power', 'tf.pow'), [x], 'any', `, ${k}`);
};

/** Tensor / tensor: keras.ops.divide / tf.math.divide (no Keras layer divides). */
const divRule: OpRule = (c) => {
  const a = kt(c.arg('input', 0));
  const b = kt(c.arg('other', 1));
  if (!a || !b) return c.todo('div with a value that is not a Keras tensor');
  return c.callFn(fnName(c.dialect, 'divide', 'tf.math.divide'), [a, b], 'any');
};

/** Op short name -> rule. F.relu, torch.relu and Tensor.relu share `relu`. */
export const TORCH_OPS_TO_KERAS: Record<string, OpRule> = {
  relu: activation('relu'), relu6: activation('relu6'), leaky_relu: activation('leaky_relu'),
  sigmoid: activation('sigmoid'), tanh: activation('tanh'), gelu: activation('gelu'), elu: activation('elu'),
  selu: activation('selu'), silu: activation('silu'), softplus: activation('softplus'), mish: activation('mish'),
  hardsigmoid: activation('hard_sigmoid'), hardswish: activation('hard_swish'), softsign: activation('softsign'),
  softmax: softmax(false), log_softmax: softmax(true),
  max_pool1d: pool(1, 'Max'), max_pool2d: pool(2, 'Max'), avg_pool1d: pool(1, 'Average'), avg_pool2d: pool(2, 'Average'),
  adaptive_avg_pool1d: adaptivePool(1, 'Average'), adaptive_avg_pool2d: adaptivePool(2, 'Average'), adaptive_max_pool2d: adaptivePool(2, 'Max'),
  mean: reduce('Average'), amax: reduce('Max'),
  flatten: flattenRule, view: reshapeRule, reshape: reshapeRule,
  unsqueeze: unsqueezeRule, squeeze: unsqueezeRule,
  permute: permuteRule, transpose: transposeRule,
  cat: catRule, concat: catRule, concatenate: catRule,
  dropout: dropoutRule, interpolate: interpolateRule, upsample: interpolateRule,
  add: binaryFn('+'), sub: binaryFn('-'), mul: binaryFn('*'), multiply: binaryFn('*'),
  contiguous: passThrough, clone: passThrough, detach: passThrough,
  chunk: splitRule(false), split: splitRule(false), tensor_split: splitRule(false), unbind: splitRule(true),
  float: castRule, double: castRule, half: castRule, long: castRule, int: castRule, bool: castRule, to: castRule, type: castRule, type_as: castRule,
  masked_fill: maskedFillRule,
  glu: gluRule, pad: padRule, stack: stackRule, repeat: tileRule, expand: tileRule, expand_as: tileRule,
  erf: unary('erf', 'tf.math.erf'),
  sum: reduceFn('sum', 'tf.reduce_sum', 'sum'),
  matmul: matmulRule, bmm: matmulRule,
  einsum: einsumRule,
  clamp: clampRule, clip: clampRule,
  pow: powRule,
  div: divRule, divide: divRule, true_divide: divRule,
  sqrt: unary('sqrt', 'tf.sqrt'), rsqrt: unary('rsqrt', 'tf.math.rsqrt'), exp: unary('exp', 'tf.exp'),
  log: unary('log', 'tf.math.log'), abs: unary('abs', 'tf.abs'), square: unary('square', 'tf.square'),
};
