"""Keyword spotting on 1 s of 8 kHz audio: strided Conv1d stack with every 1-d pooling."""
import torch
import torch.nn as nn
import torch.nn.functional as F

SAMPLE_RATE = 8000


def conv_block(in_ch, out_ch, kernel_size, stride=1, dilation=1):
    return nn.Sequential(
        nn.Conv1d(in_ch, out_ch, kernel_size, stride=stride, dilation=dilation,
                  padding=dilation * (kernel_size - 1) // 2, bias=False),
        nn.BatchNorm1d(out_ch),
        nn.PReLU(out_ch),
    )


class KeywordNet(nn.Module):
    def __init__(self, n_keywords=12, channels=(16, 32, 64)):
        super().__init__()
        c1, c2, c3 = channels
        self.front = conv_block(1, c1, kernel_size=80, stride=4)
        self.pool1 = nn.MaxPool1d(4, ceil_mode=True)
        self.block2 = conv_block(c1, c2, 3, dilation=2)
        self.pool2 = nn.AvgPool1d(kernel_size=3, stride=2, padding=1)
        self.block3 = conv_block(c2, c3, 3)
        self.pool3 = nn.LPPool1d(norm_type=2, kernel_size=2)
        self.avg = nn.AdaptiveAvgPool1d(1)
        self.max = nn.AdaptiveMaxPool1d(output_size=1)
        self.classifier = nn.Linear(2 * c3, n_keywords)

    def forward(self, wav):
        x = self.pool1(self.front(wav))
        x = self.pool2(self.block2(x))
        x = self.pool3(self.block3(x))
        x = torch.cat([self.avg(x), self.max(x)], dim=1).squeeze(-1)
        return F.log_softmax(self.classifier(x), dim=-1)


if __name__ == "__main__":
    model = KeywordNet()
    audio = torch.randn(3, 1, SAMPLE_RATE)
    print(model(audio).shape)
