// The dataflow graph sent to the webview: residual adds, concatenations and several inputs
// must show up as real edges, not as a chain of rows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAnalyzer } from '../../../src/node/wasm';
import { toSummaryJson, type Analyzer } from '../../../src/core/index';

let analyzer: Analyzer;
beforeAll(async () => {
  analyzer = await nodeAnalyzer();
});

const RES = `import torch
import torch.nn as nn

class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(8, 8, 3, padding=1)
        self.b = nn.Conv2d(8, 8, 3, padding=1)

    def forward(self, x):
        y = self.b(torch.relu(self.a(x)))
        return torch.cat([x + y, x], dim=1)

Block()(torch.randn(1, 8, 4, 4))
`;

function graphOf(text: string, file = 't.py') {
  const j = toSummaryJson(analyzer.analyze(text, { fileName: file }));
  return { model: j.models[0], g: j.models[0].graph! };
}

describe('dataflow graph', () => {
  it('shows a residual add and a concatenation as op nodes fed by both branches', () => {
    const { g } = graphOf(RES);
    const id = (kind: string, label: string) => g.nodes.find((n) => n.kind === kind && n.label === label)!.id;
    const add = id('op', 'add');
    const cat = id('op', 'cat');
    const into = (to: string) => g.edges.filter((e) => e.to === to).map((e) => e.from).sort();
    expect(into(add)).toEqual(['L1', 'in0']);
    expect(into(cat)).toEqual([add, 'in0'].sort());
    expect(into('out0')).toEqual([cat]);
    expect(g.nodes.find((n) => n.id === cat)!.output_shape).toEqual([1, 16, 4, 4]);
    // relu between a and b is a pass-through, not a node
    expect(into('L1')).toEqual(['L0']);
  });

  it('links layer nodes to their table rows', () => {
    const { model, g } = graphOf(RES);
    for (const n of g.nodes.filter((x) => x.kind === 'layer')) expect(model.layers[n.layer!].path).toBe(n.path);
  });

  it('keeps the two inputs of a Keras functional model apart until they merge', () => {
    const text = readFileSync(join(__dirname, '..', '..', '..', '..', 'shared', 'corpus', 'keras_two_input.py'), 'utf8');
    const { g } = graphOf(text, 'keras_two_input.py');
    const concat = g.nodes.find((n) => n.label === 'Concatenate')!;
    const from = g.edges.filter((e) => e.to === concat.id).map((e) => g.nodes.find((n) => n.id === e.from)!.path);
    expect(from.sort()).toEqual(['dense_1', 'global_average_pooling2d']);
    expect(g.nodes.filter((n) => n.kind === 'input').map((n) => n.label)).toEqual(['image', 'metadata']);
  });
});

describe('dataflow: false (lint runs)', () => {
  it('leaves the graph out and changes nothing else: rows, totals, output and diagnostics are the same', () => {
    for (const file of ['resnet50.py', 'small_cnn.py', 'lstm_classifier.py']) {
      const text = readFileSync(join(__dirname, '..', '..', '..', 'examples', file), 'utf8');
      const withGraph = analyzer.analyze(text, { fileName: file });
      const without = analyzer.analyze(text, { fileName: file, dataflow: false });
      expect(withGraph.models[0].graph?.nodes.length).toBeGreaterThan(2);
      expect(without.models.length).toBe(withGraph.models.length);
      for (const [i, m] of without.models.entries()) {
        expect(m.graph).toBeUndefined();
        expect({ ...m, graph: undefined }).toEqual({ ...withGraph.models[i], graph: undefined });
      }
      expect(without.diagnostics).toEqual(withGraph.diagnostics);
    }
  });
});
