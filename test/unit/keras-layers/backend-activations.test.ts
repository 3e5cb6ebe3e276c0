// keras.backend tensor functions (tf.keras 2 backend.py semantics), keras.activations.get,
// and Lambda(fn, output_shape=...) called on a list of tensors.
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeDetailed } from '../../../src/core/analyze';
import { toSummaryJson } from '../../../src/core/index';
import { shapeToJson } from '../../../src/core/shapes/dim';
import type { Value } from '../../../src/core/eval/values';
import { dedent, initParser } from '../lint/helpers';
import type { PyParser } from '../../../src/core/python/parser';

let parser: PyParser;
beforeAll(async () => {
  parser = await initParser();
});

function analyse(src: string) {
  const d = analyzeDetailed(parser, dedent(src), { fileName: 'k.py' });
  const shape = (name: string): unknown => {
    const v: Value | undefined = d.interp?.globals.vars.get(name);
    if (!v) return undefined;
    if (v.k === 'tensor') return shapeToJson(v.shape);
    if (v.k === 'tuple') return v.items.map((x) => (x.k === 'int' ? x.v : x.k === 'none' ? null : x.k));
    return v.k;
  };
  return { json: toSummaryJson(d.analysis), shape };
}

const rows = (m: { layers: Array<{ path: string; output_shape: unknown; params: number | null }> }) => m.layers.map((l) => [l.path, l.output_shape, l.params]);

describe('keras.backend', () => {
  it('K.int_shape gives the static shape (None for the batch): filters 8*2 = 16, Conv2D 3*3*8*16 + 16 = 1168', () => {
    const { json } = analyse(`
      import tensorflow as tf
      from tensorflow.keras import backend as K
      from tensorflow.keras import layers

      x_in = layers.Input(shape=(16, 16, 8))
      shape_x = K.int_shape(x_in)
      y = layers.Conv2D(shape_x[3] * 2, 3, strides=2, padding="same")(x_in)
      y = layers.UpSampling2D(size=(shape_x[1] // K.int_shape(y)[1], 2))(y)
      model = tf.keras.Model(x_in, y)
    `);
    expect(rows(json.models[0])).toEqual([
      ['conv2d', [null, 8, 8, 16], 1168],
      ['up_sampling2d', [null, 16, 16, 16], 0],
    ]);
  });

  it('K.mean in a Lambda reduces the axis: [N,4,6] -> [N,6]; Dense 6*2 + 2 = 14', () => {
    const { json } = analyse(`
      import tensorflow as tf
      from tensorflow.keras import backend as K
      from tensorflow.keras import layers

      inp = tf.keras.Input(shape=(4, 6))
      y = layers.Lambda(lambda x: K.mean(x, axis=1))(inp)
      y = layers.Dense(2)(y)
      model = tf.keras.Model(inp, y, name="model")
    `);
    expect(rows(json.models[0])).toEqual([['lambda', [null, 6], 0], ['dense', [null, 2], 14]]);
  });

  it('backend tensor functions follow backend.py', () => {
    const { shape } = analyse(`
      import tensorflow as tf
      import tensorflow.keras.backend as K
      x = tf.zeros((2, 3, 4))
      s = K.int_shape(x)
      sm = K.sum(x, axis=-1, keepdims=True)       # (2, 3, 1)
      mx = K.max(x)                               # ()
      cat = K.concatenate([x, x])                 # axis=-1 by default: (2, 3, 8)
      ed = K.expand_dims(x)                       # axis=-1 by default: (2, 3, 4, 1)
      sq = K.squeeze(K.expand_dims(x, 1), 1)      # (2, 3, 4)
      rs = K.reshape(x, (-1, 12))                 # (2, 12)
      pd = K.permute_dimensions(x, (0, 2, 1))     # (2, 4, 3)
      re = K.repeat_elements(x, 3, axis=1)        # (2, 9, 4)
      l2 = K.l2_normalize(x, axis=-1)             # (2, 3, 4)
      bf = K.batch_flatten(x)                     # (2, 12)
      rp = K.repeat(K.batch_flatten(x), 5)        # (2, 5, 12)
      tl = K.tile(x, (1, 2, 1))                   # (2, 6, 4)
      pad = K.spatial_2d_padding(tf.zeros((2, 8, 8, 3)))  # (2, 10, 10, 3)
      via_tf = tf.keras.backend.mean(x, axis=0)   # (3, 4)
    `);
    expect(shape('s')).toEqual([2, 3, 4]);
    expect(shape('sm')).toEqual([2, 3, 1]);
    expect(shape('mx')).toEqual([]);
    expect(shape('cat')).toEqual([2, 3, 8]);
    expect(shape('ed')).toEqual([2, 3, 4, 1]);
    expect(shape('sq')).toEqual([2, 3, 4]);
    expect(shape('rs')).toEqual([2, 12]);
    expect(shape('pd')).toEqual([2, 4, 3]);
    expect(shape('re')).toEqual([2, 9, 4]);
    expect(shape('l2')).toEqual([2, 3, 4]);
    expect(shape('bf')).toEqual([2, 12]);
    expect(shape('rp')).toEqual([2, 5, 12]);
    expect(shape('tl')).toEqual([2, 6, 4]);
    expect(shape('pad')).toEqual([2, 10, 10, 3]);
    expect(shape('via_tf')).toEqual([3, 4]);
  });
});

describe('keras.activations.get', () => {
  it('returns the activation function; calling it keeps the shape (Geron ResidualUnit pattern)', () => {
    const { json } = analyse(`
      from tensorflow import keras

      class Unit(keras.layers.Layer):
          def __init__(self, units, **kwargs):
              super().__init__(**kwargs)
              self.activation = keras.activations.get("relu")
              self.fc = keras.layers.Dense(units)

          def call(self, inputs):
              return self.activation(self.fc(inputs))

      model = keras.models.Sequential([keras.layers.Dense(8, input_shape=[4]), Unit(8), keras.layers.Dense(2)])
    `);
    // Dense 4*8+8 = 40; Unit = Dense(8) on 8: 8*8+8 = 72; Dense 8*2+2 = 18
    expect(rows(json.models[0])).toEqual([['dense', [null, 8], 40], ['unit', [null, 8], 72], ['dense_2', [null, 2], 18]]);
    expect(json.models[0].total_params).toBe(130);
  });

  it('None is linear, a callable is returned as it is', () => {
    const { shape } = analyse(`
      import keras
      x = keras.ops.ones((2, 5))
      a = keras.activations.get(None)(x)
      b = keras.activations.get(keras.activations.tanh)(x)
    `);
    expect(shape('a')).toEqual([2, 5]);
    expect(shape('b')).toEqual([2, 5]);
  });
});

describe('Lambda with output_shape on a list of tensors', () => {
  it('(batch,) + output_shape, the batch from the first input; Dense 10*1 + 1 = 11', () => {
    const { json } = analyse(`
      import tensorflow as tf
      from tensorflow.keras import layers

      a = layers.Input((10,))
      b = layers.Input((10,))
      d = layers.Lambda(lambda v: v[0] - v[1], output_shape=(10,))([a, b])
      model = tf.keras.Model([a, b], layers.Dense(1)(d))
    `);
    expect(rows(json.models[0])).toEqual([['lambda', [null, 10], 0], ['dense', [null, 1], 11]]);
  });
});
