// Operations on Keras tensors between layers (`x + 1`, `keras.ops.relu6(x)`, `x[..., :1]`,
// `tf.nn.relu6(x)`) are weightless nodes of the functional graph: the layers before them
// stay in the model, Keras 3 lists them in the summary, not in `model.layers`.
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeDetailed } from '../../../src/core/analyze';
import { toSummaryJson } from '../../../src/core/index';
import type { Value } from '../../../src/core/eval/values';
import { dedent, initParser } from '../lint/helpers';
import type { PyParser } from '../../../src/core/python/parser';

let parser: PyParser;
beforeAll(async () => {
  parser = await initParser();
});

function analyse(src: string) {
  const d = analyzeDetailed(parser, dedent(src), { fileName: 'ops.py' });
  const json = toSummaryJson(d.analysis);
  const v = (name: string): Value | undefined => d.interp?.globals.vars.get(name);
  return { json, v, analysis: d.analysis };
}

const rows = (m: { layers: Array<{ path: string; type: string; output_shape: unknown; params: number | null }> }) =>
  m.layers.map((l) => [l.path, l.type, l.output_shape, l.params]);

describe('operation nodes of functional graphs', () => {
  it('keeps the layers before an op; model.layers and get_layer see layers only', () => {
    const { json, v } = analyse(`
      import keras
      from keras import layers

      inputs = keras.Input(shape=(8,))
      h = layers.Dense(4)(inputs)
      h = h * 2.0 + 1.0
      outputs = layers.Dense(3)(h)
      model = keras.Model(inputs, outputs)
      n = len(model.layers)
      second = model.get_layer(index=1).name
    `);
    const m = json.models[0];
    expect(rows(m)).toEqual([
      ['dense', 'Dense', [null, 4], 36],
      ['multiply', 'Multiply', [null, 4], 0],
      ['add', 'Add', [null, 4], 0],
      ['dense_1', 'Dense', [null, 3], 15],
    ]);
    expect(m.total_params).toBe(36 + 15);
    // model.layers is [InputLayer] + layers (operations aside), as Keras lists them.
    expect(v('n')).toEqual({ k: 'int', v: 3 });
    expect(v('second')).toEqual({ k: 'str', v: 'dense' });
  });

  it('ops share the name counter with layers (Keras uniquify), ops inside a layer call() are not nodes', () => {
    const { json } = analyse(`
      import keras
      from keras import layers

      class Scale(layers.Layer):
          def call(self, x):
              return x * 2.0 + keras.ops.relu(x)

      a = keras.Input(shape=(5,))
      b = keras.Input(shape=(5,))
      s = a + b
      t = Scale()(s)
      u = layers.Add()([t, b])
      model = keras.Model([a, b], u)
    `);
    const m = json.models[0];
    expect(rows(m)).toEqual([
      ['add', 'Add', [null, 5], 0],
      ['scale', 'Scale', [null, 5], 0],
      ['add_1', 'Add', [null, 5], 0],
    ]);
  });

  it('a functional model with ops, reused as a layer, replays its ops on the new input', () => {
    const { json } = analyse(`
      import keras
      from keras import layers

      def hard_swish(x):
          return x * keras.ops.relu6(x + 3.0) / 6.0

      inner_in = keras.Input(shape=(None, None, 3))
      y = layers.Conv2D(8, 3, strides=2, padding="same")(inner_in)
      y = hard_swish(y)
      block = keras.Model(inner_in, y, name="block")

      inputs = keras.Input(shape=(64, 64, 3))
      z = block(inputs)
      z = z[:, :, :, :4]
      z = layers.Flatten()(z)
      model = keras.Model(inputs, z)
    `);
    const block = json.models.find((m) => m.name === 'block');
    expect(block?.output_shape).toEqual([null, null, null, 8]);
    const m = json.models.find((x) => x.name === 'model')!;
    expect(rows(m)).toEqual([
      ['block', 'Functional', [null, 32, 32, 8], 3 * 3 * 3 * 8 + 8],
      ['get_item', 'GetItem', [null, 32, 32, 4], 0],
      ['flatten', 'Flatten', [null, 32 * 32 * 4], 0],
    ]);
    expect(m.total_params).toBe(224);
  });

  it('a directive input reruns the ops with the new shapes', () => {
    const { json } = analyse(`
      import keras
      from keras import layers

      inputs = keras.Input(shape=(32, 32, 3))
      x = layers.Conv2D(4, 3, padding="same")(inputs)
      x = -keras.ops.sigmoid(x)
      # tensorlens: input=(None, 16, 16, 3)
      model = keras.Model(inputs, layers.MaxPooling2D()(x))
    `);
    const m = json.models[0];
    expect(m.input_shapes).toEqual([[null, 16, 16, 3]]);
    expect(rows(m)).toEqual([
      ['conv2d', 'Conv2D', [null, 16, 16, 4], 112],
      ['sigmoid', 'Sigmoid', [null, 16, 16, 4], 0],
      ['negative', 'Negative', [null, 16, 16, 4], 0],
      ['max_pooling2d', 'MaxPooling2D', [null, 8, 8, 4], 0],
    ]);
  });

  it('a broadcast error in an op is a diagnostic, never a crash', () => {
    const { json, analysis } = analyse(`
      import keras
      from keras import layers

      inputs = keras.Input(shape=(10,))
      a = layers.Dense(4)(inputs)
      b = layers.Dense(5)(inputs)
      c = a + b
      model = keras.Model(inputs, c)
    `);
    expect(json.models).toHaveLength(1);
    expect(analysis.diagnostics.length).toBeGreaterThanOrEqual(1);
  });

  it('extract_patches (keras.ops.image and tf.image) windows channels-last images as a valid convolution does', () => {
    // keras.io ViT: patches (None, 16, 48) from 16x16x3 images in 4x4 patches; Dense(8) 48*8+8 = 392.
    const { json, v } = analyse(`
      import keras
      import tensorflow as tf
      from keras import layers, ops

      class Patches(layers.Layer):
          def __init__(self, patch_size):
              super().__init__()
              self.patch_size = patch_size

          def call(self, images):
              shape = ops.shape(images)
              patches = keras.ops.image.extract_patches(images, size=self.patch_size)
              n = (shape[1] // self.patch_size) * (shape[2] // self.patch_size)
              return ops.reshape(patches, (shape[0], n, self.patch_size * self.patch_size * shape[3]))

      inp = keras.Input((16, 16, 3))
      model = keras.Model(inp, layers.Dense(8)(Patches(4)(inp)))
      t = tf.image.extract_patches(tf.zeros((2, 10, 10, 3)), sizes=[1, 3, 3, 1], strides=[1, 2, 2, 1], rates=[1, 1, 1, 1], padding="VALID")
      s = tf.image.extract_patches(tf.zeros((2, 10, 10, 3)), sizes=[1, 3, 3, 1], strides=[1, 2, 2, 1], rates=[1, 1, 1, 1], padding="SAME")
    `);
    expect(rows(json.models[0])).toEqual([['patches', 'Patches', [null, 16, 48], 0], ['dense', 'Dense', [null, 16, 8], 392]]);
    // 10x10 images, 3x3 windows, stride 2: 4x4 valid, 5x5 same; 3*3*3 = 27 values each.
    expect(v('t')).toMatchObject({ k: 'tensor', shape: [2, 4, 4, 27] });
    expect(v('s')).toMatchObject({ k: 'tensor', shape: [2, 5, 5, 27] });
  });

  it('keras.ops.nn.* are the keras.ops functions', () => {
    const { json } = analyse(`
      import keras
      from keras import layers, ops

      inputs = keras.Input(shape=(6,))
      h = ops.nn.sigmoid(layers.Dense(4)(inputs))
      outputs = layers.Dense(2)(ops.nn.relu(h))
      model = keras.Model(inputs, outputs)
    `);
    expect(json.models[0].output_shape).toEqual([null, 2]);
    expect(json.models[0].total_params).toBe(6 * 4 + 4 + 4 * 2 + 2);
  });

  it('goes on past a layer whose output is not known: the layers after it stay rows and the note says why', () => {
    const { json } = analyse(`
      import keras
      from keras import layers

      class Mystery(layers.Layer):
          def call(self, x):
              return keras.ops.some_future_op(x)

      inputs = keras.Input(shape=(6,))
      h = layers.Dense(4)(inputs)
      h = Mystery()(h)
      outputs = layers.Dense(2)(h)
      model = keras.Model(inputs, outputs)
    `);
    const m = json.models[0];
    expect(m.layers.map((l) => [l.path, l.params])).toEqual([['dense', 28], ['mystery', 0], ['dense_1', null]]);
    expect(m.output_shape).toBeNull();
    expect(m.notes?.some((n) => /Output unknown: .*some_future_op/.test(n))).toBe(true);
  });
});

describe('InputLayer in a Sequential', () => {
  it('declares the input in its Keras 3 and tf.keras 2 spellings', () => {
    const { json } = analyse(`
      import keras
      import tensorflow as tf
      from keras import layers

      a = keras.Sequential([keras.layers.InputLayer((4,)), layers.Dense(2)])
      b = keras.Sequential([layers.InputLayer(input_shape=(28, 28, 1)), layers.Conv2D(8, 3), layers.Flatten(), layers.Dense(3)])
      c = tf.keras.Sequential()
      c.add(tf.keras.layers.InputLayer(batch_input_shape=(16, 10)))
      c.add(tf.keras.layers.Dense(5))
      d = keras.Sequential([layers.InputLayer(shape=(7,), batch_size=3), layers.Dense(1)])
    `);
    const got = json.models.map((m) => [m.name, m.input_shapes, m.output_shape, m.total_params]);
    expect(got).toEqual([
      ['a', [[null, 4]], [null, 2], 10],
      ['b', [[null, 28, 28, 1]], [null, 3], 80 + 26 * 26 * 8 * 3 + 3],
      ['c', [[16, 10]], [16, 5], 55],
      ['d', [[3, 7]], [3, 1], 8],
    ]);
  });
});


describe('the global image data format', () => {
  it('makes layers built after set_image_data_format("channels_first") without data_format channels-first', () => {
    // conv2d 1*3*3*32 + 32 = 320 on (1, 28, 28) -> (32, 26, 26); pool -> (32, 13, 13); dense 5408*10 + 10.
    for (const set of ['keras.backend.set_image_data_format("channels_first")', 'keras.config.set_image_data_format("channels_first")', 'tf.keras.backend.set_image_data_format("channels_first")']) {
      const { json, v } = analyse(`
        import keras
        import tensorflow as tf
        from keras import layers
        ${set}
        fmt = keras.backend.image_data_format()
        model = keras.Sequential([
            keras.Input(shape=(1, 28, 28)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ])
        other = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(4, 3, data_format="channels_last")])
      `);
      expect(v('fmt')).toEqual({ k: 'str', v: 'channels_first' });
      expect(rows(json.models[0])).toEqual([
        ['conv2d', 'Conv2D', [null, 32, 26, 26], 320], ['max_pooling2d', 'MaxPooling2D', [null, 32, 13, 13], 0],
        ['flatten', 'Flatten', [null, 5408], 0], ['dense', 'Dense', [null, 10], 54090],
      ]);
      expect(json.models[1].output_shape).toEqual([null, 26, 26, 4]);
    }
  });

  // TensorFlow 2's tf.keras: an operator becomes the TFOpLambda layer of the function it
  // dispatches to (TF summaries: `tf.__operators__.add (TFOpLambda)`), counted apart from
  // `layers.Add` (tensorflow/python/keras tests name them ['tf.__operators__.add', 'add', ...]);
  // a functional model is `model`; ConvLSTM2D is conv_lst_m2d.
  it('names the nodes as tf.keras does in a file that reaches Keras only through TensorFlow', () => {
    const src = `
      from tensorflow import keras
      from tensorflow.keras import layers

      inp = keras.Input(shape=(8,))
      a = layers.Dense(4)(inp)
      b = layers.Dense(4)(inp)
      s = a + b
      t = layers.Add()([a, b])
      u = s * t
      v = u[:, :2]
      out = layers.Dense(1)(v)
      model = keras.Model(inp, out)
      inner = keras.Model(inp, a)
      seq = keras.Sequential([keras.Input((10, 10, 10, 1)), layers.ConvLSTM2D(4, 3, padding="same")])
    `;
    const { json } = analyse(src);
    const names = (name: string) => json.models.find((m) => m.name === name)!.layers.map((l) => `${l.path} ${l.type}`);
    expect(names('model')).toEqual([
      'dense Dense', 'dense_1 Dense', 'tf.__operators__.add TFOpLambda', 'add Add', 'tf.math.multiply TFOpLambda',
      'tf.__operators__.getitem SlicingOpLambda', 'dense_2 Dense',
    ]);
    expect(names('seq')).toEqual(['conv_lst_m2d ConvLSTM2D']);
    const keras3 = analyse(src.replace('from tensorflow import keras', 'import keras').replace('from tensorflow.keras import layers', 'from keras import layers')).json;
    expect(keras3.models.find((m) => m.name === 'seq')!.layers.map((l) => l.path)).toEqual(['conv_lstm2d']);
    // The models' own default names: tf.keras `model`, `model_1`; Keras 3 `functional`, `functional_1`.
    const nameOf = (text: string, v: string) => {
      const x = analyse(text + `      ${v}_name = ${v}.name\n`).v(`${v}_name`);
      return x?.k === 'str' ? x.v : undefined;
    };
    expect([nameOf(src, 'model'), nameOf(src, 'inner')]).toEqual(['model', 'model_1']);
    const k3 = src.replace('from tensorflow import keras', 'import keras').replace('from tensorflow.keras import layers', 'from keras import layers');
    expect([nameOf(k3, 'model'), nameOf(k3, 'inner')]).toEqual(['functional', 'functional_1']);
  });
  it('keras.ops.power on a Keras tensor is a node with the broadcast shape (x ** 2 written as a function)', () => {
    // keras/src/ops/numpy.py Power: elementwise, broadcasting x1 and x2.
    const { json } = analyse(`
      import keras
      from keras import layers

      inputs = keras.Input(shape=(7, 10))
      h = layers.Dense(12)(inputs)
      p = keras.ops.power(h, 2.0)
      q = keras.ops.sqrt(keras.ops.sum(p, axis=-1, keepdims=True))
      model = keras.Model(inputs, keras.ops.divide(h, q))
    `);
    const m = json.models[0];
    expect(rows(m)).toEqual([
      ['dense', 'Dense', [null, 7, 12], 132],
      ['power', 'Power', [null, 7, 12], 0],
      ['sum', 'Sum', [null, 7, 1], 0],
      ['sqrt', 'Sqrt', [null, 7, 1], 0],
      ['divide', 'Divide', [null, 7, 12], 0],
    ]);
    expect(m.output_shape).toEqual([null, 7, 12]);
  });
});
