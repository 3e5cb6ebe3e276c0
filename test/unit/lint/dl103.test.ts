// DL103 bce-logits-mismatch.
import { beforeAll, describe, expect, it } from 'vitest';
import { findings, fixAndRelint, initParser, lines } from './helpers';

beforeAll(async () => {
  await initParser();
});

describe('DL103', () => {
  it('errors on a sigmoid before BCEWithLogitsLoss, informs on sigmoid + BCELoss', () => {
    const fs = findings('DL103', `
    import torch
    import torch.nn as nn
    crit = nn.BCEWithLogitsLoss()
    bce = nn.BCELoss()
    def f(model, x, y):
        prob = torch.sigmoid(model(x))
        a = crit(prob, y.float())
        b = bce(torch.sigmoid(model(x)), y)
        return a + b
    `);
    expect(fs.map((f) => [f.range.line + 1, f.severity])).toEqual([[7, 'error'], [8, 'information']]);
  });
  it('stays quiet on logits', () => {
    expect(lines('DL103', `
    import torch.nn as nn
    crit = nn.BCEWithLogitsLoss()
    def f(model, x, y):
        return crit(model(x), y.float())
    `)).toEqual([]);
  });
  it('fix drops the inline sigmoid', () => {
    const r = fixAndRelint('DL103', `
    import torch
    import torch.nn.functional as F
    loss = F.binary_cross_entropy_with_logits(torch.sigmoid(z), y)
    `);
    expect(r.text).toContain('binary_cross_entropy_with_logits(z, y)');
    expect(r.remaining).toEqual([]);
  });
});
