// timm.layers building blocks used by the timm stubs (SelectAdaptivePool2d, the classifier
// heads, BatchNormAct2d, LayerNorm2d, Mlp, SqueezeExcite, make_divisible), written for
// TensorLens after timm's published layer definitions: same children, same names, so layer
// paths read as timm prints them (`global_pool.pool`, `bn1.act`, `head.fc`).

export const TIMM_LAYERS = `
import math
from functools import partial
from collections import OrderedDict
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_divisible(v, divisor=8, min_value=None, round_limit=0.9):
    min_value = min_value or divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < round_limit * v:
        new_v += divisor
    return new_v


def round_channels(channels, multiplier=1.0, divisor=8, channel_min=None, round_limit=0.9):
    if not multiplier:
        return channels
    return make_divisible(channels * multiplier, divisor, channel_min, round_limit=round_limit)


class AdaptiveAvgMaxPool2d(nn.Module):
    def __init__(self, output_size=1):
        super().__init__()
        self.output_size = output_size

    def forward(self, x):
        return 0.5 * (F.adaptive_avg_pool2d(x, self.output_size) + F.adaptive_max_pool2d(x, self.output_size))


class AdaptiveCatAvgMaxPool2d(nn.Module):
    def __init__(self, output_size=1):
        super().__init__()
        self.output_size = output_size

    def forward(self, x):
        return torch.cat((F.adaptive_avg_pool2d(x, self.output_size), F.adaptive_max_pool2d(x, self.output_size)), 1)


class FastAdaptiveAvgPool(nn.Module):
    def __init__(self, flatten=False, input_fmt='NCHW'):
        super().__init__()
        self.flatten = flatten
        self.dim = (1, 2) if input_fmt == 'NHWC' else (2, 3)

    def forward(self, x):
        return x.mean(self.dim, keepdim=not self.flatten)


class FastAdaptiveMaxPool(nn.Module):
    def __init__(self, flatten=False, input_fmt='NCHW'):
        super().__init__()
        self.flatten = flatten
        self.dim = (1, 2) if input_fmt == 'NHWC' else (2, 3)

    def forward(self, x):
        return x.amax(self.dim, keepdim=not self.flatten)


class FastAdaptiveAvgMaxPool(nn.Module):
    def __init__(self, flatten=False, input_fmt='NCHW'):
        super().__init__()
        self.flatten = flatten
        self.dim = (1, 2) if input_fmt == 'NHWC' else (2, 3)

    def forward(self, x):
        return 0.5 * x.mean(self.dim, keepdim=not self.flatten) + 0.5 * x.amax(self.dim, keepdim=not self.flatten)


class FastAdaptiveCatAvgMaxPool(nn.Module):
    def __init__(self, flatten=False, input_fmt='NCHW'):
        super().__init__()
        self.flatten = flatten
        self.dim_reduce = (1, 2) if input_fmt == 'NHWC' else (2, 3)
        self.dim_cat = 1 if flatten else (3 if input_fmt == 'NHWC' else 1)

    def forward(self, x):
        x_avg = x.mean(self.dim_reduce, keepdim=not self.flatten)
        x_max = x.amax(self.dim_reduce, keepdim=not self.flatten)
        return torch.cat((x_avg, x_max), self.dim_cat)


class SelectAdaptivePool2d(nn.Module):
    def __init__(self, output_size=1, pool_type='fast', flatten=False, input_fmt='NCHW'):
        super().__init__()
        self.pool_type = pool_type or ''
        self.flatten = nn.Flatten(1) if flatten else nn.Identity()
        if self.pool_type == '':
            self.pool = nn.Identity()
        elif input_fmt != 'NCHW':
            # timm's channels-last heads (Swin): a mean / amax over H, W that flattens itself.
            if self.pool_type.endswith('catavgmax'):
                self.pool = FastAdaptiveCatAvgMaxPool(flatten, input_fmt=input_fmt)
            elif self.pool_type.endswith('avgmax'):
                self.pool = FastAdaptiveAvgMaxPool(flatten, input_fmt=input_fmt)
            elif self.pool_type.endswith('max'):
                self.pool = FastAdaptiveMaxPool(flatten, input_fmt=input_fmt)
            else:
                self.pool = FastAdaptiveAvgPool(flatten, input_fmt=input_fmt)
            self.flatten = nn.Identity()
        elif self.pool_type in ('max', 'fastmax'):
            self.pool = nn.AdaptiveMaxPool2d(output_size)
        elif self.pool_type in ('avgmax', 'fastavgmax'):
            self.pool = AdaptiveAvgMaxPool2d(output_size)
        elif self.pool_type in ('catavgmax', 'fastcatavgmax'):
            self.pool = AdaptiveCatAvgMaxPool2d(output_size)
        else:
            self.pool = nn.AdaptiveAvgPool2d(output_size)

    def is_identity(self):
        return not self.pool_type

    def feat_mult(self):
        return 2 if 'catavgmax' in self.pool_type else 1

    def forward(self, x):
        x = self.pool(x)
        x = self.flatten(x)
        return x


def _create_fc(num_features, num_classes, use_conv=False):
    if num_classes <= 0:
        return nn.Identity()
    if use_conv:
        return nn.Conv2d(num_features, num_classes, 1, bias=True)
    return nn.Linear(num_features, num_classes, bias=True)


def create_classifier(num_features, num_classes, pool_type='avg', use_conv=False, input_fmt='NCHW'):
    flatten_in_pool = not use_conv
    if not pool_type:
        flatten_in_pool = False
    global_pool = SelectAdaptivePool2d(pool_type=pool_type, flatten=flatten_in_pool, input_fmt=input_fmt)
    fc = _create_fc(num_features * global_pool.feat_mult(), num_classes, use_conv=use_conv)
    return global_pool, fc


class ClassifierHead(nn.Module):
    def __init__(self, in_features, num_classes, pool_type='avg', drop_rate=0., use_conv=False, input_fmt='NCHW'):
        super().__init__()
        self.in_features = in_features
        self.use_conv = use_conv
        self.input_fmt = input_fmt
        global_pool, fc = create_classifier(in_features, num_classes, pool_type, use_conv=use_conv, input_fmt=input_fmt)
        self.global_pool = global_pool
        self.drop = nn.Dropout(drop_rate)
        self.fc = fc
        self.flatten = nn.Flatten(1) if use_conv and pool_type else nn.Identity()

    def reset(self, num_classes, pool_type=None):
        if pool_type is not None and pool_type != self.global_pool.pool_type:
            self.global_pool, self.fc = create_classifier(self.in_features, num_classes, pool_type, use_conv=self.use_conv,
                                                          input_fmt=self.input_fmt)
            self.flatten = nn.Flatten(1) if self.use_conv and pool_type else nn.Identity()
        else:
            self.fc = _create_fc(self.in_features * self.global_pool.feat_mult(), num_classes, use_conv=self.use_conv)

    def forward(self, x, pre_logits=False):
        x = self.global_pool(x)
        x = self.drop(x)
        if pre_logits:
            return self.flatten(x)
        x = self.fc(x)
        return self.flatten(x)


class LayerNorm2d(nn.Module):
    """LayerNorm over the channels of an NCHW tensor (timm.layers.LayerNorm2d)."""

    def __init__(self, num_channels, eps=1e-6, affine=True):
        super().__init__()
        self.normalized_shape = (num_channels,)
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(num_channels))
        self.bias = nn.Parameter(torch.zeros(num_channels))

    def forward(self, x):
        x = x.permute(0, 2, 3, 1)
        x = F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
        x = x.permute(0, 3, 1, 2)
        return x


class NormMlpClassifierHead(nn.Module):
    def __init__(self, in_features, num_classes, hidden_size=None, pool_type='avg', drop_rate=0., norm_layer=LayerNorm2d, act_layer=nn.Tanh):
        super().__init__()
        self.in_features = in_features
        self.hidden_size = hidden_size
        self.num_features = in_features
        self.use_conv = not pool_type
        linear_layer = partial(nn.Conv2d, kernel_size=1) if self.use_conv else nn.Linear
        self.global_pool = SelectAdaptivePool2d(pool_type=pool_type)
        self.norm = norm_layer(in_features)
        self.flatten = nn.Flatten(1) if pool_type else nn.Identity()
        if hidden_size:
            self.pre_logits = nn.Sequential(OrderedDict([('fc', linear_layer(in_features, hidden_size)), ('act', act_layer())]))
            self.num_features = hidden_size
        else:
            self.pre_logits = nn.Identity()
        self.drop = nn.Dropout(drop_rate)
        self.fc = linear_layer(self.num_features, num_classes) if num_classes > 0 else nn.Identity()

    def reset(self, num_classes, pool_type=None):
        if pool_type is not None:
            self.global_pool = SelectAdaptivePool2d(pool_type=pool_type)
            self.flatten = nn.Flatten(1) if pool_type else nn.Identity()
        self.use_conv = self.global_pool.is_identity()
        linear_layer = partial(nn.Conv2d, kernel_size=1) if self.use_conv else nn.Linear
        self.fc = linear_layer(self.num_features, num_classes) if num_classes > 0 else nn.Identity()

    def forward(self, x):
        x = self.global_pool(x)
        x = self.norm(x)
        x = self.flatten(x)
        x = self.pre_logits(x)
        x = self.drop(x)
        x = self.fc(x)
        return x


class BatchNormAct2d(nn.Module):
    """BatchNorm2d with its activation as a child (timm.layers.BatchNormAct2d): the affine
    weight and bias are its own parameters, \`drop\` and \`act\` its children."""

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True,
                 apply_act=True, act_layer=nn.ReLU, inplace=True, drop_layer=None):
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.weight = nn.Parameter(torch.ones(num_features))
        self.bias = nn.Parameter(torch.zeros(num_features))
        self.register_buffer('running_mean', torch.zeros(num_features))
        self.register_buffer('running_var', torch.ones(num_features))
        self.drop = drop_layer() if drop_layer is not None else nn.Identity()
        if apply_act and act_layer is not None:
            self.act = act_layer(inplace=True) if inplace and act_layer in (nn.ReLU, nn.ReLU6, nn.SiLU, nn.Hardswish) else act_layer()
        else:
            self.act = nn.Identity()

    def forward(self, x):
        x = F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias, False, self.momentum, self.eps)
        x = self.drop(x)
        x = self.act(x)
        return x


class Mlp(nn.Module):
    def __init__(self, in_features, hidden_features=None, out_features=None, act_layer=nn.GELU, norm_layer=None, bias=True, drop=0.):
        super().__init__()
        out_features = out_features or in_features
        hidden_features = hidden_features or in_features
        self.fc1 = nn.Linear(in_features, hidden_features, bias=bias)
        self.act = act_layer()
        self.drop1 = nn.Dropout(drop)
        self.norm = norm_layer(hidden_features) if norm_layer is not None else nn.Identity()
        self.fc2 = nn.Linear(hidden_features, out_features, bias=bias)
        self.drop2 = nn.Dropout(drop)

    def forward(self, x):
        x = self.fc1(x)
        x = self.act(x)
        x = self.drop1(x)
        x = self.norm(x)
        x = self.fc2(x)
        x = self.drop2(x)
        return x


class ConvMlp(nn.Module):
    """VGG's pre-logits: the classifier's two 4096-wide Linear layers as 7x7 / 1x1 convs."""

    def __init__(self, in_features=512, out_features=4096, kernel_size=7, mlp_ratio=1.0, drop_rate=0.2, act_layer=nn.ReLU, conv_layer=nn.Conv2d):
        super().__init__()
        self.input_size = kernel_size
        mid_features = int(out_features * mlp_ratio)
        self.fc1 = conv_layer(in_features, mid_features, kernel_size, bias=True)
        self.act1 = act_layer(True)
        self.drop = nn.Dropout(drop_rate)
        self.fc2 = conv_layer(mid_features, out_features, 1, bias=True)
        self.act2 = act_layer(True)

    def forward(self, x):
        if x.shape[-2] < self.input_size or x.shape[-1] < self.input_size:
            output_size = (max(self.input_size, x.shape[-2]), max(self.input_size, x.shape[-1]))
            x = F.adaptive_avg_pool2d(x, output_size)
        x = self.fc1(x)
        x = self.act1(x)
        x = self.drop(x)
        x = self.fc2(x)
        x = self.act2(x)
        return x


class SqueezeExcite(nn.Module):
    """EfficientNet / MobileNetV3 squeeze-excitation (timm _efficientnet_blocks.SqueezeExcite)."""

    def __init__(self, in_chs, rd_ratio=0.25, rd_channels=None, act_layer=nn.ReLU, gate_layer=nn.Sigmoid, force_act_layer=None, rd_round_fn=None):
        super().__init__()
        if rd_channels is None:
            rd_round_fn = rd_round_fn or round
            rd_channels = rd_round_fn(in_chs * rd_ratio)
        act_layer = force_act_layer or act_layer
        self.conv_reduce = nn.Conv2d(in_chs, rd_channels, 1, bias=True)
        self.act1 = act_layer(inplace=True)
        self.conv_expand = nn.Conv2d(rd_channels, in_chs, 1, bias=True)
        self.gate = gate_layer()

    def forward(self, x):
        x_se = x.mean((2, 3), keepdim=True)
        x_se = self.conv_reduce(x_se)
        x_se = self.act1(x_se)
        x_se = self.conv_expand(x_se)
        return x * self.gate(x_se)
`;
