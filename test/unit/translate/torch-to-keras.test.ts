// Proof (1) and (3): PyTorch models translated to Keras parse with the project's parser and
// their TensorLens summary matches the source (trainable params, output shape after the
// layout change); PyTorch -> Keras -> PyTorch gives the same summary. Models whose forward()
// is not a chain of layers must say so with a TODO note (a stated gap, not a silent one).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeDetailed } from '../../../src/core/analyze';
import { translateModel } from '../../../src/core/translate/index';
import { getParser, syntaxErrors } from './harness';

const corpus = '/work/shared/corpus';
const fixtures = join(__dirname, '..', '..', 'fixtures', 'translate');
const FILES = [
  ...readdirSync(corpus).filter((f) => f.endsWith('.py') && !f.startsWith('keras_')).map((f) => join(corpus, f)),
  ...readdirSync(fixtures).filter((f) => f.endsWith('.py')).map((f) => join(fixtures, f)),
];

describe('PyTorch -> Keras', () => {
  for (const file of FILES) {
    it(file.split('/').pop()!, async () => {
      const parser = await getParser();
      const text = readFileSync(file, 'utf8');
      const d = analyzeDetailed(parser, text, { fileName: file.split('/').pop() });
      for (const m of d.analysis.models) {
        for (const target of ['keras', 'tf-keras'] as const) {
          const r = translateModel(d, m.name, target, text);
          expect(syntaxErrors(parser, r.code)).toBe(0);
          if (!r.meta) {
            expect(r.code).toContain('# TODO(tensorlens):');
            expect(r.notes.some((n) => n.message.startsWith('TODO'))).toBe(true);
            continue;
          }
          const k = analyzeDetailed(parser, r.code, { fileName: 'translated.py' }).analysis.models[0];
          expect(k, r.code).toBeDefined();
          expect(k.trainableParams).toBe(m.trainableParams + r.meta.paramDelta);
          expect(k.outputShape?.slice(1)).toEqual(r.meta.outputShape?.slice(1));
          if (target === 'keras') {
            // Round trip: back to PyTorch, same summary as the source.
            const back = translateModel(analyzeDetailed(parser, r.code, { fileName: 'translated.py' }), k.name, 'pytorch', r.code);
            const t = analyzeDetailed(parser, back.code, { fileName: 'back.py' }).analysis.models[0];
            expect(t.trainableParams).toBe(m.trainableParams);
            expect(t.outputShape?.slice(1)).toEqual(m.outputShape?.slice(1));
          }
        }
      }
    });
  }
});
