"""Luong-attention decoder run step by step: token ids [B] -> [B, 1] -> Embedding -> GRU -> concat Linear on [B, 1, H],
scores via bmm, greedy argmax feeding the next step."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class LuongAttnDecoder(nn.Module):
    def __init__(self, vocab=120, hidden=64, n_layers=1, max_len=6, sos_id=1):
        super().__init__()
        self.max_len, self.sos_id = max_len, sos_id
        self.embedding = nn.Embedding(vocab, hidden)
        self.embedding_dropout = nn.Dropout(0.1)
        self.gru = nn.GRU(hidden, hidden, n_layers, batch_first=True)
        self.concat = nn.Linear(hidden * 2, hidden)
        self.out = nn.Linear(hidden, vocab)

    def step(self, tok, last_hidden, encoder_outputs):
        embedded = self.embedding_dropout(self.embedding(tok.unsqueeze(1)))     # B, 1, H
        rnn_output, hidden = self.gru(embedded, last_hidden)                   # B, 1, H
        scores = torch.bmm(rnn_output, encoder_outputs.transpose(1, 2))        # B, 1, S
        attn = F.softmax(scores, dim=-1)
        context = torch.bmm(attn, encoder_outputs)                             # B, 1, H
        concat_output = torch.tanh(self.concat(torch.cat((rnn_output, context), -1)))
        return self.out(concat_output), hidden                                 # B, 1, V

    def forward(self, encoder_outputs, encoder_hidden):
        B = encoder_outputs.size(0)
        tok = torch.full((B,), self.sos_id, dtype=torch.long)
        hidden = encoder_hidden
        logits = []
        for _ in range(self.max_len):
            step_logits, hidden = self.step(tok, hidden, encoder_outputs)
            logits.append(step_logits)
            tok = step_logits.squeeze(1).argmax(-1)
        return torch.cat(logits, dim=1)


if __name__ == "__main__":
    model = LuongAttnDecoder()
    enc_out = torch.randn(3, 11, 64)
    enc_h = torch.randn(1, 3, 64)
    print(model(enc_out, enc_h).shape)
