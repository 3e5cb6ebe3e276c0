"""CoordConv (meshgrid/linspace coordinates expanded and concatenated) + CBAM (torch.max(...)[0], .values, amax)."""
import torch
import torch.nn as nn


class AddCoords(nn.Module):
    def __init__(self, with_r=False):
        super().__init__()
        self.with_r = with_r

    def forward(self, x):
        b, _, h, w = x.size()
        yy, xx = torch.meshgrid(torch.linspace(-1, 1, h), torch.linspace(-1, 1, w), indexing="ij")
        coords = torch.stack([xx, yy], dim=0).unsqueeze(0).expand(b, -1, -1, -1).to(x)
        out = torch.cat([x, coords], dim=1)
        if self.with_r:
            rr = torch.sqrt(coords[:, :1] ** 2 + coords[:, 1:] ** 2)
            out = torch.cat([out, rr], dim=1)
        return out


class CoordConv(nn.Module):
    def __init__(self, in_ch, out_ch, with_r=True, **kw):
        super().__init__()
        self.add = AddCoords(with_r)
        self.conv = nn.Conv2d(in_ch + 2 + int(with_r), out_ch, **kw)

    def forward(self, x):
        return self.conv(self.add(x))


class CBAM(nn.Module):
    def __init__(self, c, r=4, k=7):
        super().__init__()
        self.mlp = nn.Sequential(nn.Conv2d(c, c // r, 1, bias=False), nn.ReLU(), nn.Conv2d(c // r, c, 1, bias=False))
        self.spatial = nn.Conv2d(2, 1, k, padding=k // 2, bias=False)

    def forward(self, x):
        avg = self.mlp(x.mean((2, 3), keepdim=True))
        mx = self.mlp(x.amax(dim=(2, 3), keepdim=True))
        x = x * torch.sigmoid(avg + mx)
        s_avg = torch.mean(x, dim=1, keepdim=True)
        s_max, _ = torch.max(x, dim=1, keepdim=True)
        s_max2 = x.max(dim=1, keepdim=True).values
        s = torch.cat([s_avg, torch.maximum(s_max, s_max2)], dim=1)
        return x * torch.sigmoid(self.spatial(s))


class CoordCBAMNet(nn.Module):
    def __init__(self, num_classes=4):
        super().__init__()
        self.c1 = CoordConv(3, 16, kernel_size=3, stride=2, padding=1)
        self.att = CBAM(16)
        self.c2 = CoordConv(16, 32, with_r=False, kernel_size=3, stride=2)
        self.fc = nn.Linear(32, num_classes)

    def forward(self, x):
        x = torch.relu(self.c1(x))
        x = self.att(x)
        x = torch.relu(self.c2(x))
        return self.fc(torch.max(x.flatten(2), dim=-1)[0])


if __name__ == "__main__":
    model = CoordCBAMNet()
    print(model(torch.randn(2, 3, 33, 47)).shape)
