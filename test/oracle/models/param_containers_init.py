"""Parameters held in nn.ParameterList / nn.ParameterDict, modules registered with keywords,
weights made by nn.init on torch.empty, and a layer count from math.log(scale, 2)."""
import math

import torch
import torch.nn as nn


class CrossNet(nn.Module):
    """DCN-style cross layers: one weight and bias per layer in parameter containers."""

    def __init__(self, dim=16, depth=3):
        super().__init__()
        self.kernels = nn.ParameterList([nn.Parameter(nn.init.xavier_normal_(torch.empty(dim, dim))) for _ in range(depth)])
        self.bias = nn.ParameterDict({f"b{i}": nn.Parameter(torch.zeros(dim)) for i in range(depth)})
        self.scale = nn.ParameterList()
        self.scale.append(nn.Parameter(torch.ones(dim)))
        self.add_module(name="head", module=nn.Linear(dim, 4))
        self.register_buffer(name="mean", tensor=torch.zeros(dim))

    def forward(self, x0):
        x = x0 - self.mean
        for i in range(len(self.kernels)):
            x = x0 * (x @ self.kernels[i]) + self.bias[f"b{i}"] + x
        return self.head(x * self.scale[0])


class Upsampler(nn.Sequential):
    """ESPCN/RCAN upsampler: log2(scale) conv + PixelShuffle(2) stages."""

    def __init__(self, scale, feats):
        layers = []
        for _ in range(int(math.log(scale, 2))):
            layers.append(nn.Conv2d(feats, 4 * feats, 3, padding=1))
            layers.append(nn.PixelShuffle(2))
        super().__init__(*layers)


class SuperRes(nn.Module):
    def __init__(self, scale=8, feats=8):
        super().__init__()
        self.head = nn.Conv2d(3, feats, 3, padding=1)
        self.up = Upsampler(scale, feats)
        self.tail = nn.Conv2d(feats, 3, 3, padding=1)

    def forward(self, x):
        return self.tail(self.up(self.head(x)))


if __name__ == "__main__":
    print(CrossNet()(torch.randn(4, 16)).shape)
    print(SuperRes()(torch.randn(1, 3, 6, 5)).shape)
