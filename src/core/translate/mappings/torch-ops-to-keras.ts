// torch functional ops and tensor methods -> Keras layers, as data keyed by the op's short
// name (`relu` answers F.relu, torch.relu and x.relu()). Each entry sees the arguments as
// printer values (Keras tensors with their layout, or Python values), the tensor torch
// computes, and builds Keras layer calls; axes are remapped when the data is channels-last.
// Only layers are emitted (no keras.ops): the functional graph then maps back to PyTorch.

import type { TensorV, Value } from '../../eval/values';
import type { KerasTensorSym, Layout, Sym } from '../forward-syms';
import { cfToClAxis, pyFloat, pyIntOrTuple, pyTuple } from '../pyfmt';

export interface OpCtx {
  /** Positional arguments; for a tensor method the receiver comes first. */
  args: Sym[];
  kwargs: Map<string, Sym>;
  /** The argument by keyword, else by position. */
  arg(name: string, pos: number): Sym | undefined;
  /** What torch computes (shapes for the axis decisions). */
  result: Value;
  dialect: 'keras' | 'tf-keras';
  /** Calls the Keras layer `expr` on `inputs` (converted to `want`); the result carries `result` and `outLayout`. */
  apply(expr: string, inputs: KerasTensorSym[], want: Layout | 'any', outLayout?: Layout): KerasTensorSym;
  toLayout(s: KerasTensorSym, l: Layout): KerasTensorSym;
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
    if (!x || !dims || r < 3) return c.todo(`${op === 'Average' ? 'mean' : 'amax'}() over ${dims ? pyTuple(dims) : 'all dims'} has no Keras layer here`);
    const norm = [...new Set(dims.map((d) => (d < 0 ? d + r : d)))].sort((a, b) => a - b);
    const spatial = Array.from({ length: r - 2 }, (_, i) => i + 2);
    const nd = r - 2;
    const name = `Global${op}Pooling${nd}D`;
    if (norm.join() === spatial.join() && nd <= 3) return c.apply(`layers.${name}(${keep ? 'keepdims=True' : ''})`, [x], 'cl', 'cl');
    if (r === 3 && norm.join() === '1') {
      // (B, T, C) over T: Keras' 1-D global pool averages axis 1 of the data as torch holds it.
      return c.apply(`layers.${name}(${keep ? 'keepdims=True' : ''})`, [x], 'same', 'same');
    }
    return c.todo(`${op === 'Average' ? 'mean' : 'amax'}() over dims ${pyTuple(norm)} of a rank-${r} tensor has no Keras layer`);
  };
}

function flatten(c: OpCtx, x: KerasTensorSym, start: number, end: number): Sym {
  const r = rankOf(x.t);
  if (r <= 2 && start === 1) return x;
  if (start !== 1 || (end !== -1 && end !== r - 1)) return c.todo(`flatten(start_dim=${start}, end_dim=${end}): reshape by hand`);
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
  if (out.shape.length === 2 && out.shape[0] === x.t.shape?.[0]) return flatten(c, x, 1, -1);
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
function permuteTo(c: OpCtx, x: KerasTensorSym, perm: number[]): Sym {
  const r = perm.length;
  if (perm[0] !== 0) return c.todo(`permute${pyTuple(perm)} moves the batch dim`);
  const out = resultT(c);
  if (!out) return c.todo('permute of an unknown tensor');
  // Where each torch axis of x lives in the Keras data.
  const kAxis = (a: number) => (x.layout === 'cl' && r >= 3 ? cfToClAxis(a, r) : a);
  const asSame = perm.map(kAxis);
  const asCl = r >= 3 ? [0, ...Array.from({ length: r - 2 }, (_, i) => perm[i + 2]), perm[1]].map(kAxis) : asSame;
  const id = (q: number[]) => q.every((v, i) => v === i);
  if (id(asSame)) return { ...x, t: out, layout: 'same', rnnLine: undefined, gapLine: undefined };
  if (id(asCl)) return { ...x, t: out, layout: 'cl', rnnLine: undefined, gapLine: undefined };
  return c.apply(`layers.Permute(${pyTuple(asSame.slice(1))})`, [x], 'any', 'same');
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

/** Op short name -> rule. F.relu, torch.relu and Tensor.relu share `relu`. */
export const TORCH_OPS_TO_KERAS: Record<string, OpRule> = {
  relu: activation('relu'), relu6: activation('relu6'), leaky_relu: activation('leaky_relu'),
  sigmoid: activation('sigmoid'), tanh: activation('tanh'), gelu: activation('gelu'), elu: activation('elu'),
  selu: activation('selu'), silu: activation('silu'), softplus: activation('softplus'), mish: activation('mish'),
  hardsigmoid: activation('hard_sigmoid'), softsign: activation('softsign'),
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
  contiguous: passThrough,
};
