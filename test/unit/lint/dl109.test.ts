// DL109 direct-forward-call.
import { beforeAll, describe, expect, it } from 'vitest';
import { findings, fixAndRelint, initParser, lines } from './helpers';

beforeAll(async () => {
  await initParser();
});

const CLS = `
    import torch.nn as nn
    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 4)
        def forward(self, x):
            return self.fc(x)
`;

describe('DL109', () => {
  it('warns on .forward() of proven modules', () => {
    const fs = findings('DL109', CLS + `
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.backbone = Block()
            self.head = nn.Linear(4, 2)
        def forward(self, x):
            return self.head.forward(self.backbone.forward(x))
    net = Net()
    y = net.forward(None)
    `);
    expect(fs.map((f) => [f.range.line + 1, f.severity])).toEqual([[15, 'warning'], [15, 'warning'], [17, 'warning']]);
  });
  it('warns on .forward() of a self attribute in a module class, whatever it was built from', () => {
    const fs = findings('DL109', `
    import torch.nn as nn
    import torchvision
    class Siamese(nn.Module):
        def __init__(self, encoder):
            super().__init__()
            self.encoder = encoder
            self.backbone = torchvision.models.resnet18(weights=None)
        def embed(self, x):
            return self.encoder.forward(x) + self.backbone.forward(x)
    `);
    expect(fs.map((f) => [f.range.line + 1, f.severity])).toEqual([[9, 'warning'], [9, 'warning']]);
  });
  it('allows super().forward, Base.forward(self) and unknown receivers outside modules', () => {
    expect(lines('DL109', CLS + `
    class Child(Block):
        def forward(self, x):
            y = super().forward(x)
            return Block.forward(self, y)
    def run(thing, x):
        return thing.forward(x)
    `)).toEqual([]);
  });
  it('allows .forward() of a self attribute built from a plain class of this file', () => {
    const fs = findings('DL109', `
    import torch.nn as nn
    class Schedule:
        def forward(self, x, t):
            return x * (1 - t)
    class Cosine(Schedule):
        pass
    class Remote(SomeBase):
        def forward(self, x):
            return x
    class Diffusion(nn.Module):
        def __init__(self, kind):
            super().__init__()
            self.schedule = Schedule()
            self.cosine = Cosine()
            self.remote = Remote()
            self.mixed = Schedule() if kind else make_module()
        def forward(self, x):
            return self.schedule.forward(x, 0.5) + self.cosine.forward(x, 0.1) + self.remote.forward(x) + self.mixed.forward(x, 0.2)
    `);
    expect(fs.map((f) => [f.range.line + 1, f.severity])).toEqual([[18, 'warning'], [18, 'warning']]);
  });
  it('fix calls the module', () => {
    const r = fixAndRelint('DL109', CLS + `
    b = Block()
    y = b.forward(x)
    `);
    expect(r.text).toContain('y = b(x)');
    expect(r.remaining).toEqual([]);
  });
  it('knows nn.TransformerEncoder / TransformerDecoder / Transformer values as modules', () => {
    expect(lines('DL109', `
    import torch
    from torch import nn
    enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model=8, nhead=2, batch_first=True), num_layers=1)
    dec = nn.TransformerDecoder(nn.TransformerDecoderLayer(d_model=8, nhead=2), num_layers=1)
    tr = nn.Transformer(d_model=8, nhead=2)
    h = enc.forward(torch.randn(2, 5, 8))
    d = dec.forward(h, h)
    t = tr.forward(h, h)
    ok = enc(torch.randn(2, 5, 8))
    `)).toEqual([6, 7, 8]);
  });
  it('fires on .forward of a loop variable over a ModuleList / Sequential / ModuleDict.values(), not over other attributes', () => {
    expect(lines('DL109', `
    import torch
    import torch.nn as nn
    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.ModuleList([nn.Linear(16, 16) for _ in range(3)])
            self.stack = nn.Sequential(nn.Linear(16, 16))
            self.heads = nn.ModuleDict({"a": nn.Linear(16, 2)})
            self.schedules = [Cosine(), Cosine()]
        def forward(self, x):
            for layer in self.layers:
                x = torch.relu(layer.forward(x))
            for i, blk in enumerate(self.stack):
                x = blk.forward(x)
            for head in self.heads.values():
                y = head.forward(x)
            for s in self.schedules:
                x = s.forward(x)
            for name in self.heads:
                z = name.forward(x)
            return x
    `)).toEqual([12, 14, 16]);
  });
  it('fires on an indexed element of a module container attribute and on a DataParallel / DDP wrapper and its .module', () => {
    expect(lines('DL109', `
    import torch
    import torch.nn as nn
    from torch.nn.parallel import DistributedDataParallel as DDP
    class Stack(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.ModuleList([nn.Linear(4, 4) for _ in range(3)])
            self.heads = nn.ModuleDict({"a": nn.Linear(4, 1)})
        def forward(self, x):
            for i in range(len(self.layers)):
                x = self.layers[i].forward(x)
            return self.heads["a"].forward(x)
    dp = nn.DataParallel(Stack())
    y = dp.module.forward(torch.randn(2, 4))
    ddp = DDP(Stack())
    z = ddp.forward(torch.randn(2, 4))
    `)).toEqual([11, 12, 14, 16]);
  });
  it('stays quiet on an indexed plain list of non-modules and on .module of other objects', () => {
    expect(lines('DL109', `
    import torch.nn as nn
    class Runner:
        def forward(self, x):
            return x
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.steps = [Runner(), Runner()]
            self.fc = nn.Linear(2, 2)
        def forward(self, x):
            return self.fc(self.steps[0].forward(x))
    class Holder:
        def __init__(self):
            self.module = Runner()
    h = Holder()
    h.module.forward(1)
    `)).toEqual([]);
  });

  it('fires on .forward of a submodule attribute of a module instance (net.encoder.forward), not of a plain attribute or helper object', () => {
    // Before: \`net.encoder.forward(x)\` outside the class had an unknown receiver (a hint at most).
    expect(lines('DL109', `
    import torch
    import torch.nn as nn
    class Scaler:
        def forward(self, x):
            return x * 2
    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.proj = nn.Linear(4, 4)
        def forward(self, x):
            return self.proj(x)
    class AE(nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = Encoder()
            self.head = nn.Linear(4, 2)
            self.scaler = Scaler()
        def forward(self, x):
            return self.head(self.encoder(x))
    net = AE()
    z = net.encoder.forward(torch.randn(1, 4))
    y = net.head.forward(z)
    s = net.scaler.forward(z)
    `)).toEqual([21, 22]);
  });
});
