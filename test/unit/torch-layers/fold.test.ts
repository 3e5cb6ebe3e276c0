// nn.Unfold / nn.Fold shapes and errors, recorded from torch 1.13.

import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../../src/core/frameworks/spec';
import { describe as describeValue, run } from './helpers';

describe('Unfold / Fold', () => {
  it('Unfold: (N, C, H, W) -> (N, C·∏k, L)', () => {
    expect(describeValue(run('Unfold', [4], { stride: 4 }, [[2, 3, 32, 48]]).output)).toEqual([2, 48, 96]);
    expect(describeValue(run('Unfold', [4], { stride: 4 }, [[3, 32, 48]]).output)).toEqual([48, 96]);
    expect(describeValue(run('Unfold', [[2, 3]], { dilation: 2, padding: 1, stride: [1, 2] }, [[2, 3, 10, 12]]).output)).toEqual([2, 18, 50]);
    expect(describeValue(run('Unfold', [3], {}, [[2, 3, 10]]).output)).toEqual([18, 8]);
  });

  it('Unfold: a kernel larger than the input is DL405', () => {
    expect(() => run('Unfold', [5], {}, [[2, 3, 3, 3]])).toThrow(ShapeError);
    try {
      run('Unfold', [5], {}, [[2, 3, 3, 3]]);
    } catch (e) {
      expect((e as ShapeError).code).toBe('DL405');
    }
  });

  it('Fold: (N, C·∏k, L) -> (N, C, *output_size)', () => {
    expect(describeValue(run('Fold', [[32, 48], 4], { stride: 4 }, [[2, 48, 96]]).output)).toEqual([2, 3, 32, 48]);
    expect(describeValue(run('Fold', [[32, 48], 4], { stride: 4 }, [[48, 96]]).output)).toEqual([3, 32, 48]);
    expect(describeValue(run('Fold', [10, 3], {}, [[2, 18, 64]]).output)).toEqual([2, 2, 10, 10]);
  });

  it('Fold: torch 1.13 errors', () => {
    const codeOf = (args: unknown[], kwargs: Record<string, unknown>, shape: number[]) => {
      try {
        run('Fold', args as never, kwargs as never, [shape]);
      } catch (e) {
        return (e as ShapeError).code;
      }
      return 'ok';
    };
    expect(codeOf([[32, 48], 4], { stride: 4 }, [2, 48, 95])).toBe('DL404'); // block count mismatch
    expect(codeOf([[32, 48], 4], { stride: 4 }, [2, 47, 96])).toBe('DL402'); // not divisible by ∏k
    expect(codeOf([10, [2, 3]], { dilation: 2, padding: 1, stride: [1, 2] }, [2, 18, 54])).toBe('DL404');
    expect(codeOf([10, 3], {}, [2, 18, 64, 1])).toBe('DL406');
  });
});
