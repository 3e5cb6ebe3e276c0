// DL404 flatten-size-mismatch: a constant flattened size written for another resolution.

import { describe, expect, it } from 'vitest';
import { dl404 } from '../../../../src/core/lint/rules/dl404-flatten-size-mismatch';
import { applyEdits, lint, py } from './helpers';

describe('DL404 flatten-size-mismatch', () => {
  const lenet = py(`
    # tensorlens: input=(50, 1, 28, 28)
    import torch.nn as nn
    net = nn.Sequential(
        nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 10),
    )
  `);

  it('fires on a LeNet sized for 32x32 fed 28x28', async () => {
    const f = await lint(dl404, lenet);
    expect(f).toHaveLength(1);
    expect(f[0].related?.[0].range.line).toBe(6);
    expect(f[0].message).toContain('in_features=400');
    expect(f[0].message).toContain('256');
    const fixed = applyEdits(lenet, f[0].fix!.edits);
    expect(fixed).toContain('nn.Linear(256, 10)');
    expect(await lint(dl404, fixed)).toEqual([]);
  });

  it('fires on an Unflatten that cannot split the dim', async () => {
    const src = py(`
      import torch
      import torch.nn as nn
      m = nn.Sequential(nn.Linear(10, 12), nn.Unflatten(1, (5, 2)))
      m(torch.randn(3, 10))
    `);
    const f = await lint(dl404, src);
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('Unflatten');
  });

  it('stays quiet when the size fits (32x32 input)', async () => {
    expect(await lint(dl404, lenet.replace('(50, 1, 28, 28)', '(50, 1, 32, 32)'))).toEqual([]);
  });

  it('sees the flattened size through flatten(x, 1), view(x.size(0), -1) and reshape(n, -1), not through a pooled (N, C, 1, 1) map', async () => {
    const src = py(`
      import torch
      from torch import nn

      class Small(nn.Module):
          def __init__(self):
              super().__init__()
              self.c = nn.Conv2d(1, 8, 3, stride=2)
              self.fc = nn.Linear(8 * 7 * 7, 2)

          def forward(self, x):
              return self.fc(self.c(x).view(x.size(0), -1))

      class Pooled(nn.Module):
          def __init__(self):
              super().__init__()
              self.c = nn.Conv2d(1, 32, 3)
              self.fc = nn.Linear(48, 2)

          def forward(self, x):
              return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(self.c(x), 1), 1))

      Small()(torch.randn(3, 1, 28, 28))
      Pooled()(torch.randn(3, 1, 28, 28))
    `);
    // One finding per layer and problem: the view form, then the flatten and reshape forms.
    for (const form of ['self.c(x).view(x.size(0), -1)', 'torch.flatten(self.c(x), 1)', 'self.c(x).reshape(x.shape[0], -1)']) {
      const f = await lint(dl404, src.replace('self.c(x).view(x.size(0), -1)', form));
      expect(f.map((x) => x.range.line), form).toEqual([10, 7]);
      expect(f[0].message).toContain('flattened input has 1352 features (from [3, 8, 13, 13])');
    }
  });
});

