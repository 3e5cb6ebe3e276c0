"""Documentation-style snippets: single layers called on their own inputs are models of one
layer; a detector returns a dict of heads (no output shape, as torchinfo has none); a loss
module called at the top level is no model."""
from collections import namedtuple

import torch
import torch.nn as nn
import torch.nn.functional as F

Heads = namedtuple("Heads", ["embedding", "logits"])


class DictDetector(nn.Module):
    def __init__(self, num_classes=5):
        super().__init__()
        self.backbone = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.ReLU(),
                                      nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.cls = nn.Linear(16, num_classes)
        self.box = nn.Linear(16, 4)

    def forward(self, images):
        h = self.backbone(images)
        return {"pred_logits": self.cls(h), "pred_boxes": self.box(h).sigmoid()}


class TupleHeads(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Linear(32, 8)
        self.head = nn.Linear(8, 3)

    def forward(self, x):
        e = F.normalize(self.embed(x), dim=-1)
        return Heads(e, self.head(e))


rnn = nn.LSTM(10, 20, 2)
conv = nn.Conv2d(16, 33, (3, 5), stride=(2, 1), padding=(4, 2), dilation=(3, 1))
criterion = nn.CrossEntropyLoss()

if __name__ == "__main__":
    inp = torch.randn(5, 3, 10)
    h0 = torch.randn(2, 3, 20)
    c0 = torch.randn(2, 3, 20)
    output, (hn, cn) = rnn(inp, (h0, c0))
    y = conv(torch.randn(2, 16, 20, 30))
    det = DictDetector()
    out = det(torch.randn(1, 3, 64, 64))
    loss = criterion(out["pred_logits"], torch.tensor([1]))
    heads = TupleHeads()
    emb, logits = heads(torch.randn(4, 32))
