// Gaps probe round 9 found (point-cloud, flow, audio, config-driven models). Every expected
// figure below was printed by real torch 1.13 (`/usr/bin/python3`, torch 1.13.0a0) running
// the same code.

import { beforeAll, describe, expect, it } from 'vitest';
import { meth } from './op-calls';
import { nodeAnalyzer } from '../../../src/node/wasm';
import type { Analyzer } from '../../../src/core/index';
import { type Value, int, tensor, tuple } from '../../../src/core/eval/values';
import { formatShape } from '../../../src/core/shapes/dim';

let analyzer: Analyzer;
beforeAll(async () => {
  analyzer = await nodeAnalyzer();
});

const shapeOf = (v: Value): string => (v.k === 'tensor' ? formatShape(v.shape) : `<${v.k}>`);
const ints = (...xs: number[]) => tuple(xs.map((x) => int(x)));

/** The first model of `code`: output shape, total / trainable parameters and rows (path type shape params). */
export function summary(code: string): { out: string; params: number | null; trainable: number | null; rows: string[] } {
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
