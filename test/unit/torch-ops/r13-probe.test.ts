// Gaps probe round 13 found (models-r13: PVT / BEiT / LeViT / VOLO / DLA / VoVNet / DPN /
// DARTS / BigGAN / ProGAN / latent-diffusion / VQGAN / SchNet / EGNN / Informer / TimesNet /
// Dreamer / MuZero / DIN / SASRec / Q-Former / LLaVA and more). Every expected figure below
// was printed by real torch 1.13 (`/usr/bin/python3`, torch 1.13.0a0) running the same code
// through test/oracle/oracle.py.

import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAnalyzer } from '../../../src/node/wasm';
import type { Analyzer } from '../../../src/core/index';
import { firstModelRows, type ModelRows } from './model-rows';

let analyzer: Analyzer;
beforeAll(async () => {
  analyzer = await nodeAnalyzer();
});

const summary = (code: string): ModelRows => firstModelRows(analyzer, code);

describe('torch.nn.modules.utils', () => {
  it("_pair / _triple give the kernel tuple of an equalized-lr conv's weight (ProGAN)", () => {
    // torch: output [2, 8, 10, 10], 230 parameters (weight 8*3*3*3 = 216, bias 8, w3 2*1*3 = 6)
    const s = summary(`
import math
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.modules.utils import _triple


class EqConv(nn.Module):
    def __init__(self, c_in, c_out, k):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(c_out, c_in, *nn.modules.utils._pair(k)))
        self.bias = nn.Parameter(torch.zeros(c_out))
        self.w3 = nn.Parameter(torch.zeros(_triple((2, 1, 3))))
        self.scale = math.sqrt(2) / math.sqrt(math.prod(nn.modules.utils._pair(k)) * c_in)

    def forward(self, x):
        return F.conv2d(x, self.weight * self.scale, self.bias, padding=1)


if __name__ == "__main__":
    EqConv(3, 8, 3)(torch.randn(2, 3, 10, 10))
`);
    expect(s.out).toBe('[2, 8, 10, 10]');
    expect(s.params).toBe(230);
  });
});

describe('Tensor.numpy()', () => {
  it("is an array of the tensor's shape: topk indices moved to numpy still index a tensor (TimesNet's FFT periods)", () => {
    // torch: output [4, 3], 9 parameters
    const s = summary(`
import torch
import torch.nn as nn


class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 3)

    def forward(self, x):
        freq = x.abs().mean(0).mean(-1)
        _, top = torch.topk(freq, 2)
        top = top.detach().cpu().numpy()
        weight = x.mean(-1)[:, top]
        return self.fc(weight)


if __name__ == "__main__":
    M()(torch.randn(4, 48, 3))
`);
    expect(s.out).toBe('[4, 3]');
    expect(s.rows).toEqual(['fc Linear [4, 3] 9']);
  });
});

describe('inspect.isfunction', () => {
  it("is False for a tensor: ldm's default(val, d) hands the tensor back instead of calling it", () => {
    // torch: output [2, 5, 5], 288 parameters; k Linear [2, 5, 16]
    const s = summary(`
from inspect import isfunction
import torch
import torch.nn as nn


def default(val, d):
    if val is not None:
        return val
    return d() if isfunction(d) else d


class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.q = nn.Linear(8, 16)
        self.k = nn.Linear(8, 16)

    def forward(self, x, context=None):
        context = default(context, x)
        return self.q(x) @ self.k(context).transpose(1, 2)


if __name__ == "__main__":
    M()(torch.randn(2, 5, 8))
`);
    expect(s.out).toBe('[2, 5, 5]');
    expect(s.rows).toEqual(['q Linear [2, 5, 16] 144', 'k Linear [2, 5, 16] 144']);
  });
});

describe('np.tile', () => {
  it("tiles a position range over the batch (SASRec's positions)", () => {
    // torch: output [3, 12, 6], 120 parameters
    const s = summary(`
import numpy as np
import torch
import torch.nn as nn


class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.pos = nn.Embedding(20, 6)

    def forward(self, seqs):
        positions = np.tile(np.array(range(seqs.shape[1])), [seqs.shape[0], 1])
        return self.pos(torch.LongTensor(positions))


if __name__ == "__main__":
    M()(torch.randint(0, 9, (3, 12)))
`);
    expect(s.out).toBe('[3, 12, 6]');
    expect(s.rows).toEqual(['pos Embedding [3, 12, 6] 120']);
  });
});

describe('forward hooks', () => {
  it('register_forward_pre_hook replaces the inputs, register_forward_hook the output; a removed handle\'s hook no longer runs', () => {
    // torch: output [4, 3], 243 parameters; proj Linear [4, 32] 144 (the hook\'s cat), head Linear [4, 3] 99
    const s = summary(`
import torch
import torch.nn as nn


class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(8, 16)
        self.head = nn.Linear(32, 3)
        self.feats = {}
        self.proj.register_forward_hook(self._keep)
        # a pre-hook that flattens (B, 2, 4) inputs to (B, 8)
        self.proj.register_forward_pre_hook(lambda mod, inp: inp[0].flatten(1))
        handle = self.head.register_forward_hook(lambda mod, inp, out: out * 0)
        handle.remove()

    def _keep(self, module, inputs, output):
        self.feats['proj'] = output
        return torch.cat([output, output], dim=-1)

    def forward(self, x):
        y = self.proj(x)
        return self.head(y) + self.feats['proj'].sum()


if __name__ == "__main__":
    M()(torch.randn(4, 2, 4))
`);
    expect(s.out).toBe('[4, 3]');
    expect(s.rows).toEqual(['proj Linear [4, 32] 144', 'head Linear [4, 3] 99']);
  });
});

describe('cartesian_prod / hsplit / vsplit / dsplit', () => {
  it('cartesian_prod gives (prod n_i, k) rows; hsplit splits dim 1, vsplit dim 0, dsplit dim 2', () => {
    // torch: output [3, 4], 36 parameters; pair Linear [24, 2] 8, fc Linear [3, 4] 28
    const s = summary(`
import torch
import torch.nn as nn


class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.pair = nn.Linear(3, 2)
        self.fc = nn.Linear(6, 4)

    def forward(self, x):
        grid = torch.cartesian_prod(torch.arange(3.), torch.arange(2.), torch.arange(4.))
        g = self.pair(grid)
        left, right = torch.hsplit(x, 2)
        top, bottom = x.vsplit([1])
        a, b, c = torch.dsplit(x.unsqueeze(-1).expand(-1, -1, 6), [2, 3])
        return self.fc(left + right) + g.sum() + top.sum() + bottom.sum() + a.sum() + b.sum() + c.sum()


if __name__ == "__main__":
    M()(torch.randn(3, 12))
`);
    expect(s.out).toBe('[3, 4]');
    expect(s.rows).toEqual(['pair Linear [24, 2] 8', 'fc Linear [3, 4] 28']);
  });

  it('hsplit into sections that do not divide the size is a shape error (torch\'s message)', () => {
    const a = analyzer.analyze(`
import torch
import torch.nn as nn

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 4)

    def forward(self, x):
        a, b = torch.hsplit(x, 2)
        return self.fc(a)

if __name__ == "__main__":
    M()(torch.randn(3, 7))
`, { fileName: 't.py' });
    expect(a.models[0].outputShape).toBeNull();
    expect(JSON.stringify(a)).toContain('torch.hsplit attempted to split along dimension 1, but the size of the dimension 7 is not divisible by the split_size 2!');
  });
});

describe('torchvision.models.segmentation', () => {
  it('lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=3): the dict output read by key', () => {
    // torch: output [1, 3, 64, 64], 3,218,478 parameters
    const s = summary(`
import torch
import torch.nn as nn
from torchvision.models.segmentation import lraspp_mobilenet_v3_large


class SegWrapper(nn.Module):
    def __init__(self, num_classes=3):
        super().__init__()
        self.net = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=num_classes)

    def forward(self, x):
        return self.net(x)['out']


if __name__ == "__main__":
    SegWrapper()(torch.randn(1, 3, 64, 64))
`);
    expect(s.out).toBe('[1, 3, 64, 64]');
    expect(s.params).toBe(3218478);
  });

  it('IntermediateLayerGetter from torchvision.models._utils keeps the children up to the last returned one', () => {
    // torch: output [2, 64, 8, 8], 11,217,600 parameters (resnet18 up to layer4, no fc)
    const s = summary(`
import torch
import torch.nn as nn
import torchvision
from torchvision.models._utils import IntermediateLayerGetter


class TwoLevel(nn.Module):
    def __init__(self):
        super().__init__()
        r = torchvision.models.resnet18(weights=None)
        self.body = IntermediateLayerGetter(r, return_layers={'layer2': 'c3', 'layer4': 'c5'})
        self.lat = nn.Conv2d(128, 64, 1)
        self.top = nn.Conv2d(512, 64, 1)

    def forward(self, x):
        f = self.body(x)
        top = nn.functional.interpolate(self.top(f['c5']), size=f['c3'].shape[-2:], mode='nearest')
        return self.lat(f['c3']) + top


if __name__ == "__main__":
    TwoLevel()(torch.randn(2, 3, 64, 64))
`);
    expect(s.out).toBe('[2, 64, 8, 8]');
    expect(s.params).toBe(11217600);
    expect(s.rows.at(-1)).toBe('lat Conv2d [2, 64, 8, 8] 8256');
  });
});
