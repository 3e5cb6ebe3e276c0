// torchvision.models as one Python stub module (written for TensorLens after torchvision
// 0.14's published architecture definitions), reachable under its submodule aliases
// (`torchvision.models.resnet`, `torchvision.models.vgg`, ...). `torchvision.models.alexnet`
// and `.googlenet` are left out: there the function shadows the submodule, as in torchvision.

import type { StubModule } from '../../../eval/modules';
import { TV_CLASSIC } from './classic';
import { TV_INCEPTION } from './inception';
import { TV_MAXVIT } from './maxvit';
import { TV_MOBILE } from './mobile';
import { TV_OPS } from './ops';
import { TV_TRANSFORMER } from './transformer';

/** `<Arch>_Weights` enums: members are plain strings (weights change no shape). */
const WEIGHTS: Record<string, string[]> = {
  AlexNet: [], ConvNeXt_Base: [], ConvNeXt_Large: [], ConvNeXt_Small: [], ConvNeXt_Tiny: [],
  DenseNet121: [], DenseNet161: [], DenseNet169: [], DenseNet201: [],
  EfficientNet_B0: [], EfficientNet_B1: ['IMAGENET1K_V2'], EfficientNet_B2: [], EfficientNet_B3: [], EfficientNet_B4: [],
  EfficientNet_B5: [], EfficientNet_B6: [], EfficientNet_B7: [], EfficientNet_V2_L: [], EfficientNet_V2_M: [], EfficientNet_V2_S: [],
  GoogLeNet: [], Inception_V3: [], MaxVit_T: [], MNASNet0_5: [], MNASNet0_75: [], MNASNet1_0: [], MNASNet1_3: [],
  MobileNet_V2: ['IMAGENET1K_V2'], MobileNet_V3_Large: ['IMAGENET1K_V2'], MobileNet_V3_Small: [],
  RegNet_X_16GF: ['IMAGENET1K_V2'], RegNet_X_1_6GF: ['IMAGENET1K_V2'], RegNet_X_32GF: ['IMAGENET1K_V2'], RegNet_X_3_2GF: ['IMAGENET1K_V2'],
  RegNet_X_400MF: ['IMAGENET1K_V2'], RegNet_X_800MF: ['IMAGENET1K_V2'], RegNet_X_8GF: ['IMAGENET1K_V2'],
  RegNet_Y_16GF: ['IMAGENET1K_V2', 'IMAGENET1K_SWAG_E2E_V1', 'IMAGENET1K_SWAG_LINEAR_V1'], RegNet_Y_1_6GF: ['IMAGENET1K_V2'],
  RegNet_Y_32GF: ['IMAGENET1K_V2', 'IMAGENET1K_SWAG_E2E_V1', 'IMAGENET1K_SWAG_LINEAR_V1'], RegNet_Y_3_2GF: ['IMAGENET1K_V2'],
  RegNet_Y_400MF: ['IMAGENET1K_V2'], RegNet_Y_800MF: ['IMAGENET1K_V2'], RegNet_Y_8GF: ['IMAGENET1K_V2'],
  ResNeXt101_32X8D: ['IMAGENET1K_V2'], ResNeXt101_64X4D: [], ResNeXt50_32X4D: ['IMAGENET1K_V2'],
  ResNet101: ['IMAGENET1K_V2'], ResNet152: ['IMAGENET1K_V2'], ResNet18: [], ResNet34: [], ResNet50: ['IMAGENET1K_V2'],
  ShuffleNet_V2_X0_5: [], ShuffleNet_V2_X1_0: [], ShuffleNet_V2_X1_5: [], ShuffleNet_V2_X2_0: [],
  SqueezeNet1_0: [], SqueezeNet1_1: [], Swin_B: [], Swin_S: [], Swin_T: [], Swin_V2_B: [], Swin_V2_S: [], Swin_V2_T: [],
  VGG11_BN: [], VGG11: [], VGG13_BN: [], VGG13: [], VGG16_BN: [], VGG16: ['IMAGENET1K_FEATURES'], VGG19_BN: [], VGG19: [],
  ViT_B_16: ['IMAGENET1K_SWAG_E2E_V1', 'IMAGENET1K_SWAG_LINEAR_V1'], ViT_B_32: [],
  ViT_L_16: ['IMAGENET1K_SWAG_E2E_V1', 'IMAGENET1K_SWAG_LINEAR_V1'], ViT_L_32: [],
  Wide_ResNet101_2: ['IMAGENET1K_V2'], Wide_ResNet50_2: ['IMAGENET1K_V2'],
};

const WEIGHT_ENUMS = Object.entries(WEIGHTS)
  .map(([arch, extra]) => {
    const members = ['IMAGENET1K_V1', ...extra].map((m) => `    ${m} = "${arch}_Weights.${m}"`);
    const best = extra.includes('IMAGENET1K_V2') ? 'IMAGENET1K_V2' : 'IMAGENET1K_V1';
    return `class ${arch}_Weights:\n${members.join('\n')}\n    DEFAULT = "${arch}_Weights.${best}"\n`;
  })
  .join('\n');

export const TORCHVISION_MODELS: StubModule = {
  module: 'torchvision.models',
  source: [TV_OPS, TV_CLASSIC, TV_INCEPTION, TV_MOBILE, TV_TRANSFORMER, TV_MAXVIT, WEIGHT_ENUMS].join('\n'),
  aliases: [
    'torchvision.models.resnet', 'torchvision.models.vgg', 'torchvision.models.squeezenet', 'torchvision.models.densenet',
    'torchvision.models.inception', 'torchvision.models.mobilenetv2', 'torchvision.models.mobilenetv3',
    'torchvision.models.mobilenet', 'torchvision.models.shufflenetv2', 'torchvision.models.mnasnet',
    'torchvision.models.efficientnet', 'torchvision.models.regnet', 'torchvision.models.convnext',
    'torchvision.models.vision_transformer', 'torchvision.models.swin_transformer', 'torchvision.models.maxvit',
    // The building blocks are torchvision.ops' own (Conv2dNormActivation, SqueezeExcitation, MLP, StochasticDepth, Permute).
    'torchvision.ops', 'torchvision.ops.misc', 'torchvision.ops.stochastic_depth',
    'torchvision.ops.deform_conv', 'torchvision.ops.roi_align', 'torchvision.ops.roi_pool', 'torchvision.ops.poolers',
    'torchvision.ops.feature_pyramid_network', 'torchvision.ops.drop_block',
  ],
};
