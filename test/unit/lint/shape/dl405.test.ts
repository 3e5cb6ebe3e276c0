// DL405 spatial-dim-collapse: the kernel no longer fits the feature map.

import { describe, expect, it } from 'vitest';
import { dl405 } from '../../../../src/core/lint/rules/dl405-spatial-dim-collapse';
import { lint, py } from './helpers';

describe('DL405 spatial-dim-collapse', () => {
  it('fires on the fourth unpadded Keras conv of a 28x28 input', async () => {
    const src = py(`
      import keras
      from keras import layers
      model = keras.Sequential([
          keras.Input((28, 28, 1)),
          layers.Conv2D(16, 3), layers.MaxPooling2D(2),
          layers.Conv2D(32, 3), layers.MaxPooling2D(2),
          layers.Conv2D(64, 3), layers.MaxPooling2D(2),
          layers.Conv2D(128, 3),
      ])
    `);
    const f = await lint(dl405, src);
    expect(f).toHaveLength(1);
    expect(f[0].related?.[0].range.line).toBe(7);
    expect(f[0].message).toMatch(/Conv2D\(128, 3\)/);
  });

  it('fires on a torch pooling stack on a small input', async () => {
    const src = py(`
      import torch
      import torch.nn as nn
      m = nn.Sequential(nn.Conv2d(3, 8, 5), nn.MaxPool2d(2), nn.Conv2d(8, 8, 5))
      m(torch.randn(1, 3, 12, 12))
    `);
    const f = await lint(dl405, src);
    expect(f).toHaveLength(1);
    expect(f[0].related?.[0].range.line).toBe(2);
    expect(f[0].related?.[0].range.character).toBe(src.split('\n')[2].lastIndexOf('nn.Conv2d'));
  });

  it('stays quiet with padding="same"', async () => {
    const src = py(`
      import keras
      from keras import layers
      model = keras.Sequential([
          keras.Input((28, 28, 1)),
          layers.Conv2D(16, 3, padding="same"), layers.MaxPooling2D(2),
          layers.Conv2D(32, 3, padding="same"), layers.MaxPooling2D(2),
          layers.Conv2D(64, 3, padding="same"), layers.MaxPooling2D(2),
          layers.Conv2D(128, 3, padding="same"),
      ])
    `);
    expect(await lint(dl405, src)).toEqual([]);
  });

  it('reports a collapse through the functional pools and convolutions (F.max_pool2d, F.conv2d)', async () => {
    const src = py(`
      import torch
      import torch.nn.functional as F
      x = torch.randn(1, 4, 2, 2)
      x = F.max_pool2d(x, 2)
      x = F.max_pool2d(x, 2)
      y = F.conv2d(torch.randn(1, 3, 2, 2), torch.randn(8, 3, 3, 3))
    `);
    const f = await lint(dl405, src);
    expect(f.map((x) => x.range.line)).toEqual([4, 5]);
  });
});

