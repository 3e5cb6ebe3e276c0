# timm's stochastic-depth schedule: per-block rates read from torch.linspace (item / tolist / float),
# a block's layer chosen by comparing its rate, and torch.arange values used as sizes.
import torch
import torch.nn as nn


class DropPath(nn.Module):
    def __init__(self, p=0.0):
        super().__init__()
        self.p = p

    def forward(self, x):
        return x


class Block(nn.Module):
    def __init__(self, dim, drop_path=0.0):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.drop_path = DropPath(drop_path) if drop_path > 0.0 else nn.Identity()

    def forward(self, x):
        return x + self.drop_path(self.fc(x))


class Net(nn.Module):
    def __init__(self, dim=8, depth=4, drop_path_rate=0.2):
        super().__init__()
        dpr = [x.item() for x in torch.linspace(0, drop_path_rate, depth)]
        self.blocks = nn.Sequential(*[Block(dim, dpr[i]) for i in range(depth)])
        rates = torch.linspace(0.0, 0.3, 3).tolist()
        self.drops = nn.ModuleList([nn.Dropout(r) if r > 0.1 else nn.Identity() for r in rates])
        widths = [int(w) for w in torch.arange(4, 13, 4)]
        self.head = nn.Linear(dim, widths[-1])

    def forward(self, x):
        x = self.blocks(x)
        for d in self.drops:
            x = d(x)
        return self.head(x)


if __name__ == "__main__":
    Net()(torch.randn(2, 8))
