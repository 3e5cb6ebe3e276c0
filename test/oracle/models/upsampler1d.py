"""1-d signal decoder: ConvTranspose1d with output_padding, groups, dilation; 1-d upsampling."""
import torch
import torch.nn as nn


class SignalDecoder(nn.Module):
    def __init__(self, latent=32, base=64, out_channels=2):
        super().__init__()
        self.up1 = nn.ConvTranspose1d(latent, base, kernel_size=4, stride=2, padding=1)
        self.act1 = nn.LeakyReLU(0.1)
        self.up2 = nn.ConvTranspose1d(base, base, kernel_size=3, stride=2, padding=1, output_padding=1, groups=4)
        self.act2 = nn.ELU(alpha=0.5)
        self.up3 = nn.ConvTranspose1d(base, base // 2, kernel_size=3, stride=3, dilation=2, bias=False)
        self.norm = nn.InstanceNorm1d(base // 2, affine=True)
        self.interp = nn.Upsample(scale_factor=2, mode="linear", align_corners=False)
        self.resize = nn.Upsample(size=400, mode="nearest")
        self.head = nn.Conv1d(base // 2, out_channels, kernel_size=1)
        self.out_act = nn.Tanh()

    def forward(self, z):
        x = self.act1(self.up1(z))
        x = self.act2(self.up2(x))
        x = self.norm(self.up3(x))
        x = self.interp(x)
        x = self.resize(x)
        return self.out_act(self.head(x))


if __name__ == "__main__":
    decoder = SignalDecoder()
    z = torch.randn(2, 32, 25)
    print(decoder(z).shape)
