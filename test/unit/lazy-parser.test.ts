// The CLI loads tree-sitter's WASM only for a file the hand-written parser declines
// (src/node/wasm.ts withLazyParser): a clean file is analysed without it; a file with a
// syntax error is analysed again once it is loaded, and the result is the one the loaded
// parser gives from the start. (This file runs in its own module context: nothing loaded
// tree-sitter before it.)
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/core/analyze';
import { stubAst } from '../../src/core/eval/modules';
import { LIBRARY_STUBS } from '../../src/core/frameworks/library/index';
import { parseFast } from '../../src/core/python/incremental';
import { nodeParser, treeSitterLoaded, withLazyParser } from '../../src/node/wasm';

const CLEAN = `import torch
import torch.nn as nn
from torchvision.models import resnet18

net = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))
y = net(torch.randn(2, 8))
backbone = resnet18()
`;
const BROKEN = `import torch
import torch.nn as nn

net = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))
y = net(torch.randn(2, 8)
`;

describe('tree-sitter on demand', () => {
  it('analyses a clean file (and the library stubs it imports) without loading tree-sitter', async () => {
    const a = await withLazyParser((p) => analyzeText(p, CLEAN, { fileName: 'clean.py' }));
    expect(treeSitterLoaded()).toBe(false);
    expect(a.syntaxErrors).toEqual([]);
    expect(a.models.map((m) => [m.name, m.totalParams])).toEqual([['net', 8 * 16 + 16 + 16 * 4 + 4], ['backbone', 11689512]]);
  });

  it('loads it for a file with a syntax error and gives the loaded parser\'s result', async () => {
    const lazy = await withLazyParser((p) => analyzeText(p, BROKEN, { fileName: 'broken.py' }));
    expect(treeSitterLoaded()).toBe(true);
    const direct = analyzeText(await nodeParser(), BROKEN, { fileName: 'broken.py' });
    expect(lazy).toEqual(direct);
    expect(lazy.syntaxErrors.length).toBeGreaterThan(0);
    expect(lazy.models.map((m) => m.name)).toEqual(['net']);
  });

  it('does not remember a library stub that a parser could not parse', () => {
    // A stub no test here has imported: a parser that gives no tree, then one that does.
    const stub = LIBRARY_STUBS.get('timm')!;
    expect(stub).toBeDefined();
    expect(stubAst(stub, () => undefined)).toBeUndefined();
    const parsed = stubAst(stub, (src) => parseFast(src) ?? undefined);
    expect(parsed?.body.length).toBeGreaterThan(0);
    expect(stubAst(stub, () => undefined)).toBe(parsed);
  });
});
