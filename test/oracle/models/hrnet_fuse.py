"""HRNet-style multi-resolution module: parallel branches, fuse layers as ModuleList of ModuleList, F.interpolate(size=)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_bn(cin, cout, stride=1, relu=True):
    layers = [nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout)]
    if relu:
        layers.append(nn.ReLU(inplace=True))
    return nn.Sequential(*layers)


class HRModule(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.nb = len(channels)
        self.branches = nn.ModuleList([conv_bn(c, c) for c in channels])
        fuse = []
        for i in range(self.nb):
            row = []
            for j in range(self.nb):
                if j > i:
                    row.append(nn.Sequential(nn.Conv2d(channels[j], channels[i], 1, bias=False),
                                             nn.BatchNorm2d(channels[i])))
                elif j == i:
                    row.append(nn.Identity())
                else:
                    downs = []
                    for k in range(i - j):
                        last = k == i - j - 1
                        downs.append(conv_bn(channels[j], channels[i] if last else channels[j], 2, relu=not last))
                    row.append(nn.Sequential(*downs))
            fuse.append(nn.ModuleList(row))
        self.fuse_layers = nn.ModuleList(fuse)
        self.relu = nn.ReLU(False)

    def forward(self, xs):
        xs = [b(x) for b, x in zip(self.branches, xs)]
        out = []
        for i, row in enumerate(self.fuse_layers):
            y = xs[i]
            for j, f in enumerate(row):
                if j == i:
                    continue
                z = f(xs[j])
                if j > i:
                    z = F.interpolate(z, size=xs[i].shape[-2:], mode="bilinear", align_corners=False)
                y = y + z
            out.append(self.relu(y))
        return out


class HRNetTiny(nn.Module):
    def __init__(self, channels=(8, 16, 32), num_classes=6):
        super().__init__()
        self.stem = conv_bn(3, channels[0], 2)
        self.trans = nn.ModuleList([conv_bn(channels[0], c, 2 ** i) if i else nn.Identity()
                                    for i, c in enumerate(channels)])
        self.stage = HRModule(list(channels))
        self.head = nn.Conv2d(sum(channels), num_classes, 1)

    def forward(self, x):
        x = self.stem(x)
        xs = self.stage([t(x) for t in self.trans])
        size = xs[0].shape[2:]
        up = [xs[0]] + [F.interpolate(v, size=size, mode="nearest") for v in xs[1:]]
        return self.head(torch.cat(up, 1))


if __name__ == "__main__":
    model = HRNetTiny()
    print(model(torch.randn(1, 3, 50, 66)).shape)
