// timm's EfficientNet, MobileNetV2 and MobileNetV3 as Python stubs, written for TensorLens
// after timm's published definitions (timm.models.efficientnet / mobilenetv3 and their block
// builder): stages are \`blocks.i.j\`, blocks are DepthwiseSeparableConv / InvertedResidual /
// ConvBnAct with timm's child names (\`conv_pw\`, \`bn1\`, \`conv_dw\`, \`se\`, \`conv_pwl\`).
// Block strings follow timm's arch-def notation (\`ir_r2_k3_s2_e6_c24_se0.25\`).

export const TIMM_MOBILE = `
class DepthwiseSeparableConv(nn.Module):
    def __init__(self, in_chs, out_chs, dw_kernel_size=3, stride=1, act_layer=nn.ReLU, se_layer=None, noskip=False, pw_act=False):
        super().__init__()
        self.has_skip = (stride == 1 and in_chs == out_chs) and not noskip
        self.conv_dw = nn.Conv2d(in_chs, in_chs, dw_kernel_size, stride=stride, padding=(dw_kernel_size - 1) // 2, groups=in_chs, bias=False)
        self.bn1 = BatchNormAct2d(in_chs, act_layer=act_layer)
        self.aa = nn.Identity()
        self.se = se_layer(in_chs, act_layer=act_layer) if se_layer is not None else nn.Identity()
        self.conv_pw = nn.Conv2d(in_chs, out_chs, 1, bias=False)
        self.bn2 = BatchNormAct2d(out_chs, act_layer=act_layer, apply_act=pw_act)
        self.drop_path = nn.Identity()

    def forward(self, x):
        shortcut = x
        x = self.conv_dw(x)
        x = self.bn1(x)
        x = self.aa(x)
        x = self.se(x)
        x = self.conv_pw(x)
        x = self.bn2(x)
        if self.has_skip:
            x = self.drop_path(x) + shortcut
        return x


class InvertedResidual(nn.Module):
    def __init__(self, in_chs, out_chs, dw_kernel_size=3, stride=1, exp_ratio=1.0, act_layer=nn.ReLU, se_layer=None, noskip=False):
        super().__init__()
        mid_chs = make_divisible(in_chs * exp_ratio)
        self.has_skip = (in_chs == out_chs and stride == 1) and not noskip
        self.conv_pw = nn.Conv2d(in_chs, mid_chs, 1, bias=False)
        self.bn1 = BatchNormAct2d(mid_chs, act_layer=act_layer)
        self.conv_dw = nn.Conv2d(mid_chs, mid_chs, dw_kernel_size, stride=stride, padding=(dw_kernel_size - 1) // 2, groups=mid_chs, bias=False)
        self.bn2 = BatchNormAct2d(mid_chs, act_layer=act_layer)
        self.aa = nn.Identity()
        self.se = se_layer(mid_chs, act_layer=act_layer) if se_layer is not None else nn.Identity()
        self.conv_pwl = nn.Conv2d(mid_chs, out_chs, 1, bias=False)
        self.bn3 = BatchNormAct2d(out_chs, apply_act=False)
        self.drop_path = nn.Identity()

    def forward(self, x):
        shortcut = x
        x = self.conv_pw(x)
        x = self.bn1(x)
        x = self.conv_dw(x)
        x = self.bn2(x)
        x = self.aa(x)
        x = self.se(x)
        x = self.conv_pwl(x)
        x = self.bn3(x)
        if self.has_skip:
            x = self.drop_path(x) + shortcut
        return x


class ConvBnAct(nn.Module):
    def __init__(self, in_chs, out_chs, kernel_size, stride=1, act_layer=nn.ReLU):
        super().__init__()
        self.conv = nn.Conv2d(in_chs, out_chs, kernel_size, stride=stride, padding=(kernel_size - 1) // 2, bias=False)
        self.bn1 = BatchNormAct2d(out_chs, act_layer=act_layer)
        self.aa = nn.Identity()
        self.drop_path = nn.Identity()

    def forward(self, x):
        x = self.conv(x)
        x = self.bn1(x)
        x = self.aa(x)
        return x


def _parse_block(text):
    """One timm arch-def string, e.g. 'ir_r2_k3_s2_e6_c24_se0.25_nre' -> dict of its options."""
    parts = text.split('_')
    spec = {'type': parts[0], 'r': 1, 'k': 3, 's': 1, 'e': 1.0, 'c': 0, 'se': 0.0, 'act': None, 'noskip': False}
    for p in parts[1:]:
        if p == 'nre':
            spec['act'] = 'relu'
        elif p == 'noskip':
            spec['noskip'] = True
        elif p.startswith('se'):
            spec['se'] = float(p[2:])
        elif p[0] == 'r':
            spec['r'] = int(p[1:])
        elif p[0] == 'k':
            spec['k'] = int(p[1:])
        elif p[0] == 's':
            spec['s'] = int(p[1:])
        elif p[0] == 'e':
            spec['e'] = float(p[1:])
        elif p[0] == 'c':
            spec['c'] = int(p[1:])
    return spec


def _build_blocks(arch_def, in_chs, depth_multiplier, round_chs_fn, act_layer, se_layer, se_from_exp):
    stages = []
    for stage_strs in arch_def:
        specs = [_parse_block(s) for s in stage_strs]
        if depth_multiplier != 1.0:
            for spec in specs:
                spec['r'] = int(math.ceil(spec['r'] * depth_multiplier))
        blocks = []
        for spec in specs:
            out_chs = round_chs_fn(spec['c'])
            block_act = nn.ReLU if spec['act'] == 'relu' else act_layer
            for i in range(spec['r']):
                stride = spec['s'] if i == 0 else 1
                block_se = None
                if spec['se'] and se_layer is not None:
                    ratio = spec['se']
                    if not se_from_exp:
                        ratio = ratio / spec['e']
                    block_se = partial(se_layer, rd_ratio=ratio)
                if spec['type'] == 'ds':
                    blocks.append(DepthwiseSeparableConv(in_chs, out_chs, spec['k'], stride, act_layer=block_act, se_layer=block_se, noskip=spec['noskip']))
                elif spec['type'] == 'ir':
                    blocks.append(InvertedResidual(in_chs, out_chs, spec['k'], stride, spec['e'], act_layer=block_act, se_layer=block_se, noskip=spec['noskip']))
                else:
                    blocks.append(ConvBnAct(in_chs, out_chs, spec['k'], stride, act_layer=block_act))
                in_chs = out_chs
        stages.append(nn.Sequential(*blocks))
    return nn.Sequential(*stages), in_chs


class EfficientNet(nn.Module):
    def __init__(self, arch_def, num_classes=1000, num_features=1280, in_chans=3, stem_size=32, depth_multiplier=1.0,
                 round_chs_fn=round_channels, act_layer=nn.SiLU, se_layer=SqueezeExcite, se_from_exp=False,
                 drop_rate=0., global_pool='avg', fix_stem=False, **kwargs):
        super().__init__()
        self.num_classes = num_classes
        self.drop_rate = drop_rate
        if not fix_stem:
            stem_size = round_chs_fn(stem_size)
        self.conv_stem = nn.Conv2d(in_chans, stem_size, 3, stride=2, padding=1, bias=False)
        self.bn1 = BatchNormAct2d(stem_size, act_layer=act_layer)
        self.blocks, head_chs = _build_blocks(arch_def, stem_size, depth_multiplier, round_chs_fn, act_layer, se_layer, se_from_exp)
        self.num_features = num_features
        self.conv_head = nn.Conv2d(head_chs, self.num_features, 1, bias=False)
        self.bn2 = BatchNormAct2d(self.num_features, act_layer=act_layer)
        self.global_pool, self.classifier = create_classifier(self.num_features, self.num_classes, pool_type=global_pool)

    def reset_classifier(self, num_classes, global_pool='avg'):
        self.num_classes = num_classes
        self.global_pool, self.classifier = create_classifier(self.num_features, num_classes, pool_type=global_pool)

    def forward(self, x):
        x = self.conv_stem(x)
        x = self.bn1(x)
        x = self.blocks(x)
        x = self.conv_head(x)
        x = self.bn2(x)
        x = self.global_pool(x)
        if self.drop_rate > 0.:
            x = F.dropout(x, p=self.drop_rate, training=self.training)
        x = self.classifier(x)
        return x


class MobileNetV3(nn.Module):
    def __init__(self, arch_def, num_classes=1000, in_chans=3, stem_size=16, num_features=1280, head_bias=True,
                 round_chs_fn=round_channels, act_layer=nn.Hardswish, se_layer=None, se_from_exp=True,
                 drop_rate=0., global_pool='avg', fix_stem=False, **kwargs):
        super().__init__()
        self.num_classes = num_classes
        self.drop_rate = drop_rate
        if not fix_stem:
            stem_size = round_chs_fn(stem_size)
        self.conv_stem = nn.Conv2d(in_chans, stem_size, 3, stride=2, padding=1, bias=False)
        self.bn1 = BatchNormAct2d(stem_size, act_layer=act_layer)
        self.blocks, head_chs = _build_blocks(arch_def, stem_size, 1.0, round_chs_fn, act_layer, se_layer, se_from_exp)
        self.num_features = head_chs
        self.head_hidden_size = num_features
        self.global_pool = SelectAdaptivePool2d(pool_type=global_pool)
        self.conv_head = nn.Conv2d(head_chs * self.global_pool.feat_mult(), self.head_hidden_size, 1, padding=0, bias=head_bias)
        self.act2 = act_layer(inplace=True)
        self.flatten = nn.Flatten(1) if global_pool else nn.Identity()
        self.classifier = nn.Linear(self.head_hidden_size, num_classes) if num_classes > 0 else nn.Identity()

    def reset_classifier(self, num_classes, global_pool='avg'):
        self.num_classes = num_classes
        self.global_pool = SelectAdaptivePool2d(pool_type=global_pool)
        self.flatten = nn.Flatten(1) if global_pool else nn.Identity()
        self.classifier = nn.Linear(self.head_hidden_size, num_classes) if num_classes > 0 else nn.Identity()

    def forward(self, x):
        x = self.conv_stem(x)
        x = self.bn1(x)
        x = self.blocks(x)
        x = self.global_pool(x)
        x = self.conv_head(x)
        x = self.act2(x)
        x = self.flatten(x)
        if self.drop_rate > 0.:
            x = F.dropout(x, p=self.drop_rate, training=self.training)
        x = self.classifier(x)
        return x


EFFICIENTNET_ARCH = [
    ['ds_r1_k3_s1_e1_c16_se0.25'], ['ir_r2_k3_s2_e6_c24_se0.25'], ['ir_r2_k5_s2_e6_c40_se0.25'], ['ir_r3_k3_s2_e6_c80_se0.25'],
    ['ir_r3_k5_s1_e6_c112_se0.25'], ['ir_r4_k5_s2_e6_c192_se0.25'], ['ir_r1_k3_s1_e6_c320_se0.25'],
]

MOBILENETV2_ARCH = [
    ['ds_r1_k3_s1_c16'], ['ir_r2_k3_s2_e6_c24'], ['ir_r3_k3_s2_e6_c32'], ['ir_r4_k3_s2_e6_c64'],
    ['ir_r3_k3_s1_e6_c96'], ['ir_r3_k3_s2_e6_c160'], ['ir_r1_k3_s1_e6_c320'],
]

MOBILENETV3_LARGE_ARCH = [
    ['ds_r1_k3_s1_e1_c16_nre'], ['ir_r1_k3_s2_e4_c24_nre', 'ir_r1_k3_s1_e3_c24_nre'], ['ir_r3_k5_s2_e3_c40_se0.25_nre'],
    ['ir_r1_k3_s2_e6_c80', 'ir_r1_k3_s1_e2.5_c80', 'ir_r2_k3_s1_e2.3_c80'], ['ir_r2_k3_s1_e6_c112_se0.25'],
    ['ir_r3_k5_s2_e6_c160_se0.25'], ['cn_r1_k1_s1_c960'],
]

MOBILENETV3_SMALL_ARCH = [
    ['ds_r1_k3_s2_e1_c16_se0.25_nre'], ['ir_r1_k3_s2_e4.5_c24_nre', 'ir_r1_k3_s1_e3.67_c24_nre'],
    ['ir_r1_k5_s2_e4_c40_se0.25', 'ir_r2_k5_s1_e6_c40_se0.25'], ['ir_r2_k5_s1_e3_c48_se0.25'],
    ['ir_r3_k5_s2_e6_c96_se0.25'], ['cn_r1_k1_s1_c576'],
]


def _efficientnet(channel_multiplier, depth_multiplier, **kwargs):
    round_chs_fn = partial(round_channels, multiplier=channel_multiplier)
    return EfficientNet(EFFICIENTNET_ARCH, num_features=round_chs_fn(1280), stem_size=32, depth_multiplier=depth_multiplier,
                        round_chs_fn=round_chs_fn, act_layer=nn.SiLU, se_layer=SqueezeExcite, se_from_exp=False, **kwargs)


def _mobilenetv2(channel_multiplier, **kwargs):
    round_chs_fn = partial(round_channels, multiplier=channel_multiplier)
    return EfficientNet(MOBILENETV2_ARCH, num_features=max(1280, round_chs_fn(1280)), stem_size=32,
                        round_chs_fn=round_chs_fn, act_layer=nn.ReLU6, se_layer=None, **kwargs)


def _mobilenetv3(arch_def, num_features, channel_multiplier=1.0, **kwargs):
    round_chs_fn = partial(round_channels, multiplier=channel_multiplier)
    se_layer = partial(SqueezeExcite, gate_layer=nn.Hardsigmoid, force_act_layer=nn.ReLU, rd_round_fn=round_channels)
    return MobileNetV3(arch_def, num_features=num_features, stem_size=16, round_chs_fn=round_chs_fn,
                       act_layer=nn.Hardswish, se_layer=se_layer, se_from_exp=True, **kwargs)
`;
