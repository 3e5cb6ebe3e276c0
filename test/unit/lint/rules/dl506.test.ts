import { describe, expect, it } from 'vitest';
import { dl506 } from '../../../../src/core/lint/rules/dl506-hardcoded-cuda-device';
import { linesOf, py, runRule } from './run-rule';

describe('DL506 hardcoded-cuda-device', () => {
  it('fires on .cuda() and "cuda" literals without an availability check', async () => {
    const src = py(`
      import torch
      model = Net().cuda()
      x = torch.zeros(8, 3, 224, 224).to("cuda:0")
      y = torch.ones(3, device="cuda")
      dev = torch.device("cuda")
    `);
    const fs = await runRule(dl506, src);
    expect(linesOf(fs)).toEqual([2, 3, 4, 5]);
    expect(fs[0].severity).toBe('information');
  });

  it('stays quiet with is_available, a device parameter or a CLI option', async () => {
    const a = py(`
      import torch
      device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
      model = Net().to(device)
      if torch.cuda.is_available():
          model = model.cuda()
    `);
    const b = py(`
      import torch
      def run(model, device="cuda"):
          return model.to(device)
    `);
    const c = py(`
      import argparse, torch
      p = argparse.ArgumentParser()
      p.add_argument("--device", default="cuda")
      model = Net().cuda()
    `);
    for (const s of [a, b, c]) expect(await runRule(dl506, s)).toEqual([]);
  });
});
