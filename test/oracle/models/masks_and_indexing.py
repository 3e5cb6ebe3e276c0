"""Causal masks filled with torch.finfo(dtype).min, an index tuple held in a variable,
torch.tensor_split / triu_indices, and a model built and called in one expression."""
import torch
import torch.nn as nn


class MaskedSelfAttention(nn.Module):
    def __init__(self, dim=32, heads=4, max_len=64):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)
        self.register_buffer("causal", torch.tril(torch.ones(max_len, max_len, dtype=torch.bool)))

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = torch.tensor_split(self.qkv(x), 3, dim=-1)
        q, k, v = (z.view(b, t, self.heads, -1).transpose(1, 2) for z in (q, k, v))
        scores = q @ k.transpose(-2, -1) / (d // self.heads) ** 0.5
        fill = torch.tensor(torch.finfo(scores.dtype).min, dtype=scores.dtype)
        scores = torch.where(self.causal[:t, :t], scores, fill)
        y = scores.softmax(-1) @ v
        return self.out(y.transpose(1, 2).reshape(b, t, d))


class PairFeatures(nn.Module):
    """Upper-triangle pair features, broadcast with an index tuple kept in a variable."""

    def __init__(self, n=6, dim=5):
        super().__init__()
        self.register_buffer("pairs", torch.triu_indices(n, n, offset=1))
        self.scale = nn.Parameter(torch.ones(dim))
        self.fc = nn.Linear(dim, 3)

    def forward(self, x):
        lead = (None,) * (x.dim() - 1) + (Ellipsis,)
        s = self.scale[lead]
        feats = x[:, self.pairs[0]] * x[:, self.pairs[1]] * s
        return self.fc(feats)


class Head(nn.Module):
    def __init__(self, n_in=8, n_out=2):
        super().__init__()
        self.fc = nn.Linear(n_in, n_out)

    def forward(self, x):
        return self.fc(x)


if __name__ == "__main__":
    print(MaskedSelfAttention()(torch.randn(2, 10, 32)).shape)
    print(PairFeatures()(torch.randn(3, 6, 5)).shape)
    print(Head(27, 5)(torch.randn(4, 27)).shape)
