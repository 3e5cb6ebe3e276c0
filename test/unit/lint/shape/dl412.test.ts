// DL412 channels-order-suspect: a channels-first image shape in Keras, an NHWC tensor in PyTorch.

import { describe, expect, it } from 'vitest';
import { dl412 } from '../../../../src/core/lint/rules/dl412-channels-order-suspect';
import { applyEdits, lint, py } from './helpers';

describe('DL412 channels-order-suspect', () => {
  const keras = py(`
    import keras
    from keras import layers
    model = keras.Sequential([
        keras.Input(shape=(3, 224, 224)),
        layers.Conv2D(32, 3, activation="relu"),
    ])
  `);

  it('warns on a channels-first Keras input and reorders it', async () => {
    const f = await lint(dl412, keras);
    expect(f).toHaveLength(1);
    expect(f[0].range.line).toBe(3);
    expect(f[0].severity).toBe('warning');
    const fixed = applyEdits(keras, f[0].fix!.edits);
    expect(fixed).toContain('keras.Input(shape=(224, 224, 3))');
    expect(await lint(dl412, fixed)).toEqual([]);
  });

  it('finds the shape written with constants, in a builder function too, and reorders it as written', async () => {
    const src = py(`
      import tensorflow as tf
      from tensorflow.keras import layers
      IMG = 128
      def build(size=IMG):
          return tf.keras.Sequential([
              layers.Conv2D(32, 3, activation="relu", input_shape=(3, size, IMG)),
              layers.GlobalAveragePooling2D(),
          ])
    `);
    const f = await lint(dl412, src);
    expect(f.map((x) => x.range.line)).toEqual([5]);
    const fixed = applyEdits(src, f[0].fix!.edits);
    expect(fixed).toContain('input_shape=(size, IMG, 3)');
    expect(await lint(dl412, fixed)).toEqual([]);
  });

  it('stays quiet with data_format="channels_first" or a channels-last shape', async () => {
    expect(await lint(dl412, keras.replace('activation="relu"', 'activation="relu", data_format="channels_first"'))).toEqual([]);
    expect(await lint(dl412, keras.replace('(3, 224, 224)', '(224, 224, 3)'))).toEqual([]);
  });

  it('reports an NHWC tensor fed to a torch Conv2d', async () => {
    const src = py(`
      import torch
      import torch.nn as nn
      conv = nn.Sequential(nn.Conv2d(3, 16, 3))
      conv(torch.randn(8, 64, 64, 3))
    `);
    const f = await lint(dl412, src);
    expect(f).toHaveLength(1);
    expect(f[0].severity).toBe('error');
    expect(f[0].message).toContain('permute(0, 3, 1, 2)');
  });

  it('finds a channels-first shape given to model.build((None, C, H, W)) and keeps the batch dim in the fix', async () => {
    const src = py(`
      import tensorflow as tf
      model = tf.keras.Sequential([tf.keras.layers.Conv2D(32, 3, padding="same"), tf.keras.layers.MaxPooling2D()])
      model.build((None, 3, 64, 64))
    `);
    const f = await lint(dl412, src);
    expect(f.map((x) => x.range.line)).toEqual([2]);
    expect(applyEdits(src, f[0].fix!.edits)).toContain('model.build((None, 64, 64, 3))');
    const ok = py(`
      import tensorflow as tf
      model = tf.keras.Sequential([tf.keras.layers.Conv2D(32, 3, padding="same"), tf.keras.layers.MaxPooling2D()])
      model.build((None, 64, 64, 3))
      other = (8, 3, 64, 64)
    `);
    expect(await lint(dl412, ok)).toEqual([]);
  });
});
