"""Every pooling flavour on one feature map: ceil_mode, padding, dilation, LP, fractional, unpool."""
import torch
import torch.nn as nn


class PoolingZoo(nn.Module):
    def __init__(self, channels=8):
        super().__init__()
        self.conv = nn.Conv2d(3, channels, 3, padding=1)
        self.max_ceil = nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True)
        self.max_pad = nn.MaxPool2d(3, stride=1, padding=1, dilation=1)
        self.max_dil = nn.MaxPool2d(kernel_size=2, stride=1, dilation=2)
        self.avg_ceil = nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)
        self.lp = nn.LPPool2d(2, kernel_size=(2, 3), stride=(1, 2))
        self.frac = nn.FractionalMaxPool2d(kernel_size=2, output_size=(5, 6))
        self.pool_idx = nn.MaxPool2d(2, stride=2, return_indices=True)
        self.unpool = nn.MaxUnpool2d(2, stride=2)
        self.ada_max = nn.AdaptiveMaxPool2d((3, None))
        self.ada_avg = nn.AdaptiveAvgPool2d(output_size=(2, 2))

    def forward(self, x):
        x = self.conv(x)
        x = self.max_ceil(x)
        x = self.max_pad(x)
        x = self.max_dil(x)
        x = self.avg_ceil(x)
        x = self.lp(x)
        x = self.frac(x)
        y, idx = self.pool_idx(x)
        x = self.unpool(y, idx)
        x = self.ada_max(x)
        return self.ada_avg(x).flatten(1)


class VolumePooling(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv3d(1, 4, kernel_size=3, padding=1)
        self.max3 = nn.MaxPool3d(kernel_size=3, stride=2, padding=1, ceil_mode=True)
        self.avg3 = nn.AvgPool3d((1, 2, 2), ceil_mode=True)
        self.frac3 = nn.FractionalMaxPool3d(2, output_ratio=(0.5, 0.5, 0.5))
        self.pool1 = nn.MaxPool1d(2, return_indices=True)
        self.unpool1 = nn.MaxUnpool1d(2)
        self.head = nn.AdaptiveMaxPool1d(4)

    def forward(self, vol):
        v = self.max3(self.conv(vol))
        v = self.avg3(v)
        v = self.frac3(v)
        seq = v.flatten(2)
        pooled, indices = self.pool1(seq)
        seq = self.unpool1(pooled, indices)
        return self.head(seq)


if __name__ == "__main__":
    zoo = PoolingZoo()
    print(zoo(torch.randn(2, 3, 45, 61)).shape)
    vol_net = VolumePooling()
    print(vol_net(torch.randn(2, 1, 15, 20, 20)).shape)
