// The tf.* op table (TF signatures, DL codes) and the runtime's TF semantics (tf.Variable,
// initializers, `@`, tf.Module tracking, Keras layers inside a tf.Module).
import { beforeAll, describe, expect, it } from 'vitest';
import { TF_OPS } from '../../../src/core/frameworks/tf/ops';
import { LayerArgs, ShapeError, bindArgs } from '../../../src/core/frameworks/spec';
import { type Value, int, list, str, tensor, tuple } from '../../../src/core/eval/values';
import { formatShape, type Shape } from '../../../src/core/shapes/dim';
import { toSummaryJson } from '../../../src/core/summary/json';
import type { PyParser } from '../../../src/core/python/parser';
import { analyzeTf, tfParser } from './harness';

const ints = (...xs: number[]) => list(xs.map((x) => int(x)));

function run(name: string, args: Value[], kw: Record<string, Value> = {}): Value {
  const op = TF_OPS.get(name)!;
  return op.call(new LayerArgs(bindArgs(op.signature, args, new Map(Object.entries(kw))), name));
}
const shapeOf = (v: Value): string => (v.k === 'tensor' ? formatShape(v.shape) : v.k === 'list' || v.k === 'tuple' ? `(${v.items.map(shapeOf).join(', ')})` : v.k);
function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof ShapeError) return e.code;
    throw e;
  }
  return undefined;
}
const t = (...s: Shape) => tensor(s);

describe('tf op table', () => {
  it('tf.nn.conv2d with TF keyword names, NCHW strides list', () => {
    expect(shapeOf(run('tensorflow.nn.conv2d', [t(2, 3, 32, 32), t(3, 3, 3, 8)], { strides: ints(1, 1, 2, 2), padding: str('SAME'), data_format: str('NCHW') }))).toBe('[2, 8, 16, 16]');
    expect(shapeOf(run('tensorflow.nn.conv2d', [t(1, 10, 10, 3), t(3, 3, 3, 4)], { strides: int(2), padding: list([ints(0, 0), ints(1, 2), ints(1, 2), ints(0, 0)]) }))).toBe('[1, 6, 6, 4]');
  });
  it('tf.nn.conv2d_transpose needs output_shape and checks it', () => {
    expect(shapeOf(run('tensorflow.nn.conv2d_transpose', [t(8, 7, 7, 128), t(4, 4, 64, 128)], { output_shape: ints(8, 14, 14, 64), strides: int(2) }))).toBe('[8, 14, 14, 64]');
    expect(codeOf(() => run('tensorflow.nn.conv2d_transpose', [t(8, 7, 7, 128), t(4, 4, 64, 128)], { output_shape: ints(8, 12, 12, 64), strides: int(2) }))).toBe('DL404');
  });
  it('pools: max_pool (N-D from the rank) and avg_pool2d', () => {
    expect(shapeOf(run('tensorflow.nn.max_pool', [t(1, 9, 9, 2)], { ksize: int(3), strides: int(2), padding: str('VALID') }))).toBe('[1, 4, 4, 2]');
    expect(shapeOf(run('tensorflow.nn.avg_pool2d', [t(1, 9, 9, 2)], { ksize: ints(1, 3, 3, 1), strides: ints(1, 2, 2, 1), padding: str('SAME') }))).toBe('[1, 5, 5, 2]');
  });
  it('tf.matmul transpose_b and the DL401 error', () => {
    expect(shapeOf(run('tensorflow.matmul', [t(4, 10, 48), t(4, 10, 48)], { transpose_b: { k: 'bool', v: true } }))).toBe('[4, 10, 10]');
    expect(codeOf(() => run('tensorflow.matmul', [t(8, 784), t(512, 10)]))).toBe('DL401');
  });
  it('split: even count, sizes with -1, uneven count is an error', () => {
    expect(shapeOf(run('tensorflow.split', [t(4, 10, 144), int(3)], { axis: int(-1) }))).toBe('([4, 10, 48], [4, 10, 48], [4, 10, 48])');
    expect(shapeOf(run('tensorflow.split', [t(4, 10), ints(3, -1)], { axis: int(1) }))).toBe('([4, 3], [4, 7])');
    expect(codeOf(() => run('tensorflow.split', [t(4, 10), int(3)], { axis: int(1) }))).toBe('DL404');
    expect(codeOf(() => run('tensorflow.split', [t(4, 10), ints(3, 3)], { axis: int(1) }))).toBe('DL404');
  });
  it('unstack, stack, concat, transpose(perm), reshape', () => {
    expect(shapeOf(run('tensorflow.unstack', [t(4, 3, 5)], { axis: int(1) }))).toBe('([4, 5], [4, 5], [4, 5])');
    expect(shapeOf(run('tensorflow.stack', [list([t(4, 5), t(4, 5)])], { axis: int(1) }))).toBe('[4, 2, 5]');
    expect(shapeOf(run('tensorflow.concat', [list([t(4, 5), t(4, 3)])], { axis: int(-1) }))).toBe('[4, 8]');
    expect(codeOf(() => run('tensorflow.concat', [list([t(4, 5), t(3, 3)])], { axis: int(-1) }))).toBe('DL402');
    expect(shapeOf(run('tensorflow.transpose', [t(2, 3, 4)], { perm: ints(0, 2, 1) }))).toBe('[2, 4, 3]');
    expect(shapeOf(run('tensorflow.transpose', [t(2, 3, 4)]))).toBe('[4, 3, 2]');
    expect(shapeOf(run('tensorflow.reshape', [t(8, 7, 7, 64), ints(-1, 3136)]))).toBe('[8, 3136]');
    expect(codeOf(() => run('tensorflow.reshape', [t(8, 7, 7, 64), ints(-1, 3000)]))).toBe('DL404');
  });
  it('reductions with keepdims, argmax axis default 0, squeeze/expand_dims', () => {
    expect(shapeOf(run('tensorflow.reduce_mean', [t(8, 50, 64)], { axis: int(1) }))).toBe('[8, 64]');
    expect(shapeOf(run('tensorflow.reduce_sum', [t(8, 50, 64)], { axis: ints(1, 2), keepdims: { k: 'bool', v: true } }))).toBe('[8, 1, 1]');
    expect(shapeOf(run('tensorflow.reduce_max', [t(8, 50)]))).toBe('[]');
    expect(shapeOf(run('tensorflow.argmax', [t(8, 10)]))).toBe('[10]');
    expect(shapeOf(run('tensorflow.expand_dims', [t(8, 10)], { axis: int(-1) }))).toBe('[8, 10, 1]');
    expect(codeOf(() => run('tensorflow.squeeze', [t(8, 10)], { axis: int(1) }))).toBe('DL406');
  });
  it('embedding_lookup, einsum, tf.shape, creation ops', () => {
    expect(shapeOf(run('tensorflow.nn.embedding_lookup', [t(1000, 16), tensor([4, 7], 'int32')]))).toBe('[4, 7, 16]');
    expect(shapeOf(run('tensorflow.einsum', [str('bhqd,bhkd->bhqk'), t(2, 4, 10, 8), t(2, 4, 12, 8)]))).toBe('[2, 4, 10, 12]');
    expect(codeOf(() => run('tensorflow.einsum', [str('ij,jk->ik'), t(3, 4), t(5, 6)]))).toBe('DL401');
    expect(run('tensorflow.shape', [t(3, 4)])).toEqual(tuple([int(3), int(4)]));
    expect(shapeOf(run('tensorflow.fill', [ints(2, 3), int(0)]))).toBe('[2, 3]');
    expect(shapeOf(run('tensorflow.constant', [list([ints(1, 2), ints(3, 4)])]))).toBe('[2, 2]');
    expect((run('tensorflow.constant', [int(3)]) as { dtype: string }).dtype).toBe('int32');
    expect(shapeOf(run('tensorflow.random.normal', [ints(4, 5)], { stddev: { k: 'float', v: 0.1 } }))).toBe('[4, 5]');
  });
});

let parser: PyParser;
beforeAll(async () => {
  parser = await tfParser();
});

const summarize = (src: string) => toSummaryJson(analyzeTf(parser, src, { fileName: 't.py' }).analysis);

describe('TensorFlow runtime', () => {
  it('`x @ w` in TF code is tf.matmul: a mismatch is DL401', () => {
    const j = summarize(`import tensorflow as tf
w = tf.Variable(tf.zeros([256, 10]))
y = tf.zeros([8, 512]) @ w
`);
    expect(j.diagnostics.map((d) => [d.code, d.line])).toEqual([['DL401', 3]]);
  });
  it('tracks variables in lists and dicts, counts a shared variable once, honours trainable=False', () => {
    const j = summarize(`import tensorflow as tf
class Net(tf.Module):
    def __init__(self):
        super().__init__()
        self.ws = [tf.Variable(tf.ones([4, 4])) for _ in range(3)]
        self.extra = {"scale": tf.Variable(1.0, trainable=False)}
        self.tied = self.ws[0]
    def __call__(self, x):
        for w in self.ws:
            x = tf.matmul(x, w)
        return x * self.extra["scale"]
net = Net()
net(tf.ones([2, 4]))
`);
    const m = j.models[0];
    expect([m.total_params, m.trainable_params, m.non_trainable_params, m.output_shape]).toEqual([49, 48, 1, [2, 4]]);
  });
  it('module.trainable_variables and submodules are readable in the file', () => {
    const j = summarize(`import tensorflow as tf
class Leaf(tf.Module):
    def __init__(self):
        super().__init__()
        self.v = tf.Variable(tf.zeros([3]))
class Root(tf.Module):
    def __init__(self):
        super().__init__()
        self.a = Leaf()
        self.b = Leaf()
        self.frozen = tf.Variable(tf.zeros([5]), trainable=False)
    def __call__(self, x):
        return tf.fill([len(self.trainable_variables), len(self.submodules)], 0.0)
r = Root()
r(tf.zeros([1]))
`);
    expect(j.models[0].output_shape).toEqual([2, 2]);
    expect(j.models.map((m) => m.name)).toEqual(['r']);
  });
  it('a custom Keras layer with build/add_weight inside a tf.Module keeps its Keras counts', () => {
    const j = summarize(`import tensorflow as tf
class Scale(tf.keras.layers.Layer):
    def build(self, input_shape):
        self.alpha = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="alpha")
    def call(self, x):
        return x * self.alpha
class Wrapper(tf.Module):
    def __init__(self):
        super().__init__()
        self.dense = tf.keras.layers.Dense(8)
        self.scale = Scale()
    @tf.function(input_signature=[tf.TensorSpec([None, 4])])
    def __call__(self, x):
        return self.scale(self.dense(x))
w = Wrapper()
`);
    const m = j.models[0];
    expect(m.layers.map((l) => [l.path, l.type, l.output_shape, l.params])).toEqual([
      ['dense', 'Dense', [null, 8], 40],
      ['scale', 'Scale', [null, 8], 8],
    ]);
    expect(m.total_params).toBe(48);
  });
  it('a class never instantiated is summarised from its no-argument constructor; no input gives a note', () => {
    const j = summarize(`import tensorflow as tf
class Lonely(tf.Module):
    def __init__(self, n=6):
        super().__init__()
        self.w = tf.Variable(tf.zeros([n, 2]))
    def __call__(self, x):
        return tf.matmul(x, self.w)
`);
    expect(j.models.map((m) => [m.name, m.total_params, m.output_shape])).toEqual([['Lonely', 12, null]]);
    expect(j.models[0].notes.join(' ')).toMatch(/No input shape found/);
  });
});
