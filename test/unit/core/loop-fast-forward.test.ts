// Loops that repeat themselves end early (Interp.quietState / repeated / cutLoop): a dataset
// built sample by sample, gradient descent written by hand, an epoch loop whose batches are
// not known, an evaluation loop that keeps each batch's output. The lists such a loop fills in
// every iteration are filled for the iterations left (fastForward), so their lengths are the
// ones Python gives; lists filled only now and then, or by a loop that may break, are Unknown.
// Sizes checked against CPython / torch 1.13 by hand: the loops below are plain counting.
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeDetailed } from '../../../src/core/analyze';
import { nodeParser } from '../../../src/node/wasm';
import type { PyParser } from '../../../src/core/python/parser';

let parser: PyParser;
beforeAll(async () => {
  parser = await nodeParser();
});

const run = (text: string) => {
  const d = analyzeDetailed(parser, text, { fileName: 't.py', dataflow: false });
  return { steps: d.interp!.steps, notes: d.analysis.notes.concat(d.interp!.notes).join('\n'), found: d.analysis.diagnostics.map((x) => x.message.match(/in_features=\d+ but the input has \d+/)?.[0] ?? x.message) };
};

describe('loops that repeat themselves', () => {
  it('end a dataset built sample by sample early, with the lengths Python gives', () => {
    const r = run(`import torch
import torch.nn as nn
g = torch.Generator().manual_seed(0)
ids = [0]
for _ in range(5999):
    nxt = (ids[-1] * 7 + int(torch.randint(0, 5, (1,), generator=g))) % 200
    ids.append(nxt)
stream = torch.tensor(ids)
class Samples:
    def __init__(self, n):
        self.items = []
        for i in range(n):
            self.items.append((torch.randn(8), i % 3))
    def __len__(self):
        return len(self.items)
ds = Samples(1000)
nn.Linear(10, 2)(stream.float())
nn.Linear(10, 2)(torch.randn(2, len(ds)))
`);
    expect(r.notes).toMatch(/Line 5: loop followed for \d+ of 5999 iterations \(the later ones repeat the same work\); the lists it fills/);
    expect(r.notes).toMatch(/Line 12: loop followed for \d+ of 1000 iterations \(the later ones repeat the same work\); the lists it fills/);
    // 6000 ids (the first and 5999 appended) and 1000 samples, as Python has them.
    expect(r.found).toEqual(['in_features=10 but the input has 6000', 'in_features=10 but the input has 1000']);
    // Two loops of 5999 and 1000 iterations run in full took over 50,000 steps.
    expect(r.steps).toBeLessThan(15_000);
  });

  it('end hand-written gradient descent and an epoch loop early, keeping the shapes', () => {
    const r = run(`import torch
import torch.nn as nn
w = torch.zeros(5, 1, requires_grad=True)
X = torch.randn(100, 5)
for epoch in range(300):
    loss = (X @ w).pow(2).mean()
    loss.backward()
    with torch.no_grad():
        w -= 0.1 * w.grad
    w.grad.zero_()
nn.Linear(4, 2)(w.T)
`);
    expect(r.notes).toMatch(/Line 5: loop followed for \d+ of 300 iterations \(the later ones repeat the same work\)/);
    expect(r.found).toEqual(['in_features=4 but the input has 5']);
  });

  it('fill the outputs an evaluation loop keeps, one per batch', () => {
    const r = run(`import torch
import torch.nn as nn
model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 3))
batches = [torch.randn(16, 20) for _ in range(400)]
preds = []
with torch.no_grad():
    for xb in batches:
        preds.append(model(xb))
allp = torch.cat(preds)
nn.Linear(10, 2)(allp.T)
`);
    expect(r.notes).toMatch(/Line 7: loop followed for \d+ of 400 iterations \(the later ones repeat the same work\); the lists it fills/);
    // 400 batches of 16 rows: torch.cat gives (6400, 3).
    expect(r.found).toEqual(['in_features=10 but the input has 6400']);
  });

  it('leave Unknown a list filled only now and then, or by a loop that may break, and fill none in a loop of numbers', () => {
    const r = run(`import torch
import torch.nn as nn
model = nn.Linear(8, 2)
log = []
for step in range(1000):
    out = model(torch.randn(4, 8))
    if step % 100 == 0:
        log.append(out)
nn.Linear(10, 2)(torch.randn(3, len(log)))
hist = []
for step in range(1000):
    out = model(torch.randn(4, 8))
    hist.append(out)
    if out.sum().item() > 1e9:
        break
nn.Linear(10, 2)(torch.randn(3, len(hist)))
total = 0
for k in range(1500):
    total += 2
nn.Linear(10, 2)(torch.randn(3, total))
`);
    expect(r.notes).toMatch(/Line 5: loop followed for \d+ of 1000 iterations \(the later ones repeat the same work\); names it kept/);
    expect(r.notes).toMatch(/Line 11: loop followed for \d+ of 1000 iterations \(the later ones repeat the same work\); names it kept/);
    // Neither list's length is known (Python: 10 and 1000); the cheap loop of numbers ran in full (3000).
    expect(r.found).toEqual(['in_features=10 but the input has 3000']);
  });

  it('take the items a loop or comprehension did not make to be like the last, numbers unknown', () => {
    const r = run(`import torch
import torch.nn as nn
data = []
for i in range(1000):
    data.append((torch.randn(3), 0 if i < 900 else 1))
nn.Linear(max(lbl for _, lbl in data) + 1, 2)(torch.randn(2, 7))
def make():
    return torch.randn(4, 6), torch.randn(6)
samples = [make() for _ in range(800)]
nn.Linear(10, 2)(torch.randn(2, len(samples)))
nn.Linear(10, 2)(samples[-1][0])
labels = [i // 400 for i in range(800)]
nn.Linear(max(labels) + 1, 2)(torch.randn(2, 7))
`);
    expect(r.notes).toMatch(/Line 4: loop followed for \d+ of 1000 iterations \(the later ones repeat the same work\); the lists it fills/);
    expect(r.notes).toMatch(/Line 9: a comprehension's items repeat themselves after \d+ of 800/);
    // Python: 800 samples, the last a (4, 6) tensor; the labels of the data loop are not taken
    // to be the last ones seen (max 0), and a list of numbers that differ is made in full (max 1).
    expect(r.found).toEqual(['in_features=10 but the input has 800', 'in_features=10 but the input has 6', 'in_features=2 but the input has 7']);
  });
});
