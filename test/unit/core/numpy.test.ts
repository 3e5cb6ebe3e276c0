// numpy arrays in model code (frameworks/numpy.ts): made and shaped by torch's rules under
// numpy's names, with numpy's meaning where the two differ (`a.size`, `a[i]` a number).
// Figures from numpy 1.24 / torch 1.13 (/usr/bin/python3), quoted beside each case.
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAnalyzer } from '../../../src/node/wasm';
import type { Analyzer } from '../../../src/core/index';
import { formatShape } from '../../../src/core/shapes/dim';

let analyzer: Analyzer;
beforeAll(async () => {
  analyzer = await nodeAnalyzer();
});

/** The widths of Linear(1, w) for each expression: a way to read a number the engine worked out. */
function widths(exprs: string[]): Array<number | null> {
  const text = ['import numpy as np', 'import torch', 'import torch.nn as nn', 'a = np.array([13, 512, 256])',
    `model = nn.Sequential(${exprs.map((e) => `nn.Linear(1, int(${e}))`).join(', ')})`, 'y = model', ''].join('\n');
  const an = analyzer.analyze(text, { fileName: 't.py', inputShapes: [[1, 1]] });
  const m = an.models.find((x) => x.name === 'model');
  expect(m, JSON.stringify(an.notes)).toBeDefined();
  return m!.layers.map((l) => (l.params === null ? null : l.params / 2));
}

describe('numpy arrays', () => {
  it('gives numpy\'s numbers: size, a[i], len, round half to even, sum, argmax, shapes of concatenate / transpose / expand_dims', () => {
    // numpy: a.size 3, a[1] 512, len(a) 3, np.round(2.5) 2.0, np.sum(a) 781, np.argmax(a) 1,
    // concatenate([zeros((2, 3)), ones((1, 3))]).shape (3, 3), a.reshape(3, 1).transpose().shape (1, 3), expand_dims(a, 0).shape (1, 3),
    // linspace(0, 1, 4, endpoint=False)[3] 0.75, np.array((3, 4)).prod() 12 (CleanRL's obs_dim), array([[1, 2], [3, 4], [5, 6]]).sum(axis=0, keepdims=True).shape (1, 2), np.prod([2, 5]) 10.
    expect(widths(['a.size', 'a[1]', 'len(a)', 'np.round(2.5)', 'np.sum(a)', 'np.argmax(a) + 1',
      'np.concatenate([np.zeros((2, 3)), np.ones((1, 3))]).shape[0]', 'a.reshape(3, 1).transpose().shape[1]', 'np.expand_dims(a, 0).shape[1]',
      'np.linspace(0, 1, 4, endpoint=False)[3] * 4', 'np.array((3, 4)).prod()', 'np.array([[1, 2], [3, 4], [5, 6]]).sum(axis=0, keepdims=True).shape[1]', 'np.prod([2, 5])']))
      .toEqual([3, 512, 3, 2, 781, 2, 3, 3, 3, 3, 12, 2, 10]);
  });
  it('builds DLRM-style MLPs from np.fromstring sizes and numpy buffers (positional table, N-BEATS basis)', () => {
    // torch 1.13: output [5, 6]; bot 140 params (Linear(12, 8) 104 + Linear(8, 4) 36), head Linear(16, 3) 51.
    const text = [
      'import numpy as np', 'import torch', 'import torch.nn as nn',
      'def mlp(ln):', '    layers = []', '    for i in range(0, ln.size - 1):', '        layers.append(nn.Linear(int(ln[i]), int(ln[i + 1])))', '        layers.append(nn.ReLU())', '    return nn.Sequential(*layers)',
      'class Net(nn.Module):', '    def __init__(self, arch="12-8-4", n=6, d=8):', '        super().__init__()',
      '        ln = np.fromstring(arch, dtype=int, sep="-")', '        self.bot = mlp(ln)',
      '        pe = np.array([[p / np.power(10000, 2 * (i // 2) / d) for i in range(d)] for p in range(n)])', '        pe[:, 0::2] = np.sin(pe[:, 0::2])',
      '        self.register_buffer("pe", torch.from_numpy(pe).float())',
      '        t = np.arange(-n, 2, 1) / 2', '        basis = np.array([np.cos(np.pi * k * np.flip(t[:n])) for k in range(3)])',
      '        self.register_buffer("basis", torch.tensor(basis).float())', '        self.head = nn.Linear(int(np.sum(ln[1:])) + ln[-1], basis.shape[0])',
      '    def forward(self, x):', '        h = self.bot(x)', '        z = torch.cat([h, h.new_zeros(h.shape[0], 8 + 4 - h.shape[1]), h], dim=1)',
      '        y = self.head(z)', '        return y @ self.basis + self.pe.sum()',
      'net = Net()', 'out = net(torch.randn(5, 12))', '',
    ].join('\n');
    const m = analyzer.analyze(text, { fileName: 't.py' }).models.find((x) => x.name === 'Net')!;
    expect(formatShape(m.outputShape)).toBe('[5, 6]');
    expect(m.layers.filter((l) => l.type === 'Linear').map((l) => [formatShape(l.outputShape), l.params])).toEqual([['[5, 8]', 104], ['[5, 4]', 36], ['[5, 3]', 51]]);
    expect(m.totalParams).toBe(191);
  });
  it('takes negative steps as numpy and TensorFlow do (torch tensors still refuse them)', () => {
    // numpy: arange(10)[::-1].size 10, arange(12).reshape(3, 4)[:, ::-2].shape[1] 2, len(arange(10)[8:2:-2]) 3; no finding.
    expect(widths(['np.arange(10)[::-1].size', 'np.arange(12).reshape(3, 4)[:, ::-2].shape[1]', 'len(np.arange(10)[8:2:-2])', 'len(np.arange(5)[-1:-9:-1])'])).toEqual([10, 2, 3, 5]);
    // tf.strided_slice: t[:, 8:2:-2, ::-1] of (None, 10, 6) is (None, 3, 6); Dense(3) 21 params.
    const tf = analyzer.analyze(['import tensorflow as tf', 'from tensorflow import keras', 'inp = keras.Input((10, 6))',
      'x = keras.layers.Lambda(lambda t: t[:, 8:2:-2, ::-1])(inp)', 'model = keras.Model(inp, keras.layers.Dense(3)(x))', ''].join('\n'), { fileName: 't.py' });
    expect(tf.models[0].layers.map((l) => formatShape(l.outputShape))).toEqual(['[None, 3, 6]', '[None, 3, 3]']);
    const torchFile = analyzer.analyze(['import torch', 'x = torch.randn(4, 5)[::-1]', ''].join('\n'), { fileName: 't.py' });
    expect(torchFile.diagnostics.map((d) => d.message)).toContain('step must be greater than zero');
  });
  it('reports nothing for ndarray methods numpy means otherwise than torch (a.repeat(2) flattens, a.fill(0) is in place)', () => {
    // numpy 1.24: np.ones((2, 3)).repeat(2).shape == (12,); torch's Tensor.repeat(2) on a 2-D tensor is an error.
    const an = analyzer.analyze(['import numpy as np', 'a = np.ones((2, 3))', 'b = a.repeat(2)', 'a.fill(0)', 'c = a.reshape(3, 2).T', ''].join('\n'), { fileName: 't.py' });
    expect(an.diagnostics).toEqual([]);
  });
  it('keeps a torch tensor made from an array a torch tensor (x.size() is a method again)', () => {
    const text = ['import numpy as np', 'import torch', 'import torch.nn as nn', 'x = torch.from_numpy(np.zeros((4, 6), dtype=np.float32))',
      'model = nn.Linear(x.size(1), x.size()[0])', 'y = model(x)', ''].join('\n');
    const m = analyzer.analyze(text, { fileName: 't.py' }).models.find((x) => x.name === 'model')!;
    expect([formatShape(m.outputShape), m.totalParams]).toEqual(['[4, 4]', 28]);
  });
});
