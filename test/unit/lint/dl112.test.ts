// DL112 layer-created-in-forward.
import { beforeAll, describe, expect, it } from 'vitest';
import { findings, fixAndRelint, initParser, lines } from './helpers';

beforeAll(async () => {
  await initParser();
});

describe('DL112', () => {
  it('errors on stateful layers, warns on stateless ones, errors on self.x = layer in forward', () => {
    const fs = findings('DL112', `
    import torch.nn as nn
    import torch.nn.functional as F
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 4)
        def forward(self, x):
            x = nn.Linear(x.shape[-1], 64)(x)
            x = nn.Dropout(0.5)(x)
            self.late = nn.Linear(64, 2)
            return nn.Softmax(dim=-1)(x)
    `);
    expect(fs.map((f) => [f.range.line + 1, f.severity])).toEqual([[8, 'error'], [9, 'error'], [10, 'error'], [11, 'warning']]);
  });
  it('stays quiet on functional calls, __init__ and free functions', () => {
    expect(lines('DL112', `
    import torch.nn as nn
    import torch.nn.functional as F
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 4)
            nn.init.zeros_(self.fc.bias)
        def forward(self, x):
            return F.relu(self.fc(x))
    def build():
        return nn.Linear(2, 2)
    `)).toEqual([]);
  });
  it('fix rewrites stateless layers to F calls', () => {
    const r = fixAndRelint('DL112', `
    import torch.nn as nn
    import torch.nn.functional as F
    class Net(nn.Module):
        def forward(self, x):
            x = nn.ReLU()(x)
            return nn.Softmax(dim=-1)(x)
    `);
    expect(r.text).toContain('x = F.relu(x)');
    expect(r.text).toContain('return F.softmax(x, dim=-1)');
    expect(r.remaining).toEqual([]);
  });
  it('fires on keras.layers built in the call() of a Keras layer or model, not in __init__ / build()', () => {
    expect(lines('DL112', `
    import keras
    from keras import layers
    class Block(keras.layers.Layer):
        def call(self, inputs):
            h = layers.Dense(16)(inputs)
            return layers.Flatten()(h)
    class Good(keras.Model):
        def __init__(self):
            super().__init__()
            self.flat = layers.Flatten()
        def build(self, input_shape):
            self.dense = layers.Dense(4)
        def call(self, x):
            return self.dense(self.flat(x))
    def make():
        inputs = keras.Input((8,))
        return keras.Model(inputs, layers.Dense(2)(inputs))
    `)).toEqual([5, 6]);
  });
});

