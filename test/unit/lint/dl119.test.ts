// DL119 deprecated-torch-api.
import { beforeAll, describe, expect, it } from 'vitest';
import { findings, fixAndRelint, initParser, lines } from './helpers';

beforeAll(async () => {
  await initParser();
});

describe('DL119', () => {
  it('errors on removed and warns on deprecated APIs, checkpoint and pretrained=', () => {
    const fs = findings('DL119', `
    import torch
    import torchvision
    from torch.utils.checkpoint import checkpoint
    X = torch.solve(B, A).solution
    idx = torch.range(0, 9)
    with torch.cuda.amp.autocast(dtype=torch.float16):
        h = checkpoint(block, h)
    m = torchvision.models.resnet18(pretrained=True)
    `);
    expect(fs.map((f) => [f.range.line + 1, f.severity])).toEqual([[4, 'error'], [5, 'warning'], [6, 'warning'], [7, 'warning'], [8, 'warning']]);
  });
  it('warns on a functorch call through the module (import functorch), and on from functorch import', () => {
    expect(lines('DL119', `
    import torch
    import functorch
    from functorch import grad
    f = functorch.vmap(torch.sin)
    g = torch.func.vmap(torch.cos)
    `)).toEqual([3, 4]);
  });
  it('gives a hint on torch.norm (deprecated in the docs only), not on the tensor method or torch.linalg', () => {
    const fs = findings('DL119', `
    import torch as T
    def l2(x):
        return x / T.norm(x, dim=-1, keepdim=True)
    y = x.norm(dim=1)
    z = T.linalg.vector_norm(x, dim=-1)
    `);
    expect(fs.map((f) => [f.range.line + 1, f.severity])).toEqual([[3, 'hint']]);
  });
  it('respects a pinned older torch and stays quiet on current APIs', () => {
    expect(lines('DL119', `
    import torch
    with torch.cuda.amp.autocast():
        y = torch.linalg.solve(A, B)
    z = torch.arange(0, 10)
    `, { versions: { torch: '1.13' } })).toEqual([]);
  });
  it('fix rewrites exact replacements', () => {
    const r = fixAndRelint('DL119', `
    import torch
    idx = torch.range(0, 9)
    L = torch.cholesky(A)
    M = torch.chain_matmul(a, b, c)
    with torch.cuda.amp.autocast(dtype=torch.float16):
        pass
    `);
    expect(r.text).toContain('idx = torch.arange(0, 10)');
    expect(r.text).toContain('L = torch.linalg.cholesky(A)');
    expect(r.text).toContain('M = torch.linalg.multi_dot([a, b, c])');
    expect(r.text).toContain('with torch.autocast("cuda", dtype=torch.float16):');
    expect(r.remaining).toEqual([]);
  });
});
