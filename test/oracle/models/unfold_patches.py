"""Patch-based denoiser: nn.Unfold into patches, per-patch MLP, nn.Fold back to an image."""
import torch
import torch.nn as nn

PATCH = 4


class PatchDenoiser(nn.Module):
    def __init__(self, channels=3, patch=PATCH, hidden=96, image_size=(32, 48)):
        super().__init__()
        dim = channels * patch * patch
        self.unfold = nn.Unfold(kernel_size=patch, stride=patch)
        self.mlp = nn.Sequential(nn.Linear(dim, hidden), nn.GELU(), nn.Linear(hidden, dim))
        self.fold = nn.Fold(output_size=image_size, kernel_size=patch, stride=patch)

    def forward(self, img):
        patches = self.unfold(img)                  # (B, C*p*p, L)
        cleaned = self.mlp(patches.transpose(1, 2)).transpose(1, 2)
        return img - self.fold(cleaned)


if __name__ == "__main__":
    model = PatchDenoiser()
    print(model(torch.randn(2, 3, 32, 48)).shape)
