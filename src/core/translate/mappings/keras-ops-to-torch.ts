// Weightless operation nodes of a Keras functional graph (`x + 3.0`, `keras.ops.relu6(x)`,
// `tf.nn.relu6(x)`, `keras.ops.mean(x, axis=1)`, see the Keras runtime's tensorOp) as PyTorch
// expressions. Tensor operands are `$0`, `$1`… in the order the graph records them; axes are
// written `{axis:N}` (Keras' channels-last numbering) and remapped by the emitter for the
// layout the tensor has in PyTorch. Unknown ops give undefined (the caller leaves a TODO).

import type { Value } from '../../eval/values';
import { basicIndexText } from '../pyfmt';

const BINARY: Record<string, string> = {
  Add: '+', Subtract: '-', Multiply: '*', TrueDivide: '/', Divide: '/', FloorDivide: '//', Power: '**', Matmul: '@', Mod: '%',
};
const UNARY_FN: Record<string, string> = {
  Relu: 'torch.relu', Relu6: 'F.relu6', Sigmoid: 'torch.sigmoid', Tanh: 'torch.tanh', Exp: 'torch.exp', Log: 'torch.log',
  Sqrt: 'torch.sqrt', Abs: 'torch.abs', Gelu: 'F.gelu', Silu: 'F.silu', Swish: 'F.silu', Softplus: 'F.softplus', Elu: 'F.elu',
  HardSigmoid: 'F.hardsigmoid', HardSwish: 'F.hardswish', HardSilu: 'F.hardswish', Rsqrt: 'torch.rsqrt', Erf: 'torch.erf',
};
const REDUCE: Record<string, string> = { Mean: 'mean', Sum: 'sum', Max: 'amax', Min: 'amin', Prod: 'prod', ReduceMean: 'mean', ReduceSum: 'sum', ReduceMax: 'amax', ReduceMin: 'amin' };

function literal(v: Value): string | undefined {
  switch (v.k) {
    case 'int':
      return typeof v.v === 'number' ? String(v.v) : undefined;
    case 'float':
      return Number.isInteger(v.v) ? `${v.v}.0` : String(v.v);
    case 'bool':
      return v.v ? 'True' : 'False';
    case 'none':
      return 'None';
    default:
      return undefined;
  }
}

/** The op's key: its class (`Add`, `Relu6`), or for a tf.keras TFOpLambda the function (`tf.nn.relu6` → `Relu6`). */
export function opKey(cls: string, nodeName: string): string {
  if (cls !== 'TFOpLambda') return cls;
  const last = nodeName.replace(/_\d+$/, '').split('.').pop() ?? '';
  const alias: Record<string, string> = { reduce_mean: 'Mean', reduce_sum: 'Sum', reduce_max: 'Max', reduce_min: 'Min', add: 'Add', subtract: 'Subtract', multiply: 'Multiply', divide: 'TrueDivide', truediv: 'TrueDivide' };
  return alias[last] ?? last.split('_').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
}

/**
 * The PyTorch expression for an op node, from its recorded arguments; undefined when the op
 * (or an argument) has no faithful mapping.
 */
export function opExpression(key: string, args: readonly Value[], kwargs: ReadonlyMap<string, Value>): { expr: string; wants?: 'cl' } | undefined {
  // Shape-changing ops see Keras' channels-last layout: the operand is permuted back first.
  if (key === 'Reshape' || key === 'Transpose') {
    const x = args[0];
    const spec = args[1] ?? kwargs.get(key === 'Reshape' ? 'shape' : 'perm') ?? kwargs.get('axes');
    if (!x || x.k !== 'tensor' || !spec || (spec.k !== 'tuple' && spec.k !== 'list')) return undefined;
    const dims = spec.items.map((v) => (v.k === 'int' && typeof v.v === 'number' ? v.v : null));
    if (dims.some((d) => d === null)) return undefined;
    const tuple = `(${dims.join(', ')}${dims.length === 1 ? ',' : ''})`;
    return { expr: key === 'Reshape' ? `$0.reshape${tuple}` : `$0.permute${tuple}`, wants: 'cl' };
  }
  // x[...] and einsum index the data as Keras holds it: the operand in Keras' order first.
  if (key === 'GetItem' || key === 'SlicingOpLambda') {
    const idx = args[1] ?? kwargs.get('slice_spec');
    const text = idx ? basicIndexText(idx.k === 'tuple' ? idx.items : [idx]) : undefined;
    return args[0]?.k === 'tensor' && text !== undefined ? { expr: `$0[${text}]`, wants: 'cl' } : undefined;
  }
  if (key === 'Einsum') {
    const eq = args[0];
    const ops = args.slice(1);
    if (!eq || eq.k !== 'str' || !ops.length || !ops.every((o) => o.k === 'tensor')) return undefined;
    return { expr: `torch.einsum(${JSON.stringify(eq.v)}, ${ops.map((_, i) => `$${i}`).join(', ')})`, wants: 'cl' };
  }
  const e = opExpr(key, args, kwargs);
  return e === undefined ? undefined : { expr: e };
}

function opExpr(key: string, args: readonly Value[], kwargs: ReadonlyMap<string, Value>): string | undefined {
  let t = 0;
  const operand = (v: Value | undefined): string | undefined => (v === undefined ? undefined : v.k === 'tensor' ? `$${t++}` : literal(v));
  const bin = BINARY[key];
  if (bin) {
    const a = operand(args[0]);
    const b = operand(args[1] ?? kwargs.get('x2') ?? kwargs.get('y'));
    return a !== undefined && b !== undefined && args.length <= 2 ? `(${a} ${bin} ${b})` : undefined;
  }
  if (key === 'Negative') {
    const a = operand(args[0]);
    return a === undefined ? undefined : `(-${a})`;
  }
  if (key === 'Square') {
    const a = operand(args[0]);
    return a === undefined ? undefined : `(${a} ** 2)`;
  }
  const fn = UNARY_FN[key];
  if (fn) {
    if (args.length !== 1 || [...kwargs.keys()].some((k) => k !== 'name')) return undefined;
    const a = operand(args[0]);
    return a === undefined ? undefined : `${fn}(${a})`;
  }
  if (key === 'Softmax' || key === 'LogSoftmax') {
    const a = operand(args[0]);
    const axis = args[1] ?? kwargs.get('axis');
    const ax = axis === undefined ? -1 : axis.k === 'int' && typeof axis.v === 'number' ? axis.v : undefined;
    if (a === undefined || ax === undefined) return undefined;
    return `torch.${key === 'Softmax' ? 'softmax' : 'log_softmax'}(${a}, dim={axis:${ax}})`;
  }
  if (key === 'Clip' || key === 'ClipByValue') {
    const a = operand(args[0]);
    const lo = args[1] ?? kwargs.get('x_min') ?? kwargs.get('clip_value_min');
    const hi = args[2] ?? kwargs.get('x_max') ?? kwargs.get('clip_value_max');
    const [l, h] = [lo && lo.k !== 'tensor' ? literal(lo) : undefined, hi && hi.k !== 'tensor' ? literal(hi) : undefined];
    return a === undefined || l === undefined || h === undefined ? undefined : `torch.clamp(${a}, ${l}, ${h})`;
  }
  if (key === 'Maximum' || key === 'Minimum') {
    const x = args[0];
    const y = args[1] ?? kwargs.get('x2') ?? kwargs.get('y');
    if (!x || !y) return undefined;
    if (x.k === 'tensor' && y.k === 'tensor') return `torch.${key.toLowerCase()}($0, $1)`;
    const [tensorArg, lit] = x.k === 'tensor' ? [x, literal(y)] : [y, literal(x)];
    if (tensorArg.k !== 'tensor' || lit === undefined) return undefined;
    return `torch.clamp($0, ${key === 'Maximum' ? 'min' : 'max'}=${lit})`;
  }
  const red = REDUCE[key];
  if (red) {
    const a = operand(args[0]);
    const axis = args[1] ?? kwargs.get('axis');
    const keep = args[2] ?? kwargs.get('keepdims');
    const keepdim = keep && keep.k === 'bool' && keep.v;
    if (a === undefined) return undefined;
    if (!axis || axis.k === 'none') return keepdim ? undefined : `${a}.${red}()`;
    if (axis.k !== 'int' || typeof axis.v !== 'number') return undefined;
    return `${a}.${red}(dim={axis:${axis.v}}${keepdim ? ', keepdim=True' : ''})`;
  }
  return undefined;
}
