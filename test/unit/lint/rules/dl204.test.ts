import { describe, expect, it } from 'vitest';
import { dl204 } from '../../../../src/core/lint/rules/dl204-binary-ce-on-softmax-multiclass';
import { fixAndRerun, linesOf, py, runRule } from './run-rule';

describe('DL204 binary-ce-on-softmax-multiclass', () => {
  it('fires on a 10-class softmax with binary_crossentropy and names the inflated accuracy', async () => {
    const src = py(`
      from tensorflow import keras
      from tensorflow.keras import layers
      model = keras.Sequential()
      model.add(keras.Input((64,)))
      model.add(layers.Dense(10, activation="softmax"))
      model.compile("adam", loss="binary_crossentropy", metrics=["accuracy"])
    `);
    const fs = await runRule(dl204, src);
    expect(linesOf(fs)).toEqual([6]);
    expect(fs[0].message).toContain('accuracy');
    const { fixed, after } = await fixAndRerun(dl204, src);
    expect(fixed).toContain('loss="categorical_crossentropy"');
    expect(after).toEqual([]);
  });

  it('stays quiet on sigmoid multi-label heads, two-unit softmax and categorical losses', async () => {
    const src = py(`
      from tensorflow import keras
      from tensorflow.keras import layers
      a = keras.Sequential([keras.Input((64,)), layers.Dense(10, activation="sigmoid")])
      a.compile("adam", loss="binary_crossentropy", metrics=["accuracy"])
      b = keras.Sequential([keras.Input((64,)), layers.Dense(2, activation="softmax")])
      b.compile("adam", loss="binary_crossentropy")
      c = keras.Sequential([keras.Input((64,)), layers.Dense(10, activation="softmax")])
      c.compile("adam", loss="categorical_crossentropy", metrics=["accuracy"])
    `);
    expect(await runRule(dl204, src)).toEqual([]);
  });

  it('counts units that are not a number (a builder parameter) as more than one class', async () => {
    const src = py(`
      import tensorflow as tf
      def get_model(n_classes):
          inp = tf.keras.Input(shape=(64, 64, 3))
          h = tf.keras.layers.GlobalMaxPooling2D()(tf.keras.layers.Conv2D(16, 3)(inp))
          out = tf.keras.layers.Dense(n_classes, activation="softmax")(h)
          m = tf.keras.Model(inp, out)
          m.compile("adam", "binary_crossentropy", metrics=["accuracy"])
          return m
    `);
    const fs = await runRule(dl204, src);
    expect(linesOf(fs)).toEqual([7]);
    expect(fs[0].message).toContain('a softmax output of n_classes units');
  });
});
