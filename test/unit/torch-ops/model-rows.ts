// The first model of a snippet as the probe tests compare it: output shape, total and
// trainable parameters, and one row per layer call (path, type, output shape, parameters).
import { expect } from 'vitest';
import type { Analyzer } from '../../../src/core/index';
import { formatShape } from '../../../src/core/shapes/dim';

export interface ModelRows {
  out: string;
  params: number | null;
  trainable: number | null;
  rows: string[];
}

export function firstModelRows(analyzer: Analyzer, code: string): ModelRows {
  const a = analyzer.analyze(code, { fileName: 't.py' });
  expect(a.models.length, `models in ${JSON.stringify(a.notes)}`).toBeGreaterThan(0);
  const m = a.models[0];
  return {
    out: m.outputShape ? formatShape(m.outputShape) : 'null',
    params: m.totalParams,
    trainable: m.trainableParams,
    rows: m.layers.map((l) => `${l.path} ${l.type} ${l.outputShape ? formatShape(l.outputShape) : 'null'} ${l.params}`),
  };
}
