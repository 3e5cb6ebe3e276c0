"""WaveNet: causal dilated conv via left F.pad, gated tanh*sigmoid, residual + skip sums."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalConv1d(nn.Conv1d):
    def __init__(self, in_channels, out_channels, kernel_size, dilation=1, **kwargs):
        super().__init__(in_channels, out_channels, kernel_size, padding=0, dilation=dilation, **kwargs)
        self.left_padding = dilation * (kernel_size - 1)

    def forward(self, x):
        x = F.pad(x, (self.left_padding, 0))
        return super().forward(x)


class ResidualLayer(nn.Module):
    def __init__(self, residual_channels, skip_channels, dilation):
        super().__init__()
        self.filter_conv = CausalConv1d(residual_channels, residual_channels, 2, dilation=dilation)
        self.gate_conv = CausalConv1d(residual_channels, residual_channels, 2, dilation=dilation)
        self.res_conv = nn.Conv1d(residual_channels, residual_channels, 1)
        self.skip_conv = nn.Conv1d(residual_channels, skip_channels, 1)

    def forward(self, x):
        z = torch.tanh(self.filter_conv(x)) * torch.sigmoid(self.gate_conv(x))
        return x + self.res_conv(z), self.skip_conv(z)


class WaveNet(nn.Module):
    def __init__(self, n_classes=64, residual_channels=24, skip_channels=32, n_blocks=2, n_layers=4):
        super().__init__()
        self.embed = nn.Conv1d(n_classes, residual_channels, 1)
        dilations = [2 ** i for i in range(n_layers)] * n_blocks
        self.layers = nn.ModuleList(ResidualLayer(residual_channels, skip_channels, d) for d in dilations)
        self.head = nn.Sequential(
            nn.ReLU(),
            nn.Conv1d(skip_channels, skip_channels, 1),
            nn.ReLU(),
            nn.Conv1d(skip_channels, n_classes, 1),
        )
        self.receptive_field = sum(dilations) + 1

    def forward(self, x):
        x = self.embed(x)
        skips = 0
        for layer in self.layers:
            x, s = layer(x)
            skips = skips + s
        out = self.head(skips)
        return out[:, :, self.receptive_field - 1:]


if __name__ == "__main__":
    model = WaveNet()
    x = torch.randn(3, 64, 100)
    print(model(x).shape)
