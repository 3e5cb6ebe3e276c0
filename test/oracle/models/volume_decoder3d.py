"""Volumetric decoder (occupancy grids): ConvTranspose3d and trilinear upsampling."""
import torch
import torch.nn as nn

GRID = 4


class VoxelDecoder(nn.Module):
    def __init__(self, code_size=64, channels=(64, 32, 16)):
        super().__init__()
        self.fc = nn.Linear(code_size, channels[0] * GRID ** 3)
        self.unflatten = nn.Unflatten(1, (channels[0], GRID, GRID, GRID))
        layers = []
        for i in range(len(channels) - 1):
            layers.append(nn.ConvTranspose3d(channels[i], channels[i + 1], kernel_size=4, stride=2, padding=1))
            layers.append(nn.BatchNorm3d(channels[i + 1]))
            layers.append(nn.ReLU())
        self.up = nn.Sequential(*layers)
        self.odd = nn.ConvTranspose3d(channels[-1], 8, kernel_size=3, stride=2, padding=1,
                                      output_padding=(1, 0, 1), groups=8, dilation=1)
        self.smooth = nn.Upsample(scale_factor=(1, 2, 1), mode="trilinear", align_corners=True)
        self.head = nn.ConvTranspose3d(8, 1, kernel_size=(3, 1, 3), dilation=(1, 1, 2))
        self.prob = nn.Sigmoid()

    def forward(self, code):
        x = self.unflatten(self.fc(code))
        x = self.up(x)
        x = self.odd(x)
        x = self.smooth(x)
        return self.prob(self.head(x))


if __name__ == "__main__":
    model = VoxelDecoder()
    print(model(torch.randn(2, 64)).shape)
