"""Convolutional VAE: encoder output chunked into (mu, logvar); forward returns a tuple."""
import torch
import torch.nn as nn


class ConvVAE(nn.Module):
    def __init__(self, in_channels=3, latent_dim=20, hidden=(32, 64, 128)):
        super().__init__()
        modules = []
        ch = in_channels
        for h in hidden:
            modules.append(nn.Sequential(nn.Conv2d(ch, h, 4, 2, 1), nn.BatchNorm2d(h), nn.LeakyReLU(0.2)))
            ch = h
        self.encoder = nn.Sequential(*modules)
        self.to_stats = nn.Linear(hidden[-1] * 4 * 4, 2 * latent_dim)
        self.from_latent = nn.Linear(latent_dim, hidden[-1] * 4 * 4)
        rev = list(reversed(hidden))
        dec = []
        for a, b in zip(rev[:-1], rev[1:]):
            dec += [nn.ConvTranspose2d(a, b, 4, 2, 1), nn.BatchNorm2d(b), nn.LeakyReLU(0.2)]
        dec += [nn.ConvTranspose2d(rev[-1], in_channels, 4, 2, 1), nn.Sigmoid()]
        self.decoder = nn.Sequential(*dec)
        self.hidden_last = hidden[-1]

    def encode(self, x):
        h = self.encoder(x).flatten(start_dim=1)
        mu, logvar = self.to_stats(h).chunk(2, dim=-1)
        return mu, logvar

    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        return mu + torch.randn_like(std) * std

    def forward(self, x):
        mu, logvar = self.encode(x)
        z = self.reparameterize(mu, logvar)
        h = self.from_latent(z).view(-1, self.hidden_last, 4, 4)
        return self.decoder(h), mu, logvar


if __name__ == "__main__":
    vae = ConvVAE()
    recon, mu, logvar = vae(torch.rand(3, 3, 32, 32))
    print(recon.shape, mu.shape)
