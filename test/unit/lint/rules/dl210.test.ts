import { describe, expect, it } from 'vitest';
import { dl210 } from '../../../../src/core/lint/rules/dl210-mixed-precision-output-dtype';
import { fixAndRerun, linesOf, py, runRule } from './run-rule';

describe('DL210 mixed-precision-output-dtype', () => {
  it('fires on a float16 softmax output under mixed_float16 and adds dtype="float32"', async () => {
    const src = py(`
      from tensorflow import keras
      from tensorflow.keras import layers
      keras.mixed_precision.set_global_policy("mixed_float16")
      model = keras.Sequential([
          keras.Input((256,)),
          layers.Dense(512, activation="relu"),
          layers.Dense(10, activation="softmax"),
      ])
    `);
    const fs = await runRule(dl210, src);
    expect(linesOf(fs)).toEqual([7]);
    const { fixed, after } = await fixAndRerun(dl210, src);
    expect(fixed).toContain('layers.Dense(10, activation="softmax", dtype="float32")');
    expect(after).toEqual([]);
  });

  it('stays quiet with a float32 output, without the policy, and for bfloat16', async () => {
    const a = py(`
      import keras
      keras.mixed_precision.set_global_policy("mixed_float16")
      model = keras.Sequential([keras.Input((256,)), keras.layers.Dense(10), keras.layers.Activation("softmax", dtype="float32")])
    `);
    const b = py(`
      import keras
      model = keras.Sequential([keras.Input((256,)), keras.layers.Dense(10, activation="softmax")])
    `);
    const c = py(`
      import keras
      keras.mixed_precision.set_global_policy("mixed_bfloat16")
      model = keras.Sequential([keras.Input((256,)), keras.layers.Dense(10, activation="softmax")])
    `);
    for (const s of [a, b, c]) expect(await runRule(dl210, s)).toEqual([]);
  });

  it('reads a policy (or its name) held in a module-level variable', async () => {
    const src = py(`
      from tensorflow import keras
      from tensorflow.keras import layers, mixed_precision
      policy = mixed_precision.Policy("mixed_float16")
      mixed_precision.set_global_policy(policy)
      a = keras.Sequential([keras.Input((8,)), layers.Dense(1, activation="sigmoid")])
      NAME = "float32"
      mixed_precision.set_global_policy(NAME)
      b = keras.Sequential([keras.Input((8,)), layers.Dense(1, activation="sigmoid")])
      POLICY = "mixed_float16"
      mixed_precision.set_global_policy(POLICY)
      c = keras.Sequential([keras.Input((8,)), layers.Dense(3, activation="softmax")])
      bf = mixed_precision.Policy("mixed_bfloat16")
      mixed_precision.set_global_policy(bf)
      d = keras.Sequential([keras.Input((8,)), layers.Dense(3, activation="softmax")])
    `);
    expect(linesOf(await runRule(dl210, src))).toEqual([5, 11]);
  });

  it('follows the policy in force where each model is built (reset to float32 before it)', async () => {
    const src = py(`
      from tensorflow import keras
      from tensorflow.keras import layers
      keras.mixed_precision.set_global_policy("mixed_float16")
      fast = keras.Sequential([keras.Input((8,)), layers.Dense(3, activation="softmax")])
      keras.mixed_precision.set_global_policy("float32")
      baseline = keras.Sequential([keras.Input((8,)), layers.Dense(3, activation="softmax")])
      keras.mixed_precision.set_global_policy("mixed_float16")
      again = keras.Sequential([keras.Input((8,)), layers.Dense(3, activation="sigmoid")])
    `);
    expect(linesOf(await runRule(dl210, src))).toEqual([4, 8]);
  });

  it('warns on apply_gradients with a plain optimizer in a GradientTape step under mixed_float16', async () => {
    const src = py(`
      import tensorflow as tf
      from tensorflow import keras
      keras.mixed_precision.set_global_policy("mixed_float16")
      model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2), keras.layers.Activation("softmax", dtype="float32")])
      opt = keras.optimizers.Adam()
      def train_step(x, y):
          with tf.GradientTape() as tape:
              loss = tf.reduce_mean(tf.square(model(x, training=True) - y))
          grads = tape.gradient(loss, model.trainable_variables)
          opt.apply_gradients(zip(grads, model.trainable_variables))  # no LossScaleOptimizer
    `);
    expect(linesOf(await runRule(dl210, src))).toEqual([10]);
    expect(await runRule(dl210, src.replace('keras.optimizers.Adam()', 'keras.optimizers.Adam(loss_scale_factor=128.0)'))).toEqual([]);
    // Wrapped optimizer, bfloat16, or no tape: quiet.
    const wrapped = src.replace('opt = keras.optimizers.Adam()', 'opt = keras.mixed_precision.LossScaleOptimizer(keras.optimizers.Adam())');
    expect(await runRule(dl210, wrapped)).toEqual([]);
    expect(await runRule(dl210, src.replace('"mixed_float16"', '"mixed_bfloat16"'))).toEqual([]);
    expect(await runRule(dl210, py(`
      from tensorflow import keras
      keras.mixed_precision.set_global_policy("mixed_float16")
      opt = keras.optimizers.Adam()
      def apply(grads, variables):
          opt.apply_gradients(zip(grads, variables))
    `))).toEqual([]);
  });
  it('fires on the output layer of a model returned by a builder function called under the policy', async () => {
    const src = py(`
      import tensorflow as tf
      from tensorflow.keras import layers, mixed_precision
      def build():
          inp = tf.keras.Input(shape=(8,))
          out = layers.Dense(1, activation="sigmoid")(inp)
          return tf.keras.Model(inp, out)
      def build_ok():
          inp = tf.keras.Input(shape=(8,))
          out = layers.Dense(1, activation="sigmoid", dtype="float32")(inp)
          return tf.keras.Model(inp, out)
      early = build()
      mixed_precision.set_global_policy("mixed_float16")
      model = build()
      again = build()
      ok = build_ok()
    `);
    expect(linesOf(await runRule(dl210, src))).toEqual([5]);
  });
});
