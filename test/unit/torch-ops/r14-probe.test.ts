// Gaps probe round 14 found (/work/scratch/models-r14). Every expected figure below was
// printed by real torch 1.13 (`/usr/bin/python3`, torch 1.13.0a0, torchvision 0.14) running
// the same code through test/oracle/oracle.py.

import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAnalyzer } from '../../../src/node/wasm';
import type { Analyzer } from '../../../src/core/index';
import { firstModelRows, type ModelRows } from './model-rows';

let analyzer: Analyzer;
beforeAll(async () => {
  analyzer = await nodeAnalyzer();
});

const summary = (code: string): ModelRows => firstModelRows(analyzer, code);

describe('itertools in builders', () => {
  it('pairwise (3.10), combinations, permutations, zip_longest(fillvalue=) and compress size the layers', () => {
    // torch: output [4, 5], 404 parameters; 6 pairs + 6 ordered pairs -> mix out 12; zip_longest sums to 10
    const s = summary(`
import itertools
from itertools import pairwise
import torch
import torch.nn as nn

class M(nn.Module):
    def __init__(self, dims=(6, 10, 7, 3)):
        super().__init__()
        self.body = nn.Sequential(*[nn.Linear(a, b) for a, b in pairwise(dims)])
        pairs = list(itertools.combinations(range(4), 2))
        perms = list(itertools.permutations("abc", 2))
        self.mix = nn.Linear(3, len(pairs) + len(perms))
        w = [a + (b or 0) for a, b in itertools.zip_longest([1, 2, 3], [4], fillvalue=None)]
        self.extra = nn.Linear(len(pairs) + len(perms), sum(w))
        self.keep = nn.ModuleList(itertools.compress([nn.Linear(sum(w), 2), nn.Linear(sum(w), 5)], [0, 1]))

    def forward(self, x):
        return self.keep[0](self.extra(self.mix(self.body(x))))

M()(torch.randn(4, 6))
`);
    expect(s.out).toBe('[4, 5]');
    expect(s.params).toBe(404);
    expect(s.rows).toEqual([
      'body.0 Linear [4, 10] 70', 'body.1 Linear [4, 7] 77', 'body.2 Linear [4, 3] 24',
      'mix Linear [4, 12] 48', 'extra Linear [4, 10] 130', 'keep.0 Linear [4, 5] 55',
    ]);
  });
});
