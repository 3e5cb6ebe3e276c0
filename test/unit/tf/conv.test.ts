// Shape functions of tf.nn convolution / pooling / matmul (tf/conv.ts), from the TF docs:
// SAME → ⌈in/s⌉, VALID → ⌈(in − d(k−1))/s⌉, explicit → ⌊(in + pads − d(k−1) − 1)/s⌋ + 1.
import { describe, expect, it } from 'vitest';
import {
  biasAddShape, embeddingLookupShape, expandWindowArg, tfMatmulShape, tfNnConvShape, tfNnConvTransposeShape, tfNnPoolShape, windowOutDim,
  type TfWindowOptions,
} from '../../../src/core/frameworks/tf/conv';
import { ShapeError } from '../../../src/core/frameworks/spec';
import { formatShape, sym } from '../../../src/core/shapes/dim';

const opts = (n: number, o: Partial<TfWindowOptions> = {}): TfWindowOptions => ({
  n, channelsFirst: false, strides: Array(n).fill(1), dilations: Array(n).fill(1), padding: 'SAME', ...o,
});

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof ShapeError) return e.code;
    throw e;
  }
  return undefined;
}

describe('padding arithmetic', () => {
  it('SAME is ceil(in / stride), whatever the kernel and dilation', () => {
    expect(windowOutDim(28, 5, 1, 1, 'SAME', 1)).toBe(28);
    expect(windowOutDim(28, 3, 2, 1, 'SAME', 1)).toBe(14);
    expect(windowOutDim(7, 3, 2, 1, 'SAME', 1)).toBe(4);
    expect(windowOutDim(7, 3, 2, 4, 'SAME', 1)).toBe(4);
  });
  it('VALID is ceil((in - d(k-1)) / stride)', () => {
    expect(windowOutDim(32, 3, 1, 1, 'VALID', 1)).toBe(30);
    expect(windowOutDim(32, 3, 2, 1, 'VALID', 1)).toBe(15);
    expect(windowOutDim(32, 3, 1, 2, 'VALID', 1)).toBe(28);
    expect(windowOutDim(33, 3, 2, 2, 'VALID', 1)).toBe(15);
  });
  it('explicit padding adds the before/after pads of that axis', () => {
    const pad: Array<[number, number]> = [[0, 0], [1, 2], [0, 0], [0, 0]];
    expect(windowOutDim(10, 3, 2, 1, pad, 1)).toBe(6);
    expect(windowOutDim(10, 3, 2, 1, pad, 2)).toBe(4);
  });
  it('keeps a symbolic batch-free size symbolic', () => {
    expect(formatShape([windowOutDim(sym('H'), 3, 1, 1, 'VALID', 1)])).toBe('[H - 2]');
  });
  it('expands strides given as an int or as 1, N or N+2 entries (layout-aware)', () => {
    expect(expandWindowArg(2, 2, false, 'strides')).toEqual([2, 2]);
    expect(expandWindowArg([2], 2, false, 'strides')).toEqual([2, 2]);
    expect(expandWindowArg([1, 2, 3, 1], 2, false, 'strides')).toEqual([2, 3]);
    expect(expandWindowArg([1, 1, 2, 3], 2, true, 'strides')).toEqual([2, 3]);
    expect(codeOf(() => expandWindowArg([1, 2, 1], 2, false, 'strides'))).toBe('DL406');
  });
});

describe('tf.nn.conv*', () => {
  it('conv2d NHWC: filters [kh, kw, in, out]', () => {
    expect(tfNnConvShape([8, 28, 28, 1], [5, 5, 1, 32], opts(2))).toEqual([8, 28, 28, 32]);
    expect(tfNnConvShape([8, 28, 28, 1], [5, 5, 1, 32], opts(2, { padding: 'VALID', strides: [2, 2] }))).toEqual([8, 12, 12, 32]);
  });
  it('conv2d NCHW with dilations', () => {
    expect(tfNnConvShape([2, 3, 32, 32], [3, 3, 3, 8], opts(2, { channelsFirst: true, padding: 'VALID', dilations: [2, 2] }))).toEqual([2, 8, 28, 28]);
  });
  it('conv1d and conv3d', () => {
    expect(tfNnConvShape([4, 16000, 1], [80, 1, 32], opts(1, { padding: 'VALID', strides: [4] }))).toEqual([4, 3981, 32]);
    expect(tfNnConvShape([1, 8, 32, 32, 3], [3, 3, 3, 3, 16], opts(3, { strides: [1, 2, 2] }))).toEqual([1, 8, 16, 16, 16]);
  });
  it('accepts grouped input depth (a multiple of the filter depth), rejects the rest as DL402', () => {
    expect(tfNnConvShape([1, 8, 8, 8], [3, 3, 4, 16], opts(2))).toEqual([1, 8, 8, 16]);
    expect(codeOf(() => tfNnConvShape([1, 8, 8, 3], [3, 3, 2, 16], opts(2)))).toBe('DL402');
  });
  it('rank and collapse errors', () => {
    expect(codeOf(() => tfNnConvShape([28, 28, 1], [3, 3, 1, 8], opts(2)))).toBe('DL406');
    expect(codeOf(() => tfNnConvShape([1, 2, 2, 1], [3, 3, 1, 8], opts(2, { padding: 'VALID' })))).toBe('DL405');
  });
  it('conv2d_transpose returns output_shape when it inverts the forward conv', () => {
    expect(tfNnConvTransposeShape([8, 7, 7, 128], [4, 4, 64, 128], [8, 14, 14, 64], opts(2, { strides: [2, 2] }))).toEqual([8, 14, 14, 64]);
    // VALID stride 2 kernel 3 from 7: 15 and 16 both map back to 7.
    expect(tfNnConvTransposeShape([1, 7, 7, 4], [3, 3, 2, 4], [1, 15, 15, 2], opts(2, { strides: [2, 2], padding: 'VALID' }))).toEqual([1, 15, 15, 2]);
    expect(tfNnConvTransposeShape([1, 7, 7, 4], [3, 3, 2, 4], [1, 16, 16, 2], opts(2, { strides: [2, 2], padding: 'VALID' }))).toEqual([1, 16, 16, 2]);
  });
  it('conv2d_transpose errors: wrong output_shape (DL404), filter channel order (DL402)', () => {
    expect(codeOf(() => tfNnConvTransposeShape([8, 7, 7, 128], [4, 4, 64, 128], [8, 15, 15, 64], opts(2, { strides: [2, 2] })))).toBe('DL404');
    expect(codeOf(() => tfNnConvTransposeShape([8, 7, 7, 128], [4, 4, 128, 64], [8, 14, 14, 64], opts(2, { strides: [2, 2] })))).toBe('DL402');
  });
});

describe('pooling', () => {
  it('max_pool2d SAME / VALID, NHWC and NCHW', () => {
    expect(tfNnPoolShape([8, 28, 28, 32], [2, 2], opts(2, { strides: [2, 2] }))).toEqual([8, 14, 14, 32]);
    expect(tfNnPoolShape([8, 7, 7, 32], [2, 2], opts(2, { strides: [2, 2] }))).toEqual([8, 4, 4, 32]);
    expect(tfNnPoolShape([8, 7, 7, 32], [2, 2], opts(2, { strides: [2, 2], padding: 'VALID' }))).toEqual([8, 3, 3, 32]);
    expect(tfNnPoolShape([2, 16, 14, 14], [2, 2], opts(2, { strides: [2, 2], padding: 'VALID', channelsFirst: true }))).toEqual([2, 16, 7, 7]);
  });
});

describe('tf.matmul', () => {
  it('multiplies matrices, with transposes and broadcast batch dims', () => {
    expect(tfMatmulShape([8, 784], [784, 10])).toEqual([8, 10]);
    expect(tfMatmulShape([4, 10, 48], [4, 10, 48], false, true)).toEqual([4, 10, 10]);
    expect(tfMatmulShape([5, 3], [4, 5], true, true)).toEqual([3, 4]);
    expect(tfMatmulShape([2, 1, 3, 4], [6, 4, 5])).toEqual([2, 6, 3, 5]);
  });
  it('inner-dimension mismatch is DL401 with TF\'s message', () => {
    expect(codeOf(() => tfMatmulShape([8, 512], [256, 10]))).toBe('DL401');
    expect(() => tfMatmulShape([8, 512], [256, 10])).toThrow(/Matrix size-incompatible: In\[0\]: \[8, 512\], In\[1\]: \[256, 10\]/);
  });
  it('does not promote vectors (rank < 2 is an error)', () => {
    expect(codeOf(() => tfMatmulShape([784], [784, 10]))).toBe('DL406');
  });
  it('a symbolic batch passes through', () => {
    expect(formatShape(tfMatmulShape([sym('None'), 784], [784, 10]))).toBe('[None, 10]');
  });
});

describe('embedding_lookup and bias_add', () => {
  it('embedding_lookup gives ids.shape + params.shape[1:]', () => {
    expect(embeddingLookupShape([10000, 64], [8, 50])).toEqual([8, 50, 64]);
    expect(embeddingLookupShape([10000, 64], [])).toEqual([64]);
  });
  it('bias_add checks the channel dim', () => {
    expect(biasAddShape([8, 14, 14, 32], [32], false)).toEqual([8, 14, 14, 32]);
    expect(biasAddShape([8, 32, 14, 14], [32], true)).toEqual([8, 32, 14, 14]);
    expect(codeOf(() => biasAddShape([8, 14, 14, 32], [64], false))).toBe('DL402');
  });
});
