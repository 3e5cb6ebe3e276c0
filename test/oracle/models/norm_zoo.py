"""Normalisation layers side by side: batch, layer, group, instance and local response norm."""
import torch
import torch.nn as nn


class NormZoo(nn.Module):
    def __init__(self, channels=32, groups=8):
        super().__init__()
        self.conv1 = nn.Conv2d(3, channels, 3, padding=1)
        self.bn = nn.BatchNorm2d(channels, momentum=0.05, eps=1e-3)
        self.bn_plain = nn.BatchNorm2d(channels, affine=False)
        self.gn = nn.GroupNorm(groups, channels)
        self.gn_noaffine = nn.GroupNorm(num_groups=4, num_channels=channels, affine=False)
        self.inorm = nn.InstanceNorm2d(channels)
        self.inorm_affine = nn.InstanceNorm2d(channels, affine=True, track_running_stats=True)
        self.lrn = nn.LocalResponseNorm(size=5, alpha=1e-4, beta=0.75, k=2.0)
        self.ln_spatial = nn.LayerNorm([channels, 16, 16])
        self.ln_plain = nn.LayerNorm(16, elementwise_affine=False)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(channels, 64)
        self.bn1d = nn.BatchNorm1d(64)
        self.ln = nn.LayerNorm(64, eps=1e-6)
        self.seq_in = nn.InstanceNorm1d(4, affine=True)
        self.seq_bn = nn.BatchNorm1d(4)
        self.vol_in = nn.InstanceNorm3d(2)

    def forward(self, x):
        x = self.conv1(x)
        x = self.bn_plain(self.bn(x))
        x = self.gn_noaffine(self.gn(x))
        x = self.inorm_affine(self.inorm(x))
        x = self.lrn(x)
        x = self.ln_plain(self.ln_spatial(x))
        h = self.pool(x).view(x.size(0), -1)
        h = self.ln(self.bn1d(self.fc(h)))
        s = h.view(h.shape[0], 4, 16)
        s = self.seq_bn(self.seq_in(s))
        v = s.reshape(-1, 2, 2, 4, 8)
        return self.vol_in(v)


if __name__ == "__main__":
    model = NormZoo()
    out = model(torch.randn(4, 3, 16, 16))
    print(out.shape)
