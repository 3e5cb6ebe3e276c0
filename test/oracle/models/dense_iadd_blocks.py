"""Residual MLP tower built incrementally: ModuleList grown with `+=` and `.append`, stages via `.extend`,
widths from a list with a running `in_dim`, LayerNorm + SiLU blocks, skip projection when widths differ."""
import torch
import torch.nn as nn


class ResMLPBlock(nn.Module):
    def __init__(self, in_dim, out_dim, dropout=0.1):
        super().__init__()
        self.norm = nn.LayerNorm(in_dim)
        self.fc1 = nn.Linear(in_dim, out_dim * 2)
        self.act = nn.SiLU()
        self.drop = nn.Dropout(dropout)
        self.fc2 = nn.Linear(out_dim * 2, out_dim)
        self.skip = nn.Linear(in_dim, out_dim, bias=False) if in_dim != out_dim else nn.Identity()

    def forward(self, x):
        return self.skip(x) + self.fc2(self.drop(self.act(self.fc1(self.norm(x)))))


class TabularResNet(nn.Module):
    def __init__(self, in_features=30, widths=(64, 64, 32), num_classes=4):
        super().__init__()
        self.blocks = nn.ModuleList([nn.Linear(in_features, widths[0])])
        in_dim = widths[0]
        for w in widths:
            self.blocks += [ResMLPBlock(in_dim, w)]
            in_dim = w
        self.blocks.append(nn.LayerNorm(in_dim))
        self.head = nn.ModuleList()
        self.head.extend([nn.Linear(in_dim, in_dim), nn.ReLU(), nn.Linear(in_dim, num_classes)])

    def forward(self, x):
        for blk in self.blocks:
            x = blk(x)
        for layer in self.head:
            x = layer(x)
        return x


if __name__ == "__main__":
    model = TabularResNet()
    print(model(torch.randn(16, 30)).shape)
