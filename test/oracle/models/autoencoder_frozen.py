"""Conv autoencoder whose pretrained encoder is frozen by a loop over its parameters."""
import torch
import torch.nn as nn

LATENT = 32


class ConvAutoencoder(nn.Module):
    def __init__(self, latent_dim=LATENT, freeze_encoder=True):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 16, 3, stride=2, padding=1),   # 14x14
            nn.ReLU(),
            nn.Conv2d(16, 32, 3, stride=2, padding=1),  # 7x7
            nn.ReLU(),
            nn.Flatten(),
            nn.Linear(32 * 7 * 7, latent_dim),
        )
        if freeze_encoder:
            for p in self.encoder.parameters():
                p.requires_grad = False
        self.decoder = nn.Sequential(
            nn.Linear(latent_dim, 32 * 7 * 7),
            nn.ReLU(),
            nn.Unflatten(1, (32, 7, 7)),
            nn.ConvTranspose2d(32, 16, 3, stride=2, padding=1, output_padding=1),
            nn.ReLU(),
            nn.ConvTranspose2d(16, 1, 3, stride=2, padding=1, output_padding=1),
            nn.Sigmoid(),
        )

    def forward(self, x):
        z = self.encoder(x)
        return self.decoder(z)


if __name__ == "__main__":
    model = ConvAutoencoder()
    print(model(torch.randn(4, 1, 28, 28)).shape)
