// Gaps probe round 10 found (timm/torchvision-style builders, CycleGAN, EfficientNet block
// strings, model surgery). Every expected figure below was printed by real torch 1.13
// (`/usr/bin/python3`, torch 1.13.0a0) running the same code.

import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAnalyzer } from '../../../src/node/wasm';
import type { Analyzer } from '../../../src/core/index';
import { firstModelRows, type ModelRows } from './model-rows';

let analyzer: Analyzer;
beforeAll(async () => {
  analyzer = await nodeAnalyzer();
});

/** The first model of `code` (model-rows.ts). */
const summary = (code: string): ModelRows => firstModelRows(analyzer, code);

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

describe('the re module', () => {
  it("EfficientNet's BlockDecoder: re.split with a capture group keeps the group (['k', '3', ''])", () => {
    // torch: M().l -> Linear(in_features=32, out_features=20), M().m -> Linear(25, 2)
    const s = summary(`
import re
import torch
import torch.nn as nn

def decode(s):
    opts = {}
    for op in s.split("_"):
        m = re.split(r"(\\d.*)", op)
        if len(m) >= 2:
            opts[m[0]] = m[1]
    return opts

class M(nn.Module):
    def __init__(self):
        super().__init__()
        o = decode("r1_k3_s11_e6_i32_o16_se0.25")
        self.l = nn.Linear(int(o["i"]), int(o["o"]) + int(o["s"][0]) + len(re.split(r"[,;]\\s*", "a, b;c")))
        self.m = nn.Linear(int(float(o["se"]) * 100), 2)

    def forward(self, x):
        return self.m(torch.cat([self.l(x), x[:, :5]], 1))

M()(torch.randn(1, 32))
`);
    expect(s.rows).toEqual(['l Linear [1, 20] 660', 'm Linear [1, 2] 52']);
  });

  it('compile with named groups and flags, fullmatch / match / search, group(name), findall, sub with a template and a function, maxsplit', () => {
    // torch: body Conv2d(3, 16, 3, padding=1), Conv2d(16, 8, 1), MaxPool2d(2); fc Linear(8, 81); fc2 Linear(2, 3); 1322 params
    const s = summary(`
import re
import torch
import torch.nn as nn

PAT = re.compile(r"(?P<kind>[a-z]+)(?P<n>\\d+)(?:x(?P<k>\\d+))?", re.I)

class M(nn.Module):
    def __init__(self, spec="Conv16x3-conv8-pool2"):
        super().__init__()
        layers, c = [], 3
        for part in spec.split("-"):
            m = PAT.fullmatch(part)
            kind, n = m.group("kind").lower(), int(m.group(2))
            if kind == "conv":
                k = int(m.group("k") or 1)
                layers.append(nn.Conv2d(c, n, k, padding=k // 2))
                c = n
            else:
                layers.append(nn.MaxPool2d(n))
        self.body = nn.Sequential(*layers)
        nums = [int(x) for x in re.findall(r"\\d+", "a12b3c45")]
        name = re.sub(r"_(\\w)", lambda mm: mm.group(1).upper(), "hidden_dim_x")
        tag = re.sub(r"(\\d+)", r"<\\1>", "w12h3")
        self.fc = nn.Linear(c, sum(nums) + len(name) + len(tag) + len(re.split(r"[,;]\\s*", "a, b;c", maxsplit=1)))
        self.fc2 = nn.Linear(2, 3 if re.match(r"\\d", "x1") is None else 5, bias=bool(re.search(r"\\d", "x1")))

    def forward(self, x):
        return self.fc2(self.fc(self.body(x).mean((2, 3)))[:, :2])

M()(torch.randn(1, 3, 8, 8))
`);
    expect(s.rows).toEqual([
      'body.0 Conv2d [1, 16, 8, 8] 448',
      'body.1 Conv2d [1, 8, 8, 8] 136',
      'body.2 MaxPool2d [1, 8, 4, 4] 0',
      'fc Linear [1, 81] 729',
      'fc2 Linear [1, 3] 9',
    ]);
    expect(s.params).toBe(1322);
  });
  it('does not run a pattern that can backtrack without end ((a+)+ on a long text): Unknown, no hang', () => {
    // JavaScript would spend minutes on this match; the step and time budgets cannot stop it.
    const a = analyzer.analyze(`import re
import torch
import torch.nn as nn
m = re.match(r"(a+)+b", "a" * 40)
n = re.compile(r"(\\w*x)*y").search("w" * 40)
many = re.findall(r"a", "a" * 200_000)
fc = nn.Linear(4, 2)
y = fc(torch.randn(3, 4))
`, { fileName: 't.py' });
    expect(a.notes.join('\n')).not.toMatch(/budget/);
    expect(a.models.map((m) => m.totalParams)).toEqual([10]);
  });
});

describe('__init_subclass__', () => {
  it("a base's hook runs for each subclass with the class statement's keywords (a registry filled by class creation)", () => {
    // torch: M() -> a.l Linear(4, 3), b.l Linear(3, 5); out [2, 5], 35 params
    const s = summary(`
import torch
import torch.nn as nn

class Registered(nn.Module):
    registry = {}

    def __init_subclass__(cls, key=None, **kwargs):
        super().__init_subclass__(**kwargs)
        Registered.registry[key or cls.__name__.lower()] = cls

class A(Registered, key="aa"):
    def __init__(self, c):
        super().__init__()
        self.l = nn.Linear(c, 3)

    def forward(self, x):
        return self.l(x)

class Bee(Registered):
    def __init__(self, c):
        super().__init__()
        self.l = nn.Linear(c, 5)

    def forward(self, x):
        return self.l(x)

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = Registered.registry["aa"](4)
        self.b = Registered.registry["bee"](3)

    def forward(self, x):
        return self.b(self.a(x))

M()(torch.randn(2, 4))
`);
    expect(s.rows).toEqual(['a.l Linear [2, 3] 15', 'b.l Linear [2, 5] 20']);
    expect(s.params).toBe(35);
  });
});

describe('model surgery', () => {
  it('get_submodule(parent) + setattr replaces a norm; del seq[i] / del seq[a:] numbers the Sequential again (torch 1.13)', () => {
    // torch: stem.0 Conv2d [1,8,10,10] 224, stem.1 GroupNorm 16, layer1.0 Conv2d [1,8,8,8] 584, layer1.1 ReLU, layer1.2 Tanh; 824
    const s = summary(`
import torch
import torch.nn as nn

class B(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU())
        self.layer1 = nn.Sequential(nn.Conv2d(8, 8, 3), nn.BatchNorm2d(8), nn.ReLU(), nn.Tanh())

    def forward(self, x):
        return self.layer1(self.stem(x))

model = B()
for name, m in list(model.named_modules()):
    if isinstance(m, nn.BatchNorm2d):
        parent_name, _, child = name.rpartition(".")
        parent = model.get_submodule(parent_name) if parent_name else model
        setattr(parent, child, nn.GroupNorm(4, m.num_features))
del model.layer1[1]
del model.stem[2:]
model(torch.randn(1, 3, 12, 12))
`);
    expect(s.rows).toEqual([
      'stem.0 Conv2d [1, 8, 10, 10] 224',
      'stem.1 GroupNorm [1, 8, 10, 10] 16',
      'layer1.0 Conv2d [1, 8, 8, 8] 584',
      'layer1.1 ReLU [1, 8, 8, 8] 0',
      'layer1.2 Tanh [1, 8, 8, 8] 0',
    ]);
    expect(s.params).toBe(824);
  });
});

describe('match statements', () => {
  it('sequence, star, mapping with **rest, class (dataclass __match_args__, keywords), or, as, guards, literals and wildcards', () => {
    // python: [width(s) for s in SPECS] -> [12, 6, 102, 7, 209, 203, 304, 11, 7, 7, 4, 1]
    const s = summary(`
from dataclasses import dataclass
import torch
import torch.nn as nn

@dataclass
class Pt:
    x: int
    y: int

def width(spec):
    match spec:
        case ("conv", c, k) if k > 1:
            return c * k
        case ("conv", c, _):
            return c
        case [1, *rest]:
            return 100 + len(rest)
        case {"type": "dw", "k": k, **others}:
            return k + len(others)
        case Pt(0, y=yy) | Pt(yy, 5):
            return 200 + yy
        case Pt(x=xx):
            return 300 + xx
        case int(n) if n < 0:
            return -n
        case -2 | 4.0 | None:
            return 7
        case str() as s:
            return len(s)
        case _:
            return 1

SPECS = [("conv", 4, 3), ("conv", 6, 1), [1, 2, 3], {"type": "dw", "k": 5, "a": 1, "b": 2}, Pt(0, 9), Pt(3, 5), Pt(4, 4), -11, 4.0, None, "abcd", (9,)]

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.ls = nn.ModuleList([nn.Linear(1, width(s)) for s in SPECS])

    def forward(self, x):
        return [l(x) for l in self.ls]

M()(torch.randn(1, 1))
`);
    expect(s.rows.map((r) => r.split(' ')[3].replace(']', ''))).toEqual(['12', '6', '102', '7', '209', '203', '304', '11', '7', '7', '4', '1']);
  });

  it('calling an Enum class with a value gives its member (Norm("gn") == Norm.GROUP, `is`, and as a value pattern)', () => {
    // torch: a Linear(2, 3), b Linear(2, 3), c Linear(2, 9)
    const s = summary(`
import enum
import torch
import torch.nn as nn

class Norm(enum.Enum):
    BATCH = "bn"
    GROUP = "gn"

class M(nn.Module):
    def __init__(self, kind="gn"):
        super().__init__()
        k = Norm(kind)
        self.a = nn.Linear(2, 3 if k == Norm.GROUP else 5)
        self.b = nn.Linear(2, 3 if k is Norm.GROUP else 5)
        match k:
            case Norm.BATCH:
                self.c = nn.Linear(2, 7)
            case Norm.GROUP:
                self.c = nn.Linear(2, 9)

    def forward(self, x):
        return self.a(x), self.b(x), self.c(x)

M()(torch.randn(1, 2))
`);
    expect(s.rows).toEqual(['a Linear [1, 3] 9', 'b Linear [1, 3] 9', 'c Linear [1, 9] 27']);
  });
});

describe('FloatFunctional', () => {
  it('add / mul / cat / add_relu run through its activation_post_process Identity (a row); add_scalar does not', () => {
    // torch: quant QuantStub [1,3,10,10]; conv Conv2d [1,8,8,8] 224; skip Conv2d 224; ff.activation_post_process Identity [1,8,8,8]
    // (called again for mul and cat: [1,8,8,8], [1,16,8,8]); dequant DeQuantStub [1,16,8,8]; 448 params
    const s = summary(`
import torch
import torch.nn as nn
from torch.ao.quantization import QuantStub, DeQuantStub
from torch.nn.quantized import FloatFunctional

class Q(nn.Module):
    def __init__(self):
        super().__init__()
        self.quant = QuantStub()
        self.conv = nn.Conv2d(3, 8, 3)
        self.skip = nn.Conv2d(3, 8, 3)
        self.ff = FloatFunctional()
        self.dequant = DeQuantStub()

    def forward(self, x):
        x = self.quant(x)
        a = self.ff.add(self.conv(x), self.skip(x))
        b = self.ff.mul(a, self.ff.add_scalar(a, 1.0))
        return self.dequant(self.ff.cat([a, b], dim=1))

Q()(torch.randn(1, 3, 10, 10))
`);
    expect(s.rows).toEqual([
      'quant QuantStub [1, 3, 10, 10] 0',
      'conv Conv2d [1, 8, 8, 8] 224',
      'skip Conv2d [1, 8, 8, 8] 224',
      'ff.activation_post_process Identity [1, 8, 8, 8] 0',
      'ff.activation_post_process Identity [1, 8, 8, 8] 0',
      'ff.activation_post_process Identity [1, 16, 8, 8] 0',
      'dequant DeQuantStub [1, 16, 8, 8] 0',
    ]);
    expect(s.params).toBe(448);
  });
});
