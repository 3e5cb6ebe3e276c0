// DL406 layer-rank-mismatch: a wrong-rank input (BatchNorm1d on a 4-D map, Keras LSTM on 2-D).

import { describe, expect, it } from 'vitest';
import { dl406 } from '../../../../src/core/lint/rules/dl406-layer-rank-mismatch';
import { applyEdits, lint, py } from './helpers';

describe('DL406 layer-rank-mismatch', () => {
  const bad = py(`
    import torch.nn as nn
    block = nn.Sequential(
        nn.Conv2d(3, 16, 3), nn.BatchNorm1d(16),
    )
  `);

  it('fires on BatchNorm1d after a Conv2d (no input shape) and offers BatchNorm2d', async () => {
    const f = await lint(dl406, bad);
    expect(f).toHaveLength(1);
    expect(f[0].related?.[0].range.line).toBe(2);
    expect(f[0].message).toContain('4-D');
    const fixed = applyEdits(bad, f[0].fix!.edits);
    expect(fixed).toContain('nn.BatchNorm2d(16)');
    expect(await lint(dl406, fixed)).toEqual([]);
  });

  it('fires on a Keras LSTM fed 2-D input', async () => {
    const src = py(`
      import keras
      from keras import layers
      rnn = keras.Sequential([keras.Input((64,)), layers.LSTM(32)])
    `);
    const f = await lint(dl406, src);
    expect(f).toHaveLength(1);
    expect(f[0].message).toMatch(/3-D input/);
  });

  it('stays quiet on the right ranks', async () => {
    const src = py(`
      import keras
      from keras import layers
      import torch.nn as nn
      rnn = keras.Sequential([keras.Input((64, 1)), layers.LSTM(32)])
      block = nn.Sequential(nn.Conv2d(3, 16, 3), nn.BatchNorm2d(16))
    `);
    expect(await lint(dl406, src)).toEqual([]);
  });
});

describe('DL406 on guessed input ranks', () => {
  it('still reports a model with an example call when another model of the file got a guessed 2-D input', async () => {
    // Before: any guessed model silenced DL406 for the whole file, so the proved error of
    // `norm` (example call, 4-D map into BatchNorm1d) was lost next to an unrelated Linear-first block.
    const src = py(`
      import torch
      import torch.nn as nn

      class Proj(nn.Module):
          def __init__(self):
              super().__init__()
              self.fc = nn.Linear(16, 16)
              self.bn = nn.BatchNorm2d(16)

          def forward(self, x):
              return self.bn(self.fc(x))

      norm = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm1d(8))
      norm(torch.randn(1, 3, 8, 8))
    `);
    const f = await lint(dl406, src);
    // Only norm's BatchNorm1d (line 12); Proj's BatchNorm2d fails only on the guessed [B, 16] input.
    expect(f.map((x) => x.range.line)).toEqual([12]);
    expect(f[0].message).toContain('BatchNorm1d');
  });

  it('stays quiet when a Linear-first block got a guessed 2-D input', async () => {
    const src = py(`
      import torch.nn as nn

      class Attn(nn.Module):
          def __init__(self, d):
              super().__init__()
              self.qkv = nn.Linear(d, 3 * d)

          def forward(self, x):
              b, t, c = x.shape
              return self.qkv(x).split(c, dim=2)[0]

      class LM(nn.Module):
          def __init__(self):
              super().__init__()
              self.attn = Attn(64)

          def forward(self, x):
              return self.attn(x)
    `);
    expect(await lint(dl406, src)).toEqual([]);
  });

  it('stays quiet when a shape\'s length is not known: a starred unknown (*image_size, 3), an unknown Reshape target', async () => {
    const src = py(`
      import json
      import keras
      from keras import layers
      cfg = json.load(open("cfg.json"))
      def build(image_size, grid, target_shape, input_shape):
          inp = keras.Input(shape=(*image_size, 3))
          x = layers.Conv2D(8, 3)(inp)
          z = keras.Input(shape=(16,))
          g = layers.Reshape((*grid, 1))(z)
          g = layers.Conv2D(4, 3)(g)
          r = layers.Reshape(target_shape)(z)
          r = layers.Conv2DTranspose(4, 3)(r)
          return keras.Model([inp, z], [x, g, r])
      class Net(keras.Model):
          def __init__(self):
              super().__init__()
              self.c = layers.Conv2D(4, 3)
          def call(self, x):
              return self.c(x)
      net = Net()
      net.build((None, *cfg["input_shape"]))
    `);
    expect(await lint(dl406, src)).toEqual([]);
  });
});
