// DL110 submodules-in-plain-container.
import { beforeAll, describe, expect, it } from 'vitest';
import { fixAndRelint, initParser, lines } from './helpers';

beforeAll(async () => {
  await initParser();
});

describe('DL110', () => {
  it('fires on lists / dicts / comprehensions of layers and appended lists', () => {
    expect(lines('DL110', `
    import torch
    import torch.nn as nn
    class Tower(nn.Module):
        def __init__(self, widths):
            super().__init__()
            self.blocks = [nn.Linear(a, b) for a, b in zip(widths, widths[1:])]
            self.heads = {"cls": nn.Linear(widths[-1], 10)}
            self.extra = []
            for w in widths:
                layer = nn.Linear(w, w)
                self.extra.append(layer)
            self.scales = [nn.Parameter(torch.ones(1)), nn.Parameter(torch.zeros(1))]
    `)).toEqual([6, 7, 8, 12]);
  });
  it('stays quiet on wrapped lists, plain data, references and Keras classes', () => {
    expect(lines('DL110', `
    import torch.nn as nn
    from tensorflow import keras
    class A(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = [nn.Linear(2, 2), nn.ReLU()]
            self.net = nn.Sequential(*self.layers)
            self.sizes = [1, 2, 3]
            self.fc1 = nn.Linear(2, 2)
            self.order = [self.fc1]
    class K(keras.Model):
        def __init__(self):
            super().__init__()
            self.blocks = [keras.layers.Dense(4), keras.layers.Dense(2)]
    `)).toEqual([]);
  });
  it('fires on self.x = {} later filled with self.x[key] = <layer>, not on dicts of data or wrapped dicts', () => {
    expect(lines('DL110', `
    import torch.nn as nn
    class MultiHead(nn.Module):
        def __init__(self, tasks):
            super().__init__()
            self.heads = {}
            self.sizes = {}
            self.cache = {}
            for name, n in tasks.items():
                self.heads[name] = nn.Linear(10, n)
                self.sizes[name] = n
        def forward(self, x):
            self.cache["x"] = x
            return {k: h(x) for k, h in self.heads.items()}
    class Wrapped(nn.Module):
        def __init__(self, tasks):
            super().__init__()
            self.heads = {}
            for name, n in tasks.items():
                self.heads[name] = nn.Linear(10, n)
            self.heads = nn.ModuleDict(self.heads)
    `)).toEqual([5]);
  });
  it('fix wraps in nn.ModuleList / nn.ModuleDict', () => {
    const r = fixAndRelint('DL110', `
    import torch.nn as nn
    class Tower(nn.Module):
        def __init__(self):
            super().__init__()
            self.blocks = [nn.Linear(4, 4) for _ in range(3)]
            self.heads = {"cls": nn.Linear(4, 10)}
            self.extra = []
            self.extra.append(nn.Linear(4, 4))
    `);
    expect(r.text).toContain('self.blocks = nn.ModuleList([nn.Linear(4, 4) for _ in range(3)])');
    expect(r.text).toContain('self.heads = nn.ModuleDict({"cls": nn.Linear(4, 10)})');
    expect(r.text).toContain('self.extra = nn.ModuleList()');
    expect(r.remaining).toEqual([]);
  });
  it('fires on self.x = <local list of layers>, filled by append or built as a literal, unless the local also goes into a container', () => {
    expect(lines('DL110', `
    import torch.nn as nn
    class Stack(nn.Module):
        def __init__(self, depth, width):
            super().__init__()
            blocks = []
            for _ in range(depth):
                blocks.append(nn.Sequential(nn.Linear(width, width), nn.GELU()))
            self.blocks = blocks
            heads = {"a": nn.Linear(width, 2), "b": nn.Linear(width, 3)}
            self.heads = heads
    class Registered(nn.Module):
        def __init__(self, depth, width):
            super().__init__()
            layers = []
            for _ in range(depth):
                layers.append(nn.Linear(width, width))
            self.layers = layers
            self.net = nn.Sequential(*layers)
            names = []
            for i in range(depth):
                names.append(f"l{i}")
            self.names = names
            wrapped = [nn.Linear(width, width)]
            self.wrapped = nn.ModuleList(wrapped)
    `)).toEqual([8, 10]);
    const r = fixAndRelint('DL110', `
    import torch.nn as nn
    class Stack(nn.Module):
        def __init__(self, depth, width):
            super().__init__()
            blocks = []
            for _ in range(depth):
                blocks.append(nn.Linear(width, width))
            self.blocks = blocks
    `);
    expect(r.text).toContain('self.blocks = nn.ModuleList(blocks)');
    expect(r.remaining).toEqual([]);
  });
});
