// Gaps probe round 10 found (timm/torchvision-style builders, CycleGAN, EfficientNet block
// strings, model surgery). Every expected figure below was printed by real torch 1.13
// (`/usr/bin/python3`, torch 1.13.0a0) running the same code.

import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAnalyzer } from '../../../src/node/wasm';
import type { Analyzer } from '../../../src/core/index';
import { formatShape } from '../../../src/core/shapes/dim';

let analyzer: Analyzer;
beforeAll(async () => {
  analyzer = await nodeAnalyzer();
});

/** The first model of `code`: output shape, total / trainable parameters and rows (path type shape params). */
function summary(code: string): { out: string; params: number | null; trainable: number | null; rows: string[] } {
  const a = analyzer.analyze(code, { fileName: 't.py' });
  expect(a.models.length, `models in ${JSON.stringify(a.notes)}`).toBeGreaterThan(0);
  const m = a.models[0];
  return {
    out: m.outputShape ? formatShape(m.outputShape) : 'null',
    params: m.totalParams,
    trainable: m.trainableParams,
    rows: m.layers.map((l) => `${l.path} ${l.type} ${l.outputShape ? formatShape(l.outputShape) : 'null'} ${l.params}`),
  };
}

describe('built-in types compare by identity', () => {
  it("CycleGAN's use_bias: type(norm_layer) == functools.partial is False for a class, norm_layer.func of a partial", () => {
    // torch: [l.bias is not None for l in (m.a, m.b, m.c, m.d, m.e, m.f)] with M() -> False False True True True False;
    // with M(partial(nn.InstanceNorm2d, affine=False)) -> True True False True True True
    const code = (arg: string) => `
import functools
import torch
import torch.nn as nn

class M(nn.Module):
    def __init__(self, norm_layer=nn.BatchNorm2d):
        super().__init__()
        if type(norm_layer) == functools.partial:
            use_bias = norm_layer.func == nn.InstanceNorm2d
        else:
            use_bias = norm_layer == nn.InstanceNorm2d
        self.a = nn.Linear(2, 2, bias=use_bias)
        self.b = nn.Linear(2, 2, bias=isinstance(norm_layer, functools.partial))
        self.c = nn.Linear(2, 2, bias=isinstance(norm_layer, type))
        self.d = nn.Linear(2, 2, bias=nn.BatchNorm2d == nn.BatchNorm2d)
        self.e = nn.Linear(2, 2, bias=type(3) != type)
        self.f = nn.Linear(2, 2, bias=type(norm_layer) == int)

    def forward(self, x):
        return self.f(self.e(self.d(self.c(self.b(self.a(x))))))

M(${arg})(torch.randn(1, 2))
`;
    const params = (s: ReturnType<typeof summary>) => s.rows.map((r) => r.slice(r.lastIndexOf(' ') + 1)).join(' ');
    expect(params(summary(code('')))).toBe('4 4 6 6 6 4');
    expect(params(summary(code('functools.partial(nn.InstanceNorm2d, affine=False)')))).toBe('6 6 4 6 6 4');
  });
});
