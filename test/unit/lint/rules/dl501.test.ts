import { describe, expect, it } from 'vitest';
import { dl501 } from '../../../../src/core/lint/rules/dl501-unsafe-torch-load';
import { fixAndRerun, linesOf, py, runRule } from './run-rule';

describe('DL501 unsafe-torch-load', () => {
  it('fires on torch.load without weights_only and on weights_only=False; adds weights_only=True', async () => {
    const src = py(`
      import torch
      state = torch.load("resnet.pt")
      ckpt = torch.load(path, map_location="cpu", weights_only=False)
    `);
    const fs = await runRule(dl501, src);
    expect(linesOf(fs)).toEqual([2, 3]);
    const { fixed, after } = await fixAndRerun(dl501, src);
    expect(fixed).toContain('torch.load("resnet.pt", weights_only=True)');
    expect(linesOf(after)).toEqual([3]);
  });

  it('stays quiet with weights_only=True, **kwargs and other load functions', async () => {
    const src = py(`
      import torch
      import pickle
      a = torch.load("x.pt", weights_only=True)
      b = torch.load(path, **opts)
      c = np.load("x.npy")
      def load(p):
          return p
      d = load("x.pt")
    `);
    expect(await runRule(dl501, src)).toEqual([]);
  });
});
