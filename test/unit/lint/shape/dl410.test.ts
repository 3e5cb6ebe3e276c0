// DL410 loss-target-shape-broadcast: (N, 1) predictions against (N,) targets.

import { describe, expect, it } from 'vitest';
import { dl410 } from '../../../../src/core/lint/rules/dl410-loss-target-shape-broadcast';
import { applyEdits, lint, py } from './helpers';

const program = (loss: string, target: string) => py(`
  import torch
  import torch.nn as nn

  head = nn.Linear(64, 1)
  criterion = nn.${loss}()
  pred = head(torch.randn(32, 64))
  y = torch.randn(${target})
  loss = criterion(pred, y)
`);

describe('DL410 loss-target-shape-broadcast', () => {
  it('warns on MSELoss broadcasting (32, 1) against (32,) and squeezes the prediction', async () => {
    const src = program('MSELoss', '32');
    const f = await lint(dl410, src);
    expect(f).toHaveLength(1);
    expect(f[0].range.line).toBe(7);
    expect(f[0].severity).toBe('warning');
    expect(f[0].message).toContain('[32, 32]');
    const fixed = applyEdits(src, f[0].fix!.edits);
    expect(fixed).toContain('criterion(pred.squeeze(-1), y)');
    expect(await lint(dl410, fixed)).toEqual([]);
  });

  it('is an error for BCEWithLogitsLoss', async () => {
    const f = await lint(dl410, program('BCEWithLogitsLoss', '32'));
    expect(f).toHaveLength(1);
    expect(f[0].severity).toBe('error');
  });

  it('stays quiet on matching shapes and on unknown targets', async () => {
    expect(await lint(dl410, program('MSELoss', '32, 1'))).toEqual([]);
    const unknown = program('MSELoss', '32').replace('y = torch.randn(32)', 'y = load_targets()');
    expect(await lint(dl410, unknown)).toEqual([]);
  });

  it('reports the functional losses too (F.binary_cross_entropy_with_logits, F.mse_loss, F.cross_entropy)', async () => {
    const src = py(`
      import torch
      import torch.nn.functional as F
      from torch import nn
      head = nn.Linear(32, 1)
      y = torch.randint(0, 2, (8,)).float()
      a = F.binary_cross_entropy_with_logits(head(torch.randn(8, 32)), y)
      b = F.cross_entropy(torch.randn(8, 5), torch.randint(0, 5, (6,)))
    `);
    const f = await lint(dl410, src);
    expect(f.map((x) => [x.range.line, x.message.split(':')[0]])).toEqual([[5, 'F.binary_cross_entropy_with_logits'], [6, 'F.cross_entropy']]);
  });

  it('warns on F.mse_loss / l1_loss / smooth_l1_loss / huber_loss broadcasting (5, 1) against (5,), quiet on matching shapes', async () => {
    const src = py(`
      import torch
      import torch.nn.functional as F
      head = torch.nn.Linear(8, 1)
      y = torch.randn(5)
      a = F.mse_loss(head(torch.randn(5, 8)), y)
      b = F.l1_loss(head(torch.randn(5, 8)), y)
      c = F.smooth_l1_loss(head(torch.randn(5, 8)), y, beta=0.5)
      d = F.huber_loss(head(torch.randn(5, 8)), y)
      e = F.mse_loss(head(torch.randn(5, 8)).squeeze(-1), y)
      f = F.l1_loss(head(torch.randn(5, 8)), y.unsqueeze(-1))
    `);
    const f = await lint(dl410, src);
    expect(f.map((x) => [x.range.line, x.severity, x.message.split(':')[0]])).toEqual([
      [4, 'warning', 'F.mse_loss'], [5, 'warning', 'F.l1_loss'], [6, 'warning', 'F.smooth_l1_loss'], [7, 'warning', 'F.huber_loss'],
    ]);
    expect(f[0].message).toContain('[5, 5]');
    const fixed = applyEdits(src, f[0].fix!.edits);
    expect(fixed).toContain('F.mse_loss(head(torch.randn(5, 8)).squeeze(-1), y)');
  });
});

describe('DL410 over DataLoader batches (the torch.utils.data stub)', () => {
  const loop = (fix: string) => py(`
    import torch
    import torch.nn as nn
    from torch.utils.data import DataLoader, TensorDataset

    X = torch.randn(96, 6)
    y = X @ torch.linspace(-1, 1, 6)
    loader = DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True)
    model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 1))
    for epoch in range(3):
        for xb, yb in loader:
            ${fix}
            loss = nn.functional.mse_loss(model(xb), yb)
  `);

  it('each batch is a new one: a target reshaped in place (yb.unsqueeze_(1)) is (16, 1) in every iteration', async () => {
    // Six batches of 16 over three epochs: with one batch object shared, the target grew a dim each time.
    expect(await lint(dl410, loop('yb.unsqueeze_(1)'))).toEqual([]);
  });

  it('still warns on a (16,) target against the (16, 1) prediction', async () => {
    const f = await lint(dl410, loop('pass'));
    expect(f.length).toBeGreaterThan(0);
    expect(f[0].message).toContain('[16, 16]');
  });
});
