// torch.ao.nn.quantized's FloatFunctional as a Python stub (torch 1.13's code): the float
// model's stand-in for `torch.add` & co. in quantization-ready models. Its observed ops
// (add, mul, cat, add_relu) run through its `activation_post_process` Identity child, a row
// of torch's summary; the scalar ones do not. FXFloatFunctional has no such child.

import type { StubModule } from '../../eval/modules';

const SOURCE = `
import torch
import torch.nn as nn


class FloatFunctional(nn.Module):
    def __init__(self):
        super().__init__()
        self.activation_post_process = nn.Identity()

    def forward(self, x):
        raise RuntimeError("FloatFunctional is not intended to use the 'forward'. Please use the underlying operation")

    def add(self, x, y):
        return self.activation_post_process(torch.add(x, y))

    def add_scalar(self, x, y):
        return torch.add(x, y)

    def mul(self, x, y):
        return self.activation_post_process(torch.mul(x, y))

    def mul_scalar(self, x, y):
        return torch.mul(x, y)

    def cat(self, x, dim=0):
        return self.activation_post_process(torch.cat(x, dim=dim))

    def add_relu(self, x, y):
        return self.activation_post_process(torch.nn.functional.relu(torch.add(x, y)))


class FXFloatFunctional(nn.Module):
    def forward(self, x):
        raise RuntimeError("FloatFunctional is not intended to use the 'forward'. Please use the underlying operation")

    def add(self, x, y):
        return torch.add(x, y)

    def add_scalar(self, x, y):
        return torch.add(x, y)

    def mul(self, x, y):
        return torch.mul(x, y)

    def mul_scalar(self, x, y):
        return torch.mul(x, y)

    def cat(self, x, dim=0):
        return torch.cat(x, dim=dim)

    def add_relu(self, x, y):
        return torch.nn.functional.relu(torch.add(x, y))
`;

export const TORCH_QUANTIZED_STUB: StubModule = { module: 'torch.ao.nn.quantized', source: SOURCE };
