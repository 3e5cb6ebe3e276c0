"""U-Net with encoder/decoder built from channel lists via enumerate(zip()), reversed() and nn.Upsample."""
import torch
import torch.nn as nn


def double_conv(cin, cout):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
    )


class UNetR(nn.Module):
    def __init__(self, in_ch=1, n_classes=3, features=(8, 16, 32)):
        super().__init__()
        self.downs = nn.ModuleList()
        self.ups = nn.ModuleList()
        self.pool = nn.MaxPool2d(2, 2)
        for feat in features:
            self.downs.append(double_conv(in_ch, feat))
            in_ch = feat
        self.bottleneck = double_conv(features[-1], features[-1] * 2)
        for i, feat in enumerate(reversed(features)):
            self.ups.append(nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"),
                                          nn.Conv2d(feat * 2, feat, kernel_size=1)))
            self.ups.append(double_conv(feat * 2, feat))
        self.final = nn.Conv2d(features[0], n_classes, kernel_size=1)

    def forward(self, x):
        skips = []
        for down in self.downs:
            x = down(x)
            skips.append(x)
            x = self.pool(x)
        x = self.bottleneck(x)
        skips = skips[::-1]
        for idx in range(0, len(self.ups), 2):
            x = self.ups[idx](x)
            skip = skips[idx // 2]
            x = torch.cat((skip, x), dim=1)
            x = self.ups[idx + 1](x)
        return self.final(x)


if __name__ == "__main__":
    model = UNetR()
    print(model(torch.randn(1, 1, 48, 64)).shape)
