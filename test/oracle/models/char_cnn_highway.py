"""Kim-style text CNN: parallel Conv1d filters from a ModuleList comprehension, max-over-time, highway."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KERNEL_SIZES = [2, 3, 4, 5]


class Highway(nn.Module):
    def __init__(self, size, num_layers=2):
        super().__init__()
        self.transforms = nn.ModuleList([nn.Linear(size, size) for _ in range(num_layers)])
        self.gates = nn.ModuleList(nn.Linear(size, size) for _ in range(num_layers))

    def forward(self, x):
        for transform, gate in zip(self.transforms, self.gates):
            g = torch.sigmoid(gate(x))
            x = g * F.relu(transform(x)) + (1 - g) * x
        return x


class TextCNN(nn.Module):
    def __init__(self, vocab_size=30000, embed_dim=64, n_filters=50, kernel_sizes=KERNEL_SIZES, num_classes=6):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=1)
        self.convs = nn.ModuleList([nn.Conv1d(embed_dim, n_filters, k) for k in kernel_sizes])
        total = n_filters * len(kernel_sizes)
        self.highway = Highway(total)
        self.dropout = nn.Dropout(0.5)
        self.fc = nn.Linear(total, num_classes)

    def forward(self, tokens):
        x = self.embedding(tokens).permute(0, 2, 1)              # (B, E, T)
        pooled = [F.relu(conv(x)).max(dim=2)[0] for conv in self.convs]
        h = self.highway(torch.cat(pooled, dim=1))
        return self.fc(self.dropout(h))


if __name__ == "__main__":
    model = TextCNN()
    print(model(torch.randint(0, 30000, (8, 60))).shape)
