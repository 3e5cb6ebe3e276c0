// The shape helpers of src/core/shapes/broadcast.ts (rules checked against torch 1.13:
// broadcasting of [2,1,4]+[3,1] -> [2,3,4]; view(-1) inference; dim wrapping).

import { describe, expect, it } from 'vitest';
import { broadcastShapes, expandShape, normDim, permuteShape, reshapeShape, transposeShape } from '../../../src/core/shapes/broadcast';
import { ShapeError } from '../../../src/core/frameworks/spec';
import { UNKNOWN_DIM, formatShape, mulDims, sym } from '../../../src/core/shapes/dim';

const B = sym('B');

describe('broadcastShapes', () => {
  it('aligns trailing dims', () => expect(broadcastShapes([2, 1, 4], [3, 1])).toEqual([2, 3, 4]));
  it('0-d with anything', () => expect(broadcastShapes([], [5])).toEqual([5]));
  it('throws with both shapes', () => expect(() => broadcastShapes([2, 3], [4])).toThrow(/\[2, 3\] and \[4\]/));
  it('symbolic vs 1 and vs itself', () => {
    expect(formatShape(broadcastShapes([B, 1], [1, 7]))).toBe('[B, 7]');
    expect(formatShape(broadcastShapes([B, 7], [B, 7]))).toBe('[B, 7]');
  });
  it('unknown vs concrete keeps the concrete side', () => expect(broadcastShapes([UNKNOWN_DIM], [7])).toEqual([7]));
});

describe('reshapeShape', () => {
  it('infers -1', () => expect(reshapeShape([2, 3, 4], [-1, 4])).toEqual([6, 4]));
  it('symbolic cancels', () => expect(formatShape(reshapeShape([B, 16, 5, 5], [B, -1]))).toBe('[B, 400]'));
  it('symbolic product target', () => expect(formatShape(reshapeShape([B, 7, 64], [mulDims(B, 7), -1]))).toBe('[7B, 64]'));
  it('two -1 throw', () => expect(() => reshapeShape([4], [-1, -1])).toThrow(ShapeError));
  it('indivisible throws', () => expect(() => reshapeShape([2, 3], [4, -1])).toThrow(/invalid for input of size 6/));
  it('numel mismatch throws', () => expect(() => reshapeShape([2, 3], [7])).toThrow(ShapeError));
  it('unknown target dims pass', () => expect(reshapeShape([2, 3], [UNKNOWN_DIM, 3])).toEqual([UNKNOWN_DIM, 3]));
});

describe('dims and permutations', () => {
  it('normDim wraps and checks', () => {
    expect(normDim(-1, 4)).toBe(3);
    expect(normDim(0, 0)).toBe(0);
    expect(() => normDim(4, 4)).toThrow(/Dimension out of range/);
  });
  it('permute and transpose', () => {
    expect(permuteShape([1, 2, 3], [2, 0, 1])).toEqual([3, 1, 2]);
    expect(() => permuteShape([1, 2, 3], [0, 0, 1])).toThrow(ShapeError);
    expect(transposeShape([1, 2, 3], 0, -1)).toEqual([3, 2, 1]);
  });
  it('expand', () => {
    expect(expandShape([3, 1], [2, -1, 4])).toEqual([2, 3, 4]);
    expect(() => expandShape([3, 2], [3, 4])).toThrow(ShapeError);
  });
});
