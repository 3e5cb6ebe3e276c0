// DL403 missing-flatten-before-dense: a conv feature map straight into Linear (crash) or
// Keras Dense (silent); the fix inserts a Flatten and the finding goes.

import { describe, expect, it } from 'vitest';
import { dl403 } from '../../../../src/core/lint/rules/dl403-missing-flatten-before-dense';
import { applyEdits, lint, py } from './helpers';

describe('DL403 missing-flatten-before-dense', () => {
  const bad = py(`
    import torch.nn as nn
    head = nn.Sequential(
        nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Linear(8 * 13 * 13, 10),
    )
  `);

  it('fires with the input shape given by a directive', async () => {
    const src = `# tensorlens: input=(4, 1, 28, 28)\n${bad}`;
    const f = await lint(dl403, src);
    expect(f).toHaveLength(1);
    expect(f[0].related?.[0].range.line).toBe(4);
    expect(f[0].message).toContain('[4, 8, 13, 13]');
    expect(f[0].message).toContain('1352');
    const fixed = applyEdits(src, f[0].fix!.edits);
    expect(fixed).toContain('nn.Flatten(), nn.Linear(8 * 13 * 13, 10)');
    expect(await lint(dl403, fixed)).toEqual([]);
  });

  it('fires without an input shape too (symbolic H, W)', async () => {
    const f = await lint(dl403, bad);
    expect(f).toHaveLength(1);
  });

  it('warns on a Keras Dense right after a conv layer', async () => {
    const src = py(`
      import keras
      from keras import layers
      model = keras.Sequential([
          keras.Input((28, 28, 1)),
          layers.Conv2D(8, 3),
          layers.Dense(10, activation="softmax"),
      ])
    `);
    const f = await lint(dl403, src);
    expect(f).toHaveLength(1);
    expect(f[0].severity).toBe('warning');
    expect(f[0].range.line).toBe(5);
    const fixed = applyEdits(src, f[0].fix!.edits);
    expect(fixed).toContain('layers.Flatten(), layers.Dense(10');
    expect(await lint(dl403, fixed)).toEqual([]);
  });

  it('stays quiet on a Keras Dense over a conv map that a later Reshape turns into tokens (a patch projection)', async () => {
    const src = py(`
      import keras
      from keras import layers
      inp = keras.Input(shape=(32, 32, 3))
      x = layers.Conv2D(16, 8, strides=8)(inp)
      x = layers.Dense(32)(x)
      x = layers.Reshape((16, 32))(x)
      x = layers.MultiHeadAttention(num_heads=2, key_dim=16)(x, x)
      out = layers.Dense(10)(layers.GlobalAveragePooling1D()(x))
      model = keras.Model(inp, out)
    `);
    expect(await lint(dl403, src)).toEqual([]);
    // Without the Reshape the 4-D map is the model's output: the warning stands.
    const kept = await lint(dl403, src.replace('x = layers.Reshape((16, 32))(x)\n', '').replace(/x = layers.MultiHeadAttention.*\n/, '').replace(/out = .*\n/, 'out = x\n'));
    expect(kept.map((f) => f.range.line)).toEqual([4]);
  });

  it('stays quiet with a Flatten, on sequence inputs and on Linear over channels-last features', async () => {
    const src = py(`
      import torch
      import torch.nn as nn
      a = nn.Sequential(nn.Conv2d(1, 8, 3), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8 * 13 * 13, 10))
      a(torch.randn(4, 1, 28, 28))
      b = nn.Sequential(nn.Linear(64, 32))
      b(torch.randn(4, 20, 64))
      c = nn.Sequential(nn.Linear(32, 8))
      c(torch.randn(2, 7, 7, 32))
    `);
    expect(await lint(dl403, src)).toEqual([]);
  });

  it('warns on torch.flatten(x) / x.flatten() without start_dim feeding a layer in forward, not on a final squeeze', async () => {
    const src = py(`
      import torch
      import torch.nn as nn

      class Net(nn.Module):
          def __init__(self):
              super().__init__()
              self.conv = nn.Conv2d(3, 2, 1)
              self.fc = nn.Linear(32, 4)
              self.out = nn.Linear(4, 1)

          def forward(self, img):
              x = self.conv(img)
              x = torch.flatten(x)
              h = self.fc(x)
              return self.out(h).flatten()

      class Net2(nn.Module):
          def __init__(self):
              super().__init__()
              self.conv = nn.Conv2d(3, 2, 1)
              self.fc = nn.Linear(32, 4)
              self.w = nn.Parameter(torch.randn(2, 2))

          def forward(self, img):
              v = self.w.flatten()
              return self.fc(self.conv(img).flatten())
    `);
    const f = await lint(dl403, src);
    expect(f.map((x) => [x.range.line, x.severity])).toEqual([[12, 'warning'], [25, 'warning']]);
    let fixed = src;
    for (const x of [...f].reverse()) fixed = applyEdits(fixed, x.fix!.edits);
    expect(fixed).toContain('x = torch.flatten(x, 1)');
    expect(fixed).toContain('self.conv(img).flatten(1)');
    expect(await lint(dl403, fixed)).toEqual([]);
  });

  it('leaves a flatten of the forward input alone (a single-sample model: a (6, 7) board into Linear(42, 1))', async () => {
    const src = py(`
      import torch
      import torch.nn as nn

      class Value(nn.Module):
          def __init__(self):
              super().__init__()
              self.fc = nn.Linear(42, 1)

          def forward(self, board):
              return self.fc(board.flatten())

      Value()(torch.randn(6, 7))
    `);
    expect(await lint(dl403, src)).toEqual([]);
  });
});

