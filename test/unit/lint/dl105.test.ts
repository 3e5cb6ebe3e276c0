// DL105 loss-accumulated-with-graph.
import { beforeAll, describe, expect, it } from 'vitest';
import { fixAndRelint, initParser, lines } from './helpers';

beforeAll(async () => {
  await initParser();
});

describe('DL105', () => {
  it('fires on += and append of a loss in a training loop', () => {
    expect(lines('DL105', `
    import torch
    import torch.nn as nn
    model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.1), nn.Linear(8, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()
    running = 0.0
    history = []
    for x, y in loader:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running += loss
        history.append(loss)
    `)).toEqual([13, 14]);
  });
  it('fires on lst += [loss], and not on lst += [loss.item()] or a list reset in the loop', () => {
    const src = `
    import torch.nn as nn
    crit = nn.CrossEntropyLoss()
    def run(model, opt, loader):
        history = []
        values = []
        kept = []
        for x, y in loader:
            opt.zero_grad()
            l = crit(model(x), y)
            l.backward()
            opt.step()
            history += [l]
            values += [l.item()]
            kept = []
            kept += [l]
        return history
    `;
    expect(lines('DL105', src)).toEqual([12]);
    const r = fixAndRelint('DL105', src);
    expect(r.text).toContain('history += [l.item()]');
    expect(r.remaining).toEqual([]);
  });
  it('fires on total = total + loss, and not when the sum is reset in the loop', () => {
    expect(lines('DL105', `
    import torch.nn.functional as F
    def fit(model, loader, opt):
        total = 0.0
        for x, y in loader:
            opt.zero_grad()
            loss = F.mse_loss(model(x), y)
            loss.backward()
            opt.step()
            total = total + loss
        return total
    def per_batch(model, loader, opt):
        total = 0.0
        for x, y in loader:
            total = 0.0
            opt.zero_grad()
            loss = F.mse_loss(model(x), y)
            loss.backward()
            opt.step()
            total = total + loss
        return total
    `)).toEqual([9]);
  });
  it('stays quiet on .item(), under no_grad, and on per-iteration sums of partial losses', () => {
    expect(lines('DL105', `
    import torch
    import torch.nn as nn
    model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.1), nn.Linear(8, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()
    running = 0.0
    for x, y in loader:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running += loss.item()
    val = 0.0
    with torch.no_grad():
        for x, y in val_loader:
            l = criterion(model(x), y)
            val += l
    for x, y in loader:
        total = 0
        for head in range(2):
            part = criterion(model(x), y)
            total += part
        total.backward()
    `)).toEqual([]);
  });
  it('fix appends .item()', () => {
    const r = fixAndRelint('DL105', `
    import torch
    import torch.nn as nn
    model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.1), nn.Linear(8, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()
    running = 0.0
    for x, y in loader:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running += loss
    `);
    expect(r.text).toContain('running += loss.item()');
    expect(r.remaining).toEqual([]);
  });
  it('runs in a helper module that imports no framework when it is a PyTorch training step (zero_grad and backward)', () => {
    const step = `
    def train(model, loader, opt, crit):
        total = 0.0
        for x, y in loader:
            opt.zero_grad()
            l = crit(model(x), y)
            l.backward()
            opt.step()
            total += l
        return total
    `;
    expect(lines('DL105', step)).toEqual([8]);
    // Without the training idioms nothing says it is PyTorch: the rule does not run.
    expect(lines('DL105', step.replace('opt.zero_grad()', 'pass'))).toEqual([]);
  });
  it('stays quiet once the loss name is rebound to a number (loss = loss.item() / float(loss)) before accumulating', () => {
    expect(lines('DL105', `
    import torch.nn.functional as F
    def train(model, loader, opt):
        total, hist, seen = 0.0, [], []
        for x, y in loader:
            opt.zero_grad()
            loss = F.mse_loss(model(x), y)
            seen.append(loss)
            loss.backward()
            opt.step()
            loss = loss.item()
            total += loss
            hist.append(loss)
        for x, y in loader:
            l2 = F.mse_loss(model(x), y)
            l2.backward()
            l2 = float(l2)
            total += l2
    `)).toEqual([7]);
  });
  it('fires on self.history.append(loss) / self.total += loss in a trainer method, not on .item() or a list reset in the loop', () => {
    expect(lines('DL105', `
    import torch
    import torch.nn as nn
    class Fitter:
        def __init__(self, model):
            self.model = model
            self.opt = torch.optim.Adam(model.parameters())
            self.history = []
            self.total = 0
            self.floats = []
            self.batch_losses = []
        def fit(self, loader):
            for x, y in loader:
                self.opt.zero_grad()
                loss = nn.functional.cross_entropy(self.model(x), y)
                loss.backward()
                self.opt.step()
                self.history.append(loss)
                self.total += loss
                self.floats.append(loss.item())
                self.batch_losses = []
                self.batch_losses.append(loss)
    def free(history, loader, model, opt):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            loss.backward()
            self.history.append(loss)
    `)).toEqual([17, 18]);
  });

  it('fires on a scaled loss (running += loss * x.size(0), total = total + loss / n), not on loss.item() * n', () => {
    // Before: only the bare name was matched, so the common per-sample weighting kept every graph unreported.
    const src = `
    import torch
    import torch.nn as nn
    model = nn.Linear(3, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    running = 0.0
    total = 0.0
    ok = 0.0
    for x, y in loader:
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        running += loss * x.size(0)
        total = total + loss / len(loader)
        ok += loss.item() * x.size(0)
        ok += loss.detach() * 2
    `;
    expect(lines('DL105', src)).toEqual([13, 14]);
    const r = fixAndRelint('DL105', src);
    expect(r.text).toContain('running += loss.item() * x.size(0)');
    expect(r.remaining).toEqual([]);
  });
});
