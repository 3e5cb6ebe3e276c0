// Convolutions: Keras kernel shapes (k..., in/groups, filters) and TF padding arithmetic.
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../../src/core/frameworks/spec';
import { sym } from '../../../src/core/shapes/dim';
import { run, t, tensor, NONE_BATCH } from './helpers';

describe('Conv2D', () => {
  // keras.io "Simple MNIST convnet": Conv2D(32, (3,3)) on (28,28,1) -> (26,26,32), 320 params.
  it('valid padding: out = in - k + 1; params k·k·in·filters + filters', () => {
    const r = run('Conv2D', [32, [3, 3]], { activation: 'relu' }, [t(28, 28, 1)]);
    expect(r.shape).toEqual([null, 26, 26, 32]);
    expect(r.params.trainable).toBe(320);
  });
  it("'same' with strides: out = ceil(in / s)", () => {
    expect(run('Conv2D', [64, 3], { strides: 2, padding: 'same' }, [t(225, 225, 3)]).shape).toEqual([null, 113, 113, 64]);
    // 'valid' with strides: ceil((in - k + 1) / s) = ceil(223/2) = 112
    expect(run('Conv2D', [64, 3, 2], {}, [t(225, 225, 3)]).shape).toEqual([null, 112, 112, 64]);
  });
  it('positional strides and padding follow the Keras 3 order', () => {
    const r = run('Conv2D', [16, 5, 1, 'same'], {}, [t(32, 32, 3)]);
    expect(r.shape).toEqual([null, 32, 32, 16]);
    expect(r.params.trainable).toBe(5 * 5 * 3 * 16 + 16);
  });
  it('dilation: effective kernel d(k-1)+1', () => {
    expect(run('Conv2D', [8, 3], { dilation_rate: 2 }, [t(32, 32, 3)]).shape).toEqual([null, 28, 28, 8]);
  });
  it('groups divide the kernel input channels', () => {
    expect(run('Conv2D', [64, 3], { groups: 4, use_bias: false }, [t(8, 8, 32)]).params.trainable).toBe(9 * 8 * 64);
    expect(() => run('Conv2D', [64, 3], { groups: 5 }, [t(8, 8, 32)])).toThrow(ShapeError);
  });
  it("channels_first reads (batch, C, H, W)", () => {
    const r = run('Conv2D', [32, 3], { data_format: 'channels_first' }, [t(3, 32, 32)]);
    expect(r.shape).toEqual([null, 32, 30, 30]);
    expect(r.params.trainable).toBe(9 * 3 * 32 + 32);
  });
  it('keeps a symbolic spatial size', () => {
    const r = run('Conv2D', [8, 3], { padding: 'same' }, [tensor([NONE_BATCH, sym('H'), sym('W'), 3])]);
    expect(r.shape).toEqual([null, 'H', 'W', 8]);
  });
  it('rejects a wrong rank and a kernel larger than the input', () => {
    expect(() => run('Conv2D', [8, 3], {}, [t(28, 28)])).toThrow(ShapeError);
    expect(() => run('Conv2D', [8, 5], {}, [t(3, 3, 1)])).toThrow(ShapeError);
  });
});

describe('Conv1D / Conv3D', () => {
  it("Conv1D 'causal' keeps the length; valid with stride", () => {
    expect(run('Conv1D', [64, 5], { padding: 'causal' }, [t(100, 8)]).shape).toEqual([null, 100, 64]);
    const r = run('Conv1D', [64, 5], { strides: 2 }, [t(98, 64)]);
    expect(r.shape).toEqual([null, 47, 64]);
    expect(r.params.trainable).toBe(20544);
  });
  it('Conv3D counts k³·in·filters + filters', () => {
    const r = run('Conv3D', [16, 3], {}, [t(10, 10, 10, 2)]);
    expect(r.shape).toEqual([null, 8, 8, 8, 16]);
    expect(r.params.trainable).toBe(27 * 2 * 16 + 16);
  });
});

describe('Conv2DTranspose', () => {
  // TF conv_utils.deconv_output_length: 'same' -> in·s; 'valid' -> in·s + max(k - s, 0).
  it("'same' with strides multiplies the size", () => {
    const r = run('Conv2DTranspose', [64, 4], { strides: 2, padding: 'same' }, [t(7, 7, 128)]);
    expect(r.shape).toEqual([null, 14, 14, 64]);
    expect(r.params.trainable).toBe(4 * 4 * 128 * 64 + 64);
  });
  it("'valid' with strides: (in-1)·s + max(k, s)", () => {
    expect(run('Conv2DTranspose', [32, 3], { strides: 2 }, [t(7, 7, 64)]).shape).toEqual([null, 15, 15, 32]);
    expect(run('Conv2DTranspose', [32, 2], { strides: 2 }, [t(7, 7, 64)]).shape).toEqual([null, 14, 14, 32]);
    expect(run('Conv2DTranspose', [32, 1], { strides: 2 }, [t(7, 7, 64)]).shape).toEqual([null, 14, 14, 32]);
  });
  it('output_padding is honoured', () => {
    expect(run('Conv2DTranspose', [8, 3], { strides: 2, padding: 'same', output_padding: 1 }, [t(7, 7, 4)]).shape).toEqual([null, 14, 14, 8]);
  });
  it('Conv1DTranspose / Conv3DTranspose share the arithmetic', () => {
    expect(run('Conv1DTranspose', [8, 3], { strides: 2, padding: 'same' }, [t(50, 4)]).shape).toEqual([null, 100, 8]);
    expect(run('Conv3DTranspose', [8, 2], { strides: 2 }, [t(4, 4, 4, 2)]).params.trainable).toBe(8 * 2 * 8 + 8);
  });
});

describe('SeparableConv2D / DepthwiseConv2D', () => {
  // keras.io SeparableConv2D: depthwise (k, k, in, dm) + pointwise (1, 1, in·dm, filters) + bias (filters).
  it('separable: k·k·in·dm + in·dm·filters + filters', () => {
    const r = run('SeparableConv2D', [128, 3], { padding: 'same' }, [t(8, 8, 64)]);
    expect(r.shape).toEqual([null, 8, 8, 128]);
    expect(r.params.trainable).toBe(9 * 64 + 64 * 128 + 128);
    expect(run('SeparableConv2D', [128, 3], { depth_multiplier: 2, use_bias: false }, [t(8, 8, 64)]).params.trainable).toBe(9 * 64 * 2 + 64 * 2 * 128);
  });
  it('SeparableConv1D', () => {
    expect(run('SeparableConv1D', [16, 3], {}, [t(20, 4)]).params.trainable).toBe(3 * 4 + 4 * 16 + 16);
  });
  // keras.io DepthwiseConv2D: kernel (k, k, in, dm) + bias (in·dm); output channels in·dm.
  it('depthwise: k·k·in·dm + in·dm, channels multiplied', () => {
    const r = run('DepthwiseConv2D', [3], { strides: 2, padding: 'same', depth_multiplier: 2 }, [t(112, 112, 32)]);
    expect(r.shape).toEqual([null, 56, 56, 64]);
    expect(r.params.trainable).toBe(9 * 32 * 2 + 64);
    expect(run('DepthwiseConv2D', [3], { use_bias: false }, [t(10, 10, 32)]).params.trainable).toBe(288);
  });
  it('DepthwiseConv1D', () => {
    const r = run('DepthwiseConv1D', [5], {}, [t(20, 4)]);
    expect(r.shape).toEqual([null, 16, 4]);
    expect(r.params.trainable).toBe(5 * 4 + 4);
  });
});
