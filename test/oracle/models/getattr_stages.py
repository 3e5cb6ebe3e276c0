"""Stages registered with setattr(self, f"layer{i}") and fetched with getattr; ModuleList of ModuleList."""
import torch
from torch import nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dw = nn.Conv2d(c, c, 3, padding=1, groups=c)
        self.pw = nn.Conv2d(c, c, 1)
        self.norm = nn.GroupNorm(4, c)

    def forward(self, x):
        return x + self.norm(self.pw(F.gelu(self.dw(x))))


class StagedNet(nn.Module):
    def __init__(self, channels=(16, 32, 64), blocks=(1, 2, 2), num_classes=11):
        super().__init__()
        self.num_stages = len(channels)
        prev = 3
        for i, (c, n) in enumerate(zip(channels, blocks)):
            down = nn.Conv2d(prev, c, kernel_size=2 if i else 4, stride=2 if i else 4)
            setattr(self, f"down{i}", down)
            setattr(self, f"layer{i + 1}", nn.Sequential(*[Block(c) for _ in range(n)]))
            prev = c
        # multi-scale side branches: a list per stage, each a list of convs
        self.side = nn.ModuleList([
            nn.ModuleList([nn.Conv2d(c, 8, 1), nn.Conv2d(8, 8, 3, padding=1)]) for c in channels
        ])
        self.fc = nn.Linear(8 * self.num_stages + channels[-1], num_classes)

    def forward(self, x):
        sides = []
        for i in range(self.num_stages):
            x = getattr(self, "down%d" % i)(x)
            x = getattr(self, f"layer{i + 1}")(x)
            branch = self.side[i]
            s = branch[1](branch[0](x))
            sides.append(F.adaptive_avg_pool2d(s, (1, 1)).squeeze(-1).squeeze(-1))
        g = x.mean((2, 3))
        return self.fc(torch.cat(sides + [g], dim=1))


if __name__ == "__main__":
    model = StagedNet()
    print(model(torch.randn(3, 3, 64, 48)).shape)
