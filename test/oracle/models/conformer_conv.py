"""Conformer convolution + feed-forward modules: Transpose helper module, GLU over channels, depthwise Conv1d,
half-step FFN residual, nn.MultiheadAttention(batch_first=True) with key_padding_mask."""
import torch
import torch.nn as nn


class Transpose(nn.Module):
    def __init__(self, dim0, dim1):
        super().__init__()
        self.dims = (dim0, dim1)

    def forward(self, x):
        return x.transpose(*self.dims)


class ConvModule(nn.Module):
    def __init__(self, d, kernel_size=15, expansion=2, dropout=0.1):
        super().__init__()
        self.ln = nn.LayerNorm(d)
        self.seq = nn.Sequential(
            Transpose(1, 2),
            nn.Conv1d(d, d * expansion, 1),
            nn.GLU(dim=1),
            nn.Conv1d(d, d, kernel_size, padding=(kernel_size - 1) // 2, groups=d),
            nn.BatchNorm1d(d),
            nn.SiLU(),
            nn.Conv1d(d, d, 1),
            nn.Dropout(dropout),
            Transpose(1, 2),
        )

    def forward(self, x):
        return self.seq(self.ln(x))


class FeedForward(nn.Module):
    def __init__(self, d, mult=4, dropout=0.1):
        super().__init__()
        self.net = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d * mult), nn.SiLU(), nn.Dropout(dropout),
                                 nn.Linear(d * mult, d), nn.Dropout(dropout))

    def forward(self, x):
        return self.net(x)


class ConformerBlock(nn.Module):
    def __init__(self, d=48, heads=4):
        super().__init__()
        self.ff1 = FeedForward(d)
        self.attn_norm = nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, dropout=0.1, batch_first=True)
        self.conv = ConvModule(d)
        self.ff2 = FeedForward(d)
        self.final_norm = nn.LayerNorm(d)

    def forward(self, x, mask=None):
        x = x + 0.5 * self.ff1(x)
        y = self.attn_norm(x)
        x = x + self.attn(y, y, y, key_padding_mask=mask, need_weights=False)[0]
        x = x + self.conv(x)
        x = x + 0.5 * self.ff2(x)
        return self.final_norm(x)


class Conformer(nn.Module):
    def __init__(self, n_mels=40, d=48, n_blocks=2, vocab=30):
        super().__init__()
        self.subsample = nn.Sequential(nn.Conv2d(1, d, 3, 2), nn.ReLU(), nn.Conv2d(d, d, 3, 2), nn.ReLU())
        self.proj = nn.Linear(d * (((n_mels - 1) // 2 - 1) // 2), d)
        self.blocks = nn.ModuleList([ConformerBlock(d) for _ in range(n_blocks)])
        self.out = nn.Linear(d, vocab)

    def forward(self, feats):
        x = self.subsample(feats.unsqueeze(1))          # B, d, T', F'
        b, c, t, f = x.size()
        x = self.proj(x.transpose(1, 2).contiguous().view(b, t, c * f))
        for blk in self.blocks:
            x = blk(x)
        return self.out(x).log_softmax(-1)


if __name__ == "__main__":
    model = Conformer()
    print(model(torch.randn(2, 101, 40)).shape)
