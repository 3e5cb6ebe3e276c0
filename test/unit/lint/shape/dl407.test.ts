// DL407 rnn-output-tuple-not-unpacked: the (output, state) tuple of an LSTM passed on.

import { describe, expect, it } from 'vitest';
import { dl407 } from '../../../../src/core/lint/rules/dl407-rnn-output-tuple-not-unpacked';
import { applyEdits, lint, py } from './helpers';

describe('DL407 rnn-output-tuple-not-unpacked', () => {
  const bad = py(`
    import torch
    import torch.nn as nn

    class Tagger(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(1000, 128)
            self.lstm = nn.LSTM(128, 256, batch_first=True)
            self.fc = nn.Linear(256, 10)

        def forward(self, tokens):
            h = self.lstm(self.embed(tokens))
            return self.fc(h)

    Tagger()(torch.zeros(4, 20, dtype=torch.long))
  `);

  it('fires where the tuple reaches the next layer and unpacks it', async () => {
    const f = await lint(dl407, bad);
    expect(f).toHaveLength(1);
    expect(f[0].range.line).toBe(12);
    expect(f[0].message).toContain('(output, (h_n, c_n))');
    const fixed = applyEdits(bad, f[0].fix!.edits);
    expect(fixed).toContain('h, _ = self.lstm(self.embed(tokens))');
    expect(await lint(dl407, fixed)).toEqual([]);
  });

  it('fires on an LSTM inside nn.Sequential (no input shape)', async () => {
    const src = py(`
      import torch.nn as nn
      net = nn.Sequential(nn.LSTM(8, 16), nn.Linear(16, 2))
      enc = nn.Sequential(
          nn.Embedding(5000, 128),
          nn.LSTM(128, 64, batch_first=True),
          nn.Linear(64, 2),
      )
    `);
    const f = await lint(dl407, src);
    expect(f).toHaveLength(2);
    expect(f[0].fix).toBeUndefined();
    // On the RNN, which is what cannot sit in the Sequential.
    expect(f.map((x) => [x.range.line, x.range.character])).toEqual([[1, src.split('\n')[1].indexOf('nn.LSTM')], [4, 4]]);
  });

  it('stays quiet when the result is unpacked or indexed', async () => {
    const good = bad.replace('h = self.lstm(self.embed(tokens))\n        return self.fc(h)', 'out, _ = self.lstm(self.embed(tokens))\n        return self.fc(out[:, -1])');
    expect(good).not.toBe(bad);
    expect(await lint(dl407, good)).toEqual([]);
    const indexed = bad.replace('return self.fc(h)', 'return self.fc(h[0])');
    expect(await lint(dl407, indexed)).toEqual([]);
  });

  it('fires on the tuple indexed or read like a tensor (the catalogue example) and unpacks it', async () => {
    const src = py(`
      import torch
      import torch.nn as nn

      class Tagger(nn.Module):
          def __init__(self):
              super().__init__()
              self.lstm = nn.LSTM(128, 256)
              self.fc = nn.Linear(256, 5)

          def forward(self, tokens):
              h = self.lstm(tokens)
              return self.fc(h[:, -1])

      class Shape(nn.Module):
          def __init__(self):
              super().__init__()
              self.gru = nn.GRU(8, 16)

          def forward(self, x):
              h = self.gru(x)
              return h.view(-1, 16)

      Tagger()(torch.randn(7, 2, 128))
      Shape()(torch.randn(5, 3, 8))
    `);
    const f = await lint(dl407, src);
    expect(f.map((x) => x.range.line)).toEqual([11, 20]);
    expect(f[0].message).toMatch(/^The \(output, \(h_n, c_n\)\) tuple returned by LSTM is indexed like a tensor/);
    expect(f[1].message).toMatch(/\(output, h_n\) tuple returned by GRU has no attribute 'view'/);
    let fixed = src;
    for (const x of f) fixed = applyEdits(fixed, x.fix!.edits);
    expect(fixed).toContain('h, _ = self.lstm(tokens)');
    expect(fixed).toContain('h, _ = self.gru(x)');
    expect(await lint(dl407, fixed)).toEqual([]);
  });
});

