// DL104 missing-zero-grad.
import { beforeAll, describe, expect, it } from 'vitest';
import { findings, fixAndRelint, initParser, lines } from './helpers';

beforeAll(async () => {
  await initParser();
});

const SETUP = `
    import torch
    import torch.nn as nn
    model = nn.Linear(4, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = nn.MSELoss()
`;

describe('DL104', () => {
  it('warns at step() when the loop never clears gradients', () => {
    const fs = findings('DL104', SETUP + `
    for x, y in loader:
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
    `);
    expect(fs.map((f) => [f.range.line + 1, f.severity])).toEqual([[10, 'warning']]);
  });
  it('finds the optimizer through a parameter of a same-file function', () => {
    expect(lines('DL104', SETUP + `
    def train(model, loader, opt):
        for x, y in loader:
            loss_fn(model(x), y).backward()
            opt.step()
    train(model, [], optimizer)
    `)).toEqual([10]);
  });
  it('errors on zero_grad between backward and step', () => {
    const fs = findings('DL104', SETUP + `
    for x, y in loader:
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.zero_grad()
        optimizer.step()
    `);
    expect(fs.map((f) => [f.range.line + 1, f.severity])).toEqual([[10, 'error']]);
  });
  it('accepts clearing in nested blocks, accumulation, helpers and enclosing loops', () => {
    expect(lines('DL104', SETUP + `
    def clear():
        optimizer.zero_grad(set_to_none=True)
    for i, (x, y) in enumerate(loader):
        loss_fn(model(x), y).backward()
        if (i + 1) % 4 == 0:
            optimizer.step()
            optimizer.zero_grad()
    for x, y in loader:
        clear()
        loss_fn(model(x), y).backward()
        optimizer.step()
    for epoch in range(3):
        model.zero_grad()
        for x, y in loader:
            loss_fn(model(x), y).backward()
            optimizer.step()
    `)).toEqual([]);
  });
  it('stays quiet on scheduler steps and unknown optimizers', () => {
    expect(lines('DL104', SETUP + `
    sched = torch.optim.lr_scheduler.StepLR(optimizer, 10)
    def run(opt):
        for x, y in loader:
            loss_fn(model(x), y).backward()
            opt.step()
            sched.step()
    `)).toEqual([]);
  });
  it('fix inserts zero_grad at the start of the loop', () => {
    const r = fixAndRelint('DL104', SETUP + `
    for x, y in loader:
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
    `);
    expect(r.text).toContain('for x, y in loader:\n    optimizer.zero_grad()\n    loss = loss_fn');
    expect(r.remaining).toEqual([]);
  });
  it('fix moves a misplaced zero_grad before the forward pass', () => {
    const r = fixAndRelint('DL104', SETUP + `
    for x, y in loader:
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.zero_grad()
        optimizer.step()
    `);
    expect(r.text).toContain('for x, y in loader:\n    optimizer.zero_grad()\n    loss = loss_fn(model(x), y)\n    loss.backward()\n    optimizer.step()');
    expect(r.remaining).toEqual([]);
  });
  it('warns on an optimizer only ever followed by another optimizer\'s zero_grad, whichever steps first', () => {
    expect(lines('DL104', SETUP + `
    opt_d = torch.optim.SGD(model.parameters(), lr=0.1)
    for x in loader:
        loss_fn(model(x), x).backward()
        opt_d.step()
        optimizer.zero_grad()
        loss_fn(model(x), x).backward()
        optimizer.step()
    for x in loader:
        optimizer.zero_grad()
        loss_fn(model(x), x).backward()
        optimizer.step()
        loss_fn(model(x), x).backward()
        opt_d.step()
    `)).toEqual([10, 19]);
  });
  it('stays quiet when each optimizer is cleared, or a loop over the optimizers clears them', () => {
    expect(lines('DL104', SETUP + `
    opt_d = torch.optim.SGD(model.parameters(), lr=0.1)
    for x in loader:
        opt_d.zero_grad()
        loss_fn(model(x), x).backward()
        opt_d.step()
        optimizer.zero_grad()
        loss_fn(model(x), x).backward()
        optimizer.step()
    for x in loader:
        for o in (optimizer, opt_d):
            o.zero_grad()
        loss_fn(model(x), x).backward()
        opt_d.step()
        optimizer.step()
    `)).toEqual([]);
  });
  it('errors only when the cleared optimizer or module is the one stepped (GAN: other network)', () => {
    const GAN = `
    import torch
    import torch.nn as nn
    G, D = nn.Linear(4, 2), nn.Linear(2, 1)
    opt_g = torch.optim.SGD(G.parameters(), lr=0.1)
    opt_d = torch.optim.SGD(D.parameters(), lr=0.1)
    opt_all = torch.optim.SGD(list(G.parameters()) + list(D.parameters()), lr=0.1)
    `;
    // D's grads (or opt_d's) cleared after the G loss; opt_g then steps with G's grads intact.
    expect(lines('DL104', GAN + `
    for _ in range(3):
        opt_g.zero_grad()
        g_loss = -D(G(torch.randn(8, 4))).mean()
        g_loss.backward()
        D.zero_grad(set_to_none=True)
        opt_g.step()
    for _ in range(3):
        opt_g.zero_grad()
        g_loss = -D(G(torch.randn(8, 4))).mean()
        g_loss.backward()
        opt_d.zero_grad()
        opt_g.step()
    def step(opt):
        for _ in range(3):
            opt.zero_grad()
            loss = G(torch.randn(8, 4)).sum()
            loss.backward()
            G.zero_grad()
            opt.step()
    `)).toEqual([]);
    // The stepped optimizer's own module (or the optimizer itself) is cleared: error, naming it.
    const fs = findings('DL104', GAN + `
    for _ in range(3):
        opt_d.zero_grad()
        d_loss = D(G(torch.randn(8, 4)).detach()).mean()
        d_loss.backward()
        opt_d.step()
        opt_g.zero_grad()
        g_loss = -D(G(torch.randn(8, 4))).mean()
        g_loss.backward()
        G.zero_grad()
        opt_g.step()
    for _ in range(3):
        opt_all.zero_grad()
        loss = D(G(torch.randn(8, 4))).mean()
        loss.backward()
        D.zero_grad()
        opt_all.step()
    `);
    expect(fs.map((f) => [f.range.line + 1, f.severity])).toEqual([[16, 'error'], [22, 'error']]);
    expect(fs[0].message).toContain('before opt_g.step()');
  });
});
