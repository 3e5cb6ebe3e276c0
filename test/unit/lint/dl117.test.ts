// DL117 backward-under-no-grad (no fix).
import { beforeAll, describe, expect, it } from 'vitest';
import { findings, initParser, lines } from './helpers';

beforeAll(async () => {
  await initParser();
});

describe('DL117', () => {
  it('errors on backward of a loss computed under no_grad and inside no_grad; warns on forced requires_grad', () => {
    const fs = findings('DL117', `
    import torch
    import torch.nn as nn
    criterion = nn.MSELoss()
    def step(model, x, y):
        with torch.no_grad():
            out = model(x)
            loss = criterion(out, y)
        loss.requires_grad = True
        loss.backward()
    def other(model, x):
        with torch.inference_mode():
            model(x).sum().backward()
    `);
    expect(fs.map((f) => [f.range.line + 1, f.severity])).toEqual([[8, 'warning'], [9, 'error'], [12, 'error']]);
  });
  it('stays quiet for normal steps and enable_grad blocks', () => {
    expect(lines('DL117', `
    import torch
    def step(model, x, y):
        with torch.no_grad():
            target = model(y)
        loss = (model(x) - target).pow(2).mean()
        loss.backward()
        with torch.no_grad():
            with torch.enable_grad():
                l2 = model(x).sum()
                l2.backward()
    `)).toEqual([]);
  });
  it('warns on requires_grad forced on a functional regression loss (F.l1_loss, F.mse_loss)', () => {
    expect(lines('DL117', `
    import torch.nn.functional as F
    def step(model, x, y):
        loss = F.l1_loss(model(x), y)
        loss.requires_grad = True
        loss.backward()
    def step2(model, x, y):
        loss = F.mse_loss(model(x), y)
        loss.requires_grad_()
        loss.backward()
    `)).toEqual([4, 8]);
  });
});
