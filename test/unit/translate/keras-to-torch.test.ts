// Proof (2): Keras models of the corpus and the fixtures, translated to PyTorch and run in
// real PyTorch: same trainable parameter count except the differences the notes state
// (with their exact size), same output shape (layout-adjusted).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeDetailed } from '../../../src/core/analyze';
import { translateModel } from '../../../src/core/translate/index';
import { REAL_PYTHON, getParser, runTorch, syntaxErrors } from './harness';

const corpus = '/work/shared/corpus';
const fixtures = join(__dirname, '..', '..', 'fixtures', 'keras');
const OP_FILES = ['keras_residual_ops.py', 'keras_hard_swish_ops.py', 'keras_tf_op_lambda.py'].map((f) => join(fixtures, f));
const FILES = [
  join(corpus, 'keras_mnist_convnet.py'),
  join(corpus, 'keras_bn_cnn.py'),
  join(corpus, 'keras_stacked_lstm.py'),
  join(corpus, 'keras_text_conv1d.py'),
  join(corpus, 'keras_two_input.py'),
  join(fixtures, 'keras_activation_layers.py'),
  join(fixtures, 'keras_conv_autoencoder.py'),
  join(fixtures, 'keras_gru_text.py'),
  join(fixtures, 'keras_imdb_bilstm.py'),
  join(fixtures, 'keras_mnist_convnet_add.py'),
  join(fixtures, 'keras_sentiment_gap.py'),
  join(fixtures, 'keras_unet_small.py'),
  join(fixtures, 'keras_vgg16.py'),
  join(fixtures, 'keras_normalization_tabular.py'),
  join(fixtures, 'keras_wavenet_causal.py'),
  join(fixtures, 'keras_mobilenet_v2.py'),
  // Operations on Keras tensors between layers (x + y, keras.ops.relu6, tf.nn.relu6, ops.mean).
  ...OP_FILES,
].filter((f) => existsSync(f));

describe.skipIf(!existsSync(REAL_PYTHON))('Keras -> PyTorch, checked in real PyTorch', () => {
  it('covers at least 8 Keras models', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(8);
  });
  it('maps the operation nodes of functional graphs (no TODO left)', async () => {
    const parser = await getParser();
    for (const file of OP_FILES) {
      const text = readFileSync(file, 'utf8');
      const d = analyzeDetailed(parser, text, { fileName: file.split('/').pop() });
      const r = translateModel(d, d.analysis.models[0].name, 'pytorch', text);
      expect(r.code, file).not.toContain('TODO(tensorlens)');
    }
  });
  for (const file of FILES) {
    it(file.split('/').pop()!, async () => {
      const parser = await getParser();
      const text = readFileSync(file, 'utf8');
      const d = analyzeDetailed(parser, text, { fileName: file.split('/').pop() });
      expect(d.analysis.models.length).toBeGreaterThan(0);
      for (const m of d.analysis.models) {
        const r = translateModel(d, m.name, 'pytorch', text);
        expect(r.meta, r.notes.map((n) => n.message).join('\n')).toBeDefined();
        expect(syntaxErrors(parser, r.code)).toBe(0);
        const run = await runTorch(r.code, r.meta!.modelVar, r.meta!.inputs);
        // Every parameter difference is stated in a note, with its exact size.
        const stated = r.notes.filter((n) => n.paramDelta).map((n) => n.paramDelta!);
        for (const n of r.notes.filter((x) => x.paramDelta)) expect(n.message).toContain(String(Math.abs(n.paramDelta!)));
        expect(run.params).toBe(m.trainableParams + stated.reduce((a, b) => a + b, 0));
        expect(run.output_shape).toEqual(r.meta!.outputShape);
      }
    }, 120_000);
  }
});
