// DL113 functional-dropout-training-flag.
import { beforeAll, describe, expect, it } from 'vitest';
import { findings, fixAndRelint, initParser, lines } from './helpers';

beforeAll(async () => {
  await initParser();
});

describe('DL113', () => {
  it('warns in module methods, informs in free functions', () => {
    const fs = findings('DL113', `
    import torch.nn as nn
    import torch.nn.functional as F
    class Net(nn.Module):
        def forward(self, x):
            h = F.dropout(x, p=0.3)
            return F.dropout2d(h, 0.1, True)
    def aug(x):
        return F.dropout(x, 0.5)
    `);
    expect(fs.map((f) => [f.range.line + 1, f.severity])).toEqual([[5, 'warning'], [6, 'warning'], [8, 'information']]);
  });
  it('treats a literal True third positional argument as training=True, and fixes it', () => {
    // F.dropout(input, p=0.5, training=True, inplace=False): the third positional is `training`.
    const r = fixAndRelint('DL113', `
    import torch.nn as nn
    import torch.nn.functional as F
    class Net(nn.Module):
        def forward(self, x):
            h = F.dropout(x, 0.2, True)
            return F.alpha_dropout(h, 0.1, False)
    `);
    expect(r.applied).toBe(1);
    expect(r.text).toContain('F.dropout(x, 0.2, self.training)');
    expect(r.text).toContain('F.alpha_dropout(h, 0.1, False)');
    expect(r.remaining).toEqual([]);
  });
  it('stays quiet with training=self.training or a third positional', () => {
    expect(lines('DL113', `
    import torch.nn as nn
    import torch.nn.functional as F
    class Net(nn.Module):
        def forward(self, x):
            h = F.dropout(x, p=0.3, training=self.training)
            return F.dropout(h, 0.3, self.training)
    `)).toEqual([]);
  });
  it('fix adds training=self.training', () => {
    const r = fixAndRelint('DL113', `
    import torch.nn as nn
    import torch.nn.functional as F
    class Net(nn.Module):
        def forward(self, x):
            a = F.dropout(x, p=0.3)
            return F.dropout(a, p=0.3, training=True)
    `);
    expect(r.text).toContain('F.dropout(x, p=0.3, training=self.training)');
    expect(r.text).toContain('F.dropout(a, p=0.3, training=self.training)');
    expect(r.remaining).toEqual([]);
  });
});
