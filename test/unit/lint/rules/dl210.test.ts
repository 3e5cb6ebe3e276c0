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
});
