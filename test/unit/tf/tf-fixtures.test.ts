// Golden low-level TensorFlow fixtures: each test/fixtures/tf/X.py beside X.expected.json
// (shapes and variable counts worked out from the documented tf.nn / tf.matmul semantics,
// the arithmetic in each file's "notes"). Runs the real pipeline; until analyze.ts has the
// TF hook, the local harness with the same steps.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { toSummaryJson } from '../../../src/core/summary/json';
import type { PyParser } from '../../../src/core/python/parser';
import { analyzeTf, tfParser } from './harness';

const dir = join(__dirname, '..', '..', 'fixtures', 'tf');
const files = readdirSync(dir).filter((f) => f.endsWith('.expected.json')).sort();

interface Expected {
  file: string;
  models: Array<{
    name: string;
    input_shapes: unknown;
    input_source: string;
    output_shape: unknown;
    total_params: number;
    trainable_params: number;
    non_trainable_params: number;
    /** Mult-adds, worked out by hand in a comment at the end of the fixture (frameworks/tf/macs.ts convention). */
    macs: number;
    layers: Array<{ path: string; type: string; output_shape: unknown; params: number; macs: number | null }>;
  }>;
  diagnostics?: Array<{ code: string; line: number }>;
}

let parser: PyParser;
beforeAll(async () => {
  parser = await tfParser();
});

describe('TensorFlow fixtures', () => {
  it('has at least 12 fixtures', () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
  });
  for (const f of files) {
    it(f.replace('.expected.json', '.py'), () => {
      const exp = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Expected;
      const { analysis } = analyzeTf(parser, readFileSync(join(dir, exp.file), 'utf8'), { fileName: exp.file });
      const json = toSummaryJson(analysis);
      expect(json.framework).toBe('tensorflow');
      for (const em of exp.models) {
        const got = json.models.find((m) => m.name === em.name);
        expect(got, `model ${em.name} found (got ${json.models.map((m) => m.name).join(', ')})`).toBeDefined();
        expect({
          input_shapes: got!.input_shapes, input_source: got!.input_source, output_shape: got!.output_shape,
          total_params: got!.total_params, trainable_params: got!.trainable_params, non_trainable_params: got!.non_trainable_params,
          macs: got!.macs,
        }, `${em.name} totals`).toEqual({
          input_shapes: em.input_shapes, input_source: em.input_source, output_shape: em.output_shape,
          total_params: em.total_params, trainable_params: em.trainable_params, non_trainable_params: em.non_trainable_params,
          macs: em.macs,
        });
        expect(em.macs, 'every fixture states its mult-adds').toBeTypeOf('number');
        expect(got!.layers.map((l) => ({ path: l.path, type: l.type, output_shape: l.output_shape, params: l.params, macs: l.macs })), `${em.name} rows`).toEqual(em.layers);
      }
      const errors = json.diagnostics.filter((d) => d.severity === 'error' && /^DL4/.test(d.code)).map((d) => ({ code: d.code, line: d.line }));
      expect(errors, 'shape diagnostics').toEqual(exp.diagnostics ?? []);
    });
  }
});
