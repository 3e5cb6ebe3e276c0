"""Attention written with einsum, qkv.chunk(3, dim=-1), map(lambda ...) and a relative-position bias buffer."""
import torch
from torch import nn, einsum


class Attention(nn.Module):
    def __init__(self, dim, heads=4, dim_head=16, window=7):
        super().__init__()
        inner_dim = dim_head * heads
        self.heads = heads
        self.scale = dim_head ** -0.5
        self.to_qkv = nn.Linear(dim, inner_dim * 3, bias=False)
        self.to_out = nn.Sequential(nn.Linear(inner_dim, dim), nn.Dropout(0.0))
        self.rel_pos_bias = nn.Embedding((2 * window - 1), heads)
        pos = torch.arange(window)
        rel = pos[None, :] - pos[:, None] + window - 1
        self.register_buffer("rel_index", rel, persistent=False)
        self.attend = nn.Softmax(dim=-1)

    def forward(self, x):
        b, n, _ = x.shape
        h = self.heads
        qkv = self.to_qkv(x).chunk(3, dim=-1)
        q, k, v = map(lambda t: t.reshape(b, n, h, -1).transpose(1, 2), qkv)
        sim = einsum('b h i d, b h j d -> b h i j', q, k) * self.scale
        bias = self.rel_pos_bias(self.rel_index)          # n n h
        sim = sim + bias.permute(2, 0, 1).unsqueeze(0)
        attn = self.attend(sim)
        out = einsum('bhij,bhjd->bhid', attn, v)
        out = out.transpose(1, 2).reshape(b, n, -1)
        return self.to_out(out)


class Transformer1D(nn.Module):
    def __init__(self, in_dim=10, dim=32, depth=2, window=7, num_classes=3):
        super().__init__()
        self.proj = nn.Linear(in_dim, dim)
        self.layers = nn.ModuleList([])
        for _ in range(depth):
            self.layers.append(nn.ModuleList([
                nn.LayerNorm(dim),
                Attention(dim, heads=4, dim_head=8, window=window),
                nn.LayerNorm(dim),
                nn.Sequential(nn.Linear(dim, dim * 2), nn.GELU(), nn.Linear(dim * 2, dim)),
            ]))
        self.head = nn.Linear(dim, num_classes)

    def forward(self, x):
        x = self.proj(x)
        for norm1, attn, norm2, ff in self.layers:
            x = attn(norm1(x)) + x
            x = ff(norm2(x)) + x
        return self.head(x[:, 0])


if __name__ == "__main__":
    model = Transformer1D()
    print(model(torch.randn(3, 7, 10)).shape)
