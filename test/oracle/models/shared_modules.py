"""Weight sharing: the same block instance repeated in a ModuleList ([blk] * 3), a layer reused in a loop,
freezing via requires_grad in a loop, free nn.Parameter scale, nn.Sequential slicing."""
import torch
import torch.nn as nn


class RecurrentRefiner(nn.Module):
    def __init__(self, dim=32, steps=3, num_classes=6):
        super().__init__()
        self.embed = nn.Sequential(nn.Linear(20, dim), nn.LayerNorm(dim), nn.Tanh(), nn.Linear(dim, dim), nn.ReLU())
        shared = nn.Sequential(nn.Linear(dim, dim), nn.GELU())
        self.refine = nn.ModuleList([shared] * steps)
        self.gate = nn.Linear(2 * dim, dim)
        self.temperature = nn.Parameter(torch.ones(1))
        self.head = nn.Linear(dim, num_classes)
        for p in self.embed[:2].parameters():
            p.requires_grad = False

    def forward(self, x):
        h0 = self.embed[:3](x)
        h = self.embed[3:](h0)
        for blk in self.refine:
            h = h + blk(h)
        h = torch.sigmoid(self.gate(torch.cat([h, h0], dim=-1))) * h
        return self.head(h) / self.temperature


if __name__ == "__main__":
    model = RecurrentRefiner()
    print(model(torch.randn(5, 20)).shape)
