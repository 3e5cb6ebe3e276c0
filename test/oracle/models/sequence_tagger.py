"""POS tagger: word + char-level features, bidirectional GRU (sequence-first), per-token log-softmax."""
import torch
import torch.nn as nn


class CharEncoder(nn.Module):
    def __init__(self, n_chars=100, char_dim=16, out_dim=32, kernel=3):
        super().__init__()
        self.embed = nn.Embedding(n_chars, char_dim)
        self.conv = nn.Conv1d(char_dim, out_dim, kernel, padding=1)

    def forward(self, chars):                      # (T, B, L)
        t, b, l = chars.shape
        x = self.embed(chars.view(t * b, l))       # (T*B, L, C)
        x = self.conv(x.transpose(1, 2))           # (T*B, out, L)
        x = x.amax(dim=-1)
        return x.view(t, b, -1)


class Tagger(nn.Module):
    def __init__(self, vocab=12000, word_dim=100, hidden=64, n_tags=17):
        super().__init__()
        self.words = nn.Embedding(vocab, word_dim)
        self.chars = CharEncoder()
        self.gru = nn.GRU(word_dim + 32, hidden, num_layers=2, bidirectional=True, dropout=0.25)
        self.out = nn.Linear(2 * hidden, n_tags)
        self.log_softmax = nn.LogSoftmax(dim=2)

    def forward(self, words, chars):
        w = self.words(words)                       # (T, B, D)
        c = self.chars(chars)
        h, _ = self.gru(torch.cat([w, c], dim=2))   # (T, B, 2H)
        return self.log_softmax(self.out(h))


if __name__ == "__main__":
    model = Tagger()
    words = torch.randint(0, 12000, (25, 4))
    chars = torch.randint(0, 100, (25, 4, 12))
    print(model(words, chars).shape)
