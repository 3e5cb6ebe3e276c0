import { describe, expect, it } from 'vitest';
import { dl208 } from '../../../../src/core/lint/rules/dl208-mixed-keras-imports';
import { linesOf, py, runRule } from './run-rule';

describe('DL208 mixed-keras-imports', () => {
  it('fires when standalone keras and tf.keras are mixed', async () => {
    const src = py(`
      import tensorflow as tf
      from keras.layers import Dense
      inputs = tf.keras.Input(shape=(8,))
      outputs = Dense(1)(inputs)
    `);
    const fs = await runRule(dl208, src);
    expect(linesOf(fs)).toEqual([3]);
  });

  it('fires on tensorflow.python.keras next to tensorflow.keras', async () => {
    const src = py(`
      from tensorflow.keras import layers
      from tensorflow.python.keras.models import Sequential
    `);
    expect(linesOf(await runRule(dl208, src))).toEqual([2]);
  });

  it('stays quiet on one namespace and on try/except fallbacks', async () => {
    const a = py(`
      import tensorflow as tf
      from tensorflow import keras
      from tensorflow.keras import layers
      m = tf.keras.Sequential([layers.Dense(1)])
    `);
    const b = py(`
      import keras
      from keras import layers
      import tensorflow as tf
      ds = tf.data.Dataset.from_tensor_slices(x)
    `);
    const c = py(`
      try:
          import keras
      except ImportError:
          from tensorflow import keras
    `);
    expect(await runRule(dl208, a)).toEqual([]);
    expect(await runRule(dl208, b)).toEqual([]);
    expect(await runRule(dl208, c)).toEqual([]);
  });
});
