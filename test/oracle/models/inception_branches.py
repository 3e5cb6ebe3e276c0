"""Inception-style: branches in a ModuleList joined by torch.cat([b(x) for b in self.branches], 1),
BasicConv2d with **kwargs, aux head only in training, F.avg_pool2d over x.shape[2:]."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicConv2d(nn.Module):
    def __init__(self, in_channels, out_channels, **kwargs):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, bias=False, **kwargs)
        self.bn = nn.BatchNorm2d(out_channels, eps=0.001)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)), inplace=True)


class InceptionA(nn.Module):
    def __init__(self, in_channels, pool_features, conv_block=None):
        super().__init__()
        conv_block = conv_block or BasicConv2d
        self.branches = nn.ModuleList([
            conv_block(in_channels, 16, kernel_size=1),
            nn.Sequential(conv_block(in_channels, 12, kernel_size=1), conv_block(12, 16, kernel_size=5, padding=2)),
            nn.Sequential(conv_block(in_channels, 16, kernel_size=1), conv_block(16, 24, kernel_size=3, padding=1),
                          conv_block(24, 24, kernel_size=3, padding=1)),
        ])
        self.branch_pool = conv_block(in_channels, pool_features, kernel_size=1)

    def forward(self, x):
        outs = [b(x) for b in self.branches]
        outs.append(self.branch_pool(F.avg_pool2d(x, kernel_size=3, stride=1, padding=1)))
        return torch.cat(outs, 1)


class InceptionAux(nn.Module):
    def __init__(self, in_channels, num_classes):
        super().__init__()
        self.conv = BasicConv2d(in_channels, 32, kernel_size=1)
        self.fc = nn.Linear(32, num_classes)

    def forward(self, x):
        x = self.conv(F.adaptive_avg_pool2d(x, (1, 1)))
        return self.fc(torch.flatten(x, 1))


class MiniInception(nn.Module):
    def __init__(self, num_classes=10, aux_logits=True):
        super().__init__()
        self.Conv2d_1a_3x3 = BasicConv2d(3, 32, kernel_size=3, stride=2)
        self.Conv2d_2a_3x3 = BasicConv2d(32, 32, kernel_size=3)
        self.maxpool1 = nn.MaxPool2d(kernel_size=3, stride=2)
        self.Mixed_5b = InceptionA(32, pool_features=16)
        self.Mixed_5c = InceptionA(72, pool_features=32)
        self.AuxLogits = InceptionAux(88, num_classes) if aux_logits else None
        self.dropout = nn.Dropout(0.5)
        self.fc = nn.Linear(88, num_classes)

    def forward(self, x):
        x = self.maxpool1(self.Conv2d_2a_3x3(self.Conv2d_1a_3x3(x)))
        x = self.Mixed_5c(self.Mixed_5b(x))
        aux = self.AuxLogits(x) if self.AuxLogits is not None and self.training else None
        x = F.avg_pool2d(x, kernel_size=x.shape[2:])
        x = self.fc(self.dropout(x.view(x.size(0), -1)))
        return x, aux


if __name__ == "__main__":
    model = MiniInception()
    logits, aux = model(torch.randn(2, 3, 75, 75))
    print(logits.shape, aux.shape)
