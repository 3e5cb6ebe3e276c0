// Head replacement and freezing on torchvision backbones (test/fixtures/library/tv_*.py):
// real torchvision runs each fixture (oracle.py, one process) and the engine must agree on
// every row, the totals and the trainable count. Weights never change the layers, so the
// engine must also give the same summary for `weights="IMAGENET1K_V2"` / a Weights enum.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Model, type OracleResult, compareModels, runOracle } from './compare';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'library');
const TORCH_FIXTURES = readdirSync(FIXTURES).filter((f) => f.startsWith('tv_') && f.endsWith('.py')).sort();

let oracle: Map<string, OracleResult> | string = 'oracle not run';
let summarize: (text: string, file: string) => Model[];
let workDir: string | undefined;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'tensorlens-tvfix-'));
  oracle = await runOracle(TORCH_FIXTURES.map((f) => join(FIXTURES, f)), join(workDir, 'oracle.json'));
  const { nodeAnalyzer } = await import('../../../src/node/wasm');
  const core = await import('../../../src/core/index');
  const analyzer = await nodeAnalyzer();
  summarize = (text, file) => (core.toSummaryJson(analyzer.analyze(text, { fileName: file })) as unknown as { models: Model[] }).models;
}, 600_000);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('torchvision fine-tuning fixtures vs torchvision 0.14', () => {
  it('has fixtures', () => expect(TORCH_FIXTURES.length).toBeGreaterThanOrEqual(6));

  it.each(TORCH_FIXTURES)('%s', (file) => {
    if (typeof oracle === 'string') throw new Error(oracle);
    const truth = oracle.get(file);
    if (!truth || truth.error) throw new Error(`torchvision could not run ${file}: ${truth?.error ?? 'no result'}`);
    const models = summarize(readFileSync(join(FIXTURES, file), 'utf8'), file);
    expect(models.length).toBe(1);
    expect(compareModels(truth.models[0], models[0])).toEqual([]);
  });
});

describe('weights change nothing in the layers', () => {
  it.each([
    ['resnet50', 'weights="IMAGENET1K_V2"'],
    ['resnet50', 'weights=models.ResNet50_Weights.IMAGENET1K_V2'],
    ['mobilenet_v3_large', 'weights=models.MobileNet_V3_Large_Weights.DEFAULT, progress=False'],
    ['efficientnet_b0', 'weights="DEFAULT"'],
  ])('%s(%s)', (arch, args) => {
    const text = (a: string) => `import torch\nimport torchvision.models as models\n\nmodel = models.${arch}(${a})\nmodel(torch.randn(1, 3, 64, 64))\n`;
    const withWeights = summarize(text(args), 'w.py');
    const without = summarize(text(''), 'w.py');
    expect(withWeights[0].total_params).toBeGreaterThan(1_000_000);
    expect(withWeights).toEqual(without);
  });

  it('googlenet with weights drops the aux heads and transforms the input, as torchvision does', () => {
    const text = 'import torch\nfrom torchvision.models import googlenet, GoogLeNet_Weights\n\nmodel = googlenet(weights=GoogLeNet_Weights.IMAGENET1K_V1)\nmodel(torch.randn(1, 3, 224, 224))\n';
    const [m] = summarize(text, 'g.py');
    expect(m.total_params).toBe(6_624_904);
    expect(m.layers.some((l) => l.path.startsWith('aux'))).toBe(false);
    expect(m.output_shape).toEqual([1, 1000]);
  });
});
