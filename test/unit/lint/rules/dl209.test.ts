import { describe, expect, it } from 'vitest';
import { dl209 } from '../../../../src/core/lint/rules/dl209-deprecated-keras-args';
import { fixAndRerun, linesOf, py, runRule } from './run-rule';

describe('DL209 deprecated-keras-args', () => {
  it('fires on lr= and fit_generator, and renames both', async () => {
    const src = py(`
      from tensorflow import keras
      opt = keras.optimizers.Adam(lr=1e-4)
      model.compile(opt, loss="mse")
      model.fit_generator(train_gen, epochs=5)
    `);
    const fs = await runRule(dl209, src);
    expect(linesOf(fs)).toEqual([2, 4]);
    const { fixed, after } = await fixAndRerun(dl209, src);
    expect(fixed).toContain('keras.optimizers.Adam(learning_rate=1e-4)');
    expect(fixed).toContain('model.fit(train_gen, epochs=5)');
    expect(after).toEqual([]);
  });

  it('stays quiet on learning_rate, torch optimizers and non-Keras files', async () => {
    const a = py(`
      import torch
      from tensorflow import keras
      opt = keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)
      topt = torch.optim.SGD(params, lr=0.01)
    `);
    const b = py(`
      class Trainer:
          def fit_generator(self, g):
              pass
      Trainer().fit_generator(g)
    `);
    expect(await runRule(dl209, a)).toEqual([]);
    expect(await runRule(dl209, b)).toEqual([]);
  });
});
