"""Recommendation model: Embedding(padding_idx, max_norm), EmbeddingBag(mode='max') with offsets, per_sample_weights."""
import torch
import torch.nn as nn


class RecModel(nn.Module):
    def __init__(self, n_users=500, n_items=800, n_tags=300, dim=16):
        super().__init__()
        self.user = nn.Embedding(n_users, dim, padding_idx=0, max_norm=1.0)
        self.item = nn.Embedding(n_items, dim, padding_idx=0, scale_grad_by_freq=True)
        self.tags = nn.EmbeddingBag(n_tags, dim, mode="max")
        self.hist = nn.EmbeddingBag(n_items, dim, mode="sum")
        self.mlp = nn.Sequential(nn.Linear(dim * 4, 32), nn.PReLU(32), nn.Linear(32, 1), nn.Sigmoid())

    def forward(self, user_ids, item_ids, tag_flat, tag_offsets, hist_ids, hist_w):
        u = self.user(user_ids)
        i = self.item(item_ids)
        t = self.tags(tag_flat, tag_offsets)
        offs = torch.arange(0, hist_ids.numel(), 5, device=hist_ids.device)
        h = self.hist(hist_ids, offs, per_sample_weights=hist_w)
        x = torch.cat([u, i, t, h], dim=1)
        return self.mlp(x).squeeze(-1)


if __name__ == "__main__":
    model = RecModel()
    B = 6
    users = torch.randint(0, 500, (B,))
    items = torch.randint(0, 800, (B,))
    tag_flat = torch.randint(0, 300, (17,))
    offsets = torch.tensor([0, 3, 5, 9, 12, 15])
    hist = torch.randint(0, 800, (B * 5,))
    w = torch.rand(B * 5)
    print(model(users, items, tag_flat, offsets, hist, w).shape)
