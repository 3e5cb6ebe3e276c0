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
});
