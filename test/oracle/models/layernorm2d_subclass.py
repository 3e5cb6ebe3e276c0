"""timm-style LayerNorm2d subclassing nn.LayerNorm (channels-last permute) and a subclassed Conv2d."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class LayerNorm2d(nn.LayerNorm):
    """LayerNorm over channels of an NCHW tensor."""

    def __init__(self, num_channels, eps=1e-6, affine=True):
        super().__init__(num_channels, eps=eps, elementwise_affine=affine)

    def forward(self, x):
        x = x.permute(0, 2, 3, 1)
        x = F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
        x = x.permute(0, 3, 1, 2)
        return x


class StdConv2d(nn.Conv2d):
    """Weight-standardised conv (BiT)."""

    def __init__(self, in_channel, out_channels, kernel_size, stride=1, padding=None, bias=False, eps=1e-6):
        if padding is None:
            padding = kernel_size // 2
        super().__init__(in_channel, out_channels, kernel_size, stride=stride, padding=padding, bias=bias)
        self.eps = eps

    def forward(self, x):
        w = F.batch_norm(self.weight.reshape(1, self.out_channels, -1), None, None,
                         training=True, momentum=0., eps=self.eps).reshape_as(self.weight)
        return F.conv2d(x, w, self.bias, self.stride, self.padding, self.dilation, self.groups)


class LNNet(nn.Module):
    def __init__(self, dims=(24, 48), num_classes=5):
        super().__init__()
        self.stem = StdConv2d(3, dims[0], 4, stride=4, padding=0)
        self.norm0 = LayerNorm2d(dims[0])
        self.block = nn.Sequential(
            nn.Conv2d(dims[0], dims[0], 7, padding=3, groups=dims[0]),
            LayerNorm2d(dims[0]),
            StdConv2d(dims[0], dims[1], 3, stride=2, bias=True),
            nn.GELU(),
        )
        self.norm = nn.LayerNorm(dims[1])
        self.head = nn.Linear(dims[1], num_classes)

    def forward(self, x):
        x = self.norm0(self.stem(x))
        x = self.block(x)
        x = x.permute(0, 2, 3, 1)
        x = self.norm(x)
        return self.head(x.mean(dim=(1, 2)))


if __name__ == "__main__":
    model = LNNet()
    print(model(torch.randn(2, 3, 56, 72)).shape)
