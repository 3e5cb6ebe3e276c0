"""Stacked-hourglass style: recursive module construction (depth n builds n-1), nearest upsample, shared weights."""
import torch
import torch.nn as nn


class Residual(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.net = nn.Sequential(nn.BatchNorm2d(c), nn.ReLU(), nn.Conv2d(c, c // 2, 1),
                                 nn.BatchNorm2d(c // 2), nn.ReLU(), nn.Conv2d(c // 2, c, 3, padding=1))

    def forward(self, x):
        return x + self.net(x)


class Hourglass(nn.Module):
    def __init__(self, n, f):
        super().__init__()
        self.up1 = Residual(f)
        self.pool1 = nn.MaxPool2d(2, 2)
        self.low1 = Residual(f)
        self.n = n
        if self.n > 1:
            self.low2 = Hourglass(n - 1, f)
        else:
            self.low2 = Residual(f)
        self.low3 = Residual(f)
        self.up2 = nn.Upsample(scale_factor=2, mode="nearest")

    def forward(self, x):
        up1 = self.up1(x)
        low1 = self.low1(self.pool1(x))
        low2 = self.low2(low1)
        low3 = self.low3(low2)
        return up1 + self.up2(low3)


class StackedHourglass(nn.Module):
    def __init__(self, nstack=2, inp_dim=16, oup_dim=5, depth=3):
        super().__init__()
        self.nstack = nstack
        self.pre = nn.Sequential(nn.Conv2d(3, inp_dim, 7, 2, 3), nn.BatchNorm2d(inp_dim), nn.ReLU())
        self.hgs = nn.ModuleList([Hourglass(depth, inp_dim) for _ in range(nstack)])
        self.outs = nn.ModuleList([nn.Conv2d(inp_dim, oup_dim, 1) for _ in range(nstack)])
        self.merge_preds = nn.ModuleList([nn.Conv2d(oup_dim, inp_dim, 1) for _ in range(nstack - 1)])

    def forward(self, imgs):
        x = self.pre(imgs)
        preds = []
        for i in range(self.nstack):
            feat = self.hgs[i](x)
            preds.append(self.outs[i](feat))
            if i < self.nstack - 1:
                x = x + self.merge_preds[i](preds[-1])
        return torch.stack(preds, 1)


if __name__ == "__main__":
    model = StackedHourglass()
    print(model(torch.randn(2, 3, 64, 64)).shape)
