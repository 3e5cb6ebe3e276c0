"""Explicit padding modules in 1-d, 2-d and 3-d, as a module-level Sequential and a class."""
from collections import OrderedDict

import torch
import torch.nn as nn

pad_stack = nn.Sequential(OrderedDict([
    ("zero", nn.ZeroPad2d((1, 2, 0, 3))),
    ("conv_a", nn.Conv2d(3, 8, kernel_size=3)),
    ("reflect", nn.ReflectionPad2d(2)),
    ("conv_b", nn.Conv2d(8, 8, kernel_size=5)),
    ("replicate", nn.ReplicationPad2d((0, 1, 1, 0))),
    ("const", nn.ConstantPad2d(1, 0.5)),
    ("pool", nn.MaxPool2d(2)),
]))


class PaddedSignals(nn.Module):
    def __init__(self):
        super().__init__()
        self.pad1_const = nn.ConstantPad1d((3, 0), 0.0)
        self.pad1_reflect = nn.ReflectionPad1d(2)
        self.pad1_rep = nn.ReplicationPad1d((1, 4))
        self.conv1 = nn.Conv1d(2, 4, kernel_size=4)
        self.pad3_const = nn.ConstantPad3d((1, 1, 2, 2, 0, 1), -1.0)
        self.pad3_reflect = nn.ReflectionPad3d(1)
        self.pad3_rep = nn.ReplicationPad3d((2, 0, 0, 2, 1, 1))
        self.conv3 = nn.Conv3d(1, 2, kernel_size=3)

    def forward(self, signal, volume):
        s = self.pad1_rep(self.pad1_reflect(self.pad1_const(signal)))
        s = self.conv1(s)
        v = self.pad3_rep(self.pad3_reflect(self.pad3_const(volume)))
        v = self.conv3(v)
        return v, s


if __name__ == "__main__":
    print(pad_stack(torch.randn(2, 3, 30, 30)).shape)
    padded = PaddedSignals()
    v, s = padded(torch.randn(2, 2, 50), torch.randn(2, 1, 6, 7, 8))
    print(v.shape, s.shape)
