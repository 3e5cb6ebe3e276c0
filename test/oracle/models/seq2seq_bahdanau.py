"""Seq2Seq with additive attention: bmm, softmax, GRU with explicit h0, teacher-forcing loop."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Encoder(nn.Module):
    def __init__(self, vocab, emb, hid):
        super().__init__()
        self.embedding = nn.Embedding(vocab, emb)
        self.rnn = nn.GRU(emb, hid, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(hid * 2, hid)

    def forward(self, src):
        embedded = self.embedding(src)
        outputs, hidden = self.rnn(embedded)
        hidden = torch.tanh(self.fc(torch.cat((hidden[-2, :, :], hidden[-1, :, :]), dim=1)))
        return outputs, hidden


class Attention(nn.Module):
    def __init__(self, enc_hid, dec_hid):
        super().__init__()
        self.attn = nn.Linear(enc_hid * 2 + dec_hid, dec_hid)
        self.v = nn.Linear(dec_hid, 1, bias=False)

    def forward(self, hidden, encoder_outputs):
        src_len = encoder_outputs.shape[1]
        hidden = hidden.unsqueeze(1).repeat(1, src_len, 1)
        energy = torch.tanh(self.attn(torch.cat((hidden, encoder_outputs), dim=2)))
        attention = self.v(energy).squeeze(2)
        return F.softmax(attention, dim=1)


class Decoder(nn.Module):
    def __init__(self, vocab, emb, enc_hid, dec_hid):
        super().__init__()
        self.attention = Attention(enc_hid, dec_hid)
        self.embedding = nn.Embedding(vocab, emb)
        self.rnn = nn.GRU(enc_hid * 2 + emb, dec_hid, batch_first=True)
        self.fc_out = nn.Linear(enc_hid * 2 + dec_hid + emb, vocab)

    def forward(self, inp, hidden, encoder_outputs):
        embedded = self.embedding(inp.unsqueeze(1))            # B,1,E
        a = self.attention(hidden, encoder_outputs).unsqueeze(1)  # B,1,S
        weighted = torch.bmm(a, encoder_outputs)                # B,1,2H
        rnn_input = torch.cat((embedded, weighted), dim=2)
        output, hidden = self.rnn(rnn_input, hidden.unsqueeze(0))
        pred = self.fc_out(torch.cat((output.squeeze(1), weighted.squeeze(1), embedded.squeeze(1)), dim=1))
        return pred, hidden.squeeze(0)


class Seq2SeqAttn(nn.Module):
    def __init__(self, src_vocab=300, trg_vocab=200, emb=32, hid=48):
        super().__init__()
        self.encoder = Encoder(src_vocab, emb, hid)
        self.decoder = Decoder(trg_vocab, emb, hid, hid)

    def forward(self, src, trg):
        batch_size, trg_len = trg.shape
        outputs = []
        enc_out, hidden = self.encoder(src)
        inp = trg[:, 0]
        for t in range(1, trg_len):
            out, hidden = self.decoder(inp, hidden, enc_out)
            outputs.append(out)
            inp = trg[:, t]
        return torch.stack(outputs, dim=1)


if __name__ == "__main__":
    model = Seq2SeqAttn()
    src = torch.randint(0, 300, (4, 9))
    trg = torch.randint(0, 200, (4, 4))
    print(model(src, trg).shape)
