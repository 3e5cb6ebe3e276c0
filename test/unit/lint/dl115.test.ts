// DL115 view-on-non-contiguous.
import { beforeAll, describe, expect, it } from 'vitest';
import { findings, fixAndRelint, initParser, lines } from './helpers';

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
  it('follows the sizes where the evaluator ran the view: a split is fine without the rank in the text, a merge is reported wherever it is written', () => {
    // torch 1.13: the first view works, the second raises "view size is not compatible ...".
    const src = `
    import torch
    import torch.nn as nn
    class ToMap(nn.Module):
        def forward(self, tokens, h, w):
            return tokens.transpose(1, 2).view(tokens.size(0), tokens.size(2), h, w)
    class Merge(nn.Module):
        def forward(self, x):
            y = x.transpose(1, 2)
            z = torch.relu(x)
            return y.view(x.size(0), x.size(2), -1)
    ToMap()(torch.randn(2, 12, 5), 3, 4)
    Merge()(torch.randn(2, 4, 3, 8))
    `;
    expect(lines('DL115', src)).toEqual([10]);
    const [f] = findings('DL115', src);
    expect(f.message).toMatch(/\[2, 3, 4, 8\] with strides \(96, 8, 24, 1\) viewed as \[2, 3, 32\]/);
    const r = fixAndRelint('DL115', src);
    expect(r.text).toContain('y.reshape(x.size(0), x.size(2), -1)');
    expect(r.remaining).toEqual([]);
  });
  it('stays quiet on a view that merges only a size-1 axis (a one-layer GRU h_n, a pooled map)', () => {
    // torch 1.13 runs both views.
    expect(lines('DL115', `
    import torch
    h = torch.randn(1, 4, 32)
    a = h.transpose(0, 1).view(4, 32)
    p = torch.randn(4, 32, 1, 1).permute(0, 2, 3, 1).view(4, 32)
    `)).toEqual([]);
  });
  it('a view of an expanded tensor: a split is fine, a merge of the repeated dim raises', () => {
    // torch 1.13: torch.randn(2, 1, 4).expand(2, 3, 4).view(2, 3, 2, 2) works; .view(6, 4) raises.
    expect(lines('DL115', `
    import torch
    x = torch.randn(2, 1, 4)
    a = x.expand(2, 3, 4).view(2, 3, 2, 2)
    b = x.expand(2, 3, 4).view(6, 4)
    `)).toEqual([4]);
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
