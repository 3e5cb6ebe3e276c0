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
