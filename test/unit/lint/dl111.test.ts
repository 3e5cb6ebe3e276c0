// DL111 missing-super-init.
import { beforeAll, describe, expect, it } from 'vitest';
import { fixAndRelint, initParser, lines } from './helpers';

beforeAll(async () => {
  await initParser();
});

describe('DL111', () => {
  it('fires on a missing super().__init__, a late one and a misspelt constructor', () => {
    expect(lines('DL111', `
    import torch.nn as nn
    from tensorflow import keras
    class Head(nn.Module):
        def __init__(self, d, k):
            self.proj = nn.Linear(d, k)
    class Body(nn.Module):
        def _init_(self):
            self.fc = nn.Linear(4, 2)
    class Late(nn.Module):
        def __init__(self):
            self.fc = nn.Linear(4, 2)
            super().__init__()
    class KLayer(keras.layers.Layer):
        def __init__(self, units, **kwargs):
            self.units = units
    `)).toEqual([4, 7, 11, 14]);
  });
  it('accepts super(), Base.__init__(self), plain attributes first, and non-module classes', () => {
    expect(lines('DL111', `
    import torch.nn as nn
    class A(nn.Module):
        def __init__(self):
            self.k = 3
            super(A, self).__init__()
            self.fc = nn.Linear(2, 2)
    class B(A):
        def __init__(self):
            A.__init__(self)
    class Plain:
        def __init__(self):
            self.x = 1
    class C(nn.Module):
        def forward(self, x):
            return x
    `)).toEqual([]);
  });
  it('fix inserts super().__init__() (with **kwargs for Keras) and renames typos', () => {
    const r = fixAndRelint('DL111', `
    import torch.nn as nn
    from tensorflow import keras
    class Head(nn.Module):
        def __init__(self, d, k):
            """A head."""
            self.proj = nn.Linear(d, k)
    class Body(nn.Module):
        def _init_(self):
            self.fc = nn.Linear(4, 2)
    class KLayer(keras.layers.Layer):
        def __init__(self, units, **kwargs):
            self.units = units
    `);
    expect(r.text).toContain('"""A head."""\n        super().__init__()\n        self.proj');
    expect(r.text).toContain('def __init__(self):\n        super().__init__()\n        self.fc');
    expect(r.text).toContain('super().__init__(**kwargs)\n        self.units = units');
    expect(r.remaining).toEqual([]);
  });
});
