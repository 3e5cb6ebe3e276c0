// DL101 softmax-before-cross-entropy: must fire at the loss input, never on logits / log_softmax.
import { beforeAll, describe, expect, it } from 'vitest';
import { fixAndRelint, initParser, lines } from './helpers';

beforeAll(async () => {
  await initParser();
});

const HEAD = `
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
`;

describe('DL101', () => {
  it('fires on an inline softmax fed to CrossEntropyLoss', () => {
    expect(lines('DL101', HEAD + `
    criterion = nn.CrossEntropyLoss()
    def step(model, x, y):
        return criterion(F.softmax(model(x), dim=1), y)
    `)).toEqual([7]);
  });
  it('fires through a name assigned from a softmax, and on F.cross_entropy with Tensor.softmax', () => {
    expect(lines('DL101', HEAD + `
    def step(model, x, y):
        probs = torch.softmax(model(x), dim=-1)
        a = F.cross_entropy(probs, y)
        b = F.cross_entropy(model(x).softmax(dim=1), y)
        return a + b
    `)).toEqual([7, 8]);
  });
  it('stays quiet on logits, log_softmax and reassigned names', () => {
    expect(lines('DL101', HEAD + `
    criterion = nn.CrossEntropyLoss()
    def step(model, x, y):
        logits = model(x)
        loss = criterion(logits, y)
        loss2 = criterion(F.log_softmax(logits, dim=1), y)
        p = F.softmax(logits, dim=1)
        p = logits
        conf = logits.softmax(dim=1)
        return loss + loss2 + criterion(p, y) + F.mse_loss(conf, y)
    `)).toEqual([]);
  });
  it('fix drops the inline softmax', () => {
    const r = fixAndRelint('DL101', HEAD + `
    criterion = nn.CrossEntropyLoss()
    loss = criterion(F.softmax(logits, dim=1), y)
    `);
    expect(r.applied).toBe(1);
    expect(r.text).toContain('criterion(logits, y)');
    expect(r.remaining).toEqual([]);
    expect(r.syntaxErrors).toBe(0);
  });
});
