"""SE-ResNeXt-ish blocks: grouped convs, squeeze-and-excitation gating by broadcasting."""
import torch
import torch.nn as nn


class SqueezeExcite(nn.Module):
    def __init__(self, channels, reduction=4):
        super().__init__()
        self.avg_pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Sequential(
            nn.Linear(channels, channels // reduction, bias=False),
            nn.ReLU(inplace=True),
            nn.Linear(channels // reduction, channels, bias=False),
            nn.Hardsigmoid(),
        )

    def forward(self, x):
        b, c, _, _ = x.size()
        y = self.avg_pool(x).view(b, c)
        y = self.fc(y).view(b, c, 1, 1)
        return x * y.expand_as(x)


class SEBlock(nn.Module):
    def __init__(self, in_ch, out_ch, cardinality=8, stride=1):
        super().__init__()
        self.conv_reduce = nn.Conv2d(in_ch, out_ch, 1, bias=False)
        self.bn_reduce = nn.BatchNorm2d(out_ch)
        self.conv_group = nn.Conv2d(out_ch, out_ch, 3, stride=stride, padding=1, groups=cardinality, bias=False)
        self.bn_group = nn.BatchNorm2d(out_ch)
        self.se = SqueezeExcite(out_ch)
        self.act = nn.Hardswish()
        self.project = None
        if stride != 1 or in_ch != out_ch:
            self.project = nn.Conv2d(in_ch, out_ch, 1, stride=stride, bias=False)

    def forward(self, x):
        out = self.act(self.bn_reduce(self.conv_reduce(x)))
        out = self.bn_group(self.conv_group(out))
        out = self.se(out)
        shortcut = x if self.project is None else self.project(x)
        out += shortcut
        return self.act(out)


class SENet(nn.Module):
    def __init__(self, widths=(32, 64, 128), num_classes=10):
        super().__init__()
        self.stem = nn.Conv2d(3, widths[0], 3, padding=1)
        blocks = []
        in_ch = widths[0]
        for i, w in enumerate(widths):
            blocks.append(SEBlock(in_ch, w, stride=1 if i == 0 else 2))
            blocks.append(SEBlock(w, w))
            in_ch = w
        self.blocks = nn.Sequential(*blocks)
        self.head = nn.Linear(in_ch, num_classes)

    def forward(self, x):
        x = self.blocks(self.stem(x))
        x = x.mean([2, 3])
        return self.head(x)


if __name__ == "__main__":
    model = SENet()
    print(model(torch.randn(2, 3, 40, 40)).shape)
