// keras.applications stubs against the published parameter totals (no TensorFlow here).
// Totals: the "Parameters" column of keras.io's applications table (Keras 2 docs,
// https://keras.io/2/api/applications, exact figures as published before the table was
// rounded), and for EfficientNet B1-B7 and the include_top=False bases the totals printed by
// Keras' model.summary() (TensorFlow tutorials "Transfer learning and fine-tuning").
// Later families: InceptionV3, Xception, NASNet, MobileNetV3 and their include_top=False
// bases are the totals Keras' model.summary() prints (keras.io table rounds them);
// ConvNeXt equals the reference ConvNeXt (torchvision's convnext_tiny/small/base/large count
// the same weights; XLarge 350,196,968 as published for the ConvNeXt paper's XL config);
// EfficientNetV2 B0-L are the counts asserted by the reference implementation's own test
// (google/automl efficientnetv2/effnetv2_model_test.py), which the Keras port reproduces.

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
  ['InceptionV3', 23_851_784], ['Xception', 22_910_480], ['InceptionResNetV2', 55_873_736],
  ['MobileNetV3Small', 2_554_968], ['MobileNetV3Large', 5_507_432],
  ['ConvNeXtTiny', 28_589_128], ['ConvNeXtSmall', 50_223_688], ['ConvNeXtBase', 88_591_464], ['ConvNeXtLarge', 197_767_336],
  ['ConvNeXtXLarge', 350_196_968],
  ['NASNetMobile', 5_326_716], ['NASNetLarge', 88_949_818],
  ['EfficientNetV2B0', 7_200_312], ['EfficientNetV2B1', 8_212_124], ['EfficientNetV2B2', 10_178_374], ['EfficientNetV2B3', 14_467_622],
  ['EfficientNetV2S', 21_612_360], ['EfficientNetV2M', 54_431_388], ['EfficientNetV2L', 119_027_848],
];

/** include_top=False bases as Keras' summary prints them: [call, total, trainable | null, output shape]. */
const PUBLISHED_BASES: Array<[string, number, number | null, Array<number | null>]> = [
  ['InceptionV3(include_top=False, input_shape=(299, 299, 3))', 21_802_784, 21_768_352, [null, 8, 8, 2048]],
  ['InceptionV3(include_top=False, input_shape=(299, 299, 3), pooling="avg")', 21_802_784, 21_768_352, [null, 2048]],
  ['Xception(include_top=False, input_shape=(299, 299, 3))', 20_861_480, 20_806_952, [null, 10, 10, 2048]],
  ['InceptionResNetV2(include_top=False, input_shape=(299, 299, 3))', 54_336_736, 54_276_192, [null, 8, 8, 1536]],
  ['MobileNetV3Small(include_top=False, input_shape=(224, 224, 3))', 939_120, null, [null, 7, 7, 576]],
  ['MobileNetV3Large(include_top=False, input_shape=(224, 224, 3), pooling="max")', 2_996_352, null, [null, 960]],
  ['ConvNeXtTiny(include_top=False, input_shape=(224, 224, 3))', 27_820_128, 27_820_128, [null, 7, 7, 768]],
  ['ConvNeXtTiny(include_top=False, pooling="avg")', 27_820_128, 27_820_128, [null, 768]],
  ['NASNetMobile(include_top=False)', 4_269_716, null, [null, 7, 7, 1056]],
  ['EfficientNetV2B0(include_top=False, input_shape=(224, 224, 3))', 5_919_312, null, [null, 7, 7, 1280]],
];

/** Trainable counts Keras prints for the full models (BatchNormalization moving statistics excluded). */
const PUBLISHED_TRAINABLE: Array<[string, number]> = [
  ['InceptionV3', 23_817_352], ['Xception', 22_855_952], ['NASNetMobile', 5_289_978], ['InceptionResNetV2', 55_813_192],
];

describe('keras.applications totals match the published figures', () => {
  it.each(PUBLISHED)('%s: %d params', (ctor, total) => {
    const models = summarize(`from tensorflow import keras\n\nmodel = keras.applications.${ctor}(weights=None)\n`);
    expect(models).toHaveLength(1);
    expect(models[0].total_params).toBe(total);
    expect(models[0].output_shape).toEqual([null, 1000]);
  });

  it.each(PUBLISHED_TRAINABLE)('%s: %d trainable', (ctor, trainable) => {
    const [m] = summarize(`import keras\nmodel = keras.applications.${ctor}(weights=None)\n`);
    expect(m.trainable_params).toBe(trainable);
  });

  it.each(PUBLISHED_BASES)('%s: %d params', (call, total, trainable, shape) => {
    const models = summarize(`import tensorflow as tf\n\nbase = tf.keras.applications.${call}\n`);
    expect(models).toHaveLength(1);
    expect(models[0].total_params).toBe(total);
    if (trainable !== null) expect(models[0].trainable_params).toBe(trainable);
    expect(models[0].output_shape).toEqual(shape);
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
  it('MobileNet and MobileNetV2 are named after their width and input rows, as Keras names them', () => {
    const models = summarize(`import tensorflow as tf
base = tf.keras.applications.MobileNetV2(input_shape=(128, 128, 3), alpha=0.5, include_top=False, weights=None)
inputs = tf.keras.Input(shape=(128, 128, 3))
model = tf.keras.Model(inputs, base(inputs))
v1 = tf.keras.applications.MobileNet(input_shape=(160, 160, 3), include_top=False, weights=None)
inputs2 = tf.keras.Input(shape=(160, 160, 3))
model_v1 = tf.keras.Model(inputs2, v1(inputs2))
top = tf.keras.applications.MobileNetV2(weights=None)
inputs3 = tf.keras.Input(shape=(224, 224, 3))
model_top = tf.keras.Model(inputs3, top(inputs3))
open_size = tf.keras.applications.MobileNet(include_top=False, weights=None)
inputs4 = tf.keras.Input(shape=(96, 96, 3))
model_open = tf.keras.Model(inputs4, open_size(inputs4))
`);
    const nested = (name: string) => models.find((m) => m.name === name)?.layers.map((l) => l.path);
    expect(nested('model')).toEqual(['mobilenetv2_0.50_128']);
    expect(nested('model_v1')).toEqual(['mobilenet_1.00_160']);
    expect(nested('model_top')).toEqual(['mobilenetv2_1.00_224']);
    expect(nested('model_open')).toEqual(['mobilenet_1.00_None']);
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

describe('later keras.applications families: names, arguments, submodules', () => {
  const names = (m: Model) => m.layers.map((l) => l.path);
  const layer = (m: Model, path: string) => m.layers.find((l) => l.path === path);

  it('InceptionV3 auto-names its conv/BN/ReLU units and names the mixing blocks', () => {
    const [m] = summarize('from keras.applications.inception_v3 import InceptionV3\nmodel = InceptionV3(weights=None)\n');
    expect(names(m).slice(0, 4)).toEqual(['conv2d', 'batch_normalization', 'activation', 'conv2d_1']);
    // BatchNormalization(scale=False): beta only trainable, plus the two moving statistics.
    expect(layer(m, 'batch_normalization')).toMatchObject({ output_shape: [null, 149, 149, 32], params: 96 });
    for (const n of ['mixed0', 'mixed3', 'mixed7', 'mixed8', 'mixed9_0', 'mixed9', 'mixed9_1', 'mixed10', 'concatenate_1']) expect(names(m)).toContain(n);
    expect(layer(m, 'conv2d_93')).toMatchObject({ type: 'Conv2D', output_shape: [null, 8, 8, 192] });
    expect(layer(m, 'mixed10')?.output_shape).toEqual([null, 8, 8, 2048]);
    expect(names(m).slice(-2)).toEqual(['avg_pool', 'predictions']);
  });

  it('InceptionResNetV2: block35/17/8 residual units (mixed, conv with bias, CustomScaleLayer) and the 1536-channel conv_7b', () => {
    const [m] = summarize('from keras.applications.inception_resnet_v2 import InceptionResNetV2\nmodel = InceptionResNetV2(weights=None)\n');
    for (const n of ['mixed_5b', 'block35_1_mixed', 'block35_10_ac', 'mixed_6a', 'block17_20_conv', 'mixed_7a', 'block8_10_conv', 'conv_7b_bn']) expect(names(m)).toContain(n);
    // block35_1_conv: 1x1 from 32 + 32 + 64 = 128 channels back to 320, with bias, no BatchNormalization.
    expect(layer(m, 'block35_1_conv')).toMatchObject({ output_shape: [null, 35, 35, 320], params: 128 * 320 + 320 });
    expect(layer(m, 'custom_scale_layer')).toMatchObject({ type: 'CustomScaleLayer', output_shape: [null, 35, 35, 320], params: 0 });
    expect(names(m)).not.toContain('block8_10_ac');
    expect(layer(m, 'mixed_7a')?.output_shape).toEqual([null, 8, 8, 2080]);
    expect(names(m).slice(-2)).toEqual(['avg_pool', 'predictions']);
  });

  it('Xception: named separable blocks, unnamed residual projections and adds', () => {
    const [m] = summarize('from tensorflow.keras.applications import Xception\nmodel = Xception(weights=None, classes=10, classifier_activation=None)\n');
    expect(names(m).slice(0, 3)).toEqual(['block1_conv1', 'block1_conv1_bn', 'block1_conv1_act']);
    expect(layer(m, 'block2_sepconv1')).toMatchObject({ type: 'SeparableConv2D', output_shape: [null, 147, 147, 128], params: 64 * 9 + 64 * 128 });
    expect(names(m)).toContain('conv2d_3');
    expect(names(m)).toContain('add_11');
    expect(names(m)).not.toContain('add_12');
    expect(layer(m, 'block14_sepconv2_act')?.output_shape).toEqual([null, 10, 10, 2048]);
    expect(layer(m, 'predictions')?.params).toBe(2048 * 10 + 10);
  });

  it('MobileNetV3: minimalistic drops squeeze-excite and hard-swish, alpha widens the head', () => {
    const [full] = summarize('import keras\nmodel = keras.applications.MobileNetV3Large(weights=None, input_shape=(224, 224, 3))\n');
    expect(names(full).slice(0, 3)).toEqual(['rescaling', 'conv', 'conv_bn']);
    expect(layer(full, 'expanded_conv_3_squeeze_excite_conv')).toMatchObject({ output_shape: [null, 1, 1, 24] });
    expect(layer(full, 'conv_1')?.output_shape).toEqual([null, 7, 7, 960]);
    expect(layer(full, 'logits')?.params).toBe(1280 * 1000 + 1000);
    const [mini] = summarize('import keras\nmodel = keras.applications.MobileNetV3Small(minimalistic=True, include_preprocessing=False, weights=None)\n');
    expect(names(mini).some((n) => n.includes('squeeze_excite'))).toBe(false);
    expect(names(mini)).not.toContain('rescaling');
    expect(mini.layers.filter((l) => l.type === 'DepthwiseConv2D').every((l) => l.params % 9 === 0)).toBe(true);
    expect(mini.output_shape).toEqual([null, 1000]);
    const [wide] = summarize('import keras\nmodel = keras.applications.MobileNetV3Small(alpha=1.25, weights=None, classes=10)\n');
    // alpha > 1 rounds the last pointwise width up as well: _depth(1024 * 1.25) = 1280.
    expect(layer(wide, 'conv_2')).toMatchObject({ output_shape: [null, 1, 1, 1280] });
    expect(wide.output_shape).toEqual([null, 10]);
  });

  it('ConvNeXt: Sequential stem/downsampling, LayerScale weights, head names', () => {
    const [m] = summarize('from keras.applications.convnext import ConvNeXtTiny\nmodel = ConvNeXtTiny(weights=None)\n');
    expect(names(m).slice(0, 2)).toEqual(['convnext_tiny_prestem_normalization', 'convnext_tiny_stem']);
    expect(layer(m, 'convnext_tiny_prestem_normalization')?.params).toBe(0);
    expect(layer(m, 'convnext_tiny_stem')).toMatchObject({ type: 'Sequential', output_shape: [null, 56, 56, 96], params: 48 * 96 + 96 + 2 * 96 });
    expect(layer(m, 'convnext_tiny_stage_0_block_0_layer_scale')).toMatchObject({ type: 'LayerScale', params: 96 });
    expect(layer(m, 'convnext_tiny_stage_3_block_2_pointwise_conv_1')).toMatchObject({ output_shape: [null, 7, 7, 3072], params: 768 * 3072 + 3072 });
    expect(layer(m, 'convnext_tiny_downsampling_block_2')?.output_shape).toEqual([null, 7, 7, 768]);
    expect(names(m).slice(-3)).toEqual(['convnext_tiny_head_gap', 'convnext_tiny_head_layernorm', 'convnext_tiny_head_dense']);
  });

  it('NASNetMobile: cell names, adjust blocks and the 1056-channel output', () => {
    const [m] = summarize('from keras.applications.nasnet import NASNetMobile\nmodel = NASNetMobile(weights=None)\n');
    expect(names(m).slice(0, 2)).toEqual(['stem_conv1', 'stem_bn1']);
    for (const n of ['reduction_concat_stem_1', 'normal_concat_0', 'reduction_concat_reduce_4', 'normal_concat_5', 'reduction_concat_reduce_8', 'normal_concat_12', 'adjust_bn_stem_2']) {
      expect(names(m)).toContain(n);
    }
    expect(layer(m, 'normal_concat_12')?.output_shape).toEqual([null, 7, 7, 1056]);
    expect(layer(m, 'separable_conv_1_normal_left1_0')).toMatchObject({ type: 'SeparableConv2D', params: 44 * 25 + 44 * 44 });
    expect(names(m).at(-1)).toBe('predictions');
  });

  it('EfficientNetV2: fused and MBConv blocks, preprocessing by variant', () => {
    const [b0] = summarize('from keras.applications.efficientnet_v2 import EfficientNetV2B0\nmodel = EfficientNetV2B0(weights=None)\n');
    expect(names(b0).slice(0, 3)).toEqual(['rescaling', 'normalization', 'stem_conv']);
    expect(layer(b0, 'block1a_project_activation')?.output_shape).toEqual([null, 112, 112, 16]);
    expect(layer(b0, 'block2a_expand_conv')).toMatchObject({ output_shape: [null, 56, 56, 64], params: 9 * 16 * 64 });
    expect(layer(b0, 'block4a_se_reduce')).toMatchObject({ output_shape: [null, 1, 1, 12], params: 192 * 12 + 12 });
    expect(names(b0)).toContain('block6h_add');
    expect(names(b0).slice(-3)).toEqual(['avg_pool', 'top_dropout', 'predictions']);
    const [s] = summarize('from keras.applications.efficientnet_v2 import EfficientNetV2S\nmodel = EfficientNetV2S(weights=None, include_top=False, pooling="max")\n');
    expect(names(s)[0]).toBe('rescaling');
    expect(names(s)).not.toContain('normalization');
    expect(s.output_shape).toEqual([null, 1280]);
    expect(names(s).at(-1)).toBe('max_pool');
  });

  it('keras.applications.X forwards to its submodule with the same arguments', () => {
    const direct = summarize('from keras.applications.xception import Xception\nm = Xception(include_top=False, weights=None, input_shape=(150, 150, 3), pooling="avg")\n')[0];
    const top = summarize('import keras\nm = keras.applications.Xception(include_top=False, weights=None, input_shape=(150, 150, 3), pooling="avg")\n')[0];
    expect(top.total_params).toBe(direct.total_params);
    expect(top.layers.map((l) => l.path)).toEqual(direct.layers.map((l) => l.path));
    expect(top.output_shape).toEqual([null, 2048]);
  });
});

describe('keras.applications submodules as attributes', () => {
  it('tf.keras.applications.<submodule>.X and preprocess_input (TF tutorial: 2,259,265 total)', () => {
    const models = summarize(`import tensorflow as tf
inputs = tf.keras.Input(shape=(160, 160, 3))
x = tf.keras.applications.mobilenet_v2.preprocess_input(inputs)
base = tf.keras.applications.mobilenet_v2.MobileNetV2(input_shape=(160, 160, 3), include_top=False, weights="imagenet")
base.trainable = False
x = base(x, training=False)
x = tf.keras.layers.GlobalAveragePooling2D()(x)
model = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(x))
net = tf.keras.applications.efficientnet_v2.EfficientNetV2B0(weights=None)
incep = tf.keras.applications.inception_v3.InceptionV3(weights=None)
`);
    const model = models.find((m) => m.name === 'model')!;
    expect(model.total_params).toBe(2_259_265);
    expect(model.trainable_params).toBe(1_281);
    // The tutorial's summary lists preprocess_input's two operations (x / 127.5 - 1) before the base.
    expect(model.layers.slice(0, 3).map((l) => [l.path, l.type])).toEqual([
      ['tf.math.truediv', 'TFOpLambda'], ['tf.math.subtract', 'TFOpLambda'], ['mobilenetv2_1.00_160', 'Functional'],
    ]);
    expect(model.layers[2]).toMatchObject({ output_shape: [null, 5, 5, 1280] });
    expect(models.find((m) => m.name === 'net')?.total_params).toBe(7_200_312);
    expect(models.find((m) => m.name === 'incep')?.total_params).toBe(23_851_784);
  });
});

describe('later-family transfer-learning fixtures', () => {
  it('keras_inceptionv3_transfer.py: frozen InceptionV3 base under a pooled Dense head', () => {
    const models = summarize(readFileSync(join(FIXTURES, 'keras_inceptionv3_transfer.py'), 'utf8'));
    const model = models.find((m) => m.name === 'model')!;
    expect(model.output_shape).toEqual([null, 5]);
    expect(model.total_params).toBe(21_802_784 + (2048 * 1024 + 1024) + (1024 * 5 + 5));
    expect(model.trainable_params).toBe(2048 * 1024 + 1024 + 1024 * 5 + 5);
    expect(model.layers.find((l) => l.path === 'global_average_pooling2d')?.output_shape).toEqual([null, 2048]);
  });

  it('keras_convnext_submodules.py: two pooled backbones from submodule imports, concatenated', () => {
    const models = summarize(readFileSync(join(FIXTURES, 'keras_convnext_submodules.py'), 'utf8'));
    const model = models.find((m) => m.name === 'model')!;
    expect(model.layers.map((l) => [l.path, l.type])).toEqual([
      ['convnext_tiny', 'Functional'], ['efficientnetv2-b0', 'Functional'], ['concatenate', 'Concatenate'], ['dense', 'Dense'],
    ]);
    expect(model.total_params).toBe(27_820_128 + 5_919_312 + (768 + 1280) * 3 + 3);
    expect(model.output_shape).toEqual([null, 3]);
  });
});
