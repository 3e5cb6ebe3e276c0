"""A training script with two classic PyTorch pitfalls (for the e2e suites)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(20, 4)

    def forward(self, x):
        return self.fc(x)


def train(model, loader, epochs=3):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    criterion = nn.CrossEntropyLoss()
    for _ in range(epochs):
        for x, y in loader:
            logits = model(x)
            loss = criterion(F.softmax(logits, dim=1), y)
            loss.backward()
            optimizer.step()
