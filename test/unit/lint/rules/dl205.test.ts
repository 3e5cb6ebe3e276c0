import { describe, expect, it } from 'vitest';
import { dl205 } from '../../../../src/core/lint/rules/dl205-input-shape-misplaced';
import { fixAndRerun, linesOf, py, runRule } from './run-rule';

describe('DL205 input-shape-misplaced', () => {
  it('fires on input_shape on a later layer and deletes it', async () => {
    const src = py(`
      from tensorflow import keras
      from tensorflow.keras import layers
      model = keras.Sequential([
          layers.Dense(64, activation="relu", input_shape=(32,)),
          layers.Dense(64, activation="relu", input_shape=(128,)),
          layers.Dense(1),
      ])
    `);
    const fs = await runRule(dl205, src);
    expect(linesOf(fs)).toEqual([5]);
    const { fixed, after } = await fixAndRerun(dl205, src);
    expect(fixed).toContain('layers.Dense(64, activation="relu"),\n    layers.Dense(1)');
    expect(after).toEqual([]);
  });

  it('fires after an explicit Input, on .add chains and in super().__init__ of a subclass', async () => {
    const src = py(`
      import keras
      m = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4, input_dim=8)])
      n = keras.Sequential()
      n.add(keras.layers.Dense(4, input_shape=(8,)))
      n.add(keras.layers.Dense(2, input_shape=(4,)))
      class Net(keras.Model):
          def __init__(self):
              super().__init__(input_shape=(8,))
              self.d = keras.layers.Dense(2)
    `);
    const fs = await runRule(dl205, src);
    expect(linesOf(fs)).toEqual([2, 5, 8]);
    const { after } = await fixAndRerun(dl205, src);
    expect(after).toEqual([]);
  });

  it('stays quiet on the first layer and on functional models', async () => {
    const src = py(`
      from tensorflow import keras
      model = keras.Sequential([keras.layers.Dense(64, input_shape=(32,)), keras.layers.Dense(1)])
      inp = keras.Input((32,))
      out = keras.layers.Dense(1, input_shape=(32,))(inp)
      text = keras.Sequential([keras.Input((100,)), keras.layers.Embedding(input_dim=8000, output_dim=50)])
    `);
    expect(await runRule(dl205, src)).toEqual([]);
  });
  it('stays quiet when the first add() is in one of two branches (each branch starts the model)', async () => {
    const src = py(`
      import tensorflow as tf
      def build(normalizer=None):
          model = tf.keras.Sequential()
          if normalizer is not None:
              model.add(tf.keras.layers.InputLayer(input_shape=(16,)))
              model.add(normalizer)
          else:
              model.add(tf.keras.layers.Dense(64, activation="relu", input_shape=(16,)))
          model.add(tf.keras.layers.Dense(3, activation="softmax"))
          return model
    `);
    expect(await runRule(dl205, src)).toEqual([]);
  });

  it('checks a Sequential bound to no name (returned, or passed on), but not its first layer nor a spread list', async () => {
    const src = py(`
      from tensorflow import keras
      def mlp():
          return keras.Sequential([
              keras.layers.Dense(32, activation="relu", input_dim=10),
              keras.layers.Dense(16, activation="relu", input_dim=32),
          ])
      def spread(extra):
          return keras.Sequential([*extra, keras.layers.Dense(4, input_shape=(3,))])
      wrapped = keras.layers.TimeDistributed(keras.Sequential([keras.layers.Dense(8, input_shape=(4,))]))
    `);
    expect(linesOf(await runRule(dl205, src))).toEqual([5]);
  });
});
