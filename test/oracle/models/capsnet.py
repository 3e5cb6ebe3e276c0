"""Capsule network: squash, primary caps via view, dynamic routing with einsum-free matmul, norm output."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def squash(s, dim=-1):
    sq = (s ** 2).sum(dim=dim, keepdim=True)
    return sq / (1 + sq) * s / torch.sqrt(sq + 1e-8)


class PrimaryCaps(nn.Module):
    def __init__(self, in_ch=64, caps_dim=8, n_maps=8, k=9, stride=2):
        super().__init__()
        self.caps_dim = caps_dim
        self.conv = nn.Conv2d(in_ch, caps_dim * n_maps, kernel_size=k, stride=stride)

    def forward(self, x):
        out = self.conv(x)
        B = out.size(0)
        out = out.view(B, self.caps_dim, -1).transpose(1, 2)
        return squash(out)


class DigitCaps(nn.Module):
    def __init__(self, in_caps, in_dim, out_caps, out_dim, iters=3):
        super().__init__()
        self.iters = iters
        self.W = nn.Parameter(0.01 * torch.randn(1, in_caps, out_caps, out_dim, in_dim))

    def forward(self, u):
        u = u[:, :, None, :, None]                       # B, in_caps, 1, in_dim, 1
        u_hat = torch.matmul(self.W, u).squeeze(-1)     # B, in_caps, out_caps, out_dim
        b = torch.zeros(u_hat.shape[:3])
        for i in range(self.iters):
            c = F.softmax(b, dim=2)
            s = (c.unsqueeze(-1) * u_hat).sum(dim=1)    # B, out_caps, out_dim
            v = squash(s)
            if i < self.iters - 1:
                b = b + (u_hat * v.unsqueeze(1)).sum(-1)
        return v


class CapsNet(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 64, kernel_size=9)
        self.relu = nn.ReLU(inplace=True)
        self.primary = PrimaryCaps()
        self.digits = DigitCaps(8 * 6 * 6, 8, num_classes, 16)
        self.decoder = nn.Sequential(
            nn.Linear(16 * num_classes, 256), nn.ReLU(inplace=True),
            nn.Linear(256, 784), nn.Sigmoid(), nn.Unflatten(1, (1, 28, 28)),
        )

    def forward(self, x):
        v = self.digits(self.primary(self.relu(self.conv1(x))))
        lengths = v.norm(dim=-1)
        mask = F.one_hot(lengths.argmax(dim=1), num_classes=v.size(1)).float()
        recon = self.decoder((v * mask.unsqueeze(-1)).flatten(start_dim=1))
        return lengths, recon


if __name__ == "__main__":
    model = CapsNet()
    lengths, recon = model(torch.randn(2, 1, 28, 28))
    print(lengths.shape, recon.shape)
