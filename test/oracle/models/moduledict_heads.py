"""Backbone + heads chosen by key from nn.ModuleDict; conditional layers with `if use_bn else nn.Identity()`."""
import torch
import torch.nn as nn

ACTS = {"relu": nn.ReLU, "gelu": nn.GELU, "elu": nn.ELU}


def conv_block(cin, cout, use_bn=True, act="relu", pool=True):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=not use_bn),
        nn.BatchNorm2d(cout) if use_bn else nn.Identity(),
        ACTS[act](),
        nn.MaxPool2d(2) if pool else nn.Identity(),
    )


class MultiHeadNet(nn.Module):
    HEAD_DIMS = {"age": 1, "gender": 2, "emotion": 7}

    def __init__(self, widths=(16, 32, 64), use_bn=False, task="emotion", act="elu"):
        super().__init__()
        chans = [3] + list(widths)
        self.backbone = nn.Sequential(*[conv_block(a, b, use_bn, act, pool=i < len(widths) - 1)
                                        for i, (a, b) in enumerate(zip(chans[:-1], chans[1:]))])
        self.heads = nn.ModuleDict({
            name: nn.Sequential(nn.Linear(widths[-1], 32), nn.ReLU(), nn.Linear(32, dim))
            for name, dim in self.HEAD_DIMS.items()
        })
        self.task = task

    def forward(self, x):
        f = self.backbone(x).mean(dim=(2, 3))
        return self.heads[self.task](f)


if __name__ == "__main__":
    model = MultiHeadNet()
    print(model(torch.randn(3, 3, 40, 40)).shape)
