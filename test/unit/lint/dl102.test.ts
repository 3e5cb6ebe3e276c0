// DL102 log-probability-input-misuse.
import { beforeAll, describe, expect, it } from 'vitest';
import { findings, fixAndRelint, initParser, lines } from './helpers';

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
  it('fires on the log of a name holding a softmax, at module level and in a function', () => {
    expect(lines('DL102', `
    import torch
    import torch.nn.functional as F
    student, teacher = torch.randn(4, 10), torch.randn(4, 10)
    p_student = F.softmax(student, dim=1)
    logp = p_student.log()
    logp2 = torch.log(p_student)
    def entropy(h):
        p = torch.softmax(h, -1)
        return -(p * p.log()).sum(-1)
    `)).toEqual([5, 6, 9]);
  });
  it('stays quiet on the log of a name bound more than once, of a softmax plus an epsilon, or of a non-softmax', () => {
    expect(lines('DL102', `
    import torch
    import torch.nn.functional as F
    def f(h, flag):
        p = F.softmax(h, dim=1)
        if flag:
            p = h.sigmoid()
        q = torch.softmax(h, -1)
        r = h.abs()
        return p.log(), torch.log(q + 1e-8), r.log(), torch.log(q.clamp_min(1e-8))
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

describe('DL102: the output of a model', () => {
  it('fires on NLL of a model ending in a softmax or in raw scores, not of one ending in log_softmax', () => {
    const fs = findings('DL102', `
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    class Scores(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(8, 3)

        def forward(self, x):
            return self.fc(x)

    class Probs(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(8, 3)

        def forward(self, x):
            return F.softmax(self.fc(x), dim=1)

    class LogProbs(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(8, 3)

        def forward(self, x):
            return F.log_softmax(self.fc(x), dim=1)

    scores = Scores()
    probs = Probs()
    logp = LogProbs()
    seq = nn.Sequential(nn.Linear(8, 3), nn.ReLU(), nn.Linear(3, 3))

    nll = nn.NLLLoss()
    a = nll(scores(x), y)
    b = nll(probs(x), y)
    c = nll(logp(x), y)
    d = F.nll_loss(seq(x), y)
    e = nll(F.log_softmax(scores(x), dim=1), y)
    `);
    expect(fs.map((f) => f.range.line + 1)).toEqual([35, 36, 38]);
    expect(fs[0].message).toContain('raw scores');
    expect(fs[1].message).toContain('a softmax');
    expect(fs[0].related?.[0].range.line).toBe(10); // 0-based: the return in Scores.forward (line 11)
  });
  it('looks through layout-only methods (.view / .reshape / torch.flatten) on the loss input', () => {
    expect(lines('DL102', `
    import torch
    import torch.nn.functional as F
    def f(scores, tags):
        probs = F.softmax(scores, dim=-1)
        a = F.nll_loss(probs.view(-1, probs.size(-1)), tags.view(-1))
        b = F.nll_loss(torch.flatten(F.softmax(scores, -1), 0, 1), tags.view(-1))
        logp = F.log_softmax(scores, dim=-1)
        c = F.nll_loss(logp.view(-1, logp.size(-1)), tags.view(-1))
        d = F.nll_loss(probs.log().view(-1, 5), tags.view(-1))
        return a, b, c, d
    `)).toEqual([5, 6, 9]); // line 9: the log of a softmax (underflow), not the NLL input
  });

  it('fires on the log of the output of a model ending in a softmax (through a name or inline), not of a model ending in log_softmax or Linear', () => {
    // Before: only a softmax call (or a name bound to one) counted, so torch.log(probs) with
    // probs = head(x), head an nn.Sequential ending in nn.Softmax, went unreported.
    expect(lines('DL102', `
    import torch
    import torch.nn as nn
    head = nn.Sequential(nn.Linear(6, 3), nn.Softmax(dim=-1))
    safe = nn.Sequential(nn.Linear(6, 3), nn.LogSoftmax(dim=-1))
    plain = nn.Linear(6, 1)
    x = torch.randn(4, 6)
    probs = head(x)
    a = torch.log(probs)
    b = torch.log(head(x))
    c = torch.log(safe(x).exp())
    d = torch.log(torch.sigmoid(plain(x)))
    e = torch.log(plain(x).abs() + 1)
    `)).toEqual([8, 9]);
  });
});
