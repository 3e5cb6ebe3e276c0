"""Transfer learning: a frozen conv backbone (requires_grad_(False)) with a trainable head."""
import torch
import torch.nn as nn


def conv_bn_relu(in_ch, out_ch, stride=1):
    return nn.Sequential(
        nn.Conv2d(in_ch, out_ch, 3, stride, 1, bias=False),
        nn.BatchNorm2d(out_ch),
        nn.ReLU(inplace=True),
    )


class Backbone(nn.Module):
    def __init__(self, widths=(32, 64, 128, 256)):
        super().__init__()
        stages = []
        in_ch = 3
        for i, w in enumerate(widths):
            stages.append(conv_bn_relu(in_ch, w, stride=2 if i > 0 else 1))
            stages.append(conv_bn_relu(w, w))
            in_ch = w
        self.stages = nn.Sequential(*stages)
        self.out_channels = in_ch

    def forward(self, x):
        return self.stages(x)


class FineTuner(nn.Module):
    def __init__(self, num_classes=37, freeze=True):
        super().__init__()
        self.backbone = Backbone()
        if freeze:
            self.backbone.requires_grad_(False)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.head = nn.Sequential(
            nn.Flatten(),
            nn.Dropout(0.5),
            nn.Linear(self.backbone.out_channels, 128),
            nn.BatchNorm1d(128),
            nn.ReLU(),
            nn.Linear(128, num_classes),
        )
        self.head[-1].bias.requires_grad = False

    def forward(self, x):
        return self.head(self.pool(self.backbone(x)))


if __name__ == "__main__":
    model = FineTuner()
    print(model(torch.randn(2, 3, 64, 64)).shape)
    print(sum(p.numel() for p in model.parameters() if p.requires_grad))
