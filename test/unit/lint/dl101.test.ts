// DL101 softmax-before-cross-entropy: must fire at the loss input, never on logits / log_softmax.
import { beforeAll, describe, expect, it } from 'vitest';
import { findings, fixAndRelint, initParser, lines } from './helpers';

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
  it('fires through a name assigned from a softmax in a top-level training loop (scripts, notebooks)', () => {
    expect(lines('DL101', HEAD + `
    criterion = nn.CrossEntropyLoss()
    for step in range(3):
        logits = torch.randn(8, 3)
        probs = torch.softmax(logits, dim=1)
        loss = criterion(probs, torch.randint(0, 3, (8,)))
    while False:
        other = F.softmax(logits, dim=1)
        other = logits
        loss = criterion(other, torch.randint(0, 3, (8,)))
    `)).toEqual([9]);
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

describe('DL101 (b): a model that ends in a softmax', () => {
  const NET = HEAD + `
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(784, 10)

        def forward(self, x):
            x = self.fc(x)
            return F.softmax(x, dim=1)
  `;
  it('fires at the loss input, through a name and inline, pointing at the softmax in forward; no fix', () => {
    const text = NET + `
    model = Net()
    criterion = nn.CrossEntropyLoss()
    def train_step(x, y):
        out = model(x)
        loss = criterion(out, y)
        return loss + F.cross_entropy(model(x), y)
    `;
    const fs = findings('DL101', text);
    // At the two loss inputs, and once at the softmax that ends forward (catalogue: case (b) is reported at both).
    expect(fs.map((f) => f.range.line + 1)).toEqual([12, 18, 19]);
    expect(fs[0].message).toMatch(/^Net\.forward ends in this softmax, and its output goes to cross-entropy \(line 18\)/);
    expect(fs[1].message).toContain('Net.forward');
    expect(fs[1].related?.[0].range.line).toBe(11); // 0-based: the return in forward (line 12)
    expect(fs.every((f) => !f.fix)).toBe(true);
  });
  it('fires on an nn.Sequential whose last layer is nn.Softmax, and through self.* in a training class', () => {
    expect(lines('DL101', HEAD + `
    model = nn.Sequential(nn.Linear(784, 10), nn.Softmax(dim=1))
    loss = nn.CrossEntropyLoss()(model(x), y)
    `)).toEqual([5, 6]);
    expect(lines('DL101', NET + `
    class Trainer:
        def __init__(self):
            self.model = Net()
            self.loss_fn = nn.CrossEntropyLoss()

        def step(self, x, y):
            return self.loss_fn(self.model(x), y)
    `)).toEqual([12, 20]);
  });
  it('stays quiet when the model returns logits, returns softmax only sometimes, ends in log_softmax, or the loss is NLL', () => {
    expect(lines('DL101', HEAD + `
    class A(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 2)
        def forward(self, x):
            return self.fc(x)

    class B(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 2)
        def forward(self, x):
            if self.training:
                return self.fc(x)
            return F.softmax(self.fc(x), dim=1)

    class C(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 2)
        def forward(self, x):
            return F.log_softmax(self.fc(x), dim=1)

    a, b, c = A(), B(), C()
    s = nn.Sequential(nn.Linear(4, 2), nn.LogSoftmax(dim=1))
    criterion = nn.CrossEntropyLoss()
    l1 = criterion(a(x), y) + criterion(b(x), y) + criterion(c(x), y) + criterion(s(x), y)
    l2 = nn.NLLLoss()(c(x), y)
    `)).toEqual([]);
  });
  it('looks through .view / .reshape on the loss input, and the fix still drops only the softmax', () => {
    expect(lines('DL101', `
    import torch.nn as nn
    import torch.nn.functional as F
    crit = nn.CrossEntropyLoss()
    def f(out, y):
        p = F.softmax(out, dim=-1).reshape(-1, 10)
        a = crit(p, y)
        b = crit(F.softmax(out, dim=-1).view(-1, 10), y.view(-1))
        c = crit(out.view(-1, 10), y.view(-1))
        return a, b, c
    `)).toEqual([6, 7]);
    const { text, remaining } = fixAndRelint('DL101', `
    import torch.nn.functional as F
    def f(out, y):
        return F.cross_entropy(F.softmax(out, dim=-1).view(-1, 10), y)
    `);
    expect(text).toContain('F.cross_entropy(out.view(-1, 10), y)');
    expect(remaining).toEqual([]);
  });
  it('fires through a helper of the file that returns a softmax on every return (a trainer method, a module-level function)', () => {
    expect(lines('DL101', `
    import torch
    import torch.nn as nn
    def probs_of(model, x):
        return torch.softmax(model(x), dim=1)
    def maybe_probs(model, x, probs=False):
        if probs:
            return torch.softmax(model(x), dim=1)
        return model(x)
    class Trainer:
        def __init__(self, model):
            self.model = model
            self.loss_fn = nn.CrossEntropyLoss()
        def _forward(self, x):
            return torch.softmax(self.model(x), dim=1)
        def _logits(self, x):
            return self.model(x)
        def step(self, x, y):
            a = self.loss_fn(self._forward(x), y)
            b = self.loss_fn(self._logits(x), y)
            c = self.loss_fn(probs_of(self.model, x), y)
            d = self.loss_fn(maybe_probs(self.model, x), y)
            e = self.loss_fn(maybe_probs(self.model, x, probs=True), y)
    `)).toEqual([4, 14, 18, 20]);
  });
  it('fires through a name bound once to the functional loss (alias, functools.partial), not when rebound or shadowed', () => {
    expect(lines('DL101', `
    import functools
    import torch
    from torch import nn
    ce = nn.functional.cross_entropy
    smooth_ce = functools.partial(nn.functional.cross_entropy, label_smoothing=0.1)
    mse = nn.functional.mse_loss
    lossf = nn.functional.cross_entropy
    lossf = nn.functional.mse_loss
    def step(model, x, y):
        a = ce(model(x).softmax(dim=1), y)
        b = smooth_ce(torch.softmax(model(x), 1), y)
        c = ce(model(x), y)
        d = mse(model(x).softmax(dim=1), y)
        e = lossf(model(x).softmax(dim=1), y)
    def shadow(model, x, y, ce):
        return ce(model(x).softmax(dim=1), y)
    `)).toEqual([10, 11]);
  });
  it('follows a name re-bound to a softmax before the loss on every path (reaching assignment)', () => {
    expect(lines('DL101', `
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    model = nn.Linear(10, 4)
    criterion = nn.CrossEntropyLoss()
    for inputs, labels in loader:
        outputs = model(inputs)
        outputs = nn.Softmax(dim=1)(outputs)
        loss = criterion(outputs, labels)
    def step(x, y):
        out = model(x)
        out = F.softmax(out, dim=-1)
        return F.cross_entropy(out, y)
    `)).toEqual([9, 13]);
  });
  it('stays quiet when the softmax re-binding does not reach the loss on every path', () => {
    expect(lines('DL101', `
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    model = nn.Linear(10, 4)
    criterion = nn.CrossEntropyLoss()
    def a(x, y, report):
        out = model(x)
        if report:
            out = F.softmax(out, dim=-1)
        return criterion(out, y)
    def b(x, y):
        out = F.softmax(model(x), dim=-1)
        print(out.max())
        out = model(x)
        return criterion(out, y)
    def c(x, y, mode):
        if mode:
            out = F.softmax(model(x), dim=-1)
        else:
            out = model(x)
            return criterion(out, y)
        return out
    `)).toEqual([]);
  });
});

