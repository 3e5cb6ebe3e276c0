"""Speech-style acoustic model: LSTM with projections (proj_size), then a bidirectional GRU."""
import torch
import torch.nn as nn


class AcousticModel(nn.Module):
    def __init__(self, n_mels=40, hidden=256, proj=64, n_tokens=30):
        super().__init__()
        self.lstm = nn.LSTM(n_mels, hidden, num_layers=2, proj_size=proj, batch_first=True)
        self.gru = nn.GRU(proj, proj, bidirectional=True, batch_first=True)
        self.gru_uni = nn.GRU(2 * proj, proj, num_layers=2, bias=False)
        self.classifier = nn.Linear(proj, n_tokens)
        self.log_softmax = nn.LogSoftmax(dim=-1)

    def forward(self, feats):
        x, (h, c) = self.lstm(feats)          # (B, T, proj)
        x, _ = self.gru(x)                    # (B, T, 2*proj)
        x = x.transpose(0, 1)                 # (T, B, 2*proj), GRU below is seq-first
        x, h_n = self.gru_uni(x)
        x = x.permute(1, 0, 2)
        return self.log_softmax(self.classifier(x))


if __name__ == "__main__":
    model = AcousticModel()
    mels = torch.randn(2, 120, 40)
    print(model(mels).shape)
