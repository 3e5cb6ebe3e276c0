"""Trajectory forecaster: GRU encoder, then a GRUCell / LSTMCell unrolled step by step in forward."""
import torch
import torch.nn as nn

HORIZON = 4


class Forecaster(nn.Module):
    def __init__(self, in_dim=2, hidden=64, horizon=HORIZON):
        super().__init__()
        self.horizon = horizon
        self.encoder = nn.GRU(in_dim, hidden, batch_first=True)
        self.cell = nn.GRUCell(in_dim, hidden)
        self.refine = nn.LSTMCell(hidden, hidden)
        self.to_xy = nn.Linear(hidden, in_dim)

    def forward(self, past):                      # (B, T, 2)
        _, h = self.encoder(past)
        h = h.squeeze(0)
        c = torch.zeros_like(h)
        step = past[:, -1]
        outputs = []
        for _ in range(self.horizon):
            h = self.cell(step, h)
            h, c = self.refine(h, (h, c))
            step = step + self.to_xy(h)
            outputs.append(step)
        return torch.stack(outputs, dim=1)        # (B, horizon, 2)


if __name__ == "__main__":
    model = Forecaster()
    print(model(torch.randn(5, 12, 2)).shape)
