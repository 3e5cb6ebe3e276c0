// The small two-layer model several server tests edit (a DL401 appears when fc2's in_features changes).
export const SRC = `import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 300)
        self.fc2 = nn.Linear(300, 10)

    def forward(self, x):
        h = self.fc1(x)
        return self.fc2(h)


model = Net()
y = model(torch.randn(4, 784))
`;
