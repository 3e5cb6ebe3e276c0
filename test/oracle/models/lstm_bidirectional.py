"""Sentiment model: deep bidirectional LSTM, final states of both directions concatenated."""
import torch
import torch.nn as nn

VOCAB = 8000
PAD = 0


class BiLSTMSentiment(nn.Module):
    def __init__(self, vocab_size=VOCAB, embed_dim=100, hidden_dim=128, num_layers=3,
                 num_classes=3, dropout=0.2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=PAD)
        self.lstm = nn.LSTM(
            embed_dim,
            hidden_dim,
            num_layers=num_layers,
            bidirectional=True,
            batch_first=True,
            dropout=dropout,
        )
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(hidden_dim * 2, num_classes)

    def forward(self, text):
        embedded = self.dropout(self.embedding(text))
        output, (hidden, cell) = self.lstm(embedded)
        hidden = torch.cat((hidden[-2, :, :], hidden[-1, :, :]), dim=1)
        return self.fc(self.dropout(hidden))


if __name__ == "__main__":
    model = BiLSTMSentiment()
    text = torch.randint(1, VOCAB, (4, 37))
    print(model(text).shape)
