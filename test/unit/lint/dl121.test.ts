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
});
