"""PointNet++-ish set abstraction: shared MLP via Conv2d on grouped points, torch.max(x, 2)[0]."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def sample_and_group(xyz, points, npoint, nsample):
    # deterministic "sampling": first npoint centroids, first nsample neighbours
    B, N, C = xyz.shape
    new_xyz = xyz[:, :npoint, :]
    idx = torch.arange(nsample).view(1, 1, nsample).repeat(B, npoint, 1)
    grouped = xyz.unsqueeze(1).expand(B, npoint, N, C)[:, :, :nsample, :]
    grouped = grouped - new_xyz.view(B, npoint, 1, C)
    if points is not None:
        D = points.shape[-1]
        gp = points.unsqueeze(1).expand(B, npoint, N, D)[:, :, :nsample, :]
        grouped = torch.cat([grouped, gp], dim=-1)
    return new_xyz, grouped


class SetAbstraction(nn.Module):
    def __init__(self, npoint, nsample, in_channel, mlp):
        super().__init__()
        self.npoint, self.nsample = npoint, nsample
        self.mlp_convs = nn.ModuleList()
        self.mlp_bns = nn.ModuleList()
        last_channel = in_channel
        for out_channel in mlp:
            self.mlp_convs.append(nn.Conv2d(last_channel, out_channel, 1))
            self.mlp_bns.append(nn.BatchNorm2d(out_channel))
            last_channel = out_channel

    def forward(self, xyz, points):
        new_xyz, new_points = sample_and_group(xyz, points, self.npoint, self.nsample)
        new_points = new_points.permute(0, 3, 2, 1)  # B, C, nsample, npoint
        for i, conv in enumerate(self.mlp_convs):
            bn = self.mlp_bns[i]
            new_points = F.relu(bn(conv(new_points)))
        new_points = torch.max(new_points, 2)[0]
        return new_xyz, new_points.transpose(1, 2)


class PointNet2Cls(nn.Module):
    def __init__(self, num_class=13):
        super().__init__()
        self.sa1 = SetAbstraction(64, 16, 3, [32, 32, 64])
        self.sa2 = SetAbstraction(16, 8, 64 + 3, [64, 128])
        self.fc1 = nn.Linear(128, 64)
        self.bn1 = nn.BatchNorm1d(64)
        self.drop1 = nn.Dropout(0.4)
        self.fc3 = nn.Linear(64, num_class)

    def forward(self, xyz):
        xyz = xyz.transpose(2, 1)
        l1_xyz, l1_points = self.sa1(xyz, None)
        l2_xyz, l2_points = self.sa2(l1_xyz, l1_points)
        x, _ = torch.max(l2_points, dim=1)
        x = self.drop1(F.relu(self.bn1(self.fc1(x))))
        x = self.fc3(x)
        return F.log_softmax(x, -1)


if __name__ == "__main__":
    model = PointNet2Cls()
    print(model(torch.randn(4, 3, 256)).shape)
