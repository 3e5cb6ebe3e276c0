"""Forward passes that branch on self.training: a detection head that returns raw maps while
training and decoded boxes in eval mode, and an auxiliary classifier used only in training."""
import torch
import torch.nn as nn


class Detect(nn.Module):
    def __init__(self, nc=4, na=3, ch=(16, 32)):
        super().__init__()
        self.no = nc + 5
        self.na = na
        self.m = nn.ModuleList(nn.Conv2d(c, self.no * na, 1) for c in ch)

    def forward(self, xs):
        out, z = [], []
        for i, x in enumerate(xs):
            y = self.m[i](x)
            bs, _, ny, nx = y.shape
            y = y.view(bs, self.na, self.no, ny, nx).permute(0, 1, 3, 4, 2).contiguous()
            out.append(y)
            if not self.training:
                z.append(y.view(bs, -1, self.no))
        return out if self.training else torch.cat(z, 1)


class TinyDetector(nn.Module):
    def __init__(self):
        super().__init__()
        self.b1 = nn.Conv2d(3, 16, 3, stride=2, padding=1)
        self.b2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.aux = nn.Linear(32, 10)
        self.head = Detect()

    def forward(self, x):
        p1 = torch.relu(self.b1(x))
        p2 = torch.relu(self.b2(p1))
        det = self.head([p1, p2])
        if self.training:
            return det, self.aux(p2.mean((2, 3)))
        return det


if __name__ == "__main__":
    model = TinyDetector().eval()
    print(model(torch.randn(1, 3, 32, 32)).shape)
