// DL409 attention-heads-not-divisible: embed_dim % num_heads != 0, from literals and from
// evaluated module constants.

import { describe, expect, it } from 'vitest';
import { dl409 } from '../../../../src/core/lint/rules/dl409-attention-heads-not-divisible';
import { lint, py } from './helpers';

describe('DL409 attention-heads-not-divisible', () => {
  it('fires on literal arguments of MultiheadAttention and TransformerEncoderLayer', async () => {
    const src = py(`
      import torch.nn as nn
      attn = nn.MultiheadAttention(embed_dim=100, num_heads=8)
      enc = nn.TransformerEncoderLayer(d_model=250, nhead=6)
    `);
    const f = await lint(dl409, src);
    expect(f.map((x) => x.range.line)).toEqual([1, 2]);
    expect(f[0].message).toContain('embed_dim=100');
    expect(f[0].message).toContain('num_heads=8');
  });

  it('fires on constants folded by the evaluator when the layer runs', async () => {
    const src = py(`
      import torch
      import torch.nn as nn
      EMBED, HEADS = 100, 8

      class M(nn.Module):
          def __init__(self):
              super().__init__()
              self.attn = nn.MultiheadAttention(EMBED, HEADS)

          def forward(self, x):
              return self.attn(x, x, x)[0]

      M()(torch.randn(5, 2, 100))
    `);
    const f = await lint(dl409, src);
    expect(f).toHaveLength(1);
    expect(f[0].range.line).toBe(7);
    expect(f[0].message).toContain('embed_dim=100');
  });

  it('stays quiet on divisible sizes', async () => {
    const src = py(`
      import torch.nn as nn
      attn = nn.MultiheadAttention(embed_dim=128, num_heads=8)
      enc = nn.TransformerEncoderLayer(d_model=252, nhead=6)
    `);
    expect(await lint(dl409, src)).toEqual([]);
  });

  it('folds module constants, and leaves names a function binds itself alone', async () => {
    const src = py(`
      import torch.nn as nn
      EMBED, HEADS = 100, 8
      WIDTH = 4 * 32
      attn = nn.MultiheadAttention(embed_dim=EMBED, num_heads=HEADS)
      ok = nn.MultiheadAttention(WIDTH, HEADS)
      def build(EMBED=96):
          return nn.MultiheadAttention(EMBED, HEADS)
    `);
    const f = await lint(dl409, src);
    expect(f.map((x) => x.range.line)).toEqual([3]);
    expect(f[0].message).toContain('embed_dim=100');
  });

  it('reads a parameter the function never rebinds by its default; one it rebinds or without a default stays unknown', async () => {
    const src = py(`
      import torch.nn as nn
      N_HEADS = 8
      class Enc(nn.Module):
          def __init__(self, d_model=300, nhead=N_HEADS, width=None):
              super().__init__()
              self.l = nn.TransformerEncoderLayer(d_model, nhead)
              self.ok = nn.MultiheadAttention(width, nhead)
      def make(d_model=300, nhead=8):
          d_model = d_model + 4
          return nn.TransformerEncoderLayer(d_model=d_model, nhead=nhead)
    `);
    const f = await lint(dl409, src);
    expect(f.map((x) => x.range.line)).toEqual([5]);
    expect(f[0].message).toContain('d_model=300 is not divisible by nhead=8');
  });

  it('reads the keys of a top-level config dict (directly or as a parameter default), not one changed in place or with **', async () => {
    const src = py(`
      import torch.nn as nn
      CFG = {"dim": 90, "heads": 12}
      MUT = {"dim": 90, "heads": 12}
      MUT["dim"] = 96
      MERGED = {**BASE, "dim": 90, "heads": 12}
      class Block(nn.Module):
          def __init__(self, cfg=CFG, mut=MUT):
              super().__init__()
              self.a = nn.MultiheadAttention(cfg["dim"], cfg["heads"], batch_first=True)
              self.b = nn.MultiheadAttention(mut["dim"], mut["heads"])
              self.c = nn.MultiheadAttention(MERGED["dim"], MERGED["heads"])
              self.d = nn.MultiheadAttention(CFG["dim"], 7)
    `);
    const f = await lint(dl409, src);
    expect(f.map((x) => x.range.line)).toEqual([8, 11]);
  });
});
