// torchvision.models.segmentation (FCN, DeepLabV3, LRASPP on ResNet / MobileNetV3 backbones)
// and torchvision.models._utils.IntermediateLayerGetter, written for TensorLens after
// torchvision 0.14's published definitions: same children, same names, same forward (a dict
// of outputs keyed 'out' / 'aux'). The backbones are torchvision.models' own stubs.

import type { StubModule } from '../../../eval/modules';

const SOURCE = `
from collections import OrderedDict
import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision.models import resnet50, resnet101, mobilenet_v3_large


class IntermediateLayerGetter(nn.ModuleDict):
    def __init__(self, model, return_layers):
        if not set(return_layers).issubset([name for name, _ in model.named_children()]):
            raise ValueError("return_layers are not present in model")
        orig_return_layers = return_layers
        return_layers = {str(k): str(v) for k, v in return_layers.items()}
        layers = OrderedDict()
        for name, module in model.named_children():
            layers[name] = module
            if name in return_layers:
                del return_layers[name]
            if not return_layers:
                break
        super().__init__(layers)
        self.return_layers = orig_return_layers

    def forward(self, x):
        out = OrderedDict()
        for name, module in self.items():
            x = module(x)
            if name in self.return_layers:
                out_name = self.return_layers[name]
                out[out_name] = x
        return out


class _SimpleSegmentationModel(nn.Module):
    def __init__(self, backbone, classifier, aux_classifier=None):
        super().__init__()
        self.backbone = backbone
        self.classifier = classifier
        self.aux_classifier = aux_classifier

    def forward(self, x):
        input_shape = x.shape[-2:]
        features = self.backbone(x)
        result = OrderedDict()
        x = features["out"]
        x = self.classifier(x)
        x = F.interpolate(x, size=input_shape, mode="bilinear", align_corners=False)
        result["out"] = x
        if self.aux_classifier is not None:
            x = features["aux"]
            x = self.aux_classifier(x)
            x = F.interpolate(x, size=input_shape, mode="bilinear", align_corners=False)
            result["aux"] = x
        return result


class FCN(_SimpleSegmentationModel):
    pass


class DeepLabV3(_SimpleSegmentationModel):
    pass


class FCNHead(nn.Sequential):
    def __init__(self, in_channels, channels):
        inter_channels = in_channels // 4
        layers = [
            nn.Conv2d(in_channels, inter_channels, 3, padding=1, bias=False),
            nn.BatchNorm2d(inter_channels),
            nn.ReLU(),
            nn.Dropout(0.1),
            nn.Conv2d(inter_channels, channels, 1),
        ]
        super().__init__(*layers)


class ASPPConv(nn.Sequential):
    def __init__(self, in_channels, out_channels, dilation):
        modules = [
            nn.Conv2d(in_channels, out_channels, 3, padding=dilation, dilation=dilation, bias=False),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(),
        ]
        super().__init__(*modules)


class ASPPPooling(nn.Sequential):
    def __init__(self, in_channels, out_channels):
        super().__init__(
            nn.AdaptiveAvgPool2d(1),
            nn.Conv2d(in_channels, out_channels, 1, bias=False),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(),
        )

    def forward(self, x):
        size = x.shape[-2:]
        for mod in self:
            x = mod(x)
        return F.interpolate(x, size=size, mode="bilinear", align_corners=False)


class ASPP(nn.Module):
    def __init__(self, in_channels, atrous_rates, out_channels=256):
        super().__init__()
        modules = []
        modules.append(nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, bias=False), nn.BatchNorm2d(out_channels), nn.ReLU()))
        rates = tuple(atrous_rates)
        for rate in rates:
            modules.append(ASPPConv(in_channels, out_channels, rate))
        modules.append(ASPPPooling(in_channels, out_channels))
        self.convs = nn.ModuleList(modules)
        self.project = nn.Sequential(
            nn.Conv2d(len(self.convs) * out_channels, out_channels, 1, bias=False),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(),
            nn.Dropout(0.5),
        )

    def forward(self, x):
        _res = []
        for conv in self.convs:
            _res.append(conv(x))
        res = torch.cat(_res, dim=1)
        return self.project(res)


class DeepLabHead(nn.Sequential):
    def __init__(self, in_channels, num_classes):
        super().__init__(
            ASPP(in_channels, [12, 24, 36]),
            nn.Conv2d(256, 256, 3, padding=1, bias=False),
            nn.BatchNorm2d(256),
            nn.ReLU(),
            nn.Conv2d(256, num_classes, 1),
        )


class LRASPPHead(nn.Module):
    def __init__(self, low_channels, high_channels, num_classes, inter_channels):
        super().__init__()
        self.cbr = nn.Sequential(
            nn.Conv2d(high_channels, inter_channels, 1, bias=False),
            nn.BatchNorm2d(inter_channels),
            nn.ReLU(inplace=True),
        )
        self.scale = nn.Sequential(
            nn.AdaptiveAvgPool2d(1),
            nn.Conv2d(high_channels, inter_channels, 1, bias=False),
            nn.Sigmoid(),
        )
        self.low_classifier = nn.Conv2d(low_channels, num_classes, 1)
        self.high_classifier = nn.Conv2d(inter_channels, num_classes, 1)

    def forward(self, input):
        low = input["low"]
        high = input["high"]
        x = self.cbr(high)
        s = self.scale(high)
        x = x * s
        x = F.interpolate(x, size=low.shape[-2:], mode="bilinear", align_corners=False)
        return self.low_classifier(low) + self.high_classifier(x)


class LRASPP(nn.Module):
    def __init__(self, backbone, low_channels, high_channels, num_classes, inter_channels=128):
        super().__init__()
        self.backbone = backbone
        self.classifier = LRASPPHead(low_channels, high_channels, num_classes, inter_channels)

    def forward(self, input):
        features = self.backbone(input)
        out = self.classifier(features)
        out = F.interpolate(out, size=input.shape[-2:], mode="bilinear", align_corners=False)
        result = OrderedDict()
        result["out"] = out
        return result


def _stage_indices(backbone):
    return [0] + [i for i, b in enumerate(backbone) if getattr(b, "_is_cn", False)] + [len(backbone) - 1]


def _resnet_heads(backbone, num_classes, aux, head):
    return_layers = {"layer4": "out"}
    if aux:
        return_layers["layer3"] = "aux"
    backbone = IntermediateLayerGetter(backbone, return_layers=return_layers)
    aux_classifier = FCNHead(1024, num_classes) if aux else None
    return backbone, head(2048, num_classes), aux_classifier


def fcn_resnet50(*, weights=None, progress=True, num_classes=None, aux_loss=None, weights_backbone=None, **kwargs):
    num_classes = 21 if num_classes is None else num_classes
    backbone = resnet50(weights=weights_backbone, replace_stride_with_dilation=[False, True, True])
    return FCN(*_resnet_heads(backbone, num_classes, aux_loss, FCNHead))


def fcn_resnet101(*, weights=None, progress=True, num_classes=None, aux_loss=None, weights_backbone=None, **kwargs):
    num_classes = 21 if num_classes is None else num_classes
    backbone = resnet101(weights=weights_backbone, replace_stride_with_dilation=[False, True, True])
    return FCN(*_resnet_heads(backbone, num_classes, aux_loss, FCNHead))


def deeplabv3_resnet50(*, weights=None, progress=True, num_classes=None, aux_loss=None, weights_backbone=None, **kwargs):
    num_classes = 21 if num_classes is None else num_classes
    backbone = resnet50(weights=weights_backbone, replace_stride_with_dilation=[False, True, True])
    return DeepLabV3(*_resnet_heads(backbone, num_classes, aux_loss, DeepLabHead))


def deeplabv3_resnet101(*, weights=None, progress=True, num_classes=None, aux_loss=None, weights_backbone=None, **kwargs):
    num_classes = 21 if num_classes is None else num_classes
    backbone = resnet101(weights=weights_backbone, replace_stride_with_dilation=[False, True, True])
    return DeepLabV3(*_resnet_heads(backbone, num_classes, aux_loss, DeepLabHead))


def deeplabv3_mobilenet_v3_large(*, weights=None, progress=True, num_classes=None, aux_loss=None, weights_backbone=None, **kwargs):
    num_classes = 21 if num_classes is None else num_classes
    backbone = mobilenet_v3_large(weights=weights_backbone, dilated=True).features
    stage_indices = _stage_indices(backbone)
    out_pos = stage_indices[-1]
    out_inplanes = backbone[out_pos].out_channels
    aux_pos = stage_indices[-4]
    aux_inplanes = backbone[aux_pos].out_channels
    return_layers = {str(out_pos): "out"}
    if aux_loss:
        return_layers[str(aux_pos)] = "aux"
    backbone = IntermediateLayerGetter(backbone, return_layers=return_layers)
    aux_classifier = FCNHead(aux_inplanes, num_classes) if aux_loss else None
    return DeepLabV3(backbone, DeepLabHead(out_inplanes, num_classes), aux_classifier)


def lraspp_mobilenet_v3_large(*, weights=None, progress=True, num_classes=None, weights_backbone=None, **kwargs):
    if kwargs.pop("aux_loss", False):
        raise NotImplementedError("This model does not use auxiliary loss")
    num_classes = 21 if num_classes is None else num_classes
    backbone = mobilenet_v3_large(weights=weights_backbone, dilated=True).features
    stage_indices = _stage_indices(backbone)
    low_pos = stage_indices[-4]
    high_pos = stage_indices[-1]
    low_channels = backbone[low_pos].out_channels
    high_channels = backbone[high_pos].out_channels
    backbone = IntermediateLayerGetter(backbone, return_layers={str(low_pos): "low", str(high_pos): "high"})
    return LRASPP(backbone, low_channels, high_channels, num_classes)
`;

/** `<Arch>_Weights` enums of the segmentation builders: members are plain strings (weights change no shape). */
const WEIGHTS = ['FCN_ResNet50', 'FCN_ResNet101', 'DeepLabV3_ResNet50', 'DeepLabV3_ResNet101', 'DeepLabV3_MobileNet_V3_Large', 'LRASPP_MobileNet_V3_Large']
  .map((arch) => `class ${arch}_Weights:\n    COCO_WITH_VOC_LABELS_V1 = "${arch}_Weights.COCO_WITH_VOC_LABELS_V1"\n    DEFAULT = "${arch}_Weights.COCO_WITH_VOC_LABELS_V1"\n`)
  .join('\n');

export const TORCHVISION_SEGMENTATION: StubModule = {
  module: 'torchvision.models.segmentation',
  source: SOURCE + '\n' + WEIGHTS,
  aliases: [
    'torchvision.models.segmentation.fcn', 'torchvision.models.segmentation.deeplabv3', 'torchvision.models.segmentation.lraspp',
    'torchvision.models._utils',
  ],
};
