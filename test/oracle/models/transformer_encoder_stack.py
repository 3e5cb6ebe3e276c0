"""Time-series transformer: CLS token, learned positions, pre-norm GELU encoder (sequence-first)."""
import torch
import torch.nn as nn

D_MODEL = 64
N_HEAD = 4
N_LAYERS = 3
SEQ_LEN = 50


class TSTransformer(nn.Module):
    def __init__(self, n_features=7, d_model=D_MODEL, nhead=N_HEAD, num_layers=N_LAYERS,
                 seq_len=SEQ_LEN, num_classes=4):
        super().__init__()
        self.input_proj = nn.Linear(n_features, d_model)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d_model))
        self.pos_embedding = nn.Parameter(torch.zeros(seq_len + 1, 1, d_model))
        encoder_layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=4 * d_model,
                                                   dropout=0.1, activation="gelu", norm_first=True)
        self.encoder = nn.TransformerEncoder(encoder_layer, num_layers, norm=nn.LayerNorm(d_model))
        self.classifier = nn.Sequential(nn.Linear(d_model, d_model // 2), nn.GELU(), nn.Linear(d_model // 2, num_classes))

    def forward(self, x):                       # x: (T, B, F)
        x = self.input_proj(x)
        cls = self.cls_token.expand(-1, x.shape[1], -1)
        x = torch.cat([cls, x], dim=0) + self.pos_embedding
        x = self.encoder(x)
        return self.classifier(x[0])


if __name__ == "__main__":
    model = TSTransformer()
    series = torch.randn(SEQ_LEN, 3, 7)
    print(model(series).shape)
