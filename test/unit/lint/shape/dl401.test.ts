// DL401 dense-in-features-mismatch: fires at the call with the definition as related
// information (at the layer when a Sequential calls it), with and without an input shape; the fix sets in_features and the finding goes.

import { describe, expect, it } from 'vitest';
import { dl401 } from '../../../../src/core/lint/rules/dl401-dense-in-features-mismatch';
import { applyEdits, lint, py } from './helpers';

describe('DL401 dense-in-features-mismatch', () => {
  it('fires on a Sequential with no input shape (symbolic [B, 784])', async () => {
    const src = py(`
      import torch.nn as nn
      net = nn.Sequential(nn.Linear(784, 300), nn.ReLU(), nn.Linear(200, 100))
    `);
    const f = await lint(dl401, src);
    expect(f).toHaveLength(1);
    expect(f[0].range.line).toBe(1);
    expect(f[0].message).toContain('in_features=200');
    expect(f[0].message).toContain('300');
    expect(f[0].related?.map((r) => r.message)).toEqual(['Linear(200, 100) is defined here', 'called here']);
    expect(f[0].related?.[0].range.character).toBe(src.split('\n')[1].indexOf('nn.Linear(200'));
    // On the layer itself, where the fix goes: the container's call has no line of its own for it.
    expect(f[0].range.character).toBe(src.split('\n')[1].indexOf('nn.Linear(200'));
  });

  it('fires on the layer\'s own line in a Sequential written over several lines, and in a Sequential called from forward()', async () => {
    const src = py(`
      import torch
      import torch.nn as nn
      mlp = nn.Sequential(
          nn.Linear(784, 256),
          nn.ReLU(),
          nn.Linear(128, 10),
      )
      class Net(nn.Module):
          def __init__(self):
              super().__init__()
              self.head = nn.Sequential(nn.ReLU(), nn.Linear(64, 10))
          def forward(self, x):
              return self.head(x)
      y = Net()(torch.randn(2, 16))
    `);
    const f = await lint(dl401, src);
    expect(f.map((x) => [x.range.line, x.related?.map((r) => r.range.line)]).sort()).toEqual([[10, [10, 12]], [5, [5, 2]]]);
  });

  it('fires in forward() at the call line, pointing at the definition in __init__', async () => {
    const src = py(`
      import torch
      import torch.nn as nn

      class Net(nn.Module):
          def __init__(self):
              super().__init__()
              self.fc1 = nn.Linear(32, 64)
              self.fc2 = nn.Linear(128, 10)

          def forward(self, x):
              x = torch.relu(self.fc1(x))
              return self.fc2(x)

      model = Net()
      model(torch.randn(4, 32))
    `);
    const f = await lint(dl401, src);
    // At the call, and at the definition too (pitfalls.md: DL4xx findings go on both lines).
    expect(f.map((x) => x.range.line)).toEqual([11, 7]);
    expect(f[0].related?.[0].range.line).toBe(7);
    expect(f[0].message).toMatch(/in_features=128 but receives 64/);
    expect(f[1].message).toMatch(/in_features=128 but receives 64.*\(called at line 12\)$/);
    expect(f[1].fix).toBeUndefined();
  });

  it('the fix sets in_features to the propagated value and the finding goes', async () => {
    const src = py(`
      import torch.nn as nn
      net = nn.Sequential(
          nn.Linear(784, 256), nn.ReLU(),
          nn.Linear(128, 10),
      )
    `);
    const f = await lint(dl401, src);
    expect(f).toHaveLength(1);
    expect(f[0].fix?.edits).toHaveLength(1);
    const fixed = applyEdits(src, f[0].fix!.edits);
    expect(fixed).toContain('nn.Linear(256, 10)');
    expect(await lint(dl401, fixed)).toEqual([]);
  });

  it('stays quiet on matching widths, LazyLinear and unknown widths', async () => {
    const src = py(`
      import torch.nn as nn
      a = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
      b = nn.Sequential(nn.Linear(784, 256), nn.LazyLinear(10))

      class C(nn.Module):
          def __init__(self, width):
              super().__init__()
              self.fc = nn.Linear(width, 10)

          def forward(self, x):
              return self.fc(x)
    `);
    expect(await lint(dl401, src)).toEqual([]);
  });
});

describe('DL401 in a library module called through .forward()', () => {
  it('lands on the user\'s call line, as for a call of the module itself, never at a line of the library\'s source', async () => {
    // torch 1.13: nn.TransformerDecoder(d_model=8) on a [2, 5, 4] target raises in its self-attention (embed_dim 8, input 4).
    for (const call of ['dec.forward(torch.randn(2, 5, 4), torch.randn(2, 7, 4))', 'dec(torch.randn(2, 5, 4), torch.randn(2, 7, 4))']) {
      const src = py(`
        import torch
        from torch import nn
        dec = nn.TransformerDecoder(nn.TransformerDecoderLayer(d_model=8, nhead=2, batch_first=True), num_layers=1)
        out = ${call}
      `);
      const f = await lint(dl401, src);
      expect(f.map((x) => x.range.line), call).toEqual([3]);
      expect(f[0].message).toContain('TransformerDecoder');
    }
  });
});
