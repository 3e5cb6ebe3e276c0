// torch.nn inputs torch rejects: each must raise ShapeError: shapes, parameter counts and torchinfo MACs compared with values
// recorded from torch 1.13 (see torch113-cases.ts), plus hand-written edge cases.

import { describe, expect, it } from 'vitest';
import { TORCH_CASES } from './torch113-cases';
import { caseLabel, checkCase } from './helpers';
import { ShapeError } from '../../../src/core/frameworks/spec';
import { run } from './helpers';

describe('torch errors layers match torch 1.13', () => {
  for (const c of TORCH_CASES.errors) it(caseLabel(c), () => checkCase(c));
});

const message = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ShapeError);
    return (e as Error).message;
  }
  throw new Error('expected a ShapeError');
};

describe('shape error messages name both sizes', () => {
  it('Linear fed the wrong number of features', () => {
    expect(message(() => run('Linear', [784, 300], {}, [[64, 200]]))).toBe('Linear expected in_features=784 but the input has 200 (last dim)');
  });
  it('Conv2d fed the wrong number of channels', () => {
    expect(message(() => run('Conv2d', [3, 16, 3], {}, [[2, 4, 32, 32]]))).toBe('Conv2d expected in_channels=3 but the input has 4 (channel dim 1)');
  });
  it('Conv2d fed a 2-D input', () => {
    expect(message(() => run('Conv2d', [3, 16, 3], {}, [[3, 32]]))).toContain('3-D (unbatched) or 4-D (batched)');
  });
  it('LSTM fed the wrong input_size', () => {
    expect(message(() => run('LSTM', [10, 20], {}, [[5, 3, 12]]))).toBe('LSTM expected input_size=10 but the input has 12 (last dim)');
  });
  it('BatchNorm2d fed the wrong channel count', () => {
    expect(message(() => run('BatchNorm2d', [64], {}, [[2, 32, 8, 8]]))).toBe('BatchNorm2d expected num_features=64 but the input has 32 (channel dim 1)');
  });
});

describe('constructor rules checked at the call', () => {
  it("Conv2d padding='same' with a stride", () => {
    expect(() => run('Conv2d', [3, 8, 3], { padding: 'same', stride: 2 }, [[1, 3, 8, 8]])).toThrow(ShapeError);
  });
  it('Conv2d with groups not dividing the channels', () => {
    expect(() => run('Conv2d', [6, 8, 3], { groups: 4 }, [[1, 6, 8, 8]])).toThrow(/divisible by groups/);
  });
  it('ConvTranspose2d forward(output_size=...) outside [min, min + stride - 1]', () => {
    // min size is (6-1)*2 - 2 + 3 = 11, so 11 and 12 are valid and 13 is not (torch raises).
    expect(() => run('ConvTranspose2d', [8, 4, 3], { stride: 2, padding: 1 }, [[1, 8, 6, 6]], { output_size: [13, 13] })).toThrow(/valid range \[11, 12\]/);
  });
  it('GRU and RNN reject proj_size', () => {
    expect(() => run('GRU', [10, 20, 1, true, false, 0.0, false, 5], {}, [[5, 3, 10]])).toThrow(/only supported for LSTM/);
  });
  it('MultiheadAttention with embed_dim not divisible by num_heads', () => {
    expect(() => run('MultiheadAttention', [10, 3], {}, [[4, 2, 10], [4, 2, 10], [4, 2, 10]])).toThrow(/divisible by num_heads/);
  });
});
