// Gaps probe round 9 found (point-cloud, flow, audio, config-driven models). Every expected
// figure below was printed by real torch 1.13 (`/usr/bin/python3`, torch 1.13.0a0) running
// the same code.

import { beforeAll, describe, expect, it } from 'vitest';
import { meth, op } from './op-calls';
import { nodeAnalyzer } from '../../../src/node/wasm';
import type { Analyzer } from '../../../src/core/index';
import { TRUE, type Value, int, tensor, tuple } from '../../../src/core/eval/values';
import { formatShape } from '../../../src/core/shapes/dim';
import { firstModelRows, type ModelRows } from './model-rows';

let analyzer: Analyzer;
beforeAll(async () => {
  analyzer = await nodeAnalyzer();
});

const shapeOf = (v: Value): string => (v.k === 'tensor' ? formatShape(v.shape) : `<${v.k}>`);
const ints = (...xs: number[]) => tuple(xs.map((x) => int(x)));

/** The first model of `code` (model-rows.ts). */
const summary = (code: string): ModelRows => firstModelRows(analyzer, code);

describe('Tensor.resize_ / resize_as_ (in place, the receiver takes the new shape)', () => {
  it('w.new().resize_((30, 1)) is [30, 1]; resize_(2, 3) reshapes the receiver itself; resize_as_ takes the other shape', () => {
    // torch: w.new().resize_((30, 1)).shape -> [30, 1]
    expect(shapeOf(meth(tensor([0]), 'resize_', [ints(30, 1)]))).toBe('[30, 1]');
    // a = zeros(2); b = a.resize_(2, 3): b.shape == a.shape == [2, 3], a is b
    const a = tensor([2]);
    const b = meth(a, 'resize_', [int(2), int(3)]);
    expect(b).toBe(a);
    expect(shapeOf(a)).toBe('[2, 3]');
    // zeros(3).resize_as_(empty(4, 5)).shape -> [4, 5]
    expect(shapeOf(meth(tensor([3]), 'resize_as_', [tensor([4, 5])]))).toBe('[4, 5]');
  });

  it("AWD-LSTM's embedded_dropout (new().resize_().bernoulli_().expand_as(weight) into F.embedding) keeps the output shape", () => {
    // torch: Net()(randint(0, 30, (4, 3))) -> [4, 3, 2], 194 params
    const s = summary(`
import torch
import torch.nn as nn
import torch.nn.functional as F

def embedded_dropout(embed, words, dropout=0.1):
    mask = embed.weight.data.new().resize_((embed.weight.size(0), 1)).bernoulli_(1 - dropout).expand_as(embed.weight) / (1 - dropout)
    return F.embedding(words, mask * embed.weight, -1)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Embedding(30, 6)
        self.fc = nn.Linear(6, 2)

    def forward(self, ids):
        return self.fc(embedded_dropout(self.encoder, ids))

Net()(torch.randint(0, 30, (4, 3)))
`);
    expect(s.out).toBe('[4, 3, 2]');
    expect(s.params).toBe(194);
  });
});

describe('argparse: a list handed to parse_args is parsed', () => {
  it('--opt value, --opt=value, nargs="+", store_true, count clusters (-vv), nargs="?" const, append, -n7, prefixes, positionals', () => {
    // argparse (python 3, same parser): parse_args(['x.csv', '--hid', '5', '-vv', '--drop', '--widths', '3', '--widths', '4', '-n7'])
    //   -> Namespace(data='x.csv', hidden=5, layers=2, verbose=2, drop=0.5, widths=[3, 4], n=7)
    // parse_args(['--bidirectional', '--kernels', '3', '3', '3', '--hidden=6']) -> Namespace(bidirectional=True, kernels=[3, 3, 3], hidden=6)
    // Each layer's sizes read those values (sys.argv[1:] is not known: q's defaults); the rows are torch's, with d = q.parse_args([]).
    const s = summary(`
import sys
import argparse
import torch
import torch.nn as nn

p = argparse.ArgumentParser()
p.add_argument("data")
p.add_argument("--hidden", type=int, default=8)
p.add_argument("--layers", default="2", type=int)
p.add_argument("-v", "--verbose", action="count", default=0)
p.add_argument("--drop", type=float, nargs="?", const=0.5, default=0.0)
p.add_argument("--widths", type=int, action="append")
p.add_argument("-n", type=int, default=1)
a = p.parse_args(["x.csv", "--hid", "5", "-vv", "--drop", "--widths", "3", "--widths", "4", "-n7"])
q = argparse.ArgumentParser()
q.add_argument("--bidirectional", action="store_true")
q.add_argument("--kernels", type=int, nargs="+", default=[5, 3])
q.add_argument("--hidden", type=int, default=8)
b = q.parse_args(["--bidirectional", "--kernels", "3", "3", "3", "--hidden=6"])
d = q.parse_args(sys.argv[1:])

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(a.hidden + len(a.data), a.layers * a.verbose)
        self.fc2 = nn.Linear(a.n, sum(a.widths) + len(a.widths))
        self.drop = nn.Dropout(a.drop)
        self.convs = nn.ModuleList([nn.Conv1d(4, 4, k) for k in b.kernels])
        self.rnn = nn.GRU(4, b.hidden, bidirectional=b.bidirectional, batch_first=True)
        self.fc3 = nn.Linear(d.hidden, len(d.kernels) + d.kernels[0])

    def forward(self, x, y, z):
        for c in self.convs:
            z = c(z)
        return self.fc1(x), self.drop(self.fc2(y)), self.rnn(z.transpose(1, 2))[0], self.fc3(torch.randn(1, 8))

Net()(torch.randn(2, 10), torch.randn(2, 7), torch.randn(2, 4, 20))
`);
    expect(s.rows).toEqual([
      'convs.0 Conv1d [2, 4, 18] 52',
      'convs.1 Conv1d [2, 4, 16] 52',
      'convs.2 Conv1d [2, 4, 14] 52',
      'fc1 Linear [2, 4] 44',
      'fc2 Linear [2, 9] 72',
      'drop Dropout [2, 9] 0',
      'rnn GRU [2, 14, 12] 432',
      'fc3 Linear [1, 7] 63',
    ]);
  });
});

describe('vars() of a plain object', () => {
  it('SimpleNamespace / argparse.Namespace / a config instance splat into keyword arguments', () => {
    // torch: Net(cfg)(randn(2, 5)) -> head.fc [2, 3] 18, body [2, 7] 28 (vars(ns) == {'in_dim': 3, 'out_dim': 7}), tail [2, 4] 32
    const s = summary(`
import argparse
from types import SimpleNamespace
import torch
import torch.nn as nn

class Head(nn.Module):
    def __init__(self, in_dim, out_dim):
        super().__init__()
        self.fc = nn.Linear(in_dim, out_dim)

    def forward(self, x):
        return self.fc(x)

class TailCfg:
    def __init__(self):
        self.in_features = 7
        self.out_features = 4

class Net(nn.Module):
    def __init__(self, cfg, ns):
        super().__init__()
        self.head = Head(**vars(cfg.head))
        self.body = nn.Linear(**{"in_features": vars(ns)["in_dim"], "out_features": vars(ns)["out_dim"]})
        self.tail = nn.Linear(**vars(TailCfg()))

    def forward(self, x):
        return self.tail(self.body(self.head(x)))

cfg = SimpleNamespace(head=SimpleNamespace(in_dim=5, out_dim=3))
Net(cfg, argparse.Namespace(in_dim=3, out_dim=7))(torch.randn(2, 5))
`);
    expect(s.rows).toEqual(['head.fc Linear [2, 3] 18', 'body Linear [2, 7] 28', 'tail Linear [2, 4] 32']);
  });
});

describe('numpy array functions in model construction (arrays share the tensor form)', () => {
  /** The shape and numpy dtype of a numpy expression, as the engine evaluates it in a file (an Identity model run on it). */
  const np = (expr: string): [string, string] => {
    const code = ['import numpy as np', 'import torch', 'import torch.nn as nn', `a = ${expr}`, 'DT = {"int64": 1, "float64": 2, "float32": 3}',
      'm = nn.Sequential(nn.Identity(), nn.Linear(1, DT.get(str(a.dtype), 9)))', 'y = m(torch.from_numpy(np.asarray(a)))', ''].join('\n');
    const r = analyzer.analyze(code, { fileName: 't.py' }).models.find((x) => x.name === 'm');
    const dtype = { 2: 'int64', 4: 'float64', 6: 'float32' }[String(r?.layers[1]?.params)] ?? '?';
    return [r?.layers[0]?.outputShape ? formatShape(r.layers[0].outputShape) : 'null', dtype];
  };
  const shape = (expr: string): string => np(expr)[0];

  it('linspace / logspace / arange / array / eye give numpy shapes and dtypes', () => {
    // numpy: linspace(30.0, 7000.0, 21) -> (21,) float64; logspace(0, 2, 5) -> (5,)
    expect(np('np.linspace(30.0, 7000.0, 21)')).toEqual(['[21]', 'float64']);
    expect(shape('np.logspace(0, 2, 5)')).toBe('[5]');
    // arange(5) int64 (5,); arange(1, 10, 2) (5,); arange(1, 10, 2.5) float64 (4,)
    expect(np('np.arange(5)')).toEqual(['[5]', 'int64']);
    expect(shape('np.arange(1, 10, 2)')).toBe('[5]');
    expect(np('np.arange(1, 10, 2.5)')).toEqual(['[4]', 'float64']);
    // array([[1, 2], [3, 4]]) -> (2, 2) int64; array([[1, 2.0]]) -> (1, 2) float64
    expect(np('np.array([[1, 2], [3, 4]])')).toEqual(['[2, 2]', 'int64']);
    expect(np('np.array([[1, 2.0]])')[1]).toBe('float64');
    // eye(3, 5) -> (3, 5); eye(3) float64 (3, 3)
    expect(shape('np.eye(3, 5)')).toBe('[3, 5]');
    expect(np('np.eye(3)')).toEqual(['[3, 3]', 'float64']);
  });

  it('diff / triu / concatenate / stack / outer / expand_dims / diag / sin follow numpy', () => {
    // diff(ones((3, 5)), axis=0) -> (2, 5); diff(ones((3, 5))) -> (3, 4); diff(ones(6), n=2) -> (4,)
    expect(shape('np.diff(np.ones((3, 5)), axis=0)')).toBe('[2, 5]');
    expect(shape('np.diff(np.ones((3, 5)))')).toBe('[3, 4]');
    expect(shape('np.diff(np.ones(6), n=2)')).toBe('[4]');
    expect(shape('np.triu(np.ones((4, 4), dtype=np.float32), 1)')).toBe('[4, 4]');
    // concatenate([eye(3), zeros((2, 3))], axis=0) -> (5, 3); stack([arange(4)] * 2, axis=1) -> (4, 2)
    expect(shape('np.concatenate([np.eye(3), np.zeros((2, 3))], axis=0)')).toBe('[5, 3]');
    expect(shape('np.stack([np.arange(4)] * 2, axis=1)')).toBe('[4, 2]');
    // outer(arange(5), arange(3)) -> (5, 3); expand_dims(arange(4), 0) -> (1, 4); diag(arange(4)) -> (4, 4); diag(ones((3, 3))) -> (3,)
    expect(shape('np.outer(np.arange(5), np.arange(3))')).toBe('[5, 3]');
    expect(shape('np.expand_dims(np.arange(4), 0)')).toBe('[1, 4]');
    expect(shape('np.diag(np.arange(4))')).toBe('[4, 4]');
    expect(shape('np.diag(np.ones((3, 3)))')).toBe('[3]');
    // sin(arange(6).reshape(2, 3)) -> (2, 3) float64; sin(0.5) -> 0.479425538604203 (int(sin(0.5) * 1e6) = 479425)
    expect(np('np.sin(np.arange(6).reshape(2, 3))')).toEqual(['[2, 3]', 'float64']);
    const m = analyzer.analyze('import numpy as np\nimport torch\nimport torch.nn as nn\nm = nn.Linear(1, int(np.sin(0.5) * 1e6))\ny = m(torch.randn(1, 1))\n', { fileName: 't.py' }).models[0];
    expect(m.totalParams).toBe(2 * 479425);
  });

  it("SincNet's mel-spaced band parameters (np.linspace, np.diff, slicing into nn.Parameter) are counted", () => {
    // torch: Sinc(20) has low (20, 1) and band (20, 1): 40 parameters
    const s = summary(`
import numpy as np
import torch
import torch.nn as nn

class Sinc(nn.Module):
    @staticmethod
    def to_mel(hz):
        return 2595 * np.log10(1 + hz / 700)

    def __init__(self, n):
        super().__init__()
        mel = np.linspace(self.to_mel(30), self.to_mel(7000), n + 1)
        self.low = nn.Parameter(torch.Tensor(mel[:-1]).view(-1, 1))
        self.band = nn.Parameter(torch.Tensor(np.diff(mel)).view(-1, 1))

    def forward(self, x):
        return x * self.low.sum()

Sinc(20)(torch.randn(2, 4))
`);
    expect(s.params).toBe(40);
    expect(s.rows).toEqual([' Sinc [2, 4] 40']);
  });
  it('ndarray.copy() keeps the array (Glow masks: torch.from_numpy(np.triu(np.ones(...), 1).T.copy()))', () => {
    // torch: mask (4, 6) -> fc Linear(6, 3) on randn(2, 4, 6) @ ... -> [2, 4, 3], 21 params
    const s = summary(`
import numpy as np
import torch
import torch.nn as nn

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("mask", torch.from_numpy(np.triu(np.ones((6, 4), dtype=np.float32), 1).T.copy()))
        self.fc = nn.Linear(self.mask.shape[1], 3)

    def forward(self, x):
        return self.fc(x * self.mask)

M()(torch.randn(2, 4, 6))
`);
    expect(s.rows).toEqual(['fc Linear [2, 4, 3] 21']);
  });
});

describe('LU decompositions (torch 1.13)', () => {
  it('linalg.lu, linalg.lu_factor(_ex), torch.lu and lu_unpack give the factors torch gives', () => {
    // A (5, 3): linalg.lu -> P [5, 5], L [5, 3], U [3, 3]; lu_factor -> LU [5, 3], pivots [3] int32; lu_factor_ex adds info []
    const shapes = (v: Value): string[] => (v.k === 'tuple' ? v.items.map(shapeOf) : [shapeOf(v)]);
    expect(shapes(op('torch.linalg.lu', [tensor([5, 3])]))).toEqual(['[5, 5]', '[5, 3]', '[3, 3]']);
    const f = op('torch.linalg.lu_factor', [tensor([5, 3])]);
    expect(shapes(f)).toEqual(['[5, 3]', '[3]']);
    expect(f.k === 'tuple' && f.items[1].k === 'tensor' && f.items[1].dtype).toBe('int32');
    expect(shapes(op('torch.linalg.lu_factor_ex', [tensor([5, 3])]))).toEqual(['[5, 3]', '[3]', '[]']);
    // A (2, 3, 5): linalg.lu -> [2, 3, 3] [2, 3, 3] [2, 3, 5]; torch.lu(A, get_infos=True) -> [2, 3, 5] [2, 3] [2]
    expect(shapes(op('torch.linalg.lu', [tensor([2, 3, 5])]))).toEqual(['[2, 3, 3]', '[2, 3, 3]', '[2, 3, 5]']);
    expect(shapes(op('torch.lu', [tensor([2, 3, 5])], { get_infos: TRUE }))).toEqual(['[2, 3, 5]', '[2, 3]', '[2]']);
    expect(shapes(op('torch.lu', [tensor([2, 3, 5])]))).toEqual(['[2, 3, 5]', '[2, 3]']);
    // lu_unpack(*lu_factor(A)) for A (5, 3) -> [5, 5] [5, 3] [3, 3]
    expect(shapes(op('torch.lu_unpack', [tensor([5, 3]), tensor([3], 'int32')]))).toEqual(['[5, 5]', '[5, 3]', '[3, 3]']);
  });

  it("Glow's LU-parameterised invertible 1x1 conv: its parameters and the conv2d output are known", () => {
    // torch: InvConv(12) params w_l 144 + w_s 12 + w_u 144 = 300; output [2, 12, 16, 16]
    const s = summary(`
import torch
import torch.nn as nn
import torch.nn.functional as F

class InvConv(nn.Module):
    def __init__(self, c):
        super().__init__()
        q, _ = torch.linalg.qr(torch.randn(c, c))
        w_p, w_l, w_u = torch.lu_unpack(*torch.linalg.lu_factor(q))
        w_s = torch.diag(w_u)
        self.register_buffer("w_p", w_p)
        self.register_buffer("u_mask", torch.triu(torch.ones(c, c), 1))
        self.register_buffer("s_sign", torch.sign(w_s))
        self.w_l = nn.Parameter(w_l)
        self.w_s = nn.Parameter(torch.log(torch.abs(w_s)))
        self.w_u = nn.Parameter(torch.triu(w_u, 1))

    def forward(self, x):
        w = self.w_p @ (self.w_l * self.u_mask.T + torch.eye(x.shape[1])) @ (self.w_u * self.u_mask + torch.diag(self.s_sign * torch.exp(self.w_s)))
        return F.conv2d(x, w.unsqueeze(2).unsqueeze(3))

InvConv(12)(torch.randn(2, 12, 16, 16))
`);
    expect([s.out, s.params]).toEqual(['[2, 12, 16, 16]', 300]);
  });
});

describe('weight tying with a parameter of another shape', () => {
  it('the layer computes with the tied weight (rows, output, totals) and keeps its constructor attributes', () => {
    // torch 1.13 (oracle rows): enc [2, 3, 8] 400; dec = Linear(16, 50) with enc.weight (50, 8): [2, 3, 50] 450;
    // sq = Linear(16, 16) with emb2.weight (16, 8): [2, 3, 16] 144; probe = Linear(dec.in_features (still 16), 2): 34.
    // model.parameters(): 628, the shared tensors once.
    const s = summary(`
import torch
import torch.nn as nn

class LM(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Embedding(50, 8)
        self.dec = nn.Linear(16, 50)
        self.dec.weight = self.enc.weight
        self.emb2 = nn.Embedding(16, 8)
        self.sq = nn.Linear(16, 16)
        self.sq.weight = self.emb2.weight
        self.probe = nn.Linear(self.dec.in_features, 2)

    def forward(self, ids):
        h = self.enc(ids)
        return self.dec(h), self.sq(h), self.probe(torch.randn(1, 16))

LM()(torch.randint(0, 50, (2, 3)))
`);
    expect(s.rows).toEqual(['enc Embedding [2, 3, 8] 400', 'dec Linear [2, 3, 50] 450', 'sq Linear [2, 3, 16] 144', 'probe Linear [1, 2] 34']);
    expect([s.params, s.trainable]).toEqual([628, 628]);
  });
});

describe('pad_sequence', () => {
  it('pads the sequences to the longest: (T, B, *), or (B, T, *) with batch_first', () => {
    // torch 1.13: seqs of (7,), (3,), (5,), (9,) -> pad_sequence(batch_first=True) [4, 9];
    // the packed LSTM row then has sum(lengths) = 24 steps; pad_sequence((ones(2, 5, 6), ones(4, 5, 6))) -> [4, 2, 5, 6];
    // pad_sequence(ones(3, 4, 2)) (a tensor: three (4, 2) sequences) -> [4, 3, 2]
    const s = summary(`
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence, pack_padded_sequence

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(40, 6)
        self.rnn = nn.LSTM(6, 8, batch_first=True)
        self.a = nn.Linear(6, 2)
        self.b = nn.Linear(2, 3)

    def forward(self, tokens, lengths):
        out, _ = self.rnn(pack_padded_sequence(self.emb(tokens), lengths, batch_first=True, enforce_sorted=False))
        return self.a(pad_sequence((torch.ones(2, 5, 6), torch.ones(4, 5, 6)))), self.b(pad_sequence(torch.ones(3, 4, 2)))

seqs = [torch.randint(1, 40, (n,)) for n in (7, 3, 5, 9)]
M()(pad_sequence(seqs, batch_first=True), torch.tensor([len(q) for q in seqs]))
`);
    expect(s.rows).toEqual(['emb Embedding [4, 9, 6] 240', 'rnn LSTM [24, 8] 512', 'a Linear [4, 2, 5, 2] 14', 'b Linear [4, 3, 3] 9']);
  });
});

describe('torch.autograd.Function and constant positional inputs', () => {
  const code = `
import torch
import torch.nn as nn
from torch.autograd import Function

class GRL(Function):
    @staticmethod
    def forward(ctx, x, alpha):
        ctx.alpha = alpha
        ctx.save_for_backward(x)
        return x.view_as(x)

    @staticmethod
    def backward(ctx, g):
        return g.neg() * ctx.alpha, None

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(28, 4)
        self.dom = nn.Linear(4, 2)

    def forward(self, x, n):
        h = self.fc(x)
        return self.dom(GRL.apply(h, 0.5)).repeat(1, n)

M()(torch.randn(4, 28), 3)
`;
  it('MyFunction.apply runs its static forward with a context; a number passed beside the tensor is kept', () => {
    // torch 1.13: M()(randn(4, 28), 3) -> [4, 6]; rows fc [4, 4] 116, dom [4, 2] 10
    const a = analyzer.analyze(code, { fileName: 't.py' });
    const m = a.models[0];
    expect(m.inputSource).toBe('example-call');
    expect(m.inputShapes.map((s) => formatShape(s))).toEqual(['[4, 28]']);
    expect(m.outputShape && formatShape(m.outputShape)).toBe('[4, 6]');
    expect(m.layers.map((l) => `${l.path} ${l.outputShape ? formatShape(l.outputShape) : 'null'} ${l.params}`)).toEqual(['fc [4, 4] 116', 'dom [4, 2] 10']);
  });
  it("given input shapes keep the example call's constant positionals in place", () => {
    // torch 1.13: M()(randn(2, 28), 3) -> [2, 6]
    const m = analyzer.analyze(code, { fileName: 't.py', model: 'M', inputShapes: [[2, 28]] }).models[0];
    expect(m.outputShape && formatShape(m.outputShape)).toBe('[2, 6]');
  });
  it("given fewer input shapes than the example call's arguments: the rest (a list of memories) are the example call's", () => {
    // torch 1.13: M()(randint(0, 50, (7, 3)), [zeros(5, 3, 8)] * 2) -> [7, 3, 4]
    const m = analyzer.analyze(`import torch
import torch.nn as nn
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(50, 8)
        self.fc = nn.Linear(8, 4)
    def forward(self, data, mems):
        h = self.emb(data)
        for m in mems:
            h = h + m.mean(0)
        return self.fc(h)
mems = [torch.zeros(5, 3, 8) for _ in range(2)]
M()(torch.randint(0, 50, (6, 3)), mems)
`, { fileName: 't.py', model: 'M', inputShapes: [[7, 3]] }).models[0];
    expect(m.inputSource).toBe('given');
    expect(m.outputShape && formatShape(m.outputShape)).toBe('[7, 3, 4]');
    expect(m.layers.map((l) => `${l.path} ${l.outputShape ? formatShape(l.outputShape) : 'null'}`)).toEqual(['emb [7, 3, 8]', 'fc [7, 3, 4]']);
  });
});

describe('full reductions of known values', () => {
  it('sum / prod / mean over every element of a constant tensor give its value (CleanRL: int(np.array(obs_shape).prod()))', () => {
    // torch / numpy: int(np.array((3, 4)).prod()) -> 12; int(torch.tensor([3, 4]).sum()) -> 7;
    // int(torch.tensor([3, 4.0]).mean() * 2) -> 7; torch.arange(5).sum().item() -> 10; torch.tensor([2.5, 4.0]).prod().item() -> 10.0
    const s = summary(`
import numpy as np
import torch
import torch.nn as nn

class Agent(nn.Module):
    def __init__(self, obs_shape=(3, 4)):
        super().__init__()
        self.a = nn.Linear(int(np.array(obs_shape).prod()), int(torch.tensor([3, 4]).sum()))
        self.b = nn.Linear(7, int(torch.tensor([3, 4.0]).mean() * 2) + torch.arange(5).sum().item() + int(torch.tensor([2.5, 4.0]).prod().item()))

    def forward(self, x):
        return self.b(self.a(x))

Agent()(torch.randn(16, 12))
`);
    expect(s.rows).toEqual(['a Linear [16, 7] 91', 'b Linear [16, 27] 216']);
  });
  it('max / min / amax / amin / argmax / argmin over every element of a constant tensor give its value (graphs in a batch vector)', () => {
    // torch 1.13: int(batch.max()) + 1 -> 2; int(torch.min(batch)) -> 0; argmax([3, 9, 9, 1]) -> 1 (the first);
    // argmin -> 3; amax([[2, 5], [7, 1]]) -> 7; int(amin([4., 2.5]) * 2) -> 5. Output [2, 2 + 0 + 1 + 3 + 7 + 5] = [2, 18].
    // scatter_reduce(0, index, src, reduce="amax") keeps the input's shape: [2, 16].
    const s = summary(`
import torch
import torch.nn as nn

class Readout(nn.Module):
    def __init__(self):
        super().__init__()
        batch = torch.tensor([0, 0, 0, 1, 1, 1, 1])
        width = int(batch.max()) + 1 + int(torch.min(batch)) + int(torch.tensor([3, 9, 9, 1]).argmax())
        width += int(torch.tensor([3, 9, 9, 1]).argmin()) + int(torch.amax(torch.tensor([[2, 5], [7, 1]]))) + int(torch.tensor([4., 2.5]).amin() * 2)
        self.fc = nn.Linear(32, width)

    def forward(self, h, batch):
        n = int(batch.max()) + 1
        summed = torch.zeros(n, h.size(1)).index_add_(0, batch, h)
        maxed = torch.full((n, h.size(1)), -1e9).scatter_reduce(0, batch.unsqueeze(-1).expand_as(h), h, reduce="amax")
        return self.fc(torch.cat([summed, maxed], -1))

Readout()(torch.randn(7, 16), torch.tensor([0, 0, 0, 1, 1, 1, 1]))
`);
    expect(s.out).toBe('[2, 18]');
    expect(s.rows).toEqual(['fc Linear [2, 18] 594']);
  });
});
