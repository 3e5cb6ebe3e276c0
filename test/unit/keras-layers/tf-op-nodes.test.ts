// TensorFlow functions on Keras tensors become TFOpLambda rows: the image-rearranging ops
// are modelled (tf.nn.depth_to_space, space_to_depth, tf.image.resize, tf.reverse) and an
// unmodelled tf function is a row of unknown shape that keeps the rest of the model.
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeDetailed } from '../../../src/core/analyze';
import { toSummaryJson } from '../../../src/core/index';
import { dedent, initParser } from '../lint/helpers';
import type { PyParser } from '../../../src/core/python/parser';

let parser: PyParser;
beforeAll(async () => {
  parser = await initParser();
});

function model(src: string) {
  const d = analyzeDetailed(parser, dedent(src), { fileName: 'm.py' });
  return toSummaryJson(d.analysis).models[0];
}

const rows = (m: { layers: Array<{ path: string; type: string; output_shape: unknown; params: number | null }> }) =>
  m.layers.map((l) => [l.path, l.type, l.output_shape, l.params]);

const head = `
  import tensorflow as tf
  from tensorflow import keras
  from tensorflow.keras import layers
`;

describe('tf ops inside functional graphs', () => {
  it('tf.nn.depth_to_space: (N, H, W, C) -> (N, H*b, W*b, C/b^2) (keras.io ESPCN tail)', () => {
    const m = model(`${head}
      inputs = keras.Input(shape=(8, 8, 1))
      x = layers.Conv2D(9, 3, padding="same")(inputs)
      outputs = tf.nn.depth_to_space(x, 3)
      espcn = keras.Model(inputs, outputs)
    `);
    // Conv2D: 3*3*1*9 + 9 = 90
    expect(rows(m)).toEqual([
      ['conv2d', 'Conv2D', [null, 8, 8, 9], 90],
      ['tf.nn.depth_to_space', 'TFOpLambda', [null, 24, 24, 1], 0],
    ]);
    expect(m.total_params).toBe(90);
  });

  it('tf.nn.space_to_depth: (N, H, W, C) -> (N, H/b, W/b, C*b^2); tf.image.resize; tf.reverse keeps the shape', () => {
    const m = model(`${head}
      inputs = keras.Input(shape=(8, 8, 3))
      x = tf.nn.space_to_depth(inputs, 2)
      x = tf.image.resize(x, (16, 12))
      x = tf.reverse(x, axis=[1])
      outputs = layers.Conv2D(4, 1)(x)
      m = keras.Model(inputs, outputs)
    `);
    expect(rows(m)).toEqual([
      ['tf.nn.space_to_depth', 'TFOpLambda', [null, 4, 4, 12], 0],
      ['tf.image.resize', 'TFOpLambda', [null, 16, 12, 12], 0],
      ['tf.reverse', 'TFOpLambda', [null, 16, 12, 12], 0],
      // Conv2D 1x1: 12*4 + 4 = 52
      ['conv2d', 'Conv2D', [null, 16, 12, 4], 52],
    ]);
  });

  it('an unmodelled tf function is a TFOpLambda row of unknown shape; the layers keep their weights', () => {
    const m = model(`${head}
      inputs = keras.Input(shape=(10,))
      x = layers.Dense(4)(inputs)
      x = tf.math.some_new_op(x)
      outputs = layers.Dense(2)(x)
      m = keras.Model(inputs, outputs)
    `);
    expect(rows(m).slice(0, 2)).toEqual([
      ['dense', 'Dense', [null, 4], 44],
      ['tf.math.some_new_op', 'TFOpLambda', null, 0],
    ]);
    expect(m.layers[2].path).toBe('dense_1');
  });

  it('an unmodelled tf function times a weight is a tensor of unknown shape, not the weight\'s shape', () => {
    const m = model(`${head}
      class Head(layers.Layer):
          def build(self, input_shape):
              self.w = self.add_weight(shape=(input_shape[-1],), name="w")
          def call(self, x):
              return tf.nn.fancy_op(x) * self.w

      inp = keras.Input(shape=(5, 7))
      model = keras.Model(inp, Head()(inp))
    `);
    // w: one weight per feature, 7
    expect(rows(m)).toEqual([['head', 'Head', null, 7]]);
  });
});
