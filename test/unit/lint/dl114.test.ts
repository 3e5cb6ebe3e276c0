// DL114 inplace-on-leaf-tensor.
import { beforeAll, describe, expect, it } from 'vitest';
import { fixAndRelint, initParser, lines } from './helpers';

beforeAll(async () => {
  await initParser();
});

describe('DL114', () => {
  it('fires on in-place updates of leaves that require grad', () => {
    expect(lines('DL114', `
    import torch
    import torch.nn as nn
    w = torch.randn(10, 1, requires_grad=True)
    loss = ((x @ w - y) ** 2).mean()
    loss.backward()
    w -= 0.1 * w.grad
    def reinit(model):
        for p in model.parameters():
            p.uniform_(-0.1, 0.1)
    reinit(nn.Linear(2, 2))
    b = nn.Parameter(torch.zeros(3))
    b[0] = 1.0
    `)).toEqual([6, 9, 12]);
  });
  it('stays quiet under no_grad, on .data / .grad, and for tensors without grad', () => {
    expect(lines('DL114', `
    import torch
    w = torch.randn(10, 1, requires_grad=True)
    with torch.no_grad():
        w -= 0.1 * w.grad
    w.grad.zero_()
    w.data.mul_(0.5)
    v = torch.zeros(3)
    v += 1
    @torch.no_grad()
    def reinit(model):
        for p in model.parameters():
            p.uniform_(-0.1, 0.1)
    def shrink(model):
        for p in model.parameters():
            p.data.mul_(0.9)
    `)).toEqual([]);
  });
  it('fires in each of several loops over parameters that bind the same name', () => {
    // Under torch 1.13 both updates raise "a leaf Variable that requires grad is being used in an in-place operation".
    expect(lines('DL114', `
    import torch
    import torch.nn as nn
    model = nn.Linear(4, 1)
    for p in model.parameters():
        p -= 0.01 * p.grad
    for name, p in model.named_parameters():
        if name.endswith("bias"):
            p.zero_()
    with torch.no_grad():
        for p in model.parameters():
            p.add_(1.0)
    `)).toEqual([5, 8]);
  });
  it('stays quiet when the name is also bound by a loop over something else, or the looped module is frozen', () => {
    expect(lines('DL114', `
    import torch
    import torch.nn as nn
    model, teacher = nn.Linear(4, 1), nn.Linear(4, 1)
    for p in model.parameters():
        print(p.shape)
    for p in [torch.zeros(2), torch.ones(2)]:
        p += 1
    for q in teacher.parameters():
        q.requires_grad_(False)
    for q in teacher.parameters():
        q.mul_(0.5)
    `)).toEqual([]);
  });
  it('fix wraps the statement in torch.no_grad()', () => {
    const r = fixAndRelint('DL114', `
    import torch
    w = torch.randn(10, 1, requires_grad=True)
    w -= 0.1 * w.grad
    `);
    expect(r.text).toContain('with torch.no_grad():\n    w -= 0.1 * w.grad');
    expect(r.remaining).toEqual([]);
  });
  it('fires on a factory tensor made a leaf with .requires_grad_(), not with requires_grad_(False)', () => {
    expect(lines('DL114', `
    import torch
    def f():
        bias = torch.zeros(5).requires_grad_()
        bias.add_(1.0)
        frozen = torch.zeros(5).requires_grad_(False)
        frozen.add_(1.0)
        return bias, frozen
    `)).toEqual([4]);
  });
  it('stays quiet when autograd is off: set_grad_enabled(False) statement, a no-grad object, ExitStack', () => {
    expect(lines('DL114', `
    import contextlib
    import torch
    import torch.nn as nn
    model = nn.Linear(3, 1)
    ctx = torch.no_grad()
    with ctx:
        for p in model.parameters():
            p.mul_(0.5)
    with contextlib.ExitStack() as stack:
        stack.enter_context(torch.no_grad())
        for q in model.parameters():
            q.zero_()
    torch.set_grad_enabled(False)
    for r in model.parameters():
        r.mul_(0.5)
    `)).toEqual([]);
    // Before the switch, outside the stack's no-grad entry, or with a context that enables grad: fires.
    expect(lines('DL114', `
    import contextlib
    import torch
    import torch.nn as nn
    model = nn.Linear(3, 1)
    for r in model.parameters():
        r.mul_(0.5)
    ctx = torch.enable_grad()
    with ctx:
        for p in model.parameters():
            p.mul_(0.5)
    with contextlib.ExitStack() as stack:
        for q in model.parameters():
            q.zero_()
        stack.enter_context(torch.no_grad())
    torch.set_grad_enabled(True)
    for s in model.parameters():
        s.add_(1.0)
    `)).toEqual([6, 10, 13, 17]);
  });
  it('stays quiet on parameters frozen with requires_grad_(False)', () => {
    expect(lines('DL114', `
    import copy
    import torch
    import torch.nn as nn
    online = nn.Linear(4, 2)
    target = copy.deepcopy(online).requires_grad_(False)
    for p in target.parameters():
        p.clamp_(-1.0, 1.0)
    teacher = nn.Linear(4, 2)
    for p2 in teacher.parameters():
        p2.requires_grad_(False)
    for q in teacher.parameters():
        q.mul_(0.99)
    ema = nn.Linear(4, 2)
    ema.requires_grad_(False)
    for e in ema.parameters():
        e.zero_()
    w = nn.Parameter(torch.zeros(3))
    w.requires_grad = False
    w.add_(1.0)
    `)).toEqual([]);
    // The online network is not frozen: fires.
    expect(lines('DL114', `
    import copy
    import torch.nn as nn
    online = nn.Linear(4, 2)
    target = copy.deepcopy(online).requires_grad_(False)
    for p in online.parameters():
        p.clamp_(-1.0, 1.0)
    `)).toEqual([6]);
  });
  it('fires on a module-level parameter changed in place inside a function', () => {
    expect(lines('DL114', `
    import torch
    from torch import nn
    table = nn.Parameter(torch.randn(10, 4))
    def zero_row():
        table[0] = 0.0
        table.add_(1.0)
    def safe():
        with torch.no_grad():
            table[0] = 0.0
    def shadowed(table):
        table[0] = 0.0
    def outer():
        table = torch.zeros(3)
        def inner():
            table[0] = 1.0
        inner()
    `)).toEqual([5, 6]);
  });
  it('fires on the parameter of a named_parameters() loop, not under no_grad or when frozen', () => {
    expect(lines('DL114', `
    import torch
    import torch.nn as nn
    class Probe:
        def __init__(self, model):
            self.model = model
        def perturb(self):
            for name, p in self.model.named_parameters():
                p.add_(torch.randn_like(p))
        @torch.no_grad()
        def perturb_safe(self):
            for name, p in self.model.named_parameters():
                p.add_(torch.randn_like(p))
    def pairs(model):
        for i, (name, p) in enumerate(model.named_parameters()):
            p.mul_(0.5)
    frozen = nn.Linear(2, 2)
    for n, q in frozen.named_parameters():
        q.requires_grad_(False)
    for n, q in frozen.named_parameters():
        q.mul_(0.5)
    `)).toEqual([8]);
  });
});
