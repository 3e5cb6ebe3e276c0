"""Model whose __init__ takes **kwargs and pops its options (HuggingFace-ish), plus *args forwarding."""
import torch
import torch.nn as nn

DEFAULTS = dict(hidden_size=64, num_layers=3, act="gelu", dropout=0.1, layer_norm_eps=1e-5)
ACT2CLS = {"gelu": nn.GELU, "relu": nn.ReLU, "silu": nn.SiLU, "mish": nn.Mish}


class Config:
    def __init__(self, **kwargs):
        for k, v in DEFAULTS.items():
            setattr(self, k, kwargs.pop(k, v))
        self.num_labels = kwargs.pop("num_labels", 2)
        self.input_size = kwargs.pop("input_size", 16)
        if kwargs:
            self.extra = kwargs


class ResidualFF(nn.Module):
    def __init__(self, config, *args, **kwargs):
        super().__init__()
        inter = kwargs.get("intermediate_size", config.hidden_size * 4)
        self.ln = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.up = nn.Linear(config.hidden_size, inter)
        self.act = ACT2CLS[config.act]()
        self.down = nn.Linear(inter, config.hidden_size)
        self.drop = nn.Dropout(config.dropout)

    def forward(self, x):
        return x + self.drop(self.down(self.act(self.up(self.ln(x)))))


class TabularResNet(nn.Module):
    def __init__(self, **kwargs):
        super().__init__()
        config = Config(**kwargs)
        self.config = config
        self.inp = nn.Linear(config.input_size, config.hidden_size)
        self.layers = nn.ModuleList(
            [ResidualFF(config, intermediate_size=config.hidden_size * (i + 1)) for i in range(config.num_layers)]
        )
        self.out = nn.Linear(config.hidden_size, config.num_labels)

    def forward(self, x):
        h = self.inp(x)
        for layer in self.layers:
            h = layer(h)
        return self.out(h)


if __name__ == "__main__":
    model = TabularResNet(hidden_size=32, num_layers=2, act="mish", num_labels=7, input_size=10, unused_flag=True)
    print(model(torch.randn(8, 10)).shape)
