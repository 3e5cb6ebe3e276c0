// torch.nn Lazy* layers: shapes, parameter counts and torchinfo MACs compared with values
// recorded from torch 1.13 (see torch113-cases.ts), and the module turning into the plain
// class on its first call, as PyTorch does (rows, totals and types are the plain layer's).

import { beforeAll, describe, expect, it } from 'vitest';
import { TORCH_CASES } from './torch113-cases';
import { caseLabel, checkCase } from './helpers';
import { nodeAnalyzer } from '../../../src/node/wasm';
import { toSummaryJson, type Analyzer } from '../../../src/core/index';

describe('torch lazy layers match torch 1.13', () => {
  for (const c of TORCH_CASES.lazy) it(caseLabel(c), () => checkCase(c));
});

describe('a lazy layer in a model', () => {
  let analyzer: Analyzer;
  beforeAll(async () => {
    analyzer = await nodeAnalyzer();
  });
  // torch 1.13: after net(torch.randn(4, 3, 16, 16)) the modules are Conv2d / BatchNorm2d /
  // Linear (type(m).__name__), parameters 224 + 16 + 8*16*16*10+10 = 20,730.
  const text = [
    'import torch', 'import torch.nn as nn', '',
    'net = nn.Sequential(nn.LazyConv2d(8, 3, padding=1), nn.LazyBatchNorm2d(), nn.ReLU(), nn.Flatten(), nn.LazyLinear(10))',
    'y = net(torch.randn(4, 3, 16, 16))', '',
  ].join('\n');
  it('becomes the plain layer on its first call, with the plain layer\'s counts', () => {
    const m = toSummaryJson(analyzer.analyze(text, { fileName: 't.py' })).models[0];
    expect(m.layers.map((l) => [l.type, l.output_shape, l.params])).toEqual([
      ['Conv2d', [4, 8, 16, 16], 224], ['BatchNorm2d', [4, 8, 16, 16], 16], ['ReLU', [4, 8, 16, 16], 0],
      ['Flatten', [4, 2048], 0], ['Linear', [4, 10], 20490],
    ]);
    expect(m.total_params).toBe(20730);
  });
  it('stays lazy, with its parameters unknown, when it is never called', () => {
    const a = analyzer.analyze('import torch.nn as nn\nhead = nn.Sequential(nn.LazyLinear(10), nn.ReLU())\n', { fileName: 't.py' });
    expect(a.diagnostics).toEqual([]);
    expect(a.models[0].layers[0].type).toBe('LazyLinear');
  });
});
