// Live differential test of the torchvision.models stubs: for every architecture a tiny
// generated file (`from torchvision.models import X; model = X(); model(torch.randn(...))`)
// runs through real torchvision 0.14 (test/oracle/oracle.py, all files in ONE Python
// process) and through the engine; totals, output shape and every layer row must agree.
//
// GoogLeNet and Inception v3 are built as torchvision builds them with weights=None
// (aux_logits=True, train mode): their forward returns a named tuple whose first element is
// the logits, which is what oracle.py reports as the output shape; the aux classifiers run
// in train mode, so their rows are part of the comparison.
// Missing /usr/bin/python3 / torch / torchvision makes every test FAIL with the reason.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Model, type OracleResult, compareModels, runOracle } from './compare';

/** [architecture, constructor arguments, input side]: 64x64 keeps the oracle's CPU time low; ViT needs 224, Inception v3 >= 75. */
const CASES: Array<[string, string, number]> = [
  ['resnet18', '', 64], ['resnet34', '', 64], ['resnet50', '', 64], ['resnet101', '', 64], ['resnet152', '', 64],
  ['resnext50_32x4d', '', 64], ['resnext101_32x8d', '', 64], ['resnext101_64x4d', '', 64],
  ['wide_resnet50_2', '', 64], ['wide_resnet101_2', '', 64],
  ['vgg11', '', 64], ['vgg11_bn', '', 64], ['vgg13', '', 64], ['vgg13_bn', '', 64],
  ['vgg16', '', 64], ['vgg16_bn', '', 64], ['vgg19', '', 64], ['vgg19_bn', '', 64],
  ['alexnet', '', 64], ['squeezenet1_0', '', 64], ['squeezenet1_1', '', 64],
  ['densenet121', '', 64], ['densenet161', '', 64], ['densenet169', '', 64], ['densenet201', '', 64],
  ['googlenet', '', 64], ['inception_v3', '', 299],
  ['mobilenet_v2', '', 64], ['mobilenet_v3_large', '', 64], ['mobilenet_v3_small', '', 64],
  ['shufflenet_v2_x0_5', '', 64], ['shufflenet_v2_x1_0', '', 64], ['shufflenet_v2_x1_5', '', 64], ['shufflenet_v2_x2_0', '', 64],
  ['mnasnet0_5', '', 64], ['mnasnet0_75', '', 64], ['mnasnet1_0', '', 64], ['mnasnet1_3', '', 64],
  ['efficientnet_b0', '', 64], ['efficientnet_b1', '', 64], ['efficientnet_b2', '', 64], ['efficientnet_b3', '', 64],
  ['efficientnet_b4', '', 64], ['efficientnet_b5', '', 64], ['efficientnet_b6', '', 64], ['efficientnet_b7', '', 64],
  ['efficientnet_v2_s', '', 64], ['efficientnet_v2_m', '', 64], ['efficientnet_v2_l', '', 64],
  ['regnet_y_400mf', '', 64], ['regnet_y_800mf', '', 64], ['regnet_y_1_6gf', '', 64], ['regnet_y_16gf', '', 64],
  ['regnet_x_400mf', '', 64], ['regnet_x_800mf', '', 64], ['regnet_x_3_2gf', '', 64],
  ['convnext_tiny', '', 64], ['convnext_small', '', 64], ['convnext_base', '', 64], ['convnext_large', '', 64],
  ['vit_b_16', '', 224], ['vit_b_32', '', 224], ['vit_l_16', '', 224], ['swin_t', '', 64],
  ['swin_v2_t', '', 64], ['maxvit_t', '', 224],
  // constructor arguments honoured
  ['resnet50', 'num_classes=10', 64], ['mobilenet_v2', 'width_mult=0.5, num_classes=7', 64],
  ['vgg11', 'num_classes=3, dropout=0.2, init_weights=False', 64], ['efficientnet_b0', 'num_classes=5', 64], ['mobilenet_v3_large', 'num_classes=9, dropout=0.5', 64],
  ['googlenet', 'aux_logits=False, init_weights=False', 64], ['inception_v3', 'aux_logits=False, init_weights=False', 160],
  ['densenet121', 'num_classes=4', 160], ['resnet18', 'weights=None, progress=False', 128],
];

const fileName = ([arch, args, side]: [string, string, number], i: number) =>
  `tv_${String(i).padStart(2, '0')}_${arch}${args ? '_args' : ''}_${side}.py`;
/** Inception v3's aux head ends in a 1x1 BatchNorm: train mode needs a batch of 2 in torch. */
const batch = (arch: string) => (arch === 'inception_v3' ? 2 : 1);
const fileText = ([arch, args, side]: [string, string, number]) =>
  `import torch\nfrom torchvision.models import ${arch}\n\nmodel = ${arch}(${args})\nmodel(torch.randn(${batch(arch)}, 3, ${side}, ${side}))\n`;

let oracle: Map<string, OracleResult> | string = 'oracle not run';
let analyze: ((text: string, fileName: string) => Model[]) | undefined;
let workDir: string | undefined;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'tensorlens-tv-'));
  const files = CASES.map((c, i) => {
    const p = join(workDir!, fileName(c, i));
    writeFileSync(p, fileText(c));
    return p;
  });
  oracle = await runOracle(files, join(workDir, 'oracle.json'));
  const { nodeAnalyzer } = await import('../../../src/node/wasm');
  const core = await import('../../../src/core/index');
  const analyzer = await nodeAnalyzer();
  analyze = (text, file) => (core.toSummaryJson(analyzer.analyze(text, { fileName: file })) as unknown as { models: Model[] }).models;
}, 1_500_000);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('torchvision.models stubs vs torchvision 0.14', () => {
  it.each(CASES.map((c, i) => [fileName(c, i), c] as const))('%s', (file, c) => {
    if (typeof oracle === 'string') throw new Error(oracle);
    const truth = oracle.get(file);
    if (!truth) throw new Error(`oracle.py returned nothing for ${file}`);
    if (truth.error) throw new Error(`torchvision could not run ${file}: ${truth.error}`);
    const models = analyze!(fileText(c), file);
    expect(models.length, 'engine models').toBe(1);
    expect(compareModels(truth.models[0], models[0])).toEqual([]);
  });
});
