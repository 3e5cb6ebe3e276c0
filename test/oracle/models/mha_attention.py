"""Perceiver-style cross attention: learned latents attend to inputs (kdim/vdim), then self-attend."""
import torch
import torch.nn as nn


class LatentAttention(nn.Module):
    def __init__(self, input_dim=48, latent_dim=64, num_latents=16, heads=4, num_classes=10):
        super().__init__()
        self.latents = nn.Parameter(torch.randn(num_latents, latent_dim))
        self.cross = nn.MultiheadAttention(latent_dim, heads, kdim=input_dim, vdim=input_dim, batch_first=True)
        self.norm1 = nn.LayerNorm(latent_dim)
        self.self_attn = nn.MultiheadAttention(latent_dim, num_heads=8, dropout=0.1, bias=False,
                                               add_bias_kv=True, batch_first=True)
        self.norm2 = nn.LayerNorm(latent_dim)
        self.seq_first = nn.MultiheadAttention(embed_dim=latent_dim, num_heads=2)
        self.head = nn.Linear(latent_dim, num_classes)

    def forward(self, inputs):
        b = inputs.size(0)
        lat = self.latents.unsqueeze(0).expand(b, -1, -1)
        attended, weights = self.cross(lat, inputs, inputs)
        lat = self.norm1(lat + attended)
        out, _ = self.self_attn(lat, lat, lat, need_weights=False)
        lat = self.norm2(lat + out)
        t = lat.transpose(0, 1)                 # (L, B, E)
        t, _ = self.seq_first(t, t, t)
        pooled = t.mean(0)
        return self.head(pooled)


if __name__ == "__main__":
    model = LatentAttention()
    x = torch.randn(2, 100, 48)
    print(model(x).shape)
