// DL107 eval-without-no-grad.
import { beforeAll, describe, expect, it } from 'vitest';
import { findings, fixAndRelint, initParser, lines } from './helpers';

beforeAll(async () => {
  await initParser();
});

describe('DL107', () => {
  it('informs on an eval loop without no_grad, warns when outputs are kept', () => {
    const fs = findings('DL107', `
    import torch
    import torch.nn as nn
    model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.1), nn.Linear(8, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()
    def predict(loader):
        model.eval()
        for x, _ in loader:
            print(model(x).argmax(1))
    def collect(loader):
        model.eval()
        preds = []
        for x, _ in loader:
            out = model(x)
            preds.append(out)
        return preds
    `);
    expect(fs.map((f) => [f.range.line + 1, f.severity])).toEqual([[9, 'information'], [14, 'warning']]);
  });
  it('stays quiet under no_grad, decorators, callers under no_grad and gradient-based evaluation', () => {
    expect(lines('DL107', `
    import torch
    import torch.nn as nn
    model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.1), nn.Linear(8, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()
    @torch.no_grad()
    def a(loader):
        model.eval()
        for x, _ in loader:
            model(x)
    def b(loader):
        model.eval()
        for x, _ in loader:
            model(x)
    with torch.no_grad():
        b([])
    def c(loader):
        model.eval()
        for x, y in loader:
            x.requires_grad_(True)
            criterion(model(x), y).backward()
    def d(loader):
        model.eval()
        with torch.inference_mode():
            for x, _ in loader:
                model(x)
    `)).toEqual([]);
  });
  it('fix wraps the loop in torch.no_grad()', () => {
    const r = fixAndRelint('DL107', `
    import torch
    import torch.nn as nn
    model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.1), nn.Linear(8, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()
    model.eval()
    for x, _ in test_loader:
        print(model(x))
    `);
    expect(r.text).toContain('with torch.no_grad():\n    for x, _ in test_loader:\n        print(model(x))');
    expect(r.remaining).toEqual([]);
    expect(r.syntaxErrors).toBe(0);
  });
});
