"""Toy translation model using the full nn.Transformer (encoder + decoder + final norms)."""
import math

import torch
import torch.nn as nn


class TinyTranslator(nn.Module):
    def __init__(self, src_vocab=1200, tgt_vocab=1100, d_model=32, nhead=4,
                 num_encoder_layers=2, num_decoder_layers=1):
        super().__init__()
        self.scale = math.sqrt(d_model)
        self.src_embed = nn.Embedding(src_vocab, d_model)
        self.tgt_embed = nn.Embedding(tgt_vocab, d_model)
        self.transformer = nn.Transformer(
            d_model=d_model,
            nhead=nhead,
            num_encoder_layers=num_encoder_layers,
            num_decoder_layers=num_decoder_layers,
            dim_feedforward=64,
            dropout=0.0,
        )
        self.generator = nn.Linear(d_model, tgt_vocab)

    def forward(self, src, tgt):              # (S, B), (T, B)
        s = self.src_embed(src) * self.scale
        t = self.tgt_embed(tgt) * self.scale
        mask = self.transformer.generate_square_subsequent_mask(tgt.size(0))
        out = self.transformer(s, t, tgt_mask=mask)
        return self.generator(out)


if __name__ == "__main__":
    model = TinyTranslator()
    src = torch.randint(0, 1200, (15, 2))
    tgt = torch.randint(0, 1100, (11, 2))
    print(model(src, tgt).shape)
