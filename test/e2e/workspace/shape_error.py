"""An MLP whose second layer expects the wrong number of features (DL401)."""
import torch.nn as nn


# tensorlens: input=(1, 784)
class BrokenMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 128)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):
        x = self.act(self.fc1(x))
        return self.fc2(x)
