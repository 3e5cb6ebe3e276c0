"""Conditional MLP GAN for MNIST: a generator and a discriminator class in one file."""
import numpy as np
import torch
import torch.nn as nn

IMG_SHAPE = (1, 28, 28)
N_CLASSES = 10
LATENT_DIM = 64


class Generator(nn.Module):
    def __init__(self, latent_dim=LATENT_DIM, n_classes=N_CLASSES, img_shape=IMG_SHAPE):
        super(Generator, self).__init__()
        self.img_shape = img_shape
        self.label_emb = nn.Embedding(n_classes, n_classes)

        def block(in_feat, out_feat, normalize=True):
            layers = [nn.Linear(in_feat, out_feat)]
            if normalize:
                layers.append(nn.BatchNorm1d(out_feat, 0.8))
            layers.append(nn.LeakyReLU(0.2, inplace=True))
            return layers

        self.model = nn.Sequential(
            *block(latent_dim + n_classes, 128, normalize=False),
            *block(128, 256),
            *block(256, 512),
            nn.Linear(512, int(np.prod(img_shape))),
            nn.Tanh(),
        )

    def forward(self, noise, labels):
        gen_input = torch.cat((self.label_emb(labels), noise), -1)
        img = self.model(gen_input)
        return img.view(img.size(0), *self.img_shape)


class Discriminator(nn.Module):
    def __init__(self, n_classes=N_CLASSES, img_shape=IMG_SHAPE):
        super(Discriminator, self).__init__()
        self.label_embedding = nn.Embedding(n_classes, n_classes)
        self.model = nn.Sequential(
            nn.Linear(n_classes + int(np.prod(img_shape)), 512),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Linear(512, 512),
            nn.Dropout(0.4),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Linear(512, 1),
        )

    def forward(self, img, labels):
        d_in = torch.cat((img.view(img.size(0), -1), self.label_embedding(labels)), -1)
        return self.model(d_in)


if __name__ == "__main__":
    generator = Generator()
    discriminator = Discriminator()
    z = torch.randn(6, LATENT_DIM)
    labels = torch.randint(0, N_CLASSES, (6,))
    fake = generator(z, labels)
    print(discriminator(fake, labels).shape)
