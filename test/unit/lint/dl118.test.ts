// DL118 requires-grad-typo.
import { beforeAll, describe, expect, it } from 'vitest';
import { fixAndRelint, initParser, lines } from './helpers';

beforeAll(async () => {
  await initParser();
});

describe('DL118', () => {
  it('fires on misspelt requires_grad assignments', () => {
    expect(lines('DL118', `
    import torch
    emb = torch.zeros(100, 16)
    emb.require_grad = True
    emb.requires_grads = True
    emb.requires_grad = True
    `)).toEqual([3, 4]);
  });
  it('fix renames the attribute', () => {
    const r = fixAndRelint('DL118', `
    import torch
    emb = torch.zeros(100, 16)
    emb.require_grad = True
    `);
    expect(r.text).toContain('emb.requires_grad = True');
    expect(r.remaining).toEqual([]);
  });
});
