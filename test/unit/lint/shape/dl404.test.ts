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
});
