import { describe, expect, it } from 'vitest';
import { dl202 } from '../../../../src/core/lint/rules/dl202-label-encoding-loss-mismatch';
import { dl410 } from '../../../../src/core/lint/rules/dl410-loss-target-shape-broadcast';
import { fixAndRerun, linesOf, py, runRule } from './run-rule';

describe('DL202 label-encoding-loss-mismatch', () => {
  it('fires on one-hot labels with the sparse loss, and swaps the loss', async () => {
    const src = py(`
      from tensorflow import keras
      (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
      y_train = keras.utils.to_categorical(y_train, 10)
      model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")])
      model.compile("adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
      model.fit(x_train, y_train, epochs=5)
    `);
    const fs = await runRule(dl202, src);
    expect(linesOf(fs)).toEqual([6]);
    const { fixed, after } = await fixAndRerun(dl202, src);
    expect(fixed).toContain('loss="categorical_crossentropy"');
    expect(after).toEqual([]);
  });

  it('fires on integer dataset labels with categorical_crossentropy', async () => {
    const src = py(`
      import keras
      (x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
      model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")])
      model.compile(optimizer="adam", loss='categorical_crossentropy')
      model.fit(x_train, y=y_train, epochs=5)
      model.evaluate(x_test, y_test)
    `);
    expect(linesOf(await runRule(dl202, src))).toEqual([5, 6]);
  });

  it('knows np.eye(k)[y], pd.get_dummies(...).values / .to_numpy() and OneHotEncoder as one-hot', async () => {
    const src = py(`
      import numpy as np
      import pandas as pd
      from sklearn.preprocessing import OneHotEncoder
      from tensorflow import keras
      model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(4, activation="softmax")])
      model.compile("adam", "sparse_categorical_crossentropy")
      y1 = np.eye(4)[y_int]
      model.fit(x, y1)
      y2 = pd.get_dummies(df["label"]).values
      model.fit(x, y2)
      model.fit(x, pd.get_dummies(df["label"]).to_numpy())
      y3 = OneHotEncoder(sparse_output=False).fit_transform(y_int.reshape(-1, 1))
      model.fit(x, y3)
      y4 = keras.utils.to_categorical(y_int, 4).astype("int32")
      model.fit(x, y4)
    `);
    expect(linesOf(await runRule(dl202, src))).toEqual([8, 10, 11, 13, 15]);
  });

  it('stays quiet when one-hot rows go back to ids, or np.eye is used otherwise', async () => {
    const src = py(`
      import numpy as np
      from tensorflow import keras
      model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(4, activation="softmax")])
      model.compile("adam", "sparse_categorical_crossentropy")
      y1 = np.eye(4)[y_int].argmax(-1)
      model.fit(x, y1)
      y2 = np.eye(4)
      model.fit(x, y2[:, 0].astype(int))
      cat = keras.Sequential([keras.Input((6,)), keras.layers.Dense(4, activation="softmax")])
      cat.compile("adam", "categorical_crossentropy")
      cat.fit(x, np.eye(4)[y_int])
    `);
    expect(await runRule(dl202, src)).toEqual([]);
  });

  it('stays quiet on matching or unknown labels', async () => {
    const src = py(`
      from tensorflow import keras
      (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
      model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")])
      model.compile("adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
      model.fit(x_train, y_train, epochs=5)
      y_cat = keras.utils.to_categorical(y_test, 10)
      other = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")])
      other.compile("adam", loss="categorical_crossentropy")
      other.evaluate(x_test, y_cat)
      labels = load_labels()
      other.fit(x_train, labels)
    `);
    expect(await runRule(dl202, src)).toEqual([]);
  });

  it('pairs labels and loss only on a path that can run: an if / else choosing both is fine, labels changed on one path only are not', async () => {
    const src = py(`
      import sys
      from tensorflow import keras
      (x, y), _ = keras.datasets.mnist.load_data()
      if len(sys.argv) > 1:
          y = keras.utils.to_categorical(y, 10)
          loss = keras.losses.CategoricalCrossentropy(label_smoothing=0.1)
      else:
          loss = "sparse_categorical_crossentropy"
      model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")])
      model.compile("adam", loss=loss)
      model.fit(x, y, epochs=1)
    `);
    expect(await runRule(dl202, src)).toEqual([]);
    // Without the else branch the sparse loss meets the one-hot labels whenever the if runs.
    const bad = src.replace('else:\n    loss = "sparse_categorical_crossentropy"', 'loss = "sparse_categorical_crossentropy"').replace('    loss = keras.losses.CategoricalCrossentropy(label_smoothing=0.1)\n', '');
    expect(bad).not.toContain('else:');
    expect(linesOf(await runRule(dl202, bad))).toEqual([9]);
  });

  // torch 1.13: cross_entropy(logits, F.one_hot(y, 5)) raises "0D or 1D target tensor expected,
  // multi-target not supported"; with .float() the one-hot is taken as class probabilities.
  it('fires on an integer F.one_hot target of a PyTorch cross entropy, inline or through a name; the fix passes the class ids', async () => {
    const src = py(`
      import torch
      import torch.nn as nn
      import torch.nn.functional as F
      crit = nn.CrossEntropyLoss()
      logits = torch.randn(4, 5)
      labels = torch.tensor([0, 1, 2, 3])
      loss = crit(logits, F.one_hot(labels, num_classes=5))
      target = F.one_hot(labels, 5)
      loss2 = F.cross_entropy(logits, target)
      ok = crit(logits, F.one_hot(labels, 5).float())
      soft = F.one_hot(labels, 5).to(torch.float32)
      ok2 = F.cross_entropy(logits, soft)
      ok3 = crit(logits, labels)
      loss3 = nn.CrossEntropyLoss()(logits, target)
      ok4 = nn.CrossEntropyLoss()(logits, soft)
      ok5 = nn.MSELoss()(logits, target)
    `);
    const fs = await runRule(dl202, src);
    expect(linesOf(fs)).toEqual([7, 9, 14]);
    const { fixed } = await fixAndRerun(dl202, src);
    expect(fixed).toContain('loss = crit(logits, labels)');
    // The same calls are not also DL410 (the shape error torch raises is this rule's).
    expect(await runRule(dl410, src)).toEqual([]);
  });
  it('knows integer class ids from argmax, astype(int), LabelEncoder and a 1-D np.random.randint', async () => {
    const src = py(`
      import numpy as np
      from sklearn.preprocessing import LabelEncoder
      from tensorflow import keras
      model = keras.Sequential([keras.Input(shape=(10,)), keras.layers.Dense(3, activation="softmax")])
      model.compile(optimizer="adam", loss="categorical_crossentropy")
      a = np.random.randint(0, 3, size=(64,))
      model.fit(X, a)
      b = probs.argmax(-1)
      model.fit(X, b)
      model.fit(X, raw.astype("int64"))
      le = LabelEncoder()
      c = le.fit_transform(names)
      model.fit(X, c)
      d = np.random.randint(0, 2, size=(64, 3))
      model.fit(X, d)
      model.fit(X, raw.astype("float32"))
      model.fit(X, keras.utils.to_categorical(a, 3))
    `);
    expect(linesOf(await runRule(dl202, src))).toEqual([7, 9, 10, 13]);
  });
});
