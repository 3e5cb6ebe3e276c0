"""Document classifier: sequence-first LSTM, additive attention pooling over time, residual MLP."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class AttentionPool(nn.Module):
    def __init__(self, dim, attn_dim=64):
        super().__init__()
        self.proj = nn.Linear(dim, attn_dim)
        self.score = nn.Linear(attn_dim, 1, bias=False)

    def forward(self, h):                               # (T, B, D)
        e = self.score(torch.tanh(self.proj(h)))        # (T, B, 1)
        a = F.softmax(e, dim=0)
        return (a * h).sum(dim=0)                       # (B, D)


class DocClassifier(nn.Module):
    def __init__(self, vocab=20000, emb=96, hidden=80, classes=8):
        super().__init__()
        self.emb = nn.Embedding(vocab, emb)
        self.lstm = nn.LSTM(emb, hidden, num_layers=2)
        self.pool = AttentionPool(hidden)
        self.fc1 = nn.Linear(hidden, hidden)
        self.norm = nn.LayerNorm(hidden)
        self.fc_out = nn.Linear(hidden, classes)

    def forward(self, tokens):                          # (T, B)
        x = self.emb(tokens)
        x = x - x.mean(dim=-1, keepdim=True)
        h, (h_n, c_n) = self.lstm(x)
        doc = self.pool(h)
        res = doc
        doc = F.relu(self.fc1(doc))
        doc += res
        doc = self.norm(doc + h_n[-1])
        return self.fc_out(doc)


if __name__ == "__main__":
    model = DocClassifier()
    tokens = torch.randint(0, 20000, (70, 3))
    print(model(tokens).shape)
