"""Construction driven the way model zoos do it: a timm-style @register_model registry and
create_model(), a YOLOv5-style parse_model() with eval() of layer names and `m in {...}`
tests, a config round-tripped through dataclasses.asdict, widths from a defaultdict and a
Counter, a global layer counter, arch strings split with maxsplit, in-place unsqueeze_, and an
anonymous instance called before a named one of the same class."""
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass

import torch
import torch.nn as nn

_MODELS = {}
BUILT = 0


def register_model(fn):
    _MODELS[fn.__name__] = fn
    return fn


def create_model(name, **kwargs):
    return _MODELS[name](**kwargs)


class Conv(nn.Module):
    def __init__(self, c1, c2, k=1, s=1):
        super().__init__()
        global BUILT
        BUILT += 1
        self.conv = nn.Conv2d(c1, c2, k, s, k // 2, bias=False)
        self.bn = nn.BatchNorm2d(c2)
        self.act = nn.SiLU()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))


def parse_model(layout, ch=3):
    layers, c2 = [], ch
    for m, args in layout:
        m = eval(m) if isinstance(m, str) else m
        args = [eval(a) if isinstance(a, str) else a for a in args]
        if m in {Conv, nn.Conv2d}:
            c1, c2 = ch, args[0]
            args = [c1, c2, *args[1:]]
        elif m in (nn.BatchNorm2d,):
            args = [ch]
        ch = c2
        layers.append(m(*args))
    return nn.Sequential(*layers)


@dataclass
class HeadCfg:
    hidden: int = 16
    classes: int = 10


class Detector(nn.Module):
    def __init__(self, layout, head=HeadCfg()):
        super().__init__()
        self.body = parse_model(layout)
        cfg = HeadCfg(**asdict(head))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(self.body[-1].conv.out_channels if isinstance(self.body[-1], Conv) else 32, cfg.hidden)
        self.cls = nn.Linear(cfg.hidden, cfg.classes)

    def forward(self, x):
        return self.cls(self.fc(self.pool(self.body(x)).flatten(1)))


@register_model
def detector_small(**kwargs):
    layout = [["Conv", [16, 3, 2]], ["nn.Upsample", ["None", 2, "'nearest'"]], ["Conv", [32, 3, 2]]]
    return Detector(layout, **kwargs)


class Tagger(nn.Module):
    def __init__(self, vocab=("a", "b"), arch="8-4"):
        super().__init__()
        counts = Counter(vocab)
        groups = defaultdict(list)
        for word in vocab:
            groups[word[0]].append(word)
        head, rest = arch.split("-", 1)
        self.emb = nn.Embedding(len(counts), int(head))
        self.proj = nn.Linear(int(head), int(rest) * len(groups))

    def forward(self, ids):
        return self.proj(self.emb(ids))


if __name__ == "__main__":
    det = create_model("detector_small", head=HeadCfg(hidden=24, classes=5))
    det(torch.randn(1, 3, 32, 32))
    wave = torch.randint(0, 3, (6,))
    wave.unsqueeze_(0)
    Tagger()(torch.randint(0, 2, (2, 5)))
    tagger = Tagger(vocab=("ab", "ac", "bd", "ab"), arch="12-2-ignored".rsplit("-", 1)[0])
    tagger(wave)
    assert BUILT == 2
