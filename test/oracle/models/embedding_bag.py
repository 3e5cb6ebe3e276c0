"""Click-through model: categorical fields through Embedding / EmbeddingBag plus a dense MLP."""
import torch
import torch.nn as nn

FIELD_SIZES = [1000, 500, 120, 24]
EMBED_DIM = 16
NUM_DENSE = 13


class CTRModel(nn.Module):
    def __init__(self, field_sizes=FIELD_SIZES, embed_dim=EMBED_DIM, num_dense=NUM_DENSE, vocab=5000):
        super().__init__()
        self.embeddings = nn.ModuleList([nn.Embedding(n, embed_dim) for n in field_sizes])
        self.bag = nn.EmbeddingBag(vocab, embed_dim, mode="mean")
        self.bag_sum = nn.EmbeddingBag(vocab, 8, mode="sum", padding_idx=0)
        self.dense = nn.Linear(num_dense, embed_dim)
        n_in = embed_dim * (len(field_sizes) + 2) + 8
        self.mlp = nn.Sequential(
            nn.Linear(n_in, 128), nn.ReLU(),
            nn.Linear(128, 64), nn.ReLU(),
            nn.Linear(64, 1),
        )

    def forward(self, fields, history, dense):
        embs = [emb(fields[:, i]) for i, emb in enumerate(self.embeddings)]
        embs.append(self.bag(history))
        embs.append(self.bag_sum(history))
        embs.append(self.dense(dense))
        x = torch.cat(embs, dim=1)
        return torch.sigmoid(self.mlp(x)).squeeze(1)


if __name__ == "__main__":
    model = CTRModel()
    fields = torch.randint(0, 24, (4, len(FIELD_SIZES)))
    history = torch.randint(0, 5000, (4, 20))
    dense = torch.randn(4, NUM_DENSE)
    print(model(fields, history, dense).shape)
