// `timm` as one Python stub module: `timm.create_model(name, pretrained=False,
// num_classes=1000, in_chans=3, ...)` and `timm.list_models()` over the common timm names
// of the families torchvision covers (ResNet / ResNeXt / Wide ResNet, VGG, DenseNet,
// EfficientNet B0-B3, MobileNetV2 / V3, ConvNeXt, ViT, Swin), with timm's module paths.
// Swin is a separate stub module (timm.models.swin_transformer, ./swin.ts) run on first use.
// Weights change no shape: `pretrained` and a `.tag` suffix (`resnet50.a1_in1k`) are accepted
// and ignored. An unknown name or `features_only=True` stops with a clear message.

import type { StubModule } from '../../../eval/modules';
import { TIMM_CNN } from './cnn';
import { TIMM_LAYERS } from './layers';
import { TIMM_MOBILE } from './mobile';
import { TIMM_SWIN, TIMM_SWIN_MODULE } from './swin';
import { TIMM_TRANSFORMER } from './transformer';

const FACTORY = `
def _resnet(block, layers, **kw):
    return lambda **kwargs: ResNet(block, layers, **kw, **kwargs)


def _vgg(cfg, bn):
    return lambda **kwargs: VGG(VGG_CFGS[cfg], norm_layer=nn.BatchNorm2d if bn else None, **kwargs)


def _densenet(growth_rate, block_config):
    return lambda **kwargs: DenseNet(growth_rate=growth_rate, block_config=block_config, **kwargs)


def _effnet(cm, dm):
    return lambda **kwargs: _efficientnet(cm, dm, **kwargs)


def _convnext(depths, dims):
    return lambda **kwargs: ConvNeXt(depths=depths, dims=dims, **kwargs)


def _vit(embed_dim, depth, num_heads):
    return lambda **kwargs: VisionTransformer(patch_size=16, embed_dim=embed_dim, depth=depth, num_heads=num_heads, **kwargs)


def _swin(name):
    def build(**kwargs):
        # Swin lives in its own stub module, parsed only when a Swin model is created.
        from timm.models import swin_transformer
        return getattr(swin_transformer, name)(**kwargs)
    return build


_MODELS = {
    'resnet18': _resnet(BasicBlock, [2, 2, 2, 2]),
    'resnet26': _resnet(Bottleneck, [2, 2, 2, 2]),
    'resnet34': _resnet(BasicBlock, [3, 4, 6, 3]),
    'resnet50': _resnet(Bottleneck, [3, 4, 6, 3]),
    'resnet101': _resnet(Bottleneck, [3, 4, 23, 3]),
    'resnet152': _resnet(Bottleneck, [3, 8, 36, 3]),
    'resnext50_32x4d': _resnet(Bottleneck, [3, 4, 6, 3], cardinality=32, base_width=4),
    'resnext101_32x8d': _resnet(Bottleneck, [3, 4, 23, 3], cardinality=32, base_width=8),
    'wide_resnet50_2': _resnet(Bottleneck, [3, 4, 6, 3], base_width=128),
    'wide_resnet101_2': _resnet(Bottleneck, [3, 4, 23, 3], base_width=128),
    'vgg11': _vgg('vgg11', False), 'vgg11_bn': _vgg('vgg11', True),
    'vgg13': _vgg('vgg13', False), 'vgg13_bn': _vgg('vgg13', True),
    'vgg16': _vgg('vgg16', False), 'vgg16_bn': _vgg('vgg16', True),
    'vgg19': _vgg('vgg19', False), 'vgg19_bn': _vgg('vgg19', True),
    'densenet121': _densenet(32, (6, 12, 24, 16)),
    'densenet161': _densenet(48, (6, 12, 36, 24)),
    'densenet169': _densenet(32, (6, 12, 32, 32)),
    'densenet201': _densenet(32, (6, 12, 48, 32)),
    'efficientnet_b0': _effnet(1.0, 1.0),
    'efficientnet_b1': _effnet(1.0, 1.1),
    'efficientnet_b2': _effnet(1.1, 1.2),
    'efficientnet_b3': _effnet(1.2, 1.4),
    'mobilenetv2_100': lambda **kwargs: _mobilenetv2(1.0, **kwargs),
    'mobilenetv3_large_100': lambda **kwargs: _mobilenetv3(MOBILENETV3_LARGE_ARCH, 1280, **kwargs),
    'mobilenetv3_small_100': lambda **kwargs: _mobilenetv3(MOBILENETV3_SMALL_ARCH, 1024, **kwargs),
    'convnext_tiny': _convnext((3, 3, 9, 3), (96, 192, 384, 768)),
    'convnext_small': _convnext((3, 3, 27, 3), (96, 192, 384, 768)),
    'convnext_base': _convnext((3, 3, 27, 3), (128, 256, 512, 1024)),
    'convnext_large': _convnext((3, 3, 27, 3), (192, 384, 768, 1536)),
    'vit_tiny_patch16_224': _vit(192, 12, 3),
    'vit_small_patch16_224': _vit(384, 12, 6),
    'vit_base_patch16_224': _vit(768, 12, 12),
    'vit_large_patch16_224': _vit(1024, 24, 16),
    'swin_tiny_patch4_window7_224': _swin('swin_tiny_patch4_window7_224'),
    'swin_small_patch4_window7_224': _swin('swin_small_patch4_window7_224'),
    'swin_base_patch4_window7_224': _swin('swin_base_patch4_window7_224'),
}


def list_models(filter='', pretrained=False, **kwargs):
    names = sorted(_MODELS.keys())
    if filter:
        pattern = filter.replace('*', '')
        names = [n for n in names if pattern in n]
    return names


def is_model(model_name):
    return model_name.split('.')[0] in _MODELS


def features_only_is_not_modelled_by_tensorlens():
    raise NotImplementedError('timm.create_model(..., features_only=True)')


def create_model(model_name, pretrained=False, pretrained_cfg=None, pretrained_cfg_overlay=None, checkpoint_path=None,
                 scriptable=None, exportable=None, no_jit=None, features_only=False, **kwargs):
    if features_only:
        return features_only_is_not_modelled_by_tensorlens()
    name = model_name.split('.')[0]
    if name.startswith('timm/') or name.startswith('hf_hub:') or name.startswith('hf-hub:'):
        name = name.split('/')[-1]
    if name not in _MODELS:
        # Unknown here reads "'<name>' not found in timm" in the summary's notes.
        import timm
        return getattr(timm, model_name)
    return _MODELS[name](**kwargs)
`;

export const TIMM_STUB: StubModule = {
  module: 'timm',
  source: [TIMM_LAYERS, TIMM_CNN, TIMM_MOBILE, TIMM_TRANSFORMER, FACTORY].join('\n'),
  aliases: ['timm.models'],
};

/** \`timm.models.swin_transformer\`: Swin's classes and constructors, parsed only when used. */
export const TIMM_SWIN_STUB: StubModule = {
  module: TIMM_SWIN_MODULE,
  source: TIMM_SWIN,
};

/** Every timm stub module. */
export const TIMM_STUBS: StubModule[] = [TIMM_STUB, TIMM_SWIN_STUB];
