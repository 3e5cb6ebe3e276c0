// Gaps probe round 14 found (/work/scratch/models-r14). Every expected figure below was
// printed by real torch 1.13 (`/usr/bin/python3`, torch 1.13.0a0, torchvision 0.14) running
// the same code through test/oracle/oracle.py.

import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAnalyzer } from '../../../src/node/wasm';
import type { Analyzer } from '../../../src/core/index';
import { firstModelRows, type ModelRows } from './model-rows';
import { formatShape } from '../../../src/core/shapes/dim';

let analyzer: Analyzer;
beforeAll(async () => {
  analyzer = await nodeAnalyzer();
});

const summary = (code: string): ModelRows => firstModelRows(analyzer, code);

describe('itertools in builders', () => {
  it('pairwise (3.10), combinations, permutations, zip_longest(fillvalue=) and compress size the layers', () => {
    // torch: output [4, 5], 404 parameters; 6 pairs + 6 ordered pairs -> mix out 12; zip_longest sums to 10
    const s = summary(`
import itertools
from itertools import pairwise
import torch
import torch.nn as nn

class M(nn.Module):
    def __init__(self, dims=(6, 10, 7, 3)):
        super().__init__()
        self.body = nn.Sequential(*[nn.Linear(a, b) for a, b in pairwise(dims)])
        pairs = list(itertools.combinations(range(4), 2))
        perms = list(itertools.permutations("abc", 2))
        self.mix = nn.Linear(3, len(pairs) + len(perms))
        w = [a + (b or 0) for a, b in itertools.zip_longest([1, 2, 3], [4], fillvalue=None)]
        self.extra = nn.Linear(len(pairs) + len(perms), sum(w))
        self.keep = nn.ModuleList(itertools.compress([nn.Linear(sum(w), 2), nn.Linear(sum(w), 5)], [0, 1]))

    def forward(self, x):
        return self.keep[0](self.extra(self.mix(self.body(x))))

M()(torch.randn(4, 6))
`);
    expect(s.out).toBe('[4, 5]');
    expect(s.params).toBe(404);
    expect(s.rows).toEqual([
      'body.0 Linear [4, 10] 70', 'body.1 Linear [4, 7] 77', 'body.2 Linear [4, 3] 24',
      'mix Linear [4, 12] 48', 'extra Linear [4, 10] 130', 'keep.0 Linear [4, 5] 55',
    ]);
  });
});

describe('linear algebra and named results', () => {
  it('linalg.solve (matrix / vector / left=False), pinv, linalg.cross, trapezoid, cumulative_trapezoid, F.channel_shuffle, index_put; aminmax().max, slogdet().logabsdet, eigh().eigenvalues, qr().Q, svd().S', () => {
    // torch: every tap row below, output [2, 4, 6], 48 parameters
    const s = summary(`
import torch
import torch.nn as nn
import torch.nn.functional as F

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(6, 4)
        self.conv = nn.Conv2d(4, 4, 1)
        self.tap = nn.Identity()

    def forward(self, x):
        A = self.proj(x)[..., :4] + 3 * torch.eye(4)
        sol = torch.linalg.solve(A, x)
        vec = torch.linalg.solve(A, x[..., 0])
        right = torch.linalg.solve(A, x.transpose(-1, -2), left=False)
        pinv = torch.linalg.pinv(x)
        c = torch.linalg.cross(x[..., :3], x[:1, :1, 3:])
        area = torch.trapezoid(x, dim=1)
        cum = torch.cumulative_trapezoid(x)
        lo_hi = torch.aminmax(x, dim=-1)
        ld = torch.linalg.slogdet(A).logabsdet
        ev = torch.linalg.eigh(A @ A.mT).eigenvalues
        q = torch.linalg.qr(x).Q
        s = torch.linalg.svd(x, full_matrices=False).S
        img = self.conv(F.channel_shuffle(A.unsqueeze(-1), 2))
        put = x.index_put((torch.tensor([0]),), torch.zeros(4, 6))
        for o in [sol, vec, right, pinv, c, area, cum, lo_hi.max, ld, ev, q, s, img, put]:
            x = self.tap(o)
        return x

M()(torch.randn(2, 4, 6))
`);
    expect(s.out).toBe('[2, 4, 6]');
    expect(s.params).toBe(48);
    const taps = ['[2, 4, 6]', '[2, 4]', '[2, 6, 4]', '[2, 6, 4]', '[2, 4, 3]', '[2, 6]', '[2, 4, 5]', '[2, 4]', '[2]', '[2, 4]', '[2, 4, 4]', '[2, 4]', '[2, 4, 4, 1]', '[2, 4, 6]'];
    expect(s.rows).toEqual(['proj Linear [2, 4, 4] 28', 'conv Conv2d [2, 4, 4, 1] 20', ...taps.map((t) => `tap Identity ${t} 0`)]);
  });

  it('linalg.solve rejects a B whose rows do not match A, as torch does', () => {
    const a = analyzer.analyze(`
import torch
import torch.nn as nn

class M(nn.Module):
    def forward(self, x):
        return torch.linalg.solve(torch.eye(4), x)

M()(torch.randn(3, 5))
`, { fileName: 't.py' });
    expect(JSON.stringify(a.models[0]?.notes ?? a.notes)).toMatch(/Incompatible shapes of A and B/);
  });
});

describe('nn.DataParallel', () => {
  it('wraps the model as its child "module" and forwards the call (args and kwargs) unchanged, as torch does without a GPU', () => {
    // torch: model [4, 3], 283 parameters (module.fc replaced through .module); other [3, 24], 28 parameters
    const a = analyzer.analyze(`
import torch
import torch.nn as nn
from torch.nn.parallel import DataParallel as DP

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(10, 20), nn.ReLU())
        self.fc = nn.Linear(20, 5)

    def forward(self, x, scale=1.0):
        return self.fc(self.body(x)) * scale

if __name__ == "__main__":
    model = nn.DataParallel(Net()).to("cpu")
    model.module.fc = nn.Linear(20, 3)
    print(model(torch.randn(4, 10), scale=2.0).shape)
    other = DP(nn.Sequential(nn.Conv1d(2, 4, 3), nn.Flatten()))
    print(other(torch.randn(3, 2, 8)).shape)
`, { fileName: 't.py' });
    const rows = (name: string) => {
      const m = a.models.find((x) => x.name === name);
      expect(m, `model ${name} in ${a.models.map((x) => x.name).join(', ')}`).toBeDefined();
      return [m!.outputShape ? formatShape(m!.outputShape) : 'null', m!.totalParams, ...m!.layers.map((l) => `${l.path} ${l.type} ${l.outputShape ? formatShape(l.outputShape) : 'null'} ${l.params}`)];
    };
    expect(rows('model')).toEqual(['[4, 3]', 283, 'module.body.0 Linear [4, 20] 220', 'module.body.1 ReLU [4, 20] 0', 'module.fc Linear [4, 3] 63']);
    expect(rows('other')).toEqual(['[3, 24]', 28, 'module.0 Conv1d [3, 4, 6] 28', 'module.1 Flatten [3, 24] 0']);
  });
});

describe('torchvision.models.video', () => {
  const code = `
import torch
import torch.nn as nn
import torchvision
from torchvision.models.video import r2plus1d_18, R2Plus1D_18_Weights


class Clip(nn.Module):
    def __init__(self, n=3):
        super().__init__()
        self.backbone = torchvision.models.video.mc3_18(weights=None)
        self.backbone.fc = nn.Identity()
        self.head = nn.Linear(512, n)

    def forward(self, x):
        return self.head(self.backbone(x))


if __name__ == "__main__":
    r3d = torchvision.models.video.r3d_18(num_classes=5)
    print(r3d(torch.randn(2, 3, 4, 32, 32)).shape)
    r21 = r2plus1d_18(weights=None, num_classes=2)
    print(r21(torch.randn(1, 3, 8, 40, 40)).shape)
    print(Clip()(torch.randn(1, 3, 5, 28, 36)).shape)
    s3d = torchvision.models.video.s3d(num_classes=4, dropout=0.0)
    print(s3d(torch.randn(1, 3, 16, 224, 224)).shape)
`;
  it('r3d_18, r2plus1d_18, mc3_18 (head swapped) and s3d: output, parameters and row count as torchvision 0.14 builds them', () => {
    const a = analyzer.analyze(code, { fileName: 't.py' });
    const got = (name: string) => {
      const m = a.models.find((x) => x.name === name);
      expect(m, `model ${name} in ${a.models.map((x) => x.name).join(', ')}`).toBeDefined();
      const last = m!.layers[m!.layers.length - 1];
      return [m!.outputShape ? formatShape(m!.outputShape) : 'null', m!.totalParams, m!.layers.length, `${last.path} ${last.type} ${last.outputShape ? formatShape(last.outputShape) : 'null'} ${last.params}`];
    };
    // torch 1.13 / torchvision 0.14 via the oracle: output, total parameters, rows, last row
    expect(got('r3d')).toEqual(['[2, 5]', 33168837, 59, 'fc Linear [2, 5] 2565']);
    expect(got('r21')).toEqual(['[1, 2]', 31301151, 110, 'fc Linear [1, 2] 1026']);
    expect(got('Clip')).toEqual(['[1, 3]', 11491779, 60, 'head Linear [1, 3] 1539']);
    expect(got('s3d')).toEqual(['[1, 4]', 7914148, 247, 'classifier.1 Conv3d [1, 4, 1, 1, 1] 4100']);
  });
});

describe('sets compare without regard to order', () => {
  it('set(a.split()) == set(b.split()), {1, 2} == {2, 1} and a set comprehension size layers as in Python', () => {
    // torch: fc Linear(4, 3), g Linear(3, 2): output [2, 2], 23 parameters
    const s = summary(`
import torch
import torch.nn as nn

class M(nn.Module):
    def __init__(self, left="b c h", right="h c b"):
        super().__init__()
        same = set(left.split()) == set(right.split())
        self.fc = nn.Linear(4, 3 if same else 5)
        self.g = nn.Linear(3, 2 if {1, 2} == {2, 1} and {a for a in "ab"} != {"b"} else 7)

    def forward(self, x):
        return self.g(self.fc(x))

M()(torch.randn(2, 4))
`);
    expect(s.out).toBe('[2, 2]');
    expect(s.rows).toEqual(['fc Linear [2, 3] 15', 'g Linear [2, 2] 8']);
  });
});

describe('einops', () => {
  it('rearrange / repeat / reduce (groups, unit axes, ellipsis, max-pool split), einsum, pack / unpack, parse_shape and the Rearrange / Reduce layers', () => {
    // torch 1.13 via the oracle on the same model written out in torch ops with leaf modules of the same names
    // (/work/scratch/models-r14-repros/einops_vit_torch_equiv.py; einops is not installed beside torch here)
    const s = summary(`import torch
import torch.nn as nn
from einops import rearrange, repeat, reduce, einsum, pack, unpack, parse_shape
from einops.layers.torch import Rearrange, Reduce


class Attention(nn.Module):
    def __init__(self, dim, heads=4, dim_head=16):
        super().__init__()
        inner = heads * dim_head
        self.heads = heads
        self.norm = nn.LayerNorm(dim)
        self.to_qkv = nn.Linear(dim, inner * 3, bias=False)
        self.to_out = nn.Linear(inner, dim)

    def forward(self, x):
        x = self.norm(x)
        qkv = self.to_qkv(x).chunk(3, dim=-1)
        q, k, v = map(lambda t: rearrange(t, 'b n (h d) -> b h n d', h=self.heads), qkv)
        dots = einsum(q, k, 'b h i d, b h j d -> b h i j') * q.shape[-1] ** -0.5
        out = dots.softmax(dim=-1) @ v
        out = rearrange(out, 'b h n d -> b n (h d)')
        return self.to_out(out)


class ViT(nn.Module):
    def __init__(self, image_size=32, patch=8, dim=64, depth=2, num_classes=10, channels=3):
        super().__init__()
        patch_dim = channels * patch * patch
        self.to_patch_embedding = nn.Sequential(
            Rearrange('b c (h p1) (w p2) -> b (h w) (p1 p2 c)', p1=patch, p2=patch),
            nn.LayerNorm(patch_dim), nn.Linear(patch_dim, dim))
        self.cls_token = nn.Parameter(torch.randn(1, 1, dim))
        self.pos = nn.Parameter(torch.randn(1, (image_size // patch) ** 2 + 1, dim))
        self.layers = nn.ModuleList([Attention(dim) for _ in range(depth)])
        self.pool = nn.Sequential(Reduce('b n d -> b d', 'mean'), nn.LayerNorm(dim))
        self.head = nn.Linear(dim, num_classes)
        self.proj = nn.Linear(dim * 4, 3)

    def forward(self, img):
        x = self.to_patch_embedding(img)
        b, n, _ = x.shape
        cls = repeat(self.cls_token, '1 1 d -> b 1 d', b=b)
        x, ps = pack([cls, x], 'b * d')
        x = x + self.pos[:, : n + 1]
        for attn in self.layers:
            x = attn(x) + x
        cls_out, tokens = unpack(x, ps, 'b * d')
        pooled = self.pool(tokens)
        tokens = rearrange(tokens, 'b (h w) d -> b h w d', h=4)
        tokens = rearrange(tokens, 'b h w d -> b d h w')
        sizes = parse_shape(tokens, 'b c _ _')
        mx = reduce(tokens, 'b c (h h2) (w w2) -> b c h w', 'max', h2=2, w2=2)
        rep = repeat(mx, 'b c h w -> b r (c h w)', r=3)
        heads = self.proj(rep)
        unit = rearrange(heads, 'b r k -> b () r k')
        flat = rearrange(unit, 'b 1 r k -> b (r k)')
        ell = rearrange(flat, '... (r k) -> ... r k', k=sizes['b'] + 1)
        return self.head(pooled) + ell.sum() + flat.mean()


if __name__ == "__main__":
    print(ViT()(torch.randn(2, 3, 32, 32)).shape)
`);
    expect(s.out).toBe('[2, 10]');
    expect(s.params).toBe(48589);
    expect(s.rows).toEqual([
      'to_patch_embedding.0 Rearrange [2, 16, 192] 0', 'to_patch_embedding.1 LayerNorm [2, 16, 192] 384', 'to_patch_embedding.2 Linear [2, 16, 64] 12352',
      'layers.0.norm LayerNorm [2, 17, 64] 128', 'layers.0.to_qkv Linear [2, 17, 192] 12288', 'layers.0.to_out Linear [2, 17, 64] 4160',
      'layers.1.norm LayerNorm [2, 17, 64] 128', 'layers.1.to_qkv Linear [2, 17, 192] 12288', 'layers.1.to_out Linear [2, 17, 64] 4160',
      'pool.0 Reduce [2, 64] 0', 'pool.1 LayerNorm [2, 64] 128', 'proj Linear [2, 3, 3] 771', 'head Linear [2, 10] 650',
    ]);
  });

  it('a pattern that does not fit the input gives an Unknown output, not a crash', () => {
    const a = analyzer.analyze(`
import torch
import torch.nn as nn
from einops import rearrange

class Bad(nn.Module):
    def forward(self, x):
        return rearrange(x, 'b c (h p) w -> b (h w) (p c)', p=5)

Bad()(torch.randn(2, 3, 32, 32))
`, { fileName: 't.py' });
    expect(a.models[0].outputShape).toBeNull();
  });
});

describe('frames: locals(), inspect.currentframe(), inspect.getargvalues()', () => {
  it("a function's names bound so far, its parameters, and its caller's through f_back", () => {
    // torch 1.13 / Python 3.11 via the oracle: a Linear(2, 12), b Linear(2, 25), c Linear(2, 35)
    const s = summary(`
import inspect
import torch
import torch.nn as nn

def caller_args():
    info = inspect.getargvalues(inspect.currentframe().f_back)
    return info.args, info.locals

class T(nn.Module):
    def __init__(self, hidden=5, depth=2):
        super().__init__()
        args, loc = caller_args()
        self.a = nn.Linear(2, len(args) + 9)
        self.b = nn.Linear(2, loc["hidden"] + 20)
        n = len([k for k in locals() if not k.startswith("__")])
        self.c = nn.Linear(2, n + 30)

    def forward(self, x):
        return self.c(x) + self.b(x).sum() + self.a(x).sum()

T()(torch.randn(1, 2))
`);
    expect(s.rows).toEqual(['c Linear [1, 35] 105', 'b Linear [1, 25] 75', 'a Linear [1, 12] 36']);
  });
});

describe('PyTorch Lightning', () => {
  it('LightningModule (pytorch_lightning, lightning, lightning.pytorch) with save_hyperparameters(): all init args (**kwargs merged), ignore=, one config dict, names given', () => {
    // torch 1.13 via the oracle on the same classes over an nn.Module base doing what Lightning documents
    // (/work/scratch/models-r14-repros/lightning_hparams_torch_equiv.py; lightning is not installed beside torch here)
    const a = analyzer.analyze(`import torch
import torch.nn as nn
import torch.nn.functional as F
import lightning as L
import pytorch_lightning as pl
from lightning.pytorch import LightningModule


class LitMLP(L.LightningModule):
    def __init__(self, in_dim=20, hidden=48, n_classes=4, lr=1e-3, **kwargs):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Linear(self.hparams.in_dim, self.hparams.hidden), nn.ReLU(),
                                 nn.Linear(self.hparams["hidden"], self.hparams.n_classes + self.hparams.extra))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


class LitFinetune(pl.LightningModule):
    def __init__(self, backbone, width=16, num_classes=3):
        super().__init__()
        self.save_hyperparameters(ignore=["backbone"])
        self.backbone = backbone
        self.head = nn.Linear(width, num_classes if "backbone" not in self.hparams else 99)

    def forward(self, x):
        return self.head(self.backbone(x).flatten(1))


class LitFromConfig(LightningModule):
    def __init__(self, config):
        super().__init__()
        self.save_hyperparameters(config)
        self.conv = nn.Conv1d(self.hparams.channels, self.hparams.filters, self.hparams.kernel)
        self.pool = nn.AdaptiveAvgPool1d(1)

    def forward(self, x):
        return self.pool(self.conv(x)).squeeze(-1)


class LitSome(pl.LightningModule):
    def __init__(self, a=3, b=5, c=7):
        super().__init__()
        self.save_hyperparameters("a", "c")
        self.fc = nn.Linear(self.hparams.a, self.hparams.c + len(self.hparams))

    def forward(self, x):
        return self.fc(x)


if __name__ == "__main__":
    pl.seed_everything(0)
    mlp = LitMLP(hidden=32, extra=1)
    print(mlp(torch.randn(6, 20)).shape)
    ft = LitFinetune(nn.Sequential(nn.Conv2d(3, 16, 3, 2), nn.AdaptiveAvgPool2d(1)))
    print(ft(torch.randn(2, 3, 16, 16)).shape)
    cfg = {"channels": 2, "filters": 8, "kernel": 5}
    print(LitFromConfig(cfg)(torch.randn(3, 2, 30)).shape)
    print(LitSome()(torch.randn(4, 3)).shape)
    trainer = pl.Trainer(max_epochs=1, accelerator="cpu")
`, { fileName: 't.py' });
    const got = (name: string) => {
      const m = a.models.find((x) => x.name === name);
      expect(m, `model ${name} in ${a.models.map((x) => x.name).join(', ')}`).toBeDefined();
      return [m!.outputShape ? formatShape(m!.outputShape) : 'null', m!.totalParams, ...m!.layers.map((l) => `${l.path} ${l.type} ${l.outputShape ? formatShape(l.outputShape) : 'null'} ${l.params}`)];
    };
    expect(got('LitMLP')).toEqual(['[6, 5]', 837, 'net.0 Linear [6, 32] 672', 'net.1 ReLU [6, 32] 0', 'net.2 Linear [6, 5] 165']);
    expect(got('LitFinetune')).toEqual(['[2, 3]', 499, 'backbone.0 Conv2d [2, 16, 7, 7] 448', 'backbone.1 AdaptiveAvgPool2d [2, 16, 1, 1] 0', 'head Linear [2, 3] 51']);
    expect(got('LitFromConfig')).toEqual(['[3, 8]', 88, 'conv Conv1d [3, 8, 26] 88', 'pool AdaptiveAvgPool1d [3, 8, 1] 0']);
    expect(got('LitSome')).toEqual(['[4, 9]', 36, 'fc Linear [4, 9] 36']);
  });
});

describe('ModuleDict.update', () => {
  it('update(dict) adds in order, pop() then takes one out; ModuleList del / insert / extend around it', () => {
    // torch 1.13 via the oracle: output [2, 3], 311 parameters
    const s = summary(`
import functools
import torch
import torch.nn as nn

class ListOps(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(8, 8) for _ in range(4)])
        del self.layers[-1]
        self.layers.insert(0, nn.Linear(6, 8))
        self.layers.extend([nn.ReLU(), nn.Linear(8, 3)])
        self.heads = nn.ModuleDict()
        self.heads.update({"b": nn.Linear(3, 2), "a": nn.Linear(3, 1)})
        removed = self.heads.pop("a")
        self.extra = removed

    def forward(self, x):
        x = functools.reduce(lambda h, f: f(h), self.layers, x)
        return torch.cat([self.heads[k](x) for k in self.heads.keys()] + [self.extra(x)], dim=-1)

ListOps()(torch.randn(2, 6))
`);
    expect(s.out).toBe('[2, 3]');
    expect(s.params).toBe(311);
    expect(s.rows.slice(-2)).toEqual(['heads.b Linear [2, 2] 8', 'extra Linear [2, 1] 4']);
  });
});

describe('torchaudio.transforms', () => {
  it('MelSpectrogram (spectrogram + mel_scale children), AmplitudeToDB, Frequency/TimeMasking, MFCC with melkwargs (center=False), Spectrogram(power=None)', () => {
    // torch 1.13 via the oracle on the transforms written out after torchaudio's definitions with the same torch.stft call
    // (/work/scratch/models-r14-repros/torchaudio_frontends_torch_equiv.py; torchaudio is not installed beside torch here)
    const a = analyzer.analyze(`import torch
import torch.nn as nn
import torchaudio
import torchaudio.transforms as T
from torchaudio.transforms import MFCC


class KWS(nn.Module):
    def __init__(self, n_mels=40, n_classes=12):
        super().__init__()
        self.melspec = torchaudio.transforms.MelSpectrogram(sample_rate=16000, n_fft=480, hop_length=160, n_mels=n_mels)
        self.to_db = T.AmplitudeToDB(top_db=80)
        self.specaug = nn.Sequential(T.FrequencyMasking(8), T.TimeMasking(20))
        self.conv = nn.Conv2d(1, 16, 3, padding=1)
        self.fc = nn.Linear(16, n_classes)

    def forward(self, wav):
        x = self.to_db(self.melspec(wav))
        x = self.specaug(x)
        x = self.conv(x.unsqueeze(1))
        return self.fc(x.mean((2, 3)))


class MfccNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.mfcc = MFCC(sample_rate=8000, n_mfcc=13, melkwargs={"n_fft": 256, "hop_length": 80, "n_mels": 23, "center": False})
        self.spec = T.Spectrogram(n_fft=128, power=None)
        self.rnn = nn.GRU(13, 32, batch_first=True)

    def forward(self, wav):
        s = self.spec(wav)
        out, _ = self.rnn(self.mfcc(wav).transpose(1, 2))
        return out, s


if __name__ == "__main__":
    print(KWS()(torch.randn(2, 16000)).shape)
    print(MfccNet()(torch.randn(3, 4000))[0].shape)
`, { fileName: 't.py' });
    const got = (name: string) => {
      const m = a.models.find((x) => x.name === name);
      expect(m, `model ${name} in ${a.models.map((x) => x.name).join(', ')}`).toBeDefined();
      return [m!.outputShape ? formatShape(m!.outputShape) : 'null', m!.totalParams, ...m!.layers.map((l) => `${l.path} ${l.type} ${l.outputShape ? formatShape(l.outputShape) : 'null'} ${l.params}`)];
    };
    expect(got('KWS')).toEqual(['[2, 12]', 364, 'melspec.spectrogram Spectrogram [2, 241, 101] 0', 'melspec.mel_scale MelScale [2, 40, 101] 0',
      'to_db AmplitudeToDB [2, 40, 101] 0', 'specaug.0 FrequencyMasking [2, 40, 101] 0', 'specaug.1 TimeMasking [2, 40, 101] 0',
      'conv Conv2d [2, 16, 40, 101] 160', 'fc Linear [2, 12] 204']);
    expect(got('MfccNet')).toEqual(['[3, 47, 32]', 4512, 'spec Spectrogram [3, 65, 63] 0', 'mfcc.MelSpectrogram.spectrogram Spectrogram [3, 129, 47] 0',
      'mfcc.MelSpectrogram.mel_scale MelScale [3, 23, 47] 0', 'mfcc.amplitude_to_DB AmplitudeToDB [3, 23, 47] 0', 'rnn GRU [3, 47, 32] 4512']);
  });
});

describe('torchvision.transforms as modules', () => {
  it('Resize (int with max_size), CenterCrop larger than the image, Pad, RandomCrop(padding=), RandomResizedCrop, Grayscale(3) and a Compose called in forward', () => {
    // torch 1.13 / torchvision 0.14 via the oracle: output [2, 2, 16, 16], 56 parameters
    const s = summary(`import torch
import torch.nn as nn
import torchvision.transforms as T


class Prep(nn.Module):
    def __init__(self):
        super().__init__()
        self.resize = T.Resize(24, max_size=30)
        self.crop_big = T.CenterCrop((30, 20))
        self.pad = T.Pad((1, 2))
        self.rcrop = T.RandomCrop(16, padding=4)
        self.rrc = T.RandomResizedCrop(12)
        self.gray = T.Grayscale(num_output_channels=3)
        self.pipe = T.Compose([T.Resize((20, 22)), T.CenterCrop(18), T.Normalize([0.5] * 3, [0.2] * 3)])
        self.tap = nn.Identity()
        self.conv = nn.Conv2d(3, 2, 3)

    def forward(self, x):
        for t in (self.resize(x), self.crop_big(x), self.pad(x), self.rcrop(x), self.rrc(x), self.gray(x), self.pipe(x)):
            y = self.tap(t)
        return self.conv(y)


if __name__ == "__main__":
    print(Prep()(torch.rand(2, 3, 26, 17)).shape)
`);
    expect(s.out).toBe('[2, 2, 16, 16]');
    expect(s.rows).toEqual([
      'resize Resize [2, 3, 30, 20] 0', 'crop_big CenterCrop [2, 3, 30, 20] 0', 'pad Pad [2, 3, 30, 19] 0', 'rcrop RandomCrop [2, 3, 16, 16] 0',
      'rrc RandomResizedCrop [2, 3, 12, 12] 0', 'gray Grayscale [2, 3, 26, 17] 0',
      ...['[2, 3, 30, 20]', '[2, 3, 30, 20]', '[2, 3, 30, 19]', '[2, 3, 16, 16]', '[2, 3, 12, 12]', '[2, 3, 26, 17]', '[2, 3, 18, 18]'].map((t) => `tap Identity ${t} 0`),
      'conv Conv2d [2, 2, 16, 16] 56',
    ]);
  });
});

describe('iterators made by iter()', () => {
  it('zip(*[iter(xs)] * 2) pairs consecutive items, and next() moves an iterator on', () => {
    // torch 1.13 via the oracle: convs with kernels 3 and 7 (936 parameters), then Linear(4, 5) from the second next()
    const s = summary(`
import torch
import torch.nn as nn

class Grouper(nn.Module):
    def __init__(self):
        super().__init__()
        pairs = list(zip(*[iter([3, 5, 7, 9])] * 2))
        self.convs = nn.Sequential(*[nn.Conv2d(4, 4, k, padding=k // 2) for k, _ in pairs])
        it = iter([2, 5, 8])
        next(it)
        self.fc = nn.Linear(4, next(it))

    def forward(self, x):
        return self.fc(self.convs(x).mean((2, 3)))

Grouper()(torch.randn(1, 4, 16, 16))
`);
    expect(s.rows).toEqual(['convs.0 Conv2d [1, 4, 16, 16] 148', 'convs.1 Conv2d [1, 4, 16, 16] 788', 'fc Linear [1, 5] 25']);
  });
});
