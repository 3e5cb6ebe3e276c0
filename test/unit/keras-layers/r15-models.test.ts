// Keras 3 / tf.keras model code the r15 probe got wrong. Figures are from Keras' documented
// weight shapes and output-shape rules (cited per test), never from the engine's own output.
import { describe, expect, it } from 'vitest';
import { kerasSummaries } from './model-summaries';

const { model, rows } = kerasSummaries();

describe('a layer class of a keras.layers submodule the catalogue lacks', () => {
  it('is an unmodelled layer: the layers before it keep their rows and weights', () => {
    const m = model(`
      import tensorflow as tf
      from tensorflow import keras
      from tensorflow.keras import layers

      i = keras.Input(shape=(32, 32, 3))
      x = layers.Conv2D(8, 3)(i)
      x = tf.keras.layers.experimental.SomethingNew()(x)
      x = layers.Flatten()(x)
      m = keras.Model(i, x)
    `, 'm');
    // Conv2D 3x3 3->8: 3*3*3*8 + 8 = 224, output 30x30 (valid); the unknown layer's output and weights are not known.
    expect(rows(m)).toEqual([['conv2d', [null, 30, 30, 8], 224], ['something_new', null, null], ['flatten', null, 0]]);
  });

  it('PreprocessingLayer is a base class to subclass, like Layer', () => {
    const m = model(`
      from tensorflow import keras
      from tensorflow.keras import layers

      class Twice(layers.experimental.preprocessing.PreprocessingLayer):
          def call(self, x):
              return x * 2.0

      i = keras.Input(shape=(5,))
      m = keras.Model(i, layers.Dense(3)(Twice()(i)))
    `, 'm');
    expect(rows(m)).toEqual([['twice', [null, 5], 0], ['dense', [null, 3], 18]]);
  });
});
