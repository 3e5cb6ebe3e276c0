import { describe, expect, it } from 'vitest';
import { dl503 } from '../../../../src/core/lint/rules/dl503-missing-global-seed';
import { applyEdits, linesOf, py, runRule } from './run-rule';

describe('DL503 missing-global-seed', () => {
  it('fires once at the first training call of an unseeded script and offers a seeding block', async () => {
    const src = py(`
      import numpy as np
      import torch
      def train(model, opt, loader):
          for x, y in loader:
              opt.zero_grad()
              loss = model(x).sum()
              loss.backward()
              opt.step()
      if __name__ == "__main__":
          train(Net(), opt, loader)
    `);
    const fs = await runRule(dl503, src);
    expect(linesOf(fs)).toEqual([7]);
    const fixed = applyEdits(src, fs[0].fix!.edits);
    expect(fixed).toContain('np.random.seed(0)\ntorch.manual_seed(0)\n');
    expect(await runRule(dl503, fixed)).toEqual([]);
  });

  it('fires on a top-level Keras fit', async () => {
    const src = py(`
      from tensorflow import keras
      model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
      model.compile("adam", "mse")
      model.fit(x, y, epochs=3)
    `);
    expect(linesOf(await runRule(dl503, src))).toEqual([4]);
  });

  it('stays quiet when seeded (directly or through a helper) and in library modules', async () => {
    const a = py(`
      import torch
      from utils import seed_everything
      seed_everything(42)
      if __name__ == "__main__":
          loss.backward()
    `);
    const b = py(`
      import torch
      def train(model, loss):
          loss.backward()
    `);
    const c = py(`
      import keras
      keras.utils.set_random_seed(1)
      model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
      model.fit(x, y)
    `);
    for (const s of [a, b, c]) expect(await runRule(dl503, s)).toEqual([]);
  });
});
