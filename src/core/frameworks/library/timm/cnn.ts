// timm's ResNet / ResNeXt / Wide ResNet, VGG and DenseNet as Python stubs, written for
// TensorLens after timm's published definitions (timm.models.resnet / vgg / densenet): the
// children and their names are timm's (\`act1\`, \`drop_block\`, \`aa\`, \`global_pool\`,
// \`pre_logits\`, \`head.fc\`), which differ from torchvision's although the weights match.

export const TIMM_CNN = `
class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, inplanes, planes, stride=1, downsample=None, cardinality=1, base_width=64,
                 act_layer=nn.ReLU, norm_layer=nn.BatchNorm2d):
        super().__init__()
        outplanes = planes * self.expansion
        self.conv1 = nn.Conv2d(inplanes, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn1 = norm_layer(planes)
        self.drop_block = nn.Identity()
        self.act1 = act_layer(inplace=True)
        self.aa = nn.Identity()
        self.conv2 = nn.Conv2d(planes, outplanes, kernel_size=3, padding=1, bias=False)
        self.bn2 = norm_layer(outplanes)
        self.act2 = act_layer(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        shortcut = x
        x = self.conv1(x)
        x = self.bn1(x)
        x = self.drop_block(x)
        x = self.act1(x)
        x = self.aa(x)
        x = self.conv2(x)
        x = self.bn2(x)
        if self.downsample is not None:
            shortcut = self.downsample(shortcut)
        x = x + shortcut
        x = self.act2(x)
        return x


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, stride=1, downsample=None, cardinality=1, base_width=64,
                 act_layer=nn.ReLU, norm_layer=nn.BatchNorm2d):
        super().__init__()
        width = int(math.floor(planes * (base_width / 64)) * cardinality)
        outplanes = planes * self.expansion
        self.conv1 = nn.Conv2d(inplanes, width, kernel_size=1, bias=False)
        self.bn1 = norm_layer(width)
        self.act1 = act_layer(inplace=True)
        self.conv2 = nn.Conv2d(width, width, kernel_size=3, stride=stride, padding=1, groups=cardinality, bias=False)
        self.bn2 = norm_layer(width)
        self.drop_block = nn.Identity()
        self.act2 = act_layer(inplace=True)
        self.aa = nn.Identity()
        self.conv3 = nn.Conv2d(width, outplanes, kernel_size=1, bias=False)
        self.bn3 = norm_layer(outplanes)
        self.act3 = act_layer(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        shortcut = x
        x = self.conv1(x)
        x = self.bn1(x)
        x = self.act1(x)
        x = self.conv2(x)
        x = self.bn2(x)
        x = self.drop_block(x)
        x = self.act2(x)
        x = self.aa(x)
        x = self.conv3(x)
        x = self.bn3(x)
        if self.downsample is not None:
            shortcut = self.downsample(shortcut)
        x = x + shortcut
        x = self.act3(x)
        return x


class ResNet(nn.Module):
    def __init__(self, block, layers, num_classes=1000, in_chans=3, global_pool='avg', cardinality=1, base_width=64,
                 channels=(64, 128, 256, 512), act_layer=nn.ReLU, norm_layer=nn.BatchNorm2d, drop_rate=0.0, **kwargs):
        super().__init__()
        self.num_classes = num_classes
        self.drop_rate = drop_rate
        inplanes = 64
        self.conv1 = nn.Conv2d(in_chans, inplanes, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = norm_layer(inplanes)
        self.act1 = act_layer(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        stages = []
        for stage_idx in range(4):
            planes = channels[stage_idx]
            stride = 1 if stage_idx == 0 else 2
            downsample = None
            if stride != 1 or inplanes != planes * block.expansion:
                downsample = nn.Sequential(
                    nn.Conv2d(inplanes, planes * block.expansion, 1, stride=stride, padding=0, bias=False),
                    norm_layer(planes * block.expansion),
                )
            blocks = []
            for block_idx in range(layers[stage_idx]):
                blocks.append(block(inplanes, planes, stride if block_idx == 0 else 1, downsample if block_idx == 0 else None,
                                    cardinality=cardinality, base_width=base_width, act_layer=act_layer, norm_layer=norm_layer))
                inplanes = planes * block.expansion
            stages.append(nn.Sequential(*blocks))
        self.layer1 = stages[0]
        self.layer2 = stages[1]
        self.layer3 = stages[2]
        self.layer4 = stages[3]
        self.num_features = channels[-1] * block.expansion
        self.global_pool, self.fc = create_classifier(self.num_features, num_classes, pool_type=global_pool)

    def reset_classifier(self, num_classes, global_pool='avg'):
        self.num_classes = num_classes
        self.global_pool, self.fc = create_classifier(self.num_features, num_classes, pool_type=global_pool)

    def forward(self, x):
        x = self.conv1(x)
        x = self.bn1(x)
        x = self.act1(x)
        x = self.maxpool(x)
        x = self.layer1(x)
        x = self.layer2(x)
        x = self.layer3(x)
        x = self.layer4(x)
        x = self.global_pool(x)
        if self.drop_rate:
            x = F.dropout(x, p=float(self.drop_rate), training=self.training)
        x = self.fc(x)
        return x


VGG_CFGS = {
    'vgg11': [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
    'vgg13': [64, 64, 'M', 128, 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
    'vgg16': [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'],
    'vgg19': [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 256, 'M', 512, 512, 512, 512, 'M', 512, 512, 512, 512, 'M'],
}


class VGG(nn.Module):
    def __init__(self, cfg, num_classes=1000, in_chans=3, output_stride=32, mlp_ratio=1.0, act_layer=nn.ReLU,
                 conv_layer=nn.Conv2d, norm_layer=None, global_pool='avg', drop_rate=0., **kwargs):
        super().__init__()
        self.num_classes = num_classes
        self.drop_rate = drop_rate
        prev_chs = in_chans
        layers = []
        for v in cfg:
            if v == 'M':
                layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
            else:
                layers.append(conv_layer(prev_chs, v, kernel_size=3, padding=1))
                if norm_layer is not None:
                    layers.append(norm_layer(v))
                layers.append(act_layer(inplace=True))
                prev_chs = v
        self.features = nn.Sequential(*layers)
        self.num_features = prev_chs
        self.head_hidden_size = 4096
        self.pre_logits = ConvMlp(prev_chs, self.head_hidden_size, 7, mlp_ratio=mlp_ratio, drop_rate=drop_rate, act_layer=act_layer, conv_layer=conv_layer)
        self.head = ClassifierHead(self.head_hidden_size, num_classes, pool_type=global_pool, drop_rate=drop_rate)

    def reset_classifier(self, num_classes, global_pool='avg'):
        self.num_classes = num_classes
        self.head.reset(num_classes, global_pool)

    def forward(self, x):
        x = self.features(x)
        x = self.pre_logits(x)
        x = self.head(x)
        return x


class DenseLayer(nn.Module):
    def __init__(self, num_input_features, growth_rate, bn_size, norm_layer=BatchNormAct2d, drop_rate=0.):
        super().__init__()
        self.add_module('norm1', norm_layer(num_input_features))
        self.add_module('conv1', nn.Conv2d(num_input_features, bn_size * growth_rate, kernel_size=1, stride=1, bias=False))
        self.add_module('norm2', norm_layer(bn_size * growth_rate))
        self.add_module('conv2', nn.Conv2d(bn_size * growth_rate, growth_rate, kernel_size=3, stride=1, padding=1, bias=False))
        self.drop_rate = float(drop_rate)

    def forward(self, x):
        if isinstance(x, (list, tuple)):
            x = torch.cat(x, 1)
        x = self.conv1(self.norm1(x))
        x = self.conv2(self.norm2(x))
        return x


class DenseBlock(nn.ModuleDict):
    def __init__(self, num_layers, num_input_features, bn_size, growth_rate, norm_layer=BatchNormAct2d, drop_rate=0.):
        super().__init__()
        for i in range(num_layers):
            layer = DenseLayer(num_input_features + i * growth_rate, growth_rate=growth_rate, bn_size=bn_size, norm_layer=norm_layer, drop_rate=drop_rate)
            self.add_module('denselayer%d' % (i + 1), layer)

    def forward(self, init_features):
        features = [init_features]
        for name, layer in self.items():
            new_features = layer(features)
            features.append(new_features)
        return torch.cat(features, 1)


class DenseTransition(nn.Sequential):
    def __init__(self, num_input_features, num_output_features, norm_layer=BatchNormAct2d):
        super().__init__()
        self.add_module('norm', norm_layer(num_input_features))
        self.add_module('conv', nn.Conv2d(num_input_features, num_output_features, kernel_size=1, stride=1, bias=False))
        self.add_module('pool', nn.AvgPool2d(kernel_size=2, stride=2))


class DenseNet(nn.Module):
    def __init__(self, growth_rate=32, block_config=(6, 12, 24, 16), num_classes=1000, in_chans=3, global_pool='avg',
                 bn_size=4, stem_type='', drop_rate=0., **kwargs):
        super().__init__()
        self.num_classes = num_classes
        num_init_features = growth_rate * 2
        self.features = nn.Sequential(OrderedDict([
            ('conv0', nn.Conv2d(in_chans, num_init_features, kernel_size=7, stride=2, padding=3, bias=False)),
            ('norm0', BatchNormAct2d(num_init_features)),
            ('pool0', nn.MaxPool2d(kernel_size=3, stride=2, padding=1)),
        ]))
        num_features = num_init_features
        for i in range(len(block_config)):
            num_layers = block_config[i]
            block = DenseBlock(num_layers=num_layers, num_input_features=num_features, bn_size=bn_size, growth_rate=growth_rate)
            self.features.add_module('denseblock%d' % (i + 1), block)
            num_features = num_features + num_layers * growth_rate
            if i != len(block_config) - 1:
                trans = DenseTransition(num_input_features=num_features, num_output_features=num_features // 2)
                self.features.add_module('transition%d' % (i + 1), trans)
                num_features = num_features // 2
        self.features.add_module('norm5', BatchNormAct2d(num_features))
        self.num_features = num_features
        self.global_pool, self.classifier = create_classifier(self.num_features, self.num_classes, pool_type=global_pool)
        self.head_drop = nn.Dropout(drop_rate)

    def reset_classifier(self, num_classes, global_pool='avg'):
        self.num_classes = num_classes
        self.global_pool, self.classifier = create_classifier(self.num_features, num_classes, pool_type=global_pool)

    def forward(self, x):
        x = self.features(x)
        x = self.global_pool(x)
        x = self.head_drop(x)
        x = self.classifier(x)
        return x
`;
