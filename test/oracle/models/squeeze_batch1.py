"""Batch-1 inference code: x.squeeze() drops the batch dim; fancy indexing, negative F.pad crop, einsum ellipsis, unflatten."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SaliencyNet(nn.Module):
    def __init__(self, c=8, n_cls=3):
        super().__init__()
        self.conv = nn.Conv2d(3, c, 3, padding=1)
        self.conv2 = nn.Conv2d(c, 12, 3, padding=1)
        self.lin = nn.Linear(6, 10)
        self.W = nn.Parameter(torch.randn(10, n_cls))

    def forward(self, img):
        x = F.relu(self.conv(img))             # 1,8,H,W
        x = F.pad(x, (-2, -2, -1, -1))          # crop
        x = self.conv2(x)                       # 1,12,H-2,W-4
        x = x.squeeze()                         # 12,H-2,W-4  (batch of 1 is dropped)
        x = x[[0, 2, 4, 6, 8, 10]]              # 6,H-2,W-4
        x = x.flatten(1).mean(-1)               # 6
        x = x[None].repeat_interleave(2, dim=0) # 2,6
        h = self.lin(x).unflatten(-1, (5, 2))   # 2,5,2
        h = h.flatten(-2)                       # 2,10
        return torch.einsum("...d,dk->...k", h, self.W)


if __name__ == "__main__":
    model = SaliencyNet()
    print(model(torch.randn(1, 3, 20, 24)).shape)
