"""Raw-audio model that frames the waveform with Tensor.unfold (no stft), then Conv1d + GRU."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class FrameEncoder(nn.Module):
    def __init__(self, frame_len=400, hop=160, n_feats=40):
        super().__init__()
        self.frame_len = frame_len
        self.hop = hop
        self.register_buffer("window", torch.hann_window(frame_len))
        self.proj = nn.Linear(frame_len, n_feats, bias=False)
        self.norm = nn.InstanceNorm1d(n_feats, affine=True)

    def forward(self, wav):
        # wav: (B, T) -> frames (B, n_frames, frame_len)
        wav = F.pad(wav, (self.frame_len // 2, self.frame_len // 2), mode="reflect")
        frames = wav.unfold(-1, self.frame_len, self.hop) * self.window
        feats = torch.log1p(self.proj(frames).abs())      # (B, n_frames, n_feats)
        return self.norm(feats.transpose(1, 2))            # (B, n_feats, n_frames)


class KeywordSpotter(nn.Module):
    def __init__(self, n_feats=40, hidden=64, n_keywords=12):
        super().__init__()
        self.frontend = FrameEncoder(n_feats=n_feats)
        self.conv = nn.Sequential(
            nn.Conv1d(n_feats, 64, kernel_size=5, stride=2, padding=2),
            nn.BatchNorm1d(64),
            nn.Hardtanh(0, 20, inplace=True),
            nn.Conv1d(64, 64, kernel_size=3, padding=2, dilation=2),
            nn.BatchNorm1d(64),
            nn.Hardtanh(0, 20, inplace=True),
        )
        self.rnn = nn.GRU(64, hidden, num_layers=2, batch_first=True, bidirectional=True, dropout=0.1)
        self.attn = nn.Linear(2 * hidden, 1)
        self.fc = nn.Linear(2 * hidden, n_keywords)

    def forward(self, wav):
        x = self.frontend(wav)
        x = self.conv(x).permute(0, 2, 1).contiguous()
        out, _ = self.rnn(x)
        w = torch.softmax(self.attn(out), dim=1)
        ctx = torch.bmm(w.transpose(1, 2), out).squeeze(1)
        return self.fc(ctx)


if __name__ == "__main__":
    model = KeywordSpotter()
    print(model(torch.randn(2, 16000)).shape)
