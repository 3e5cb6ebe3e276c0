"""Type-annotated model using TorchScript helpers (@torch.jit.script functions, jit.ignore, jit.unused)."""
import math
from typing import List, Tuple

import torch
from torch import Tensor, nn
import torch.nn.functional as F


@torch.jit.script
def fused_gelu(x: Tensor) -> Tensor:
    return x * 0.5 * (1.0 + torch.erf(x / 1.41421))


@torch.jit.script
def drop_path(x: Tensor, p: float, training: bool) -> Tensor:
    if p == 0.0 or not training:
        return x
    keep = 1.0 - p
    shape: List[int] = [x.shape[0]] + [1] * (x.dim() - 1)
    mask = x.new_empty(shape).bernoulli_(keep)
    return x * mask / keep


class MLPBlock(nn.Module):
    __constants__ = ["drop_prob"]

    def __init__(self, dim: int, hidden: int, drop_prob: float = 0.0) -> None:
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)
        self.drop_prob = drop_prob

    def forward(self, x: Tensor) -> Tensor:
        y = self.fc2(fused_gelu(self.fc1(self.norm(x))))
        return x + drop_path(y, self.drop_prob, self.training)


class TokenMLP(nn.Module):
    def __init__(self, in_features: int = 20, dim: int = 48, depth: int = 3,
                 hidden_sizes: Tuple[int, ...] = (96, 64, 128), num_classes: int = 6) -> None:
        super().__init__()
        self.embed = nn.Linear(in_features, dim)
        self.blocks = nn.ModuleList([MLPBlock(dim, hidden_sizes[i], 0.1) for i in range(depth)])
        self.head = nn.Linear(dim, num_classes)
        self.aux_head = nn.Linear(dim, 2)
        self.scale = 1.0 / math.sqrt(dim)

    @torch.jit.ignore
    def debug_stats(self, x: Tensor) -> List[float]:
        return [float(x.mean()), float(x.std())]

    @torch.jit.unused
    def aux(self, x: Tensor) -> Tensor:
        return self.aux_head(x)

    def forward(self, x: Tensor) -> Tuple[Tensor, Tensor]:
        x = self.embed(x) * self.scale
        for blk in self.blocks:
            x = blk(x)
        pooled = x.mean(dim=1)
        return self.head(pooled), self.aux(pooled)


if __name__ == "__main__":
    model = TokenMLP()
    logits, aux = model(torch.randn(4, 15, 20))
    print(logits.shape, aux.shape)
