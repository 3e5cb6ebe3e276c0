import { describe, expect, it } from 'vitest';
import { dl203 } from '../../../../src/core/lint/rules/dl203-softmax-single-unit';
import { fixAndRerun, linesOf, py, runRule } from './run-rule';

describe('DL203 softmax-single-unit', () => {
  it('fires on Dense(1, activation="softmax") and fixes it to sigmoid', async () => {
    const src = py(`
      from tensorflow import keras
      from tensorflow.keras import layers
      model = keras.Sequential([
          keras.Input((20,)),
          layers.Dense(16, activation="relu"),
          layers.Dense(1, activation="softmax"),
      ])
    `);
    const fs = await runRule(dl203, src);
    expect(linesOf(fs)).toEqual([6]);
    const { fixed, after } = await fixAndRerun(dl203, src);
    expect(fixed).toContain('layers.Dense(1, activation="sigmoid")');
    expect(after).toEqual([]);
  });

  it('fires on a one-unit layer followed by a softmax layer (Keras and torch)', async () => {
    const src = py(`
      import torch.nn as nn
      import keras
      head = nn.Sequential(nn.Linear(64, 1), nn.Softmax(dim=1))
      m = keras.Sequential([keras.layers.Dense(1), keras.layers.Activation("softmax")])
    `);
    expect(linesOf(await runRule(dl203, src))).toEqual([3, 4]);
  });

  it('stays quiet on sigmoid heads and wider softmax heads', async () => {
    const src = py(`
      import torch.nn as nn
      from tensorflow.keras import layers
      a = layers.Dense(1, activation="sigmoid")
      b = layers.Dense(2, activation="softmax")
      c = layers.Dense(n_units, activation="softmax")
      d = nn.Sequential(nn.Linear(64, 10), nn.Softmax(dim=1))
      e = [layers.Dense(1), layers.Activation("sigmoid")]
    `);
    expect(await runRule(dl203, src)).toEqual([]);
  });

  it('follows model.add() calls: a one-unit Dense added before a softmax Activation', async () => {
    const src = py(`
      import tensorflow as tf
      model = tf.keras.Sequential()
      model.add(tf.keras.Input((8,)))
      model.add(tf.keras.layers.Dense(1))
      model.add(tf.keras.layers.Activation("softmax"))
      ok = tf.keras.Sequential()
      ok.add(tf.keras.layers.Dense(1))
      ok.add(tf.keras.layers.Activation("sigmoid"))
      two = tf.keras.Sequential()
      two.add(tf.keras.layers.Dense(2))
      two.add(tf.keras.layers.Activation("softmax"))
    `);
    const f = await runRule(dl203, src);
    expect(linesOf(f)).toEqual([5]);
    const fixed = await fixAndRerun(dl203, src);
    expect(fixed.fixed).toContain(`model.add(tf.keras.layers.Activation("sigmoid"))`);
    expect(fixed.after).toEqual([]);
  });

  it('fires on the functional form: a softmax layer called on a one-unit layer\'s output, directly or through a name', async () => {
    const src = py(`
      import keras
      import torch.nn as nn
      from keras import layers
      inp = keras.Input((4,))
      out = layers.Activation("softmax")(layers.Dense(1)(inp))
      h = layers.Dense(1)(inp)
      p = layers.Softmax()(h)
      q = nn.Softmax(dim=-1)(nn.Linear(8, 1)(x))
      ok1 = layers.Activation("sigmoid")(layers.Dense(1)(inp))
      ok2 = layers.Activation("softmax")(layers.Dense(3)(inp))
      ok3 = layers.Softmax(axis=1)(layers.Dense(1)(seq))
      ok4 = nn.Softmax(dim=1)(nn.Linear(8, 1)(tokens))
    `);
    const fs = await runRule(dl203, src);
    expect(linesOf(fs)).toEqual([5, 7, 8]);
    const { fixed } = await fixAndRerun(dl203, src);
    expect(fixed).toContain('out = layers.Activation("sigmoid")(layers.Dense(1)(inp))');
  });

  it('fires on a torch functional softmax over the last axis of a one-output Linear, not over another axis or a wider Linear', async () => {
    // torch 1.13: torch.softmax(nn.Linear(8, 1)(x), dim=-1) is all 1.0, and its input gradient all 0.
    const src = py(`
      import torch
      import torch.nn as nn
      import torch.nn.functional as F
      class Scorer(nn.Module):
          def __init__(self):
              super().__init__()
              self.fc = nn.Linear(8, 1)
              self.att = nn.Linear(8, 1)
              self.wide = nn.Linear(8, 4)
          def forward(self, x):
              w = torch.softmax(self.att(x), dim=1)
              p = F.softmax(self.fc(x), dim=-1)
              out = self.fc(x)
              q = out.softmax(-1)
              r = F.softmax(self.wide(x), dim=-1)
              s = F.log_softmax(self.fc(x), dim=-1)
              return w, p, q, r, s
    `);
    expect(linesOf(await runRule(dl203, src))).toEqual([12, 14]);
  });

  it('fires on softmax over dim=1 of a one-output Linear when the propagated output is 2-D, not on a 3-D score or a guessed input', async () => {
    // Before: only dim=-1 was checked (r14 miss e14_torch_softmax_size1.py). torch 1.13:
    // torch.softmax(nn.Linear(8, 1)(torch.randn(3, 8)), dim=1) is all 1.0.
    const model = (call: string) => py(`
      import torch
      import torch.nn as nn
      class Scorer(nn.Module):
          def __init__(self):
              super().__init__()
              self.fc = nn.Linear(8, 1)
          def forward(self, x):
              return torch.softmax(self.fc(x), dim=1)
      ${call}
    `);
    expect(linesOf(await runRule(dl203, model('p = Scorer()(torch.randn(3, 8))')))).toEqual([8]);
    // (N, T, 1) scores softmaxed over T: attention pooling, a real distribution.
    expect(await runRule(dl203, model('p = Scorer()(torch.randn(3, 5, 8))'))).toEqual([]);
    // No input shape: the [B, 8] guess proves nothing about the rank.
    expect(await runRule(dl203, model(''))).toEqual([]);
  });
});
