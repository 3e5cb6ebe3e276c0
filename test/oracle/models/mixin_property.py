"""Multiple inheritance with mixins, @property returning a submodule, and methods defined on the mixin."""
import torch
import torch.nn as nn


class InitWeightsMixin:
    def init_weights(self):
        for m in self.modules():
            if isinstance(m, (nn.Conv1d, nn.Linear)):
                nn.init.xavier_uniform_(m.weight)
        return self


class HeadMixin:
    head_hidden = 48

    def build_head(self, in_features, out_features):
        return nn.Sequential(nn.Linear(in_features, self.head_hidden), nn.Tanh(),
                             nn.Linear(self.head_hidden, out_features))


class EncoderBase(nn.Module):
    def __init__(self, in_ch, width):
        super().__init__()
        self.conv_a = nn.Conv1d(in_ch, width, 5, padding=2)
        self.conv_b = nn.Conv1d(width, width * 2, 5, stride=2, padding=2)
        self.width = width * 2

    def encode(self, x):
        return torch.relu(self.conv_b(torch.relu(self.conv_a(x))))


class SignalClassifier(InitWeightsMixin, HeadMixin, EncoderBase):
    head_hidden = 40

    def __init__(self, in_ch=6, width=24, num_classes=5):
        super().__init__(in_ch, width)
        self.pool = nn.AdaptiveAvgPool1d(4)
        self._head = self.build_head(self.width * 4, num_classes)
        self.init_weights()

    @property
    def classifier(self):
        return self._head

    def forward(self, x):
        z = self.pool(self.encode(x))
        return self.classifier(z.flatten(1))


if __name__ == "__main__":
    model = SignalClassifier()
    print(model(torch.randn(3, 6, 100)).shape)
