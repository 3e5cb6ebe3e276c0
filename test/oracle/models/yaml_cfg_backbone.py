"""Backbone + neck + head built from a nested config dict with a from_config classmethod."""
import copy
import torch
import torch.nn as nn

CFG = {
    "backbone": {"in_chans": 3, "stem": 16, "widths": [16, 32, 48], "depth": [1, 2, 1], "strides": [1, 2, 2]},
    "neck": {"out_channels": 24},
    "head": {"num_classes": 9, "dropout": 0.1},
}


class ConvBlock(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.act = nn.SiLU()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))


class Backbone(nn.Module):
    def __init__(self, in_chans, stem, widths, depth, strides):
        super().__init__()
        self.stem = ConvBlock(in_chans, stem, 2)
        stages = []
        prev = stem
        for w, d, s in zip(widths, depth, strides):
            blocks = [ConvBlock(prev, w, s)] + [ConvBlock(w, w) for _ in range(d - 1)]
            stages.append(nn.Sequential(*blocks))
            prev = w
        self.stages = nn.ModuleList(stages)
        self.out_channels = widths

    def forward(self, x):
        x = self.stem(x)
        outs = []
        for stage in self.stages:
            x = stage(x)
            outs.append(x)
        return outs


class Neck(nn.Module):
    def __init__(self, in_channels_list, out_channels):
        super().__init__()
        self.lateral = nn.ModuleList(nn.Conv2d(c, out_channels, 1) for c in in_channels_list)

    def forward(self, feats):
        pooled = [nn.functional.adaptive_avg_pool2d(l(f), 1).flatten(1) for l, f in zip(self.lateral, feats)]
        return torch.cat(pooled, dim=1)


class Detector(nn.Module):
    def __init__(self, backbone=None, neck=None, head=None):
        super().__init__()
        cfg = copy.deepcopy(CFG)
        backbone = backbone or cfg["backbone"]
        neck = neck or cfg["neck"]
        head = head or cfg["head"]
        self.backbone = Backbone(**backbone)
        self.neck = Neck(self.backbone.out_channels, **neck)
        feat_dim = neck["out_channels"] * len(backbone["widths"])
        self.head = nn.Sequential(nn.Dropout(head.get("dropout", 0.0)), nn.Linear(feat_dim, head["num_classes"]))

    @classmethod
    def from_config(cls, cfg):
        cfg = copy.deepcopy(cfg)
        return cls(backbone=cfg.pop("backbone"), neck=cfg.pop("neck"), head=cfg.pop("head"))

    def forward(self, x):
        return self.head(self.neck(self.backbone(x)))


if __name__ == "__main__":
    my_cfg = copy.deepcopy(CFG)
    my_cfg["backbone"]["widths"] = [24, 40, 64]
    my_cfg["backbone"]["depth"] = [2, 2, 3]
    my_cfg["head"]["num_classes"] = 4
    model = Detector.from_config(my_cfg)
    print(model(torch.randn(2, 3, 64, 64)).shape)
