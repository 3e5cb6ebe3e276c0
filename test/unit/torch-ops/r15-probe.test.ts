// Gaps probe round 15 found (/work/scratch/models-r15). Every expected figure below was
// printed by real torch 1.13 (`/usr/bin/python3`, torch 1.13.0a0) running the same code
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

describe('the type of a function', () => {
  it("CycleGAN's norm_layer 'none' (a def): type(f) == functools.partial and f == nn.InstanceNorm2d are False; types.FunctionType / MethodType", () => {
    // torch: output [2, 8], 179 parameters; rows a 12, b 25, c 36, d 42, e 64, norm 0
    const s = summary(`
import functools
import types
import torch
import torch.nn as nn

def no_norm(c):
    return nn.Identity()

class M(nn.Module):
    def __init__(self, norm_layer=no_norm):
        super().__init__()
        if type(norm_layer) == functools.partial:
            use_bias = norm_layer.func == nn.InstanceNorm2d
        else:
            use_bias = norm_layer == nn.InstanceNorm2d
        self.a = nn.Linear(3, 4, bias=use_bias)
        self.b = nn.Linear(4, 5, bias=isinstance(norm_layer, types.FunctionType))
        self.c = nn.Linear(5, 6, bias=type(lambda t: t) == types.LambdaType)
        self.d = nn.Linear(6, 7, bias=isinstance(self.forward, types.FunctionType))
        self.e = nn.Linear(7, 8, bias=type(self.forward) is types.MethodType)
        self.norm = norm_layer(8)

        def doubled(self, x):
            return self.norm(self.e(self.d(self.c(self.b(self.a(x)))))) * 2
        self.run = types.MethodType(doubled, self)

    def forward(self, x):
        return self.run(x)

M()(torch.randn(2, 3))
`);
    expect(s.out).toBe('[2, 8]');
    expect(s.params).toBe(179);
    expect(s.rows.map((r) => r.slice(r.lastIndexOf(' ') + 1)).join(' ')).toBe('12 25 36 42 64 0');
  });
});

describe('optional imports', () => {
  it('an import of a package nothing models, inside try, raises ImportError: the except branch is the one followed', () => {
    // torch (apex, xformers, flash_attn not installed): output [3, 5], 89 parameters; rows norm LayerNorm 24, fc Linear 65, act GELU 0
    const code = `
import torch
import torch.nn as nn
try:
    from apex.normalization import FusedLayerNorm as LayerNorm
except ImportError:
    LayerNorm = nn.LayerNorm
try:
    import xformers.ops as xops
    HAS_XFORMERS = True
except Exception:
    HAS_XFORMERS = False
try:
    import json
    HAS_JSON = True
except ImportError:
    HAS_JSON = False


def make_act():
    try:
        from flash_attn.ops.activations import swiglu
        return nn.Identity()
    except ImportError:
        return nn.GELU()


class M(nn.Module):
    def __init__(self, d=12):
        super().__init__()
        self.norm = LayerNorm(d)
        self.fc = nn.Linear(d, 7 if HAS_XFORMERS else 5, bias=HAS_JSON)
        self.act = make_act()

    def forward(self, x):
        return self.act(self.fc(self.norm(x)))

M()(torch.randn(3, 12))
`;
    const s = summary(code);
    expect(s.out).toBe('[3, 5]');
    expect(s.params).toBe(89);
    expect(s.rows).toEqual(['norm LayerNorm [3, 12] 24', 'fc Linear [3, 5] 65', 'act GELU [3, 5] 0']);
    // Outside a try the import binds a module reference, as before (nothing raises).
    const a = analyzer.analyze('import apex\nx = apex.amp\n', { fileName: 't.py' });
    expect(a.notes.some((n) => n.includes('except branch'))).toBe(false);
  });
});

describe('property setters', () => {
  it('self.width = 3 in __init__ runs the @width.setter of the class (it stores 6), and self.width reads it back', () => {
    // torch: output [4, 7], 85 parameters; rows inp Linear [4, 6] 36, out Linear [4, 7] 49
    const s = summary(`
import torch
import torch.nn as nn

class Base(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.width = width
        self.inp = nn.Linear(5, self.width)

    @property
    def width(self):
        return self._width

    @width.setter
    def width(self, v):
        self._width = v * 2

class M(Base):
    def __init__(self):
        super().__init__(3)
        self.out = nn.Linear(self.width, self.width + 1)

    def forward(self, x):
        return self.out(self.inp(x))

M()(torch.randn(4, 5))
`);
    expect(s.out).toBe('[4, 7]');
    expect(s.params).toBe(85);
    expect(s.rows).toEqual(['inp Linear [4, 6] 36', 'out Linear [4, 7] 49']);
  });
});

describe('torchvision.models.feature_extraction', () => {
  it('create_feature_extractor keeps the children up to the last return node (resnet18 without layer4, avgpool, fc) and returns the dict in return_nodes order', () => {
    // torch + torchvision 0.14: output [2, 4, 8, 8], 2,784,324 parameters, 45 rows (body.conv1 first, head last)
    const s = summary(`
import torch
import torch.nn as nn
from torchvision.models import resnet18
from torchvision.models.feature_extraction import create_feature_extractor

class Taps(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = create_feature_extractor(resnet18(num_classes=3), return_nodes=["layer3", "layer2"])
        self.head = nn.Conv2d(256 + 128, 4, 1)

    def forward(self, x):
        f = self.body(x)
        deep = nn.functional.interpolate(f["layer3"], size=f["layer2"].shape[-2:])
        return self.head(torch.cat([f["layer2"], deep], 1))

Taps()(torch.randn(2, 3, 64, 64))
`);
    expect(s.out).toBe('[2, 4, 8, 8]');
    expect(s.params).toBe(2784324);
    expect(s.rows.length).toBe(45);
    expect(s.rows[0]).toBe('body.conv1 Conv2d [2, 64, 32, 32] 9408');
    expect(s.rows[43]).toBe('body.layer3.1.relu ReLU [2, 256, 4, 4] 0');
  });

  it.each([['{"flatten": "emb"}', 'a function node'], ['{"layer4.1.relu": "emb"}', 'a node inside a child, where fx cuts the child too']])('return_nodes=%s (%s) is Unknown, not a guess', (nodes) => {
    const a = analyzer.analyze(`
import torch
import torch.nn as nn
from torchvision.models import resnet18
from torchvision.models.feature_extraction import create_feature_extractor

class Taps(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = create_feature_extractor(resnet18(), return_nodes=${nodes})
        self.head = nn.LazyLinear(3)

    def forward(self, x):
        return self.head(self.body(x)["emb"].flatten(1))

Taps()(torch.randn(2, 3, 64, 64))
`, { fileName: 't.py' });
    expect(a.models[0].outputShape).toBeNull();
  });
});
