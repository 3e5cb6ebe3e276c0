"""GRU encoder-decoder for translation with Luong-style dot attention (two token inputs)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Encoder(nn.Module):
    def __init__(self, vocab, emb, hidden):
        super().__init__()
        self.embedding = nn.Embedding(vocab, emb)
        self.rnn = nn.GRU(emb, hidden, batch_first=True, bidirectional=True)
        self.bridge = nn.Linear(2 * hidden, hidden)

    def forward(self, src):
        out, h = self.rnn(self.embedding(src))            # out: (B, S, 2H)
        h = torch.tanh(self.bridge(torch.cat([h[0], h[1]], dim=-1))).unsqueeze(0)
        return out, h


class Decoder(nn.Module):
    def __init__(self, vocab, emb, hidden):
        super().__init__()
        self.embedding = nn.Embedding(vocab, emb)
        self.rnn = nn.GRU(emb, hidden, batch_first=True)
        self.key = nn.Linear(2 * hidden, hidden, bias=False)
        self.combine = nn.Linear(hidden + 2 * hidden, hidden)
        self.out = nn.Linear(hidden, vocab)

    def forward(self, tgt, memory, h):
        dec, _ = self.rnn(self.embedding(tgt), h)          # (B, T, H)
        keys = self.key(memory)                            # (B, S, H)
        scores = torch.bmm(dec, keys.transpose(1, 2))      # (B, T, S)
        weights = F.softmax(scores, dim=-1)
        context = weights @ memory                         # (B, T, 2H)
        mixed = torch.tanh(self.combine(torch.cat([dec, context], dim=2)))
        return self.out(mixed)


class Seq2Seq(nn.Module):
    def __init__(self, src_vocab=6000, tgt_vocab=5000, emb=128, hidden=192):
        super().__init__()
        self.encoder = Encoder(src_vocab, emb, hidden)
        self.decoder = Decoder(tgt_vocab, emb, hidden)

    def forward(self, src, tgt):
        memory, h = self.encoder(src)
        return self.decoder(tgt, memory, h)


if __name__ == "__main__":
    model = Seq2Seq()
    src = torch.randint(0, 6000, (3, 21))
    tgt = torch.randint(0, 5000, (3, 17))
    print(model(src, tgt).shape)
