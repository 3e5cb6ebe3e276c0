// Low-level TensorFlow ops (`tf.*`, `tf.nn.*`, `tf.math.*`, `tf.linalg.*`) with their own
// TF signatures (`tf.transpose(a, perm=...)`, `tf.concat(values, axis)`, `keepdims`,
// `name=`), as a table keyed by qualified name. Shape rules reuse the shared ones
// (torch/functional.ts, shapes/*) and tf/conv.ts; these entries win over keras/ops.ts
// for `tensorflow.*` names.

import { type TensorV, type Value, int, list, tensor, tuple, unknown } from '../../eval/values';
import { LayerArgs, type OpSpec, type ParamDef, ShapeError, valueToDim } from '../spec';
import { Bail, catShapes, dimsArg, elementwise, literalShape, reduceShape, resultType, squeezeShape, unsqueezeShape } from '../torch/functional';
import { binaryTensorOp } from '../torch/tensor';
import { broadcastShapes, normDim, permuteShape, reshapeShape } from '../../shapes/broadcast';
import { type Dim, type Shape, UNKNOWN_DIM, addDims, ceilDivDims, dimsConflict, dimsEqual, floorDivDims, formatDim, formatShape, isUnknownDim, mulDims, subDims, sym } from '../../shapes/dim';
import {
  type TfPadding, type TfWindowOptions, biasAddShape, embeddingLookupShape, expandWindowArg, parsePadding,
  tfDepthwiseConvShape, tfMatmulShape, tfNnConvShape, tfNnConvTransposeShape, tfNnPoolShape,
} from './conv';

/** The Keras / TF unknown batch (`None`), as in keras/runtime.ts's NONE_BATCH. */
export const TF_NONE = sym('None');

type Rule = (a: LayerArgs) => Value;

const p = (name: string, ...d: [unknown?]): ParamDef => (d.length ? { name, default: d[0] } : { name });
const NAME = p('name', null);

// ---------------------------------------------------------------- argument readers

/** The named argument as a tensor (Python scalars are 0-d tensors); Bail(unknown) otherwise. */
function tensorOf(a: LayerArgs, name: string): TensorV {
  const v = a.raw(name);
  if (v.k === 'tensor') return v;
  if (v.k === 'int') return tensor([], 'int32');
  if (v.k === 'float') return tensor([], 'float32');
  if (v.k === 'bool') return tensor([], 'bool');
  if (v.k === 'list' || v.k === 'tuple') {
    const l = literalShape(v);
    return tensor(l.shape, tfLiteralDtype(l.dtype));
  }
  if (v.k === 'unknown') throw new Bail(unknown(v.why));
  throw new Bail(unknown(`${a.owner}: ${name} is a ${v.k}, not a tensor`));
}

type Shaped = TensorV & { shape: Shape };

function shaped(a: LayerArgs, name: string, dtype?: string): Shaped {
  const t = tensorOf(a, name);
  if (!t.shape) throw new Bail(tensor(null, dtype ?? t.dtype));
  return t as Shaped;
}

/** Python literals become int32 / float32 tensors in TensorFlow (not int64 as in torch). */
export function tfLiteralDtype(dt: string): string {
  return dt === 'int64' ? 'int32' : dt === 'float64' ? 'float32' : dt;
}

/** A shape argument: a list / tuple of ints (None → the unknown batch), an int, or a `tf.shape(...)` tuple. */
export function shapeList(v: Value): Dim[] | null {
  if (v.k === 'tuple' || v.k === 'list') return v.items.map((x) => (x.k === 'none' ? TF_NONE : valueToDim(x)));
  if (v.k === 'int') return [v.v];
  if (v.k === 'tensor' && v.shape && v.shape.length === 1 && typeof v.shape[0] === 'number') return Array(v.shape[0]).fill(UNKNOWN_DIM);
  return null;
}

/** An int-or-list window argument (strides, ksize, dilations) as Dims; null when absent. */
function windowArg(v: Value): Dim | Dim[] | null {
  if (v.k === 'none') return null;
  if (v.k === 'tuple' || v.k === 'list') return v.items.map(valueToDim);
  return valueToDim(v);
}

/** `tf.float32`, `'float32'`, `tf.int64`… → canonical name. */
export function tfDtype(v: Value): string | null {
  if (v.k === 'str') return v.v.replace(/^tf\./, '').replace(/^tensorflow\./, '');
  return null;
}

function paddingArg(a: LayerArgs, n: number): TfPadding {
  const v = a.raw('padding');
  if (v.k === 'str') {
    const pd = parsePadding(v.v);
    if (!pd) throw new Bail(unknown(`${a.owner}: padding '${v.v}' is not 'SAME' or 'VALID'`));
    return pd;
  }
  if (v.k === 'list' || v.k === 'tuple') {
    const pairs = v.items.map((it) => (it.k === 'list' || it.k === 'tuple') && it.items.length === 2 ? ([valueToDim(it.items[0]), valueToDim(it.items[1])] as [Dim, Dim]) : null);
    if (pairs.some((x) => x === null) || pairs.length !== n + 2) throw new Bail(unknown(`${a.owner}: explicit padding must be ${n + 2} [before, after] pairs`));
    return pairs as Array<[Dim, Dim]>;
  }
  throw new Bail(unknown(`${a.owner}: padding not known`));
}

function channelsFirst(a: LayerArgs): boolean {
  const df = a.str('data_format');
  return !!df && df.length > 1 && df[1] === 'C';
}

function windowOptions(a: LayerArgs, n: number, strideName = 'strides'): TfWindowOptions {
  const cf = channelsFirst(a);
  return {
    n, channelsFirst: cf,
    strides: expandWindowArg(windowArg(a.raw(strideName)), n, cf, strideName),
    dilations: expandWindowArg(windowArg(a.raw('dilations')), n, cf, 'dilations'),
    padding: paddingArg(a, n),
  };
}

function axisOf(a: LayerArgs, name: string, rank: number): number {
  const d = valueToDim(a.raw(name));
  if (typeof d !== 'number') throw new Bail(unknown(`${a.owner}: ${name} not known`));
  return normDim(d, rank, a.owner);
}

function tensorsOf(v: Value, owner: string): TensorV[] {
  if (v.k === 'list' || v.k === 'tuple') {
    return v.items.map((t) => {
      if (t.k === 'tensor') return t;
      if (t.k === 'int' || t.k === 'float' || t.k === 'bool') return tensor([], t.k === 'int' ? 'int32' : t.k === 'bool' ? 'bool' : 'float32');
      if (t.k === 'unknown') throw new Bail(unknown(t.why));
      throw new Bail(unknown(`${owner}: a ${t.k} in the tensor list`));
    });
  }
  if (v.k === 'tensor') return [v];
  throw new Bail(unknown(`${owner}: tensors not known`));
}

// ---------------------------------------------------------------- rules

function convRule(n: number, strideName: string): Rule {
  return (a) => {
    const x = shaped(a, 'input');
    const f = shaped(a, 'filters', x.dtype);
    return tensor(tfNnConvShape(x.shape, f.shape, windowOptions(a, n, strideName), a.owner), x.dtype);
  };
}

/** tf.nn.convolution: the rank comes from the input (N + 2). */
const convolutionRule: Rule = (a) => {
  const x = shaped(a, 'input');
  const n = x.shape.length - 2;
  if (n < 1 || n > 3) throw new ShapeError(`convolution: input must be 3-D to 5-D, got ${formatShape(x.shape)}`, 'DL406');
  const f = shaped(a, 'filters', x.dtype);
  return tensor(tfNnConvShape(x.shape, f.shape, windowOptions(a, n), a.owner), x.dtype);
};

function convTransposeRule(n: number | null, strideName = 'strides'): Rule {
  return (a) => {
    const x = shaped(a, 'input');
    const rank = n ?? x.shape.length - 2;
    const f = shaped(a, 'filters', x.dtype);
    const os = shapeList(a.raw('output_shape'));
    if (!os) throw new Bail(tensor(null, x.dtype));
    return tensor(tfNnConvTransposeShape(x.shape, f.shape, os, windowOptions(a, rank, strideName), a.owner), x.dtype);
  };
}

const depthwiseRule: Rule = (a) => {
  const x = shaped(a, 'input');
  const f = shaped(a, 'filter', x.dtype);
  return tensor(tfDepthwiseConvShape(x.shape, f.shape, windowOptions(a, 2), a.owner), x.dtype);
};

function poolRule(n: number | null): Rule {
  return (a) => {
    const x = shaped(a, 'input');
    const rank = n ?? x.shape.length - 2;
    if (rank < 1 || rank > 3) throw new ShapeError(`${a.owner}: input must be 3-D to 5-D, got ${formatShape(x.shape)}`, 'DL406');
    const o = windowOptions(a, rank);
    const ksize = expandWindowArg(windowArg(a.raw('ksize')), rank, o.channelsFirst, 'ksize');
    return tensor(tfNnPoolShape(x.shape, ksize, o, a.owner), x.dtype);
  };
}

const matmulRule: Rule = (a) => {
  const x = tensorOf(a, 'a');
  const y = tensorOf(a, 'b');
  const dtype = resultType([x, y]);
  if (!x.shape || !y.shape) return tensor(null, dtype);
  const ta = a.bool('transpose_a') || a.bool('adjoint_a');
  const tb = a.bool('transpose_b') || a.bool('adjoint_b');
  return tensor(tfMatmulShape(x.shape, y.shape, ta, tb, a.owner), dtype);
};

/** `a @ b` on TensorFlow tensors: tf.matmul. */
export function tfMatmulOperator(x: TensorV, y: TensorV): TensorV {
  const dtype = resultType([x, y]);
  if (!x.shape || !y.shape) return tensor(null, dtype);
  return tensor(tfMatmulShape(x.shape, y.shape, false, false, 'matmul (@)'), dtype);
}

const binary = (op: string): Rule => (a) => binaryTensorOp(op, a.raw('x'), a.raw('y'));

/** Same shape and dtype as the input, given as `x`, `features` or `logits` (the names differ per op). */
const unaryKeep: Rule = (a) => {
  let v = a.raw('x');
  const kw = a.raw('kw');
  if (v.k === 'none' && kw.k === 'dict') {
    const i = kw.keys.findIndex((k) => k.k === 'str' && (k.v === 'features' || k.v === 'logits' || k.v === 'input'));
    if (i >= 0) v = kw.vals[i];
  }
  const x = tensorOf(new LayerArgs(new Map([['x', v]]), a.owner), 'x');
  return tensor(x.shape, x.dtype);
};

function reduceRule(kind: 'keep' | 'bool' | 'index'): Rule {
  return (a) => {
    const x = tensorOf(a, 'input_tensor');
    const dtype = kind === 'bool' ? 'bool' : x.dtype;
    if (!x.shape) return tensor(null, dtype);
    const dims = dimsArg(a.raw('axis'), x.shape.length, a.owner);
    return tensor(reduceShape(x.shape, dims, a.bool('keepdims')), dtype);
  };
}

/** tf.argmax / argmin: axis None means 0 (not "all"), output int64 by default. */
const argRule: Rule = (a) => {
  const x = tensorOf(a, 'input');
  const dt = tfDtype(a.raw('output_type')) ?? 'int64';
  if (!x.shape) return tensor(null, dt);
  const axis = a.isNone('axis') ? 0 : axisOf(a, 'axis', x.shape.length);
  return tensor(reduceShape(x.shape, [axis], false), dt);
};

const concatRule: Rule = (a) => {
  const ts = tensorsOf(a.raw('values'), a.owner);
  const dtype = resultType(ts);
  if (ts.some((t) => !t.shape)) return tensor(null, dtype);
  const ax = valueToDim(a.raw('axis'));
  if (typeof ax !== 'number') return tensor(null, dtype);
  const shapes = ts.map((t) => t.shape as Shape);
  const rank = shapes[0]?.length ?? 0;
  for (const s of shapes) {
    if (s.length !== rank) throw new ShapeError(`concat: Ranks of all input tensors should match: shape[0] = ${formatShape(shapes[0])} vs. ${formatShape(s)}`, 'DL406');
  }
  try {
    return tensor(catShapes(shapes, ax, 'concat'), dtype);
  } catch (e) {
    if (e instanceof ShapeError) throw new ShapeError(e.message, 'DL402');
    throw e;
  }
};

const stackRule: Rule = (a) => {
  const ts = tensorsOf(a.raw('values'), a.owner);
  const dtype = resultType(ts);
  if (ts.length === 0) throw new ShapeError('stack: values must not be empty', 'DL406');
  if (ts.some((t) => !t.shape)) return tensor(null, dtype);
  const first = ts[0].shape as Shape;
  for (const t of ts) {
    const s = t.shape as Shape;
    if (s.length !== first.length || s.some((d, i) => dimsConflict(d, first[i]))) {
      throw new ShapeError(`stack: Shapes of all inputs must match: values[0].shape = ${formatShape(first)} != ${formatShape(s)}`, 'DL406');
    }
  }
  const ax = valueToDim(a.raw('axis'));
  if (typeof ax !== 'number') return tensor(null, dtype);
  return tensor(unsqueezeShape(first, ax, 'stack').map((d, i) => (i === normDim(ax, first.length + 1, 'stack') ? ts.length : d)), dtype);
};

const unstackRule: Rule = (a) => {
  const x = shaped(a, 'value');
  const axis = axisOf(a, 'axis', x.shape.length);
  const given = valueToDim(a.raw('num'));
  const n = typeof given === 'number' ? given : x.shape[axis];
  if (typeof n !== 'number') return unknown('unstack along a dim of unknown size (pass num=)');
  if (typeof given === 'number' && dimsConflict(given, x.shape[axis])) throw new ShapeError(`unstack: num=${given} but the input has ${formatDim(x.shape[axis])} along axis ${axis}`, 'DL406');
  if (n > 4096) return unknown(`unstack into ${n} tensors is not modelled`);
  const rest = x.shape.filter((_, i) => i !== axis);
  return list(Array.from({ length: n }, () => tensor(rest, x.dtype)));
};

const splitRule: Rule = (a) => {
  const x = shaped(a, 'value');
  const axis = axisOf(a, 'axis', x.shape.length);
  const n = x.shape[axis];
  const s = a.raw('num_or_size_splits');
  const piece = (d: Dim) => tensor(x.shape.map((v, i) => (i === axis ? d : v)), x.dtype);
  if (s.k === 'list' || s.k === 'tuple') {
    const sizes = s.items.map(valueToDim);
    const neg = sizes.findIndex((d) => d === -1);
    if (neg >= 0) {
      const known = sizes.filter((_, i) => i !== neg).reduce<Dim>((acc, d) => addDims(acc, d), 0);
      sizes[neg] = subDims(n, known);
    }
    const total = sizes.reduce<Dim>((acc, d) => addDims(acc, d), 0);
    if (dimsConflict(total, n)) {
      throw new ShapeError(`split: Determined shape must either match input shape along split_dim exactly if fully specified, or be less than the size of the input along split_dim if not fully specified. Got: ${sizes.map(formatDim).join(' + ')} = ${formatDim(total)} vs. ${formatDim(n)} along axis ${axis}`, 'DL404');
    }
    return list(sizes.map(piece));
  }
  const k = valueToDim(s);
  if (typeof k !== 'number' || k <= 0) return unknown('split count not known');
  if (typeof n === 'number') {
    if (n % k !== 0) throw new ShapeError(`split: Number of ways to split should evenly divide the split dimension, but got split_dim ${axis} (size = ${n}) and num_split ${k}`, 'DL404');
    return list(Array.from({ length: k }, () => piece(n / k)));
  }
  const q = isUnknownDim(n) ? UNKNOWN_DIM : floorDivDims(n, k);
  return list(Array.from({ length: k }, () => piece(dimsEqual(mulDims(q, k), n) ? q : UNKNOWN_DIM)));
};

const reshapeRule: Rule = (a) => {
  const x = tensorOf(a, 'tensor');
  const target = shapeList(a.raw('shape'));
  if (!target) return tensor(null, x.dtype);
  if (!x.shape) return tensor(target.map((d) => (d === -1 ? UNKNOWN_DIM : d)), x.dtype);
  try {
    return tensor(reshapeShape(x.shape, target), x.dtype);
  } catch (e) {
    if (e instanceof ShapeError) throw new ShapeError(`reshape: ${e.message}`, 'DL404');
    throw e;
  }
};

const transposeRule: Rule = (a) => {
  const x = shaped(a, 'a');
  const perm = a.raw('perm');
  if (perm.k === 'none') return tensor([...x.shape].reverse(), x.dtype);
  const dims = shapeList(perm);
  if (!dims || dims.some((d) => typeof d !== 'number')) return tensor(null, x.dtype);
  if (dims.length !== x.shape.length) throw new ShapeError(`transpose: perm ${formatShape(dims)} has ${dims.length} entries for a rank-${x.shape.length} tensor ${formatShape(x.shape)}`, 'DL406');
  return tensor(permuteShape(x.shape, dims as number[]), x.dtype);
};

const expandDimsRule: Rule = (a) => {
  const x = shaped(a, 'input');
  const ax = valueToDim(a.raw('axis'));
  if (typeof ax !== 'number') return tensor(null, x.dtype);
  return tensor(unsqueezeShape(x.shape, ax, 'expand_dims'), x.dtype);
};

const squeezeRule: Rule = (a) => {
  const x = shaped(a, 'input');
  const axis = a.raw('axis');
  if (axis.k !== 'none') {
    const dims = dimsArg(axis, x.shape.length, 'squeeze') ?? [];
    for (const d of dims) {
      if (typeof x.shape[d] === 'number' && x.shape[d] !== 1) throw new ShapeError(`squeeze: Can not squeeze dim[${d}], expected a dimension of 1, got ${formatDim(x.shape[d])} (input ${formatShape(x.shape)})`, 'DL406');
    }
  }
  const s = squeezeShape(x.shape, axis, 'squeeze');
  return tensor(s, x.dtype);
};

const einsumRule: Rule = (a) => {
  const eq = a.str('equation');
  const ops = a.raw('inputs');
  let items = ops.k === 'tuple' ? ops.items : [];
  if (items.length === 1 && (items[0].k === 'list' || items[0].k === 'tuple')) items = (items[0] as { items: Value[] }).items;
  const ts = tensorsOf(list(items), 'einsum');
  const dtype = resultType(ts);
  if (eq === null || ts.some((t) => !t.shape)) return tensor(null, dtype);
  return tensor(einsumShape(eq, ts.map((t) => t.shape as Shape)), dtype);
};

/** Einsum with explicit or implicit output, `...` broadcasting; mismatched letters are DL406 errors. */
export function einsumShape(equation: string, shapes: Shape[]): Shape {
  const clean = equation.replace(/\s+/g, '');
  const [lhs, rhs] = clean.includes('->') ? clean.split('->') : [clean, undefined];
  const terms = lhs.split(',');
  if (terms.length !== shapes.length) throw new ShapeError(`einsum: ${terms.length} input subscripts for ${shapes.length} operands in '${equation}'`, 'DL406');
  const sizes = new Map<string, Dim>();
  const counts = new Map<string, number>();
  let ell: Shape | null = null;
  terms.forEach((term, i) => {
    const shape = shapes[i];
    const hasEll = term.includes('...');
    const letters = term.replace('...', '').split('');
    if (letters.some((c) => !/[a-zA-Z]/.test(c))) throw new Bail(unknown(`einsum: cannot parse '${equation}'`));
    if (hasEll ? letters.length > shape.length : letters.length !== shape.length) {
      throw new ShapeError(`einsum: subscripts '${term}' do not match the rank of operand ${i} ${formatShape(shape)}`, 'DL406');
    }
    const pre = hasEll ? term.indexOf('...') : letters.length;
    const nEll = shape.length - letters.length;
    if (hasEll) {
      const e = shape.slice(pre, pre + nEll);
      ell = ell ? broadcastShapes(ell, e) : e;
    }
    letters.forEach((c, j) => {
      const d = j < pre ? shape[j] : shape[j + nEll];
      counts.set(c, (counts.get(c) ?? 0) + 1);
      const prev = sizes.get(c);
      if (prev === undefined || prev === 1) sizes.set(c, d);
      else if (d !== 1 && dimsConflict(prev, d)) throw new ShapeError(`einsum: dimension '${c}' is ${formatDim(prev)} in one operand and ${formatDim(d)} in another ('${equation}', shapes ${shapes.map(formatShape).join(', ')})`, 'DL401');
    });
  });
  const outTerm = rhs ?? ((ell ? '...' : '') + [...counts.entries()].filter(([, n]) => n === 1).map(([c]) => c).sort().join(''));
  const out: Dim[] = [];
  for (let j = 0; j < outTerm.length; j++) {
    if (outTerm.startsWith('...', j)) {
      out.push(...((ell as Shape | null) ?? []));
      j += 2;
      continue;
    }
    const d = sizes.get(outTerm[j]);
    if (d === undefined) throw new ShapeError(`einsum: output subscript '${outTerm[j]}' does not appear in the inputs of '${equation}'`, 'DL406');
    out.push(d);
  }
  return out;
}

const tensordotRule: Rule = (a) => {
  const x = shaped(a, 'a');
  const y = shaped(a, 'b');
  const ax = a.raw('axes');
  const dtype = resultType([x, y]);
  let ia: number[];
  let ib: number[];
  if (ax.k === 'int' && typeof ax.v === 'number') {
    const n = ax.v;
    ia = Array.from({ length: n }, (_, i) => x.shape.length - n + i);
    ib = Array.from({ length: n }, (_, i) => i);
  } else if ((ax.k === 'list' || ax.k === 'tuple') && ax.items.length === 2) {
    const side = (v: Value, rank: number) => (shapeList(v) ?? []).map((d) => normDim(typeof d === 'number' ? d : 0, rank, 'tensordot'));
    ia = side(ax.items[0], x.shape.length);
    ib = side(ax.items[1], y.shape.length);
  } else return tensor(null, dtype);
  if (ia.length !== ib.length) throw new ShapeError('tensordot: axes lists must have the same length', 'DL406');
  ia.forEach((i, k) => {
    if (dimsConflict(x.shape[i], y.shape[ib[k]])) throw new ShapeError(`tensordot: contracted dims differ: ${formatDim(x.shape[i])} (a axis ${i}) vs ${formatDim(y.shape[ib[k]])} (b axis ${ib[k]})`, 'DL401');
  });
  return tensor([...x.shape.filter((_, i) => !ia.includes(i)), ...y.shape.filter((_, i) => !ib.includes(i))], dtype);
};

function creation(dtypeDefault: string): Rule {
  return (a) => {
    const s = shapeList(a.raw('shape'));
    const dt = tfDtype(a.raw('dtype')) ?? dtypeDefault;
    return tensor(s, dt);
  };
}

const fillRule: Rule = (a) => {
  const s = shapeList(a.raw('dims'));
  const v = a.raw('value');
  const dt = v.k === 'int' ? 'int32' : v.k === 'bool' ? 'bool' : v.k === 'tensor' ? v.dtype : 'float32';
  return tensor(s, dt);
};

const likeRule: Rule = (a) => {
  const x = tensorOf(a, 'input');
  return tensor(x.shape, tfDtype(a.raw('dtype')) ?? x.dtype);
};

/** tf.constant(value, dtype=None, shape=None): the literal's shape, or `shape` (a scalar is broadcast). */
const constantRule: Rule = (a) => {
  const v = a.raw('value');
  const dtGiven = tfDtype(a.raw('dtype'));
  const s = a.isNone('shape') ? null : shapeList(a.raw('shape'));
  if (v.k === 'unknown') return tensor(s, dtGiven ?? 'float32');
  const lit = literalShape(v);
  const dtype = dtGiven ?? (v.k === 'tensor' ? v.dtype : tfLiteralDtype(lit.dtype));
  return tensor(s ?? lit.shape, dtype);
};

const castRule: Rule = (a) => {
  const x = tensorOf(a, 'x');
  return tensor(x.shape, tfDtype(a.raw('dtype')) ?? x.dtype);
};

/**
 * Frames of a signal cut along one axis (tf.signal.frame, tf.signal.stft): frame_length samples
 * every frame_step, 1 + (n - frame_length) // frame_step of them, or ceil(n / frame_step) with
 * pad_end=True.
 */
function frameCount(n: Dim, frameLength: Dim, frameStep: Dim, padEnd: boolean): Dim {
  if (padEnd) return ceilDivDims(n, frameStep);
  if (typeof n === 'number' && typeof frameLength === 'number' && n < frameLength) return 0;
  return addDims(floorDivDims(subDims(n, frameLength), frameStep), 1);
}

/** tf.signal.frame(signal, frame_length, frame_step, pad_end=False, axis=-1): axis becomes (frames, frame_length). */
const signalFrameRule: Rule = (a) => {
  const x = tensorOf(a, 'signal');
  if (!x.shape) return tensor(null, x.dtype);
  if (x.shape.length === 0) throw new ShapeError('tf.signal.frame expects a signal of rank ≥ 1, got a scalar', 'DL406');
  const axis = normDim(a.int('axis') ?? -1, x.shape.length, 'tf.signal.frame');
  const fl = valueToDim(a.raw('frame_length'));
  const frames = frameCount(x.shape[axis], fl, valueToDim(a.raw('frame_step')), a.bool('pad_end') ?? false);
  return tensor([...x.shape.slice(0, axis), frames, fl, ...x.shape.slice(axis + 1)], x.dtype);
};

/**
 * tf.signal.stft(signals, frame_length, frame_step, fft_length=None, pad_end=False): the last
 * axis becomes (frames, fft_length // 2 + 1), complex64; fft_length defaults to the smallest
 * power of two ≥ frame_length.
 */
const stftRule: Rule = (a) => {
  const x = tensorOf(a, 'signals');
  if (!x.shape) return tensor(null, 'complex64');
  if (x.shape.length === 0) throw new ShapeError('tf.signal.stft expects a signal of rank ≥ 1, got a scalar', 'DL406');
  const fl = valueToDim(a.raw('frame_length'));
  let fft: Dim = UNKNOWN_DIM;
  if (!a.isNone('fft_length')) fft = valueToDim(a.raw('fft_length'));
  else if (typeof fl === 'number' && fl > 0) fft = 2 ** Math.ceil(Math.log2(fl));
  const n = x.shape[x.shape.length - 1];
  const frames = frameCount(n, fl, valueToDim(a.raw('frame_step')), a.bool('pad_end') ?? false);
  return tensor([...x.shape.slice(0, -1), frames, addDims(floorDivDims(fft, 2), 1)], 'complex64');
};

/** tf.signal.inverse_stft(stfts, frame_length, frame_step): (..., frames, bins) -> (..., (frames - 1) * frame_step + frame_length). */
const inverseStftRule: Rule = (a) => {
  const x = tensorOf(a, 'stfts');
  if (!x.shape) return tensor(null, 'float32');
  if (x.shape.length < 2) throw new ShapeError(`tf.signal.inverse_stft expects (..., frames, bins), got rank ${x.shape.length}`, 'DL406');
  const frames = x.shape[x.shape.length - 2];
  return tensor([...x.shape.slice(0, -2), addDims(mulDims(subDims(frames, 1), valueToDim(a.raw('frame_step'))), valueToDim(a.raw('frame_length')))], 'float32');
};

const shapeRule: Rule = (a) => {
  const x = a.raw('input');
  if (x.k === 'tensor' && x.shape) return tuple(x.shape.map((d) => int(d)));
  return unknown('tf.shape of a tensor of unknown rank');
};

const embeddingRule: Rule = (a) => {
  const params = tensorOf(a, 'params');
  const ids = tensorOf(a, 'ids');
  if (!params.shape || !ids.shape) return tensor(null, params.dtype);
  return tensor(embeddingLookupShape(params.shape, ids.shape), params.dtype);
};

const gatherRule: Rule = (a) => {
  const params = shaped(a, 'params');
  const idx = shaped(a, 'indices', params.dtype);
  const bd = valueToDim(a.raw('batch_dims'));
  const batchDims = typeof bd === 'number' ? bd : 0;
  const axis = a.isNone('axis') ? batchDims : axisOf(a, 'axis', params.shape.length);
  return tensor([...params.shape.slice(0, axis), ...idx.shape.slice(batchDims), ...params.shape.slice(axis + 1)], params.dtype);
};

/** tf.math.unsorted_segment_*(data, segment_ids, num_segments): [num_segments] + data.shape[segment_ids.ndim:]. */
const unsortedSegmentRule: Rule = (a) => {
  const data = shaped(a, 'data');
  const ids = shaped(a, 'segment_ids', data.dtype);
  if (ids.shape.length > data.shape.length) throw new ShapeError(`${a.owner}: segment_ids of rank ${ids.shape.length} on data of rank ${data.shape.length}`);
  return tensor([valueToDim(a.raw('num_segments')), ...data.shape.slice(ids.shape.length)], data.dtype);
};

/**
 * tf.dynamic_partition(data, partitions, num_partitions): num_partitions tensors, each
 * [rows of unknown count] + data.shape[partitions.ndim:] (keras.io MPNN splits its atoms by molecule).
 */
const dynamicPartitionRule: Rule = (a) => {
  const data = shaped(a, 'data');
  const parts = shaped(a, 'partitions', 'int32');
  if (parts.shape.length > data.shape.length) throw new ShapeError(`dynamic_partition: partitions of rank ${parts.shape.length} on data of rank ${data.shape.length}`, 'DL406');
  const n = valueToDim(a.raw('num_partitions'));
  if (typeof n !== 'number' || n < 1 || n > 4096) return unknown('dynamic_partition into a number of parts that is not known');
  const rest = data.shape.slice(parts.shape.length);
  return list(Array.from({ length: n }, () => tensor([UNKNOWN_DIM, ...rest], data.dtype)));
};

const oneHotRule: Rule = (a) => {
  const idx = shaped(a, 'indices', 'float32');
  const depth = valueToDim(a.raw('depth'));
  const out = [...idx.shape];
  const ax = valueToDim(a.raw('axis'));
  const pos = typeof ax === 'number' && ax !== -1 ? ax : out.length;
  out.splice(pos, 0, depth);
  return tensor(out, tfDtype(a.raw('dtype')) ?? 'float32');
};

const biasAddRule: Rule = (a) => {
  const x = shaped(a, 'value');
  const b = shaped(a, 'bias', x.dtype);
  return tensor(biasAddShape(x.shape, b.shape, channelsFirst(a), a.owner), x.dtype);
};

/** tf.nn.batch_normalization: x with mean, variance, offset, scale broadcast against it. */
const batchNormRule: Rule = (a) => {
  const x = tensorOf(a, 'x');
  const parts = ['x', 'mean', 'variance', 'offset', 'scale'].map((n) => a.raw(n)).filter((v) => v.k !== 'none');
  try {
    return tensor(elementwise(parts, x.dtype).shape, x.dtype);
  } catch (e) {
    if (e instanceof ShapeError) throw new ShapeError(`batch_normalization: ${e.message}`, 'DL402');
    throw e;
  }
};

const momentsRule: Rule = (a) => {
  const x = shaped(a, 'x');
  const dims = dimsArg(a.raw('axes'), x.shape.length, 'moments');
  const s = reduceShape(x.shape, dims, a.bool('keepdims'));
  return tuple([tensor(s, x.dtype), tensor(s, x.dtype)]);
};

const tileRule: Rule = (a) => {
  const x = shaped(a, 'input');
  const m = shapeList(a.raw('multiples'));
  if (!m) return tensor(null, x.dtype);
  if (m.length !== x.shape.length) throw new ShapeError(`tile: Expected multiples argument to be a vector of length ${x.shape.length} but got length ${m.length}`, 'DL406');
  return tensor(x.shape.map((d, i) => mulDims(d, m[i])), x.dtype);
};

const padRule: Rule = (a) => {
  const x = shaped(a, 'tensor');
  const pv = a.raw('paddings');
  if (pv.k !== 'list' && pv.k !== 'tuple') return tensor(null, x.dtype);
  if (pv.items.length !== x.shape.length) throw new ShapeError(`pad: paddings must have ${x.shape.length} [before, after] pairs for ${formatShape(x.shape)}, got ${pv.items.length}`, 'DL406');
  return tensor(x.shape.map((d, i) => {
    const pair = shapeList(pv.items[i]);
    return pair && pair.length === 2 ? addDims(addDims(d, pair[0]), pair[1]) : UNKNOWN_DIM;
  }), x.dtype);
};

const broadcastToRule: Rule = (a) => {
  const x = shaped(a, 'input');
  const s = shapeList(a.raw('shape'));
  if (!s) return tensor(null, x.dtype);
  return tensor(broadcastShapes(x.shape, s), x.dtype);
};

const whereRule: Rule = (a) => {
  const c = a.raw('condition');
  if (a.isNone('x') && a.isNone('y')) {
    const t = c.k === 'tensor' ? c : undefined;
    return tensor(t && t.shape ? [UNKNOWN_DIM, t.shape.length] : null, 'int64');
  }
  return elementwise([c, a.raw('x'), a.raw('y')].filter((v) => v.k !== 'none'), resultType([a.raw('x'), a.raw('y')].filter((v) => v.k === 'tensor')));
};

const crelu: Rule = (a) => {
  const x = shaped(a, 'features');
  const axis = axisOf(a, 'axis', x.shape.length);
  return tensor(x.shape.map((d, i) => (i === axis ? mulDims(d, 2) : d)), x.dtype);
};

/** tf.nn.softmax_cross_entropy_with_logits / sparse_...: one loss per example. */
const xentRule = (labelsRankLess: boolean): Rule => (a) => {
  const logits = shaped(a, 'logits');
  const labels = tensorOf(a, 'labels');
  if (labels.shape) {
    const want = labelsRankLess ? logits.shape.slice(0, -1) : logits.shape;
    if (labels.shape.length !== want.length || labels.shape.some((d, i) => dimsConflict(d, want[i]))) {
      throw new ShapeError(`${a.owner}: labels ${formatShape(labels.shape)} do not match logits ${formatShape(logits.shape)} (expected labels of shape ${formatShape(want)})`, 'DL410');
    }
  }
  return tensor(logits.shape.slice(0, -1), logits.dtype);
};

/**
 * tf.nn.depth_to_space / space_to_depth (NHWC or NCHW): depth_to_space moves block² channels into
 * a block × block spatial tile, (N, H, W, C) → (N, H·b, W·b, C / b²); space_to_depth the reverse.
 */
function blockRule(toSpace: boolean): Rule {
  return (a) => {
    const x = shaped(a, 'input');
    if (x.shape.length !== 4) throw new ShapeError(`${a.owner}: input must be 4-D, got ${formatShape(x.shape)}`, 'DL406');
    const bs = valueToDim(a.raw('block_size'));
    if (typeof bs !== 'number' || bs < 2) throw new Bail(tensor(null, x.dtype));
    const cf = channelsFirst(a);
    const [hi, wi, ci] = cf ? [2, 3, 1] : [1, 2, 3];
    const s = [...x.shape];
    const c = s[ci];
    if (toSpace) {
      if (typeof c === 'number' && c % (bs * bs) !== 0) throw new ShapeError(`depth_to_space: the depth ${c} is not divisible by block_size² = ${bs * bs}`, 'DL404');
      s[hi] = mulDims(s[hi], bs);
      s[wi] = mulDims(s[wi], bs);
      s[ci] = floorDivDims(c, bs * bs);
    } else {
      for (const i of [hi, wi]) {
        const d = s[i];
        if (typeof d === 'number' && d % bs !== 0) throw new ShapeError(`space_to_depth: the spatial size ${d} is not divisible by block_size ${bs}`, 'DL404');
        s[i] = floorDivDims(d, bs);
      }
      s[ci] = mulDims(c, bs * bs);
    }
    return tensor(s, x.dtype);
  };
}

/** tf.image.resize(images, size): (…, H, W, C) → (…, size[0], size[1], C), float32 unless nearest. */
const imageResizeRule: Rule = (a) => {
  const x = shaped(a, 'images');
  if (x.shape.length !== 3 && x.shape.length !== 4) throw new ShapeError(`resize: images must be 3-D or 4-D, got ${formatShape(x.shape)}`, 'DL406');
  const size = shapeList(a.raw('size'));
  const r = x.shape.length;
  // preserve_aspect_ratio fits inside size: the output size then depends on the input's values.
  if (!size || size.length !== 2 || a.bool('preserve_aspect_ratio')) return tensor([...x.shape.slice(0, r - 3), UNKNOWN_DIM, UNKNOWN_DIM, x.shape[r - 1]], 'float32');
  const nearest = (a.str('method') ?? 'bilinear') === 'nearest';
  return tensor([...x.shape.slice(0, r - 3), size[0], size[1], x.shape[r - 1]], nearest ? x.dtype : 'float32');
};

/** tf.reverse(tensor, axis): same shape (the axes must be in range). */
const reverseRule: Rule = (a) => {
  const x = shaped(a, 'tensor');
  const ax = a.raw('axis');
  for (const v of ax.k === 'list' || ax.k === 'tuple' ? ax.items : [ax]) {
    const d = valueToDim(v);
    if (typeof d === 'number') normDim(d, x.shape.length, a.owner);
  }
  return tensor(x.shape, x.dtype);
};

// ---------------------------------------------------------------- the table

const TABLE: Array<[string[], ParamDef[], Rule]> = [
  [['tensorflow.matmul', 'tensorflow.linalg.matmul'], [p('a'), p('b'), p('transpose_a', false), p('transpose_b', false), p('adjoint_a', false), p('adjoint_b', false), p('a_is_sparse', false), p('b_is_sparse', false), p('output_type', null), NAME], matmulRule],
  [['tensorflow.einsum', 'tensorflow.linalg.einsum'], [p('equation'), { name: 'inputs', star: '*' }, { name: 'kwargs', star: '**' }], einsumRule],
  [['tensorflow.tensordot', 'tensorflow.linalg.tensordot'], [p('a'), p('b'), p('axes'), NAME], tensordotRule],
  [['tensorflow.concat'], [p('values'), p('axis'), NAME], concatRule],
  [['tensorflow.stack'], [p('values'), p('axis', 0), NAME], stackRule],
  [['tensorflow.unstack'], [p('value'), p('num', null), p('axis', 0), NAME], unstackRule],
  [['tensorflow.split'], [p('value'), p('num_or_size_splits'), p('axis', 0), p('num', null), NAME], splitRule],
  [['tensorflow.reshape'], [p('tensor'), p('shape'), NAME], reshapeRule],
  [['tensorflow.transpose', 'tensorflow.linalg.transpose'], [p('a'), p('perm', null), p('conjugate', false), NAME], transposeRule],
  [['tensorflow.expand_dims'], [p('input'), p('axis'), NAME], expandDimsRule],
  [['tensorflow.squeeze'], [p('input'), p('axis', null), NAME], squeezeRule],
  [['tensorflow.tile'], [p('input'), p('multiples'), NAME], tileRule],
  [['tensorflow.pad'], [p('tensor'), p('paddings'), p('mode', 'CONSTANT'), p('constant_values', 0), NAME], padRule],
  [['tensorflow.broadcast_to'], [p('input'), p('shape'), NAME], broadcastToRule],
  [['tensorflow.where'], [p('condition'), p('x', null), p('y', null), NAME], whereRule],
  [['tensorflow.shape'], [p('input'), p('out_type', null), NAME], shapeRule],
  [['tensorflow.cast', 'tensorflow.dtypes.cast'], [p('x'), p('dtype'), NAME], castRule],
  [['tensorflow.identity', 'tensorflow.stop_gradient'], [p('x'), NAME], unaryKeep],
  [['tensorflow.signal.frame'], [p('signal'), p('frame_length'), p('frame_step'), p('pad_end', false), p('pad_value', 0), p('axis', -1), NAME], signalFrameRule],
  [['tensorflow.signal.stft'], [p('signals'), p('frame_length'), p('frame_step'), p('fft_length', null), p('window_fn', null), p('pad_end', false), NAME], stftRule],
  [['tensorflow.signal.inverse_stft'], [p('stfts'), p('frame_length'), p('frame_step'), p('fft_length', null), p('window_fn', null), NAME], inverseStftRule],
  [['tensorflow.signal.linear_to_mel_weight_matrix'], [p('num_mel_bins', 20), p('num_spectrogram_bins', 129), p('sample_rate', 8000), p('lower_edge_hertz', 125.0), p('upper_edge_hertz', 3800.0), p('dtype', 'float32'), NAME],
    (a) => tensor([valueToDim(a.raw('num_spectrogram_bins')), valueToDim(a.raw('num_mel_bins'))], 'float32')],
  [['tensorflow.clip_by_value'], [p('x'), p('clip_value_min'), p('clip_value_max'), NAME], unaryKeep],
  [['tensorflow.clip_by_norm'], [p('x'), p('clip_norm'), p('axes', null), NAME], unaryKeep],
  [['tensorflow.constant'], [p('value'), p('dtype', null), p('shape', null), NAME], constantRule],
  [['tensorflow.convert_to_tensor'], [p('value'), p('dtype', null), p('dtype_hint', null), NAME], constantRule],
  [['tensorflow.zeros', 'tensorflow.ones'], [p('shape'), p('dtype', 'float32'), NAME], creation('float32')],
  [['tensorflow.random.normal', 'tensorflow.random.truncated_normal'], [p('shape'), p('mean', 0.0), p('stddev', 1.0), p('dtype', 'float32'), p('seed', null), NAME], creation('float32')],
  [['tensorflow.random.uniform'], [p('shape'), p('minval', 0), p('maxval', null), p('dtype', 'float32'), p('seed', null), NAME], creation('float32')],
  [['tensorflow.random.stateless_normal', 'tensorflow.random.stateless_uniform'], [p('shape'), p('seed'), { name: 'kw', star: '**' }], creation('float32')],
  [['tensorflow.fill'], [p('dims'), p('value'), NAME], fillRule],
  [['tensorflow.zeros_like', 'tensorflow.ones_like'], [p('input'), p('dtype', null), NAME], likeRule],
  [['tensorflow.eye', 'tensorflow.linalg.eye'], [p('num_rows'), p('num_columns', null), p('batch_shape', null), p('dtype', 'float32'), NAME], (a) => tensor([a.dim('num_rows'), a.isNone('num_columns') ? a.dim('num_rows') : a.dim('num_columns')], tfDtype(a.raw('dtype')) ?? 'float32')],
  [['tensorflow.range'], [p('start'), p('limit', null), p('delta', 1), p('dtype', null), NAME], (a) => {
    const s = valueToDim(a.raw('start'));
    const l = a.isNone('limit') ? s : valueToDim(a.raw('limit'));
    const st = a.isNone('limit') ? 0 : s;
    const d = valueToDim(a.raw('delta'));
    const len = typeof l === 'number' && typeof st === 'number' && typeof d === 'number' && d !== 0 ? Math.max(0, Math.ceil((l - st) / d)) : d === 1 && !a.isNone('limit') ? subDims(l, st) : a.isNone('limit') ? s : UNKNOWN_DIM;
    return tensor([len], tfDtype(a.raw('dtype')) ?? 'int32');
  }],
  [['tensorflow.argmax', 'tensorflow.math.argmax', 'tensorflow.argmin', 'tensorflow.math.argmin'], [p('input'), p('axis', null), p('output_type', 'int64'), NAME], argRule],
  [['tensorflow.one_hot'], [p('indices'), p('depth'), p('on_value', null), p('off_value', null), p('axis', null), p('dtype', null), NAME], oneHotRule],
  [['tensorflow.gather'], [p('params'), p('indices'), p('validate_indices', null), p('axis', null), p('batch_dims', 0), NAME], gatherRule],
  [['sum', 'mean', 'max', 'min', 'prod', 'sqrt_n'].flatMap((r) => [`tensorflow.math.unsorted_segment_${r}`, `tensorflow.unsorted_segment_${r}`]),
    [p('data'), p('segment_ids'), p('num_segments'), NAME], unsortedSegmentRule],
  [['tensorflow.dynamic_partition'], [p('data'), p('partitions'), p('num_partitions'), NAME], dynamicPartitionRule],
  [['tensorflow.nn.embedding_lookup'], [p('params'), p('ids'), p('max_norm', null), NAME], embeddingRule],
  // tf.nn convolutions and pooling
  [['tensorflow.nn.conv1d'], [p('input'), p('filters'), p('stride'), p('padding'), p('data_format', 'NWC'), p('dilations', null), NAME], convRule(1, 'stride')],
  [['tensorflow.nn.conv2d'], [p('input'), p('filters'), p('strides'), p('padding'), p('data_format', 'NHWC'), p('dilations', null), NAME], convRule(2, 'strides')],
  [['tensorflow.nn.conv3d'], [p('input'), p('filters'), p('strides'), p('padding'), p('data_format', 'NDHWC'), p('dilations', null), NAME], convRule(3, 'strides')],
  [['tensorflow.nn.convolution'], [p('input'), p('filters'), p('strides', null), p('padding', 'VALID'), p('data_format', null), p('dilations', null), NAME], convolutionRule],
  [['tensorflow.nn.depthwise_conv2d'], [p('input'), p('filter'), p('strides'), p('padding'), p('data_format', null), p('dilations', null), NAME], depthwiseRule],
  [['tensorflow.nn.conv1d_transpose'], [p('input'), p('filters'), p('output_shape'), p('strides'), p('padding', 'SAME'), p('data_format', 'NWC'), p('dilations', null), NAME], convTransposeRule(1)],
  [['tensorflow.nn.conv2d_transpose'], [p('input'), p('filters'), p('output_shape'), p('strides'), p('padding', 'SAME'), p('data_format', 'NHWC'), p('dilations', null), NAME], convTransposeRule(2)],
  [['tensorflow.nn.conv3d_transpose'], [p('input'), p('filters'), p('output_shape'), p('strides'), p('padding', 'SAME'), p('data_format', 'NDHWC'), p('dilations', null), NAME], convTransposeRule(3)],
  [['tensorflow.nn.conv_transpose'], [p('input'), p('filters'), p('output_shape'), p('strides'), p('padding', 'SAME'), p('data_format', null), p('dilations', null), NAME], convTransposeRule(null)],
  [['tensorflow.nn.max_pool1d', 'tensorflow.nn.avg_pool1d'], [p('input'), p('ksize'), p('strides'), p('padding'), p('data_format', 'NWC'), NAME], poolRule(1)],
  [['tensorflow.nn.max_pool2d', 'tensorflow.nn.avg_pool2d'], [p('input'), p('ksize'), p('strides'), p('padding'), p('data_format', 'NHWC'), NAME], poolRule(2)],
  [['tensorflow.nn.max_pool3d', 'tensorflow.nn.avg_pool3d'], [p('input'), p('ksize'), p('strides'), p('padding'), p('data_format', 'NDHWC'), NAME], poolRule(3)],
  [['tensorflow.nn.max_pool', 'tensorflow.nn.avg_pool', 'tensorflow.nn.pool'], [p('input'), p('ksize'), p('strides'), p('padding'), p('data_format', null), NAME], poolRule(null)],
  [['tensorflow.nn.depth_to_space', 'tensorflow.compat.v1.depth_to_space'], [p('input'), p('block_size'), p('data_format', 'NHWC'), NAME], blockRule(true)],
  [['tensorflow.nn.space_to_depth', 'tensorflow.compat.v1.space_to_depth'], [p('input'), p('block_size'), p('data_format', 'NHWC'), NAME], blockRule(false)],
  [['tensorflow.image.resize'], [p('images'), p('size'), p('method', 'bilinear'), p('preserve_aspect_ratio', false), p('antialias', false), NAME], imageResizeRule],
  [['tensorflow.reverse'], [p('tensor'), p('axis'), NAME], reverseRule],
  [['tensorflow.nn.bias_add'], [p('value'), p('bias'), p('data_format', null), NAME], biasAddRule],
  [['tensorflow.nn.batch_normalization'], [p('x'), p('mean'), p('variance'), p('offset'), p('scale'), p('variance_epsilon'), NAME], batchNormRule],
  [['tensorflow.nn.moments'], [p('x'), p('axes'), p('shift', null), p('keepdims', false), NAME], momentsRule],
  [['tensorflow.nn.dropout'], [p('x'), p('rate', 0.5), p('noise_shape', null), p('seed', null), NAME], unaryKeep],
  [['tensorflow.nn.crelu'], [p('features'), NAME, p('axis', -1)], crelu],
  [['tensorflow.nn.softmax_cross_entropy_with_logits'], [p('labels'), p('logits'), p('axis', -1), NAME], xentRule(false)],
  [['tensorflow.nn.sparse_softmax_cross_entropy_with_logits'], [p('labels'), p('logits'), NAME], xentRule(true)],
  [['tensorflow.nn.sigmoid_cross_entropy_with_logits'], [p('labels'), p('logits'), NAME], (a) => elementwise([a.raw('labels'), a.raw('logits')])],
];

// Reductions: tf.reduce_* and tf.math.reduce_* (input_tensor, axis=None, keepdims=False).
for (const [name, kind] of [['sum', 'keep'], ['mean', 'keep'], ['max', 'keep'], ['min', 'keep'], ['prod', 'keep'], ['std', 'keep'], ['variance', 'keep'], ['logsumexp', 'keep'], ['euclidean_norm', 'keep'], ['any', 'bool'], ['all', 'bool']] as const) {
  TABLE.push([[`tensorflow.reduce_${name}`, `tensorflow.math.reduce_${name}`], [p('input_tensor'), p('axis', null), p('keepdims', false), NAME], reduceRule(kind)]);
}
// Elementwise binary arithmetic with broadcasting.
for (const [names, op] of [
  [['add', 'math.add'], '+'], [['subtract', 'math.subtract'], '-'], [['multiply', 'math.multiply'], '*'],
  [['divide', 'math.divide', 'truediv', 'math.truediv'], '/'], [['floordiv', 'math.floordiv'], '//'], [['pow', 'math.pow'], '**'],
  [['maximum', 'math.maximum'], '+'], [['minimum', 'math.minimum'], '+'], [['squared_difference', 'math.squared_difference'], '-'],
  [['math.divide_no_nan'], '/'], [['mod', 'math.floormod'], '%'],
] as const) {
  TABLE.push([names.map((n) => `tensorflow.${n}`), [p('x'), p('y'), NAME], binary(op)]);
}
for (const [names, op] of [[['equal', 'math.equal'], '=='], [['not_equal', 'math.not_equal'], '!='], [['greater', 'math.greater'], '>'], [['less', 'math.less'], '<'], [['greater_equal', 'math.greater_equal'], '>='], [['less_equal', 'math.less_equal'], '<=']] as const) {
  TABLE.push([names.map((n) => `tensorflow.${n}`), [p('x'), p('y'), NAME], binary(op)]);
}
// Elementwise unary ops and activations: same shape and dtype.
const UNARY = ['relu', 'relu6', 'elu', 'selu', 'gelu', 'silu', 'swish', 'sigmoid', 'tanh', 'softplus', 'softsign', 'leaky_relu', 'log_sigmoid', 'exp', 'log', 'sqrt', 'rsqrt', 'abs', 'square', 'negative', 'sign', 'floor', 'ceil', 'round', 'sin', 'cos', 'reciprocal', 'erf', 'log1p', 'expm1', 'logical_not'];
for (const name of UNARY) {
  TABLE.push([[`tensorflow.nn.${name}`, `tensorflow.math.${name}`, `tensorflow.${name}`], [p('x', null), { name: 'rest', star: '*' }, { name: 'kw', star: '**' }], unaryKeep]);
}
for (const name of ['softmax', 'log_softmax', 'l2_normalize', 'local_response_normalization', 'lrn']) {
  TABLE.push([[`tensorflow.nn.${name}`, `tensorflow.math.${name}`, `tensorflow.linalg.${name}`], [p('x', null), { name: 'rest', star: '*' }, { name: 'kw', star: '**' }], unaryKeep]);
}

export const TF_OPS: ReadonlyMap<string, OpSpec> = new Map(
  TABLE.flatMap(([names, signature, fn]) => names.map((name) => [name, { name, signature, call: (a: LayerArgs) => fn(a) }] as const)),
);

