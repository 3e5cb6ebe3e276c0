"""MelGAN / HiFi-GAN style multi-scale discriminator: weight_norm and spectral_norm wrapped convs,
grouped strided Conv1d, LeakyReLU, AvgPool1d between scales, feature-map lists."""
import torch
import torch.nn as nn
import torch.nn.functional as F
# The oracle's torch 1.13 has no parametrizations.weight_norm (2.1+), which DL119 points to.
from torch.nn.utils import weight_norm, spectral_norm  # noqa: DL119

LRELU_SLOPE = 0.2


class ScaleDiscriminator(nn.Module):
    def __init__(self, use_spectral_norm=False):
        super().__init__()
        norm_f = spectral_norm if use_spectral_norm else weight_norm
        self.convs = nn.ModuleList([
            norm_f(nn.Conv1d(1, 16, 15, 1, padding=7)),
            norm_f(nn.Conv1d(16, 32, 41, 4, groups=4, padding=20)),
            norm_f(nn.Conv1d(32, 64, 41, 4, groups=16, padding=20)),
            norm_f(nn.Conv1d(64, 64, 5, 1, padding=2)),
        ])
        self.conv_post = norm_f(nn.Conv1d(64, 1, 3, 1, padding=1))

    def forward(self, x):
        fmap = []
        for layer in self.convs:
            x = F.leaky_relu(layer(x), LRELU_SLOPE)
            fmap.append(x)
        x = self.conv_post(x)
        fmap.append(x)
        return torch.flatten(x, 1, -1), fmap


class MultiScaleDiscriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.discriminators = nn.ModuleList([
            ScaleDiscriminator(use_spectral_norm=True),
            ScaleDiscriminator(),
        ])
        self.meanpools = nn.ModuleList([nn.AvgPool1d(4, 2, padding=2)])

    def forward(self, y):
        outs = []
        for i, d in enumerate(self.discriminators):
            if i != 0:
                y = self.meanpools[i - 1](y)
            y_d, _ = d(y)
            outs.append(y_d)
        return torch.cat(outs, dim=1)


if __name__ == "__main__":
    model = MultiScaleDiscriminator()
    print(model(torch.randn(2, 1, 1024)).shape)
