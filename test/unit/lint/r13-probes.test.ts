// Round-13 probe fixes: each with a case that fires and a near-miss that stays quiet.
import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lines } from './helpers';

beforeAll(async () => {
  await initParser();
});

describe('DL307: a for loop\'s iterable runs once', () => {
  it('stays quiet when tape.gradient is the iterable of the loop', () => {
    expect(lines('DL307', `
    import tensorflow as tf
    def accumulate(model, accum, x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(x, training=True) - y))
        for acc, g in zip(accum, tape.gradient(loss, model.trainable_variables)):
            acc.assign_add(g)
        return loss
    `)).toEqual([]);
  });

  it('still fires when the gradient call is in the loop body', () => {
    expect(lines('DL307', `
    import tensorflow as tf
    def grads(model, variables, x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(model(x))
        out = []
        for v in variables:
            out.append(tape.gradient(loss, v))
        return out
    `)).toEqual([7]);
  });
});

describe('DL106: a model built afresh in each iteration', () => {
  it('stays quiet on a sweep that rebuilds the model before eval()', () => {
    expect(lines('DL106', `
    import torch
    import torch.nn as nn
    X, Y = torch.randn(30, 3), torch.randn(30, 1)
    for hidden in (4, 8):
        model = nn.Sequential(nn.Linear(3, hidden), nn.Dropout(0.1), nn.Linear(hidden, 1))
        opt = torch.optim.Adam(model.parameters(), lr=1e-2)
        for _ in range(3):
            opt.zero_grad()
            nn.functional.mse_loss(model(X), Y).backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            print(nn.functional.mse_loss(model(X), Y).item())
    `)).toEqual([]);
  });

  it('still fires when the loop only moves the same model (model = model.to(device))', () => {
    expect(lines('DL106', `
    import torch
    import torch.nn as nn
    X, Y = torch.randn(30, 3), torch.randn(30, 1)
    model = nn.Sequential(nn.Linear(3, 8), nn.Dropout(0.1), nn.Linear(8, 1))
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for epoch in range(3):
        model = model.to("cpu")
        for _ in range(3):
            opt.zero_grad()
            nn.functional.mse_loss(model(X), Y).backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            print(nn.functional.mse_loss(model(X), Y).item())
    `)).toEqual([12]);
  });
});

describe('DL101: a top-level alias of an imported class reads like an import', () => {
  it('fires on CE = nn.CrossEntropyLoss applied to a softmax output', () => {
    expect(lines('DL101', `
    import torch
    import torch.nn as nn
    CE = nn.CrossEntropyLoss
    net = nn.Sequential(nn.Linear(8, 4), nn.Softmax(dim=1))
    criterion = CE()
    loss = criterion(net(torch.randn(2, 8)), torch.tensor([0, 1]))
    `).length).toBeGreaterThan(0);
  });

  it('stays quiet when the alias is rebound to another loss', () => {
    expect(lines('DL101', `
    import torch
    import torch.nn as nn
    CE = nn.CrossEntropyLoss
    CE = nn.MSELoss
    net = nn.Sequential(nn.Linear(8, 4), nn.Softmax(dim=1))
    criterion = CE()
    loss = criterion(net(torch.randn(2, 8)), torch.randn(2, 4))
    `)).toEqual([]);
  });
});

describe('DL104: zero_grad() between backward() and step() in a step function', () => {
  it('fires in a train_step() function with no loop of its own', () => {
    expect(lines('DL104', `
    import torch
    import torch.nn as nn
    model = nn.Linear(5, 1)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    def train_step(x, y):
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.zero_grad()
        opt.step()
        return loss.item()
    for _ in range(3):
        train_step(torch.randn(4, 5), torch.randn(4, 1))
    `)).toEqual([8]);
  });

  it('stays quiet when the step function clears before the forward pass', () => {
    expect(lines('DL104', `
    import torch
    import torch.nn as nn
    model = nn.Linear(5, 1)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    def train_step(x, y):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()
    for _ in range(3):
        train_step(torch.randn(4, 5), torch.randn(4, 1))
    `)).toEqual([]);
  });
});

describe('Module methods that return the module keep its kind', () => {
  it('DL109 fires on forward() of a Sequential bound with .eval() / .to(device) chained', () => {
    expect(lines('DL109', `
    import torch
    import torch.nn as nn
    teacher = nn.Sequential(nn.Linear(12, 5)).eval()
    student = nn.Sequential(nn.Linear(12, 5)).to("cpu")
    t = teacher.forward(torch.randn(2, 12))
    s = student.forward(torch.randn(2, 12))
    `)).toEqual([5, 6]);
  });

  it('stays quiet on .to(...).forward() of a plain class that is not a module', () => {
    expect(lines('DL109', `
    import torch
    class Pipeline:
        def to(self, device):
            return self
        def forward(self, x):
            return x * 2
    pipe = Pipeline().to("cpu")
    y = pipe.forward(torch.randn(2, 3))
    `)).toEqual([]);
  });
});

describe('a, b = f(a, b) hands the names back: they keep their kinds', () => {
  const prelude = `
    import torch
    import torch.nn as nn
    class Accelerator:
        def prepare(self, *objs):
            return objs
        def backward(self, loss):
            loss.backward()
    accelerator = Accelerator()
    model = nn.Linear(8, 1)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)`;

  it('DL104 fires on an accelerate-style loop with no zero_grad()', () => {
    expect(lines('DL104', `${prelude}
    model, optimizer = accelerator.prepare(model, optimizer)
    for i in range(10):
        loss = nn.functional.mse_loss(model(torch.randn(4, 8)), torch.randn(4, 1))
        accelerator.backward(loss)
        optimizer.step()
    `)).toEqual([15]);
  });

  it('stays quiet when the loop clears, and when the names come back in another order', () => {
    expect(lines('DL104', `${prelude}
    model, optimizer = accelerator.prepare(model, optimizer)
    for i in range(10):
        loss = nn.functional.mse_loss(model(torch.randn(4, 8)), torch.randn(4, 1))
        accelerator.backward(loss)
        optimizer.step()
        optimizer.zero_grad()
    `)).toEqual([]);
    expect(lines('DL104', `${prelude}
    optimizer, model = accelerator.prepare(model, optimizer)
    for i in range(10):
        loss = nn.functional.mse_loss(model(torch.randn(4, 8)), torch.randn(4, 1))
        accelerator.backward(loss)
        optimizer.step()
    `)).toEqual([]);
  });
});
