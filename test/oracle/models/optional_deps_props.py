"""Code paths chosen by Python rather than by torch: an optional fused kernel imported in
try/except ImportError (the fallback runs where the package is missing), a norm_layer that is
a plain function (so type(norm_layer) == functools.partial is False), a property setter that
rounds a width before the layers are sized, and torchvision's create_feature_extractor."""
import functools
import torch
import torch.nn as nn
from torchvision.models import resnet18
from torchvision.models.feature_extraction import create_feature_extractor

try:
    from apex.normalization import FusedLayerNorm as LayerNorm
except ImportError:
    LayerNorm = nn.LayerNorm


def identity_norm(channels):
    return nn.Identity()


class Stage(nn.Module):
    def __init__(self, cin, width, norm_layer=nn.BatchNorm2d):
        super().__init__()
        if type(norm_layer) == functools.partial:
            use_bias = norm_layer.func == nn.InstanceNorm2d
        else:
            use_bias = norm_layer == nn.InstanceNorm2d
        self.width = width
        self.conv = nn.Conv2d(cin, self.width, 3, 2, 1, bias=use_bias)
        self.norm = norm_layer(self.width)
        self.act = nn.SiLU()

    @property
    def width(self):
        return self._width

    @width.setter
    def width(self, w):
        self._width = max(8, (int(w) + 4) // 8 * 8)

    def forward(self, x):
        return self.act(self.norm(self.conv(x)))


class TapNet(nn.Module):
    def __init__(self, num_classes=5):
        super().__init__()
        self.taps = create_feature_extractor(resnet18(), return_nodes={"layer1": "c2", "layer2": "c3"})
        self.stage_a = Stage(64, 21, norm_layer=identity_norm)
        self.stage_b = Stage(self.stage_a.width + 128, 37, norm_layer=functools.partial(nn.InstanceNorm2d, affine=True))
        self.norm = LayerNorm(self.stage_b.width)
        self.fc = nn.Linear(self.stage_b.width, num_classes)

    def forward(self, x):
        f = self.taps(x)
        a = self.stage_a(f["c2"])
        b = self.stage_b(torch.cat([a, f["c3"]], 1))
        return self.fc(self.norm(b.mean((2, 3))))


if __name__ == "__main__":
    model = TapNet()
    print(model(torch.randn(2, 3, 64, 64)).shape)
