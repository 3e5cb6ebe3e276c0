// keras.applications stubs against the published parameter totals (no TensorFlow here).
// Totals: the "Parameters" column of keras.io's applications table (Keras 2 docs,
// https://keras.io/2/api/applications, exact figures as published before the table was
// rounded), and for EfficientNet B1-B7 and the include_top=False bases the totals printed by
// Keras' model.summary() (TensorFlow tutorials "Transfer learning and fine-tuning").

import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'library');

interface Layer { path: string; type: string; output_shape: Array<number | null> | null; params: number }
interface Model { name: string; output_shape: Array<number | null> | null; total_params: number; trainable_params: number; layers: Layer[] }
let summarize: (text: string) => Model[];

beforeAll(async () => {
  const { nodeAnalyzer } = await import('../../../src/node/wasm');
  const core = await import('../../../src/core/index');
  const analyzer = await nodeAnalyzer();
  summarize = (text) => (core.toSummaryJson(analyzer.analyze(text, { fileName: 'app.py' })) as unknown as { models: Model[] }).models;
});

/** [constructor, published total params]. */
const PUBLISHED: Array<[string, number]> = [
  ['VGG16', 138_357_544], ['VGG19', 143_667_240],
  ['ResNet50', 25_636_712], ['ResNet101', 44_707_176], ['ResNet152', 60_419_944],
  ['ResNet50V2', 25_613_800], ['ResNet101V2', 44_675_560], ['ResNet152V2', 60_380_648],
  ['MobileNet', 4_253_864], ['MobileNetV2', 3_538_984],
  ['DenseNet121', 8_062_504], ['DenseNet169', 14_307_880], ['DenseNet201', 20_242_984],
  ['EfficientNetB0', 5_330_571], ['EfficientNetB1', 7_856_239], ['EfficientNetB2', 9_177_569], ['EfficientNetB3', 12_320_535],
  ['EfficientNetB4', 19_466_823], ['EfficientNetB5', 30_562_527], ['EfficientNetB6', 43_265_143], ['EfficientNetB7', 66_658_687],
];

describe('keras.applications totals match the published figures', () => {
  it.each(PUBLISHED)('%s: %d params', (ctor, total) => {
    const models = summarize(`from tensorflow import keras\n\nmodel = keras.applications.${ctor}(weights=None)\n`);
    expect(models).toHaveLength(1);
    expect(models[0].total_params).toBe(total);
    expect(models[0].output_shape).toEqual([null, 1000]);
  });
});

describe('keras.applications layer names and arguments', () => {
  it('ResNet50 names its layers as Keras does', () => {
    const [m] = summarize('from keras.applications.resnet50 import ResNet50\nmodel = ResNet50(weights="imagenet")\n');
    const names = m.layers.map((l) => l.path);
    expect(names.slice(0, 6)).toEqual(['conv1_pad', 'conv1_conv', 'conv1_bn', 'conv1_relu', 'pool1_pad', 'pool1_pool']);
    expect(names).toContain('conv2_block1_1_conv');
    expect(names).toContain('conv5_block3_out');
    expect(names.slice(-2)).toEqual(['avg_pool', 'predictions']);
    expect(m.layers.find((l) => l.path === 'conv2_block1_0_conv')).toMatchObject({ type: 'Conv2D', output_shape: [null, 56, 56, 256], params: 16_640 });
  });

  it('VGG16 without top, max pooling, custom input shape', () => {
    const [m] = summarize('import tensorflow as tf\nbase = tf.keras.applications.VGG16(include_top=False, weights=None, input_shape=(150, 150, 3), pooling="max")\n');
    expect(m.total_params).toBe(14_714_688);
    expect(m.output_shape).toEqual([null, 512]);
    expect(m.layers[0]).toMatchObject({ path: 'block1_conv1', output_shape: [null, 150, 150, 64], params: 1_792 });
    expect(m.layers.at(-1)?.type).toBe('GlobalMaxPooling2D');
  });

  it('MobileNetV2 alpha, classes and classifier_activation', () => {
    const [m] = summarize('from keras.applications import MobileNetV2\nmodel = MobileNetV2(alpha=0.5, classes=10, weights=None, classifier_activation=None)\n');
    expect(m.layers.map((l) => l.path)).toContain('expanded_conv_depthwise');
    expect(m.output_shape).toEqual([null, 10]);
    // 0.5x width: 1280-channel head is kept (alpha <= 1), 10-way Dense.
    expect(m.layers.at(-1)).toMatchObject({ path: 'predictions', params: 1280 * 10 + 10 });
  });
});

describe('transfer-learning fixtures', () => {
  it('keras_mobilenetv2_transfer.py: frozen base, new head (TF tutorial: 2,259,265 total, 1,281 trainable)', () => {
    const models = summarize(readFileSync(join(FIXTURES, 'keras_mobilenetv2_transfer.py'), 'utf8'));
    const base = models.find((m) => m.name === 'base_model')!;
    expect(base.total_params).toBe(2_257_984);
    expect(base.output_shape).toEqual([null, 5, 5, 1280]);
    const model = models.find((m) => m.name === 'model')!;
    expect(model.total_params).toBe(2_259_265);
    expect(model.trainable_params).toBe(1_281);
  });

  it('keras_resnet50_pooling.py: pooled ResNet50 base + Dense(10)', () => {
    const models = summarize(readFileSync(join(FIXTURES, 'keras_resnet50_pooling.py'), 'utf8'));
    const model = models.find((m) => m.name === 'model')!;
    expect(model.total_params).toBe(23_587_712 + 2048 * 10 + 10);
    expect(model.output_shape).toEqual([null, 10]);
  });
});
