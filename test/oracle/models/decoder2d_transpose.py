"""Image decoder exercising ConvTranspose2d: output_padding, groups, dilation, asymmetric kernels."""
import torch
import torch.nn as nn


class UpBlock(nn.Module):
    def __init__(self, in_ch, out_ch, groups=1, output_padding=0, dilation=1):
        super().__init__()
        self.deconv = nn.ConvTranspose2d(in_ch, out_ch, kernel_size=3, stride=2, padding=1,
                                         output_padding=output_padding, groups=groups,
                                         dilation=dilation, bias=False)
        self.bn = nn.BatchNorm2d(out_ch)
        self.act = nn.ReLU(inplace=True)

    def forward(self, x):
        return self.act(self.bn(self.deconv(x)))


class Decoder2d(nn.Module):
    def __init__(self, latent_channels=128):
        super().__init__()
        self.blocks = nn.Sequential(
            UpBlock(latent_channels, 96, output_padding=1),
            UpBlock(96, 64, groups=4, output_padding=1),
            UpBlock(64, 48, dilation=2),
            UpBlock(48, 32, groups=16, output_padding=1, dilation=2),
        )
        self.wide = nn.ConvTranspose2d(32, 16, kernel_size=(1, 4), stride=(1, 2), padding=(0, 1))
        self.to_img = nn.ConvTranspose2d(16, 3, kernel_size=5, padding=2)
        self.sigmoid = nn.Sigmoid()

    def forward(self, z):
        x = self.blocks(z)
        x = self.wide(x)
        return self.sigmoid(self.to_img(x))


if __name__ == "__main__":
    decoder = Decoder2d()
    img = decoder(torch.randn(2, 128, 4, 5))
    print(img.shape)
