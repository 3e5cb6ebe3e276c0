// torch.nn losses: output shapes for every reduction and the target-shape errors, each
// case recorded from torch 1.13 (torch113-losses.ts). A case where torch warns about a
// differing target size, or raises, must be a ShapeError here, with code DL410 (DL411 for
// a class-count mismatch, DL406 for an input of the wrong rank).

import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../../src/core/frameworks/spec';
import { tensor } from '../../../src/core/eval/values';
import { describe as describeValue, run } from './helpers';
import { TORCH_LOSS_CASES } from './torch113-losses';

function runCase(c: (typeof TORCH_LOSS_CASES)[number]) {
  return run(c.loss, [], c.kwargs, c.inputs.map((i) => tensor(i.shape, i.dtype)));
}

describe('torch losses against torch 1.13', () => {
  for (const c of TORCH_LOSS_CASES) {
    const title = `${c.loss}(${JSON.stringify(c.kwargs)}) ${c.inputs.map((i) => `[${i.shape}]${i.dtype === 'int64' ? 'i' : ''}`).join(' ')}`;
    it(title, () => {
      // KLDivLoss's 'mean' warning is about the reduction, not the target size.
      const sizeWarning = c.warn !== undefined && /target size/i.test(c.warn);
      // A float class-index target is a dtype error; the evaluator's dtypes are a guess, so
      // the spec takes the shapes only (and they are right: [4, 1] logits, [4] indices).
      if (c.error?.startsWith('RuntimeError: expected scalar type')) {
        expect(describeValue(runCase(c).output)).toEqual(c.kwargs.reduction === 'none' ? [4] : []);
        return;
      }
      if (c.error || sizeWarning) {
        let err: unknown;
        try {
          runCase(c);
        } catch (e) {
          err = e;
        }
        expect(err, `${title}: torch says ${c.error ?? c.warn}`).toBeInstanceOf(ShapeError);
        expect(['DL410', 'DL411', 'DL406']).toContain((err as ShapeError).code);
        return;
      }
      const r = runCase(c);
      expect(describeValue(r.output)).toEqual(c.shape);
      expect(r.params).toBe(0);
    });
  }

  it('BCE size mismatches and MSE broadcasts are DL410', () => {
    const codeOf = (loss: string, a: number[], b: number[]) => {
      try {
        run(loss, [], {}, [tensor(a), tensor(b)]);
      } catch (e) {
        return (e as ShapeError).code;
      }
      return undefined;
    };
    expect(codeOf('MSELoss', [32, 1], [32])).toBe('DL410');
    expect(codeOf('BCEWithLogitsLoss', [32, 1], [32])).toBe('DL410');
    expect(codeOf('MSELoss', [32], [32])).toBeUndefined();
  });

  it('one-hot targets of another width than the logits are DL411', () => {
    let err: ShapeError | undefined;
    try {
      run('CrossEntropyLoss', [], {}, [tensor([8, 2]), tensor([8, 10])]);
    } catch (e) {
      err = e as ShapeError;
    }
    expect(err?.code).toBe('DL411');
    expect(err?.message).toContain('10 classes');
  });

  it('stays quiet when the target rank is unknown', () => {
    const r = run('MSELoss', [], {}, [tensor([4, 1]), tensor(null)]);
    expect(describeValue(r.output)).toEqual([]);
    const none = run('MSELoss', [], { reduction: 'none' }, [tensor([4, 1]), tensor(null)]);
    expect(describeValue(none.output)).toBe('rank?');
  });
});
