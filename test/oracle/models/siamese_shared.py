"""Siamese verification net: one encoder applied to both inputs (layers called twice)."""
import torch
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self, embed_dim=64):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 5)
        self.conv2 = nn.Conv2d(32, 64, 5)
        self.pool = nn.MaxPool2d(2)
        self.act = nn.ReLU()
        self.fc = nn.Linear(64 * 4 * 4, embed_dim)

    def forward(self, x):
        x = self.pool(self.act(self.conv1(x)))
        x = self.pool(self.act(self.conv2(x)))
        return self.fc(torch.flatten(x, start_dim=1))


class SiameseNet(nn.Module):
    def __init__(self, embed_dim=64):
        super().__init__()
        self.encoder = Encoder(embed_dim)
        self.similarity = nn.CosineSimilarity(dim=1)
        self.distance = nn.PairwiseDistance(p=2.0, keepdim=True)
        self.classifier = nn.Linear(embed_dim + 1, 1)

    def forward(self, a, b):
        ea = self.encoder(a)
        eb = self.encoder(b)
        sim = self.similarity(ea, eb)
        dist = self.distance(ea, eb)
        feats = torch.cat([torch.abs(ea - eb), dist], dim=1)
        return torch.sigmoid(self.classifier(feats)).squeeze(1) * sim


if __name__ == "__main__":
    net = SiameseNet()
    left, right = torch.randn(4, 1, 28, 28), torch.randn(4, 1, 28, 28)
    print(net(left, right).shape)
