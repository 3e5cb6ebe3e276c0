"""Feature pyramid: backbone stages, lateral 1x1 convs, top-down interpolation, split heads."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class FPNLite(nn.Module):
    def __init__(self, in_channels=3, stage_channels=(32, 64, 128), fpn_channels=48, num_anchors=3, num_classes=5):
        super().__init__()
        self.stages = nn.ModuleList()
        prev = in_channels
        for c in stage_channels:
            self.stages.append(nn.Sequential(nn.Conv2d(prev, c, 3, stride=2, padding=1), nn.BatchNorm2d(c), nn.ReLU()))
            prev = c
        self.lateral = nn.ModuleList([nn.Conv2d(c, fpn_channels, 1) for c in stage_channels])
        self.smooth = nn.ModuleList([nn.Conv2d(fpn_channels, fpn_channels, 3, padding=1) for _ in stage_channels])
        self.num_classes = num_classes
        self.num_anchors = num_anchors
        self.head = nn.Conv2d(fpn_channels, num_anchors * (4 + num_classes), 1)

    def forward(self, x):
        feats = []
        for stage in self.stages:
            x = stage(x)
            feats.append(x)
        laterals = [lat(f) for lat, f in zip(self.lateral, feats)]
        for i in range(len(laterals) - 1, 0, -1):
            laterals[i - 1] = laterals[i - 1] + F.interpolate(laterals[i], scale_factor=2, mode="nearest")
        outs = [sm(l) for sm, l in zip(self.smooth, laterals)]
        preds = []
        for o in outs:
            p = self.head(o)                               # head reused on every level
            b, _, h, w = p.shape
            p = p.view(b, self.num_anchors, 4 + self.num_classes, h * w)
            preds.append(p)
        p = torch.cat(preds, dim=-1)                        # (B, A, 4 + C, sum HW)
        boxes, scores = torch.split(p, [4, self.num_classes], dim=2)
        return scores.sum(dim=1, keepdim=False), boxes


if __name__ == "__main__":
    model = FPNLite()
    scores, boxes = model(torch.randn(2, 3, 64, 96))
    print(scores.shape, boxes.shape)
