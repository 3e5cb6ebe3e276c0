// keras.ops.*, tf.* and numpy ops as used in Keras `call` methods, mapped onto the
// shared tensor-op rules (torch's tables, the same shape arithmetic): each entry is
// the op's own signature plus how its arguments name the shared op's arguments.

import { type TensorV, type Value, MAX_TENSOR_VALUES, NONE, TENSOR_VALUES, bool, int, list, tensor, tuple, unknown, withValues } from '../../eval/values';
import { LayerArgs, ShapeError, bindArgs, type OpSpec, type ParamDef, valueToDim } from '../spec';
import { Bail, TORCH_OPS, elementwise as broadcastOp, literalShape, reduceShape, resultType } from '../torch/functional';
import { binaryTensorOp } from '../torch/tensor';
import { type Dim, type Shape, UNKNOWN_DIM, addDims, floorDivDims, formatShape, isNoneDim, mulDims, prodDims, subDims, sym } from '../../shapes/dim';
import { broadcastShapes, normDim, permuteShape } from '../../shapes/broadcast';
import { tfConvOutDim } from '../../shapes/ops';

type Mapper = (a: LayerArgs) => Value;

const p = (name: string, ...d: [unknown?]): ParamDef => (d.length ? { name, default: d[0] } : { name });

function torchOp(name: string, args: Record<string, Value>, positional: Value[] = []): Value {
  const op = TORCH_OPS.get(name);
  if (!op) return unknown(`${name} is not modelled`);
  const full = bindArgs(op.signature, positional, new Map(Object.entries(args)));
  return op.call(new LayerArgs(full, name));
}

/** A shape argument (tuple/list of ints, None for an unknown batch) as an int tuple. */
function shapeArg(v: Value, noneDim: Dim): Value {
  if (v.k === 'tuple' || v.k === 'list') return tuple(v.items.map((x) => (x.k === 'none' ? int(noneDim) : x)));
  if (v.k === 'int') return tuple([v]);
  return v;
}

const elementwise = (): Mapper => (a) => {
  const x = a.raw('x');
  return x.k === 'tensor' ? x : unknown('elementwise op on a non-tensor');
};

const binary = (op: string): Mapper => (a) => binaryTensorOp(op, a.raw('x'), a.raw('y'));

const scalarOf = (v: Value): number | null => (v.k === 'int' && typeof v.v === 'number' ? v.v : v.k === 'float' ? v.v : v.k === 'bool' ? (v.v ? 1 : 0) : null);
const COMPARE_FNS: Record<string, (x: number, y: number) => boolean> = {
  '==': (x, y) => x === y, '!=': (x, y) => x !== y, '>': (x, y) => x > y, '<': (x, y) => x < y, '>=': (x, y) => x >= y, '<=': (x, y) => x <= y,
};

/**
 * keras.ops.equal & co.: on two Python numbers (static dims such as `x.shape[-1]`) Keras
 * computes eagerly and the result is usable as a condition (keras.io MobileViT's
 * `if keras.ops.equal(x.shape[-1], output_channels) and strides == 1`); on tensors, a
 * broadcast bool tensor.
 */
const compare = (op: string): Mapper => (a) => {
  const x = a.raw('x1');
  const y = a.raw('x2');
  const nx = scalarOf(x);
  const ny = scalarOf(y);
  if (nx !== null && ny !== null) return bool(COMPARE_FNS[op](nx, ny));
  return binaryTensorOp(op, x, y);
};

function reduce(torchName: string): Mapper {
  return (a) => {
    const axis = a.raw('axis');
    const x = a.raw('x');
    if (axis.k === 'none') {
      // No axis: reduce everything (a scalar, or all ones with keepdims).
      if (x.k !== 'tensor' || !x.shape) return unknown('reduction of an unknown tensor');
      return tensor(a.bool('keepdims') ? x.shape.map(() => 1) : [], x.dtype);
    }
    return torchOp(torchName, { input: x, dim: axis, keepdim: a.raw('keepdims') });
  };
}

function creation(dtype: string): Mapper {
  return (a) => {
    const s = shapeArg(a.raw('shape'), sym('None'));
    if (s.k !== 'tuple') return unknown('creation op with an unknown shape');
    return tensor(s.items.map((x) => (x.k === 'int' ? x.v : sym('?'))), dtype);
  };
}

/**
 * keras.ops.fft / fft2 / rfft / irfft: a (real, imag) pair of tensors in, a pair out; `last`
 * maps the last axis (rfft: n // 2 + 1 after adding 1 below; irfft: the signal length).
 */
function fftPair(x: Value, last: ((n: Dim) => Dim) | null, inverse = false): Value {
  const parts = x.k === 'tuple' || x.k === 'list' ? x.items : [x];
  const re = parts[0];
  if (!re || re.k !== 'tensor') return unknown('fft of something that is not a (real, imag) pair of tensors');
  if (!re.shape || !last) return tuple([re, tensor(re.shape, re.dtype)]);
  const n = re.shape[re.shape.length - 1];
  const m = inverse ? last(n) : addDims(last(n), 1);
  const shape = [...re.shape.slice(0, -1), m];
  return inverse ? tensor(shape, re.dtype) : tuple([tensor(shape, re.dtype), tensor(shape, re.dtype)]);
}

/**
 * keras.ops.reshape / tf.reshape. The element-count check needs every dim; where the input has
 * None dims (all written with one symbol, though they are different sizes) and that check
 * fails, Keras takes the target as given, -1 and unknown entries None
 * (keras/src/ops/operation_utils.py compute_reshape_output_shape): keras.io ESPCN's
 * DepthToSpace reshapes (batch, h, w, depth) read from ops.shape of a (None, None, None, 9) map.
 */
function kerasReshape(x: Value, target: Value): Value {
  const asGiven = (): Value | undefined => {
    if (x.k !== 'tensor' || !x.shape || !x.shape.some((d) => isNoneDim(d) || d === UNKNOWN_DIM) || target.k !== 'tuple') return undefined;
    return tensor(target.items.map((it) => (it.k === 'int' && typeof it.v === 'number' && it.v >= 0 ? it.v : NONE_DIM)), x.dtype);
  };
  try {
    const r = torchOp('torch.reshape', { input: x, shape: target });
    return r.k === 'unknown' ? asGiven() ?? r : r;
  } catch (e) {
    const r = e instanceof ShapeError ? asGiven() : undefined;
    if (r) return r;
    throw e;
  }
}
const NONE_DIM = sym('None');

/**
 * keras.ops.linspace(start, stop, num): numpy's semantics, values included when the bounds and
 * the count are numbers (keras.applications ConvNeXt's stochastic-depth rates,
 * `[float(x) for x in linspace(0.0, drop_path_rate, sum(depths))]`, decide layer by layer
 * whether a block gets StochasticDepth or a linear Activation).
 */
function kerasLinspace(a: LayerArgs): Value {
  const num = a.raw('num');
  if (a.bool('retstep')) return unknown('keras.ops.linspace(retstep=True) is not modelled');
  const count = numberOf(num);
  // numpy raises on a negative or fractional count: no concrete shape from it.
  if (count !== null && (count < 0 || !Number.isInteger(count))) return unknown(`keras.ops.linspace: num must be a non-negative integer, got ${count}`);
  if (a.raw('endpoint').k === 'bool' && !a.bool('endpoint')) {
    const s = numberOf(a.raw('start'));
    const e = numberOf(a.raw('stop'));
    const t = tensor([valueToDim(num)], a.str('dtype') ?? 'float32');
    // (A count that is known is a non-negative integer by now.)
    if (s === null || e === null || count === null || count > MAX_TENSOR_VALUES) return t;
    return withValues(t, Array.from({ length: count }, (_x, i) => s + ((e - s) * i) / count));
  }
  const r = torchOp('torch.linspace', { start: a.raw('start'), end: a.raw('stop'), steps: num });
  return withDtype(r, a.str('dtype') ?? 'float32');
}

/** The op's tensor with another dtype, its known element values kept. */
function withDtype(r: Value, dtype: string): Value {
  if (r.k !== 'tensor' || r.dtype === dtype) return r;
  const t: TensorV = { ...r, dtype };
  const vals = TENSOR_VALUES.get(r);
  return vals ? withValues(t, /^(?:u?int|long)/.test(dtype) ? vals.map(Math.trunc) : vals) : t;
}

function numberOf(v: Value): number | null {
  return v.k === 'int' && typeof v.v === 'number' ? v.v : v.k === 'float' ? v.v : null;
}

/** Every op: names it answers to, its signature, and the mapping. */
const TABLE: Array<[string[], ParamDef[], Mapper]> = [
  [['keras.ops.concatenate'], [p('xs'), p('axis', 0)], (a) => torchOp('torch.cat', { tensors: a.raw('xs'), dim: a.raw('axis') })],
  [['tensorflow.concat'], [p('xs'), p('axis')], (a) => torchOp('torch.cat', { tensors: a.raw('xs'), dim: a.raw('axis') })],
  [['keras.ops.stack', 'tensorflow.stack'], [p('xs'), p('axis', 0)], (a) => torchOp('torch.stack', { tensors: a.raw('xs'), dim: a.raw('axis') })],
  [['keras.ops.reshape', 'tensorflow.reshape'], [p('x'), p('shape')], (a) => kerasReshape(a.raw('x'), shapeArg(a.raw('shape'), sym('None')))],
  [['keras.ops.transpose', 'tensorflow.transpose'], [p('x'), p('axes', null)], (a) => {
    const x = a.raw('x');
    let axes = a.raw('axes');
    if (axes.k === 'none') {
      if (x.k !== 'tensor' || !x.shape) return unknown('transpose of an unknown rank');
      axes = tuple(x.shape.map((_, i) => int(x.shape!.length - 1 - i)));
    }
    return torchOp('torch.permute', { input: x, dims: axes });
  }],
  [['keras.ops.expand_dims', 'tensorflow.expand_dims'], [p('x'), p('axis')], (a) => torchOp('torch.unsqueeze', { input: a.raw('x'), dim: a.raw('axis') })],
  [['keras.ops.squeeze', 'tensorflow.squeeze'], [p('x'), p('axis', null)], (a) => {
    const axis = a.raw('axis');
    return torchOp('torch.squeeze', { input: a.raw('x'), ...(axis.k === 'none' ? {} : { dim: axis }) });
  }],
  [['keras.ops.linspace'], [p('start'), p('stop'), p('num', 50), p('endpoint', true), p('retstep', false), p('dtype', null), p('axis', 0)], kerasLinspace],
  [['keras.ops.arange'], [p('start'), p('stop', null), p('step', 1), p('dtype', null)], (a) => {
    const nums = [a.raw('start'), ...(a.isNone('stop') ? [] : [a.raw('stop'), a.raw('step')])];
    if (!a.isNone('stop') && numberOf(a.raw('step')) === 0) return unknown('keras.ops.arange: step must not be zero');
    const r = torchOp('torch.arange', {}, nums);
    return withDtype(r, a.str('dtype') ?? (nums.every((v) => v.k === 'int') ? 'int32' : 'float32'));
  }],
  [['keras.ops.matmul', 'tensorflow.matmul', 'tensorflow.linalg.matmul'], [p('x'), p('y')], (a) => torchOp('torch.matmul', { input: a.raw('x'), other: a.raw('y') })],
  [['keras.ops.einsum', 'tensorflow.einsum'], [p('subscripts'), { name: 'operands', star: '*' }], (a) => {
    const ops = a.raw('operands');
    return torchOp('torch.einsum', {}, [a.raw('subscripts'), ...(ops.k === 'tuple' ? ops.items : [])]);
  }],
  [['keras.ops.mean', 'tensorflow.reduce_mean', 'tensorflow.math.reduce_mean'], [p('x'), p('axis', null), p('keepdims', false)], reduce('torch.mean')],
  [['keras.ops.sum', 'tensorflow.reduce_sum', 'tensorflow.math.reduce_sum'], [p('x'), p('axis', null), p('keepdims', false)], reduce('torch.sum')],
  [['keras.ops.max', 'tensorflow.reduce_max', 'tensorflow.math.reduce_max'], [p('x'), p('axis', null), p('keepdims', false)], reduce('torch.amax')],
  [['keras.ops.min', 'tensorflow.reduce_min'], [p('x'), p('axis', null), p('keepdims', false)], reduce('torch.amin')],
  [['keras.ops.add', 'tensorflow.add', 'tensorflow.math.add'], [p('x'), p('y')], binary('+')],
  [['keras.ops.subtract', 'tensorflow.subtract', 'tensorflow.math.subtract'], [p('x'), p('y')], binary('-')],
  [['keras.ops.multiply', 'tensorflow.multiply', 'tensorflow.math.multiply'], [p('x'), p('y')], binary('*')],
  [['keras.ops.divide', 'tensorflow.divide', 'tensorflow.math.divide'], [p('x'), p('y')], binary('/')],
  // keras.ops.power(x1, x2): elementwise, broadcast (keras/src/ops/numpy.py).
  [['keras.ops.power'], [p('x1'), p('x2')], (a) => binaryTensorOp('**', a.raw('x1'), a.raw('x2'))],
  [['keras.ops.maximum', 'tensorflow.maximum'], [p('x'), p('y')], binary('+')],
  [['keras.ops.minimum', 'tensorflow.minimum'], [p('x'), p('y')], binary('+')],
  ...([['equal', '=='], ['not_equal', '!='], ['greater', '>'], ['less', '<'], ['greater_equal', '>='], ['less_equal', '<=']] as const).map(
    ([n, op]): [string[], ParamDef[], Mapper] => [[`keras.ops.${n}`], [p('x1'), p('x2')], compare(op)]),
  [['keras.ops.shape', 'tensorflow.shape'], [p('x')], (a) => {
    const x = a.raw('x');
    return x.k === 'tensor' && x.shape ? tuple(x.shape.map((d) => int(d))) : unknown('shape of an unknown tensor');
  }],
  [['keras.ops.cast', 'tensorflow.cast'], [p('x'), p('dtype', null)], (a) => castRule(a.raw('x'), a.str('dtype'))],
  [['keras.ops.zeros', 'keras.ops.ones', 'tensorflow.zeros', 'tensorflow.ones', 'tensorflow.random.normal', 'tensorflow.random.uniform', 'keras.random.normal', 'keras.random.uniform', 'numpy.zeros', 'numpy.ones', 'numpy.empty', 'numpy.random.random'],
    [p('shape')], creation('float32')],
  [['numpy.random.rand', 'numpy.random.randn'], [{ name: 'dims', star: '*' }], (a) => {
    const d = a.raw('dims');
    return d.k === 'tuple' ? tensor(d.items.map((x) => (x.k === 'int' ? x.v : sym('?'))), 'float64') : unknown('rand');
  }],
  [['numpy.random.normal', 'numpy.random.uniform'], [p('loc', 0), p('scale', 1), p('size', null)], (a) => creation('float64')(new LayerArgs(new Map([['shape', a.raw('size')]]), 'np.random'))],
  [['numpy.random.randint', 'tensorflow.random.uniform_int'], [p('low'), p('high', null), p('size', null)], (a) => creation('int64')(new LayerArgs(new Map([['shape', a.raw('size')]]), 'np.random.randint'))],
  [['keras.ops.flatten'], [p('x')], (a) => torchOp('torch.flatten', { input: a.raw('x') })],
  [['keras.ops.zeros_like', 'keras.ops.ones_like', 'tensorflow.zeros_like', 'tensorflow.ones_like', 'numpy.zeros_like', 'numpy.ones_like'],
    [p('x'), p('dtype', null)], (a) => {
      const x = a.raw('x');
      const dt = a.str('dtype');
      return x.k === 'tensor' ? tensor(x.shape, dt ?? x.dtype) : unknown('*_like of a non-tensor');
    }],
  [['keras.ops.full_like', 'numpy.full_like'], [p('x'), p('fill_value'), p('dtype', null)], (a) => {
    const x = a.raw('x');
    const dt = a.str('dtype');
    return x.k === 'tensor' ? tensor(x.shape, dt ?? x.dtype) : unknown('full_like of a non-tensor');
  }],
  [['keras.ops.tensordot', 'tensorflow.tensordot', 'numpy.tensordot'], [p('x1'), p('x2'), p('axes', 2)], (a) =>
    torchOp('torch.tensordot', { a: a.raw('x1'), b: a.raw('x2'), dims: a.raw('axes') })],
  [['keras.ops.broadcast_to', 'tensorflow.broadcast_to', 'numpy.broadcast_to'], [p('x'), p('shape')], (a) =>
    torchOp('torch.broadcast_to', { input: a.raw('x'), size: shapeArg(a.raw('shape'), sym('None')) })],
];

for (const name of ['relu', 'relu6', 'sigmoid', 'tanh', 'gelu', 'silu', 'swish', 'elu', 'selu', 'softplus', 'softsign', 'exp', 'log', 'sqrt', 'abs', 'square', 'negative', 'leaky_relu', 'hard_sigmoid', 'mish']) {
  TABLE.push([[`keras.ops.${name}`, `keras.activations.${name}`, `tensorflow.nn.${name}`, `tensorflow.math.${name}`, `tensorflow.${name}`], [p('x'), { name: 'rest', star: '*' }, { name: 'kw', star: '**' }], elementwise()]);
}
for (const name of ['softmax', 'log_softmax']) {
  TABLE.push([[`keras.ops.${name}`, `keras.activations.${name}`, `tensorflow.nn.${name}`], [p('x'), p('axis', -1)], elementwise()]);
}
TABLE.push([['keras.activations.linear', 'keras.activations.exponential', 'keras.activations.relu6', 'keras.activations.hard_silu', 'keras.activations.log_sigmoid'], [p('x'), { name: 'rest', star: '*' }, { name: 'kw', star: '**' }], elementwise()]);
TABLE.push([['keras.ops.dropout', 'tensorflow.nn.dropout'], [p('x'), { name: 'rest', star: '*' }, { name: 'kw', star: '**' }], elementwise()]);

/** Two sizes from an int or a pair (`size=4`, `(4, 4)`), or from tf's four-item `[1, k, k, 1]`. */
function pair(v: Value): [Dim, Dim] | undefined {
  const n = (x: Value): Dim | undefined => (x.k === 'int' ? x.v : undefined);
  if (v.k === 'int') return [v.v, v.v];
  if (v.k !== 'tuple' && v.k !== 'list') return undefined;
  const items = v.items.length === 4 ? v.items.slice(1, 3) : v.items;
  const [a, b] = items.map(n);
  return items.length === 2 && a !== undefined && b !== undefined ? [a, b] : undefined;
}

/**
 * keras.ops.image.extract_patches / tf.image.extract_patches on channels-last images:
 * (…, H, W, C) to (…, H', W', kh · kw · C), the windows placed as a convolution places them
 * (stride defaults to the patch size in Keras).
 */
function extractPatches(sizeArg: string, strideArg: string, rateArg: string): Mapper {
  return (a) => {
    const x = a.raw('images');
    if (x.k !== 'tensor' || !x.shape) return unknown('extract_patches of an unknown tensor');
    if (x.shape.length !== 3 && x.shape.length !== 4) throw new ShapeError(`extract_patches expects images of rank 3 or 4, got rank ${x.shape.length}`);
    if (a.str('data_format') === 'channels_first') return unknown('extract_patches with channels_first');
    const k = pair(a.raw(sizeArg));
    const st = a.isNone(strideArg) ? k : pair(a.raw(strideArg));
    const rate = pair(a.raw(rateArg));
    if (!k || !st || !rate) return unknown('extract_patches sizes not known');
    const padding = (a.str('padding') ?? 'valid').toLowerCase() === 'same' ? 'same' : 'valid';
    const r = x.shape.length;
    const [h, w, c] = x.shape.slice(r - 3);
    return tensor([...x.shape.slice(0, r - 3), tfConvOutDim(h, k[0], st[0], padding, rate[0]), tfConvOutDim(w, k[1], st[1], padding, rate[1]), mulDims(mulDims(k[0], k[1]), c)], x.dtype);
  };
}
TABLE.push([['keras.ops.image.extract_patches'], [p('images'), p('size'), p('strides', null), p('dilation_rate', 1), p('padding', 'valid'), p('data_format', null)], extractPatches('size', 'strides', 'dilation_rate')]);
TABLE.push([['tensorflow.image.extract_patches'], [p('images'), p('sizes'), p('strides'), p('rates'), p('padding'), p('name', null)], extractPatches('sizes', 'strides', 'rates')]);

// ---------------------------------------------------------------- more keras.ops (numpy semantics)

type Known = TensorV & { shape: Shape };

/** The named argument as a tensor of known shape; Python scalars are 0-d. null when not known. */
function known(a: LayerArgs, name: string): Known | null {
  const v = a.raw(name);
  if (v.k === 'int') return tensor([], 'int32') as Known;
  if (v.k === 'float') return tensor([], 'float32') as Known;
  if (v.k === 'tensor' && v.shape) return v as Known;
  return null;
}

/** cast(x, dtype): a tensor keeps its shape; a Python number or nested list becomes a tensor of the
 *  literal's shape first, as convert_to_tensor does (keras.io captioning scales embeddings by
 *  `ops.sqrt(ops.cast(embed_dim, "float32"))`, a scalar). */
function castRule(x: Value, dtype: string | null | undefined): Value {
  if (x.k === 'tensor') return { ...x, dtype: dtype ?? x.dtype };
  if (x.k === 'int' || x.k === 'float' || x.k === 'bool' || x.k === 'list' || x.k === 'tuple') {
    const lit = literalShape(x);
    if (lit.shape) return tensor(lit.shape, dtype ?? (lit.dtype === 'int64' ? 'int32' : lit.dtype));
  }
  return unknown('cast of a non-tensor');
}

/** The first argument (`x`) of a shape rule: the rule runs only on a known shape, else a tensor of unknown shape. */
function onShape(name: string, rule: (x: Known, a: LayerArgs) => Value): Mapper {
  return (a) => {
    const x = a.raw(name);
    if (x.k === 'tensor' && !x.shape) return tensor(null, x.dtype);
    const k = known(a, name);
    return k ? rule(k, a) : unknown(`${a.owner}: ${name} is not a tensor`);
  };
}

const keep = (name = 'x'): Mapper => onShape(name, (x) => tensor(x.shape, x.dtype));

function intOf(v: Value): number | null {
  const d = valueToDim(v);
  return typeof d === 'number' ? d : null;
}

function intsOf(v: Value): number[] | null {
  const items = v.k === 'list' || v.k === 'tuple' ? v.items : [v];
  const out = items.map(intOf);
  return out.every((x): x is number => x !== null) ? out : null;
}

/** An axis or tuple of axes normalised against a rank; null for None. */
function axesArg(v: Value, rank: number, owner: string): number[] | null {
  if (v.k === 'none') return null;
  const xs = intsOf(v);
  if (!xs) throw new Bail(unknown(`${owner}: axis not known`));
  return xs.map((d) => normDim(d, rank, owner));
}

/** numpy-style reduction (axis None = all). */
const npReduce = (xName: string, dtype?: string): Mapper => onShape(xName, (x, a) => tensor(reduceShape(x.shape, axesArg(a.raw('axis'), x.shape.length, a.owner), a.bool('keepdims')), dtype ?? x.dtype));

/** numpy.tile: repeats shorter than the rank are padded with 1s on the left, longer ones promote x. */
const tileOp = onShape('x', (x, a) => {
  const reps = intsOf(a.raw('repeats'));
  if (!reps) return tensor(null, x.dtype);
  const n = Math.max(reps.length, x.shape.length);
  const xs: Dim[] = [...Array(n - x.shape.length).fill(1), ...x.shape];
  const rs = [...Array(n - reps.length).fill(1), ...reps];
  return tensor(xs.map((d, i) => mulDims(d, rs[i])), x.dtype);
});

/** numpy.repeat: axis None flattens first; an int repeats every entry, a list gives each entry's count. */
const repeatOp = onShape('x', (x, a) => {
  const r = a.raw('repeats');
  const axis = a.raw('axis');
  const shape = axis.k === 'none' ? [prodDims(x.shape)] : x.shape;
  const ax = axis.k === 'none' ? 0 : normDim(intOf(axis) ?? NaN, x.shape.length, a.owner);
  const n = intOf(r);
  let d: Dim = UNKNOWN_DIM;
  if (n !== null) d = mulDims(shape[ax], n);
  else if (r.k === 'list' || r.k === 'tuple') {
    const all = intsOf(r);
    if (all) d = all.reduce((s, v) => s + v, 0);
  }
  return tensor(shape.map((v, i) => (i === ax ? d : v)), x.dtype);
});

/** numpy.pad: pad_width an int, a (before, after) pair for every axis, or one per axis. */
const padOp = onShape('x', (x, a) => {
  const pw = a.raw('pad_width');
  const pairOf = (v: Value): [Dim, Dim] | null => {
    const n = intOf(v);
    if (n !== null) return [n, n];
    if ((v.k === 'list' || v.k === 'tuple') && v.items.length <= 2 && v.items.length > 0) {
      const b = valueToDim(v.items[0]);
      const e = valueToDim(v.items[v.items.length - 1]);
      return [b, e];
    }
    return null;
  };
  let pairs: Array<[Dim, Dim] | null>;
  const single = pairOf(pw);
  if (single && (intOf(pw) !== null || ((pw.k === 'list' || pw.k === 'tuple') && pw.items.every((v) => v.k !== 'list' && v.k !== 'tuple')))) pairs = x.shape.map(() => single);
  else if (pw.k === 'list' || pw.k === 'tuple') {
    pairs = pw.items.length === 1 ? x.shape.map(() => pairOf(pw.items[0])) : pw.items.map(pairOf);
    if (pairs.length !== x.shape.length) throw new ShapeError(`pad: pad_width has ${pairs.length} pairs for a rank-${x.shape.length} input ${formatShape(x.shape)}`, 'DL406');
  } else return tensor(null, x.dtype);
  return tensor(x.shape.map((d, i) => {
    const pr = pairs[i];
    return pr ? addDims(addDims(d, pr[0]), pr[1]) : UNKNOWN_DIM;
  }), x.dtype);
});

const swapaxesOp = onShape('x', (x, a) => {
  const i = intOf(a.raw('axis1'));
  const j = intOf(a.raw('axis2'));
  if (i === null || j === null) return tensor(null, x.dtype);
  const r = x.shape.length;
  const s = [...x.shape];
  const [p, q] = [normDim(i, r, a.owner), normDim(j, r, a.owner)];
  [s[p], s[q]] = [s[q], s[p]];
  return tensor(s, x.dtype);
});

/** numpy.moveaxis: the source axes go to the destination positions, the others keep their order. */
const moveaxisOp = onShape('x', (x, a) => {
  const r = x.shape.length;
  const src = intsOf(a.raw('source'))?.map((d) => normDim(d, r, a.owner));
  const dst = intsOf(a.raw('destination'))?.map((d) => normDim(d, r, a.owner));
  if (!src || !dst || src.length !== dst.length) return tensor(null, x.dtype);
  const order: number[] = [];
  const rest = x.shape.map((_, i) => i).filter((i) => !src.includes(i));
  const pairs = dst.map((d, k) => [d, src[k]] as const).sort((p, q) => p[0] - q[0]);
  for (let i = 0, k = 0; i < r; i++) {
    const hit = pairs.find((p) => p[0] === i);
    order.push(hit ? hit[1] : rest[k++]);
  }
  return tensor(permuteShape(x.shape, order), x.dtype);
});

/** one_hot(x, num_classes, axis=-1): a new axis of num_classes (at the end by default). */
const oneHotOp = onShape('x', (x, a) => {
  const depth = valueToDim(a.raw('num_classes'));
  const ax = intOf(a.raw('axis')) ?? -1;
  const s = [...x.shape];
  s.splice(ax < 0 ? s.length + 1 + ax : ax, 0, depth);
  return tensor(s, a.str('dtype') ?? 'float32');
});

/** where(condition, x1, x2): broadcast of the three; with x1 and x2 None, the indices of the true entries. */
const whereOp: Mapper = (a) => {
  if (a.isNone('x1') && a.isNone('x2')) {
    const c = a.raw('condition');
    return c.k === 'tensor' && c.shape ? tuple(c.shape.map(() => tensor([UNKNOWN_DIM], 'int64'))) : unknown('where of an unknown rank');
  }
  return broadcastOp([a.raw('condition'), a.raw('x1'), a.raw('x2')], resultType([a.raw('x1'), a.raw('x2')].filter((v) => v.k === 'tensor')));
};

/** cumsum / cumprod: axis None flattens. */
const cumOp = onShape('x', (x, a) => tensor(a.isNone('axis') ? [prodDims(x.shape)] : x.shape, a.str('dtype') ?? x.dtype));

/** take(x, indices, axis=None): axis None indexes the flattened x. */
const takeOp = onShape('x', (x, a) => {
  const idx = a.raw('indices');
  const is: Shape | null = idx.k === 'int' ? [] : idx.k === 'tensor' ? idx.shape : idx.k === 'list' || idx.k === 'tuple' ? literalShape(idx).shape : null;
  if (!is) return tensor(null, x.dtype);
  if (a.isNone('axis')) return tensor(is, x.dtype);
  const ax = normDim(intOf(a.raw('axis')) ?? NaN, x.shape.length, a.owner);
  return tensor([...x.shape.slice(0, ax), ...is, ...x.shape.slice(ax + 1)], x.dtype);
});

/**
 * take_along_axis(x, indices, axis=None) (keras/src/ops/numpy.py TakeAlongAxis.compute_output_shape):
 * x and indices of one rank, broadcast against each other on every axis but `axis`, which takes
 * the indices' size; with axis=None, x is flattened and the output has the indices' shape.
 */
const takeAlongAxisOp = onShape('x', (x, a) => {
  const idx = a.raw('indices');
  const is: Shape | null = idx.k === 'tensor' ? idx.shape : idx.k === 'list' || idx.k === 'tuple' ? literalShape(idx).shape : null;
  if (!is) return tensor(null, x.dtype);
  if (a.isNone('axis')) return tensor(is, x.dtype);
  if (is.length !== x.shape.length) throw new ShapeError(`${a.owner}: indices of rank ${is.length} for x of rank ${x.shape.length} (they must have the same rank)`, 'DL406');
  const ax = normDim(intOf(a.raw('axis')) ?? NaN, x.shape.length, a.owner);
  const out = broadcastShapes(x.shape.map((d, i) => (i === ax ? 1 : d)), is.map((d, i) => (i === ax ? 1 : d)));
  out[ax] = is[ax];
  return tensor(out, x.dtype);
});

/** segment_sum / segment_max(data, segment_ids, num_segments): [num_segments] + data.shape[ids.ndim:] (None when num_segments is not given). */
const segmentOp = onShape('data', (x, a) => {
  const ids = a.raw('segment_ids');
  const rank = ids.k === 'tensor' && ids.shape ? ids.shape.length : ids.k === 'list' || ids.k === 'tuple' ? 1 : null;
  if (rank === null) return tensor(null, x.dtype);
  if (rank > x.shape.length) throw new ShapeError(`${a.owner}: segment_ids of rank ${rank} on data of rank ${x.shape.length}`, 'DL406');
  return tensor([a.isNone('num_segments') ? UNKNOWN_DIM : valueToDim(a.raw('num_segments')), ...x.shape.slice(rank)], x.dtype);
});

/** slice(inputs, start_indices, shape): the output has the given shape. */
const sliceOp = onShape('inputs', (x, a) => {
  const s = a.raw('shape');
  if (s.k !== 'list' && s.k !== 'tuple') return tensor(null, x.dtype);
  return tensor(s.items.map((v, i) => {
    const d = valueToDim(v);
    return d === -1 ? x.shape[i] ?? UNKNOWN_DIM : d;
  }), x.dtype);
});

/** unstack(x, num=None, axis=0): a list of the slices along the axis. */
const unstackOp = onShape('x', (x, a) => {
  const ax = normDim(intOf(a.raw('axis')) ?? 0, x.shape.length, a.owner);
  const n = intOf(a.raw('num')) ?? x.shape[ax];
  if (typeof n !== 'number' || n > 4096) return unknown('unstack along a dim of unknown size');
  const rest = x.shape.filter((_, i) => i !== ax);
  return list(Array.from({ length: n }, () => tensor(rest, x.dtype)));
});

/** top_k(x, k): (values, indices), the last axis k. */
const topKOp = onShape('x', (x, a) => {
  const k = valueToDim(a.raw('k'));
  const s = [...x.shape.slice(0, -1), k];
  return tuple([tensor(s, x.dtype), tensor(s, 'int32')]);
});

/** numpy.split: an int gives equal sections (it must divide the axis), a list the indices to cut at. */
const splitOp = onShape('x', (x, a) => {
  const ax = normDim(intOf(a.raw('axis')) ?? 0, x.shape.length, a.owner);
  const n = x.shape[ax];
  const piece = (d: Dim) => tensor(x.shape.map((v, i) => (i === ax ? d : v)), x.dtype);
  const v = a.raw('indices_or_sections');
  const k = intOf(v);
  if (k !== null) {
    if (k <= 0 || k > 4096) return unknown('split count not known');
    if (typeof n === 'number' && n % k !== 0) throw new ShapeError(`split: array split does not result in an equal division (${n} along axis ${ax} into ${k})`, 'DL404');
    return list(Array.from({ length: k }, () => piece(typeof n === 'number' ? n / k : floorDivDims(n, k))));
  }
  const cuts = intsOf(v);
  if (!cuts || (v.k !== 'list' && v.k !== 'tuple')) return unknown('split indices not known');
  const bounds: Dim[] = [0, ...cuts, n];
  return list(bounds.slice(1).map((e, i) => piece(typeof e === 'number' && typeof n === 'number' ? Math.max(0, Math.min(e, n) - Math.min(bounds[i] as number, n)) : subDims(e, bounds[i]))));
});

/** keras.ops.image.resize: (…, H, W, C) → (…, size[0], size[1], C), or channels_first. */
const imageResizeOp = onShape('images', (x, a) => {
  if (x.shape.length !== 3 && x.shape.length !== 4) throw new ShapeError(`image.resize expects images of rank 3 or 4, got ${formatShape(x.shape)}`, 'DL406');
  const size = a.raw('size');
  const hw = size.k === 'list' || size.k === 'tuple' ? size.items.map(valueToDim) : null;
  if (!hw || hw.length !== 2) return tensor(null, x.dtype);
  const s = [...x.shape];
  const base = s.length === 4 ? 1 : 0;
  const hi = a.str('data_format') === 'channels_first' ? base + 1 : base;
  s[hi] = hw[0];
  s[hi + 1] = hw[1];
  return tensor(s, x.dtype);
});

/** keras.ops.average_pool / max_pool (channels_last): the window arithmetic of a pooling layer. */
const poolOp = onShape('inputs', (x, a) => {
  const n = x.shape.length - 2;
  if (n < 1 || n > 3) throw new ShapeError(`${a.owner}: inputs must be 3-D to 5-D, got ${formatShape(x.shape)}`, 'DL406');
  const expand = (v: Value): number[] | null => {
    const xs = intsOf(v);
    return xs && (xs.length === 1 ? Array(n).fill(xs[0]) : xs.length === n ? xs : null);
  };
  const k = expand(a.raw('pool_size'));
  const st = a.isNone('strides') ? k : expand(a.raw('strides'));
  if (!k || !st) return tensor(null, x.dtype);
  const padding = (a.str('padding') ?? 'valid').toLowerCase() === 'same' ? 'same' : 'valid';
  const cf = a.str('data_format') === 'channels_first';
  const sp = cf ? x.shape.slice(2) : x.shape.slice(1, -1);
  const out = sp.map((d, i) => tfConvOutDim(d, k[i], st[i], padding, 1));
  return tensor(cf ? [x.shape[0], x.shape[1], ...out] : [x.shape[0], ...out, x.shape[x.shape.length - 1]], x.dtype);
});

/** keras.ops.conv(inputs, kernel): kernel (*window, in, out); the output has `out` channels on the window arithmetic. */
const convOp = onShape('inputs', (x, a) => {
  const n = x.shape.length - 2;
  const k = a.raw('kernel');
  if (n < 1 || n > 3 || k.k !== 'tensor' || !k.shape || k.shape.length !== n + 2) return tensor(null, x.dtype);
  const expand = (v: Value): number[] | null => {
    const xs = intsOf(v);
    return xs && (xs.length === 1 ? Array(n).fill(xs[0]) : xs.length === n ? xs : null);
  };
  const st = expand(a.raw('strides'));
  const dil = expand(a.raw('dilation_rate'));
  if (!st || !dil) return tensor(null, x.dtype);
  const padding = (a.str('padding') ?? 'valid').toLowerCase() === 'same' ? 'same' : 'valid';
  const cf = a.str('data_format') === 'channels_first';
  const sp = cf ? x.shape.slice(2) : x.shape.slice(1, -1);
  const outSp = sp.map((d, i) => tfConvOutDim(d, k.shape![i], st[i], padding, dil[i]));
  const c = k.shape[n + 1];
  return tensor(cf ? [x.shape[0], c, ...outSp] : [x.shape[0], ...outSp, c], x.dtype);
});

const X_REST: ParamDef[] = [p('x'), { name: 'rest', star: '*' }, { name: 'kw', star: '**' }];

TABLE.push(
  [['keras.ops.clip'], [p('x'), p('x_min'), p('x_max')], keep()],
  [['keras.ops.normalize'], [p('x'), p('axis', -1), p('order', 2), p('epsilon', null)], keep()],
  [['keras.ops.flip'], [p('x'), p('axis', null)], keep()],
  [['keras.ops.roll'], [p('x'), p('shift'), p('axis', null)], keep()],
  [['keras.ops.tril', 'keras.ops.triu'], [p('x'), p('k', 0)], keep()],
  [['keras.ops.sort'], X_REST, keep()],
  [['keras.ops.floor', 'keras.ops.ceil', 'keras.ops.round', 'keras.ops.sign', 'keras.ops.sin', 'keras.ops.cos', 'keras.ops.tan', 'keras.ops.reciprocal', 'keras.ops.rsqrt', 'keras.ops.erf',
    'keras.ops.log1p', 'keras.ops.expm1', 'keras.ops.absolute', 'keras.ops.log_sigmoid', 'keras.ops.hard_silu', 'keras.ops.hard_swish', 'keras.ops.stop_gradient',
    'keras.ops.nan_to_num', 'keras.ops.copy', 'keras.ops.conj', 'keras.ops.real', 'keras.ops.logical_not', 'keras.ops.celu', 'keras.ops.sparse_plus', 'keras.ops.squareplus', 'keras.ops.tanh_shrink', 'keras.ops.soft_shrink', 'keras.ops.hard_shrink', 'keras.ops.hard_tanh', 'keras.ops.threshold'],
  X_REST, keep()],
  [['keras.ops.tile'], [p('x'), p('repeats')], tileOp],
  [['keras.ops.repeat'], [p('x'), p('repeats'), p('axis', null)], repeatOp],
  [['keras.ops.pad'], [p('x'), p('pad_width'), p('mode', 'constant'), p('constant_values', null)], padOp],
  [['keras.ops.swapaxes'], [p('x'), p('axis1'), p('axis2')], swapaxesOp],
  [['keras.ops.moveaxis'], [p('x'), p('source'), p('destination')], moveaxisOp],
  [['keras.ops.one_hot'], [p('x'), p('num_classes'), p('axis', -1), p('dtype', null), p('sparse', false)], oneHotOp],
  [['keras.ops.where'], [p('condition'), p('x1', null), p('x2', null)], whereOp],
  [['keras.ops.norm'], [p('x'), p('ord', null), p('axis', null), p('keepdims', false)], npReduce('x')],
  [['keras.ops.logsumexp'], [p('x'), p('axis', null), p('keepdims', false)], npReduce('x')],
  [['keras.ops.prod', 'keras.ops.std', 'keras.ops.var'], [p('x'), p('axis', null), p('keepdims', false), { name: 'kw', star: '**' }], npReduce('x')],
  [['keras.ops.any', 'keras.ops.all'], [p('x'), p('axis', null), p('keepdims', false)], npReduce('x', 'bool')],
  // keras.ops.moments(x, axes, keepdims=False): (mean, variance), each x reduced over axes (keras.io GauGAN's SPADE).
  [['keras.ops.moments'], [p('x'), p('axes'), p('keepdims', false), p('synchronized', false)], onShape('x', (x, a) => {
    const r = (): Value => tensor(reduceShape(x.shape, axesArg(a.raw('axes'), x.shape.length, a.owner), a.bool('keepdims')), x.dtype);
    return tuple([r(), r()]);
  })],
  [['keras.ops.argmax', 'keras.ops.argmin'], [p('x'), p('axis', null), p('keepdims', false)], npReduce('x', 'int32')],
  [['keras.ops.cumsum', 'keras.ops.cumprod'], [p('x'), p('axis', null), p('dtype', null)], cumOp],
  [['keras.ops.take'], [p('x'), p('indices'), p('axis', null)], takeOp],
  [['keras.ops.take_along_axis'], [p('x'), p('indices'), p('axis', null)], takeAlongAxisOp],
  [['keras.ops.slice'], [p('inputs'), p('start_indices'), p('shape')], sliceOp],
  [['keras.ops.segment_sum', 'keras.ops.segment_max'], [p('data'), p('segment_ids'), p('num_segments', null), p('sorted', false)], segmentOp],
  // A layer's weight (what add_weight returned) or a literal as a tensor (keras.io CCT's PositionEmbedding).
  [['keras.ops.convert_to_tensor'], [p('x'), p('dtype', null), p('sparse', null), p('ragged', null)], (a) => {
    const x = a.raw('x');
    if (x.k === 'tensor') return x;
    const lit = literalShape(x);
    return tensor(lit.shape, a.str('dtype') ?? (lit.dtype === 'int64' ? 'int32' : 'float32'));
  }],
  // The FFTs take and give (real, imag) pairs of one shape (keras.io FNet mixes tokens with fft2);
  // rfft halves the last axis to fft_length // 2 + 1, irfft gives fft_length (2 * (n - 1) by default).
  [['keras.ops.fft', 'keras.ops.fft2', 'keras.ops.ifft2'], [p('x')], (a) => fftPair(a.raw('x'), null)],
  [['keras.ops.rfft'], [p('x'), p('fft_length', null)], (a) => fftPair(a.raw('x'), (n) => floorDivDims(a.isNone('fft_length') ? n : valueToDim(a.raw('fft_length')), 2) as Dim)],
  [['keras.ops.irfft'], [p('x'), p('fft_length', null)], (a) => fftPair(a.raw('x'), (n) => (a.isNone('fft_length') ? mulDims(subDims(n, 1), 2) : valueToDim(a.raw('fft_length'))), true)],
  [['keras.ops.real', 'keras.ops.imag', 'tensorflow.math.real', 'tensorflow.math.imag', 'tensorflow.math.abs'], [p('x'), { name: 'rest', star: '*' }, { name: 'kw', star: '**' }], keep()],
  [['tensorflow.signal.fft', 'tensorflow.signal.fft2d', 'tensorflow.signal.fft3d', 'tensorflow.signal.ifft', 'tensorflow.signal.ifft2d', 'tensorflow.signal.ifft3d'], [p('input'), { name: 'kw', star: '**' }], keep('input')],
  [['keras.ops.unstack'], [p('x'), p('num', null), p('axis', 0)], unstackOp],
  [['keras.ops.top_k'], [p('x'), p('k'), p('sorted', true)], topKOp],
  [['keras.ops.split'], [p('x'), p('indices_or_sections'), p('axis', 0)], splitOp],
  [['keras.ops.image.resize'], [p('images'), p('size'), p('interpolation', 'bilinear'), p('antialias', false), p('crop_to_aspect_ratio', false), p('pad_to_aspect_ratio', false), p('fill_mode', 'constant'), p('fill_value', 0.0), p('data_format', null)], imageResizeOp],
  [['keras.ops.conv'], [p('inputs'), p('kernel'), p('strides', 1), p('padding', 'valid'), p('data_format', null), p('dilation_rate', 1)], convOp],
  [['keras.ops.average_pool', 'keras.ops.max_pool'], [p('inputs'), p('pool_size'), p('strides', null), p('padding', 'valid'), p('data_format', null)], poolOp],
);

// ---------------------------------------------------------------- keras.backend (tf.keras 2 / Keras 2)
// The backend's tensor functions, mapped onto the rules above. Their signatures differ from
// keras.ops: `concatenate(tensors, axis=-1)`, `expand_dims(x, axis=-1)`, `permute_dimensions(x, pattern)`.

const KB = (n: string) => `keras.backend.${n}`;

/** K.int_shape(x): the static shape as a tuple, None for unknown dims. */
const intShapeOp: Mapper = (a) => {
  const x = a.raw('x');
  if (x.k !== 'tensor' || !x.shape) return unknown('int_shape of a tensor of unknown shape');
  return tuple(x.shape.map((d) => (typeof d === 'number' ? int(d) : isNoneDim(d) ? NONE : int(d))));
};

/** K.repeat_elements(x, rep, axis): each slice along the axis repeated rep times. */
const repeatElementsOp = onShape('x', (x, a) => {
  const ax = normDim(intOf(a.raw('axis')) ?? NaN, x.shape.length, a.owner);
  return tensor(x.shape.map((d, i) => (i === ax ? mulDims(d, valueToDim(a.raw('rep'))) : d)), x.dtype);
});

/** K.repeat(x, n): (batch, dim) → (batch, n, dim). */
const kRepeatOp = onShape('x', (x, a) => {
  if (x.shape.length !== 2) throw new ShapeError(`repeat expects a 2-D input, got ${formatShape(x.shape)}`, 'DL406');
  return tensor([x.shape[0], valueToDim(a.raw('n')), x.shape[1]], x.dtype);
});

/** K.batch_flatten(x): (batch, prod(rest)). */
const batchFlattenOp = onShape('x', (x) => tensor([x.shape[0], prodDims(x.shape.slice(1))], x.dtype));

/** K.tile(x, n): n an int or one multiple per axis. */
const kTileOp = onShape('x', (x, a) => {
  const n = intsOf(a.raw('n'));
  if (!n) return tensor(null, x.dtype);
  const reps = n.length === 1 && x.shape.length > 1 ? x.shape.map((_, i) => (i === x.shape.length - 1 ? n[0] : 1)) : n;
  if (reps.length !== x.shape.length) return tensor(null, x.dtype);
  return tensor(x.shape.map((d, i) => mulDims(d, reps[i])), x.dtype);
});

/** K.spatial_2d_padding(x, padding=((1, 1), (1, 1))): pads rows and cols (channels_last unless data_format says). */
const spatial2dPaddingOp = onShape('x', (x, a) => {
  if (x.shape.length !== 4) throw new ShapeError(`spatial_2d_padding expects a 4-D input, got ${formatShape(x.shape)}`, 'DL406');
  const pv = a.raw('padding');
  const pairs = pv.k === 'tuple' || pv.k === 'list' ? pv.items.map((it) => intsOf(it)) : null;
  if (!pairs || pairs.length !== 2 || pairs.some((q) => !q || q.length !== 2)) return tensor(null, x.dtype);
  const first = a.str('data_format') === 'channels_first';
  const s = [...x.shape];
  const h = first ? 2 : 1;
  s[h] = addDims(s[h], pairs[0]![0] + pairs[0]![1]);
  s[h + 1] = addDims(s[h + 1], pairs[1]![0] + pairs[1]![1]);
  return tensor(s, x.dtype);
});

const kReduce = (dtype?: string): Mapper => npReduce('x', dtype);

TABLE.push(
  [[KB('int_shape')], [p('x')], intShapeOp],
  [[KB('shape')], [p('x')], (a) => torchLike('keras.ops.shape', a)],
  [[KB('ndim')], [p('x')], (a) => {
    const x = a.raw('x');
    return x.k === 'tensor' && x.shape ? int(x.shape.length) : unknown('ndim of a tensor of unknown rank');
  }],
  [['mean', 'sum', 'max', 'min', 'prod', 'std', 'var', 'logsumexp'].map(KB), [p('x'), p('axis', null), p('keepdims', false)], kReduce()],
  [['any', 'all'].map(KB), [p('x'), p('axis', null), p('keepdims', false)], kReduce('bool')],
  [['argmax', 'argmin'].map(KB), [p('x'), p('axis', -1)], onShape('x', (x, a) => tensor(reduceShape(x.shape, [normDim(intOf(a.raw('axis')) ?? -1, x.shape.length, a.owner)], false), 'int64'))],
  [['square', 'sqrt', 'exp', 'log', 'abs', 'sign', 'round', 'sigmoid', 'hard_sigmoid', 'tanh', 'softplus', 'softsign', 'elu', 'relu', 'selu', 'gelu', 'cos', 'sin',
    'stop_gradient', 'identity', 'pow', 'clip', 'l2_normalize', 'softmax', 'dropout', 'in_train_phase', 'in_test_phase', 'reverse', 'bias_add'].map(KB), X_REST, keep()],
  [['cumsum', 'cumprod'].map(KB), [p('x'), p('axis', 0)], keep()],
  [[KB('concatenate')], [p('tensors'), p('axis', -1)], (a) => torchOp('torch.cat', { tensors: a.raw('tensors'), dim: a.raw('axis') })],
  [[KB('stack')], [p('x'), p('axis', 0)], (a) => torchOp('torch.stack', { tensors: a.raw('x'), dim: a.raw('axis') })],
  [[KB('expand_dims')], [p('x'), p('axis', -1)], (a) => torchOp('torch.unsqueeze', { input: a.raw('x'), dim: a.raw('axis') })],
  [[KB('squeeze')], [p('x'), p('axis')], (a) => torchOp('torch.squeeze', { input: a.raw('x'), dim: a.raw('axis') })],
  [[KB('reshape')], [p('x'), p('shape')], (a) => torchOp('torch.reshape', { input: a.raw('x'), shape: shapeArg(a.raw('shape'), sym('None')) })],
  [[KB('permute_dimensions')], [p('x'), p('pattern')], (a) => torchOp('torch.permute', { input: a.raw('x'), dims: a.raw('pattern') })],
  [[KB('transpose')], [p('x')], onShape('x', (x) => tensor([...x.shape].reverse(), x.dtype))],
  [[KB('flatten')], [p('x')], onShape('x', (x) => tensor([prodDims(x.shape)], x.dtype))],
  [[KB('batch_flatten')], [p('x')], batchFlattenOp],
  [[KB('repeat_elements')], [p('x'), p('rep'), p('axis')], repeatElementsOp],
  [[KB('repeat')], [p('x'), p('n')], kRepeatOp],
  [[KB('tile')], [p('x'), p('n')], kTileOp],
  [[KB('dot')], [p('x'), p('y')], (a) => torchOp('torch.matmul', { input: a.raw('x'), other: a.raw('y') })],
  [[KB('one_hot')], [p('indices'), p('num_classes')], onShape('indices', (x, a) => tensor([...x.shape, valueToDim(a.raw('num_classes'))], 'float32'))],
  [['maximum', 'minimum', 'equal', 'not_equal', 'greater', 'less', 'greater_equal', 'less_equal'].map(KB), [p('x'), p('y')], binary('+')],
  [[KB('cast')], [p('x'), p('dtype')], (a) => castRule(a.raw('x'), a.str('dtype'))],
  [['zeros_like', 'ones_like'].map(KB), [p('x'), p('dtype', null), p('name', null)], keep()],
  [['zeros', 'ones', 'random_normal', 'random_uniform'].map(KB), [p('shape'), { name: 'rest', star: '*' }, { name: 'kw', star: '**' }], creation('float32')],
  [[KB('spatial_2d_padding')], [p('x'), p('padding', [[1, 1], [1, 1]]), p('data_format', null)], spatial2dPaddingOp],
);

/** A keras.ops rule reused under another name. */
function torchLike(name: string, a: LayerArgs): Value {
  const op = TABLE.find(([names]) => names.includes(name));
  return op ? op[2](a) : unknown(`${name} is not modelled`);
}

/** Keras 3 also exports its ops from submodules: `keras.ops.nn.sigmoid`, `keras.ops.numpy.reshape` are `keras.ops.sigmoid`, `keras.ops.reshape`. */
const OP_SUBMODULES = ['nn', 'numpy', 'core', 'math'];

export const KERAS_OPS: ReadonlyMap<string, OpSpec> = new Map(
  TABLE.flatMap(([names, signature, fn]) => names
    .flatMap((name) => (name.startsWith('keras.ops.') && !name.startsWith('keras.ops.image.') ? [name, ...OP_SUBMODULES.map((m) => `keras.ops.${m}.${name.slice(10)}`)] : [name]))
    .map((name) => [name, { name, signature, call: (a: LayerArgs) => fn(a) }] as const)),
);

/** Lets a caller know ShapeError and helper values come from here too. */
export { ShapeError, NONE, list };
