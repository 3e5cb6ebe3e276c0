import { describe, expect, it } from 'vitest';
import { dl505 } from '../../../../src/core/lint/rules/dl505-nondeterministic-algorithms';
import { fixAndRerun, linesOf, py, runRule } from './run-rule';

describe('DL505 nondeterministic-algorithms', () => {
  it('fires (hint) on cudnn.benchmark and missing deterministic mode in a seeded script', async () => {
    const src = py(`
      import numpy as np
      import torch
      torch.manual_seed(0)
      np.random.seed(0)
      torch.backends.cudnn.benchmark = True
    `);
    const fs = await runRule(dl505, src);
    expect(linesOf(fs).sort()).toEqual([3, 5]);
    expect(fs.every((f) => f.severity === 'hint')).toBe(true);
    const { fixed } = await fixAndRerun(dl505, src);
    expect(fixed).toContain('torch.backends.cudnn.benchmark = False');
  });

  it('fires for a seeded TF script without op determinism', async () => {
    const src = py(`
      import tensorflow as tf
      tf.random.set_seed(1)
    `);
    expect(linesOf(await runRule(dl505, src))).toEqual([2]);
  });

  it('stays quiet when determinism is requested or nothing is seeded', async () => {
    const a = py(`
      import torch
      import tensorflow as tf
      torch.manual_seed(0)
      torch.backends.cudnn.benchmark = False
      torch.use_deterministic_algorithms(True)
      tf.random.set_seed(0)
      tf.config.experimental.enable_op_determinism()
    `);
    const b = py(`
      import torch
      torch.backends.cudnn.benchmark = True
    `);
    for (const s of [a, b]) expect(await runRule(dl505, s)).toEqual([]);
  });
});
