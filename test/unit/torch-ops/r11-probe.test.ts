// Gaps probe round 11 found (itertools / inspect / eval in builders, named tuples, numpy
// constants, ParameterDict.update, torchvision.ops modules and detection heads). Every expected
// figure below was printed by real torch 1.13 (`/usr/bin/python3`, torch 1.13.0a0,
// torchvision 0.14) running the same code through test/oracle/oracle.py.

import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAnalyzer } from '../../../src/node/wasm';
import type { Analyzer } from '../../../src/core/index';
import { firstModelRows, type ModelRows } from './model-rows';
import { formatShape } from '../../../src/core/shapes/dim';

let analyzer: Analyzer;
beforeAll(async () => {
  analyzer = await nodeAnalyzer();
});

const summary = (code: string): ModelRows => firstModelRows(analyzer, code);

describe('itertools and ParameterDict.update in builders', () => {
  it('starmap, islice (stop / start, stop, step), product(repeat=) and ParameterDict.update(dict / pairs)', () => {
    // torch: output [5, 8, 2], 85 parameters (ParameterDict 12, starmap Linears 25, islice Linears 44, Linear(3, 1) 4)
    const s = summary(`
import itertools
import torch
import torch.nn as nn

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.d = nn.ParameterDict()
        self.d.update({"a": nn.Parameter(torch.zeros(3)), "b": nn.Parameter(torch.zeros(4))})
        self.d.update([("c", nn.Parameter(torch.zeros(5)))])
        self.s = nn.ModuleList(itertools.starmap(lambda a, g: nn.Linear(a, g), zip([2, 3], [3, 4])))
        w = [4, 6, 2, 9]
        self.f = nn.ModuleList(nn.Linear(a, b) for a, b in itertools.islice(zip(w, w[1:]), 2))
        self.g = nn.Linear(len(list(itertools.islice(range(10), 1, None, 3))), 1)
        self.offsets = torch.tensor(list(itertools.product([0, 1], repeat=3)))

    def forward(self, x):
        for l in self.s:
            x = l(x)
        for l in self.f:
            x = l(x)
        return x.unsqueeze(1) + self.offsets[:, :2]

M()(torch.randn(5, 2))
`);
    expect(s.out).toBe('[5, 8, 2]');
    expect(s.params).toBe(85);
    expect(s.rows).toEqual(['s.0 Linear [5, 3] 9', 's.1 Linear [5, 4] 16', 'f.0 Linear [5, 6] 30', 'f.1 Linear [5, 2] 14']);
  });
});

describe('named tuples, inspect.signature, numpy constants', () => {
  it("a typing.NamedTuple unpacks and indexes as its fields; inspect.signature(self.method).parameters drops self; x * np.pi", () => {
    // torch: a = Linear(4, 3) (x_i, x_j, norm), output [5, 10], 30 parameters
    const s = summary(`
import inspect
from typing import NamedTuple
import numpy as np
import torch
import torch.nn as nn

class Out(NamedTuple):
    logits: torch.Tensor
    boxes: torch.Tensor

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(4, len(inspect.signature(self.message).parameters))
        self.b = nn.Linear(4, 3)

    def message(self, x_i, x_j, norm=None):
        return x_j

    def forward(self, x):
        out = Out(self.a(x), self.b(x))
        logits, boxes = out
        freq = x[:, :1] * np.pi * 2
        return torch.cat([out[0], boxes, out[-1], freq], dim=-1)

M()(torch.randn(5, 4))
`);
    expect(s.out).toBe('[5, 10]');
    expect(s.params).toBe(30);
    expect(s.rows).toEqual(['a Linear [5, 3] 15', 'b Linear [5, 3] 15']);
  });
});

describe('eval() of a literal layer spec', () => {
  it('fairseq-style eval("[(8, 3)] * 2 + [(16, 5, 2)] * -(-3 // 2)") gives the list of tuples', () => {
    // torch: four Conv1d 104, 200, 656, 1296; output [2, 16, 10], 2256 parameters
    const s = summary(`
import torch
import torch.nn as nn

class M(nn.Module):
    def __init__(self, spec="[(8, 3)] * 2 + [(16, 5, 2)] * -(-3 // 2)"):
        super().__init__()
        layers = []
        c = 4
        for conv in eval(spec):
            layers.append(nn.Conv1d(c, conv[0], conv[1], padding=conv[1] // 2))
            c = conv[0]
        self.convs = nn.Sequential(*layers)

    def forward(self, x):
        return self.convs(x)

M()(torch.randn(2, 4, 10))
`);
    expect(s.out).toBe('[2, 16, 10]');
    expect(s.params).toBe(2256);
    expect(s.rows.map((r) => r.slice(r.lastIndexOf(' ') + 1))).toEqual(['104', '200', '656', '1296']);
  });

  it('eval() of a call is still not followed', () => {
    const a = analyzer.analyze(`
import torch
import torch.nn as nn
n = eval("len([1, 2, 3])")
m = nn.Linear(4, n)
m(torch.randn(2, 4))
`, { fileName: 't.py' });
    expect(a.models[0].outputShape?.[1]).not.toBe(3);
  });
});

describe('torchvision.ops modules and torchvision.models.detection heads', () => {
  it('DeformConv2d, FrozenBatchNorm2d, FeaturePyramidNetwork + LastLevelMaxPool, RPNHead over levels, roi_align, MultiScaleRoIAlign, TwoMLPHead, FastRCNNPredictor', () => {
    // torch 1.13 / torchvision 0.14: output [6, 20], 54746 parameters, 26 rows
    const s = summary(`
from collections import OrderedDict
import torch
import torch.nn as nn
from torchvision.ops import DeformConv2d, FrozenBatchNorm2d, FeaturePyramidNetwork, MultiScaleRoIAlign, roi_align
from torchvision.ops.feature_pyramid_network import LastLevelMaxPool
from torchvision.models.detection.rpn import RPNHead
from torchvision.models.detection.faster_rcnn import TwoMLPHead, FastRCNNPredictor


class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.offset = nn.Conv2d(8, 18, 3, padding=1)
        self.dcn = DeformConv2d(8, 16, 3, padding=1)
        self.bn = FrozenBatchNorm2d(16)
        self.down = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.fpn = FeaturePyramidNetwork([16, 32], 24, extra_blocks=LastLevelMaxPool())
        self.rpn = RPNHead(24, 3)
        self.pool = MultiScaleRoIAlign(["p0", "p1"], output_size=4, sampling_ratio=2)
        self.box_head = TwoMLPHead(24 * 16, 64)
        self.predictor = FastRCNNPredictor(64, 5)

    def forward(self, x, boxes):
        c0 = self.bn(self.dcn(x, self.offset(x)))
        feats = self.fpn(OrderedDict([("p0", c0), ("p1", self.down(c0))]))
        logits, deltas = self.rpn(list(feats.values()))
        single = roi_align(feats["p0"], [boxes], output_size=(2, 3))
        scores, box_deltas = self.predictor(self.box_head(self.pool(feats, [boxes, boxes], [(16, 16), (16, 16)])))
        return box_deltas, scores, logits[-1], single


M()(torch.randn(2, 8, 16, 16), torch.tensor([[0.0, 0.0, 8.0, 8.0], [2.0, 2.0, 10.0, 12.0], [1.0, 1.0, 5.0, 5.0]]))
`);
    expect(s.out).toBe('[6, 20]');
    expect(s.params).toBe(54746);
    expect(s.rows.length).toBe(26);
    expect(s.rows.slice(0, 13)).toEqual(['offset Conv2d [2, 18, 16, 16] 1314', 'dcn DeformConv2d [2, 16, 16, 16] 1168', 'bn FrozenBatchNorm2d [2, 16, 16, 16] 0', 'down Conv2d [2, 32, 8, 8] 4640', 'fpn.inner_blocks.1.0 Conv2d [2, 24, 8, 8] 792', 'fpn.layer_blocks.1.0 Conv2d [2, 24, 8, 8] 5208', 'fpn.inner_blocks.0.0 Conv2d [2, 24, 16, 16] 408', 'fpn.layer_blocks.0.0 Conv2d [2, 24, 16, 16] 5208', 'fpn.extra_blocks LastLevelMaxPool [2, 24, 16, 16] 0', 'rpn.conv.0.0 Conv2d [2, 24, 16, 16] 5208', 'rpn.conv.0.1 ReLU [2, 24, 16, 16] 0', 'rpn.cls_logits Conv2d [2, 3, 16, 16] 75', 'rpn.bbox_pred Conv2d [2, 12, 16, 16] 300']);
    expect(s.rows.slice(21)).toEqual(['pool MultiScaleRoIAlign [6, 24, 4, 4] 0', 'box_head.fc6 Linear [6, 64] 24640', 'box_head.fc7 Linear [6, 64] 4160', 'predictor.cls_score Linear [6, 5] 325', 'predictor.bbox_pred Linear [6, 20] 1300']);
  });
});

describe('torchvision.models.quantization (quantize=False)', () => {
  it('QuantizableResNet: QuantStub / DeQuantStub around the body, FloatFunctional.add_relu Identity rows; QuantizableMobileNetV2: ReLU6 replaced by ReLU', () => {
    // torch 1.13 / torchvision 0.14: resnet18(quantize=False, num_classes=10) on [1, 3, 64, 64]: [1, 10], 11181642 parameters, 62 rows;
    // mobilenet_v2(quantize=False, num_classes=4): [1, 4], 2228996 parameters, 153 rows, features.0.2 ReLU
    const res = summary(`
import torch
from torchvision.models import quantization as qmodels

qres = qmodels.resnet18(weights=None, quantize=False, num_classes=10)
qres(torch.randn(1, 3, 64, 64))
`);
    expect(res.out).toBe('[1, 10]');
    expect(res.params).toBe(11181642);
    expect(res.rows.length).toBe(62);
    expect(res.rows[0]).toBe('quant QuantStub [1, 3, 64, 64] 0');
    expect(res.rows[10]).toBe('layer1.0.add_relu.activation_post_process Identity [1, 64, 16, 16] 0');
    expect(res.rows[61]).toBe('dequant DeQuantStub [1, 10] 0');
    const mob = summary(`
import torch
import torchvision

qmob = torchvision.models.quantization.mobilenet_v2(quantize=False, num_classes=4)
qmob(torch.randn(1, 3, 64, 64))
`);
    expect(mob.out).toBe('[1, 4]');
    expect(mob.params).toBe(2228996);
    expect(mob.rows.length).toBe(153);
    expect(mob.rows[3]).toBe('features.0.2 ReLU [1, 32, 32, 32] 0');
  });
});

describe('torch.utils.data in the script that calls the model', () => {
  it('a batch from DataLoader (dict samples, random_split fractions, drop_last; TensorDataset with next(iter(...))) is the input', () => {
    // torch: Net called on [7, 6, 5] -> [7, 2], 378 parameters; mlp on [4, 3]
    const a = analyzer.analyze(`
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset, TensorDataset, random_split


class Pairs(Dataset):
    def __init__(self, n=30):
        self.x = torch.randn(n, 6, 5)
        self.y = torch.randint(0, 2, (n,))

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"x": self.x[i], "y": self.y[i], "w": 1.0}


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(5, 8, batch_first=True)
        self.fc = nn.Linear(8, 2)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.fc(out[:, -1])


train, val = random_split(Pairs(), [0.8, 0.2])
loader = DataLoader(train, batch_size=7, shuffle=True, drop_last=True)
net = Net()
for batch in loader:
    logits = net(batch["x"])
    break
mlp = nn.Linear(3, 1)
xb, yb = next(iter(DataLoader(TensorDataset(torch.randn(10, 3), torch.randn(10)), batch_size=4)))
mlp(xb)
`, { fileName: 't.py' });
    const byName = new Map(a.models.map((m) => [m.name, m]));
    expect(byName.get('Net')?.inputShapes.map((s) => formatShape(s))).toEqual(['[7, 6, 5]']);
    expect(formatShape(byName.get('Net')!.outputShape!)).toBe('[7, 2]');
    expect(byName.get('Net')?.totalParams).toBe(378);
    expect(byName.get('mlp')?.inputShapes.map((s) => formatShape(s))).toEqual(['[4, 3]']);
  });

  it('a class with its own __iter__ returning iter(list) is iterated (for loop and next(iter(obj)))', () => {
    // torch: Linear(3, 2) on [4, 3] -> [4, 2]
    const s = summary(`
import torch
import torch.nn as nn

class Batches:
    def __init__(self):
        self.items = [torch.randn(4, 3), torch.randn(4, 3)]

    def __iter__(self):
        return iter(self.items)

m = nn.Linear(3, 2)
for x in Batches():
    m(x)
`);
    expect(s.out).toBe('[4, 2]');
  });
});

describe('repeat_interleave with repeats of known values', () => {
  it("FastSpeech's length regulator: per-token durations written out give each sequence's length (pad_sequence takes the longest); a known scalar tensor repeats each slice", () => {
    // torch: lengths 7 and 3 -> padded [2, 7, 4] -> proj [2, 7, 6]; h[0].repeat_interleave(torch.tensor(3), dim=0) -> [9, 4]
    const s = summary(`
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence


class Regulator(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(4, 6)

    def forward(self, h, durations):
        expanded = [torch.repeat_interleave(h[i], durations[i], dim=0) for i in range(h.shape[0])]
        x = pad_sequence(expanded, batch_first=True)
        y = h[0].repeat_interleave(torch.tensor(3), dim=0)
        return self.proj(x), self.proj(y)


Regulator()(torch.randn(2, 3, 4), torch.tensor([[1, 2, 4], [0, 2, 1]]))
`);
    expect(s.out).toBe('[2, 7, 6]');
    expect(s.rows).toEqual(['proj Linear [2, 7, 6] 30', 'proj Linear [9, 6] 0']);
  });
});

describe('torchvision swin_v2_t', () => {
  it('Swin V2 blocks (post-norm, cpb_mlp on the relative coordinates table, logit_scale) and PatchMergingV2 (reduction before norm)', () => {
    // torch 1.13 / torchvision 0.14: swin_v2_t(num_classes=3) on [1, 3, 64, 64]: [1, 3], 27584877 parameters, 158 rows
    const s = summary(`
import torch
from torchvision.models import swin_v2_t

sw2 = swin_v2_t(num_classes=3)
sw2(torch.randn(1, 3, 64, 64))
`);
    expect(s.out).toBe('[1, 3]');
    expect(s.params).toBe(27584877);
    expect(s.rows.length).toBe(158);
    expect(s.rows.slice(3, 7)).toEqual([
      'features.1.0.attn.cpb_mlp.0 Linear [1, 15, 15, 512] 1536',
      'features.1.0.attn.cpb_mlp.1 ReLU [1, 15, 15, 512] 0',
      'features.1.0.attn.cpb_mlp.2 Linear [1, 15, 15, 3] 1536',
      'features.1.0.norm1 LayerNorm [1, 16, 16, 96] 192',
    ]);
  });
});

describe('torchvision maxvit_t', () => {
  it('MBConv + window / grid partition attention layers (WindowPartition, SwapAxes, WindowDepartition rows)', () => {
    // torch 1.13 / torchvision 0.14: maxvit_t(num_classes=6) on [1, 3, 224, 224]: [1, 6], 30410696 parameters, 509 rows
    const s = summary(`
import torch
from torchvision.models import maxvit_t

mv = maxvit_t(num_classes=6)
mv(torch.randn(1, 3, 224, 224))
`);
    expect(s.out).toBe('[1, 6]');
    expect(s.params).toBe(30410696);
    expect(s.rows.length).toBe(509);
    expect(s.rows.slice(34, 37)).toEqual([
      'blocks.0.layers.0.layers.window_attention.departition_op WindowDepartition [1, 64, 56, 56] 0',
      'blocks.0.layers.0.layers.grid_attention.partition_op WindowPartition [1, 49, 64, 64] 0',
      'blocks.0.layers.0.layers.grid_attention.partition_swap SwapAxes [1, 64, 49, 64] 0',
    ]);
    expect(s.rows[508]).toBe('classifier.5 Linear [1, 6] 3072');
  });
});

describe("a module's _modules", () => {
  it('an item set in module._modules replaces that submodule (torchvision _replace_relu style)', () => {
    // torch: rows 0 Linear [3, 8] 40, 1 ReLU [3, 8] 0, 2 Linear [3, 2] 18; 58 parameters
    const s = summary(`
import torch
import torch.nn as nn

m = nn.Sequential(nn.Linear(4, 8), nn.ReLU6(), nn.Linear(8, 2))
for key in list(m._modules.keys()):
    if isinstance(m._modules[key], nn.ReLU6):
        m._modules[key] = nn.ReLU()
m(torch.randn(3, 4))
`);
    expect(s.params).toBe(58);
    expect(s.rows).toEqual(['0 Linear [3, 8] 40', '1 ReLU [3, 8] 0', '2 Linear [3, 2] 18']);
  });
});
