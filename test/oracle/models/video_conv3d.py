"""Small C3D-style clip classifier (Conv3d, BatchNorm3d, 3-d pooling), `import torch as T`."""
import torch as T
import torch.nn as nn


class C3DTiny(nn.Module):
    def __init__(self, num_classes=5, in_channels=3):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv3d(in_channels, 32, kernel_size=3, padding=1),
            nn.BatchNorm3d(32),
            nn.ReLU6(inplace=True),
            nn.MaxPool3d(kernel_size=(1, 2, 2), stride=(1, 2, 2)),
            nn.Conv3d(32, 64, kernel_size=(3, 3, 3), stride=(1, 1, 1), padding=(1, 1, 1)),
            nn.BatchNorm3d(64),
            nn.ReLU6(inplace=True),
            nn.MaxPool3d(2, ceil_mode=True),
            nn.Conv3d(64, 64, kernel_size=3, padding=2, dilation=2, groups=4),
            nn.ReLU6(),
            nn.AvgPool3d(kernel_size=2, stride=2),
            nn.Dropout3d(0.2),
        )
        self.pool = nn.AdaptiveAvgPool3d((1, 1, 1))
        self.max_pool = nn.AdaptiveMaxPool3d((1, 2, 2))
        self.fc = nn.Linear(64 + 64 * 4, num_classes)

    def forward(self, clip):
        f = self.features(clip)
        a = T.flatten(self.pool(f), 1)
        b = self.max_pool(f).reshape(f.shape[0], -1)
        return self.fc(T.cat((a, b), dim=1))


if __name__ == "__main__":
    model = C3DTiny()
    clip = T.randn(2, 3, 9, 56, 56)
    print(model(clip).shape)
