"""Visual question answering toy: image and question features fused by nn.Bilinear."""
import torch
import torch.nn as nn


class BilinearFusion(nn.Module):
    def __init__(self, img_dim=256, q_dim=128, fused=64, num_answers=50, use_norm=False):
        super().__init__()
        self.img_proj = nn.Sequential(nn.Flatten(start_dim=1, end_dim=-1), nn.Linear(img_dim * 4, img_dim), nn.ReLU())
        self.q_proj = nn.Linear(q_dim, q_dim)
        self.fuse = nn.Bilinear(img_dim, q_dim, fused)
        self.fuse_nobias = nn.Bilinear(fused, fused, fused // 2, bias=False)
        if use_norm:
            self.norm = nn.LayerNorm(fused)
        else:
            self.norm = nn.Identity()
        self.head = nn.Linear(fused // 2, num_answers)

    def forward(self, image_feats, question):
        v = self.img_proj(image_feats)
        q = torch.tanh(self.q_proj(question))
        z = self.norm(self.fuse(v, q))
        z = self.fuse_nobias(z, z)
        return self.head(z)


if __name__ == "__main__":
    model = BilinearFusion()
    img = torch.randn(3, 256, 2, 2)
    q = torch.randn(3, 128)
    print(model(img, q).shape)
