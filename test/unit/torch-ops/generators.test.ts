// Generator functions: a call runs the body to its end and the items it yields are the
// generator (read in order by iteration, `next()`, `list()`, `*` unpacking). Expected
// figures were printed by real torch 1.13 (`/usr/bin/python3`, test/oracle/oracle.py) on
// the same code.

import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAnalyzer } from '../../../src/node/wasm';
import type { Analyzer } from '../../../src/core/index';
import { firstModelRows } from './model-rows';

let analyzer: Analyzer;
beforeAll(async () => {
  analyzer = await nodeAnalyzer();
});

const CODE = `
import torch
import torch.nn as nn


def blocks(ws):
    for a, b in zip(ws, ws[1:]):
        yield nn.Linear(a, b)
        yield nn.ReLU()


def conv_stage(cin, cout, n):
    yield nn.Conv2d(cin, cout, 3, padding=1)
    for _ in range(n - 1):
        yield from (nn.BatchNorm2d(cout), nn.Conv2d(cout, cout, 3, padding=1))


class GenNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(*conv_stage(3, 8, 3))
        self.mlp = nn.Sequential(*blocks([8, 16, 4]))

    def forward(self, x):
        x = self.stem(x)
        x = nn.functional.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.mlp(x)


class Stages(nn.Module):
    def __init__(self, widths=(4, 8, 16)):
        super().__init__()
        self.stages = nn.ModuleList(self._make(widths))

    @staticmethod
    def _make(widths):
        cin = 3
        for w in widths:
            yield nn.Sequential(nn.Conv2d(cin, w, 3, stride=2, padding=1), nn.ReLU())
            cin = w

    def forward(self, x):
        for s in self.stages:
            x = s(x)
        return x


def data_gen(bs):
    while True:
        yield torch.randn(bs, 3, 16, 16), torch.randint(0, 4, (bs,))


if __name__ == "__main__":
    g = data_gen(5)
    xb, yb = next(g)
    GenNet()(xb)
    Stages()(xb)
`;

describe('generator functions', () => {
  it('yield and yield from build a Sequential; an endless data generator gives its first batch to next()', () => {
    expect(firstModelRows(analyzer, CODE)).toEqual({
      out: '[5, 4]', params: 1636, trainable: 1636,
      rows: [
        'stem.0 Conv2d [5, 8, 16, 16] 224', 'stem.1 BatchNorm2d [5, 8, 16, 16] 16', 'stem.2 Conv2d [5, 8, 16, 16] 584',
        'stem.3 BatchNorm2d [5, 8, 16, 16] 16', 'stem.4 Conv2d [5, 8, 16, 16] 584',
        'mlp.0 Linear [5, 16] 144', 'mlp.1 ReLU [5, 16] 0', 'mlp.2 Linear [5, 4] 68', 'mlp.3 ReLU [5, 4] 0',
      ],
    });
  });

  it('a static method that yields fills a ModuleList', () => {
    const m = analyzer.analyze(CODE, { fileName: 't.py' }).models.find((x) => x.name === 'Stages')!;
    expect(m.totalParams).toBe(1576);
    expect(m.outputShape).toEqual([5, 16, 2, 2]);
    expect(m.layers.map((l) => l.path)).toEqual(['stages.0.0', 'stages.0.1', 'stages.1.0', 'stages.1.1', 'stages.2.0', 'stages.2.1']);
  });

  it('a generator returns its items, not its return value, and list() / len() / indexing read them', () => {
    const a = analyzer.analyze(`
import torch.nn as nn

def widths(n):
    w = 8
    for _ in range(n):
        yield w
        w *= 2
    return 99

ws = list(widths(4))
# tensorlens: input=(2, 8)
net = nn.Sequential(*[nn.Linear(a, b) for a, b in zip(ws, ws[1:])])
`, { fileName: 't.py' });
    const m = a.models[0];
    // Linear(8,16) + Linear(16,32) + Linear(32,64): 144 + 544 + 2112
    expect(m.totalParams).toBe(2800);
    expect(m.outputShape).toEqual([2, 64]);
  });
});
