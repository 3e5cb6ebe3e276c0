// A summary may use a forward pass the file already ran (AnalyzeOptions.reuseForward): a
// PyTorch model's example call, a Keras functional model's construction on its own inputs.
// It must change nothing but the time: differential over every model file we have, with and
// without the dataflow graph, and cases where the module-level code changes the model, or
// what its forward pass reads, after the example call.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { analyzeDetailed, type DetailedAnalysis } from '../../../src/core/analyze';
import { KerasRuntime } from '../../../src/core/frameworks/keras/runtime';
import type { PyParser } from '../../../src/core/python/parser';
import type { AnalyzeOptions } from '../../../src/core/summary/types';
import { nodeParser } from '../../../src/node/wasm';
import { formatShape } from '../../../src/core/shapes/dim';
import { generateModel } from '../../bench/gen-model.mjs';
import { pyFiles } from '../../bench/py-files.mjs';
import { twoLinearNet } from './two-linear-net';
import { visible } from './visible';

const ROOT = resolve(__dirname, '../../..');
let parser: PyParser;
beforeAll(async () => {
  parser = await nodeParser();
});

function both(text: string, options: AnalyzeOptions = {}) {
  const on = analyzeDetailed(parser, text, { fileName: 'm.py', traceShapes: true, ...options });
  const off = analyzeDetailed(parser, text, { fileName: 'm.py', traceShapes: true, ...options, reuseForward: false });
  return { on, off };
}

const reused = (d: DetailedAnalysis) => d.runtimes!.torch.exampleCalls.some((e) => e.recorded);

describe('summaries reuse forward passes the file ran', () => {
  it('gives identical results on every model file, with and without the dataflow graph', () => {
    const files = [
      ...pyFiles(join(ROOT, '..', 'shared', 'corpus'), { recursive: false }), ...pyFiles(join(ROOT, 'examples'), { recursive: false }),
      ...pyFiles(join(ROOT, 'test', 'oracle', 'models'), { recursive: false }), ...pyFiles(join(ROOT, 'test', 'fixtures')),
    ];
    const texts = [...files.map((f) => ({ f, text: readFileSync(f, 'utf8') })), { f: 'generated.py', text: generateModel({ lines: 1000, seed: 1 }) }];
    let torchReused = 0;
    let steps = { on: 0, off: 0 };
    for (const { f, text } of texts) {
      for (const dataflow of [true, false]) {
        const { on, off } = both(text, { dataflow });
        expect(visible(on, text), f).toEqual(visible(off, text));
        // The work saved is counted on model files: a training script's loops (fixtures/lint)
        // cost the same either way and would hide what the summary saved.
        if (dataflow && on.runtimes && reused(on)) {
          torchReused++;
          if (!f.includes(join('fixtures', 'lint'))) steps = { on: steps.on + on.interp!.steps, off: steps.off + off.interp!.steps };
        }
      }
    }
    // Not vacuous: many files have an example call the summary used, and it saved work.
    expect(torchReused).toBeGreaterThan(40);
    expect(steps.on).toBeLessThan(steps.off * 0.85);
  });

  it('uses the example call when a directive gives the same shape, not when it gives another', () => {
    const src = (shape: string) => twoLinearNet(`# tensorlens: input=${shape}\n`);
    const same = both(src('(2, 8)'));
    expect(same.on.interp!.steps).toBeLessThan(same.off.interp!.steps);
    expect(same.on.analysis).toEqual(same.off.analysis);
    const other = both(src('(5, 8)'));
    expect(other.on.interp!.steps).toBe(other.off.interp!.steps);
    expect(other.on.analysis.models[0].outputShape).toEqual([5, 4]);
    expect(other.on.analysis).toEqual(other.off.analysis);
  });

  const HEAD = `import torch
import torch.nn as nn

WIDTH = 16

class Net(nn.Module):
    factor = 1

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 16)
        self.blocks = nn.ModuleList([nn.Linear(16, 16)])
        self.fc2 = nn.Linear(16, 4)
        self.scale = 1

    def forward(self, x):
        x = torch.relu(self.fc1(x))
        for b in self.blocks:
            x = b(x)
        x = x.reshape(-1, WIDTH * self.scale * self.factor)
        return self.fc2(x)

model = Net()
y = model(torch.randn(2, 8))
`;
  const changes: Array<[string, string, (d: DetailedAnalysis) => void]> = [
    ['a child replaced', 'model.fc2 = nn.Linear(16, 10)\n', (d) => expect(d.analysis.models[0].outputShape).toEqual([2, 10])],
    ['a layer re-initialised in place', 'model.fc2.__init__(16, 6)\n', (d) => expect(d.analysis.models[0].outputShape).toEqual([2, 6])],
    ['a layer appended to a ModuleList', 'model.blocks.append(nn.Linear(16, 16))\n', (d) => expect(d.analysis.models[0].layers.length).toBe(4)],
    ['a plain attribute the forward reads', 'model.scale = 2\n', (d) => expect(d.analysis.models[0].layers.at(-1)!.error).toBe(true)],
    ['a class attribute the forward reads', 'Net.factor = 2\n', (d) => expect(d.analysis.models[0].layers.at(-1)!.error).toBe(true)],
    ['a global the forward reads', 'WIDTH = 8\n', (d) => expect(d.analysis.models[0].layers.at(-1)!.note).toMatch(/in_features/)],
    ['parameters frozen', 'for p in model.fc1.parameters():\n    p.requires_grad = False\n', (d) => {
      expect(d.analysis.models[0].nonTrainableParams).toBe(8 * 16 + 16);
      expect(d.analysis.models[0].layers[0].trainableParams).toBe(0);
    }],
  ];
  for (const [what, tail, check] of changes) {
    it(`runs the summary again after ${what}, and shows the change`, () => {
      const text = HEAD + tail;
      const { on, off } = both(text);
      expect(visible(on, text)).toEqual(visible(off, text));
      check(on);
    });
  }

  it('runs the last example call when a layer was replaced and the model called again on inputs that fit it', () => {
    const text = `${HEAD}model.fc1 = nn.Linear(12, 16)\nz = model(torch.randn(3, 12))\n`;
    const { on, off } = both(text);
    expect(visible(on, text)).toEqual(visible(off, text));
    const m = on.analysis.models[0];
    expect(m.inputShapes).toEqual([[3, 12]]);
    expect(m.outputShape).toEqual([3, 4]);
    expect(on.analysis.diagnostics.filter((d) => d.code.startsWith('DL4'))).toEqual([]);
    // Called again with no change in between: the first call's inputs stay the summary's.
    const again = both(`${HEAD}model.eval()\nz = model(torch.randn(5, 8))\n`).on.analysis.models[0];
    expect(again.inputShapes).toEqual([[2, 8]]);
  });

  it('runs the summary again after eval() when forward branches on self.training, with the first call\'s inputs', () => {
    const text = `import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 4)

    def forward(self, x):
        y = self.fc(x)
        return y if self.training else y.mean(-1)

model = Net()
y = model(torch.randn(2, 8))
model.eval()
z = model(torch.randn(5, 8))
`;
    const { on, off } = both(text);
    expect(visible(on, text)).toEqual(visible(off, text));
    expect(on.analysis.models[0].inputShapes).toEqual([[2, 8]]);
    expect(on.analysis.models[0].outputShape).toEqual([2]);
  });

  it('does reuse when the code after the call changes nothing the forward pass reads', () => {
    const text = `${HEAD}OTHER = 3\nprint(y.shape, sum(p.numel() for p in model.parameters()))\n`;
    const { on, off } = both(text);
    expect(reused(on)).toBe(true);
    expect(on.interp!.steps).toBeLessThan(off.interp!.steps);
    expect(visible(on, text)).toEqual(visible(off, text));
    expect(on.analysis.models[0].outputShape).toEqual([2, 4]);
  });

  it('reuses the example call of a library model: its problem once, at the call, and on the row of the failing layer', () => {
    const text = `import torch
import torchvision

model = torchvision.models.resnet18()
y = model(torch.randn(1, 1, 224, 224))
`;
    const { on, off } = both(text);
    expect(reused(on)).toBe(true);
    expect(on.interp!.steps).toBeLessThan(off.interp!.steps);
    expect(visible(on, text)).toEqual(visible(off, text));
    expect(on.analysis.diagnostics.map((d) => [d.code, d.range.line])).toEqual([['DL402', 4]]);
    const failing = on.analysis.models[0].layers.filter((l) => l.error);
    expect(failing.map((l) => l.path)).toEqual(['conv1']);
    expect(failing[0].note).toMatch(/^in torchvision\.models\.resnet18: Conv2d expected in_channels=3 but the input has 1/);
  });

  it('marks every row of a failing call, also when the same problem was reported by an earlier call', () => {
    const text = `import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 4)

    def forward(self, x):
        for _ in range(2):
            y = self.fc(x)
        return y

model = Net()
y = model(torch.randn(2, 6))
`;
    const { on, off } = both(text);
    expect(visible(on, text)).toEqual(visible(off, text));
    expect(on.analysis.models[0].layers.map((l) => [l.path, l.error])).toEqual([['fc', true], ['fc', true]]);
    expect(on.analysis.diagnostics).toHaveLength(1);
  });

  it('builds a Keras functional summary from the construction: same rows as a replay', () => {
    const text = `import keras
from keras import layers

inputs = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(8, 3, activation="relu")(inputs)
shared = layers.Conv2D(8, 3, padding="same")
y = shared(x)
z = shared(y)
x = layers.Add()([y, z])
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10)(x)
model = keras.Model(inputs, outputs)
`;
    const calls = vi.spyOn(KerasRuntime.prototype, 'callLayer');
    const { on, off } = both(text);
    const [onCalls, offCalls] = [calls.mock.calls.filter((c) => c[0] === on.interp).length, calls.mock.calls.filter((c) => c[0] === off.interp).length];
    calls.mockRestore();
    // Six layer calls build the model (the shared layer twice); a replay would make six more.
    expect([onCalls, offCalls]).toEqual([6, 12]);
    expect(visible(on, text)).toEqual(visible(off, text));
    expect(on.analysis.models[0].layers.map((l) => `${l.path} ${formatShape(l.outputShape)}`)).toEqual([
      'conv2d [None, 30, 30, 8]', 'conv2d_1 [None, 30, 30, 8]', 'add [None, 30, 30, 8]', 'global_average_pooling2d [None, 8]', 'dense [None, 10]',
    ]);
  });
});
