"""Classifier that avoids computing flatten sizes by hand: nn.LazyLinear after a conv stack,
LazyBatchNorm1d in the head (a pattern used in quick Kaggle / tutorial code)."""
import torch
import torch.nn as nn


class LazyCNN(nn.Module):
    def __init__(self, num_classes=5):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.flatten = nn.Flatten()
        self.classifier = nn.Sequential(
            nn.LazyLinear(64), nn.LazyBatchNorm1d(), nn.ReLU(), nn.Dropout(0.3),
            nn.Linear(64, num_classes),
        )

    def forward(self, x):
        return self.classifier(self.flatten(self.features(x)))


if __name__ == "__main__":
    model = LazyCNN()
    print(model(torch.randn(4, 3, 30, 26)).shape)
