// The Keras model-summary helpers the probe tests share: each test file calls kerasSummaries()
// once at its top level (it loads the parser before the file's tests run) and reads models as
// the JSON contract gives them.
import { beforeAll } from 'vitest';
import { analyzeDetailed } from '../../../src/core/analyze';
import type { AnalyzeOptions } from '../../../src/core/summary/types';
import { toSummaryJson } from '../../../src/core/index';
import { dedent, initParser } from '../lint/helpers';
import type { PyParser } from '../../../src/core/python/parser';

export type Row = { path: string; type: string; output_shape: unknown; params: number | null };

export function kerasSummaries() {
  let parser: PyParser;
  beforeAll(async () => {
    parser = await initParser();
  });
  /** The analysis of a (dedented) snippet, as file m.py. */
  const analysis = (src: string, options: AnalyzeOptions = {}) => analyzeDetailed(parser, dedent(src), { fileName: 'm.py', ...options }).analysis;
  /** Its models, in the `summary --json` contract. */
  const models = (src: string) => toSummaryJson(analysis(src)).models;
  /** The model called `name`. */
  const model = (src: string, name: string) => models(src).find((m) => m.name === name)!;
  /** [path, output shape, params] of each layer row. */
  const rows = (m: { layers: Array<Omit<Row, 'type'>> }) => m.layers.map((l) => [l.path, l.output_shape, l.params]);
  return { analysis, models, model, rows };
}
