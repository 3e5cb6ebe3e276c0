// DL116 non-inplace-result-discarded.
import { beforeAll, describe, expect, it } from 'vitest';
import { findings, fixAndRelint, initParser, lines } from './helpers';

beforeAll(async () => {
  await initParser();
});

describe('DL116', () => {
  it('errors on proven tensors / datasets, warns on tensor-only methods of unknown receivers', () => {
    const fs = findings('DL116', `
    import torch
    import tensorflow as tf
    from torch.utils.data import DataLoader
    loader = DataLoader(ds, batch_size=8)
    for images, labels in loader:
        images.to("cuda")
        labels.long()
    t = torch.zeros(3)
    t.cuda()
    d = tf.data.Dataset.from_tensor_slices((x, y))
    d.batch(32)
    def f(h):
        h.detach()
    `);
    expect(fs.map((f) => [f.range.line + 1, f.severity])).toEqual([[6, 'error'], [7, 'error'], [9, 'error'], [11, 'error'], [13, 'warning']]);
  });
  it('stays quiet on modules (in place) and on assigned results', () => {
    expect(lines('DL116', `
    import torch
    import torch.nn as nn
    model = nn.Linear(2, 2)
    model.to("cuda")
    model.float()
    x = torch.zeros(3)
    x = x.to("cuda")
    def f(obj):
        obj.to("cuda")
    `)).toEqual([]);
  });
  it('proves DataLoader batches tensors only with the default collate or a collate_fn of this file returning tensors', () => {
    const fs = findings('DL116', `
    import torch
    from torch.utils.data import DataLoader
    class Batch:
        def __init__(self, x):
            self.x = x
        def to(self, device):
            self.x = self.x.to(device)
            return self
    def collate(items):
        return Batch(torch.stack(items))
    def stack_pairs(items):
        xs = torch.stack([a for a, _ in items])
        return xs, torch.tensor([b for _, b in items])
    for batch in DataLoader(data, batch_size=2, collate_fn=collate):
        batch.to("cpu")
    for batch in DataLoader(data, batch_size=2, collate_fn=make_collate()):
        batch.to("cpu")
    for x, y in DataLoader(data, batch_size=2, collate_fn=stack_pairs):
        x.to("cpu")
    for x, y in DataLoader(data, batch_size=2, collate_fn=None):
        y.long()
    `);
    expect(fs.map((f) => [f.range.line + 1, f.severity])).toEqual([[19, 'error'], [21, 'error']]);
  });
  it('fix assigns the result back', () => {
    const r = fixAndRelint('DL116', `
    import torch
    t = torch.zeros(3)
    t.cuda()
    `);
    expect(r.text).toContain('t = t.cuda()');
    expect(r.remaining).toEqual([]);
  });
  it('keeps the kind of a name rebound by its own transformation (ds = ds.batch(...)) when finding a discarded one', () => {
    expect(lines('DL116', `
    import tensorflow as tf
    def make_dataset(features, labels, batch_size=32):
        ds = tf.data.Dataset.from_tensor_slices((features, labels))
        ds.shuffle(buffer_size=len(features))
        ds = ds.batch(batch_size)
        ds.prefetch(tf.data.AUTOTUNE)
        return ds
    `)).toEqual([4, 6]);
  });
  it('warns on reshape / view(...) / squeeze of unknown receivers in torch files, not on view() or attributes', () => {
    const fs = findings('DL116', `
    import torch
    def collate_fix(batch):
        feats, mask = batch
        feats.squeeze(1)
        mask.view(mask.size(0), -1)
        feats.reshape(feats.size(0), -1)
        window.view()
        self_like.camera.view(3)
        y = feats.reshape(2, -1)
        return feats, mask
    `);
    expect(fs.map((f) => [f.range.line + 1, f.severity])).toEqual([[4, 'warning'], [5, 'warning'], [6, 'warning']]);
    // Without torch imported, an unknown receiver stays quiet.
    expect(lines('DL116', `
    import numpy as np
    def f(a):
        a.reshape(2, -1)
    `)).toEqual([]);
  });
  it('stays quiet on a tensor value displayed as the last line of a notebook cell, not on device moves or mid-cell', () => {
    const fs = findings('DL116', `
    # %%
    import torch
    t = torch.zeros(3, 1)
    t.squeeze(-1)
    # %%
    t.unsqueeze(0)
    print(t)
    t.to("cuda")

    # In[3]:
    t.detach()
    # a comment after the display line
    # %%
    t.float()
    `);
    expect(fs.map((f) => f.range.line + 1)).toEqual([6, 8]);
  });
  it('reports the last statement of a script without cell markers', () => {
    expect(lines('DL116', `
    import torch
    t = torch.zeros(3, 1)
    t.squeeze(-1)
    `)).toEqual([3]);
  });
  it('errors on an item of a default-collated batch or of a tensor, not of an unknown container', () => {
    expect(lines('DL116', `
    import torch
    from torch.utils.data import DataLoader
    loader = DataLoader(data, batch_size=4)
    for batch in loader:
        batch["x"].to("cuda")
        batch[1].float()
    t = torch.zeros(2, 3)
    t[0].cuda()
    custom = DataLoader(data, batch_size=4, collate_fn=make_batch)
    for b in custom:
        b["x"].to("cuda")
    models = {"a": torch.nn.Linear(2, 2)}
    models["a"].to("cuda")
    `)).toEqual([5, 6, 8]);
  });
});

