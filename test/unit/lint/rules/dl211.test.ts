import { describe, expect, it } from 'vitest';
import { dl211 } from '../../../../src/core/lint/rules/dl211-batchnorm-momentum-convention';
import { fixAndRerun, linesOf, py, runRule } from './run-rule';

describe('DL211 batchnorm-momentum-convention', () => {
  it('fires on momentum written in the other framework convention and converts it', async () => {
    const src = py(`
      import torch.nn as nn
      from tensorflow.keras import layers
      bn_keras = layers.BatchNormalization(momentum=0.1)
      bn_torch = nn.BatchNorm2d(64, momentum=0.9)
    `);
    const fs = await runRule(dl211, src);
    expect(linesOf(fs)).toEqual([3, 4]);
    const { fixed, after } = await fixAndRerun(dl211, src);
    expect(fixed).toContain('BatchNormalization(momentum=0.9)');
    expect(fixed).toContain('BatchNorm2d(64, momentum=0.1)');
    expect(after).toEqual([]);
  });

  it('stays quiet on each framework default convention and momentum=None', async () => {
    const src = py(`
      import torch.nn as nn
      import keras
      a = keras.layers.BatchNormalization(momentum=0.99, epsilon=1e-3)
      b = nn.BatchNorm1d(32, momentum=0.01)
      c = nn.BatchNorm2d(32, momentum=None)
      d = keras.layers.BatchNormalization(momentum=m)
    `);
    expect(await runRule(dl211, src)).toEqual([]);
  });

  it('reads a momentum given as a module constant (no fix: the constant may be shared)', async () => {
    const src = py(`
      import torch.nn as nn
      BN_MOMENTUM = 0.9
      bn = nn.BatchNorm2d(8, momentum=BN_MOMENTUM)
    `);
    const f = await runRule(dl211, src);
    expect(linesOf(f)).toEqual([3]);
    expect(f[0].fix).toBeUndefined();
  });
});
