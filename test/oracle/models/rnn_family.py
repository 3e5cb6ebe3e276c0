"""Sensor-sequence regressor with plain Elman RNNs, sequence-first layout (T, B, F)."""
import torch
import torch.nn as nn


class SensorRNN(nn.Module):
    def __init__(self, n_sensors=9, hidden=48, num_layers=2, horizon=3):
        super().__init__()
        self.input_norm = nn.LayerNorm(n_sensors)
        self.rnn = nn.RNN(n_sensors, hidden, num_layers=num_layers, nonlinearity="tanh", dropout=0.1)
        self.rnn_relu = nn.RNN(input_size=hidden, hidden_size=hidden // 2, nonlinearity="relu", bias=False)
        self.cell = nn.RNNCell(hidden // 2, 16)
        self.head = nn.Linear(16, horizon)

    def forward(self, x):
        x = self.input_norm(x)
        seq, h_n = self.rnn(x)                 # (T, B, H), (L, B, H)
        seq, _ = self.rnn_relu(seq)
        last = self.cell(seq[-1])              # last time step
        return self.head(last)


if __name__ == "__main__":
    model = SensorRNN()
    series = torch.randn(40, 6, 9)
    print(model(series).shape)
