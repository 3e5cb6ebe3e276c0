"""A grab bag of Conv2d settings: stride, dilation, groups, 'same' padding, padding modes."""
import torch
from torch.nn import BatchNorm2d, Conv2d, Linear, Module, ReLU
from torch.nn import functional as F


class ConvVariants(Module):
    def __init__(self, in_ch=3, width=24, num_classes=7):
        super().__init__()
        self.stem = Conv2d(in_ch, width, kernel_size=3, stride=2, padding=1, bias=False)
        self.bn = BatchNorm2d(width)
        self.relu = ReLU(inplace=True)
        self.same = Conv2d(width, width, kernel_size=5, padding="same")
        self.same_dilated = Conv2d(width, width, 3, padding="same", dilation=2)
        self.reflect = Conv2d(width, 2 * width, kernel_size=3, padding=1, padding_mode="reflect")
        self.replicate = Conv2d(2 * width, 2 * width, kernel_size=(3, 5), padding=(1, 2),
                                padding_mode="replicate", groups=4)
        self.circular = Conv2d(2 * width, 2 * width, 3, padding=1, padding_mode="circular", groups=2 * width)
        self.dilated = Conv2d(2 * width, 64, kernel_size=3, dilation=(2, 3), stride=(1, 2))
        self.rect = Conv2d(64, 64, kernel_size=(1, 7), padding=(0, 3), groups=8, bias=False)
        self.valid = Conv2d(64, 32, kernel_size=3, stride=3, padding="valid")
        self.fc = Linear(32, num_classes)

    def forward(self, x):
        x = self.relu(self.bn(self.stem(x)))
        x = self.same(x)
        x = self.same_dilated(x)
        x = self.reflect(x)
        x = self.replicate(x)
        x = self.circular(x)
        x = self.dilated(x)
        x = F.relu(self.rect(x))
        x = self.valid(x)
        x = x.mean(dim=(2, 3))
        return self.fc(x)


if __name__ == "__main__":
    model = ConvVariants()
    y = model(torch.randn(2, 3, 64, 80))
    print(y.shape)
