# Containers changed after they were built: ModuleList.pop (renumbered), Sequential.pop / del (not renumbered), list.sort and slice assignment.
import torch
import torch.nn as nn
class M(nn.Module):
    def __init__(self, widths=(32, 8, 16)):
        super().__init__()
        self.blocks = nn.ModuleList([nn.Linear(4, 4) for _ in range(3)])
        self.blocks.pop(0)
        self.head = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Tanh())
        self.head.pop(1)
        del self.head[-1]
        ws = list(widths)
        ws.sort()
        ws[1:] = [ws[0]]
        self.fc = nn.Linear(ws[-1], ws[0])
    def forward(self, x):
        for b in self.blocks:
            x = b(x)
        return self.fc(self.head(x))
if __name__ == "__main__":
    M()(torch.randn(2, 4))
