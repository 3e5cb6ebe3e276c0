// Flatten / Reshape / Permute / RepeatVector and the UpSampling / ZeroPadding / Cropping families.
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../../src/core/frameworks/spec';
import { run, t } from './helpers';

describe('reshaping', () => {
  it('Flatten multiplies the non-batch axes', () => {
    expect(run('Flatten', [], {}, [t(5, 5, 64)]).shape).toEqual([null, 1600]);
  });
  it('Reshape resolves one -1 and rejects a size mismatch', () => {
    expect(run('Reshape', [[7, 7, 256]], {}, [t(12544)]).shape).toEqual([null, 7, 7, 256]);
    expect(run('Reshape', [[-1, 16]], {}, [t(8, 8)]).shape).toEqual([null, 4, 16]);
    expect(() => run('Reshape', [[5, 5]], {}, [t(24)])).toThrow(ShapeError);
    expect(() => run('Reshape', [[-1, 5]], {}, [t(24)])).toThrow(ShapeError);
  });
  it('Permute uses 1-based dims', () => {
    expect(run('Permute', [[2, 1]], {}, [t(10, 64)]).shape).toEqual([null, 64, 10]);
    expect(() => run('Permute', [[0, 1]], {}, [t(10, 64)])).toThrow(ShapeError);
  });
  it('RepeatVector inserts the repeat axis', () => {
    expect(run('RepeatVector', [30], {}, [t(32)]).shape).toEqual([null, 30, 32]);
    expect(() => run('RepeatVector', [3], {}, [t(3, 3)])).toThrow(ShapeError);
  });
});

describe('spatial resizing layers', () => {
  it('UpSampling multiplies by size (channels_last and channels_first)', () => {
    expect(run('UpSampling2D', [], {}, [t(7, 7, 64)]).shape).toEqual([null, 14, 14, 64]);
    expect(run('UpSampling2D', [[2, 3]], { data_format: 'channels_first' }, [t(4, 7, 7)]).shape).toEqual([null, 4, 14, 21]);
    expect(run('UpSampling1D', [3], {}, [t(10, 2)]).shape).toEqual([null, 30, 2]);
    expect(run('UpSampling3D', [], {}, [t(2, 2, 2, 1)]).shape).toEqual([null, 4, 4, 4, 1]);
  });
  it('ZeroPadding accepts int, (h, w) and ((t, b), (l, r))', () => {
    expect(run('ZeroPadding2D', [3], {}, [t(224, 224, 3)]).shape).toEqual([null, 230, 230, 3]);
    expect(run('ZeroPadding2D', [[[0, 1], [0, 1]]], {}, [t(112, 112, 32)]).shape).toEqual([null, 113, 113, 32]);
    expect(run('ZeroPadding2D', [], {}, [t(5, 5, 1)]).shape).toEqual([null, 7, 7, 1]);
    expect(run('ZeroPadding1D', [[1, 2]], {}, [t(10, 4)]).shape).toEqual([null, 13, 4]);
    expect(run('ZeroPadding3D', [1], { data_format: 'channels_first' }, [t(2, 4, 4, 4)]).shape).toEqual([null, 2, 6, 6, 6]);
  });
  it('Cropping subtracts and rejects cropping everything', () => {
    expect(run('Cropping2D', [[[2, 2], [4, 4]]], {}, [t(28, 28, 3)]).shape).toEqual([null, 24, 20, 3]);
    expect(run('Cropping1D', [], {}, [t(10, 4)]).shape).toEqual([null, 8, 4]);
    expect(() => run('Cropping2D', [5], {}, [t(10, 10, 3)])).toThrow(ShapeError);
  });
});
