// torchvision.models.quantization's quantization-ready float models (quantize=False):
// QuantizableResNet, QuantizableMobileNetV2, QuantizableShuffleNetV2, written for TensorLens
// after torchvision 0.14's published definitions. Each is its float model with a QuantStub
// before and a DeQuantStub after the body, and its residual adds / concatenations made by a
// FloatFunctional (whose activation_post_process Identity is a row of torch's summary);
// the builders swap every ReLU / ReLU6 for ReLU(inplace=False) (_replace_relu).
// quantize=True (converted int8 modules) is not modelled.

import type { StubModule } from '../../../eval/modules';

const SOURCE = `
import torch
import torch.nn as nn
from torch.ao.quantization import QuantStub, DeQuantStub
from torch.ao.nn.quantized import FloatFunctional
from torchvision.models import BasicBlock, Bottleneck, ResNet, InvertedResidual, MobileNetV2, ShuffleNetV2, _ShuffleInvertedResidual, channel_shuffle


def _replace_relu(module):
    reassign = {}
    for name, mod in module.named_children():
        _replace_relu(mod)
        if type(mod) is nn.ReLU or type(mod) is nn.ReLU6:
            reassign[name] = nn.ReLU(inplace=False)
    for key, value in reassign.items():
        setattr(module, key, value)


def _no_quantize(quantize):
    if quantize:
        raise NotImplementedError("quantize=True (converted int8 modules) is not modelled")


class QuantizableBasicBlock(BasicBlock):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_relu = FloatFunctional()

    def forward(self, x):
        identity = x
        out = self.conv1(x)
        out = self.bn1(out)
        out = self.relu(out)
        out = self.conv2(out)
        out = self.bn2(out)
        if self.downsample is not None:
            identity = self.downsample(x)
        out = self.add_relu.add_relu(out, identity)
        return out


class QuantizableBottleneck(Bottleneck):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.skip_add_relu = FloatFunctional()
        self.relu1 = nn.ReLU(inplace=False)
        self.relu2 = nn.ReLU(inplace=False)

    def forward(self, x):
        identity = x
        out = self.conv1(x)
        out = self.bn1(out)
        out = self.relu1(out)
        out = self.conv2(out)
        out = self.bn2(out)
        out = self.relu2(out)
        out = self.conv3(out)
        out = self.bn3(out)
        if self.downsample is not None:
            identity = self.downsample(x)
        out = self.skip_add_relu.add_relu(out, identity)
        return out


class QuantizableResNet(ResNet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.quant = QuantStub()
        self.dequant = DeQuantStub()

    def forward(self, x):
        x = self.quant(x)
        x = super().forward(x)
        x = self.dequant(x)
        return x


def _resnet(block, layers, weights, progress, quantize, **kwargs):
    _no_quantize(quantize)
    model = QuantizableResNet(block, layers, **kwargs)
    _replace_relu(model)
    return model


def resnet18(*, weights=None, progress=True, quantize=False, **kwargs):
    return _resnet(QuantizableBasicBlock, [2, 2, 2, 2], weights, progress, quantize, **kwargs)


def resnet50(*, weights=None, progress=True, quantize=False, **kwargs):
    return _resnet(QuantizableBottleneck, [3, 4, 6, 3], weights, progress, quantize, **kwargs)


def resnext101_32x8d(*, weights=None, progress=True, quantize=False, **kwargs):
    return _resnet(QuantizableBottleneck, [3, 4, 23, 3], weights, progress, quantize, groups=32, width_per_group=8, **kwargs)


def resnext101_64x4d(*, weights=None, progress=True, quantize=False, **kwargs):
    return _resnet(QuantizableBottleneck, [3, 4, 23, 3], weights, progress, quantize, groups=64, width_per_group=4, **kwargs)


class QuantizableInvertedResidual(InvertedResidual):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.skip_add = FloatFunctional()

    def forward(self, x):
        if self.use_res_connect:
            return self.skip_add.add(x, self.conv(x))
        return self.conv(x)


class QuantizableMobileNetV2(MobileNetV2):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.quant = QuantStub()
        self.dequant = DeQuantStub()

    def forward(self, x):
        x = self.quant(x)
        x = super().forward(x)
        x = self.dequant(x)
        return x


def mobilenet_v2(*, weights=None, progress=True, quantize=False, **kwargs):
    _no_quantize(quantize)
    model = QuantizableMobileNetV2(block=QuantizableInvertedResidual, **kwargs)
    _replace_relu(model)
    return model


class _QuantizableShuffleInvertedResidual(_ShuffleInvertedResidual):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.cat = FloatFunctional()

    def forward(self, x):
        if self.stride == 1:
            x1, x2 = x.chunk(2, dim=1)
            out = self.cat.cat([x1, self.branch2(x2)], dim=1)
        else:
            out = self.cat.cat([self.branch1(x), self.branch2(x)], dim=1)
        out = channel_shuffle(out, 2)
        return out


class QuantizableShuffleNetV2(ShuffleNetV2):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, inverted_residual=_QuantizableShuffleInvertedResidual, **kwargs)
        self.quant = QuantStub()
        self.dequant = DeQuantStub()

    def forward(self, x):
        x = self.quant(x)
        x = super().forward(x)
        x = self.dequant(x)
        return x


def _shufflenetv2(stages_repeats, stages_out_channels, weights, progress, quantize, **kwargs):
    _no_quantize(quantize)
    model = QuantizableShuffleNetV2(stages_repeats, stages_out_channels, **kwargs)
    _replace_relu(model)
    return model


def shufflenet_v2_x0_5(*, weights=None, progress=True, quantize=False, **kwargs):
    return _shufflenetv2([4, 8, 4], [24, 48, 96, 192, 1024], weights, progress, quantize, **kwargs)


def shufflenet_v2_x1_0(*, weights=None, progress=True, quantize=False, **kwargs):
    return _shufflenetv2([4, 8, 4], [24, 116, 232, 464, 1024], weights, progress, quantize, **kwargs)


def shufflenet_v2_x1_5(*, weights=None, progress=True, quantize=False, **kwargs):
    return _shufflenetv2([4, 8, 4], [24, 176, 352, 704, 1024], weights, progress, quantize, **kwargs)


def shufflenet_v2_x2_0(*, weights=None, progress=True, quantize=False, **kwargs):
    return _shufflenetv2([4, 8, 4], [24, 244, 488, 976, 2048], weights, progress, quantize, **kwargs)
`;

export const TORCHVISION_QUANTIZATION: StubModule = {
  module: 'torchvision.models.quantization',
  source: SOURCE,
  aliases: ['torchvision.models.quantization.resnet', 'torchvision.models.quantization.mobilenetv2', 'torchvision.models.quantization.shufflenetv2'],
};
