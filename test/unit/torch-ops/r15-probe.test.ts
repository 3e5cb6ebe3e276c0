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

  it.each([
    ['{"flatten": "emb"}', 'a function node'],
    ['{"layer4.1.relu": "emb"}', 'a node inside a child, where fx cuts the child too'],
    ['{"layer4": "c5", "fc": "emb"}', 'a classifier child, which the forward reaches through a flatten'],
  ])('return_nodes=%s (%s) is Unknown, not a guess', (nodes) => {
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
    // Unknown, not a shape error made up by running the children as a chain (a Linear fed a 4-D map).
    expect(a.diagnostics).toEqual([]);
  });
});

describe('numpy width schedules', () => {
  it("RegNet's generate_regnet: np.power(w_m, ks), np.divide, np.unique, ws.astype(int).tolist() and np.diff keep their values, so the stages are sized", () => {
    // torch: output [1, 10], 201,578 parameters, 58 rows (stage widths [24, 64, 152], depths [1, 2, 3])
    const s = summary(`import numpy as np
import torch
import torch.nn as nn

def generate_regnet(w_a, w_0, w_m, d, q=8):
    assert w_a >= 0 and w_0 > 0 and w_m > 1 and w_0 % q == 0
    ws_cont = np.arange(d) * w_a + w_0
    ks = np.round(np.log(ws_cont / w_0) / np.log(w_m))
    ws = w_0 * np.power(w_m, ks)
    ws = np.round(np.divide(ws, q)) * q
    num_stages, max_stage = len(np.unique(ws)), ks.max() + 1
    ws, ws_cont = ws.astype(int).tolist(), ws_cont.tolist()
    return ws, num_stages, max_stage, ws_cont

def get_stages_from_blocks(ws, rs):
    ts_temp = zip(ws + [0], [0] + ws, rs + [0], [0] + rs)
    ts = [w != wp or r != rp for w, wp, r, rp in ts_temp]
    s_ws = [w for w, t in zip(ws, ts[:-1]) if t]
    s_ds = np.diff([d for d, t in zip(range(len(ts)), ts) if t]).tolist()
    return s_ws, s_ds

def adjust_ws_gs_comp(ws, bms, gs):
    ws_bot = [int(w * b) for w, b in zip(ws, bms)]
    gs = [min(g, w_bot) for g, w_bot in zip(gs, ws_bot)]
    ws_bot = [int(round(w_bot / g) * g) for w_bot, g in zip(ws_bot, gs)]
    ws = [int(w_bot / b) for w_bot, b in zip(ws_bot, bms)]
    return ws, gs

class Block(nn.Module):
    def __init__(self, w_in, w_out, stride, bm, gw):
        super().__init__()
        w_b = int(round(w_out * bm))
        g = w_b // gw
        self.a = nn.Sequential(nn.Conv2d(w_in, w_b, 1, bias=False), nn.BatchNorm2d(w_b), nn.ReLU(inplace=True))
        self.b = nn.Sequential(nn.Conv2d(w_b, w_b, 3, stride, 1, groups=g, bias=False), nn.BatchNorm2d(w_b), nn.ReLU(inplace=True))
        self.c = nn.Sequential(nn.Conv2d(w_b, w_out, 1, bias=False), nn.BatchNorm2d(w_out))
        self.proj = None
        if w_in != w_out or stride != 1:
            self.proj = nn.Sequential(nn.Conv2d(w_in, w_out, 1, stride, bias=False), nn.BatchNorm2d(w_out))
    def forward(self, x):
        y = self.c(self.b(self.a(x)))
        return torch.relu(y + (self.proj(x) if self.proj is not None else x))

class RegNet(nn.Module):
    def __init__(self, w_a=24.48, w_0=24, w_m=2.54, d=6, gw=8, bm=1.0, nc=10):
        super().__init__()
        ws, num_stages, _, _ = generate_regnet(w_a, w_0, w_m, d)
        s_ws, s_ds = get_stages_from_blocks(ws, ws)
        s_gs = [gw for _ in range(num_stages)]
        s_bs = [bm for _ in range(num_stages)]
        s_ws, s_gs = adjust_ws_gs_comp(s_ws, s_bs, s_gs)
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        stages = []
        w_in = 16
        for w, dd, g, b in zip(s_ws, s_ds, s_gs, s_bs):
            blocks = [Block(w_in if i == 0 else w, w, 2 if i == 0 else 1, b, g) for i in range(dd)]
            stages.append(nn.Sequential(*blocks))
            w_in = w
        self.stages = nn.Sequential(*stages)
        self.head = nn.Linear(w_in, nc)
    def forward(self, x):
        return self.head(self.stages(self.stem(x)).mean((2, 3)))

RegNet()(torch.randn(1, 3, 32, 32))
`);
    expect(s.out).toBe('[1, 10]');
    expect(s.params).toBe(201578);
    expect(s.rows.length).toBe(58);
    expect(s.rows[s.rows.length - 1]).toBe('head Linear [1, 10] 1530');
  });

  it('torch.pow / torch.div / torch.mul / torch.add (with alpha) of constants carry their values as the operators do', () => {
    // torch: sizes 8 (2 ** 3), 3 (7 / 2 = 3.5 -> int 3), 12, 5 (2 + 3), and torch.add(2, 3, alpha=2) = 8
    const s = summary(`
import torch
import torch.nn as nn

class M(nn.Module):
    def __init__(self):
        super().__init__()
        e = torch.tensor([1, 3])
        self.a = nn.Linear(2, int(torch.pow(2, e)[1]))
        self.b = nn.Linear(2, int(torch.div(torch.tensor([7.0]), 2)[0]))
        self.c = nn.Linear(2, int(torch.mul(torch.tensor([4]), 3)[0]))
        self.d = nn.Linear(2, int(torch.add(torch.tensor([2]), 3)[0]))
        self.e = nn.Linear(2, int(torch.add(torch.tensor([2]), 3, alpha=2)[0]))

    def forward(self, x):
        return self.a(x), self.b(x), self.c(x), self.d(x), self.e(x)

M()(torch.randn(1, 2))
`);
    expect(s.rows.map((r) => r.slice(r.indexOf('[1, ') + 4, r.indexOf(']')))).toEqual(['8', '3', '12', '5', '8']);
  });
});

describe('constant boolean masks', () => {
  it('x[:, mask] with a mask of known values (a bool buffer, a computed mask, a list of bools) keeps as many as are set', () => {
    // torch: output [12, 2], 290 parameters; rows emb [4, 5, 6], b [4, 12], a [12, 2], c [16], d [24]
    const s = summary(`import torch
import torch.nn as nn

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(20, 6)
        self.register_buffer("keep", torch.tensor([True, False, True, True, False]))
        self.every_third = torch.arange(12) % 3 == 0
        self.a = nn.Linear(6, 2)
        self.b = nn.Linear(12, 12)
        self.c = nn.Flatten(0)
        self.d = nn.Flatten(0)

    def forward(self, ids):
        e = self.emb(ids)[:, self.keep]
        h = self.b(e.flatten(1)[:, :12])
        return self.a(e.flatten(0, 1)), self.c(h[:, self.every_third]), self.d(h[:, [True, False] * 6])

M()(torch.randint(0, 20, (4, 5)))
`);
    expect(s.out).toBe('[12, 2]');
    expect(s.rows).toEqual(['emb Embedding [4, 5, 6] 120', 'b Linear [4, 12] 156', 'a Linear [12, 2] 14', 'c Flatten [16] 0', 'd Flatten [24] 0']);
  });

  it('a constant mask set by index (k[1] = True, k[[0, -1]] = 1) is counted with its new values; a slice assignment leaves it unknown, never stale', () => {
    // torch: k2 has 3 set -> [12], k3 has 3 set -> [12], k4 has 0 set -> [0] (the engine: unknown)
    const s = summary(`
import torch
import torch.nn as nn

class M(nn.Module):
    def __init__(self):
        super().__init__()
        k2 = torch.tensor([True, False, True, False, False, False])
        k2[1] = True
        self.k2 = k2
        k3 = torch.tensor([0, 0, 1, 0, 0, 0], dtype=torch.bool)
        k3[[0, -1]] = 1
        self.k3 = k3
        k4 = torch.tensor([True, False, True, False, False, False])
        k4[:] = False
        self.k4 = k4
        self.f = nn.Flatten(0)
        self.g = nn.Flatten(0)
        self.h = nn.Flatten(0)

    def forward(self, x):
        return self.f(x[:, self.k2]), self.g(x[:, self.k3]), self.h(x[:, self.k4])

M()(torch.randn(4, 6))
`);
    expect(s.rows).toEqual(['f Flatten [12] 0', 'g Flatten [12] 0', 'h Flatten [?] 0']);
  });

  it('a mask changed in place after it was made (keep[[0, 3]] = True) is not counted from its old values', () => {
    // torch: 2 set -> [4, 2]; the engine no longer knows the values, so the count is unknown, not 0
    const s = summary(`
import torch
import torch.nn as nn

class M(nn.Module):
    def __init__(self):
        super().__init__()
        keep = torch.zeros(6, dtype=torch.bool)
        keep[[0, 3]] = True
        self.keep = keep
        self.f = nn.Flatten(0)

    def forward(self, x):
        return self.f(x[:, self.keep])

M()(torch.randn(4, 6))
`);
    expect(s.rows[0]).toBe('f Flatten [?] 0');
  });
});

describe('torch.Size', () => {
  it('numel() of a torch.Size (torch.Size(shape), x.shape[1:]) is the product of its dims', () => {
    // torch: output [1, 144], 2,901 parameters; rows feat [3, 8, 7, 8] 224, a [1, 144] 432, head [3, 5] 2245
    const s = summary(`import torch
import torch.nn as nn

class M(nn.Module):
    def __init__(self, shape=(4, 6, 6)):
        super().__init__()
        self.a = nn.Linear(2, torch.Size(shape).numel())
        self.feat = nn.Conv2d(3, 8, 3, stride=2)
        n = self.feat(torch.zeros(1, 3, 15, 17)).shape[1:].numel()
        self.head = nn.Linear(n, 5)

    def forward(self, x, img):
        y = self.feat(img)
        return self.a(x), self.head(y.view(-1, y.shape[1:].numel()))

M()(torch.randn(1, 2), torch.randn(3, 3, 15, 17))
`);
    expect(s.out).toBe('[1, 144]');
    expect(s.params).toBe(2901);
    expect(s.rows).toEqual(['feat Conv2d [3, 8, 7, 8] 224', 'a Linear [1, 144] 432', 'head Linear [3, 5] 2245']);
  });
});
