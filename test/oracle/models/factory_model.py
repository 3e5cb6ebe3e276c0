"""Configurable conv net built by factory functions; a second model is a plain MLP factory."""
import torch
import torch.nn as nn

CONFIGS = {
    "tiny": dict(depth=3, width=16),
    "small": dict(depth=4, width=24),
}


def conv_block(in_ch, out_ch, pool=True):
    layers = [nn.Conv2d(in_ch, out_ch, kernel_size=3, padding=1), nn.BatchNorm2d(out_ch), nn.ReLU()]
    if pool:
        layers.append(nn.MaxPool2d(2))
    return nn.Sequential(*layers)


class ConfigurableConvNet(nn.Module):
    def __init__(self, depth, width, in_channels=3, num_classes=10, last_pool=False):
        super().__init__()
        chans = [in_channels] + [width * 2 ** i for i in range(depth)]
        self.body = nn.Sequential(*(conv_block(a, b, pool=(i < depth - 1 or last_pool))
                                    for i, (a, b) in enumerate(zip(chans[:-1], chans[1:]))))
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(chans[-1], num_classes)

    def forward(self, x):
        x = self.gap(self.body(x))
        return self.fc(x.squeeze(-1).squeeze(-1))


def make_model(name="small", **kwargs):
    cfg = dict(CONFIGS[name])
    cfg.update(kwargs)
    return ConfigurableConvNet(**cfg)


def build_mlp(sizes, act=nn.ReLU, final_act=None):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(act())
    if final_act is not None:
        layers.append(final_act())
    return nn.Sequential(*layers)


model = make_model("small", num_classes=5)
value_head = build_mlp([64, 128, 128, 1], act=nn.Tanh, final_act=nn.Sigmoid)

if __name__ == "__main__":
    print(model(torch.randn(2, 3, 48, 48)).shape)
    print(value_head(torch.randn(16, 64)).shape)
