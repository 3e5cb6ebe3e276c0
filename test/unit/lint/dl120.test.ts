// DL120 amp-fp16-without-grad-scaler (no automatic fix).
import { beforeAll, describe, expect, it } from 'vitest';
import { findings, initParser, lines } from './helpers';

beforeAll(async () => {
  await initParser();
});

const SETUP = `
    import torch
    import torch.nn as nn
    model = nn.Linear(4, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
`;
describe('DL120', () => {
  it('warns on fp16 CUDA autocast in a training loop without GradScaler, informs on backward inside', () => {
    const fs = findings('DL120', SETUP + `
    for x, y in loader:
        optimizer.zero_grad()
        with torch.autocast("cuda"):
            loss = (model(x) - y).pow(2).mean()
            loss.backward()
        optimizer.step()
    `);
    expect(fs.map((f) => [f.range.line + 1, f.severity])).toEqual([[8, 'warning'], [10, 'information']]);
  });
  it('warns when the optimizer is handed in (a parameter or an attribute known by its name), not on a scheduler step alone', () => {
    expect(lines('DL120', `
    import torch
    import torch.nn as nn
    def train(model, loader, optimizer):
        for xb, yb in loader:
            optimizer.zero_grad()
            with torch.autocast("cuda"):
                loss = nn.functional.cross_entropy(model(xb), yb)
            loss.backward()
            optimizer.step()
    class Trainer:
        def fit_epoch(self, loader):
            for xb, yb in loader:
                with torch.cuda.amp.autocast():
                    loss = self.model(xb).mean()
                loss.backward()
                self.opt.step()
    def warm(model, loader, scheduler):
        for xb in loader:
            with torch.autocast("cuda"):
                loss = model(xb).mean()
            loss.backward()
            scheduler.step()
    `)).toEqual([6, 13]);
  });
  it('stays quiet with a GradScaler, bfloat16, CPU autocast or a variable device', () => {
    expect(lines('DL120', SETUP + `
    for x, y in loader:
        optimizer.zero_grad()
        with torch.autocast("cuda", dtype=torch.bfloat16):
            loss = (model(x) - y).pow(2).mean()
        with torch.autocast("cpu"):
            loss2 = model(x).sum()
        with torch.autocast(device.type):
            loss3 = model(x).sum()
        (loss + loss2 + loss3).backward()
        optimizer.step()
    `)).toEqual([]);
    expect(lines('DL120', SETUP + `
    scaler = torch.cuda.amp.GradScaler()
    for x, y in loader:
        optimizer.zero_grad()
        with torch.autocast("cuda"):
            loss = (model(x) - y).pow(2).mean()
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
    `)).toEqual([]);
  });
  it('stays quiet when autocast wraps only a no-grad forward (validation, frozen teacher) of an fp32 training step', () => {
    expect(lines('DL120', SETUP + `
    def train_and_validate(model, opt, x, y, teacher):
        opt.zero_grad()
        with torch.no_grad():
            with torch.autocast("cuda", dtype=torch.float16):
                t = teacher(x).float()
        loss = nn.functional.cross_entropy(model(x), y) + t.mean()
        loss.backward()
        opt.step()
        with torch.no_grad(), torch.autocast("cuda", enabled=torch.cuda.is_available()):
            return model(x).argmax(1)
    `)).toEqual([]);
    // The training forward under autocast still warns when a validation one is under no_grad.
    expect(lines('DL120', SETUP + `
    def step(model, opt, x, y):
        opt.zero_grad()
        with torch.autocast("cuda"):
            loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        with torch.no_grad(), torch.autocast("cuda"):
            return model(x).argmax(1)
    `)).toEqual([8]);
  });
  it('informs on .half() of a model or an input in a file that autocasts', () => {
    const fs = findings('DL120', `
    import torch
    from torch import nn
    scaler = torch.cuda.amp.GradScaler()
    def train(loader):
        model = nn.Linear(4, 4)
        model.half()
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        for x, y in loader:
            with torch.autocast("cuda"):
                loss = (model(x) - y).pow(2).mean()
            scaler.scale(loss).backward()
            scaler.step(opt)
            z = torch.zeros(3).half()
            h = y.half()
    `);
    expect(fs.map((f) => [f.range.line + 1, f.severity])).toEqual([[6, 'information'], [13, 'information']]);
    // A parameter called under autocast in the same function is the model.
    expect(findings('DL120', `
    import torch
    def step(model, batch, optimizer, loss_fn, extra):
        model.half()
        extra.half()
        with torch.amp.autocast(device_type="cuda", dtype=torch.float16):
            out = model(batch["x"])
    `).map((f) => [f.range.line + 1, f.severity])).toEqual([[3, 'information']]);
    // No autocast in the file (or a bfloat16 / CPU one): .half() is a plain fp16 model.
    expect(lines('DL120', `
    import torch
    from torch import nn
    model = nn.Linear(4, 4).half()
    with torch.autocast("cpu"):
        y = model(torch.zeros(2, 4).half())
    with torch.autocast("cuda", dtype=torch.bfloat16):
        y = model(torch.zeros(2, 4))
    `)).toEqual([]);
  });
});
