"""NeRF-style positional encoding whose width comes from a loop over a torch tensor of frequencies,
and an MLP with a skip connection sized from it."""
import torch
import torch.nn as nn


class Embedder:
    def __init__(self, multires, d=3):
        self.fns = [lambda x: x]
        out_dim = d
        for freq in 2. ** torch.linspace(0., multires - 1, steps=multires):
            for p_fn in (torch.sin, torch.cos):
                self.fns.append(lambda x, p_fn=p_fn, freq=freq: p_fn(x * freq))
                out_dim += d
        self.out_dim = out_dim

    def __call__(self, x):
        return torch.cat([fn(x) for fn in self.fns], -1)


class TinyNeRF(nn.Module):
    def __init__(self, multires=6, width=64, depth=4, skip=2):
        super().__init__()
        self.embed = Embedder(multires)
        c = self.embed.out_dim
        self.skip = skip
        self.layers = nn.ModuleList(
            [nn.Linear(c, width)] + [nn.Linear(width + (c if i == skip else 0), width) for i in range(1, depth)])
        self.out = nn.Linear(width, 4)

    def forward(self, pts):
        x = h = self.embed(pts)
        for i, layer in enumerate(self.layers):
            if i == self.skip:
                h = torch.cat([x, h], -1)
            h = torch.relu(layer(h))
        return self.out(h)


if __name__ == "__main__":
    print(TinyNeRF()(torch.rand(128, 3)).shape)
