"""Ops zoo: torch.chunk / split, nn.GLU, einsum, nn.PixelShuffle, nn.Unflatten, mean(dim=(2,3))."""
import torch
import torch.nn as nn


class GatedConv(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, 2 * cout, 3, padding=1)
        self.glu = nn.GLU(dim=1)

    def forward(self, x):
        return self.glu(self.conv(x))


class SplitMix(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.a = nn.Conv2d(c // 4, c // 4, 3, padding=1)
        self.b = nn.Conv2d(3 * c // 4, 3 * c // 4, 1)

    def forward(self, x):
        c = x.shape[1]
        xa, xb = torch.split(x, [c // 4, c - c // 4], dim=1)
        return torch.cat([self.a(xa), self.b(xb)], dim=1)


class OpsNet(nn.Module):
    def __init__(self, latent=32, c=16):
        super().__init__()
        self.fc = nn.Linear(latent, c * 8 * 8)
        self.unflat = nn.Unflatten(1, (c, 8, 8))
        self.gate = GatedConv(c, c)
        self.mix = SplitMix(c)
        self.up = nn.Sequential(nn.Conv2d(c, 4 * c, 3, padding=1), nn.PixelShuffle(2))
        self.q = nn.Linear(c, c)
        self.out = nn.Conv2d(c // 2, 3, 1)

    def forward(self, z):
        x = self.unflat(self.fc(z))
        x = self.gate(x)
        x = self.mix(x)
        x = self.up(x)                                   # B, c, 16, 16
        pooled = x.mean(dim=(2, 3))                      # B, c
        w = torch.einsum("bc,bchw->bhw", self.q(pooled), x).unsqueeze(1).sigmoid()
        x = x * w
        x1, x2 = x.chunk(2, dim=1)
        return self.out(x1 + x2)


if __name__ == "__main__":
    model = OpsNet()
    print(model(torch.randn(4, 32)).shape)
