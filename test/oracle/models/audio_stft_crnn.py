"""Audio front-end in-model: torch.stft spectrogram with hann window buffer, mel matmul, SincNet-like F.conv1d filters,
frozen front-end via requires_grad_(False), CRNN with GRU."""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F


class LogMel(nn.Module):
    def __init__(self, n_fft=64, hop=16, n_mels=20):
        super().__init__()
        self.n_fft, self.hop = n_fft, hop
        self.register_buffer("window", torch.hann_window(n_fft))
        self.mel = nn.Parameter(torch.rand(n_mels, n_fft // 2 + 1))

    def forward(self, wav):
        spec = torch.stft(wav, self.n_fft, hop_length=self.hop, window=self.window, return_complex=True)
        power = spec.abs() ** 2
        mel = torch.matmul(self.mel, power)
        return torch.log(mel + 1e-6)


class SincConv(nn.Module):
    def __init__(self, out_channels=8, kernel_size=31):
        super().__init__()
        self.kernel_size = kernel_size
        self.low_hz = nn.Parameter(torch.linspace(30, 3000, out_channels).view(-1, 1))
        self.band_hz = nn.Parameter(torch.full((out_channels, 1), 100.0))
        n = torch.arange(-(kernel_size // 2), kernel_size // 2 + 1).float().view(1, -1)
        self.register_buffer("n_", 2 * math.pi * n / 16000)

    def forward(self, x):
        low = torch.abs(self.low_hz)
        high = low + torch.abs(self.band_hz)
        f = (torch.sin(high * self.n_) - torch.sin(low * self.n_)) / (self.n_ + 1e-9)
        filters = f.view(-1, 1, self.kernel_size)
        return F.conv1d(x, filters, stride=4, padding=self.kernel_size // 2)


class CRNN(nn.Module):
    def __init__(self, n_classes=5):
        super().__init__()
        self.frontend = LogMel().requires_grad_(False)
        self.conv = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d((2, 1)))
        self.gru = nn.GRU(8 * 10, 16, batch_first=True)
        self.fc = nn.Linear(16, n_classes)

    def forward(self, wav):
        x = self.frontend(wav).unsqueeze(1)
        x = self.conv(x)
        b, c, f, t = x.shape
        x = x.permute(0, 3, 1, 2).reshape(b, t, c * f)
        out, _ = self.gru(x)
        return self.fc(out[:, -1])


class SincNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.sinc = SincConv()
        self.body = nn.Sequential(nn.LayerNorm(250), nn.LeakyReLU(), nn.Conv1d(8, 16, 5, stride=2), nn.AdaptiveAvgPool1d(1))
        self.out = nn.Linear(16, 3)

    def forward(self, x):
        return self.out(self.body(self.sinc(x)).squeeze(-1))


if __name__ == "__main__":
    crnn = CRNN()
    print(crnn(torch.randn(2, 400)).shape)
    sn = SincNet()
    print(sn(torch.randn(2, 1, 1000)).shape)
