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

describe('DL103: a model that ends in a sigmoid', () => {
  it('fires on the with-logits loss of its output, pointing at the sigmoid; not on BCELoss, logits or log-sigmoid', () => {
    const text = `
    import torch
    import torch.nn as nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(8, 1)

        def forward(self, x):
            return torch.sigmoid(self.fc(x))

    class Logits(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(8, 1)

        def forward(self, x):
            return self.fc(x)

    net = Net()
    raw = Logits()
    seq = nn.Sequential(nn.Linear(8, 1), nn.Sigmoid())
    with_logits = nn.BCEWithLogitsLoss()
    a = with_logits(net(x), y)
    b = with_logits(seq(x), y)
    c = with_logits(raw(x), y)
    d = nn.BCELoss()(net(x), y)
    `;
    const fs = findings('DL103', text).filter((f) => f.severity === 'error');
    expect(fs.map((f) => f.range.line + 1)).toEqual([24, 25]);
    expect(fs[0].related?.[0].range.line).toBe(9); // 0-based: the return in Net.forward (line 10)
    expect(fs.every((f) => !f.fix)).toBe(true);
  });
});

describe('DL103: BCELoss on the raw output of a model', () => {
  it('errors when the model ends in a Linear layer with nothing after it, not when it ends in a sigmoid', () => {
    const fs = findings('DL103', `
    import torch
    import torch.nn as nn

    class Head(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(8, 1)

        def forward(self, x):
            return self.fc(x)

    head = Head()
    seq = nn.Sequential(nn.Linear(8, 1), nn.Sigmoid())
    bce = nn.BCELoss()
    a = bce(head(x), y)
    b = bce(seq(x), y)
    `);
    expect(fs.filter((f) => f.severity === 'error').map((f) => f.range.line + 1)).toEqual([15]);
    expect(fs[0].message).toContain('BCEWithLogitsLoss');
  });
});

describe('DL103: a model whose forward returns a submodule output', () => {
  it('follows `return self.net(x)` into an nn.Sequential, both endings', () => {
    const fs = findings('DL103', `
    import torch.nn as nn
    import torch.nn.functional as F

    class Scorer(nn.Module):
        def __init__(self):
            super().__init__()
            self.net = nn.Sequential(nn.Linear(10, 20), nn.ReLU(), nn.Linear(20, 1))

        def forward(self, x):
            return self.net(x)

    class Prob(nn.Module):
        def __init__(self):
            super().__init__()
            self.net = nn.Sequential(nn.Linear(10, 1), nn.Sigmoid())

        def forward(self, x):
            return self.net(x)

    class Mixed(nn.Module):
        def __init__(self):
            super().__init__()
            self.net = nn.Sequential(nn.Linear(10, 1))

        def forward(self, x):
            return self.net(x).sigmoid()

    scorer = Scorer()
    prob = Prob()
    mixed = Mixed()
    a = F.binary_cross_entropy(scorer(x), y)
    b = F.binary_cross_entropy(prob(x), y)
    c = F.binary_cross_entropy(mixed(x), y)
    d = F.binary_cross_entropy_with_logits(scorer(x), y)
    e = F.binary_cross_entropy_with_logits(prob(x), y)
    `);
    expect(fs.filter((f) => f.severity === 'error').map((f) => f.range.line + 1)).toEqual([31, 35]);
    expect(fs[0].related?.[0].range.line).toBe(6); // 0-based: the last Linear of Scorer.net (line 7)
  });
  it('fires through a module-level helper that returns a sigmoid, not one that returns logits', () => {
    expect(lines('DL103', `
    import torch
    import torch.nn as nn
    def predict_proba(model, x):
        return torch.sigmoid(model(x))
    def scores(model, x):
        return model(x)
    model = nn.Linear(8, 1)
    criterion = nn.BCEWithLogitsLoss()
    for x, y in loader:
        loss = criterion(predict_proba(model, x), y)
        loss2 = criterion(scores(model, x), y)
    `)).toEqual([10]);
  });
});
