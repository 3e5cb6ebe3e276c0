"""Activation functions applied in a configurable order through an nn.ModuleDict."""
import torch
import torch.nn as nn

ACTIVATION_ORDER = [
    "relu", "leaky", "elu", "selu", "celu", "gelu", "silu", "mish", "hardswish",
    "hardsigmoid", "hardtanh", "relu6", "sigmoid", "tanh", "softplus", "softsign",
    "softshrink", "hardshrink", "tanhshrink", "threshold", "logsigmoid", "rrelu", "prelu",
]


class ActivationZoo(nn.Module):
    def __init__(self, features=64, order=ACTIVATION_ORDER):
        super().__init__()
        self.order = list(order)
        self.proj = nn.Linear(32, features)
        self.acts = nn.ModuleDict({
            "relu": nn.ReLU(),
            "leaky": nn.LeakyReLU(negative_slope=0.02),
            "elu": nn.ELU(),
            "selu": nn.SELU(),
            "celu": nn.CELU(alpha=1.5),
            "gelu": nn.GELU(approximate="tanh"),
            "silu": nn.SiLU(),
            "mish": nn.Mish(),
            "hardswish": nn.Hardswish(),
            "hardsigmoid": nn.Hardsigmoid(),
            "hardtanh": nn.Hardtanh(-2.0, 2.0),
            "relu6": nn.ReLU6(),
            "sigmoid": nn.Sigmoid(),
            "tanh": nn.Tanh(),
            "softplus": nn.Softplus(beta=2),
            "softsign": nn.Softsign(),
            "softshrink": nn.Softshrink(0.1),
            "hardshrink": nn.Hardshrink(),
            "tanhshrink": nn.Tanhshrink(),
            "threshold": nn.Threshold(0.1, 0.0),
            "logsigmoid": nn.LogSigmoid(),
            "rrelu": nn.RReLU(),
            "prelu": nn.PReLU(num_parameters=features, init=0.1),
        })
        self.glu = nn.GLU(dim=-1)
        self.out = nn.Linear(features // 2, 10)
        self.softmax = nn.Softmax(dim=-1)
        self.softmin = nn.Softmin(dim=1)
        self.log_softmax = nn.LogSoftmax(dim=-1)

    def forward(self, x):
        x = self.proj(x)
        for name in self.order:
            x = self.acts[name](x)
        x = self.glu(x)
        logits = self.out(x)
        return self.log_softmax(self.softmax(logits) + self.softmin(logits))


class SpatialSoftmax(nn.Module):
    def __init__(self):
        super(SpatialSoftmax, self).__init__()
        self.conv = nn.Conv2d(3, 6, 1)
        self.glu = nn.GLU(dim=1)
        self.prelu = nn.PReLU()
        self.softmax2d = nn.Softmax2d()

    def forward(self, x):
        return self.softmax2d(self.prelu(self.glu(self.conv(x))))


if __name__ == "__main__":
    zoo = ActivationZoo()
    print(zoo(torch.randn(5, 32)).shape)
    spatial = SpatialSoftmax()
    print(spatial(torch.randn(2, 3, 7, 9)).shape)
