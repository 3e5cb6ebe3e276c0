// Proof (1) and (3): PyTorch models translated to Keras parse with the project's parser and
// their TensorLens summary matches the source (trainable params up to the differences the
// notes state with their exact size, output shape after the layout change); PyTorch ->
// Keras -> PyTorch gives the same summary. forward() is translated statement by statement
// (residuals, concatenations, functional ops, loops over blocks, nested modules, LSTM
// unpacking, attention); what cannot be mapped is a TODO line plus a note, never dropped.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeDetailed } from '../../../src/core/analyze';
import { translateModel, translateSnippet } from '../../../src/core/translate/index';
import { getParser, syntaxErrors } from './harness';

const corpus = '/work/shared/corpus';
const fixtures = join(__dirname, '..', '..', 'fixtures', 'translate');
const oracle = join(__dirname, '..', '..', 'oracle', 'models');
const ORACLE = ['conv2d_variants', 'factory_model', 'gan_mlp', 'lenet_classic', 'mobilenet_v2ish', 'resnet_basic_cifar', 'resnet_bottleneck'];
const FILES = [
  ...readdirSync(corpus).filter((f) => f.endsWith('.py') && !f.startsWith('keras_')).map((f) => join(corpus, f)),
  ...readdirSync(fixtures).filter((f) => f.endsWith('.py')).map((f) => join(fixtures, f)),
  ...ORACLE.map((f) => join(oracle, `${f}.py`)),
];
/** Models that translate with a stated gap: the TODO they must carry. Every other model translates fully. */
const EXPECTED_TODOS: Record<string, RegExp> = {};

describe('PyTorch -> Keras', () => {
  it('covers every PyTorch model of the corpus and at least 6 oracle models', () => {
    expect(FILES.filter((f) => f.startsWith(corpus)).length).toBe(10);
    expect(ORACLE.length).toBeGreaterThanOrEqual(6);
  });
  for (const file of FILES) {
    it(file.split('/').pop()!, async () => {
      const parser = await getParser();
      const text = readFileSync(file, 'utf8');
      const d = analyzeDetailed(parser, text, { fileName: file.split('/').pop() });
      expect(d.analysis.models.length).toBeGreaterThan(0);
      for (const m of d.analysis.models) {
        for (const target of ['keras', 'tf-keras'] as const) {
          const r = translateModel(d, m.name, target, text);
          const why = `${m.name}:\n${r.code}\n${r.notes.map((n) => n.message).join('\n')}`;
          expect(syntaxErrors(parser, r.code), why).toBe(0);
          expect(r.meta, why).toBeDefined();
          const todos = r.notes.filter((n) => n.message.startsWith('TODO'));
          if (EXPECTED_TODOS[m.name]) {
            expect(todos.some((n) => EXPECTED_TODOS[m.name].test(n.message)), why).toBe(true);
            expect(r.code).toContain('# TODO(tensorlens):');
          } else expect(todos.map((n) => n.message)).toEqual([]);
          // Every parameter difference is stated with its exact size.
          for (const n of r.notes.filter((x) => x.paramDelta)) expect(n.message).toContain(String(Math.abs(n.paramDelta!)));
          const kd = analyzeDetailed(parser, r.code, { fileName: 'translated.py' });
          const k = kd.analysis.models[0];
          expect(k, why).toBeDefined();
          expect(k.framework).toBe('keras');
          expect(k.trainableParams, why).toBe(m.trainableParams + r.meta!.paramDelta);
          expect(k.outputShape?.slice(1), why).toEqual(r.meta!.outputShape?.slice(1));
          if (target === 'keras') {
            // Round trip: back to PyTorch, same summary as the source.
            const back = translateModel(kd, k.name, 'pytorch', r.code);
            const t = analyzeDetailed(parser, back.code, { fileName: 'back.py' }).analysis.models[0];
            expect(t, back.code).toBeDefined();
            expect(t.trainableParams, back.code).toBe(m.trainableParams);
            expect(t.outputShape?.slice(1), back.code).toEqual(m.outputShape?.slice(1));
          }
        }
      }
    }, 60_000);
  }

  it('maps forward() constructs to Keras layers with remapped axes', async () => {
    const parser = await getParser();
    const code = (file: string, model: string) => {
      const text = readFileSync(join(corpus, file), 'utf8');
      return translateModel(analyzeDetailed(parser, text, { fileName: file }), model, 'keras', text);
    };
    const resnet = code('resnet18.py', 'ResNet18');
    expect(resnet.code).toMatch(/layers\.Add\(\)\(\[/); // out += identity
    expect(resnet.code).toContain('name="layer2_0_downsample_0"'); // if self.downsample is not None, on the instance
    expect(resnet.code).not.toContain('layer1_0_downsample'); // ... and skipped where it is None
    const unet = code('unet_lite.py', 'UNetLite');
    expect(unet.code).toContain('layers.Concatenate(axis=-1)'); // torch.cat(dim=1) on NCHW -> channels-last
    expect(unet.meta!.outputShape).toEqual([1, 128, 128, 2]);
    expect(unet.notes.some((n) => /feed x\.permute\(0, 2, 3, 1\)/.test(n.message))).toBe(true);
    const lstm = code('lstm_text_classifier.py', 'LSTMClassifier');
    expect(lstm.code).toMatch(/layers\.LSTM\(256, return_sequences=True, name="lstm_l0"\)/);
    expect(lstm.code).toMatch(/layers\.LSTM\(256, name="lstm_l1"\)/); // output[:, -1, :]
    expect(lstm.meta!.paramDelta).toBe(-2 * 4 * 256);
    const tr = code('transformer_classifier.py', 'TransformerClassifier');
    expect(tr.code).toContain('layers.MultiHeadAttention(num_heads=4, key_dim=32, dropout=0.1');
    expect(tr.code).toContain('layers.Rescaling(11.313708499'); // * math.sqrt(self.d_model)
    expect(tr.notes.some((n) => /the same 66048 parameters/.test(n.message))).toBe(true);
    // The sinusoidal position table, a buffer added to the embeddings: a non-trainable weight, sliced to the input's 64 steps.
    expect(tr.code).toContain('WeightOp((1, 64, 128), "add", trainable=False, name="positions_table")');
    expect(tr.notes.some((n) => /the buffer table\[:, :64\] \(1, 64, 128\) is a non-trainable weight .*copy torch's values/.test(n.message))).toBe(true);
    const audio = code('audio_cnn1d.py', 'RawAudioNet');
    expect(audio.code).toContain('layers.GlobalAveragePooling1D()'); // x.mean(dim=-1) on (B, C, T)
    const mobile = code('depthwise_separable.py', 'TinyMobileNet');
    expect(mobile.code).toContain('name="blocks_5_depthwise"'); // for block in self.blocks, unrolled
    expect(mobile.code).toContain('layers.ReLU(max_value=6.0)'); // F.relu6
  });

  it('translates a selected class or a bare nn.Sequential expression with the same machinery', async () => {
    const parser = await getParser();
    const seq = translateSnippet('nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 3))', 'keras', parser);
    expect(syntaxErrors(parser, seq.code)).toBe(0);
    expect(seq.code).toContain('layers.Dense(64');
    expect(seq.code).toContain('keras.Model(');
    // Note lines refer to the selection (one line here), not to the imports added around it.
    expect(seq.notes.length).toBeGreaterThan(0);
    for (const n of seq.notes) expect(n.line).toBeLessThanOrEqual(1);
    const lenet = readFileSync(join(corpus, 'lenet5.py'), 'utf8').split('if __name__')[0];
    const cls = translateSnippet(lenet, 'keras', parser);
    expect(syntaxErrors(parser, cls.code)).toBe(0);
    expect(cls.code).toContain('name="LeNet5"');
    // No example call in the selection: the spatial size is open, the layers are all there.
    expect(cls.code).toContain('keras.Input(shape=(None, None, 1)');
    expect(cls.code.match(/layers\.(Conv2D|Dense|MaxPooling2D)\(/g)?.length).toBe(7);
    const k = analyzeDetailed(parser, seq.code, { fileName: 'snippet.py' }).analysis.models[0];
    expect(k.trainableParams).toBe(20 * 64 + 64 + 64 * 3 + 3);
  });
});
