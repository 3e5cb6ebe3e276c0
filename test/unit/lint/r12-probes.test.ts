// Round-12 lint probes: false positives and misses found on /work/scratch/lint-r12-*, each
// with a case that fires and one that stays quiet.
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeDetailed } from '../../../src/core/analyze';
import { dedent, initParser, lines } from './helpers';

beforeAll(async () => {
  await initParser();
});

describe('DL106 evaluation helper, caller set the mode through a helper chain', () => {
  const head = `
    import torch
    import torch.nn as nn
    net = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.Linear(8, 2))
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    def prepare_for_eval(model):
        model.eval()
        return model
    @torch.inference_mode()
    def predict(model, x):
        return model(x).softmax(-1)
  `;
  it('stays quiet when a helper called before (accuracy -> prepare_for_eval) puts the model in eval mode', () => {
    expect(lines('DL106', `${head}
    def accuracy(model, x, y):
        prepare_for_eval(model)
        with torch.inference_mode():
            return (model(x).argmax(1) == y).float().mean().item()
    for epoch in range(2):
        net.train()
        opt.zero_grad()
        nn.functional.cross_entropy(net(xb), yb).backward()
        opt.step()
        print(accuracy(net, xb, yb))
    print(predict(net, xb))
    `)).toEqual([]);
  });
  it('still fires when the helper called before never sets the mode', () => {
    expect(lines('DL106', `${head}
    def accuracy(model, x, y):
        log(model)
        with torch.inference_mode():
            return (model(x).argmax(1) == y).float().mean().item()
    def log(m):
        print(m)
    for epoch in range(2):
        net.train()
        opt.zero_grad()
        nn.functional.cross_entropy(net(xb), yb).backward()
        opt.step()
        print(accuracy(net, xb, yb))
    print(predict(net, xb))
    `)).toEqual([10]);
  });
});

describe('Keras subclassed model first called on several positional tensors', () => {
  const src = (call: string) => dedent(`
    import tensorflow as tf
    from tensorflow import keras
    class Decoder(keras.Model):
        def __init__(self):
            super().__init__()
            self.emb = keras.layers.Embedding(40, 16)
            self.out = keras.layers.Dense(40)
        def call(self, tokens, state, training=False):
            return self.out(self.emb(tokens)), state
    dec = Decoder()
    tgt = tf.random.uniform([8, 7], 1, 40, dtype=tf.int32)
    ${call}
  `);
  it('is summarised on the same positional arguments: no DL406 "Embedding got a list"', async () => {
    const p = await initParser();
    const a = analyzeDetailed(p, src('logits, _ = dec(tgt, tf.zeros([8, 32]))'), { fileName: 'snippet.py' }).analysis;
    const m = a.models.find((x) => x.name === 'dec')!;
    // Embedding(40, 16): 40*16 = 640; Dense(40) on 16 features: 16*40 + 40 = 680 (Keras docs' formulas).
    expect(m.totalParams).toBe(1320);
    expect(m.outputShapes ?? [m.outputShape]).toEqual([[8, 7, 40], [8, 32]]);
    expect(lines('DL406', src('logits, _ = dec(tgt, tf.zeros([8, 32]))'))).toEqual([]);
  });
  it('still reports an Embedding given a list when call() takes one argument', () => {
    expect(lines('DL406', `
    import tensorflow as tf
    from tensorflow import keras
    class Enc(keras.Model):
        def __init__(self):
            super().__init__()
            self.emb = keras.layers.Embedding(40, 16)
        def call(self, tokens):
            return self.emb(tokens)
    enc = Enc()
    out = enc([tf.zeros([8, 7], dtype=tf.int32), tf.zeros([8, 7], dtype=tf.int32)])
    `)).toEqual([8]);
  });
});

describe('PyTorch guessed input whose rank forward() contradicts', () => {
  it('drops what a rank-2 guess found when forward() unpacks x.shape into three names', () => {
    expect(lines('DL404', `
    import torch.nn as nn
    class SelfAttention(nn.Module):
        def __init__(self, dim=32, heads=4):
            super().__init__()
            self.heads = heads
            self.qkv = nn.Linear(dim, dim * 3)
        def forward(self, x):
            b, t, c = x.shape
            q, k, v = self.qkv(x).chunk(3, dim=-1)
            return q.view(b, t, self.heads, -1)
    `)).toEqual([]);
  });
  it('still reports a view that does not fit when the unpack matches the guessed rank', () => {
    expect(lines('DL404', `
    import torch.nn as nn
    class Head(nn.Module):
        def __init__(self, dim=32):
            super().__init__()
            self.fc = nn.Linear(dim, dim * 3)
        def forward(self, x):
            b, c = x.shape
            return self.fc(x).view(b, 5, -1)
    `)).toEqual([8]);
  });
});

describe('DL104 clearing of another optimizer only', () => {
  const gan = (clear: string) => `
    import torch
    import torch.nn as nn
    G = nn.Linear(4, 2)
    D = nn.Linear(2, 1)
    opt_g = torch.optim.Adam(G.parameters())
    opt_d = torch.optim.Adam(D.parameters())
    for it in range(100):
        ${clear}
        fake = G(torch.randn(8, 4))
        D(fake.detach()).mean().backward()
        opt_d.step()
        (-D(fake).mean()).backward()
        opt_g.step()
  `;
  it('fires at the step of the optimizer whose gradients are never cleared', () => {
    expect(lines('DL104', gan('opt_d.zero_grad()'))).toEqual([13]);
  });
  it('stays quiet when both are cleared, when a module or a loop over optimizers clears', () => {
    expect(lines('DL104', gan('opt_d.zero_grad(); opt_g.zero_grad()'))).toEqual([]);
    expect(lines('DL104', gan('G.zero_grad(); D.zero_grad()'))).toEqual([]);
    expect(lines('DL104', gan('for o in (opt_d, opt_g): o.zero_grad()'))).toEqual([]);
  });
});

describe('DL210 builder function the file never calls', () => {
  const src = (policy: string, dtype: string) => `
    from tensorflow import keras
    from tensorflow.keras import layers, mixed_precision
    mixed_precision.set_global_policy("${policy}")
    def build():
        inputs = keras.Input(shape=(32, 32, 3))
        x = layers.GlobalAveragePooling2D()(inputs)
        outputs = layers.Dense(10, activation="softmax"${dtype})(x)
        return keras.Model(inputs, outputs)
  `;
  it('fires on its softmax head under mixed_float16', () => {
    expect(lines('DL210', src('mixed_float16', ''))).toEqual([7]);
  });
  it('stays quiet with dtype="float32" on the head or under another policy', () => {
    expect(lines('DL210', src('mixed_float16', ', dtype="float32"'))).toEqual([]);
    expect(lines('DL210', src('mixed_bfloat16', ''))).toEqual([]);
    expect(lines('DL210', src('float32', ''))).toEqual([]);
  });
});

describe('DL507 self.model of a Keras callback', () => {
  const cb = (base: string, extra: string) => `
    import numpy as np
    from tensorflow import keras
    class SampleLogger(${base}):
        def __init__(self, samples):
            super().__init__()
            self.samples = samples
            ${extra}
        def on_epoch_end(self, epoch, logs=None):
            for s in self.samples:
                print(self.model.predict(np.expand_dims(s, 0), verbose=0))
  `;
  it('fires on a per-sample predict of the trained model', () => {
    expect(lines('DL507', cb('keras.callbacks.Callback', ''))).toEqual([10]);
  });
  it('stays quiet for a class that is not a callback or that binds self.model itself', () => {
    expect(lines('DL507', cb('object', ''))).toEqual([]);
    expect(lines('DL507', cb('keras.callbacks.Callback', 'self.model = make_student()'))).toEqual([]);
  });
});

describe('DL106 eval() in a helper on a parameter named differently from the trained model', () => {
  const loop = (inLoop: string, arg: string) => `
    import torch
    import torch.nn as nn
    model = nn.Sequential(nn.Linear(8, 16), nn.Dropout(0.5), nn.Linear(16, 3))
    teacher = nn.Sequential(nn.Linear(8, 3), nn.Dropout(0.1))
    opt = torch.optim.Adam(model.parameters())
    def evaluate(net, batch):
        net.eval()
        with torch.no_grad():
            return net(batch[0]).argmax(1).eq(batch[1]).float().mean().item()
    model.train()
    for epoch in range(5):
        ${inLoop}
        for x, y in data:
            opt.zero_grad()
            nn.functional.cross_entropy(model(x), y).backward()
            opt.step()
        print(epoch, evaluate(${arg}, data[0]))
  `;
  it('fires when the loop hands the trained model to it and never calls train() again', () => {
    expect(lines('DL106', loop('pass', 'model'))).toEqual([7]);
  });
  it('stays quiet when the loop calls model.train() or the helper gets another model', () => {
    expect(lines('DL106', loop('model.train()', 'model'))).toEqual([]);
    expect(lines('DL106', loop('pass', 'teacher'))).toEqual([]);
  });
});

describe('DL106 evaluation helper called from a training function that receives the model', () => {
  const src = (layers: string, before: string) => `
    import torch
    import torch.nn as nn
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(${layers})
        def forward(self, x):
            return self.body(x)
    def validate(model, loader):
        with torch.no_grad():
            return sum(nn.functional.cross_entropy(model(x), y).item() for x, y in loader)
    def train(model, train_loader, val_loader, opt):
        for epoch in range(5):
            model.train()
            for x, y in train_loader:
                opt.zero_grad()
                nn.functional.cross_entropy(model(x), y).backward()
                opt.step()
            ${before}
            print(validate(model, val_loader))
  `;
  it('fires when the caller trained it and never switched it to eval mode', () => {
    expect(lines('DL106', src('nn.Linear(10, 32), nn.Dropout(0.3), nn.Linear(32, 2)', 'pass'))).toEqual([11]);
  });
  it('stays quiet when the caller calls model.eval() first, or the file\'s model has no mode-dependent layer', () => {
    expect(lines('DL106', src('nn.Linear(10, 32), nn.Dropout(0.3), nn.Linear(32, 2)', 'model.eval()'))).toEqual([]);
    expect(lines('DL106', src('nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 2)', 'pass'))).toEqual([]);
  });
});

describe('DL101 model built by a builder function of the file', () => {
  const src = (last: string, bind: string) => `
    import torch
    import torch.nn as nn
    def build_classifier(d_in, n_cls):
        return nn.Sequential(nn.Linear(d_in, 32), nn.ReLU(), nn.Linear(32, n_cls)${last})
    class Trainer:
        def __init__(self):
            ${bind}
            self.loss_fn = nn.CrossEntropyLoss()
        def step(self, x, y):
            return self.loss_fn(self.model(x), y)
  `;
  it('fires at the loss call and at the softmax when the built nn.Sequential ends in nn.Softmax', () => {
    expect(lines('DL101', src(', nn.Softmax(dim=1)', 'self.model = build_classifier(10, 4)'))).toEqual([4, 10]);
  });
  it('stays quiet when it ends in the logits layer or self.model is bound twice', () => {
    expect(lines('DL101', src('', 'self.model = build_classifier(10, 4)'))).toEqual([]);
    expect(lines('DL101', src(', nn.Softmax(dim=1)', 'self.model = build_classifier(10, 4) if cfg else load_model()'))).toEqual([]);
  });
});
