"""Class hierarchy: BaseBlock with overridable hooks, super().__init__(args), class constants,
@property, @staticmethod, getattr(nn, act_name)(), *args/**kwargs forwarding."""
import torch
import torch.nn as nn


class BaseBlock(nn.Module):
    EXPANSION = 1
    ACT = "ReLU"

    def __init__(self, in_ch, out_ch, stride=1, **kwargs):
        super().__init__()
        self.in_ch, self.out_ch, self.stride = in_ch, out_ch, stride
        self.body = self.build_body(in_ch, out_ch, stride, **kwargs)
        self.act = getattr(nn, self.ACT)()
        self.shortcut = self.build_shortcut()

    @property
    def needs_projection(self):
        return self.stride != 1 or self.in_ch != self.out_ch * self.EXPANSION

    @staticmethod
    def conv_bn(cin, cout, k, stride=1, groups=1):
        return nn.Sequential(nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout))

    def build_body(self, in_ch, out_ch, stride, **kwargs):
        raise NotImplementedError

    def build_shortcut(self):
        if self.needs_projection:
            return self.conv_bn(self.in_ch, self.out_ch * self.EXPANSION, 1, self.stride)
        return nn.Identity()

    def forward(self, x):
        return self.act(self.body(x) + self.shortcut(x))


class PlainBlock(BaseBlock):
    def build_body(self, in_ch, out_ch, stride, **kwargs):
        return nn.Sequential(self.conv_bn(in_ch, out_ch, 3, stride), nn.ReLU(), self.conv_bn(out_ch, out_ch, 3))


class WideBottleneck(BaseBlock):
    EXPANSION = 2
    ACT = "SiLU"

    def build_body(self, in_ch, out_ch, stride, groups=4, **kwargs):
        mid = out_ch
        return nn.Sequential(
            self.conv_bn(in_ch, mid, 1), nn.SiLU(),
            self.conv_bn(mid, mid, 3, stride, groups=groups), nn.SiLU(),
            self.conv_bn(mid, out_ch * self.EXPANSION, 1),
        )


class HybridNet(nn.Module):
    STEM_WIDTH = 16

    def __init__(self, *args, num_classes=7, act_name="Hardswish", **kwargs):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, self.STEM_WIDTH, 3, 2, 1), getattr(nn, act_name)())
        self.layer1 = PlainBlock(self.STEM_WIDTH, 16)
        self.layer2 = PlainBlock(16, 32, stride=2)
        self.layer3 = WideBottleneck(32, 32, stride=2, groups=8)
        self.layer4 = WideBottleneck(64, 32)
        self.pool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(32 * WideBottleneck.EXPANSION, num_classes)

    def forward(self, x):
        x = self.stem(x)
        for name in ("layer1", "layer2", "layer3", "layer4"):
            x = getattr(self, name)(x)
        return self.fc(torch.flatten(self.pool(x), 1))


if __name__ == "__main__":
    model = HybridNet()
    print(model(torch.randn(2, 3, 48, 48)).shape)
