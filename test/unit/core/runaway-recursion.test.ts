// A class whose __init__ makes itself from a loop (half-typed code: a deleted class line
// leaves a block's body inside its parent) recursed to the call depth limit once for every
// frame of the first descent, until the whole step budget (4 s of wall clock) was gone.
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeDetailed } from '../../../src/core/analyze';
import type { PyParser } from '../../../src/core/python/parser';
import { nodeParser } from '../../../src/node/wasm';
import { DEFAULT_BUDGET } from '../../../src/core/eval/budget';

let parser: PyParser;
beforeAll(async () => {
  parser = await nodeParser();
});

describe('runaway recursion', () => {
  it('enters a function that reached the depth limit only once more while it runs, and goes on with the file', () => {
    const d = analyzeDetailed(parser, `import torch
import torch.nn as nn
class Block(nn.Module):
    def __init__(self, n=4):
        super().__init__()
        self.fc = nn.Linear(8, 8)
        self.kids = nn.ModuleList([Block(n) for _ in range(n)])
b = Block()
head = nn.Linear(8, 2)
y = head(torch.randn(3, 5))
`, { fileName: 't.py', dataflow: false });
    expect(d.analysis.notes.join('\n')).toMatch(/Call depth limit reached in __init__\(\)/);
    // Some 4 ** 150 calls before; now the first descent and one level below each of its frames.
    expect(d.interp!.steps).toBeLessThan(DEFAULT_BUDGET.maxSteps / 10);
    // The statements after it were followed: head's mismatch is found (definition and call).
    expect(d.analysis.diagnostics.filter((x) => x.code === 'DL401').map((x) => x.range.line).sort()).toEqual([8, 9]);
  });
  it('leaves recursion that ends alone (a recursive block builder)', () => {
    // torch 1.13: Tree(3) has 1 + 2 + 4 + 8 = 15 Linear(4, 4) layers of 20 parameters.
    const d = analyzeDetailed(parser, `import torch
import torch.nn as nn
class Tree(nn.Module):
    def __init__(self, depth):
        super().__init__()
        self.fc = nn.Linear(4, 4)
        self.kids = nn.ModuleList([Tree(depth - 1) for _ in range(2)]) if depth > 0 else nn.ModuleList()
    def forward(self, x):
        x = self.fc(x)
        for k in self.kids:
            x = k(x)
        return x
t = Tree(3)
y = t(torch.randn(2, 4))
`, { fileName: 't.py', dataflow: false });
    expect(d.analysis.notes.join('\n')).not.toMatch(/depth limit/);
    expect(d.analysis.models.find((m) => m.name === 'Tree')?.totalParams).toBe(15 * 20);
  });
});
