// timm.create_model stubs against published parameter totals (there is no timm package
// here, so no live oracle). Where timm's architecture has the same weights as torchvision's
// (ResNet / ResNeXt / Wide ResNet, VGG — its ConvMlp pre-logits hold the same weights as
// torchvision's first two Linear layers —, DenseNet, EfficientNet B0-B3, MobileNetV2/V3,
// ConvNeXt, ViT-B/16, Swin-T/S/B) the exact totals are those published with torchvision's weights
// tables and timm's model cards round them to the same "Params (M)"; ViT-S/16 and ViT-Ti/16
// are exact totals from the DeiT / timm results tables (22,050,664 and 5,717,416).
// ResNet-26 has only a rounded figure: timm's model cards give "Params (M): 16.0", so it is
// checked against that rounding. Layer paths are checked against timm's module names.

import { beforeAll, describe, expect, it } from 'vitest';

interface Layer { path: string; type: string; output_shape: Array<number | null> | null; params: number }
interface Model { name: string; output_shape: Array<number | null> | null; total_params: number; layers: Layer[]; notes: string[] }
let summarize: (text: string) => { models: Model[] };

beforeAll(async () => {
  const { nodeAnalyzer } = await import('../../../src/node/wasm');
  const core = await import('../../../src/core/index');
  const analyzer = await nodeAnalyzer();
  summarize = (text) => core.toSummaryJson(analyzer.analyze(text, { fileName: 'timm_model.py' })) as unknown as { models: Model[] };
});

const build = (name: string, args = '', side = 224, chans = 3) =>
  `import torch\nimport timm\n\nmodel = timm.create_model(${JSON.stringify(name)}${args ? `, ${args}` : ''})\nmodel(torch.randn(1, ${chans}, ${side}, ${side}))\n`;

/** [timm name, published total params] (exact integers). */
const PUBLISHED: Array<[string, number]> = [
  ['resnet18', 11_689_512], ['resnet34', 21_797_672], ['resnet50', 25_557_032], ['resnet101', 44_549_160], ['resnet152', 60_192_808],
  ['resnext50_32x4d', 25_028_904], ['wide_resnet50_2', 68_883_240],
  ['vgg11', 132_863_336], ['vgg11_bn', 132_868_840], ['vgg13', 133_047_848], ['vgg16', 138_357_544], ['vgg16_bn', 138_365_992],
  ['vgg19', 143_667_240], ['vgg19_bn', 143_678_248],
  ['densenet121', 7_978_856], ['densenet161', 28_681_000], ['densenet169', 14_149_480], ['densenet201', 20_013_928],
  ['efficientnet_b0', 5_288_548], ['efficientnet_b1', 7_794_184], ['efficientnet_b2', 9_109_994], ['efficientnet_b3', 12_233_232],
  ['mobilenetv2_100', 3_504_872], ['mobilenetv3_large_100', 5_483_032], ['mobilenetv3_small_100', 2_542_856],
  ['convnext_tiny', 28_589_128], ['convnext_small', 50_223_688], ['convnext_base', 88_591_464],
  ['vit_tiny_patch16_224', 5_717_416], ['vit_small_patch16_224', 22_050_664], ['vit_base_patch16_224', 86_567_656],
  ['swin_tiny_patch4_window7_224', 28_288_354], ['swin_small_patch4_window7_224', 49_606_258], ['swin_base_patch4_window7_224', 87_768_224],
];

/** [timm name, published "Params (M)" with one decimal]. */
const ROUNDED: Array<[string, number]> = [['resnet26', 16.0]];

describe('timm.create_model totals match the published figures', () => {
  it.each(PUBLISHED)('%s: %d params', (name, total) => {
    const { models } = summarize(build(name));
    expect(models).toHaveLength(1);
    expect(models[0].total_params).toBe(total);
    expect(models[0].output_shape).toEqual([1, 1000]);
  });

  it.each(ROUNDED)('%s: %s M params (only a rounded figure is published)', (name, millions) => {
    const { models } = summarize(build(name));
    expect(Math.round(models[0].total_params / 100_000) / 10).toBe(millions);
    expect(models[0].output_shape).toEqual([1, 1000]);
  });
});

describe('timm module paths', () => {
  const paths = (name: string, side = 224) => summarize(build(name, '', side)).models[0].layers.map((l) => l.path);

  it('ResNet-50: act1 / drop_block / aa in the blocks, global_pool and fc', () => {
    const [m] = summarize(build('resnet50')).models;
    const p = m.layers.map((l) => l.path);
    expect(p.slice(0, 4)).toEqual(['conv1', 'bn1', 'act1', 'maxpool']);
    expect(p.slice(4, 17)).toEqual([
      'layer1.0.conv1', 'layer1.0.bn1', 'layer1.0.act1', 'layer1.0.conv2', 'layer1.0.bn2', 'layer1.0.drop_block', 'layer1.0.act2',
      'layer1.0.aa', 'layer1.0.conv3', 'layer1.0.bn3', 'layer1.0.downsample.0', 'layer1.0.downsample.1', 'layer1.0.act3',
    ]);
    expect(m.layers.slice(-3).map((l) => [l.path, l.type, l.output_shape])).toEqual([
      ['global_pool.pool', 'AdaptiveAvgPool2d', [1, 2048, 1, 1]], ['global_pool.flatten', 'Flatten', [1, 2048]], ['fc', 'Linear', [1, 1000]],
    ]);
  });

  it('VGG-16: features, the ConvMlp pre_logits and the ClassifierHead', () => {
    const [m] = summarize(build('vgg16')).models;
    const byPath = new Map(m.layers.map((l) => [l.path, l]));
    expect(byPath.get('pre_logits.fc1')).toMatchObject({ type: 'Conv2d', output_shape: [1, 4096, 1, 1], params: 512 * 4096 * 49 + 4096 });
    expect(byPath.get('pre_logits.fc2')).toMatchObject({ type: 'Conv2d', params: 4096 * 4096 + 4096 });
    expect(m.layers.slice(-5).map((l) => l.path)).toEqual(['head.global_pool.pool', 'head.global_pool.flatten', 'head.drop', 'head.fc', 'head.flatten']);
    expect(m.output_shape).toEqual([1, 1000]);
  });

  it('EfficientNet-B0: conv_stem, bn1 (BatchNormAct2d), blocks.i.j, conv_head, bn2, global_pool, classifier', () => {
    const p = paths('efficientnet_b0');
    expect(p.slice(0, 3)).toEqual(['conv_stem', 'bn1.drop', 'bn1.act']);
    expect(p).toContain('blocks.0.0.conv_dw');
    expect(p).toContain('blocks.0.0.se.conv_reduce');
    expect(p).toContain('blocks.1.0.conv_pw');
    expect(p).toContain('blocks.6.0.conv_pwl');
    expect(p.slice(-6)).toEqual(['conv_head', 'bn2.drop', 'bn2.act', 'global_pool.pool', 'global_pool.flatten', 'classifier']);
  });

  it('MobileNetV3-Large: pooling before conv_head, then act2, flatten, classifier', () => {
    const [m] = summarize(build('mobilenetv3_large_100')).models;
    expect(m.layers.slice(-6).map((l) => [l.path, l.output_shape])).toEqual([
      ['global_pool.pool', [1, 960, 1, 1]], ['global_pool.flatten', [1, 960, 1, 1]], ['conv_head', [1, 1280, 1, 1]],
      ['act2', [1, 1280, 1, 1]], ['flatten', [1, 1280]], ['classifier', [1, 1000]],
    ]);
    expect(m.layers.find((l) => l.path === 'blocks.6.0.conv')).toMatchObject({ output_shape: [1, 960, 7, 7] });
  });

  it('ConvNeXt-T: stem, stages.i.downsample / blocks.j, NormMlp head', () => {
    const p = paths('convnext_tiny', 64);
    expect(p.slice(0, 2)).toEqual(['stem.0', 'stem.1']);
    expect(p).toContain('stages.0.blocks.0.conv_dw');
    expect(p).toContain('stages.0.blocks.0.mlp.fc1');
    expect(p).toContain('stages.1.downsample.1');
    expect(p.slice(-7)).toEqual(['head.global_pool.pool', 'head.global_pool.flatten', 'head.norm', 'head.flatten', 'head.pre_logits', 'head.drop', 'head.fc']);
  });

  it('ViT-B/16: patch_embed.proj, blocks.i.attn.qkv, norm, head', () => {
    const [m] = summarize(build('vit_base_patch16_224')).models;
    const byPath = new Map(m.layers.map((l) => [l.path, l]));
    expect(byPath.get('patch_embed.proj')).toMatchObject({ output_shape: [1, 768, 14, 14], params: 3 * 768 * 256 + 768 });
    expect(byPath.get('blocks.0.attn.qkv')).toMatchObject({ output_shape: [1, 197, 2304], params: 768 * 2304 + 2304 });
    expect(byPath.get('blocks.11.mlp.fc2')).toMatchObject({ output_shape: [1, 197, 768] });
    expect(m.layers.slice(-4).map((l) => [l.path, l.output_shape])).toEqual([
      ['norm', [1, 197, 768]], ['fc_norm', [1, 768]], ['head_drop', [1, 768]], ['head', [1, 1000]],
    ]);
  });
});

describe('timm Swin Transformer (timm >= 0.9 layout)', () => {
  const row = (l: Layer) => [l.path, l.type, l.output_shape, l.params];

  it('Swin-T: patch_embed, PatchMerging first in stages 1-3, windowed attention, NHWC head', () => {
    const [m] = summarize(build('swin_tiny_patch4_window7_224')).models;
    const byPath = new Map(m.layers.map((l) => [l.path, l]));
    expect(m.layers.slice(0, 5).map(row)).toEqual([
      ['patch_embed.proj', 'Conv2d', [1, 96, 56, 56], 3 * 96 * 16 + 96],
      ['patch_embed.norm', 'LayerNorm', [1, 56, 56, 96], 192],
      ['layers.0.downsample', 'Identity', [1, 56, 56, 96], 0],
      ['layers.0.blocks.0.norm1', 'LayerNorm', [1, 56, 56, 96], 192],
      // 56x56 tokens in 64 windows of 7x7.
      ['layers.0.blocks.0.attn.qkv', 'Linear', [64, 49, 288], 96 * 288 + 288],
    ]);
    expect(row(byPath.get('layers.0.blocks.1.attn.proj')!)).toEqual(['layers.0.blocks.1.attn.proj', 'Linear', [64, 49, 96], 96 * 96 + 96]);
    expect(row(byPath.get('layers.0.blocks.0.mlp.fc1')!)).toEqual(['layers.0.blocks.0.mlp.fc1', 'Linear', [1, 3136, 384], 96 * 384 + 384]);
    expect(row(byPath.get('layers.1.downsample.norm')!)).toEqual(['layers.1.downsample.norm', 'LayerNorm', [1, 28, 28, 384], 768]);
    expect(row(byPath.get('layers.1.downsample.reduction')!)).toEqual(['layers.1.downsample.reduction', 'Linear', [1, 28, 28, 192], 384 * 192]);
    expect(byPath.get('layers.2.blocks.5.attn.qkv')).toMatchObject({ output_shape: [4, 49, 1152] });
    // The last stage is one 7x7 window: no shift, one window per image.
    expect(byPath.get('layers.3.blocks.1.attn.qkv')).toMatchObject({ output_shape: [1, 49, 2304] });
    expect(byPath.get('layers.3.blocks.1.mlp.fc2')).toMatchObject({ output_shape: [1, 49, 768] });
    expect(m.layers.slice(-6).map(row)).toEqual([
      ['norm', 'LayerNorm', [1, 7, 7, 768], 1536],
      ['head.global_pool.pool', 'FastAdaptiveAvgPool', [1, 768], 0],
      ['head.global_pool.flatten', 'Identity', [1, 768], 0],
      ['head.drop', 'Dropout', [1, 768], 0],
      ['head.fc', 'Linear', [1, 1000], 768 * 1000 + 1000],
      ['head.flatten', 'Identity', [1, 1000], 0],
    ]);
    // Each block's relative position bias table, (2*7-1)^2 x heads, is a parameter of its attn
    // module (not of a leaf layer row): blocks x heads are 2x3 + 2x6 + 6x12 + 2x24.
    const inRows = m.layers.reduce((n, l) => n + l.params, 0);
    expect(m.total_params - inRows).toBe(13 * 13 * (2 * 3 + 2 * 6 + 6 * 12 + 2 * 24));
  });

  it('Swin-B: 128-wide embedding, 4-32 heads and 18 blocks in stage 2', () => {
    const [m] = summarize(build('swin_base_patch4_window7_224.ms_in22k_ft_in1k', 'pretrained=True')).models;
    const p = m.layers.map((l) => l.path);
    expect(p).toContain('layers.2.blocks.17.attn.qkv');
    expect(p).not.toContain('layers.2.blocks.18.attn.qkv');
    expect(m.layers.find((l) => l.path === 'layers.3.downsample.reduction')).toMatchObject({ output_shape: [1, 7, 7, 1024], params: 2048 * 1024 });
    expect(m.total_params - m.layers.reduce((n, l) => n + l.params, 0)).toBe(13 * 13 * (2 * 4 + 2 * 8 + 18 * 16 + 2 * 32));
  });

  it('img_size sets the stage resolutions: windows shrink to a small stage and get padded', () => {
    const [m] = summarize(build('swin_tiny_patch4_window7_224', 'img_size=64, num_classes=0', 64).replace('randn(1,', 'randn(2,')).models;
    expect(m.output_shape).toEqual([2, 768]);
    const byPath = new Map(m.layers.map((l) => [l.path, l]));
    // 16x16 tokens padded to 21x21: 9 windows per image.
    expect(byPath.get('layers.0.blocks.0.attn.qkv')).toMatchObject({ output_shape: [18, 49, 288] });
    // Stages 2 and 3 (4x4 and 2x2) become one window each, with smaller bias tables.
    expect(byPath.get('layers.2.blocks.0.attn.qkv')).toMatchObject({ output_shape: [2, 16, 1152] });
    expect(byPath.get('layers.3.blocks.0.attn.qkv')).toMatchObject({ output_shape: [2, 4, 2304] });
    expect(m.total_params).toBe(28_288_354 - (768 * 1000 + 1000) - (13 * 13 - 7 * 7) * 6 * 12 - (13 * 13 - 3 * 3) * 2 * 24);
  });

  it('an input that is not img_size stops at patch_embed with a clear note (timm asserts)', () => {
    const [m] = summarize(build('swin_tiny_patch4_window7_224', '', 64)).models;
    expect(m.output_shape).toBeNull();
    expect(m.notes.join('\n')).toMatch(/input_size_differs_from_img_size_and_strict_img_size_is_set\(\)/);
  });

  it('reset_classifier and list_models know the Swin names', () => {
    const { models } = summarize('import torch\nimport timm\n\nnames = timm.list_models("swin*")\nmodel = timm.create_model(names[-1])\nmodel.reset_classifier(5)\nmodel(torch.randn(1, 3, 224, 224))\n');
    // Sorted: swin_tiny_patch4_window7_224 comes last.
    expect(models[0].output_shape).toEqual([1, 5]);
    expect(models[0].total_params).toBe(28_288_354 - (768 * 1000 + 1000) + (768 * 5 + 5));
  });
});

describe('create_model arguments', () => {
  it('num_classes=0 leaves an Identity head (a feature extractor) and a pretrained tag is accepted', () => {
    const [m] = summarize(build('resnet50.a1_in1k', 'pretrained=True, num_classes=0')).models;
    expect(m.total_params).toBe(25_557_032 - (2048 * 1000 + 1000));
    expect(m.output_shape).toEqual([1, 2048]);
    expect(m.layers.at(-1)).toMatchObject({ path: 'fc', type: 'Identity' });
  });

  it('in_chans and num_classes size the stem and the classifier', () => {
    const [m] = summarize(build('efficientnet_b0', 'in_chans=1, num_classes=10, drop_rate=0.2', 128, 1)).models;
    expect(m.total_params).toBe(5_288_548 - 2 * 32 * 9 - (1280 * 1000 + 1000) + (1280 * 10 + 10));
    expect(m.output_shape).toEqual([1, 10]);
  });

  it('global_pool="catavgmax" doubles the pooled features; global_pool="" keeps the feature map', () => {
    const [cat] = summarize(build('resnet18', 'global_pool="catavgmax"')).models;
    expect(cat.total_params).toBe(11_689_512 + 512 * 1000);
    const [raw] = summarize(build('resnet18', 'num_classes=0, global_pool=""')).models;
    expect(raw.output_shape).toEqual([1, 512, 7, 7]);
  });

  it('reset_classifier(n) replaces the head', () => {
    const { models } = summarize('import torch\nimport timm\n\nmodel = timm.create_model("convnext_tiny", pretrained=True)\nmodel.reset_classifier(7)\nmodel(torch.randn(1, 3, 64, 64))\n');
    expect(models[0].output_shape).toEqual([1, 7]);
    expect(models[0].total_params).toBe(28_589_128 - (768 * 1000 + 1000) + (768 * 7 + 7));
  });

  it('a timm model as a backbone inside a module', () => {
    const { models } = summarize(`import torch
import torch.nn as nn
import timm


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = timm.create_model("vit_small_patch16_224", pretrained=True, num_classes=0)
        self.head = nn.Linear(self.backbone.num_features, 3)

    def forward(self, x):
        return self.head(self.backbone(x))


model = Net()
model(torch.randn(2, 3, 224, 224))
`);
    const net = models.find((m) => m.name === 'Net')!;
    expect(net.output_shape).toEqual([2, 3]);
    expect(net.total_params).toBe(22_050_664 - (384 * 1000 + 1000) + (384 * 3 + 3));
    expect(net.layers[0].path).toBe('backbone.patch_embed.proj');
  });

  it('an unknown name and features_only=True give a clear Unknown, not a crash', () => {
    const net = (call: string) => summarize(`import torch
import torch.nn as nn
import timm


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = ${call}
        self.head = nn.Linear(512, 10)

    def forward(self, x):
        return self.head(self.backbone(x))


model = Net()
model(torch.randn(1, 3, 64, 64))
`);
    const unknown = net('timm.create_model("resnet_does_not_exist", num_classes=0)');
    expect(unknown.models[0].output_shape).toBeNull();
    expect(unknown.models[0].notes.join('\n')).toMatch(/'resnet_does_not_exist' not found in timm/);
    const feats = net('timm.create_model("resnet50", features_only=True)');
    expect(feats.models[0].output_shape).toBeNull();
    expect(feats.models[0].notes.join('\n')).toMatch(/features_only_is_not_modelled_by_tensorlens\(\)/);
  });

  it('list_models lists the modelled names, filtered by a pattern', () => {
    const { models } = summarize('import torch\nimport timm\n\nnames = timm.list_models("convnext*")\nmodel = timm.create_model(names[0])\nmodel(torch.randn(1, 3, 64, 64))\n');
    // Sorted: convnext_base comes first.
    expect(models[0].total_params).toBe(88_591_464);
  });
});
