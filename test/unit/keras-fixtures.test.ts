// Golden Keras fixtures: each test/fixtures/keras/X.py beside X.expected.json (totals and
// rows worked out from Keras' documented formulas, published figures for VGG16,
// ResNet50 and MobileNetV2). Discovered automatically; compared by layer name.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAnalyzer } from '../../src/node/wasm';
import { toSummaryJson, type Analyzer } from '../../src/core/index';

const dir = join(__dirname, '..', 'fixtures', 'keras');
const files = readdirSync(dir).filter((f) => f.endsWith('.expected.json')).sort();

interface Expected {
  file: string;
  models: Array<{
    name: string;
    input_shapes: Array<Array<number | null>>;
    output_shape: unknown;
    total_params: number;
    trainable_params: number;
    layers: Array<{ path: string; type: string; output_shape: unknown; params: number }>;
    layers_omitted?: boolean;
  }>;
}

let analyzer: Analyzer;
beforeAll(async () => {
  analyzer = await nodeAnalyzer();
});

describe('Keras fixtures', () => {
  it('has at least 25 fixtures', () => {
    expect(files.length).toBeGreaterThanOrEqual(25);
  });
  for (const f of files) {
    it(f.replace('.expected.json', '.py'), () => {
      const exp = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Expected;
      const py = join(dir, exp.file ?? f.replace('.expected.json', '.py'));
      const json = toSummaryJson(analyzer.analyze(readFileSync(py, 'utf8'), { fileName: exp.file }));
      for (const em of exp.models) {
        const got = json.models.find((m) => m.name === em.name);
        expect(got, `model ${em.name} found (got ${json.models.map((m) => m.name).join(', ')})`).toBeDefined();
        const brief = {
          input_shapes: got!.input_shapes, output_shape: got!.output_shape,
          total_params: got!.total_params, trainable_params: got!.trainable_params,
        };
        expect(brief, `${em.name} totals`).toEqual({
          input_shapes: em.input_shapes, output_shape: em.output_shape,
          total_params: em.total_params, trainable_params: em.trainable_params,
        });
        if (em.layers_omitted) continue;
        const byName = new Map(got!.layers.map((l) => [l.path, l]));
        const rows = em.layers.map((el) => {
          const g = byName.get(el.path);
          return g ? { path: g.path, type: g.type, output_shape: g.output_shape, params: g.params } : { path: el.path, missing: true };
        });
        expect(rows, `${em.name} rows`).toEqual(em.layers.map((l) => ({ path: l.path, type: l.type, output_shape: l.output_shape, params: l.params })));
        expect(got!.layers.length, `${em.name} row count`).toBe(em.layers.length);
      }
    });
  }
});
