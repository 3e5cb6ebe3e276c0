"""Sentence classifier: token embeddings -> 2-layer bidirectional LSTM -> linear head."""
import torch
import torch.nn as nn

VOCAB_SIZE = 20000
EMBED_DIM = 128
HIDDEN = 256
NUM_CLASSES = 5
SEQ_LEN = 40


class LSTMClassifier(nn.Module):
    def __init__(self, vocab_size=VOCAB_SIZE, embed_dim=EMBED_DIM, hidden=HIDDEN,
                 num_layers=2, num_classes=NUM_CLASSES, dropout=0.3):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.lstm = nn.LSTM(embed_dim, hidden, num_layers=num_layers, batch_first=True,
                            bidirectional=True, dropout=dropout)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(hidden * 2, num_classes)

    def forward(self, tokens):
        x = self.embedding(tokens)          # [B, T, E]
        out, _ = self.lstm(x)               # [B, T, 2H]
        last = out[:, -1, :]                # [B, 2H]
        return self.head(self.dropout(last))


if __name__ == "__main__":
    model = LSTMClassifier()
    logits = model(torch.randint(0, VOCAB_SIZE, (1, SEQ_LEN)))
    print(logits.shape, sum(p.numel() for p in model.parameters()))
