// DL115 view-on-non-contiguous.
import { beforeAll, describe, expect, it } from 'vitest';
import { fixAndRelint, initParser, lines } from './helpers';

beforeAll(async () => {
  await initParser();
});

describe('DL115', () => {
  it('fires on view after transpose / permute, chained or via a name', () => {
    expect(lines('DL115', `
    import torch
    def merge(out, b, t, h, d):
        merged = out.transpose(1, 2).view(b, t, h * d)
        p = out.permute(0, 2, 3, 1)
        return merged, p.view(b, -1, 4)
    `)).toEqual([3, 5]);
  });
  it('stays quiet after contiguous(), on reshape, and on dtype views', () => {
    expect(lines('DL115', `
    import torch
    def merge(out, b, t, h, d):
        a = out.transpose(1, 2).contiguous().view(b, t, h * d)
        c = out.transpose(1, 2).reshape(b, t, h * d)
        e = out.view(b, t, h, d).transpose(1, 2)
        f = out.view(torch.int32)
        return a, c, e, f
    `)).toEqual([]);
  });
  it('fires on a name rebound by the statement just before (out = out.transpose(...); out = out.view(...))', () => {
    expect(lines('DL115', `
    import torch
    def merge_heads(out):
        b, h, t, d = out.shape
        out = out.transpose(1, 2)
        out = out.view(b, t, h * d)
        return out
    `)).toEqual([5]);
  });
  it('stays quiet when the code shows the view only splits dims (rank from permute or a shape unpacking)', () => {
    // torch 1.13: torch.randn(2, 12, 5).transpose(1, 2).view(2, 5, 3, 4) works (the split keeps strides).
    expect(lines('DL115', `
    import torch
    def to_map(tokens, h, w):
        n, hw, c = tokens.shape
        return tokens.transpose(1, 2).view(n, c, h, w)
    def keep(x, b, c, h, w):
        return x.permute(0, 2, 3, 1).view(b, h, w, c)
    `)).toEqual([]);
  });
  it('fix uses reshape', () => {
    const r = fixAndRelint('DL115', `
    import torch
    merged = out.transpose(1, 2).view(b, t, h * d)
    `);
    expect(r.text).toContain('out.transpose(1, 2).reshape(b, t, h * d)');
    expect(r.remaining).toEqual([]);
  });
});
