"""Parameters of child layers replaced after construction: a pretrained embedding table frozen in
place, a bias reset to a new Parameter, and an attribute Parameter on the module itself."""
import torch
import torch.nn as nn


class TaggerWithPretrained(nn.Module):
    def __init__(self, vocab=50, dim=16, tags=5):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.emb.weight = nn.Parameter(torch.randn(vocab, dim), requires_grad=False)
        self.proj = nn.Linear(dim, tags)
        self.proj.bias = nn.Parameter(torch.zeros(tags))
        self.temperature = nn.Parameter(torch.ones(1))

    def forward(self, ids):
        return self.proj(self.emb(ids)) / self.temperature


if __name__ == "__main__":
    print(TaggerWithPretrained()(torch.randint(0, 50, (2, 7))).shape)
