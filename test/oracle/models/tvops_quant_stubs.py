# torchvision.ops blocks, quantization stubs, remove_weight_norm, self._modules, a from_numpy input and a base class without forward().
import numpy as np
import torch
import torch.nn as nn
from torch.ao.quantization import QuantStub, DeQuantStub
from torch.nn.utils import remove_weight_norm, weight_norm  # noqa: DL119 (torch 1.13, which the oracle runs)
from torchvision.ops import Conv2dNormActivation, SqueezeExcitation, MLP


class Base(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.width = width


class Net(Base):
    def __init__(self):
        super().__init__(16)
        self.quant = QuantStub()
        self.stem = Conv2dNormActivation(3, self.width, kernel_size=3, stride=2)
        self.se = SqueezeExcitation(self.width, 4)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.head = MLP(self.width, [32, 10])
        self.out = weight_norm(nn.Linear(10, 4))  # noqa: DL119
        remove_weight_norm(self.out)
        self.dequant = DeQuantStub()

    def forward(self, x):
        x = self.se(self.stem(self.quant(x)))
        for name, m in self._modules.items():
            if name == "pool":
                x = m(x)
        x = self.head(torch.flatten(x, 1))
        return self.dequant(self.out(x))


if __name__ == "__main__":
    Net()(torch.from_numpy(np.random.rand(2, 3, 32, 32).astype(np.float32)))
