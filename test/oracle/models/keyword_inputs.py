"""Models whose example calls pass tensors (and flags) by keyword, as text and
multimodal models are called: model(ids, attention_mask=mask), net(x, cond=c)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MaskedEncoder(nn.Module):
    """Token encoder with an optional padding mask and a pooling flag."""

    def __init__(self, vocab=120, dim=24, classes=5):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.proj = nn.Linear(dim, dim)
        self.head = nn.Linear(dim, classes)

    def forward(self, input_ids, token_type_ids=None, attention_mask=None, pool=True):
        h = torch.tanh(self.proj(self.emb(input_ids)))
        if token_type_ids is not None:
            h = h + token_type_ids.unsqueeze(-1).float()
        if attention_mask is not None:
            h = h * attention_mask.unsqueeze(-1)
            if pool:
                h = h.sum(1) / attention_mask.sum(1, keepdim=True).clamp(min=1)
        elif pool:
            h = h.mean(1)
        return self.head(h)


class CondDecoder(nn.Module):
    """A decoder conditioned on a vector given by keyword: the condition is concatenated to each position."""

    def __init__(self, zdim=8, cdim=3, out=12):
        super().__init__()
        self.fc1 = nn.Linear(zdim + cdim, 32)
        self.fc2 = nn.Linear(32, out)

    def forward(self, z, cond=None):
        if cond is None:
            cond = torch.zeros(z.size(0), 3)
        h = F.relu(self.fc1(torch.cat([z, cond], dim=1)))
        return self.fc2(h)


if __name__ == "__main__":
    enc = MaskedEncoder()
    ids = torch.randint(0, 120, (4, 9))
    mask = torch.ones(4, 9)
    logits = enc(ids, attention_mask=mask, pool=False)
    dec = CondDecoder()
    y = dec(torch.randn(6, 8), cond=torch.randn(6, 3))
