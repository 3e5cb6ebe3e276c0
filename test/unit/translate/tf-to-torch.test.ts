// tf.Module -> PyTorch, checked in real PyTorch (/usr/bin/python3): the translated model runs on
// the source's input (batch 1, TF layout) with the same trainable parameter count as the
// TensorLens summary of the source and the output shape the summary gives.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeDetailed } from '../../../src/core/analyze';
import { translateModel } from '../../../src/core/translate/index';
import { REAL_PYTHON, getParser, runTorch, syntaxErrors } from './harness';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'tf');
const FILES = [
  'tf_mlp_variables', 'tf_cnn_conv2d', 'tf_conv1d_audio', 'tf_conv3d_video', 'tf_conv_nchw_dilated',
  'tf_conv_transpose_decoder', 'tf_embedding_meanpool', 'tf_attention_split_concat', 'tf_batchnorm_moments',
  'tf_rnn_cell_loop', 'tf_lazy_initializers', 'tf_mixed_keras_layers',
];

async function translate(name: string) {
  const parser = await getParser();
  const text = readFileSync(join(fixtures, `${name}.py`), 'utf8');
  const d = analyzeDetailed(parser, text, { fileName: `${name}.py` });
  const m = d.analysis.models.find((x) => x.framework === 'tensorflow');
  expect(m, 'a tf.Module model').toBeDefined();
  return { parser, m: m!, r: translateModel(d, m!.name, 'pytorch', text) };
}

describe.skipIf(!existsSync(REAL_PYTHON))('tf.Module -> PyTorch, checked in real PyTorch', () => {
  for (const name of FILES) {
    it(name, async () => {
      const { parser, m, r } = await translate(name);
      expect(r.meta, r.notes.map((n) => n.message).join('\n')).toBeDefined();
      expect(syntaxErrors(parser, r.code)).toBe(0);
      expect(r.code).not.toContain('TODO(tensorlens)');
      const run = await runTorch(r.code, r.meta!.modelVar, r.meta!.inputs);
      expect(run.params).toBe(m.trainableParams);
      const want = (m.outputShape ?? []).map((d, i) => (i === 0 ? 1 : d));
      expect(run.output_shape).toEqual(want);
      expect(r.meta!.outputShape).toEqual(want);
    }, 120_000);
  }
});

describe('tf.Module -> PyTorch, the generated code', () => {
  it('stores conv filters in PyTorch layout and pads SAME explicitly', async () => {
    const { r } = await translate('tf_cnn_conv2d');
    expect(r.code).toMatch(/self\.filters = nn\.Parameter\(.*\)\.permute\(3, 2, 0, 1\)\.contiguous\(\)\)/);
    expect(r.code).toContain('def _tf_same_pad(');
    expect(r.code).toContain('F.pad(');
    expect(r.notes.some((n) => /\[out, in, kh, kw\]/.test(n.message))).toBe(true);
  });
  it('keeps trainable=False variables as buffers', async () => {
    const { r } = await translate('tf_batchnorm_moments');
    expect(r.code).toContain('self.register_buffer("moving_mean"');
    expect(r.code).toContain('self.register_buffer("moving_var"');
    expect(r.code).toMatch(/self\.gamma = nn\.Parameter\(/);
  });
  it('maps matmul with an explicit Parameter and reduce_mean / concat / split', async () => {
    const { r } = await translate('tf_attention_split_concat');
    expect(r.code).toContain('torch.einsum("btd,de->bte"');
    expect(r.code).toContain('.transpose(-2, -1)');
    expect(r.code).toContain('torch.cat(');
    expect(r.code).toContain('torch.chunk(');
  });
  it('turns an unmappable op into a TODO with a note, not a crash', async () => {
    const parser = await getParser();
    const text = [
      'import tensorflow as tf',
      '',
      'class Odd(tf.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.w = tf.Variable(tf.zeros([4, 4]))',
      '',
      '    def __call__(self, x):',
      '        y = tf.matmul(x, self.w)',
      '        z = tf.math.cumsum(y, axis=1)',
      '        return tf.signal.fft(z)',
      '',
      'm = Odd()',
      'out = m(tf.zeros([2, 4]))',
      '',
    ].join('\n');
    const d = analyzeDetailed(parser, text, { fileName: 'odd.py' });
    const r = translateModel(d, 'm', 'pytorch', text);
    expect(r.code).toContain('# TODO(tensorlens)');
    expect(r.notes.some((n) => n.message.startsWith('TODO') && n.line >= 10)).toBe(true);
    expect(syntaxErrors(parser, r.code)).toBe(0);
  });
});
