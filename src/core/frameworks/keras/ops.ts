// keras.ops.*, tf.* and numpy ops as used in Keras `call` methods, mapped onto the
// shared tensor-op rules (torch's tables, the same shape arithmetic): each entry is
// the op's own signature plus how its arguments name the shared op's arguments.

import { type Value, NONE, int, list, tensor, tuple, unknown } from '../../eval/values';
import { LayerArgs, ShapeError, bindArgs, type OpSpec, type ParamDef } from '../spec';
import { TORCH_OPS } from '../torch/functional';
import { binaryTensorOp } from '../torch/tensor';
import { mulDims, sym, type Dim } from '../../shapes/dim';
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

/** Every op: names it answers to, its signature, and the mapping. */
const TABLE: Array<[string[], ParamDef[], Mapper]> = [
  [['keras.ops.concatenate'], [p('xs'), p('axis', 0)], (a) => torchOp('torch.cat', { tensors: a.raw('xs'), dim: a.raw('axis') })],
  [['tensorflow.concat'], [p('xs'), p('axis')], (a) => torchOp('torch.cat', { tensors: a.raw('xs'), dim: a.raw('axis') })],
  [['keras.ops.stack', 'tensorflow.stack'], [p('xs'), p('axis', 0)], (a) => torchOp('torch.stack', { tensors: a.raw('xs'), dim: a.raw('axis') })],
  [['keras.ops.reshape', 'tensorflow.reshape'], [p('x'), p('shape')], (a) => torchOp('torch.reshape', { input: a.raw('x'), shape: shapeArg(a.raw('shape'), sym('None')) })],
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
  [['keras.ops.maximum', 'tensorflow.maximum'], [p('x'), p('y')], binary('+')],
  [['keras.ops.minimum', 'tensorflow.minimum'], [p('x'), p('y')], binary('+')],
  [['keras.ops.shape', 'tensorflow.shape'], [p('x')], (a) => {
    const x = a.raw('x');
    return x.k === 'tensor' && x.shape ? tuple(x.shape.map((d) => int(d))) : unknown('shape of an unknown tensor');
  }],
  [['keras.ops.cast', 'tensorflow.cast'], [p('x'), p('dtype', null)], (a) => {
    const x = a.raw('x');
    const dt = a.str('dtype');
    return x.k === 'tensor' ? { ...x, dtype: dt ?? x.dtype } : unknown('cast of a non-tensor');
  }],
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

/** Keras 3 also exports its ops from submodules: `keras.ops.nn.sigmoid`, `keras.ops.numpy.reshape` are `keras.ops.sigmoid`, `keras.ops.reshape`. */
const OP_SUBMODULES = ['nn', 'numpy', 'core', 'math'];

export const KERAS_OPS: ReadonlyMap<string, OpSpec> = new Map(
  TABLE.flatMap(([names, signature, fn]) => names
    .flatMap((name) => (name.startsWith('keras.ops.') && !name.startsWith('keras.ops.image.') ? [name, ...OP_SUBMODULES.map((m) => `keras.ops.${m}.${name.slice(10)}`)] : [name]))
    .map((name) => [name, { name, signature, call: (a: LayerArgs) => fn(a) }] as const)),
);

/** Lets a caller know ShapeError and helper values come from here too. */
export { ShapeError, NONE, list };
