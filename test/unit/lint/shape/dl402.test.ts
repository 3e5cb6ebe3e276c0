// DL402 channel-count-mismatch: conv in_channels, BatchNorm num_features, GroupNorm and
// LayerNorm against the channels that flow in; without an input shape too.

import { describe, expect, it } from 'vitest';
import { dl402 } from '../../../../src/core/lint/rules/dl402-channel-count-mismatch';
import { applyEdits, lint, py } from './helpers';

describe('DL402 channel-count-mismatch', () => {
  const bad = py(`
    import torch.nn as nn
    features = nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
        nn.Conv2d(64, 64, 3, padding=1),
    )
  `);

  it('fires on a conv receiving another channel count, with no input shape', async () => {
    const f = await lint(dl402, bad);
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('in_channels=64');
    expect(f[0].message).toContain('32 channels');
    expect(f[0].related?.[0].range.line).toBe(3);
  });

  it('the fix sets in_channels and the finding goes', async () => {
    const f = await lint(dl402, bad);
    const fixed = applyEdits(bad, f[0].fix!.edits);
    expect(fixed).toContain('nn.Conv2d(32, 64, 3, padding=1)');
    expect(await lint(dl402, fixed)).toEqual([]);
  });

  it('fires on a BatchNorm of the wrong width at its line', async () => {
    const src = py(`
      import torch
      import torch.nn as nn

      class Block(nn.Module):
          def __init__(self):
              super().__init__()
              self.conv = nn.Conv2d(3, 16, 3)
              self.bn = nn.BatchNorm2d(32)

          def forward(self, x):
              return self.bn(self.conv(x))

      Block()(torch.randn(2, 3, 32, 32))
    `);
    const f = await lint(dl402, src);
    expect(f.map((x) => x.range.line)).toEqual([10, 7]);
    expect(f[0].message).toMatch(/num_features=32 but receives 16/);
  });

  it('stays quiet when the channels agree or are unknown', async () => {
    const src = py(`
      import torch.nn as nn
      ok = nn.Sequential(nn.Conv2d(3, 32, 3), nn.BatchNorm2d(32), nn.GroupNorm(8, 32), nn.Conv2d(32, 8, 1))

      class Any(nn.Module):
          def __init__(self, c):
              super().__init__()
              self.conv = nn.Conv2d(c, 8, 3)

          def forward(self, x):
              return self.conv(x)
    `);
    expect(await lint(dl402, src)).toEqual([]);
  });
});
