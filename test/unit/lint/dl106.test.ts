// DL106 train-eval-mode-toggling.
import { beforeAll, describe, expect, it } from 'vitest';
import { fixAndRelint, initParser, lines } from './helpers';

beforeAll(async () => {
  await initParser();
});

describe('DL106', () => {
  it('fires when a training loop switches to eval() and never back', () => {
    expect(lines('DL106', `
    import torch
    import torch.nn as nn
    model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.1), nn.Linear(8, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()
    def evaluate(m, data):
        m.eval()
        with torch.no_grad():
            return sum(float((m(x).argmax(1) == y).sum()) for x, y in data)
    for epoch in range(10):
        for x, y in loader:
            optimizer.zero_grad()
            criterion(model(x), y).backward()
            optimizer.step()
        model.eval()
        acc = evaluate(model, val_loader)
    `)).toEqual([15]);
  });
  it('stays quiet when train() is called in the loop or in a helper, or for another model', () => {
    expect(lines('DL106', `
    import torch
    import torch.nn as nn
    model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.1), nn.Linear(8, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()
    teacher = nn.Linear(4, 2)
    def train_one_epoch():
        model.train()
        for x, y in loader:
            optimizer.zero_grad()
            criterion(model(x), y).backward()
            optimizer.step()
    for epoch in range(10):
        train_one_epoch()
        model.eval()
    for epoch in range(10):
        teacher.eval()
        for x, y in loader:
            optimizer.zero_grad()
            criterion(model(x), y).backward()
            optimizer.step()
    `)).toEqual([]);
  });
  it('fix inserts model.train() at the start of the loop', () => {
    const r = fixAndRelint('DL106', `
    import torch
    import torch.nn as nn
    model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.1), nn.Linear(8, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(10):
        for x, y in loader:
            optimizer.zero_grad()
            criterion(model(x), y).backward()
            optimizer.step()
        model.eval()
    `);
    expect(r.text).toContain('for epoch in range(10):\n    model.train()\n    for x, y in loader:');
    expect(r.remaining).toEqual([]);
  });
  it('fires on an evaluation function without eval() whose callers never set it (catalogue variant a), with the fix', () => {
    const src = `
    import torch
    import torch.nn as nn
    model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5), nn.Linear(4, 2))
    def evaluate(model, loader):
        with torch.no_grad():
            return sum((model(x).argmax(1) == y).sum().item() for x, y in loader)
    acc = evaluate(model, [])
    `;
    expect(lines('DL106', src)).toEqual([6]);
    const r = fixAndRelint('DL106', src);
    expect(r.text).toContain('def evaluate(model, loader):\n    model.eval()\n    with torch.no_grad():');
    expect(r.remaining).toEqual([]);
  });
  it('stays quiet on variant a when a caller calls eval() first, the model has no mode-dependent layer, or nothing calls the function', () => {
    expect(lines('DL106', `
    import torch
    import torch.nn as nn
    model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5), nn.Linear(4, 2))
    plain = nn.Sequential(nn.Linear(4, 2))
    def evaluate(model, loader):
        with torch.no_grad():
            return sum((model(x).argmax(1) == y).sum().item() for x, y in loader)
    def score(m, loader):
        with torch.no_grad():
            return [m(x) for x, _ in loader]
    def unused(m, loader):
        with torch.no_grad():
            return [m(x) for x, _ in loader]
    model.eval()
    acc = evaluate(model, [])
    s = score(plain, [])
    `)).toEqual([]);
  });
  it('variant a: a same-file helper that calls eval(), or a model built with .eval() chained, sets the mode; a training helper does not', () => {
    const head = `
    import torch
    import torch.nn as nn
    model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5), nn.Linear(4, 2))
    def set_eval(m):
        m.eval()
    def train_epoch(m):
        m.train()
    def evaluate(model, loader):
        with torch.no_grad():
            return [model(x) for x in loader]
    `;
    expect(lines('DL106', `${head}
    set_eval(model)
    acc = evaluate(model, [])
    `)).toEqual([]);
    expect(lines('DL106', `${head}
    clf = nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(4)).eval()
    acc = evaluate(clf, [])
    `)).toEqual([]);
    expect(lines('DL106', `${head}
    train_epoch(model)
    acc = evaluate(model, [])
    `)).toEqual([10]);
  });
  it('judges an evaluation function the file never calls by its name, when the file\'s model has Dropout or BatchNorm', () => {
    const text = `
    import torch
    import torch.nn as nn
    class MLP(nn.Module):
        def __init__(self):
            super().__init__()
            self.net = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Dropout(0.3), nn.Linear(64, 2))
        def forward(self, x):
            return self.net(x)
    def validate(model, val_loader):
        correct = 0
        with torch.no_grad():
            for x, y in val_loader:
                correct += (model(x).argmax(1) == y).sum().item()
        return correct
    def embed_batch(model, x):
        with torch.no_grad():
            return model(x)
    `;
    expect(lines('DL106', text)).toEqual([13]);
    // Without a mode-dependent layer in the file's model, nothing to say.
    expect(lines('DL106', text.replace('nn.Dropout(0.3), ', ''))).toEqual([]);
  });
  it('fires on an evaluation function using a module-level model with Dropout that nothing in the file puts in eval mode', () => {
    const src = (extra: string) => `
    import torch
    import torch.nn as nn
    model = nn.Sequential(nn.Linear(10, 10), nn.Dropout(0.5), nn.Linear(10, 2))
    plain = nn.Sequential(nn.Linear(10, 2))
    def test(loader):
        correct = 0
        with torch.no_grad():
            for x, y in loader:
                correct += (model(x).argmax(1) == y).sum().item()
                plain(x)
        return correct
    ${extra}
    `;
    expect(lines('DL106', src(''))).toEqual([9]);
    expect(lines('DL106', src('model.eval()'))).toEqual([]);
    expect(lines('DL106', src('set_mode(model)'))).toEqual([]);
    expect(lines('DL106', src('def f():\n        global model\n        model = None'))).toEqual([]);
  });
  it('fires on an evaluation helper called with a function-local model put in training mode just before', () => {
    const src = (before: string) => `
    import torch
    import torch.nn as nn
    def build():
        return nn.Sequential(nn.Linear(16, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Dropout(0.5), nn.Linear(32, 4))
    def validate(model, loader):
        correct = 0
        with torch.no_grad():
            for x, y in loader:
                correct += (model(x).argmax(-1) == y).sum().item()
        return correct
    def main(train_loader, val_loader):
        model = build()
        opt = torch.optim.Adam(model.parameters())
        for epoch in range(5):
            model.train()
            for x, y in train_loader:
                opt.zero_grad()
                nn.functional.cross_entropy(model(x), y).backward()
                opt.step()
            ${before}
            print(validate(model, val_loader))
    `;
    expect(lines('DL106', src('pass'))).toEqual([9]);
    expect(lines('DL106', src('model.train(True)'))).toEqual([]);
    expect(lines('DL106', src('model.eval()'))).toEqual([]);
    expect(lines('DL106', src('model.train(False)'))).toEqual([]);
    expect(lines('DL106', src('model.train(mode=training)'))).toEqual([]);
  });
  it('takes model.train() before the call as deliberate, unless a training step lies between it and an evaluation-named function', () => {
    expect(lines('DL106', `
    import torch
    import torch.nn as nn
    def build():
        return nn.Sequential(nn.Linear(8, 8), nn.BatchNorm1d(8), nn.Linear(8, 2))
    def key_forward(encoder, x):
        with torch.no_grad():
            return encoder(x)
    def evaluate(model, x):
        with torch.no_grad():
            return model(x)
    def main(loader):
        key_enc = build()
        model = build()
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        for epoch in range(3):
            key_enc.train()
            model.train()
            print(evaluate(model, x0))
            for x in loader:
                k = key_forward(key_enc, x)
                opt.zero_grad()
                model(x).sum().backward()
                opt.step()
    `)).toEqual([]);
  });

  it('fires on a trainer class whose evaluate() runs self.model under no_grad with nothing putting it in eval mode', () => {
    // Before: methods were never evaluation scopes (only free functions), so the common
    // Trainer.evaluate() with Dropout still active went unreported.
    const cls = (extra: string, model = 'nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.5), nn.Linear(8, 2))', base = '') => `
    import torch
    import torch.nn as nn
    class Trainer${base}:
        def __init__(self):
            self.model = ${model}
        def fit(self, loader):
            self.model.train()
            ${extra}
        def evaluate(self, loader):
            with torch.no_grad():
                return [self.model(x).argmax(1) for x, y in loader]
    `;
    expect(lines('DL106', cls('pass'))).toEqual([11]);
    // Put in eval mode somewhere in the file, handed to a helper, no mode layers, or a framework base class.
    expect(lines('DL106', cls('self.model.eval()'))).toEqual([]);
    expect(lines('DL106', cls('set_eval(self.model)'))).toEqual([]);
    expect(lines('DL106', cls('pass', 'nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))'))).toEqual([]);
    expect(lines('DL106', cls('pass', undefined, '(LightningModule)'))).toEqual([]);
    expect(lines('DL106', `${cls('pass')}
    t = Trainer()
    t.model.eval()
    `)).toEqual([]);
  });
});
