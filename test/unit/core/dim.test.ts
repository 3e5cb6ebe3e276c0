// The Dim algebra: symbolic sizes simplify, compare and print predictably.
import { describe, expect, it } from 'vitest';
import { NONE_DIM, addDims, ceilDivDims, dimToJson, dimsConflict, dimsEqual, floorDivDims, formatDim, formatShape, isNoneDim, mulDims, negDim, prodDims, subDims, sym, UNKNOWN_DIM } from '../../../src/core/shapes/dim';
import { convOutDim, poolOutDim, tfConvOutDim, tfConvTransposeOutDim } from '../../../src/core/shapes/ops';

const H = sym('H');
const B = sym('B');

describe('dim algebra', () => {
  it('keeps concrete arithmetic exact', () => {
    expect(addDims(3, 4)).toBe(7);
    expect(floorDivDims(-7, 2)).toBe(-4);
    expect(ceilDivDims(7, 2)).toBe(4);
  });
  it('simplifies linear symbolic forms', () => {
    expect(formatDim(subDims(addDims(H, 5), 5))).toBe('H');
    expect(formatDim(mulDims(addDims(H, 1), 2))).toBe('2H + 2');
    expect(dimsEqual(addDims(H, H), mulDims(H, 2))).toBe(true);
  });
  it('prints floor divisions the DESIGN way', () => {
    // (H + 2*3 - 7)//2 + 1 = ⌊(H - 1)/2⌋ + 1, normalised to ⌊(H + 1)/2⌋ (remainder kept in [0, 2))
    expect(formatDim(convOutDim(H, 7, 2, 3))).toBe('⌊(H + 1)/2⌋');
    // MaxPool2d(2) on H: ⌊(H - 2)/2⌋ + 1 = ⌊H/2⌋
    expect(formatDim(poolOutDim(H, 2, 2))).toBe('⌊H/2⌋');
    expect(formatDim(floorDivDims(mulDims(H, 4), 2))).toBe('2H');
  });
  it('multiplies symbols into products', () => {
    expect(formatDim(prodDims([B, 16, H, H]))).toBe('16B·H·H');
  });
  it('treats unknown as absorbing and never conflicting', () => {
    expect(addDims(UNKNOWN_DIM, 3)).toBe(UNKNOWN_DIM);
    expect(dimsConflict(UNKNOWN_DIM, 3)).toBe(false);
    expect(dimsConflict(H, addDims(H, 1))).toBe(true);
    expect(dimsConflict(H, B)).toBe(false);
  });
  it('serialises Keras None batch as null and symbols as strings', () => {
    expect(dimToJson(sym('None'))).toBeNull();
    expect(dimToJson(B)).toBe('B');
    expect(dimToJson(UNKNOWN_DIM)).toBeNull();
  });
  it('matches PyTorch and TF conv arithmetic on concrete sizes', () => {
    expect(convOutDim(224, 7, 2, 3)).toBe(112);
    expect(convOutDim(32, 3, 1, 1, 2)).toBe(30);
    expect(poolOutDim(5, 2, 2, 0, 1, true)).toBe(3);
    expect(poolOutDim(6, 3, 2, 1, 1, true)).toBe(4); // torch 1.13: MaxPool2d(3, 2, 1, ceil_mode=True) on 6 -> 4
    expect(poolOutDim(5, 3, 2, 1, 1, true)).toBe(3);
    expect(tfConvOutDim(28, 3, 1, 'valid')).toBe(26);
    expect(tfConvOutDim(7, 3, 2, 'same')).toBe(4);
  });
  it("keeps Keras' None unknown through any arithmetic", () => {
    const None = sym('None');
    expect(None).toBe(NONE_DIM);
    // 'same' padding with stride 2 is -(-None // 2): None, not -⌊(-None)/2⌋
    expect(ceilDivDims(None, 2)).toBe(NONE_DIM);
    expect(formatDim(tfConvOutDim(None, 3, 2, 'same'))).toBe('None');
    expect(formatDim(tfConvOutDim(None, 3, 2, 'valid'))).toBe('None');
    expect(formatDim(tfConvTransposeOutDim(None, 3, 2, 'valid'))).toBe('None');
    expect(formatDim(convOutDim(None, 7, 2, 3))).toBe('None');
    expect(addDims(None, 1)).toBe(NONE_DIM);
    expect(subDims(None, None)).toBe(NONE_DIM);
    expect(negDim(None)).toBe(NONE_DIM);
    expect(mulDims(4, None)).toBe(NONE_DIM);
    expect(floorDivDims(12, None)).toBe(NONE_DIM);
    // None mixed with a named symbol or a number is still None
    expect(addDims(None, H)).toBe(NONE_DIM);
    expect(formatShape([None, floorDivDims(None, 2), prodDims([None, 3, 3]), 8])).toBe('[None, None, None, 8]');
    expect(dimToJson(ceilDivDims(None, 2))).toBeNull();
    // unknown stays unknown; None never conflicts with a number
    expect(addDims(None, UNKNOWN_DIM)).toBe(UNKNOWN_DIM);
    expect(dimsConflict(None, 3)).toBe(false);
    expect(dimsEqual(None, ceilDivDims(None, 2))).toBe(true);
    expect(isNoneDim(H)).toBe(false);
    expect(isNoneDim(3)).toBe(false);
  });
  it('leaves named symbols (PyTorch B, H) printing as before', () => {
    expect(formatDim(ceilDivDims(H, 2))).toBe('-⌊(-H)/2⌋');
    expect(formatDim(convOutDim(H, 3, 2, 1))).toBe('⌊(H + 1)/2⌋');
    expect(formatDim(prodDims([B, 3]))).toBe('3B');
  });
});
