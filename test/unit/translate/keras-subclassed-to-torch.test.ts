// Subclassed Keras models (layers made in __init__, wired in call()) translated to a PyTorch
// nn.Module and run in real PyTorch: same trainable parameter count up to the differences the
// notes state with their exact size, same output shape (layout-adjusted); custom layers with
// add_weight become nn.Parameter; trainable=False becomes requires_grad_(False).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeDetailed } from '../../../src/core/analyze';
import { translateModel } from '../../../src/core/translate/index';
import { REAL_PYTHON, getParser, runPython, runTorch, syntaxErrors } from './harness';

const corpus = '/work/shared/corpus';
const kerasFixtures = join(__dirname, '..', '..', 'fixtures', 'keras');
const own = join(__dirname, '..', '..', 'fixtures', 'translate', 'keras');

/** Trainable parameters of the source model (Keras' own count: ground truth files, or worked out by hand in the comments). */
const CASES: Array<{ file: string; trainable: number; code: RegExp[] }> = [
  // ground truth: keras_subclassed.expected.json
  { file: join(corpus, 'keras_subclassed.py'), trainable: 109386, code: [/def __init__\(self, num_classes=10, hidden_units=128\)/, /self\.hidden2 = nn\.Linear\(hidden_units, \(hidden_units \/\/ 2\)\)/, /nn\.Linear\(\(hidden_units \/\/ 2\), num_classes\)/] },
  // ground truth: keras_subclassed_resnet.expected.json; the custom ResidualBlock is inlined with its residual add.
  { file: join(kerasFixtures, 'keras_subclassed_resnet.py'), trainable: 96202, code: [/self\.block2_conv1 = nn\.Conv2d\(64, 64, kernel_size=3, padding="same", bias=False\)/, /= x_\d+ \+ x_\d+/] },
  // ground truth: keras_custom_linear.expected.json (the frozen Dense(64) = 1,088 non-trainable)
  { file: join(kerasFixtures, 'keras_custom_linear.py'), trainable: 3169, code: [/self\.features = nn\.Linear\(16, 64\)\.requires_grad_\(False\)/, /nn\.Parameter\(torch\.randn\(64, 32\) \* 0\.05\)/] },
  // stem (frozen after creation) 3·3·3·16+16 = 448 not counted; branch_a 2320 + branch_b 272 + bn 32 + proj 528 + head 170 = 3322
  { file: join(own, 'keras_two_branch_residual.py'), trainable: 3322, code: [/self\.stem = nn\.Conv2d\(3, width, kernel_size=3, padding="same"\)\.requires_grad_\(False\)/, /torch\.cat\(\[a, b\], dim=1\)/] },
  // embed frozen (672); kernel 32·32 + bias 32 = 1056 (scale is trainable=False); LayerNorm 64; classifier 33 -> 1153
  { file: join(own, 'keras_custom_weight_block.py'), trainable: 1153, code: [/nn\.Parameter\(torch\.ones\(32\), requires_grad=False\)/, /nn\.init\.xavier_uniform_\(torch\.empty\(32, 32\)\)/, /F\.gelu/] },
  // embedding 5000·64 = 320000; BiLSTM 2·4·(48·(64+48)+48) = 43392; GRU 3·(48·(96+48)+2·48) = 21024; dense 48·32+32 = 1568; classifier 132
  { file: join(own, 'keras_subclassed_text_rnn.py'), trainable: 320000 + 43392 + 21024 + 1568 + 132, code: [/nn\.LSTM\(embed_dim, 48, batch_first=True, bidirectional=True\)/, /nn\.Embedding\(vocab_size, embed_dim\)/, /nn\.Linear\(units, 32\)/] },
  // conv 3·3·3·8+8 = 224, txt 5·8+8 = 48, two Dense(16) 2·272 = 544, head 4·3+3 = 15
  { file: join(own, 'keras_fusion_multi_input.py'), trainable: 831, code: [/def forward\(self, inputs_0, inputs_1\)/, /self\.img_0 = nn\.Conv2d\(3, 8, kernel_size=3\)/, /torch\.mean\(torch_reshape|torch\.mean\(x_\d+, dim=1\)/] },
];

describe.skipIf(!existsSync(REAL_PYTHON))('subclassed Keras -> PyTorch, checked in real PyTorch', () => {
  for (const c of CASES) {
    it(c.file.split('/').pop()!, async () => {
      const parser = await getParser();
      const text = readFileSync(c.file, 'utf8');
      const d = analyzeDetailed(parser, text, { fileName: c.file.split('/').pop() });
      const m = d.analysis.models.find((x) => x.kind === 'keras-subclassed');
      expect(m).toBeDefined();
      expect(m!.trainableParams).toBe(c.trainable);
      const r = translateModel(d, m!.name, 'pytorch', text);
      const why = `${r.code}\n${r.notes.map((n) => `${n.line}: ${n.message}`).join('\n')}`;
      expect(r.meta, why).toBeDefined();
      expect(syntaxErrors(parser, r.code), why).toBe(0);
      expect(r.notes.filter((n) => n.message.startsWith('TODO')).map((n) => n.message), why).toEqual([]);
      for (const re of c.code) expect(r.code, why).toMatch(re);
      // Every note points at a source line.
      for (const n of r.notes) expect(n.line, n.message).toBeGreaterThan(0);
      for (const n of r.notes.filter((x) => x.paramDelta)) expect(n.message).toContain(String(Math.abs(n.paramDelta!)));
      const run = await runTorch(r.code, r.meta!.modelVar, r.meta!.inputs);
      expect(run.params, why).toBe(c.trainable + r.meta!.paramDelta);
      expect(run.output_shape, why).toEqual(r.meta!.outputShape);
    }, 120_000);
  }

  it('keeps the constructor arguments working: other values build and run in PyTorch', async () => {
    const parser = await getParser();
    const file = join(corpus, 'keras_subclassed.py');
    const text = readFileSync(file, 'utf8');
    const d = analyzeDetailed(parser, text, { fileName: 'keras_subclassed.py' });
    const r = translateModel(d, d.analysis.models[0].name, 'pytorch', text);
    const code = `${r.code.replace(/\nif __name__ == "__main__":[\s\S]*$/, '\n')}\nm = MnistClassifier(num_classes=5, hidden_units=32)\nprint("RESULT", list(m(torch.randn(2, 28, 28)).shape), sum(p.numel() for p in m.parameters()))\n`;
    const out = (await runPython(code)).split('\n').find((l) => l.startsWith('RESULT'));
    // 784·32+32 + 32·16+16 + 16·5+5
    expect(out).toBe(`RESULT [2, 5] ${784 * 32 + 32 + 32 * 16 + 16 + 16 * 5 + 5}`);
  }, 60_000);

  it('states the BiLSTM second bias with its exact size', async () => {
    const parser = await getParser();
    const file = join(own, 'keras_subclassed_text_rnn.py');
    const text = readFileSync(file, 'utf8');
    const d = analyzeDetailed(parser, text, { fileName: 'keras_subclassed_text_rnn.py' });
    const r = translateModel(d, d.analysis.models[0].name, 'pytorch', text);
    expect(r.meta!.paramDelta).toBe(4 * 48 * 2);
    expect(r.notes.find((n) => n.paramDelta)!.line).toBe(10); // the Bidirectional(LSTM) line
  });

  it('carries trainable=False of a Sequential layer (in the constructor and set afterwards) to requires_grad_(False)', async () => {
    const parser = await getParser();
    const text = [
      'import keras',
      'from keras import layers',
      'model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(16, activation="relu", trainable=False), layers.Dense(8), layers.Dense(4)])',
      'model.layers[1].trainable = False',
      '',
    ].join('\n');
    const d = analyzeDetailed(parser, text, { fileName: 'frozen.py' });
    const m = d.analysis.models[0];
    expect(m.trainableParams).toBe(8 * 4 + 4);
    const r = translateModel(d, m.name, 'pytorch', text);
    expect(r.code).toContain('nn.Linear(8, 16).requires_grad_(False)');
    expect(r.code).toContain('nn.Linear(16, 8).requires_grad_(False)');
    expect(r.notes.filter((n) => /frozen \(trainable=False\)/.test(n.message)).map((n) => n.line)).toEqual([3, 3]);
    const run = await runTorch(r.code, r.meta!.modelVar, r.meta!.inputs);
    expect(run.params).toBe(36);
  }, 60_000);
});
