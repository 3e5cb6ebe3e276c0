// Pooling (strides default to pool_size; TF 'valid'/'same'), global pooling, normalisation
// weights (BatchNormalization's non-trainable moving statistics) and dropout/noise layers.
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../../src/core/frameworks/spec';
import { run, t } from './helpers';

describe('pooling', () => {
  it('MaxPooling2D: floor((in - pool)/stride) + 1, stride = pool_size', () => {
    expect(run('MaxPooling2D', [[2, 2]], {}, [t(11, 11, 64)]).shape).toEqual([null, 5, 5, 64]);
    expect(run('MaxPooling2D', [], { padding: 'same' }, [t(11, 11, 64)]).shape).toEqual([null, 6, 6, 64]);
    expect(run('MaxPooling2D', [3, 2], {}, [t(112, 112, 64)]).shape).toEqual([null, 55, 55, 64]);
  });
  it('AveragePooling1D/3D and channels_first', () => {
    expect(run('AveragePooling1D', [2], {}, [t(196, 64)]).shape).toEqual([null, 98, 64]);
    expect(run('AveragePooling3D', [], {}, [t(8, 8, 8, 4)]).shape).toEqual([null, 4, 4, 4, 4]);
    expect(run('MaxPooling2D', [], { data_format: 'channels_first' }, [t(16, 32, 32)]).shape).toEqual([null, 16, 16, 16]);
  });
  it('a window larger than the input is an error', () => {
    expect(() => run('MaxPooling2D', [4], {}, [t(2, 2, 3)])).toThrow(ShapeError);
  });
  it('global pooling drops the spatial axes unless keepdims', () => {
    expect(run('GlobalAveragePooling2D', [], {}, [t(7, 7, 2048)]).shape).toEqual([null, 2048]);
    expect(run('GlobalMaxPooling1D', [], { keepdims: true }, [t(47, 64)]).shape).toEqual([null, 1, 64]);
    expect(run('GlobalAveragePooling3D', [], { data_format: 'channels_first' }, [t(8, 4, 4, 4)]).shape).toEqual([null, 8]);
    expect(run('GlobalMaxPooling2D', [], {}, [t(7, 7, 3)]).params.trainable).toBe(0);
  });
});

describe('BatchNormalization', () => {
  // keras.io BatchNormalization: gamma, beta trainable; moving_mean, moving_variance non-trainable.
  it('2·C trainable + 2·C non-trainable on the last axis', () => {
    const r = run('BatchNormalization', [], {}, [t(32, 32, 32)]);
    expect(r.shape).toEqual([null, 32, 32, 32]);
    expect(r.params).toEqual({ trainable: 64, nonTrainable: 64 });
  });
  it('axis=1 for channels_first, and scale/center flags', () => {
    expect(run('BatchNormalization', [], { axis: 1 }, [t(16, 8, 8)]).params).toEqual({ trainable: 32, nonTrainable: 32 });
    expect(run('BatchNormalization', [], { scale: false }, [t(10)]).params).toEqual({ trainable: 10, nonTrainable: 20 });
  });
  it('an out-of-range axis is an error', () => {
    expect(() => run('BatchNormalization', [], { axis: 3 }, [t(10)])).toThrow(ShapeError);
  });
  // batch_normalization.py build(): renorm=True adds moving_stddev, renorm_mean and renorm_stddev,
  // each of the channels' shape and not trainable.
  it('renorm=True adds three non-trainable vectors of C', () => {
    expect(run('BatchNormalization', [], { renorm: true }, [t(8, 8, 16)]).params).toEqual({ trainable: 32, nonTrainable: 80 });
  });
});

describe('Layer/Group/Unit normalisation', () => {
  it('LayerNormalization: gamma + beta over the last axis (rms_scaling: gamma only)', () => {
    expect(run('LayerNormalization', [], {}, [t(64, 128)]).params.trainable).toBe(256);
    expect(run('LayerNormalization', [], { rms_scaling: true }, [t(64, 128)]).params.trainable).toBe(128);
    expect(run('LayerNormalization', [], { axis: [1, 2] }, [t(4, 8)]).params.trainable).toBe(64);
  });
  it('GroupNormalization: 2·C, channels divisible by groups', () => {
    expect(run('GroupNormalization', [8], {}, [t(16, 16, 64)]).params.trainable).toBe(128);
    expect(() => run('GroupNormalization', [], {}, [t(16, 16, 48)])).toThrow(ShapeError);
  });
  it('UnitNormalization has no weights', () => {
    expect(run('UnitNormalization', [], {}, [t(8)]).params.trainable).toBe(0);
  });
});

describe('dropout and noise', () => {
  it('keep the shape with no weights', () => {
    for (const name of ['Dropout', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout']) {
      const r = run(name, [0.2], {}, [t(5, 7)]);
      expect(r.shape).toEqual([null, 5, 7]);
      expect(r.params).toEqual({ trainable: 0, nonTrainable: 0 });
    }
    expect(run('SpatialDropout2D', [0.1], {}, [t(8, 8, 3)]).shape).toEqual([null, 8, 8, 3]);
  });
  it('SpatialDropout1D requires a 3-D input', () => {
    expect(() => run('SpatialDropout1D', [0.1], {}, [t(8, 8, 3)])).toThrow(ShapeError);
  });
});
