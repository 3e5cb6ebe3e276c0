"""Text classifier: nn.TransformerEncoder(enable_nested_tensor=False), gelu, norm_first, padding mask from tokens."""
import math
import torch
import torch.nn as nn


class PositionalEncoding(nn.Module):
    def __init__(self, d_model: int, dropout: float = 0.1, max_len: int = 128):
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)
        position = torch.arange(max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(1, max_len, d_model)
        pe[0, :, 0::2] = torch.sin(position * div_term)
        pe[0, :, 1::2] = torch.cos(position * div_term)
        self.register_buffer('pe', pe)

    def forward(self, x):
        x = x + self.pe[:, :x.size(1)]
        return self.dropout(x)


class MaskedTextEncoder(nn.Module):
    def __init__(self, vocab=1000, d_model=48, nhead=4, nlayers=2, num_classes=3, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.embed = nn.Embedding(vocab, d_model, padding_idx=pad_id)
        self.pos = PositionalEncoding(d_model)
        enc_layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=96, dropout=0.1,
                                               activation="gelu", batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(enc_layer, nlayers, norm=nn.LayerNorm(d_model),
                                             enable_nested_tensor=False)
        self.classifier = nn.Linear(d_model, num_classes)

    def forward(self, tokens):
        mask = tokens.eq(self.pad_id)
        x = self.embed(tokens) * math.sqrt(self.embed.embedding_dim)
        x = self.pos(x)
        x = self.encoder(x, src_key_padding_mask=mask)
        keep = (~mask).unsqueeze(-1).float()
        pooled = (x * keep).sum(1) / keep.sum(1).clamp(min=1.0)
        return self.classifier(pooled)


if __name__ == "__main__":
    model = MaskedTextEncoder()
    tokens = torch.randint(1, 1000, (4, 30))
    tokens[:, 25:] = 0
    print(model(tokens).shape)
