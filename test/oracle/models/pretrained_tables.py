"""Settings from argparse defaults, embedding tables built from pretrained tensors
(frozen by default), a namedtuple output and a model called with keywords only."""
import argparse
from collections import namedtuple

import torch
import torch.nn as nn

parser = argparse.ArgumentParser(description="bag-of-embeddings tagger")
parser.add_argument("--vocab", type=int, default=50)
parser.add_argument("--emb-dim", type=int, default="12")
parser.add_argument("--n_tags", type=int, default=5)
parser.add_argument("--dropout", type=float, default=0.1)
parser.add_argument("--tie", action="store_true")
opt = parser.parse_args([])

Tagged = namedtuple("Tagged", ["tags", "pooled"])


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.words = nn.Embedding.from_pretrained(torch.randn(opt.vocab, opt.emb_dim), padding_idx=0)
        self.chars = nn.EmbeddingBag.from_pretrained(torch.randn(30, 6), freeze=False, mode="sum")
        self.drop = nn.Dropout(opt.dropout)
        self.tag = nn.Linear(opt.emb_dim + 6, opt.n_tags)

    def forward(self, word_ids, char_ids):
        w = self.words(word_ids)                            # (B, T, E)
        c = self.chars(char_ids)                            # (B, 6)
        c = c.unsqueeze(1).expand(-1, w.size(1), -1)
        h = self.drop(torch.cat([w, c], dim=-1))
        return Tagged(self.tag(h), h.mean(1))


if __name__ == "__main__":
    model = Tagger()
    out = model(word_ids=torch.randint(0, opt.vocab, (3, 7)), char_ids=torch.randint(0, 30, (3, 4)))
