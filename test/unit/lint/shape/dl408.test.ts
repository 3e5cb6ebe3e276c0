// DL408 stacked-rnn-missing-return-sequences: a Keras LSTM after an LSTM that returns its last step only.

import { describe, expect, it } from 'vitest';
import { dl408 } from '../../../../src/core/lint/rules/dl408-stacked-rnn-missing-return-sequences';
import { applyEdits, lint, py } from './helpers';

describe('DL408 stacked-rnn-missing-return-sequences', () => {
  const bad = py(`
    import keras
    from keras import layers
    model = keras.Sequential([
        keras.Input((50, 8)),
        layers.LSTM(64),
        layers.Dropout(0.2),
        layers.LSTM(32),
        layers.Dense(1),
    ])
  `);

  it('fires at the second LSTM (through a Dropout) and adds return_sequences=True to the first', async () => {
    const f = await lint(dl408, bad);
    expect(f).toHaveLength(1);
    expect(f[0].related?.[0].range.line).toBe(6);
    expect(f[0].message).toContain('LSTM(64)');
    const fixed = applyEdits(bad, f[0].fix!.edits);
    expect(fixed).toContain('layers.LSTM(64, return_sequences=True)');
    expect(await lint(dl408, fixed)).toEqual([]);
  });

  it('stays quiet on a correct stack and on a 2-D input that no RNN produced', async () => {
    const good = bad.replace('layers.LSTM(64),', 'layers.LSTM(64, return_sequences=True),');
    expect(await lint(dl408, good)).toEqual([]);
    const src = py(`
      import keras
      from keras import layers
      rnn = keras.Sequential([keras.Input((64,)), layers.LSTM(32)])
    `);
    expect(await lint(dl408, src)).toEqual([]);
  });
});
