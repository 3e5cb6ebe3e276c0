"""LoRA adapters: wrapper module with its own nn.Parameter matrices around a frozen Linear; freezing by name."""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F


class LoRALinear(nn.Module):
    def __init__(self, base: nn.Linear, r: int = 4, alpha: float = 8.0):
        super().__init__()
        self.base = base
        self.r = r
        self.scaling = alpha / r
        self.lora_A = nn.Parameter(torch.empty(r, base.in_features))
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, r))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
        self.base.weight.requires_grad_(False)
        if self.base.bias is not None:
            self.base.bias.requires_grad = False

    def forward(self, x):
        return self.base(x) + (x @ self.lora_A.t() @ self.lora_B.t()) * self.scaling


class ScaledCosineHead(nn.Module):
    """Leaf module with raw parameters (no torch layer inside)."""

    def __init__(self, in_features, out_features):
        super().__init__()
        self.weight = nn.Parameter(torch.FloatTensor(out_features, in_features))
        self.scale = nn.Parameter(torch.tensor(16.0))
        nn.init.xavier_uniform_(self.weight)

    def forward(self, x):
        return self.scale * F.linear(F.normalize(x, dim=-1), F.normalize(self.weight, dim=-1))


class AdaptedEncoder(nn.Module):
    def __init__(self, dim=64, depth=3, num_classes=12, r=4):
        super().__init__()
        self.embed = nn.Linear(24, dim)
        self.blocks = nn.ModuleList()
        for _ in range(depth):
            self.blocks.append(nn.ModuleDict({
                "norm": nn.LayerNorm(dim),
                "proj": LoRALinear(nn.Linear(dim, dim), r=r),
            }))
        self.head = ScaledCosineHead(dim, num_classes)
        for n, p in self.named_parameters():
            if n.startswith("embed"):
                p.requires_grad = False

    def forward(self, x):
        x = self.embed(x)
        for blk in self.blocks:
            x = x + F.gelu(blk["proj"](blk["norm"](x)))
        return self.head(x[:, -1])


if __name__ == "__main__":
    model = AdaptedEncoder()
    print(model(torch.randn(3, 9, 24)).shape)
