// DL114 inplace-on-leaf-tensor.
import { beforeAll, describe, expect, it } from 'vitest';
import { fixAndRelint, initParser, lines } from './helpers';

beforeAll(async () => {
  await initParser();
});

describe('DL114', () => {
  it('fires on in-place updates of leaves that require grad', () => {
    expect(lines('DL114', `
    import torch
    import torch.nn as nn
    w = torch.randn(10, 1, requires_grad=True)
    loss = ((x @ w - y) ** 2).mean()
    loss.backward()
    w -= 0.1 * w.grad
    def reinit(model):
        for p in model.parameters():
            p.uniform_(-0.1, 0.1)
    reinit(nn.Linear(2, 2))
    b = nn.Parameter(torch.zeros(3))
    b[0] = 1.0
    `)).toEqual([6, 9, 12]);
  });
  it('stays quiet under no_grad, on .data / .grad, and for tensors without grad', () => {
    expect(lines('DL114', `
    import torch
    w = torch.randn(10, 1, requires_grad=True)
    with torch.no_grad():
        w -= 0.1 * w.grad
    w.grad.zero_()
    w.data.mul_(0.5)
    v = torch.zeros(3)
    v += 1
    @torch.no_grad()
    def reinit(model):
        for p in model.parameters():
            p.uniform_(-0.1, 0.1)
    def shrink(model):
        for p in model.parameters():
            p.data.mul_(0.9)
    `)).toEqual([]);
  });
  it('fix wraps the statement in torch.no_grad()', () => {
    const r = fixAndRelint('DL114', `
    import torch
    w = torch.randn(10, 1, requires_grad=True)
    w -= 0.1 * w.grad
    `);
    expect(r.text).toContain('with torch.no_grad():\n    w -= 0.1 * w.grad');
    expect(r.remaining).toEqual([]);
  });
  it('fires on a factory tensor made a leaf with .requires_grad_(), not with requires_grad_(False)', () => {
    expect(lines('DL114', `
    import torch
    def f():
        bias = torch.zeros(5).requires_grad_()
        bias.add_(1.0)
        frozen = torch.zeros(5).requires_grad_(False)
        frozen.add_(1.0)
        return bias, frozen
    `)).toEqual([4]);
  });
});
