"""Multi-task face attributes: shared trunk, per-task heads in an nn.ModuleDict, stacked outputs."""
import torch
import torch.nn as nn

TASKS = ("age", "gender", "smile", "glasses")


class MultiTaskNet(nn.Module):
    def __init__(self, tasks=TASKS, feat=128, classes_per_task=3):
        super().__init__()
        self.tasks = tasks
        self.trunk = nn.Sequential(
            nn.Conv2d(3, 32, 5, stride=2, padding=2),
            nn.ReLU(),
            nn.Conv2d(32, 64, 3, stride=2, padding=1),
            nn.ReLU(),
            nn.AdaptiveAvgPool2d((4, 4)),
            nn.Flatten(),
            nn.Linear(64 * 16, feat),
            nn.ReLU(),
        )
        self.heads = nn.ModuleDict({t: nn.Linear(feat, classes_per_task) for t in tasks})
        self.towers = nn.ModuleDict()
        for t in tasks:
            self.towers[t] = nn.Sequential(nn.Linear(feat, feat // 2), nn.ReLU(), nn.Linear(feat // 2, 1))

    def forward(self, x):
        shared = self.trunk(x)
        logits = torch.stack([self.heads[t](shared) for t in self.tasks], dim=1)     # (B, T, C)
        scores = torch.cat([self.towers[t](shared) for t in self.tasks], dim=-1)    # (B, T)
        return logits + scores.unsqueeze(-1)


if __name__ == "__main__":
    model = MultiTaskNet()
    print(model(torch.randn(2, 3, 64, 64)).shape)
