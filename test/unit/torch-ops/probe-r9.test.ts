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
