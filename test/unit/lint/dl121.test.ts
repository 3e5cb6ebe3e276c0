// DL121 torch-compile-pitfalls.
import { beforeAll, describe, expect, it } from 'vitest';
import { findings, fixAndRelint, initParser, lines } from './helpers';

beforeAll(async () => {
  await initParser();
});

describe('DL121', () => {
  it('warns on a discarded compile, informs on compile in loops and graph breaks', () => {
    const fs = findings('DL121', `
    import torch
    import torch.nn as nn
    model = nn.Linear(2, 2)
    torch.compile(model)
    for m in [model]:
        c = torch.compile(m)
    @torch.compile
    def scale(x, lr):
        print(x.sum().item())
        return x * lr
    `);
    expect(fs.map((f) => [f.range.line + 1, f.severity])).toEqual([[4, 'warning'], [6, 'information'], [9, 'information'], [9, 'information']]);
  });
  it('stays quiet on assigned compiles and clean compiled functions', () => {
    expect(lines('DL121', `
    import torch
    model = torch.compile(torch.nn.Linear(2, 2))
    @torch.compile
    def scale(x, lr_t):
        return x * lr_t
    print(scale(torch.ones(2), torch.tensor(0.1)).sum().item())
    `)).toEqual([]);
  });
  it('fix assigns the compiled module back', () => {
    const r = fixAndRelint('DL121', `
    import torch
    import torch.nn as nn
    model = nn.Linear(2, 2)
    torch.compile(model)
    `);
    expect(r.text).toContain('model = torch.compile(model)');
    expect(r.remaining).toEqual([]);
  });
  it('informs on an if / while over a tensor reduction in a compiled function, not on shapes, flags or rebound names', () => {
    const fs = findings('DL121', `
    import torch
    @torch.compile
    def f(x, flag, eps):
        mu = x.mean()
        if mu > 0:
            x = x - mu
        if x.abs().max() > 1e4:
            x = x / 2
        if torch.any(x < 0):
            x = x.clamp(min=0)
        if x.shape[0] > 1 and flag:
            x = x * 2
        if x.size(0) > 2 or x.dim() == 3 or x.numel() > 4:
            x = x + 1
        if eps is not None:
            x = x + eps
        s = x.sum()
        s = 0.0
        if s > 1:
            x = x + 1
        return x
    def eager(x):
        if x.sum() > 0:
            return x
    `);
    expect(fs.map((f) => [f.range.line + 1, f.severity])).toEqual([[5, 'information'], [7, 'information'], [9, 'information']]);
  });

  it('(c) informs when a compiled function gets the loop counter as a Python number, not a tensor, a batch or dynamic=True', () => {
    // Before: variant (c) was not implemented (r14 miss e11_compile_scalar_item.py).
    const fs = findings('DL121', `
    import torch
    @torch.compile
    def scale(x, factor):
        return x * factor
    step_fn = torch.compile(lambda x, s: x + s)
    dyn = torch.compile(lambda x, s: x + s, dynamic=True)
    x = torch.randn(4)
    for i in range(10):
        y = scale(x, i * 0.1)
        y = step_fn(x, s=-i)
        y = scale(x, torch.tensor(i * 0.1))
        y = dyn(x, i)
    for step, batch in enumerate([x, x]):
        y = scale(batch, 0.5)
        y = step_fn(batch, step + 1)
    for i in range(3):
        i = torch.tensor(i)
        y = scale(x, i)
    `);
    expect(fs.map((f) => [f.range.line + 1, f.severity])).toEqual([[9, 'information'], [10, 'information'], [15, 'information']]);
  });
});
