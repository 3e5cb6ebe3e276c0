"""Mixture of experts with top-k gating (topk, gather, scatter), expert outputs stacked, blocks run under checkpoint."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.checkpoint import checkpoint


class Expert(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.w1 = nn.Linear(d, h)
        self.w2 = nn.Linear(h, d)

    def forward(self, x):
        return self.w2(F.relu(self.w1(x)))


class MoE(nn.Module):
    def __init__(self, d=32, n_experts=4, k=2):
        super().__init__()
        self.k = k
        self.gate = nn.Linear(d, n_experts, bias=False)
        self.experts = nn.ModuleList([Expert(d, 2 * d) for _ in range(n_experts)])

    def forward(self, x):
        logits = self.gate(x)                                   # B,T,E
        topv, topi = logits.topk(self.k, dim=-1)
        weights = torch.zeros_like(logits).scatter(-1, topi, F.softmax(topv, dim=-1))
        outs = torch.stack([e(x) for e in self.experts], dim=-2)   # B,T,E,D
        return (weights.unsqueeze(-1) * outs).sum(dim=-2)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.moe = MoE(d)

    def forward(self, x):
        return x + self.moe(self.norm(x))


class MoEModel(nn.Module):
    def __init__(self, vocab=200, d=32, depth=2, use_checkpoint=True):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(64, d)
        self.blocks = nn.ModuleList(Block(d) for _ in range(depth))
        self.use_checkpoint = use_checkpoint
        self.lm_head = nn.Linear(d, vocab, bias=False)
        self.lm_head.weight = self.tok.weight

    def forward(self, idx):
        B, T = idx.shape
        pos = torch.arange(T, device=idx.device).unsqueeze(0).expand(B, T)
        x = self.tok(idx) + self.pos(pos)
        for blk in self.blocks:
            x = checkpoint(blk, x, use_reentrant=False) if self.use_checkpoint else blk(x)
        return self.lm_head(x)


if __name__ == "__main__":
    model = MoEModel()
    print(model(torch.randint(0, 200, (2, 16))).shape)
