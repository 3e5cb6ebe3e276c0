"""Image-captioning decoder: nn.TransformerDecoder over word embeddings with image memory."""
import torch
import torch.nn as nn


class CaptionDecoder(nn.Module):
    def __init__(self, vocab_size=3000, d_model=96, nhead=6, num_layers=2, feat_dim=512, max_len=40):
        super().__init__()
        self.word_embed = nn.Embedding(vocab_size, d_model)
        self.pos_embed = nn.Embedding(max_len, d_model)
        self.memory_proj = nn.Linear(feat_dim, d_model)
        layer = nn.TransformerDecoderLayer(d_model=d_model, nhead=nhead, dim_feedforward=192,
                                           batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, num_layers=num_layers)
        self.lm_head = nn.Linear(d_model, vocab_size)

    def forward(self, captions, image_feats):
        b, t = captions.shape
        positions = torch.arange(t).unsqueeze(0).expand(b, t)
        x = self.word_embed(captions) + self.pos_embed(positions)
        memory = self.memory_proj(image_feats)
        causal = torch.triu(torch.full((t, t), float("-inf")), diagonal=1)
        x = self.decoder(x, memory, tgt_mask=causal)
        return self.lm_head(x)


if __name__ == "__main__":
    model = CaptionDecoder()
    captions = torch.randint(0, 3000, (2, 12))
    feats = torch.randn(2, 49, 512)
    print(model(captions, feats).shape)
