// DL4xx codes of the Keras specs' shape errors: ranks (DL406), a 2-D last-step RNN output
// reaching a layer that needs time (DL408, through Dropout), collapse (DL405), channels and
// groups (DL402), reshape sizes (DL404).

import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../../src/core/frameworks/spec';
import type { Value } from '../../../src/core/eval/values';
import { run, t } from './helpers';

function codeOf(name: string, pos: unknown[], kw: Record<string, unknown>, inputs: Value[]): string | undefined {
  try {
    run(name, pos, kw, inputs);
  } catch (e) {
    if (e instanceof ShapeError) return e.code;
    throw e;
  }
  return undefined;
}

describe('Keras spec codes', () => {
  it('DL408: an LSTM after an LSTM without return_sequences, also through Dropout', () => {
    const last = run('LSTM', [64], {}, [t(50, 8)]).out;
    expect(codeOf('LSTM', [32], {}, [last])).toBe('DL408');
    const dropped = run('Dropout', [0.2], {}, [last]).out;
    expect(codeOf('GRU', [32], {}, [dropped])).toBe('DL408');
    expect(codeOf('Conv1D', [8, 3], {}, [dropped])).toBe('DL408');
    const seq = run('LSTM', [64], { return_sequences: true }, [t(50, 8)]).out;
    expect(codeOf('LSTM', [32], {}, [seq])).toBeUndefined();
  });

  it('DL406: a 2-D input that no RNN produced', () => {
    expect(codeOf('LSTM', [32], {}, [t(64)])).toBe('DL406');
    expect(codeOf('Conv2D', [8, 3], {}, [t(28, 28)])).toBe('DL406');
  });

  it('DL405, DL402, DL404', () => {
    expect(codeOf('Conv2D', [8, 3], {}, [t(1, 1, 3)])).toBe('DL405');
    expect(codeOf('Conv2D', [8, 3], { groups: 4 }, [t(9, 9, 6)])).toBe('DL402');
    expect(codeOf('Reshape', [[5, 5]], {}, [t(24)])).toBe('DL404');
  });
});
