// DL411 output-units-class-count-mismatch: head width against the class count of the labels.

import { describe, expect, it } from 'vitest';
import { dl411 } from '../../../../src/core/lint/rules/dl411-output-units-class-count-mismatch';
import { applyEdits, lint, py } from './helpers';

describe('DL411 output-units-class-count-mismatch', () => {
  const keras = py(`
    import keras
    from keras import layers
    y = keras.utils.to_categorical(labels, num_classes=10)
    model = keras.Sequential([
        keras.Input((784,)),
        layers.Dense(2, activation="softmax"),
    ])
    model.compile("adam", "categorical_crossentropy")
  `);

  it('fires on a 2-unit head for 10 one-hot classes and sets the width', async () => {
    const f = await lint(dl411, keras);
    expect(f).toHaveLength(1);
    expect(f[0].range.line).toBe(5);
    expect(f[0].severity).toBe('error');
    expect(f[0].message).toContain('2 outputs');
    expect(f[0].message).toContain('10 classes');
    const fixed = applyEdits(keras, f[0].fix!.edits);
    expect(fixed).toContain('layers.Dense(10, activation="softmax")');
    expect(await lint(dl411, fixed)).toEqual([]);
  });

  it('fires on one-hot targets of another width reaching CrossEntropyLoss', async () => {
    const src = py(`
      import torch
      import torch.nn as nn
      import torch.nn.functional as F
      head = nn.Linear(64, 2)
      logits = head(torch.randn(8, 64))
      target = F.one_hot(torch.randint(0, 10, (8,)), 10).float()
      loss = nn.CrossEntropyLoss()(logits, target)
    `);
    const f = await lint(dl411, src);
    expect(f.some((x) => x.range.line === 6 && /10 classes/.test(x.message))).toBe(true);
  });

  it('stays quiet without a classification loss or with a matching head', async () => {
    expect(await lint(dl411, keras.replace('"categorical_crossentropy"', '"mse"'))).toEqual([]);
    // binary_cross_entropy / BinaryCrossentropy are not class losses, though their names contain "cross_entropy".
    expect(await lint(dl411, keras.replace('"categorical_crossentropy"', '"binary_crossentropy"'))).toEqual([]);
    expect(await lint(dl411, py(`
      import torch
      import torch.nn as nn
      import torch.nn.functional as F
      from torchvision import datasets
      train_set = datasets.MNIST("/tmp/mnist")
      def vae_loss(recon, x):
          return F.binary_cross_entropy(recon, x, reduction="sum")
      embed = nn.Sequential(nn.Linear(784, 256), nn.PReLU(), nn.Linear(256, 2))
      z = embed(torch.randn(4, 784))
    `))).toEqual([]);
    expect(await lint(dl411, keras.replace('layers.Dense(2,', 'layers.Dense(10,'))).toEqual([]);
  });

  it('takes the class count of a dataset when a class loss reaches the model output, not a loss on something else', async () => {
    const head = `
      import torch
      import torch.nn as nn
      import torch.nn.functional as F
      from torchvision import datasets
      train = datasets.CIFAR10("data", train=True, download=True)
      model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 5))
      criterion = nn.CrossEntropyLoss()
      x = torch.randn(8, 3, 32, 32)
    `;
    const fed = await lint(dl411, py(`${head}
      logits = model(x)
      loss = criterion(logits.view(8, -1), torch.randint(0, 10, (8,)))
    `));
    expect(fed.map((f) => [f.range.line, f.severity])).toEqual([[5, 'error']]);
    // SimCLR: the only class loss is on a similarity matrix (targets = arange), not on the model's output.
    expect(await lint(dl411, py(`${head}
      z = F.normalize(model(x), dim=1)
      sim = z @ z.t() / 0.1
      sim = sim.masked_fill(torch.eye(8, dtype=torch.bool), float("-inf"))
      loss = F.cross_entropy(sim, torch.arange(8))
    `))).toEqual([]);
  });

  it('names the head of a one-line Sequential and works without an input shape when a Flatten leads', async () => {
    const src = py(`
      import torch
      import torch.nn as nn
      import torchvision
      train = torchvision.datasets.CIFAR10("data", train=True, download=True)
      model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 256), nn.ReLU(), nn.Linear(256, 5))
      criterion = nn.CrossEntropyLoss()
      for x, y in loader:
          criterion(model(x), y).backward()
    `);
    const f = await lint(dl411, src);
    expect(f.map((x) => [x.range.line, x.severity])).toEqual([[4, 'error']]);
    expect(f[0].message).toMatch(/^Linear\(256, 5\) gives 5 outputs but the labels have 10 classes/);
    expect(applyEdits(src, f[0].fix!.edits)).toContain('nn.Linear(256, 10))');
  });

  it('stays quiet when the labels are mapped to other classes or the class loss is on another model (a linear probe)', async () => {
    // CIFAR-10 relabelled vehicle / animal: two classes, as the head has.
    expect(await lint(dl411, py(`
      import numpy as np
      import keras
      from keras import layers
      (x_train, y_train), _ = keras.datasets.cifar10.load_data()
      y_train = np.isin(y_train[:, 0], [0, 1, 8, 9]).astype("int64")
      model = keras.Sequential([keras.Input((32, 32, 3)), layers.Flatten(), layers.Dense(2, activation="softmax")])
      model.compile("adam", "sparse_categorical_crossentropy")
    `))).toEqual([]);
    expect(await lint(dl411, py(`
      import torch
      import torch.nn as nn
      import torchvision
      data = torchvision.datasets.CIFAR10("data", target_transform=lambda y: int(y in (0, 1, 8, 9)))
      model = nn.Sequential(nn.Flatten(), nn.Linear(3072, 2))
      criterion = nn.CrossEntropyLoss()
      for x, y in data:
          criterion(model(x), y).backward()
    `))).toEqual([]);
    // The backbone gives 128-d features; the classifier trained on the labels is the probe.
    expect(await lint(dl411, py(`
      import torch
      import torch.nn as nn
      import torch.nn.functional as F
      import torchvision
      data = torchvision.datasets.CIFAR10("data")
      backbone = nn.Sequential(nn.Flatten(), nn.Linear(3072, 128))
      probe = nn.Linear(128, 10)
      for x, y in data:
          feats = backbone(x).detach()
          loss = F.cross_entropy(probe(feats), y)
    `))).toEqual([]);
  });

  it('picks the model the class loss is applied to when the file has other 2-D models (a regression head)', async () => {
    // Before: a second model anywhere in the file (here a 1-output regression Linear under an
    // MSE loss) made the rule give up, so the 8-way CIFAR-10 classifier went unreported.
    const src = (width: number) => py(`
      import torch
      import torch.nn as nn
      import torchvision
      head = nn.Linear(16, 1)
      price_loss = nn.MSELoss()(head(torch.randn(8, 16)), torch.randn(8, 1))
      train_set = torchvision.datasets.CIFAR10(root="data", train=True)
      net = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 128), nn.ReLU(), nn.Linear(128, ${width}))
      for images, labels in torch.utils.data.DataLoader(train_set, batch_size=16):
          nn.functional.cross_entropy(net(images), labels).backward()
    `);
    const f = await lint(dl411, src(8));
    expect(f.map((x) => [x.range.line, x.severity])).toEqual([[6, 'error']]);
    expect(f[0].message).toMatch(/^Linear\(128, 8\) gives 8 outputs but the labels have 10 classes/);
    expect(await lint(dl411, src(10))).toEqual([]);
  });

  it('takes the class count from len() of a class-name list literal, unless the list changes', async () => {
    const src = py(`
      import tensorflow as tf
      CLASSES = ["cat", "dog", "bird", "fish"]
      y = tf.one_hot(tf.constant([0, 1, 2, 3]), depth=len(CLASSES))
      model = tf.keras.Sequential([
          tf.keras.Input((16,)),
          tf.keras.layers.Dense(3, activation="softmax"),
      ])
      model.compile("adam", "categorical_crossentropy")
    `);
    const f = await lint(dl411, src);
    expect(f.map((x) => x.range.line)).toEqual([5]);
    expect(f[0].message).toContain('4 classes');
    expect(await lint(dl411, src.replace('depth=len(CLASSES)', 'depth=len(["a", "b", "c"])'))).toEqual([]);
    expect(await lint(dl411, src.replace('y = tf.one_hot', 'CLASSES.remove("fish")\ny = tf.one_hot'))).toEqual([]);
  });
});
