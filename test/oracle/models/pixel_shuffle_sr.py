"""ESPCN-style super-resolution: reflection padding, PixelUnshuffle / PixelShuffle, Upsample."""
import torch as T
import torch.nn as nn

UPSCALE = 3


class ESPCN(nn.Module):
    def __init__(self, channels=1, upscale=UPSCALE, features=(64, 32)):
        super().__init__()
        f1, f2 = features
        self.unshuffle = nn.PixelUnshuffle(2)
        self.body = nn.Sequential(
            nn.ReflectionPad2d(2),
            nn.Conv2d(channels * 4, f1, kernel_size=5),
            nn.Tanh(),
            nn.ReflectionPad2d(1),
            nn.Conv2d(f1, f2, kernel_size=3),
            nn.Tanh(),
            nn.Conv2d(f2, channels * (2 * upscale) ** 2, kernel_size=3, padding=1, padding_mode="reflect"),
        )
        self.shuffle = nn.PixelShuffle(2 * upscale)
        self.skip = nn.Upsample(scale_factor=upscale, mode="bicubic", align_corners=False)
        self.skip_nn = nn.UpsamplingNearest2d(scale_factor=upscale)
        self.skip_bl = nn.UpsamplingBilinear2d(size=(3 * 24, 3 * 30))

    def forward(self, lr):
        x = self.shuffle(self.body(self.unshuffle(lr)))
        base = (self.skip(lr) + self.skip_nn(lr) + self.skip_bl(lr)) / 3
        return T.clamp(x + base, 0.0, 1.0)


if __name__ == "__main__":
    model = ESPCN()
    print(model(T.rand(2, 1, 24, 30)).shape)
