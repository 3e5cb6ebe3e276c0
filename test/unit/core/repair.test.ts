// Half-typed block headers (a colon not typed yet): the repair that keeps the rest of the
// file, and the analysis that reports the error where the colon is missing.
import { beforeAll, describe, expect, it } from 'vitest';
import { repairMissingColons } from '../../../src/core/python/repair';
import { nodeAnalyzer } from '../../../src/node/wasm';
import type { Analyzer } from '../../../src/core/index';

describe('repairMissingColons', () => {
  it('puts the colon after the header code, before a comment', () => {
    const r = repairMissingColons('class A:\n    def f(self, x)  # todo\n        return x\n');
    expect(r?.text).toBe('class A:\n    def f(self, x):  # todo\n        return x\n');
    expect(r?.at).toEqual([{ line: 1, col: 18 }]);
  });
  it('finds the end of a header written over several lines, and skips brackets and # inside strings', () => {
    const r = repairMissingColons('def f(a,\n      b="#(")\n    return a\nfor i in range(3)\n    pass\n');
    expect(r?.text).toBe('def f(a,\n      b="#("):\n    return a\nfor i in range(3):\n    pass\n');
    expect(r?.at.map((p) => p.line)).toEqual([1, 3]);
  });
  it('leaves headers that have their colon, lines that are not headers, and headers with no indented body', () => {
    expect(repairMissingColons('def f(x):\n    return x\n')).toBeUndefined();
    expect(repairMissingColons('x = 1\n    y = 2\n')).toBeUndefined();
    expect(repairMissingColons('def f(x)\ny = 2\n')).toBeUndefined();
    expect(repairMissingColons('s = """\nif x\n    pass\n"""\n')).toBeUndefined();
  });
});

describe('analysis of a file with a missing colon', () => {
  let analyzer: Analyzer;
  beforeAll(async () => {
    analyzer = await nodeAnalyzer();
  });
  const text = [
    'import torch', 'import torch.nn as nn', '',
    'class Net(nn.Module):', '    def __init__(self):', '        super().__init__()', '        self.fc = nn.Linear(10, 5)', '',
    '    def forward(self, x)', '        return self.fc(x)', '',
    'class Other(nn.Module):', '    def __init__(self):', '        super().__init__()', '        self.fc = nn.Linear(4, 2)', '',
    '    def forward(self, x):', '        return self.fc(x)', '',
  ].join('\n');
  it('keeps every class and reports the error at the header', () => {
    const a = analyzer.analyze(text, { fileName: 't.py' });
    expect(a.models.map((m) => [m.name, m.totalParams])).toEqual([['Net', 55], ['Other', 10]]);
    expect(a.syntaxErrors).toEqual([{ line: 8, character: 24, endLine: 8, endCharacter: 24 }]);
    expect(a.notes[0]).toContain('line 9, column 25');
  });
});
