import { describe, expect, it } from 'vitest';
import { dl504 } from '../../../../src/core/lint/rules/dl504-dataloader-worker-seeding';
import { linesOf, py, runRule } from './run-rule';

const DATASET = `
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset
torch.manual_seed(0)
class Noisy(Dataset):
    def __getitem__(self, i):
        return self.x[i] + np.random.normal(0, 0.1, self.x[i].shape), self.y[i]
`;

describe('DL504 dataloader-worker-seeding', () => {
  it('fires on a seeded script with NumPy augmentation in workers and no worker_init_fn', async () => {
    const src = `${DATASET}loader = DataLoader(Noisy(), batch_size=64, shuffle=True, num_workers=4)\n`;
    expect(linesOf(await runRule(dl504, src))).toEqual([9]);
  });

  it('stays quiet with worker_init_fn, without workers, or without seeding', async () => {
    const a = `${DATASET}loader = DataLoader(Noisy(), batch_size=64, num_workers=4, worker_init_fn=seed_worker, generator=g)\n`;
    const b = `${DATASET}loader = DataLoader(Noisy(), batch_size=64, shuffle=True)\n`;
    const c = py(`
      import numpy as np
      from torch.utils.data import DataLoader, Dataset
      class Noisy(Dataset):
          def __getitem__(self, i):
              return np.random.rand()
      loader = DataLoader(Noisy(), num_workers=4)
    `);
    for (const s of [a, b, c]) expect(await runRule(dl504, s)).toEqual([]);
  });
});
