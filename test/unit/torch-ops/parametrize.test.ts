// torch.nn.utils.parametrize: a parametrization registered on a layer's tensor is a module
// under `<layer>.parametrizations.<tensor>.<i>`, called on that tensor whenever the layer
// runs. Every expected figure below was printed by real torch 1.13 (`/usr/bin/python3`,
// test/oracle/oracle.py: leaf-module hooks, as torchinfo lists rows) on the same code.

import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAnalyzer } from '../../../src/node/wasm';
import type { Analyzer } from '../../../src/core/index';
import { firstModelRows, type ModelRows } from './model-rows';

let analyzer: Analyzer;
beforeAll(async () => {
  analyzer = await nodeAnalyzer();
});

const summary = (code: string): ModelRows => firstModelRows(analyzer, code);

describe('parametrizations', () => {
  it('spectral_norm of torch.nn.utils.parametrizations: the layer is no row, its _SpectralNorm is (the weight shape), totals and mult-adds unchanged', () => {
    const code = `
import torch
import torch.nn as nn
from torch.nn.utils.parametrizations import spectral_norm

class Disc(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = spectral_norm(nn.Conv2d(3, 16, 4, 2, 1))
        self.act = nn.LeakyReLU(0.2)
        self.c2 = spectral_norm(nn.Conv2d(16, 32, 4, 2, 1))
        self.fc = spectral_norm(nn.Linear(32 * 8 * 8, 1))

    def forward(self, x):
        x = self.act(self.c1(x))
        x = self.act(self.c2(x))
        return self.fc(x.flatten(1))

Disc()(torch.randn(2, 3, 32, 32))
`;
    expect(summary(code)).toEqual({
      out: '[2, 1]', params: 11057, trainable: 11057,
      rows: [
        'c1.parametrizations.weight.0 _SpectralNorm [16, 3, 4, 4] 0', 'act LeakyReLU [2, 16, 16, 16] 0',
        'c2.parametrizations.weight.0 _SpectralNorm [32, 16, 4, 4] 0', 'act LeakyReLU [2, 32, 8, 8] 0',
        'fc.parametrizations.weight.0 _SpectralNorm [1, 2048] 0',
      ],
    });
    // The convolutions' and the Linear's own work still counts (the layer specs' rule: weights
    // times output positions, plus one add per output for the bias), as without spectral_norm.
    const macs = (c: string) => analyzer.analyze(c, { fileName: 't.py' }).models[0].macs;
    expect(macs(code)).toBe(2 * (16 * 48 * 256 + 16 * 256 + 32 * 256 * 64 + 32 * 64 + 2048 + 1));
    expect(macs(code)).toBe(macs(code.replace(/spectral_norm\((nn\.[^\n]*)\)\n/g, '$1\n')));
  });

  it('register_parametrization with user modules: chained on one tensor in order, their own parameters counted', () => {
    const code = `
import torch
import torch.nn as nn
import torch.nn.utils.parametrize as parametrize

class LoRA(nn.Module):
    def __init__(self, fan_out, fan_in, rank=4, alpha=1.0):
        super().__init__()
        self.A = nn.Parameter(torch.zeros(rank, fan_in))
        self.B = nn.Parameter(torch.zeros(fan_out, rank))
        self.scale = alpha / rank

    def forward(self, W):
        return W + (self.B @ self.A) * self.scale

class Symmetric(nn.Module):
    def forward(self, X):
        return X.triu() + X.triu(1).transpose(-1, -2)

class LoRANet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(16, 32)
        self.fc2 = nn.Linear(32, 32)
        self.fc3 = nn.Linear(32, 4)
        for layer in (self.fc1, self.fc3):
            fo, fi = layer.weight.shape
            parametrize.register_parametrization(layer, "weight", LoRA(fo, fi, rank=2))
        parametrize.register_parametrization(self.fc2, "weight", Symmetric())
        parametrize.register_parametrization(self.fc2, "weight", LoRA(32, 32))

    def forward(self, x):
        return self.fc3(torch.relu(self.fc2(torch.relu(self.fc1(x)))))

LoRANet()(torch.randn(3, 16))
`;
    expect(summary(code)).toEqual({
      out: '[3, 4]', params: 2156, trainable: 2156,
      rows: [
        'fc1.parametrizations.weight.0 LoRA [32, 16] 96', 'fc2.parametrizations.weight.0 Symmetric [32, 32] 0',
        'fc2.parametrizations.weight.1 LoRA [32, 32] 256', 'fc3.parametrizations.weight.0 LoRA [4, 32] 72',
      ],
    });
  });

  it('orthogonal, and remove_parametrizations making the layer a leaf again', () => {
    const code = `
import torch
import torch.nn as nn
import torch.nn.utils.parametrize as parametrize
from torch.nn.utils import parametrizations

class OrthoNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = parametrizations.orthogonal(nn.Conv1d(8, 8, 3, padding=1))
        self.head = nn.Linear(8, 3)
        self.tmp = parametrizations.spectral_norm(nn.Linear(8, 8))
        parametrize.remove_parametrizations(self.tmp, "weight")

    def forward(self, x):
        h = self.conv(x).mean(-1)
        return self.head(self.tmp(h))

OrthoNet()(torch.randn(2, 8, 20))
`;
    expect(summary(code)).toEqual({
      out: '[2, 3]', params: 299, trainable: 299,
      rows: ['conv.parametrizations.weight.0 _Orthogonal [8, 8, 3] 0', 'tmp Linear [2, 8] 72', 'head Linear [2, 3] 27'],
    });
  });

  it('a model with no example call starts from the parametrized layer: the symbolic input of its Conv2d', () => {
    const a = analyzer.analyze(`
import torch.nn as nn
from torch.nn.utils.parametrizations import spectral_norm

class D(nn.Module):
    def __init__(self):
        super().__init__()
        self.c = spectral_norm(nn.Conv2d(3, 8, 3, padding=1))

    def forward(self, x):
        return self.c(x)
`, { fileName: 't.py' });
    expect(a.models[0].inputSource).toBe('symbolic');
    expect(a.models[0].inputShapes.map(String)).toEqual(['B,3,H,W']);
  });
});
