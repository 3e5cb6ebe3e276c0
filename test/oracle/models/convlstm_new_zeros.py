"""ConvLSTM for video: hidden state from x.new_zeros / torch.zeros_like, torch.split of gates, time loop, torch.stack."""
from typing import List, Optional, Tuple
import torch
import torch.nn as nn
from torch import Tensor


class ConvLSTMCell(nn.Module):
    def __init__(self, input_dim: int, hidden_dim: int, kernel_size: Tuple[int, int] = (3, 3), bias: bool = True):
        super(ConvLSTMCell, self).__init__()
        self.hidden_dim = hidden_dim
        padding = kernel_size[0] // 2, kernel_size[1] // 2
        self.conv = nn.Conv2d(input_dim + hidden_dim, 4 * hidden_dim, kernel_size, padding=padding, bias=bias)

    def forward(self, x: Tensor, state: Tuple[Tensor, Tensor]) -> Tuple[Tensor, Tensor]:
        h_cur, c_cur = state
        combined = torch.cat([x, h_cur], dim=1)
        cc_i, cc_f, cc_o, cc_g = torch.split(self.conv(combined), self.hidden_dim, dim=1)
        i, f, o = torch.sigmoid(cc_i), torch.sigmoid(cc_f), torch.sigmoid(cc_o)
        g = torch.tanh(cc_g)
        c_next = f * c_cur + i * g
        h_next = o * torch.tanh(c_next)
        return h_next, c_next


class ConvLSTMNet(nn.Module):
    def __init__(self, in_ch: int = 1, hidden: List[int] = [8, 16], n_out: int = 1):
        super().__init__()
        dims = [in_ch] + list(hidden)
        self.cells = nn.ModuleList([ConvLSTMCell(dims[i], dims[i + 1]) for i in range(len(hidden))])
        self.head = nn.Conv2d(hidden[-1], n_out, 1)

    def forward(self, seq: Tensor, init: Optional[List[Tensor]] = None) -> Tensor:
        b, t, _, h, w = seq.size()
        states = []
        for cell in self.cells:
            z = seq.new_zeros(b, cell.hidden_dim, h, w)
            states.append((z, torch.zeros_like(z)))
        outputs = []
        for step in range(t):
            x = seq[:, step]
            for li, cell in enumerate(self.cells):
                hcur, ccur = cell(x, states[li])
                states[li] = (hcur, ccur)
                x = hcur
            outputs.append(self.head(x))
        return torch.stack(outputs, dim=1)


if __name__ == "__main__":
    model = ConvLSTMNet()
    print(model(torch.randn(2, 4, 1, 16, 20)).shape)
