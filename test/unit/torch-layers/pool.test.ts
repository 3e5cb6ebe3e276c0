// torch.nn max / avg / LP / adaptive / fractional pooling: shapes, parameter counts and torchinfo MACs compared with values
// recorded from torch 1.13 (see torch113-cases.ts), plus hand-written edge cases.

import { describe, expect, it } from 'vitest';
import { tensor } from '../../../src/core/eval/values';
import { TORCH_CASES } from './torch113-cases';
import { caseLabel, checkCase, describe as describeValue, run } from './helpers';

describe('torch pool layers match torch 1.13', () => {
  for (const c of TORCH_CASES.pool) it(caseLabel(c), () => checkCase(c));
});

describe('ceil_mode: the last window must start inside the input or the left padding', () => {
  it('MaxPool2d(2, stride=2, padding=1, ceil_mode=True) on 5 gives 3, not ⌈5/2⌉ + 1 = 4 (torch 1.13: 3)', () => {
    expect(describeValue(run('MaxPool2d', [2], { stride: 2, padding: 1, ceil_mode: true }, [[1, 8, 5, 5]]).output)).toEqual([1, 8, 3, 3]);
  });
  it('MaxPool2d(3, stride=2, ceil_mode=True) on 56 gives 28 (ResNet-style stem, torch 1.13: 28)', () => {
    expect(describeValue(run('MaxPool2d', [3], { stride: 2, ceil_mode: true }, [[1, 8, 56, 56]]).output)).toEqual([1, 8, 28, 28]);
  });
  it('AvgPool2d(2, ceil_mode=True) on 7 keeps the partial last window (torch 1.13: 4)', () => {
    expect(describeValue(run('AvgPool2d', [2], { ceil_mode: true }, [[1, 8, 7, 7]]).output)).toEqual([1, 8, 4, 4]);
  });
});

describe('MaxUnpool inverts MaxPool', () => {
  it('MaxUnpool2d(2) of a 4x4 map gives 8x8, or output_size when given', () => {
    const x = tensor([1, 8, 4, 4]);
    expect(describeValue(run('MaxUnpool2d', [2], {}, [x, x]).output)).toEqual([1, 8, 8, 8]);
    expect(describeValue(run('MaxUnpool2d', [2], {}, [x, x], { output_size: [1, 8, 9, 9] }).output)).toEqual([1, 8, 9, 9]);
  });
});
