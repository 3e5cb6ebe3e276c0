// tf.Module -> Keras 3: the generated Layer / Model subclasses parse, and TensorLens's own summary
// of the translation has the source's parameter count (trainable and not).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeDetailed } from '../../../src/core/analyze';
import { translateModel } from '../../../src/core/translate/index';
import { getParser, syntaxErrors } from './harness';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'tf');
const FILES = [
  'tf_mlp_variables', 'tf_cnn_conv2d', 'tf_conv1d_audio', 'tf_conv3d_video', 'tf_conv_nchw_dilated',
  'tf_conv_transpose_decoder', 'tf_embedding_meanpool', 'tf_attention_split_concat', 'tf_batchnorm_moments',
  'tf_rnn_cell_loop', 'tf_lazy_initializers', 'tf_mixed_keras_layers',
];

describe('tf.Module -> Keras 3', () => {
  for (const name of FILES) {
    it(name, async () => {
      const parser = await getParser();
      const text = readFileSync(join(fixtures, `${name}.py`), 'utf8');
      const d = analyzeDetailed(parser, text, { fileName: `${name}.py` });
      const m = d.analysis.models.find((x) => x.framework === 'tensorflow')!;
      const r = translateModel(d, m.name, 'keras', text);
      expect(syntaxErrors(parser, r.code), r.code).toBe(0);
      expect(r.code).toMatch(/class \w+\(keras\.Model\):/);
      const back = analyzeDetailed(parser, r.code, { fileName: `${name}.keras.py` }).analysis;
      const km = back.models.find((x) => x.framework === 'keras');
      expect(km, `${r.code}\n${JSON.stringify(back.models.map((x) => x.name))}`).toBeDefined();
      expect({ total: km!.totalParams, trainable: km!.trainableParams }, r.code).toEqual({ total: m.totalParams, trainable: m.trainableParams });
    }, 60_000);
  }
});
