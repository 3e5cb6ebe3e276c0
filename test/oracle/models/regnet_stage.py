"""RegNet-ish: widths computed from (w0, wa, wm) with numpy-free math, group width helper, nn.Sequential(OrderedDict)."""
import math
from collections import OrderedDict
import torch
import torch.nn as nn


def _adjust_groups(width, group_width, bottleneck_ratio=1.0):
    w_b = int(round(width * bottleneck_ratio))
    g = min(group_width, w_b)
    return width // w_b * g, g


def generate_widths(depth, w_0=24, w_a=12.0, w_m=2.0, q=8):
    ws = [w_0 + w_a * i for i in range(depth)]
    ks = [round(math.log(w / w_0) / math.log(w_m)) for w in ws]
    ws = [int(round(w_0 * w_m ** k / q) * q) for k in ks]
    stage_widths, stage_depths = [], []
    for w in ws:
        if stage_widths and stage_widths[-1] == w:
            stage_depths[-1] += 1
        else:
            stage_widths.append(w)
            stage_depths.append(1)
    return stage_widths, stage_depths


class ResBottleneckBlock(nn.Module):
    def __init__(self, width_in, width_out, stride, group_width=8):
        super().__init__()
        w_b, g = _adjust_groups(width_out, group_width)
        self.f = nn.Sequential(OrderedDict([
            ("a", nn.Conv2d(width_in, w_b, 1, bias=False)),
            ("a_bn", nn.BatchNorm2d(w_b)),
            ("a_relu", nn.ReLU(inplace=True)),
            ("b", nn.Conv2d(w_b, w_b, 3, stride=stride, padding=1, groups=w_b // g, bias=False)),
            ("b_bn", nn.BatchNorm2d(w_b)),
            ("b_relu", nn.ReLU(inplace=True)),
            ("c", nn.Conv2d(w_b, width_out, 1, bias=False)),
            ("c_bn", nn.BatchNorm2d(width_out)),
        ]))
        self.proj = None
        if width_in != width_out or stride != 1:
            self.proj = nn.Sequential(nn.Conv2d(width_in, width_out, 1, stride=stride, bias=False),
                                      nn.BatchNorm2d(width_out))
        self.activation = nn.ReLU(inplace=True)

    def forward(self, x):
        if self.proj is not None:
            x = self.proj(x) + self.f(x)
        else:
            x = x + self.f(x)
        return self.activation(x)


class RegNetTiny(nn.Module):
    def __init__(self, depth=6, num_classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU(inplace=True))
        widths, depths = generate_widths(depth)
        blocks = []
        current = 16
        for i, (w, d) in enumerate(zip(widths, depths)):
            stage = nn.Sequential(*[ResBottleneckBlock(current if j == 0 else w, w, 2 if j == 0 else 1) for j in range(d)])
            blocks.append((f"block{i + 1}", stage))
            current = w
        self.trunk_output = nn.Sequential(OrderedDict(blocks))
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(current, num_classes)

    def forward(self, x):
        x = self.trunk_output(self.stem(x))
        return self.fc(self.avgpool(x).flatten(start_dim=1))


if __name__ == "__main__":
    model = RegNetTiny()
    print(model(torch.randn(2, 3, 64, 64)).shape)
