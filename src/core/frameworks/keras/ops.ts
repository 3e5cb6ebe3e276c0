// keras.ops.*, tf.* and numpy ops as used in Keras `call` methods, mapped onto the
// shared tensor-op rules (torch's tables, the same shape arithmetic): each entry is
// the op's own signature plus how its arguments name the shared op's arguments.

import { type Value, NONE, int, list, tensor, tuple, unknown } from '../../eval/values';
import { LayerArgs, ShapeError, bindArgs, type OpSpec, type ParamDef } from '../spec';
import { TORCH_OPS } from '../torch/functional';
import { binaryTensorOp } from '../torch/tensor';
import { sym, type Dim } from '../../shapes/dim';

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
];

for (const name of ['relu', 'relu6', 'sigmoid', 'tanh', 'gelu', 'silu', 'swish', 'elu', 'selu', 'softplus', 'softsign', 'exp', 'log', 'sqrt', 'abs', 'square', 'negative', 'leaky_relu', 'hard_sigmoid', 'mish']) {
  TABLE.push([[`keras.ops.${name}`, `keras.activations.${name}`, `tensorflow.nn.${name}`, `tensorflow.math.${name}`, `tensorflow.${name}`], [p('x'), { name: 'rest', star: '*' }, { name: 'kw', star: '**' }], elementwise()]);
}
for (const name of ['softmax', 'log_softmax']) {
  TABLE.push([[`keras.ops.${name}`, `keras.activations.${name}`, `tensorflow.nn.${name}`], [p('x'), p('axis', -1)], elementwise()]);
}
TABLE.push([['keras.ops.dropout', 'tensorflow.nn.dropout'], [p('x'), { name: 'rest', star: '*' }, { name: 'kw', star: '**' }], elementwise()]);

export const KERAS_OPS: ReadonlyMap<string, OpSpec> = new Map(
  TABLE.flatMap(([names, signature, fn]) => names.map((name) => [name, { name, signature, call: (a: LayerArgs) => fn(a) }] as const)),
);

/** Lets a caller know ShapeError and helper values come from here too. */
export { ShapeError, NONE, list };
