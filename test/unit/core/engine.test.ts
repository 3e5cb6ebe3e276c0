// Engine behaviour beyond what the live oracle checks: where input shapes come from,
// symbolic shapes, broken and hostile code, shape diagnostics without any input.
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAnalyzer } from '../../../src/node/wasm';
import { toSummaryJson, type Analyzer } from '../../../src/core/index';
import { formatShape } from '../../../src/core/shapes/dim';
import { renderModelText } from '../../../src/core/summary/text';
import { modelLensTitle } from '../../../src/server/codeLens';
import { MAX_SUMMARY_ROWS } from '../../../src/core/frameworks/torch/runtime';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

let analyzer: Analyzer;
beforeAll(async () => {
  analyzer = await nodeAnalyzer();
});

const CNN = `import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(8, 10)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv(x)))
        return self.fc(torch.flatten(x, 1))
`;

function model(text: string, opts = {}) {
  const a = analyzer.analyze(text, { fileName: 't.py', ...opts });
  expect(a.models.length, `models in ${JSON.stringify(a.notes)}`).toBeGreaterThan(0);
  return a.models[0];
}

describe('input shapes', () => {
  it('is [B, in_features] for a model that starts with nn.Flatten() before a Linear', () => {
    const m = model(`import torch.nn as nn
model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 256), nn.ReLU(), nn.Linear(256, 5))
`);
    expect(m.inputSource).toBe('symbolic');
    expect(formatShape(m.inputShapes[0])).toBe('[B, 3072]');
    expect(formatShape(m.outputShape)).toBe('[B, 5]');
    // Flatten before anything else (a conv) says nothing about the input.
    const conv = model(`import torch.nn as nn
model = nn.Sequential(nn.Flatten(), nn.Conv1d(1, 2, 3))
`);
    expect(conv.outputShape).toBeNull();
  });
  it('is symbolic when nothing is known, with channels from the first layer', () => {
    const m = model(CNN);
    expect(m.inputSource).toBe('symbolic');
    expect(formatShape(m.inputShapes[0])).toBe('[B, 3, H, W]');
    expect(formatShape(m.layers[0].outputShape)).toBe('[B, 8, ⌊(H + 1)/2⌋, ⌊(W + 1)/2⌋]');
    expect(formatShape(m.outputShape)).toBe('[B, 10]');
    expect(m.totalParams).toBe(224 + 90);
  });
  it('takes an example call from the main block', () => {
    const m = model(`${CNN}\nif __name__ == "__main__":\n    net = Net()\n    net(torch.randn(4, 3, 64, 64))\n`);
    expect(m.inputSource).toBe('example-call');
    expect(formatShape(m.layers[0].outputShape)).toBe('[4, 8, 32, 32]');
  });
  it('takes torchinfo.summary(model, input_size=...)', () => {
    const m = model(`from torchinfo import summary\n${CNN}\nsummary(Net(), input_size=(2, 3, 16, 16))\n`);
    expect(m.inputSource).toBe('example-call');
    expect(formatShape(m.inputShapes[0])).toBe('[2, 3, 16, 16]');
  });
  it('takes an example call whose argument is a list or a dict of tensors (no guessed input, no false shape error)', () => {
    // torch 1.13: Concat()([randn(1, 3, 8, 8), randn(1, 4, 8, 8)]) -> [1, 7, 8, 8]; the dict model -> [2, 8], 272 params.
    const cat = analyzer.analyze('import torch\nimport torch.nn as nn\nclass Concat(nn.Module):\n    def forward(self, x):\n        return torch.cat(x, 1)\n\nm = Concat()\ny = m([torch.randn(1, 3, 8, 8), torch.randn(1, 4, 8, 8)])\n', { fileName: 't.py' });
    expect(cat.diagnostics).toEqual([]);
    expect(cat.models[0].inputSource).toBe('example-call');
    expect(cat.models[0].inputShapes).toEqual([[1, 3, 8, 8], [1, 4, 8, 8]]);
    expect(formatShape(cat.models[0].outputShape)).toBe('[1, 7, 8, 8]');
    const dict = model([
      'import torch', 'import torch.nn as nn', 'class DictNet(nn.Module):', '    def __init__(self):', '        super().__init__()',
      '        self.conv = nn.Conv2d(3, 8, 3, padding=1)', '        self.fc = nn.Linear(8 + 5, 8)',
      '    def forward(self, batch):', '        x = self.conv(batch["image"]).mean((2, 3))', '        return self.fc(torch.cat([x, batch["meta"]], 1))', '',
      'net = DictNet()', 'out = net({"image": torch.randn(2, 3, 16, 16), "meta": torch.randn(2, 5)})', '',
    ].join('\n'));
    expect(formatShape(dict.outputShape)).toBe('[2, 8]');
    expect(dict.totalParams).toBe(224 + 112);
  });
  it('takes a single layer the file calls on its own input as a model, but not a loss module or a layer it never calls', () => {
    // torch 1.13: nn.GRU(8, 16)(randn(7, 2, 8)) -> [7, 2, 16], 3 * (16 * (8 + 16) + 2 * 16) = 1,248 params.
    const a = analyzer.analyze([
      'import torch', 'import torch.nn as nn', 'gru = nn.GRU(8, 16)', 'spare = nn.Linear(4, 4)', 'crit = nn.MSELoss()',
      'out, h = gru(torch.randn(7, 2, 8), torch.zeros(1, 2, 16))', 'loss = crit(out, torch.zeros(7, 2, 16))', '',
    ].join('\n'), { fileName: 't.py' });
    expect(a.models.map((m) => m.name)).toEqual(['gru']);
    expect(a.models[0].inputShapes).toEqual([[7, 2, 8], [1, 2, 16]]);
    expect(formatShape(a.models[0].outputShape)).toBe('[7, 2, 16]');
    expect(a.models[0].totalParams).toBe(1248);
    expect(a.models[0].layers.map((l) => [l.path, l.type])).toEqual([['', 'GRU']]);
  });
  it('gives a model that returns a dict no output shape (as torchinfo), and names the dict\'s shapes in the text, the note and the code lens', () => {
    const m = model([
      'import torch', 'import torch.nn as nn', 'class Heads(nn.Module):', '    def __init__(self):', '        super().__init__()',
      '        self.cls = nn.Linear(8, 5)', '        self.box = nn.Linear(8, 4)', '    def forward(self, x):',
      '        return {"logits": self.cls(x), "boxes": self.box(x)}', '', 'y = Heads()(torch.randn(2, 8))', '',
    ].join('\n'));
    expect(m.outputShape).toBeNull();
    expect(m.outputShapes).toEqual([[2, 5], [2, 4]]);
    expect(m.notes).toContain('Output: a dict (logits [2, 5], boxes [2, 4])');
    expect(renderModelText(m)).toMatch(/^Output: \[2, 5\], \[2, 4\]$/m);
    expect(modelLensTitle(m)).toBe('Σ 81 params · → [2, 5], [2, 4] · Show summary');
    expect(toSummaryJson({ file: 't.py', models: [m], diagnostics: [], syntaxErrors: [], notes: [] } as never).models[0].output_shape).toBeNull();
  });
  it('lets a directive win over the example call, and given shapes over the example', () => {
    const withDirective = CNN.replace('class Net', '# tensorlens: input=(1, 3, 100, 100)\nclass Net') + '\nNet()(torch.randn(4, 3, 64, 64))\n';
    expect(formatShape(model(withDirective).inputShapes[0])).toBe('[1, 3, 100, 100]');
    const given = model(`${CNN}\nNet()(torch.randn(4, 3, 64, 64))\n`, { inputShapes: [[null, 3, 8, 8]] });
    expect(given.inputSource).toBe('given');
    expect(formatShape(given.layers[0].outputShape)).toBe('[B, 8, 4, 4]');
  });
});

describe('shape diagnostics', () => {
  it('finds a Linear mismatch with no input shape at all, at the call, pointing at the definition', () => {
    const text = `import torch.nn as nn\nmodel = nn.Sequential(\n    nn.Linear(784, 300),\n    nn.ReLU(),\n    nn.Linear(200, 100),\n)\n`;
    const a = analyzer.analyze(text, { fileName: 't.py' });
    const d = a.diagnostics.find((x) => x.code === 'DL401');
    expect(d, JSON.stringify(a.diagnostics)).toBeDefined();
    expect(d!.message).toContain('200');
    expect(d!.message).toContain('300');
    expect(d!.related?.[0].range.line).toBe(4);
    expect(a.models[0].layers[2].error).toBe(true);
  });
  it('stays quiet when the sizes agree', () => {
    const a = analyzer.analyze(`import torch.nn as nn\nmodel = nn.Sequential(nn.Linear(784, 300), nn.ReLU(), nn.Linear(300, 10))\n`, { fileName: 't.py' });
    expect(a.diagnostics).toEqual([]);
  });
  it('files nothing for a Keras Sequential built later (no input shape anywhere): its rows are Unknown, not errors', () => {
    const text = [
      'from tensorflow import keras', 'from tensorflow.keras import layers', '',
      'model = keras.Sequential()', 'model.add(layers.Conv2D(32, 3))', 'model.add(layers.Flatten())', 'model.add(layers.LSTM(8))', 'model.add(layers.Dense(10))', '',
    ].join('\n');
    const a = analyzer.analyze(text, { fileName: 't.py' });
    expect(a.diagnostics).toEqual([]);
    const m = a.models[0];
    expect(m.layers.map((l) => [l.path, l.outputShape, l.error])).toEqual([
      ['conv2d', null, false], ['flatten', null, false], ['lstm', null, false], ['dense', null, false],
    ]);
    expect(m.outputShape).toBeNull();
    // Still a real mismatch once the input is known.
    const known = analyzer.analyze(text.replace('layers.Conv2D(32, 3)', 'layers.Conv2D(32, 3, input_shape=(28, 28, 1))'), { fileName: 't.py' });
    expect(known.diagnostics.map((d) => d.code)).toEqual(['DL406']);
    expect(known.diagnostics[0].message).toContain('LSTM');
  });
});

describe('Keras layers the catalogue names differently, or cannot run', () => {
  it('takes the aliases (MaxPool2D is MaxPooling2D) and names the layers by their class', () => {
    const j = toSummaryJson(analyzer.analyze('import keras\nfrom keras import layers\nmodel = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(8, 3), layers.MaxPool2D(), layers.GlobalAvgPool2D()])\n', { fileName: 't.py' })).models[0];
    expect(j.layers.map((l) => [l.path, l.type, l.output_shape])).toEqual([
      ['conv2d', 'Conv2D', [null, 26, 26, 8]], ['max_pooling2d', 'MaxPooling2D', [null, 13, 13, 8]], ['global_average_pooling2d', 'GlobalAveragePooling2D', [null, 8]],
    ]);
  });
  it('leaves the output Unknown, with no error, after an unknown layer in a Sequential or TimeDistributed over a model', () => {
    const unknownLayer = analyzer.analyze('import keras\nfrom keras import layers\nimport fancylib\nmodel = keras.Sequential([keras.Input((32,)), layers.Dense(8), fancylib.FancyPool(), layers.Dense(4)])\n', { fileName: 't.py' });
    expect(unknownLayer.diagnostics).toEqual([]);
    expect(unknownLayer.models[0].outputShape).toBeNull();
    const td = analyzer.analyze([
      'import keras', 'from keras import layers', 'frame = keras.Input((16, 16, 3))',
      'encoder = keras.Model(frame, layers.GlobalAveragePooling2D()(layers.Conv2D(8, 3)(frame)))',
      'clips = keras.Input((4, 16, 16, 3))', 'model = keras.Model(clips, layers.LSTM(6)(layers.TimeDistributed(encoder)(clips)))', '',
    ].join('\n'), { fileName: 't.py' });
    expect(td.diagnostics).toEqual([]);
  });
});

describe('Keras Embedding as the first layer of a Sequential', () => {
  // tf.keras 2 gives an Embedding without input_shape the input (batch, input_length), so the
  // Sequential is built: keras.io "Working with RNNs" prints (None, None, 64) / 64,000 for
  // Embedding(input_dim=1000, output_dim=64) followed by LSTM(128) (None, 128) / 98,816.
  const seq = (emb: string) => `from tensorflow import keras\nfrom tensorflow.keras import layers\nmodel = keras.Sequential()\nmodel.add(${emb})\nmodel.add(layers.LSTM(128))\n`;
  it('reads input_dim as the vocabulary, not the input width, whether passed by keyword or position', () => {
    for (const emb of ['layers.Embedding(input_dim=1000, output_dim=64)', 'layers.Embedding(1000, 64)']) {
      const a = analyzer.analyze(seq(emb), { fileName: 't.py' });
      expect(a.diagnostics, emb).toEqual([]);
      const j = toSummaryJson(a).models[0];
      expect(j.input_shapes, emb).toEqual([[null, null]]);
      expect(j.layers.map((l) => [l.output_shape, l.params]), emb).toEqual([[[null, null, 64], 64000], [[null, 128], 98816]]);
      expect(j.total_params, emb).toBe(162816);
    }
  });
  it('takes the sequence length from input_length, and an explicit input_shape over both', () => {
    const withLength = toSummaryJson(analyzer.analyze(seq('layers.Embedding(1000, 64, input_length=10)'), { fileName: 't.py' })).models[0];
    expect(withLength.layers[0].output_shape).toEqual([null, 10, 64]);
    const withShape = toSummaryJson(analyzer.analyze(seq('layers.Embedding(1000, 64, input_shape=(12,))'), { fileName: 't.py' })).models[0];
    expect(withShape.layers[0].output_shape).toEqual([null, 12, 64]);
  });
  it('leaves the legacy input_dim= of other layers as their input width', () => {
    const j = toSummaryJson(analyzer.analyze('from tensorflow import keras\nmodel = keras.Sequential([keras.layers.Dense(32, input_dim=784), keras.layers.Dense(10)])\n', { fileName: 't.py' })).models[0];
    expect(j.input_shapes).toEqual([[null, 784]]);
    expect(j.total_params).toBe(784 * 32 + 32 + 330);
  });
});

describe('evaluator', () => {
  it('binds record classes: namedtuple (with defaults), typing.NamedTuple and @dataclass with field() and __post_init__', () => {
    // torch 1.13: Linear(10, 48) + Linear(48, 40) = 528 + 1,960; dataclass: Linear(40, 30) with depth 2 blocks of Linear(30, 30).
    const text = [
      'import torch.nn as nn', 'from collections import namedtuple', 'from typing import NamedTuple', 'from dataclasses import dataclass, field', '',
      'Cfg = namedtuple("Cfg", "width depth", defaults=(1,))', '',
      'class Cfg2(NamedTuple):', '    width: int = 64', '    depth: int = 1', '',
      '@dataclass', 'class Cfg3:', '    dim: int = 8', '    blocks: list = field(default_factory=lambda: [30, 30])', '    hidden: int = 0', '',
      '    def __post_init__(self):', '        self.hidden = self.blocks[0]', '',
      'a, b, c = Cfg(48), Cfg2(width=40), Cfg3(dim=40)',
      'net = nn.Sequential(nn.Linear(10, a.width), nn.Linear(a.width, b.width), nn.Linear(c.dim, c.hidden), *[nn.Linear(w, w) for w in c.blocks])',
      'depths = (a.depth, b.depth)', '',
    ].join('\n');
    const m = model(text);
    expect(m.totalParams).toBe(528 + 1960 + 1230 + 2 * 930);
  });
  it('builds legacy tensor constructors as parameters: torch.FloatTensor(i, o), torch.Tensor(i, o)', () => {
    // torch 1.13: nn.Parameter(torch.FloatTensor(4, 3)) has 12 elements; torch.mm((5, 4), (4, 3)) -> (5, 3).
    const text = [
      'import torch', 'import torch.nn as nn', 'class Lin(nn.Module):', '    def __init__(self, i=4, o=3):', '        super().__init__()',
      '        self.weight = nn.Parameter(torch.FloatTensor(i, o))', '        self.bias = nn.Parameter(torch.Tensor(o))',
      '    def forward(self, x):', '        y = torch.mm(x, self.weight) + self.bias', '        return y if isinstance(y, torch.Tensor) else None', '',
      'out = Lin()(torch.randn(5, 4).type(torch.DoubleTensor))', '',
    ].join('\n');
    const m = model(text);
    expect(m.totalParams).toBe(15);
    expect(formatShape(m.outputShape)).toBe('[5, 3]');
  });
  it('reads layer attributes as torch stores them: conv arguments as tuples, bias None after bias=False', () => {
    // torch 1.13: Conv2d(3, 4, 3, stride=2).stride == (2, 2); F.pad by it then the conv: [1, 4, 23, 19]; Linear(4, 3, bias=False).bias is None.
    const text = [
      'import torch', 'import torch.nn as nn', 'import torch.nn.functional as F',
      'class C(nn.Module):', '    def __init__(self):', '        super().__init__()',
      '        self.conv = nn.Conv2d(3, 4, 3, stride=2)', '        self.fc = nn.Linear(4, 3, bias=False)',
      '    def forward(self, x):', '        s = self.conv.stride[0]', '        y = self.conv(F.pad(x, [0, s, 0, s]))',
      '        return y if self.fc.bias is None else None', '',
      'out = C()(torch.randn(1, 3, 45, 37))', '',
    ].join('\n');
    expect(formatShape(model(text).outputShape)).toBe('[1, 4, 23, 19]');
  });
  it('runs eagerly: torch.jit.is_scripting() is False, and checkpoint(fn, *args) calls fn', () => {
    const text = [
      'import torch', 'import torch.nn as nn', 'from torch.utils.checkpoint import checkpoint',
      'class M(nn.Module):', '    def __init__(self):', '        super().__init__()', '        self.block = nn.Linear(4, 6)',
      '    def forward(self, x):', '        if torch.jit.is_scripting():', '            return x',
      '        return checkpoint(self.block, x, use_reentrant=False)', '',
      'y = M()(torch.randn(3, 4))', '',
    ].join('\n');
    const m = model(text);
    expect(formatShape(m.outputShape)).toBe('[3, 6]');
    expect(m.layers.map((l) => l.path)).toEqual(['block']);
  });
  it('follows torch.nn.utils submodules: parametrizations.orthogonal hands its Linear back', () => {
    // torch 1.13: Linear(8, 8, bias=False) orthogonal (64) + Linear(8, 2) (18) = 82 parameters, output [3, 2].
    const text = [
      'import torch', 'import torch.nn as nn', 'from torch.nn.utils import parametrizations',
      'class M(nn.Module):', '    def __init__(self):', '        super().__init__()',
      '        self.mix = parametrizations.orthogonal(nn.Linear(8, 8, bias=False))', '        self.out = nn.Linear(8, 2)',
      '    def forward(self, x):', '        return self.out(self.mix(x))', '',
      'y = M()(torch.randn(3, 8))', '',
    ].join('\n');
    const m = model(text);
    expect(m.totalParams).toBe(82);
    expect(formatShape(m.outputShape)).toBe('[3, 2]');
  });
  it('leaves a parameter registered as None None (register_parameter("bias", None))', () => {
    // torch 1.13: 'self.bias is not None' is False, so the unsqueeze branch runs: [1, 5, 3], 12 parameters.
    const text = [
      'import torch', 'import torch.nn as nn', 'class Lin(nn.Module):', '    def __init__(self):', '        super().__init__()',
      '        self.weight = nn.Parameter(torch.randn(4, 3))', '        self.register_parameter("bias", None)',
      '    def forward(self, x):', '        y = x @ self.weight', '        return y + self.bias if self.bias is not None else y.unsqueeze(0)', '',
      'out = Lin()(torch.randn(5, 4))', '',
    ].join('\n');
    const m = model(text);
    expect(formatShape(m.outputShape)).toBe('[1, 5, 3]');
    expect(m.totalParams).toBe(12);
  });
  it('takes torch keyword spellings: size= / shape= / dims= for sizes, axis= and keepdims=, view(dtype=)', () => {
    // Each line runs in torch 1.13 with the shape in the comment.
    const text = [
      'import torch',
      'a = torch.randn(size=(3, 10))', // [3, 10]
      'b = a.view(size=(5, 6))', // [5, 6]
      'c = a.reshape(shape=(10, 3))', // [10, 3]
      'd = a.permute(dims=(1, 0))', // [10, 3]
      'e = a[:1].expand(size=(4, 10))', // [4, 10]
      'f = a.tile(dims=(1, 2))', // [3, 20]
      'g = torch.cat([a, a], axis=1)', // [3, 20]
      'h = a.sum(axis=1, keepdims=True)', // [3, 1]
      'i = a.view(dtype=torch.int32)', // [3, 10]
      '',
    ].join('\n');
    const an = analyzer.analyze(text, { fileName: 't.py', traceShapes: true } as never);
    expect(an.diagnostics).toEqual([]);
  });
  it('reads torch.Size([...]) as sizes and a leaf layer\'s inputs given by keyword (fc(input=x), mha(query=, key=, value=))', () => {
    // torch 1.13: all of these run; y is [2, 10], z [3, 4], a [2, 5, 8].
    const text = [
      'import torch', 'import torch.nn as nn', 'x = torch.randn(4, 5)',
      'y = x.view(torch.Size([2, 10]))', 'w = torch.cat([y, torch.zeros(torch.Size([3, 10]))])',
      'fc = nn.Linear(5, 4)', 'z = fc(input=torch.randn(3, 5))',
      'mha = nn.MultiheadAttention(8, 2, batch_first=True)', 'q = torch.randn(2, 5, 8)', 'a, _ = mha(query=q, key=q, value=q)', '',
    ].join('\n');
    expect(analyzer.analyze(text, { fileName: 't.py' }).diagnostics).toEqual([]);
  });
  it('follows global and nonlocal names, enumerate(start=), min / max / sorted with key=, and a KeyError handler', () => {
    // Python 3.11 runs this to: COUNT 2, width 4 (the handler), start 1, widest ("b", 7), order [3, 2, 1], total 3.
    const m = model([
      'import torch', 'import torch.nn as nn', 'COUNT = 0', 'def bump():', '    global COUNT', '    COUNT += 1',
      'def counter():', '    total = 0', '    def add(n):', '        nonlocal total', '        total += n', '    add(1); add(2)', '    return total',
      'bump(); bump()', 'cfg = {"depth": 2}', 'try:', '    width = cfg["hidden"]', '    width = 99', 'except KeyError:', '    width = 4',
      'first = [i for i, _ in enumerate("ab", start=1)][0]', 'widest = max([("a", 3), ("b", 7)], key=lambda t: t[1])',
      'order = sorted([1, 3, 2], key=lambda v: -v)', 'lo = min({"p": 5, "q": 2}.items(), key=lambda kv: kv[1])[0]',
      'sizes = {"p": 6, "q": counter()}',
      'model = nn.Sequential(nn.Linear(COUNT, width), nn.Linear(width, first + widest[1] + order[0]), nn.Linear(11, sizes[lo]))',
      'y = model(torch.randn(1, 2))', '',
    ].join('\n'));
    expect(m.layers.map((l) => formatShape(l.outputShape))).toEqual(['[1, 4]', '[1, 11]', '[1, 3]']);
    expect(m.totalParams).toBe(2 * 4 + 4 + 4 * 11 + 11 + 11 * 3 + 3);
  });
  it('changes a tensor in place with unsqueeze_ / squeeze_ / t_ / transpose_ (aliases too), so a real mismatch after it is found and a fine call is not', () => {
    // torch 1.13: alias [8, 1, 100], m [4, 6] (t_ returns m itself), f [4, 10], g [5, 3, 2];
    // Conv1d(2, 4, 3)(wave) raises "expected input[8, 1, 100] to have 2 channels, but got 1 channels instead".
    const head = ['import torch', 'import torch.nn as nn', 'wave = torch.randn(8, 100)', 'alias = wave', 'wave.unsqueeze_(1)', 'm = torch.randn(6, 4)', 'r = m.t_()',
      'f = torch.randn(4, 10, 1)', 'f.squeeze_(-1)', 'g = torch.randn(2, 3, 5)', 'g.transpose_(0, 2)'];
    const fine = analyzer.analyze([...head, 'a = nn.Conv1d(1, 4, 3)(alias)', 'b = nn.Linear(6, 2)(r)', 'c = nn.Linear(10, 2)(f)', 'd = nn.Linear(2, 3)(g)', ''].join('\n'), { fileName: 't.py' });
    expect(fine.diagnostics).toEqual([]);
    const bad = analyzer.analyze([...head, 'a = nn.Conv1d(2, 4, 3)(wave)', ''].join('\n'), { fileName: 't.py' });
    expect(bad.diagnostics.map((d) => [d.code, d.range.line])).toEqual([['DL402', 11]]);
  });
  it('compares classes by identity, splits with maxsplit, round-trips dataclasses.asdict, and fills defaultdict / Counter', () => {
    // Python 3.11: in_set False (the Conv2d branch), "27-" + "32-1", width 8, 3 labels, 5 letters in "abracadabra",
    // most_common(1) [("a", 5)], chain.from_iterable 3 items, 26 lowercase letters, type((1,)) is tuple.
    const m = model([
      'import torch', 'import torch.nn as nn', 'import itertools, string', 'from dataclasses import dataclass, asdict', 'from collections import defaultdict, Counter',
      '@dataclass', 'class Cfg:', '    width: int = 16',
      'args = [3, 8, 3]', 'if nn.Conv2d in {nn.Linear} or nn.Conv2d in (nn.Linear, nn.Conv1d):', '    args.insert(2, 5)',
      'dims = [int(v) for v in ("27-" + "128-32-1".split("-", 1)[1]).split("-")]', 'last = "a.b.c".rsplit(".", 1)',
      'width = Cfg(**asdict(Cfg(width=8))).width',
      'by_label = defaultdict(list)', 'for s, l in [("x", 0), ("y", 2), ("z", 1)]:', '    by_label[l].append(s)',
      'counts = Counter("abracadabra")', 'top = counts.most_common(1)[0]',
      'flat = list(itertools.chain.from_iterable([[1, 2], [3]]))', 'letters = len(string.ascii_lowercase)', 'is_tuple = type((1,)) is tuple',
      'model = nn.Sequential(nn.Conv2d(*args), nn.Flatten(), nn.LazyLinear(dims[0]), nn.Linear(dims[0], dims[1] + dims[2]),',
      '    nn.Linear(33, width * len(by_label) * len(counts) + top[1] + len(flat) + letters + int(is_tuple) + len(last[0])))',
      'y = model(torch.randn(1, 3, 6, 6))', '',
    ].join('\n'));
    // Conv2d(3, 8, 3): [1, 8, 4, 4] (with the 5 inserted it would be a 5x5 kernel and [1, 8, 2, 2]).
    expect(m.layers.map((l) => formatShape(l.outputShape))).toEqual(['[1, 8, 4, 4]', '[1, 128]', '[1, 27]', '[1, 33]', `[1, ${8 * 3 * 5 + 5 + 3 + 26 + 1 + 3}]`]);
  });
  it('lets no parameter take its default when a call passes **value of keys not known', () => {
    const m = model([
      'import sys', 'import torch', 'import torch.nn as nn', 'from dataclasses import dataclass', '@dataclass', 'class Cfg:', '    width: int = 16',
      'def make(depth=2, width=16):', '    return nn.Linear(4, width)', 'opts = dict(x.split("=") for x in sys.argv[1:])',
      'model = nn.Sequential(make(**opts), nn.Linear(4, Cfg(**opts).width))', 'y = model[0](torch.randn(2, 4))', 'z = model(torch.randn(2, 4))', '',
    ].join('\n'));
    expect(m.layers.map((l) => l.params)).toEqual([null, null]);
  });
  it('runs decorators written in Python: a function registry (timm) and a class registry (mmcv) are filled, a library decorator keeps the function', () => {
    // torch 1.13: create_model("net_tiny", num_classes=3) -> Net(dim=16) [2, 3], 195 params; MODELS.build(...) -> Head [2, 5], 85 params.
    const a = analyzer.analyze([
      'import torch', 'import torch.nn as nn', 'REGISTRY = {}', 'def register_model(fn):', '    REGISTRY[fn.__name__] = fn', '    return fn',
      'class Net(nn.Module):', '    def __init__(self, dim=64, num_classes=10):', '        super().__init__()', '        self.fc = nn.Linear(8, dim)', '        self.head = nn.Linear(dim, num_classes)',
      '    @torch.no_grad()', '    def forward(self, x):', '        return self.head(self.fc(x))',
      '@register_model', 'def net_tiny(**kwargs):', '    return Net(dim=16, **kwargs)',
      'class Registry:', '    def __init__(self):', '        self.items = {}', '    def register_module(self):', '        def _register(cls):',
      '            self.items[cls.__name__] = cls', '            return cls', '        return _register',
      'MODELS = Registry()', '@MODELS.register_module()', 'class Head(nn.Module):', '    def __init__(self, c, n):', '        super().__init__()', '        self.fc = nn.Linear(c, n)',
      '    def forward(self, x):', '        return self.fc(x)',
      'if __name__ == "__main__":', '    m = REGISTRY["net_tiny"](num_classes=3)', '    m(torch.randn(2, 8))', '    h = MODELS.items["Head"](16, 5)', '    h(torch.randn(2, 16))', '',
    ].join('\n'), { fileName: 't.py' });
    expect(a.models.map((m) => [m.name, formatShape(m.outputShape), m.totalParams])).toEqual([['Net', '[2, 3]', 195], ['Head', '[2, 5]', 85]]);
  });
  it('gives the class name to the instance called first and the variable name to a later one (Agent()(x), then cont = Agent(12, 2))', () => {
    const a = analyzer.analyze([
      'import torch', 'import torch.nn as nn', 'class Agent(nn.Module):', '    def __init__(self, obs=8, n=4):', '        super().__init__()', '        self.actor = nn.Linear(obs, n)',
      '    def forward(self, x):', '        return self.actor(x)', 'y = Agent()(torch.randn(16, 8))', 'cont = Agent(12, 2)', 'z = cont(torch.randn(16, 12))', '',
    ].join('\n'), { fileName: 't.py' });
    // torch 1.13 (oracle): Agent [16, 4] 36 params, cont [16, 2] 26 params.
    expect(a.models.map((m) => [m.name, formatShape(m.outputShape), m.totalParams])).toEqual([['Agent', '[16, 4]', 36], ['cont', '[16, 2]', 26]]);
  });
  it('evaluates eval() of a literal or a dotted name (YOLOv5 parse_model) and nothing else', () => {
    // torch 1.13: Sequential(Conv2d(3, 8, 3, 1, 1), Upsample(scale_factor=2.0)) on [1, 3, 8, 8] -> [1, 8, 16, 16], 224 params.
    const m = model([
      'import torch', 'import torch.nn as nn', 'cfg = [["nn.Conv2d", [3, 8, 3, 1, 1]], ["nn.Upsample", ["None", 2]]]', 'layers = []',
      'for name, args in cfg:', '    m = eval(name) if isinstance(name, str) else name', '    args = [eval(a) if isinstance(a, str) else a for a in args]',
      '    layers.append(m(*args))', 'model = nn.Sequential(*layers)', 'y = model(torch.randn(1, 3, 8, 8))', 'z = eval("y + 1")', '',
    ].join('\n'));
    expect(m.layers.map((l) => [l.type, formatShape(l.outputShape), l.params])).toEqual([['Conv2d', '[1, 8, 8, 8]', 224], ['Upsample', '[1, 8, 16, 16]', 0]]);
  });
  it('reads and writes config dicts by attribute: EasyDict (nested, filled later), OmegaConf.create, ConfigDict, Box', () => {
    // easydict / omegaconf semantics: nested dicts are read by attribute too. Widths 64, 10, 3 -> Linear(64, 10) + Linear(10, 3).
    const m = model([
      'import torch', 'import torch.nn as nn', 'from easydict import EasyDict as edict', 'from omegaconf import OmegaConf', 'from ml_collections import ConfigDict',
      'cfg = edict()', 'cfg.MODEL = edict()', 'cfg.MODEL.WIDTH = 64', 'cfg.HEAD = {"classes": 10}',
      'oc = OmegaConf.create({"out": {"dim": 3}})', 'cd = ConfigDict({"bias": False})',
      'model = nn.Sequential(nn.Linear(cfg.MODEL.WIDTH, cfg.HEAD.classes), nn.Linear(cfg["HEAD"]["classes"], oc.out.dim, bias=cd.bias))',
      'y = model(torch.randn(2, 64))', '',
    ].join('\n'));
    expect(m.layers.map((l) => [formatShape(l.outputShape), l.params])).toEqual([['[2, 10]', 650], ['[2, 3]', 30]]);
  });
  it('reads dict subclasses (AttrDict with self.__dict__ = self, __getattr__ = dict.__getitem__), a user __getattr__ and yaml.safe_load of a literal', () => {
    // Run under torch 1.13: output [2, 4]; params per layer 30, 35, 36, 24 (HiFi-GAN's AttrDict config idiom).
    const m = model([
      'import json', 'import yaml', 'import torch', 'import torch.nn as nn',
      'class AttrDict(dict):', '    def __init__(self, *args, **kwargs):', '        super(AttrDict, self).__init__(*args, **kwargs)', '        self.__dict__ = self',
      'class Cfg(dict):', '    __getattr__ = dict.__getitem__', '    __setattr__ = dict.__setitem__',
      'class Args:', '    def __init__(self, base):', '        self.base = base', '    def __getattr__(self, name):', '        return getattr(self.base, name)',
      'h = AttrDict(json.loads(\'{"width": 6, "hidden": 5}\'))', 'c = Cfg(depth=2)', 'c.out = 3', 'a = Args(h)',
      'y = yaml.safe_load("""', 'head:', '  classes: 4', '  bias: false', '""")',
      'ok = 1 if isinstance(h, dict) and isinstance(h, AttrDict) and not isinstance(a, dict) else 0',
      'model = nn.Sequential(nn.Linear(4, h.width), nn.Linear(h["width"], a.hidden), nn.Linear(h.get("hidden"), c.out * c.depth),',
      '                      nn.Linear(6, y["head"]["classes"] * ok, bias=y["head"]["bias"]))',
      'out = model(torch.randn(2, 4))', '',
    ].join('\n'));
    expect(m.layers.map((l) => [formatShape(l.outputShape), l.params])).toEqual([['[2, 6]', 30], ['[2, 5]', 35], ['[2, 6]', 36], ['[2, 4]', 24]]);
  });
  it('does not loop on a __getattr__ that reads a missing attribute of its own', () => {
    const a = analyzer.analyze([
      'import torch.nn as nn', 'class C:', '    def __getattr__(self, name):', '        return self.missing + 1',
      'model = nn.Sequential(nn.Linear(3, C().width))', '',
    ].join('\n'), { fileName: 't.py' });
    expect(a.models[0]?.layers[0]?.params ?? null).toBeNull();
  });
  it('resolves Hydra-style targets: importlib.import_module of a known name (a library module or __main__), str.rpartition / partition / find / count', () => {
    // Run under torch 1.13: model(torch.randn(2, 6)) -> [2, 6], 162 params (Linear 84, GELU 0, Head's Linear 78).
    const a = analyzer.analyze([
      'import importlib', 'import torch', 'import torch.nn as nn',
      'class Head(nn.Module):', '    def __init__(self, width, classes):', '        super().__init__()', '        self.fc = nn.Linear(width, classes)',
      '    def forward(self, x):', '        return self.fc(x)',
      'def locate(path):', '    mod, _, attr = path.rpartition(".")', '    return getattr(importlib.import_module(mod), attr)',
      'act = locate("torch.nn.GELU")()',
      'head = locate("__main__.Head")(width=12, classes=len("a.b.c".partition(".")) + "xax".find("a") + "abcb".count("b"))',
      'model = nn.Sequential(nn.Linear(6, 12), act, head)', 'y = model(torch.randn(2, 6))', '',
    ].join('\n'), { fileName: 't.py' });
    const m = a.models.find((x) => x.name === 'model')!;
    expect(m.layers.map((l) => [l.type, formatShape(l.outputShape), l.params])).toEqual([['Linear', '[2, 12]', 84], ['GELU', '[2, 12]', 0], ['Linear', '[2, 6]', 78]]);
  });
  it('counts a layer parameter registered on a second module once (ParameterList of block.parameters(), self.w = fc.weight)', () => {
    // torch 1.13: [4, 4] out; 50 parameters (fc 42 + the unregistered Linear(3, 2)'s 8 through `extra`); 4 tensors in net.parameters().
    const m = model([
      'import torch', 'import torch.nn as nn', 'class Net(nn.Module):', '    def __init__(self):', '        super().__init__()',
      '        self.fc = nn.Linear(6, 6)', '        self.w = self.fc.weight', '        self.plist = nn.ParameterList(self.fc.parameters())',
      '        self.extra = nn.ParameterList(nn.Linear(3, 2).parameters())', '        self.n = len(list(self.parameters()))',
      '    def forward(self, x):', '        return self.fc(x)[:, :self.n]', 'y = Net()(torch.randn(4, 6))', '',
    ].join('\n'));
    expect([formatShape(m.outputShape), m.totalParams]).toEqual(['[4, 4]', 50]);
  });
  it('lists each instance of a project model called where no module-level name holds it, by its class (a registry loop)', () => {
    // The oracle (torch 1.13) lists both: Net 6*4+4 = 28 params, then Net 6*9+9 = 63.
    const a = analyzer.analyze([
      'import torch', 'import torch.nn as nn', 'class Net(nn.Module):', '    def __init__(self, width):', '        super().__init__()', '        self.fc = nn.Linear(6, width)',
      '    def forward(self, x):', '        return self.fc(x)', 'REG = {"small": lambda: Net(4), "big": lambda: Net(9)}',
      'if __name__ == "__main__":', '    for name in ["small", "big"]:', '        m = REG[name]()', '        m(torch.randn(2, 6))', '    m = None', '',
    ].join('\n'), { fileName: 't.py' });
    expect(a.models.map((m) => [m.name, formatShape(m.outputShape), m.totalParams])).toEqual([['Net', '[2, 4]', 28], ['Net', '[2, 9]', 63]]);
  });
  it('keeps shapes through the in-place math methods (Whisper\'s causal mask: torch.empty(n, n).fill_(-inf).triu_(1))', () => {
    // torch 1.13: qk [2, 4, 10, 10] + mask[:10, :10] -> [2, 4, 10, 10]; Linear(10, 3) -> [2, 4, 10, 3].
    const m = model([
      'import numpy as np', 'import torch', 'import torch.nn as nn', 'class Attn(nn.Module):', '    def __init__(self, n=16):', '        super().__init__()',
      '        self.register_buffer("mask", torch.empty(n, n).fill_(-np.inf).triu_(1), persistent=False)', '        self.proj = nn.Linear(10, 3)',
      '    def forward(self, qk):', '        n = qk.shape[-1]', '        s = qk + self.mask[:n, :n]', '        s = s.clamp_min_(-1e4).square_().tril_()', '        return self.proj(s)',
      'y = Attn()(torch.randn(2, 4, 10, 10))', '',
    ].join('\n'));
    expect(formatShape(m.outputShape)).toBe('[2, 4, 10, 3]');
  });
  it('takes no handler for a key it cannot tell is missing (a dict with a key not known)', () => {
    const m = model([
      'import torch', 'import torch.nn as nn', 'import sys', 'cfg = {sys.argv[1]: 8}', 'try:', '    width = cfg["hidden"]', 'except KeyError:', '    width = 4',
      'model = nn.Sequential(nn.Linear(2, width))', 'y = model(torch.randn(1, 2))', '',
    ].join('\n'));
    expect(formatShape(m.outputShape)).not.toBe('[1, 4]');
  });
  it('files no shape error inside a try body whose handler is the fallback', () => {
    const text = [
      'import torch', 'import torch.nn as nn', 'a, b = nn.Linear(5, 3), nn.Linear(7, 3)', 'x = torch.randn(2, 7)',
      'try:', '    y = a(x)', 'except RuntimeError:', '    y = b(x)', 'z = a(x)', '',
    ].join('\n');
    const an = analyzer.analyze(text, { fileName: 't.py' });
    // The call after the try (line 8), echoed at the layer's definition (line 2; `a` is a model of one layer).
    expect(an.diagnostics.map((d) => d.range.line).sort()).toEqual([2, 8]);
  });
  it('forgets what a loop it could not follow changes: the list it fills is Unknown after it, not empty', () => {
    const text = 'import torch\nparts = []\nfor chunk in torch.split(torch.rand(n, 4), 16):\n    parts.append(chunk.softmax(1))\nx = torch.cat(parts)\ny = x.topk(2, dim=1)\n';
    const a = analyzer.analyze(text, { fileName: 't.py' });
    expect(a.diagnostics).toEqual([]);
    expect(a.notes.some((n) => n.includes('loop body skipped'))).toBe(true);
  });
  it('runs a += on an nn.ModuleList in place, and isinstance against collections.abc types', () => {
    const text = [
      'import collections.abc', 'import torch', 'import torch.nn as nn', '',
      'def pair(x):', '    return tuple(x) if isinstance(x, collections.abc.Iterable) else (x, x)', '',
      'class Net(nn.Module):', '    def __init__(self):', '        super().__init__()',
      '        self.conv = nn.Conv2d(3, 8, kernel_size=pair(4), stride=pair(4))',
      '        self.layers = nn.ModuleList([nn.Linear(8, 8)])', '        self.layers += [nn.Linear(8, 4)]', '',
      '    def forward(self, x):', '        x = self.conv(x).mean((2, 3))', '        for l in self.layers:', '            x = l(x)', '        return x', '',
      'Net()(torch.randn(2, 3, 16, 16))', '',
    ].join('\n');
    const m = model(text);
    expect(m.layers.map((l) => l.path)).toEqual(['conv', 'layers.0', 'layers.1']);
    expect(formatShape(m.outputShape)).toBe('[2, 4]');
    expect(m.totalParams).toBe(392 + 72 + 36);
  });
  it('follows aliases, comprehensions, zip/enumerate, OrderedDict, ModuleDict and add_module', () => {
    const text = `from collections import OrderedDict
import torch as T
from torch import nn
from torch.nn import Conv2d as C2

WIDTHS = [8, 16, 32]

def block(i, o):
    return nn.Sequential(OrderedDict([("conv", C2(i, o, 3, padding=1)), ("act", nn.ReLU())]))

class Net(nn.Module):
    scale = 2
    def __init__(self, in_ch=3):
        super(Net, self).__init__()
        chans = [in_ch] + [w * self.scale // 2 for w in WIDTHS]
        self.stages = nn.ModuleList([block(a, b) for a, b in zip(chans[:-1], chans[1:])])
        self.heads = nn.ModuleDict({"cls": nn.Linear(32, 5)})
        for i, w in enumerate(WIDTHS[:1]):
            self.add_module("extra%d" % i, nn.Identity())

    def forward(self, x):
        for s in self.stages:
            x = s(x)
        x = x.mean(dim=(2, 3))
        return self.heads["cls"](self.extra0(x))

y = Net()(T.randn(1, 3, 8, 8))
`;
    const m = model(text);
    expect(m.layers.map((l) => l.path)).toEqual(['stages.0.conv', 'stages.0.act', 'stages.1.conv', 'stages.1.act', 'stages.2.conv', 'stages.2.act', 'extra0', 'heads.cls']);
    expect(formatShape(m.outputShape)).toBe('[1, 5]');
    expect(m.totalParams).toBe(224 + 1168 + 4640 + 165);
  });
  it('returns on while True in __init__, runaway recursion and syntax errors', () => {
    const text = `import torch.nn as nn
def f(n):
    return f(n + 1)
class Loop(nn.Module):
    def __init__(self):
        super().__init__()
        while True:
            self.fc = nn.Linear(10, 10)
        f(0)
    def forward(self, x):
        return self.fc(x)
class Broken(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2
    def forward(self, x)
        return self.fc(
`;
    const a = analyzer.analyze(text, { fileName: 't.py' });
    expect(a.syntaxErrors.length).toBeGreaterThan(0);
    const loop = a.models.find((m) => m.name === 'Loop');
    expect(loop?.totalParams).toBe(110);
    expect(a.notes.join('\n')).toMatch(/loop cut short|depth limit/);
  });
  it('cuts a long training loop short at the per-loop step limit and follows the code after it', () => {
    const text = (steps: number) => `import torch
import torch.nn as nn
model = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 4))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
history = []
step = 0
for it in range(${steps}):
    x = torch.randn(8, 16)
    out = model(x)
    loss = out.pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    step += 1
    history.append(loss.item())
head = nn.Linear(5, 3)
y = head(out)
z = nn.Linear(step, 2)(out)
`;
    // 100,000 iterations would take the whole file's step budget: nothing after the loop was followed.
    const long = analyzer.analyze(text(100_000), { fileName: 't.py' });
    const notes = long.notes.join('\n');
    expect(notes).toMatch(/Line 7: loop followed for \d+ of 100000 iterations/);
    expect(notes).not.toMatch(/budget exhausted/);
    // `out` kept its shape through the iterations (the same each time), so the mismatch after the loop is proven.
    const d = long.diagnostics.find((x) => x.code === 'DL401');
    expect(d?.range.line, JSON.stringify(long.diagnostics)).toBe(16);
    expect(d?.message).toMatch(/in_features=5 but the input has 4/);
    // `step` changed every iteration: after the cut it is unknown, not the count so far, so nothing is claimed of line 18.
    expect(long.diagnostics.filter((x) => x.range.line === 17)).toEqual([]);
    // A short loop runs every iteration: nothing is cut.
    const short = analyzer.analyze(text(10), { fileName: 't.py' });
    expect(short.notes.join('\n')).not.toMatch(/loop followed for/);
    expect(short.diagnostics.find((x) => x.code === 'DL401')?.range.line).toBe(16);
    expect(short.diagnostics.find((x) => x.range.line === 17)?.message).toMatch(/in_features=10 but the input has 4/);
  });
  it('ends a costly loop at an iteration that repeats the one before it', () => {
    const a = analyzer.analyze(`import torch
import torch.nn as nn
model = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 4))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
history = []
step = 0
for epoch in range(200):
    losses = []
    for i in range(30):
        x = torch.randn(8, 16)
        out = model(x)
        loss = out.pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        losses.append(loss.item())
    history.append(sum(losses) / len(losses))
head = nn.Linear(5, 3)
y = head(out)
z = nn.Linear(step, 2)(out)
`, { fileName: 't.py' });
    const cut = a.notes.filter((n) => /repeat the same work/.test(n));
    const followed = Number(/Line 7: loop followed for (\d+) of 200 iterations/.exec(cut.join('\n'))?.[1]);
    expect(followed, cut.join('\n')).toBeGreaterThanOrEqual(2);
    expect(followed).toBeLessThan(20);
    // The tensors kept their shapes, so the mismatch after the loop is still proven; the counter is unknown.
    // At the call (line 19) and at the definition of `head`, a model of one layer (line 18).
    expect(a.diagnostics.map((x) => [x.code, x.range.line]).sort()).toEqual([['DL401', 18], ['DL401', 19]]);
    // A number the loop changes only now and then is unknown after the cut too, not its early value.
    const later = analyzer.analyze(`import torch
import torch.nn as nn
width = 4
for epoch in range(300):
    for step in range(100):
        pass
    if epoch % 100 == 99:
        width *= 2
head = nn.Linear(width, 3)
print(head(torch.randn(5, 32)).shape)
flat = 0
for _ in range(2000):
    flat += 1
fc = nn.Linear(flat, 10)
fc(torch.randn(2, 1000))
`, { fileName: 't.py' });
    expect(later.notes.join('\n')).toMatch(/Line 4: loop followed for \d+ of 300 iterations \(the later ones repeat/);
    // The cheap counting loop ran in full: 2000, not 1000.
    // At the call (line 14) and at fc's definition (line 13): fc is a model of one layer.
    expect(later.diagnostics.map((x) => [x.code, x.range.line, x.message])).toEqual([
      ['DL401', 14, expect.stringMatching(/in_features=2000 but the input has 1000/)],
      ['DL401', 13, expect.stringMatching(/in_features=2000 but the input has 1000/)],
    ]);
  });
  it('ends a loop that makes tensors early, and one that makes a new object in each iteration (a distribution), but not a loop of numbers', () => {
    // Each iteration makes a few tensors and a new Categorical: after a few, they repeat.
    const rl = analyzer.analyze(`import torch
import torch.nn as nn
from torch.distributions import Categorical
policy = nn.Linear(4, 3)
episodes = 0
for ep in range(500):
    dist = Categorical(logits=policy(torch.randn(4)))
    action = dist.sample()
    episodes += 1
head = nn.Linear(3, 2)
y = head(torch.randn(2, 5))
z = nn.Linear(episodes, 2)(torch.randn(2, 5))
`, { fileName: 't.py' });
    const followed = Number(/Line 6: loop followed for (\d+) of 500 iterations \(the later ones repeat the same work\)/.exec(rl.notes.join('\n'))?.[1]);
    expect(followed, rl.notes.join('\n')).toBeGreaterThanOrEqual(2);
    expect(followed).toBeLessThan(100);
    // The counter is unknown after the cut (nothing on line 12): head's mismatch (lines 10 and 11) is still proven.
    expect(rl.diagnostics.map((x) => [x.code, x.range.line]).sort()).toEqual([['DL401', 10], ['DL401', 9]]);
    // A new object stored on one made before the loop is an effect: each iteration is followed.
    const stored = analyzer.analyze(`import torch
import torch.nn as nn
from torch.distributions import Categorical
class Box:
    pass
box = Box()
policy = nn.Linear(4, 3)
for ep in range(60):
    box.dist = Categorical(logits=policy(torch.randn(4)))
    action = box.dist.sample()
`, { fileName: 't.py' });
    expect(stored.notes.join('\n')).not.toMatch(/loop followed for/);
    // Numbers only (no tensors, under the step limit): every iteration runs.
    const numbers = analyzer.analyze(`import torch.nn as nn
size = 1
for k in range(3000):
    if k % 1000 == 999:
        size *= 2
fc = nn.Linear(size, 2)
`, { fileName: 't.py' });
    expect(numbers.notes.join('\n')).not.toMatch(/loop followed for/);
    // A loop that makes a new layer in each iteration and registers it with a method (timm's
    // DenseNet blocks: add_module) runs in full, though it makes tensors and its names repeat.
    const built = model(`import torch
import torch.nn as nn
class Dense(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)
        nn.init.zeros_(self.fc.weight)
        nn.init.zeros_(self.fc.bias)
    def forward(self, x):
        return self.fc(x)
class Stack(nn.Module):
    def __init__(self, n):
        super().__init__()
        for i in range(n):
            self.add_module("layer%d" % (i + 1), Dense())
    def forward(self, x):
        for m in self.children():
            x = m(x)
        return x
Stack(120)(torch.randn(2, 8))
`);
    // torch 1.13: 120 Linear(8, 8) layers of 72 parameters.
    expect(built.totalParams).toBe(120 * 72);
    expect(built.layers.length).toBe(120);
    // A loop that makes tensors and keeps them with a method, but calls no module (a
    // ParameterList filled, buffers registered), builds a model: it runs in full too.
    const params = model(`import torch
import torch.nn as nn
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.ps = nn.ParameterList()
        for i in range(150):
            self.register_buffer(f"b{i}", torch.zeros(2))
            self.ps.append(torch.randn(3))
        self.fc = nn.Linear(len(self.ps), 2)
    def forward(self, x):
        return self.fc(x)
M()(torch.randn(4, 150))
`);
    // torch 1.13: 150 * 3 + 150 * 2 + 2 = 752 parameters.
    expect(params.totalParams).toBe(752);
  });
  it('del, list.remove / sort / clear, slice assignment, and Sequential / ModuleList pop and del change the containers (torch 1.13)', () => {
    const rows = (text: string) => {
      const m = model(text);
      return [formatShape(m.outputShape), m.totalParams, m.layers.map((l) => `${l.path}:${l.type}`)];
    };
    // torch: [2, 8], 40, body.0 Linear, body.1 ReLU.
    expect(rows(`import torch
import torch.nn as nn
class M(nn.Module):
    def __init__(self):
        super().__init__()
        layers = [nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3)]
        del layers[-1]
        self.body = nn.Sequential(*layers)
        self.extra = nn.Linear(3, 3)
        del self.extra
    def forward(self, x):
        return self.body(x)
M()(torch.randn(2, 4))
`)).toEqual(['[2, 8]', 40, ['body.0:Linear', 'body.1:ReLU']]);
    // torch: [2, 3], 67, body.0 Linear, body.1 Linear.
    expect(rows(`import torch
import torch.nn as nn
class M(nn.Module):
    def __init__(self):
        super().__init__()
        layers = [nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3), nn.Softmax(-1)]
        layers.pop()
        act = layers[1]
        layers.remove(act)
        self.body = nn.Sequential(*layers)
    def forward(self, x):
        return self.body(x)
M()(torch.randn(2, 4))
`)).toEqual(['[2, 3]', 67, ['body.0:Linear', 'body.1:Linear']]);
    // ModuleList.pop / Sequential.pop / del, list.sort and slice assignment: test/oracle/models/container_mutation.py, live against torch.
  });
  it('runs every iteration of a costly loop that makes layers, calls other modules or changes parameters', () => {
    const built = model(`import torch
import torch.nn as nn
layers = []
for i in range(300):
    layers.append(nn.Linear(8, 8))
    layers.append(nn.ReLU())
net = nn.Sequential(*layers)
for p in list(net.parameters())[:-2]:
    p.requires_grad = False
net(torch.randn(2, 8))
`);
    expect(built.layers.length).toBe(600);
    expect(built.totalParams).toBe(300 * 72);
    expect(built.trainableParams).toBe(72);
    // Blocks of the same shape called one by one outside a summary run: the 250th does not fit.
    const a = analyzer.analyze(`import torch
import torch.nn as nn
blocks = [nn.Linear(8, 8) for _ in range(300)]
blocks[250] = nn.Linear(9, 8)
x = torch.randn(2, 8)
with torch.no_grad():
    for i in range(len(blocks)):
        x = torch.relu(blocks[i](x))
data = []
for i in range(500):
    data.append(torch.randn(3) * 2 + 1)
y = nn.Linear(4, 2)(torch.stack(data))
`, { fileName: 't.py' });
    expect(a.notes.join('\n')).not.toMatch(/Line 7: loop followed for/);
    // The data loop repeats itself: it ends early, and `data` is filled for the iterations left (500 rows of 3).
    expect(a.notes.join('\n')).toMatch(/Line 10: loop followed for \d+ of 500 iterations \(the later ones repeat the same work\); the lists it fills/);
    expect(a.diagnostics.map((x) => [x.code, x.range.line]), JSON.stringify(a.diagnostics)).toEqual([['DL401', 7], ['DL401', 11]]);
    expect(a.diagnostics[1].message).toMatch(/in_features=4 but the input has 3/);
  });
  it('cuts a long while loop the same way', () => {
    const a = analyzer.analyze(`import torch
import torch.nn as nn
model = nn.Linear(16, 4)
step = 0
while step < 1_000_000:
    out = model(torch.randn(8, 16))
    step += 1
y = nn.Linear(5, 3)(out)
z = nn.Linear(step, 2)(out)
`, { fileName: 't.py' });
    expect(a.notes.join('\n')).toMatch(/Line 5: loop followed for \d+ iterations \(the later ones repeat the same work\)/);
    expect(a.diagnostics.map((x) => [x.code, x.range.line])).toEqual([['DL401', 7]]);
  });
  it("formats f-string fields and str.format() with Python's format spec (layer names)", () => {
    // Each name as CPython 3.11 prints it.
    const names: Array<[string, string]> = [
      ['f"m_{0.5:0.2f}_{None}"', 'm_0.50_None'],
      ['f"c{3:02d}"', 'c03'],
      ['f"{1234567:,}"', '1,234,567'],
      ['f"{0.25:.1%}"', '25.0%'],
      ['f"{3.14159:8.3f}|"', '   3.142|'],
      [`f"{'ab':>5}|{'cd':<4}|{'x':^5}|"`, '   ab|cd  |  x  |'],
      ['f"{255:#x} {255:b} {-7:+d} {7: d}"', '0xff 11111111 -7  7'],
      ['f"{1e-5:g} {123456789.0:g} {0.0001:.2e}"', '1e-05 1.23457e+08 1.00e-04'],
      [`f"{2.0} {2.5:g} {'q'!r}"`, "2.0 2.5 'q'"],
      ['f"{7:{3}d}"', '  7'],
      ['"{0:03d}-{name:>4}-{0}".format(5, name="ab")', '005-  ab-5'],
      ['"{{x}} {:.2f}".format(1.0)', '{x} 1.00'],
      ['f"{{lit}}_{2}"', '{lit}_2'],
      ['f"{2.5:>8}|{1234.5:,}|{-0.5:+.1f}"', '     2.5|1,234.5|-0.5'],
    ];
    const text = `import keras
from keras import layers
x = inp = keras.Input(shape=(4,))
${names.map(([expr]) => `x = layers.Dense(2, name=${expr})(x)`).join('\n')}
model = keras.Model(inp, x)
`;
    expect(model(text).layers.map((l) => l.path)).toEqual(names.map(([, v]) => v));
    // The same through tree-sitter, which parses files with syntax errors.
    const broken = analyzer.analyze(`${text}def broken(:\n`, { fileName: 't.py' });
    expect(broken.syntaxErrors.length).toBeGreaterThan(0);
    expect(broken.models[0]?.layers.map((l) => l.path)).toEqual(names.map(([, v]) => v));
  });
  it('a symbolic input guessed from a layer holds only where forward() reaches that layer first', () => {
    const codes = (text: string) => analyzer.analyze(text, { fileName: 't.py' }).diagnostics.map((d) => [d.code, d.range.line]);
    // The head is registered before the stem; forward() runs the stem first.
    expect(codes(`import torch.nn as nn
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.head = nn.Conv2d(16, 4, 1)
        self.stem = nn.Conv2d(3, 16, 3)
    def forward(self, x):
        return self.head(self.stem(x))
`)).toEqual([]);
    // Branches in a plain list are not registered, but forward() calls them first.
    expect(codes(`import torch
import torch.nn as nn
class MultiScale(nn.Module):
    def __init__(self):
        super().__init__()
        self.branches = [nn.Conv2d(3, 8, 1), nn.Conv2d(3, 8, 1)]
        self.fuse = nn.Conv2d(16, 4, 1)
    def forward(self, x):
        return self.fuse(torch.cat([b(x) for b in self.branches], dim=1))
`).filter(([c]) => c !== 'DL110')).toEqual([]);
    // What the code does to the input before the first layer is not judged by the guess.
    expect(codes(`import torch
import torch.nn as nn
import torch.nn.functional as F
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fuse = nn.Conv2d(16, 4, 1)
        self.conv1d = nn.Conv1d(64, 32, 3)
    def forward(self, x):
        y = F.conv2d(x, torch.randn(16, 3, 1, 1))
        return self.fuse(y)
class Seq(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(64, 32, 3)
    def forward(self, x):
        return self.conv(x.permute(0, 2, 1))
`)).toEqual([]);
    // A mismatch after the first layer is still proven without any input shape.
    expect(codes(`import torch.nn as nn
class N(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 300)
        self.fc2 = nn.Linear(200, 100)
    def forward(self, x):
        x = x.view(-1, 784)
        return self.fc2(self.fc1(x))
`)).toEqual([['DL401', 8]]);
  });
  it('claims no dtype or shape from values it only guessed (from_numpy indices, loaded arrays)', () => {
    const a = analyzer.analyze(`import io
import itertools
import numpy as np
import torch
perm = np.random.permutation(5)
x = torch.randn(5, 2)[torch.from_numpy(perm)]
hi = [i for i, j in itertools.combinations(range(3), 2)]
y = torch.randn(3)[torch.tensor(hi)]
bias = torch.zeros(3)
def predict(x):
    return (x + bias).argmax(dim=1)
print(predict(torch.load(io.BytesIO(), weights_only=True)))
print(predict(np.load("features.npy")))
z = torch.randn(3)[torch.tensor([0.5, 1.5])]
`, { fileName: 't.py' });
    // Only the float index written as literals is an error.
    expect(a.diagnostics.map((d) => [d.code, d.range.line])).toEqual([['DL406', 13]]);
  });
  it('follows the code after an early-exit guard whose condition is not known, and keeps tensor ops on unknown inputs tensors', () => {
    const guard = model(`import torch
import torch.nn as nn
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
    def forward(self, x):
        rows = (x[:, 0] > 0).nonzero(as_tuple=True)[0]
        if rows.numel() == 0:
            return x
        return self.fc(x[rows])
M()(torch.ones(3, 4))
`);
    expect(guard.layers.map((l) => l.path)).toEqual(['fc']);
    // x is not known (numpy's Generator is not modelled): matmul(x, W) + b is not b's shape.
    const a = analyzer.analyze(`import numpy as np
import tensorflow as tf
import torch
rng = np.random.default_rng(0)
x_np = rng.normal(size=(150, 6)).astype("float32")
W = tf.Variable(tf.random.normal([6, 3]))
b = tf.Variable(tf.zeros([3]))
pred = tf.argmax(tf.nn.softmax(tf.matmul(x_np, W) + b), axis=1)
Wt = torch.randn(6, 3)
bt = torch.zeros(3)
pt = (torch.matmul(torch.as_tensor(x_np), Wt) + bt).argmax(dim=1)
`, { fileName: 't.py' });
    expect(a.diagnostics).toEqual([]);
  });
  it('Keras: attention inputs by keyword, base-class arguments of a subclass without __init__, super().call(), layers appended later', () => {
    const mha = model(`import keras
from keras import layers
q = keras.Input(shape=(10, 32))
v = keras.Input(shape=(6, 48))
k = keras.Input(shape=(6, 12))
out = layers.MultiHeadAttention(num_heads=2, key_dim=8)(q, v, key=k)
model = keras.Model([q, v, k], out)
`);
    // q 32·16+16, k 12·16+16, v 48·16+16, out 16·32+32.
    expect(mha.totalParams).toBe(528 + 208 + 784 + 544);
    const sub = model(`import keras
from keras import layers
class Scale(layers.Layer):
    def build(self, input_shape):
        self.g = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="g")
    def call(self, x):
        return x * self.g
class MyDropout(layers.Dropout):
    def call(self, inputs, training=None):
        return super().call(inputs, training=True)
class MyDense(layers.Dense):
    def call(self, x):
        return super().call(x) * 2.0
inp = keras.Input(shape=(6,))
x = Scale(name="my_scale")(inp)
x = MyDropout(0.2)(x)
x = MyDense(4, name="dd")(x)
out = layers.Dense(1)(x)
model = keras.Model(inp, out)
`);
    expect(sub.layers.map((l) => [l.path, formatShape(l.outputShape), l.params])).toEqual([
      ['my_scale', '[None, 6]', 6], ['my_dropout', '[None, 6]', 0], ['dd', '[None, 4]', 28], ['dense', '[None, 1]', 5],
    ]);
    const appended = model(`import keras
from keras import layers
class MLP(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = []
        for w in (16, 8):
            self.hidden.append(layers.Dense(w))
    def call(self, x):
        for layer in self.hidden:
            x = layer(x)
        return x
model = MLP()
model.build((None, 4))
`);
    expect(appended.layers.map((l) => [l.path, l.params])).toEqual([['dense', 80], ['dense_1', 136]]);
    expect(appended.totalParams).toBe(216);
    const seq = analyzer.analyze(`import keras
from keras import layers
inp = keras.Input(shape=(8,))
encoder = keras.Model(inp, layers.Dense(4)(inp), name="encoder")
probe = keras.Sequential([encoder, layers.Dense(2)])
`, { fileName: 't.py' }).models.find((m) => m.name === 'probe');
    expect(seq?.inputShapes.map(formatShape)).toEqual(['[None, 8]']);
    expect(seq?.layers.map((l) => [l.path, formatShape(l.outputShape), l.params])).toEqual([['encoder', '[None, 4]', 36], ['dense_1', '[None, 2]', 10]]);
  });
  it('Keras: zeros_like / broadcast_to, an unmodelled keras.ops result, a layer\'s .output, TFOpLambda canonical names', () => {
    const probe = model(`import keras
from keras import layers, ops
class Probe(layers.Layer):
    def build(self, input_shape):
        self.cls = self.add_weight(shape=(1, 1, input_shape[-1]), initializer="zeros", name="cls")
    def call(self, x):
        t = ops.broadcast_to(self.cls, (ops.shape(x)[0], 1, ops.shape(x)[-1]))
        return ops.concatenate([t, ops.zeros_like(x) + self.cls], axis=1)
class Odd(layers.Layer):
    def call(self, x):
        return ops.fancy_new_op(x) + ops.ones((1, 1, 48))
inputs = keras.Input(shape=(64, 48))
x = Probe()(inputs)
model = keras.Model(inputs, Odd()(x))
`);
    expect(probe.layers.map((l) => [l.path, formatShape(l.outputShape)])).toEqual([['probe', '[None, 65, 48]'], ['odd', 'Unknown']]);
    const a = analyzer.analyze(`import keras
from keras import layers
inp = keras.Input(shape=(8,))
h = layers.Dense(16, name="hidden")(inp)
out = layers.Dense(2, name="out")(h)
full = keras.Model(inp, out)
feat = keras.Model(full.input, full.get_layer("hidden").output)
last = keras.Model(full.inputs, full.layers[1].output)
`, { fileName: 't.py' });
    for (const name of ['feat', 'last']) {
      const m = a.models.find((x) => x.name === name);
      expect([formatShape(m?.outputShape ?? null), m?.totalParams, m?.layers.map((l) => l.path)]).toEqual(['[None, 16]', 144, ['hidden']]);
    }
    const tf = model(`import tensorflow as tf
x = tf.keras.Input(shape=(4, 4))
a = tf.reduce_mean(x, axis=1)
b = tf.nn.sigmoid(a)
c = tf.matmul(x, x)
d = tf.nn.relu(c)
model = tf.keras.Model(x, [b, d])
`);
    expect(tf.layers.map((l) => l.path)).toEqual(['tf.math.reduce_mean', 'tf.linalg.matmul', 'tf.math.sigmoid', 'tf.nn.relu']);
  });
  it('Keras: traces a Lambda without output_shape, and keeps the layers around one it does not model', () => {
    const lam = model(`import keras
from keras import layers
a = keras.Input(shape=(8,))
x = layers.Dense(4)(a)
x = layers.Lambda(lambda t, k: t[:, :2] * k, arguments={"k": 2.0})(x)
out = layers.Dense(1)(x)
model = keras.Model(a, out)
`);
    expect(lam.layers.map((l) => [l.path, formatShape(l.outputShape), l.params])).toEqual([['dense', '[None, 4]', 36], ['lambda', '[None, 2]', 0], ['dense_1', '[None, 1]', 3]]);
    expect(lam.totalParams).toBe(39);
    const a = analyzer.analyze(`import keras
from keras import layers
a = keras.Input(shape=(8,))
x = layers.Dense(4)(a)
x = layers.FancyNewLayer(3)(x)
out = layers.Dense(1)(x)
model = keras.Model(a, out)
`, { fileName: 'k.py' });
    const m = a.models[0];
    expect(m.layers.map((l) => [l.path, l.type, l.params])).toEqual([['dense', 'Dense', 36], ['fancy_new_layer', 'FancyNewLayer', null], ['dense_1', 'Dense', null]]);
    // The known layers' weights, with a note that some are not known (was 0 and no layers).
    expect(m.totalParams).toBe(36);
    expect(m.notes.join('\n')).toMatch(/could not be determined/);
    expect(m.notes.join('\n')).toMatch(/keras.layers.FancyNewLayer is not modelled/);
  });
  it('calls the model builders the file never calls (parameters without a default unknown) and summarises what they return', () => {
    const a = analyzer.analyze(`import keras
from keras import layers
import torch.nn as nn

def build(units=10):
    model = keras.Sequential([keras.Input(shape=(8, 8, 1)), layers.Conv2D(4, 3), layers.MaxPooling2D(4)])
    return model

def make_head(dim=16):
    return nn.Sequential(nn.Linear(dim, 4), nn.ReLU())

def needs_args(n_classes):
    return keras.Sequential([keras.Input(shape=(3,)), layers.Dense(n_classes)])

def train(epochs=3):
    for _ in range(epochs):
        pass
`, { fileName: 'b.py' });
    // needs_args: called with n_classes unknown, so its Dense has an unknown size (no weights counted, a note says so).
    expect(a.models.map((m) => [m.name, m.framework, m.totalParams])).toEqual([['build', 'keras', 40], ['make_head', 'pytorch', 68], ['needs_args', 'keras', 0]]);
    expect(a.models[2].layers.map((l) => [l.path, l.params])).toEqual([['dense', null]]);
    // What the builder's model does wrong is found as if the file had called it: (6, 6) pooled by 4 is 1, not an error;
    // a builder that pools (6, 6) by 8 is.
    expect(a.diagnostics).toEqual([]);
    const bad = analyzer.analyze('import keras\nfrom keras import layers\ndef build():\n    return keras.Sequential([keras.Input(shape=(8, 8, 1)), layers.Conv2D(4, 3), layers.MaxPooling2D(8)])\n', { fileName: 'b.py' });
    expect(bad.diagnostics.map((d) => [d.code, d.range.line])).toEqual([['DL405', 3]]);
  });
  it('takes the result of a torch op it does not model for a tensor of unknown shape, not a scalar', () => {
    const a = analyzer.analyze(`import torch
import torch.nn as nn
class M(nn.Module):
    def forward(self, x):
        return torch.special.spherical_bessel_j0(x) + x.sum(-1, keepdim=True)
class S(nn.Module):
    def forward(self, x):
        return x * torch.distributed.get_world_size()
y = M()(torch.randn(3, 6))
z = S()(torch.randn(3, 6))
`, { fileName: 't.py' });
    // torch: [3, 6]; the known operand alone ([3, 1]) was taken for the result.
    expect(a.models.map((m) => [m.name, m.outputShape && formatShape(m.outputShape)])).toEqual([['M', null], ['S', '[3, 6]']]);
    expect(a.notes.join('\n')).toMatch(/Line 5: torch\.special\.spherical_bessel_j0\(\) is not modelled; its result is a tensor of unknown shape/);
  });
  it('reads argparse defaults as the script run without arguments; an option without one stays unknown', () => {
    const m = model(`import argparse
import torch
import torch.nn as nn
p = argparse.ArgumentParser()
p.add_argument("--hidden-dim", type=int, default="32")
p.add_argument("-c", "--channels", dest="chans", type=int, default=3)
p.add_argument("--bn", action="store_true")
p.add_argument("--out", type=int, required=True)
args, _ = p.parse_known_args()
net = nn.Sequential(nn.Conv2d(args.chans, args.hidden_dim, 3), nn.BatchNorm2d(args.hidden_dim) if args.bn else nn.Identity(), nn.Conv2d(args.hidden_dim, args.out, 1))
y = net(torch.randn(1, 3, 8, 8))
`);
    expect(m.layers.map((l) => [l.type, formatShape(l.outputShape), l.params])).toEqual([['Conv2d', '[1, 32, 6, 6]', 896], ['Identity', '[1, 32, 6, 6]', 0], ['Conv2d', '[1, ?, 6, 6]', null]]);
  });
  it('follows a PackedSequence through an LSTM: its states have the batch rows, pad_packed_sequence pads it back', () => {
    const m = model(`import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(16, 24, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(48, 3)
        self.tok = nn.Linear(48, 5)
    def forward(self, x, lengths):
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        out, (h, _) = self.lstm(packed)
        seq, lens = pad_packed_sequence(out, batch_first=True, total_length=8)
        return self.fc(torch.cat([h[-2], h[-1]], dim=1)), self.tok(seq)
y = M()(torch.randn(3, 8, 16), torch.tensor([8, 5, 3]))
`);
    // torch 1.13: the lstm row is the packed data (16 steps in all: [16, 48], the lengths' sum), fc [3, 3], tok [3, 8, 5].
    expect(m.layers.map((l) => [l.path, formatShape(l.outputShape)])).toEqual([['lstm', '[16, 48]'], ['fc', '[3, 3]'], ['tok', '[3, 8, 5]']]);
    expect(m.outputShapes?.map((s) => formatShape(s))).toEqual(['[3, 3]', '[3, 8, 5]']);
  });
  it('reports a too-large file with a clear note instead of analysing it', () => {
    const a = analyzer.analyze('x = 1\n'.repeat(10), { fileName: 't.py', maxFileBytes: 20 });
    expect(a.models).toEqual([]);
    expect(a.notes[0]).toMatch(/too large/);
  });
  it('serialises symbolic dims as strings and Keras None batch as null', () => {
    const j = toSummaryJson(analyzer.analyze(CNN, { fileName: 't.py' }));
    expect(j.models[0].output_shape).toEqual(['B', 10]);
    const k = toSummaryJson(analyzer.analyze('import keras\nfrom keras import layers\nmodel = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(2)])\n', { fileName: 'k.py' }));
    expect(k.models[0].output_shape).toEqual([null, 2]);
    expect(k.models[0].total_params).toBe(10);
  });
});

describe('runaway forward passes', () => {
  it('stop at MAX_SUMMARY_ROWS layer calls, with a note, when half-typed code makes a model call itself', () => {
    // An open bracket on the last line of Encoder.forward: the parser's recovery puts the
    // next class's body in Encoder, whose constructor and forward() then call Encoder again
    // (each forward() twice: a call tree that doubles at every level).
    const text = readFileSync(join(__dirname, '..', '..', 'oracle', 'models', 'siamese_shared.py'), 'utf8')
      .replace('        return self.fc(torch.flatten(x, start_dim=1))', '        x = (');
    const a = analyzer.analyze(text, { fileName: 'siamese_broken.py' });
    expect(a.syntaxErrors.length).toBeGreaterThan(0);
    expect(a.models.length).toBeGreaterThan(0);
    for (const m of a.models) expect(m.layers.length).toBeLessThanOrEqual(MAX_SUMMARY_ROWS);
    // The recursion itself is cut at the call depth limit (Interp.callFunc's runaway set): the
    // step budget is not used up.
    expect(a.notes.join('\n')).toMatch(/Call depth limit reached/);
    expect(a.notes.join('\n')).not.toMatch(/budget exhausted/);
    // A forward pass that calls a layer more than MAX_SUMMARY_ROWS times (no recursion) stops there, with a note.
    const deep = analyzer.analyze(`import torch
import torch.nn as nn
class Deep(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
    def forward(self, x):
        for _ in range(12000):
            x = self.fc(x)
        return x
y = Deep()(torch.randn(2, 4))
`, { fileName: 'deep.py' });
    expect(deep.models[0].layers.length).toBe(MAX_SUMMARY_ROWS);
    expect(deep.models[0].totalParams).toBe(20);
    expect(deep.models[0].notes.some((n) => n.includes(`more than ${MAX_SUMMARY_ROWS.toLocaleString('en-US')} layer calls`))).toBe(true);
  });
});

describe('values of unknown length', () => {
  it('a star of an unknown value gives an unknown shape, not a guessed rank (no false DL406)', () => {
    const src = `import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3 + 8, 4)

    def forward(self, data):
        pos = mystery(data)
        pos = pos.reshape(*pos.shape[:2], -1)
        pos = pos.unsqueeze(0).repeat(data.shape[0], 1, 1, 1)
        return self.fc(torch.cat((data, pos), dim=-1))

model = Net()
model(torch.randn(2, 6, 7, 3))
`;
    const a = analyzer.analyze(src, { fileName: 't.py' });
    expect(a.diagnostics).toEqual([]);
    expect(a.models[0].outputShape).toBeNull();
  });

  it('a list extended by something unknown is not taken as complete: the layers built from it are unknown, with a note', () => {
    for (const grow of ['widths.extend(mystery())', 'widths += [16] * mystery()']) {
      const src = `import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        widths = [16]
        ${grow}
        layers = []
        cin = 8
        for w in widths:
            layers.append(nn.Linear(cin, w))
            cin = w
        self.blocks = nn.Sequential(*layers)
        self.head = nn.Linear(cin, 3)

    def forward(self, x):
        return self.head(self.blocks(x))

model = Net()
model(torch.randn(2, 8))
`;
      const m = model(src);
      expect(m.outputShape, grow).toBeNull();
      expect(m.notes.some((n) => /unknown/.test(n)), grow).toBe(true);
      expect(m.totalParams === 3 * 16 + 3, grow).toBe(false);
    }
  });
});

describe('packed sequences', () => {
  it('pad_packed_sequence gives a 3-D tensor of unknown sizes and the lengths: a mask broadcast with it proves nothing (no false DL401)', () => {
    const a = analyzer.analyze(`import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

class MaskedMeanLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 20)
        self.head = nn.Linear(20, 1)

    def forward(self, padded, lengths):
        packed = pack_padded_sequence(padded, lengths, enforce_sorted=False)
        out, _ = pad_packed_sequence(self.lstm(packed)[0])
        mask = (torch.arange(out.size(0)).unsqueeze(1) < lengths.unsqueeze(0)).unsqueeze(-1)
        return self.head((out * mask).sum(0))

model = MaskedMeanLSTM()
model(torch.randn(7, 4, 3), torch.tensor([7, 3, 5, 4]))
`, { fileName: 't.py' });
    expect(a.diagnostics).toEqual([]);
    expect(a.models[0].totalParams).toBe(4 * (20 * 3 + 20 * 20 + 2 * 20) + 21);
  });
});

describe('hasattr on library modules', () => {
  it('is True for a member the engine models and unknown for one it does not (it may not exist in the installed version)', () => {
    const a = analyzer.analyze(`import torch
import torch.nn as nn
import torch.nn.functional as F

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)
        self.fused = hasattr(torch, "some_future_kernel")
        self.relu_ok = hasattr(F, "relu")

    def forward(self, x):
        if self.fused:
            return self.fc(x)
        return self.fc(x)

model = Net()
model(torch.randn(3, 4))
`, { fileName: 't.py' });
    expect(a.models[0].outputShape).toEqual([3, 2]);
    expect(a.notes.concat(a.models[0].notes).some((n) => /condition not known statically/.test(n))).toBe(true);
  });
});

describe('method defaults', () => {
  it('are evaluated in the class body, where class constants are names (N-BEATS stack types)', () => {
    const m = model(`import torch
import torch.nn as nn

class Net(nn.Module):
    KIND = 4
    WIDTHS = (KIND, KIND * 2)

    def __init__(self, widths=WIDTHS, n_in=KIND):
        super().__init__()
        self.blocks = nn.ModuleList(nn.Linear(n_in, w) for w in widths[:1])
        self.out = nn.Linear(widths[0], widths[1])

    def forward(self, x):
        return self.out(self.blocks[0](x))

model = Net()
model(torch.randn(2, 4))
`);
    expect(m.outputShape).toEqual([2, 8]);
    expect(m.totalParams).toBe(4 * 4 + 4 + 4 * 8 + 8);
  });
});

describe('item assignment on a built-in container', () => {
  it('nn.ParameterDict["w"] = nn.Parameter(...) registers the parameter (torch 1.13: 12 parameters, output [2, 4])', () => {
    const m = model(`import torch
import torch.nn as nn

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.pd = nn.ParameterDict()
        self.pd["w"] = nn.Parameter(torch.zeros(3, 4))

    def forward(self, x):
        return x @ self.pd["w"]

m = M()
m(torch.randn(2, 3))
`);
    expect(m.totalParams).toBe(12);
    expect(m.outputShape).toEqual([2, 4]);
  });
});
