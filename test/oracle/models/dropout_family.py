"""Regularised conv + MLP net using every dropout flavour."""
import torch
import torch.nn as nn


class DropoutNet(nn.Module):
    def __init__(self, p=0.3):
        super().__init__()
        self.seq_conv = nn.Conv1d(12, 24, kernel_size=5, padding=2)
        self.drop1d = nn.Dropout1d(p)
        self.to_image = nn.Unflatten(dim=2, unflattened_size=(8, 8))
        self.conv = nn.Conv2d(24, 32, 3)
        self.drop2d = nn.Dropout2d(p=p)
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(32 * 6 * 6, 128)
        self.act = nn.SELU()
        self.alpha_drop = nn.AlphaDropout(0.1)
        self.fc2 = nn.Linear(128, 64)
        self.feat_alpha = nn.FeatureAlphaDropout(0.1)
        self.dropout = nn.Dropout(p, inplace=False)
        self.fc3 = nn.Linear(64, 3)

    def forward(self, x):
        x = self.drop1d(self.seq_conv(x))
        x = self.drop2d(self.conv(self.to_image(x)))
        x = self.alpha_drop(self.act(self.fc1(self.flatten(x))))
        x = self.feat_alpha(self.act(self.fc2(x)))
        return self.fc3(self.dropout(x))


if __name__ == "__main__":
    net = DropoutNet()
    print(net(torch.randn(6, 12, 64)).shape)
