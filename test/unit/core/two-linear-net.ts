// The small model the engine's run-reuse tests start from: two Linear layers and an example
// call. `header` goes on the lines just above the class (a `# tensorlens:` directive).
export function twoLinearNet(header = ''): string {
  return `import torch
import torch.nn as nn

${header}class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 16)
        self.fc2 = nn.Linear(16, 4)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))

model = Net()
y = model(torch.randn(2, 8))
`;
}
