// DL108 method-reference-not-called.
import { beforeAll, describe, expect, it } from 'vitest';
import { fixAndRelint, initParser, lines } from './helpers';

beforeAll(async () => {
  await initParser();
});

describe('DL108', () => {
  it('fires on bare method statements and uncalled state_dict / parameters', () => {
    expect(lines('DL108', `
    import torch
    import torch.nn as nn
    model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.1), nn.Linear(8, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()
    model.eval
    optimizer.zero_grad
    torch.save(model.state_dict, "ckpt.pt")
    opt = torch.optim.SGD(model.parameters, lr=0.1)
    n = sum(p.numel() for p in model.parameters)
    `)).toEqual([6, 7, 8, 9]);
  });
  it('needs no framework import: a bare method statement is a no-op whatever the type', () => {
    expect(lines('DL108', `
    class Trainer:
        def step(self, loss):
            self.optimizer.zero_grad
            loss.backward()
            self.optimizer.step()
    `)).toEqual([3]);
  });
  it('stays quiet on a property or data attribute of that name in the file, and in a try / except AttributeError probe', () => {
    expect(lines('DL108', `
    class Counter:
        update = "daily"
        def __init__(self):
            self._n = 0
        @property
        def eval(self):
            self._n += 1
            return self._n
    c = Counter()
    c.eval
    c.update
    def has_step(obj):
        try:
            obj.step
        except AttributeError:
            return False
        return True
    `)).toEqual([]);
    // Outside such a probe, the same statement is reported.
    expect(lines('DL108', `
    def f(obj):
        try:
            obj.step
        except ValueError:
            pass
    `)).toEqual([3]);
  });
  it('stays quiet on calls and on other attributes', () => {
    expect(lines('DL108', `
    import torch
    import torch.nn as nn
    model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.1), nn.Linear(8, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()
    model.eval()
    optimizer.zero_grad()
    torch.save(model.state_dict(), "ckpt.pt")
    params = list(model.parameters())
    model.training
    f = model.eval
    `)).toEqual([]);
  });
  it('fix appends ()', () => {
    const r = fixAndRelint('DL108', `
    import torch
    import torch.nn as nn
    model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.1), nn.Linear(8, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()
    model.eval
    torch.save(model.state_dict, "ckpt.pt")
    `);
    expect(r.text).toContain('model.eval()\ntorch.save(model.state_dict(), "ckpt.pt")');
    expect(r.remaining).toEqual([]);
  });
});
