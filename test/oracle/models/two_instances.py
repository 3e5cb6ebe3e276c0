"""Two instances of one class built with different sizes, each called on its own input: both are
models (the second is named by its variable, the class name being taken)."""
import torch
import torch.nn as nn


class MLP(nn.Module):
    def __init__(self, d_in, d_hidden, d_out):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(d_in, d_hidden), nn.GELU(), nn.Linear(d_hidden, d_out))

    def forward(self, x):
        return self.net(x)


if __name__ == "__main__":
    small = MLP(4, 8, 2)
    big = MLP(16, 32, 8)
    print(small(torch.randn(3, 4)).shape, big(torch.randn(5, 16)).shape)
