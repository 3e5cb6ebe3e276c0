// DL102 log-probability-input-misuse.
import { beforeAll, describe, expect, it } from 'vitest';
import { fixAndRelint, initParser, lines } from './helpers';

beforeAll(async () => {
  await initParser();
});

describe('DL102', () => {
  it('fires on NLLLoss fed probabilities and on log(softmax)', () => {
    expect(lines('DL102', `
    import torch
    import torch.nn.functional as F
    def f(h, target, teacher):
        probs = F.softmax(h, dim=1)
        loss = F.nll_loss(probs, target)
        logp = torch.log(F.softmax(h, dim=1))
        other = h.softmax(dim=-1).log()
        return loss, logp, other
    `)).toEqual([5, 6, 7]);
  });
  it('stays quiet on log_softmax inputs and plain logs', () => {
    expect(lines('DL102', `
    import torch
    import torch.nn.functional as F
    def f(h, target, p):
        logp = F.log_softmax(h, dim=1)
        return F.nll_loss(logp, target), F.kl_div(logp, p, reduction="batchmean"), torch.log(p + 1e-8)
    `)).toEqual([]);
  });
  it('fix rewrites log(softmax) into log_softmax', () => {
    const r = fixAndRelint('DL102', `
    import torch
    import torch.nn.functional as F
    a = torch.log(F.softmax(x, dim=1))
    b = x.softmax(dim=-1).log()
    `);
    expect(r.applied).toBe(2);
    expect(r.text).toContain('a = F.log_softmax(x, dim=1)');
    expect(r.text).toContain('b = x.log_softmax(dim=-1)');
    expect(r.remaining).toEqual([]);
  });
});
