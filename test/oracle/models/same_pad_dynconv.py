"""TF-style 'SAME' padding conv (padding computed from input size with math.ceil) + per-sample dynamic conv via groups=B."""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F


class Conv2dDynamicSamePadding(nn.Conv2d):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, dilation=1, groups=1, bias=True):
        super().__init__(in_channels, out_channels, kernel_size, stride, 0, dilation, groups, bias)
        self.stride = self.stride if len(self.stride) == 2 else [self.stride[0]] * 2

    def forward(self, x):
        ih, iw = x.size()[-2:]
        kh, kw = self.weight.size()[-2:]
        sh, sw = self.stride
        oh, ow = math.ceil(ih / sh), math.ceil(iw / sw)
        pad_h = max((oh - 1) * self.stride[0] + (kh - 1) * self.dilation[0] + 1 - ih, 0)
        pad_w = max((ow - 1) * self.stride[1] + (kw - 1) * self.dilation[1] + 1 - iw, 0)
        if pad_h > 0 or pad_w > 0:
            x = F.pad(x, [pad_w // 2, pad_w - pad_w // 2, pad_h // 2, pad_h - pad_h // 2])
        return F.conv2d(x, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)


class DynamicConv(nn.Module):
    """Kernel generated per sample from a routing vector (CondConv-like)."""

    def __init__(self, cin, cout, k=3, num_experts=4):
        super().__init__()
        self.cin, self.cout, self.k = cin, cout, k
        self.route = nn.Linear(cin, num_experts)
        self.experts = nn.Parameter(torch.randn(num_experts, cout * cin * k * k) * 0.02)

    def forward(self, x):
        b, c, h, w = x.shape
        r = torch.sigmoid(self.route(x.mean((2, 3))))          # (B, E)
        weight = (r @ self.experts).view(b * self.cout, self.cin, self.k, self.k)
        out = F.conv2d(x.reshape(1, b * c, h, w), weight, padding=self.k // 2, groups=b)
        return out.view(b, self.cout, out.size(-2), out.size(-1))


class EffStem(nn.Module):
    def __init__(self, num_classes=6):
        super().__init__()
        self.stem = Conv2dDynamicSamePadding(3, 16, 3, stride=2, bias=False)
        self.bn = nn.BatchNorm2d(16)
        self.dw = Conv2dDynamicSamePadding(16, 16, 5, stride=2, groups=16, bias=False)
        self.dyn = DynamicConv(16, 24)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(24, num_classes)

    def forward(self, x):
        x = F.silu(self.bn(self.stem(x)))
        x = F.silu(self.dw(x))
        x = self.dyn(x)
        return self.fc(self.pool(x).flatten(1))


if __name__ == "__main__":
    model = EffStem()
    print(model(torch.randn(3, 3, 45, 37)).shape)
