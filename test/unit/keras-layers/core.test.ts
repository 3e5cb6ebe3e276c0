// Dense / EinsumDense / Embedding and the shape-only core layers.
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../../src/core/frameworks/spec';
import { analyzeEinsum } from '../../../src/core/frameworks/keras/layers/core';
import { NONE_BATCH, list, run, shapes, t, tensor, int } from './helpers';
import { sym } from '../../../src/core/shapes/dim';

describe('Dense', () => {
  // keras.io Dense: kernel (input_dim, units) + bias (units,).
  it('counts in·units + units and maps the last axis', () => {
    const r = run('Dense', [128], { activation: 'relu' }, [t(784)]);
    expect(r.shape).toEqual([null, 128]);
    expect(r.params).toEqual({ trainable: 100480, nonTrainable: 0 });
  });
  it('drops the bias with use_bias=False and works on rank-3 inputs', () => {
    const r = run('Dense', [16], { use_bias: false }, [t(10, 32)]);
    expect(r.shape).toEqual([null, 10, 16]);
    expect(r.params.trainable).toBe(512);
  });
  it('keeps a symbolic batch and reports unknown params when features are unknown', () => {
    const r = run('Dense', [8], {}, [tensor([sym('B'), sym('F')])]);
    expect(r.shape).toEqual(['B', 8]);
    expect(r.params.trainable).toBeNull();
  });
  it('rejects a rank-1 input', () => {
    expect(() => run('Dense', [8], {}, [tensor([NONE_BATCH])])).toThrow(ShapeError);
  });
});

describe('EinsumDense', () => {
  // keras.io EinsumDense examples: "ab,bc->ac" output_shape=64 on (None, 32): kernel (32, 64), bias 'c'.
  it('reads ab,bc->ac like a Dense', () => {
    const r = run('EinsumDense', ['ab,bc->ac'], { output_shape: 64, bias_axes: 'c' }, [t(32)]);
    expect(r.shape).toEqual([null, 64]);
    expect(r.params.trainable).toBe(32 * 64 + 64);
  });
  it('reads abc,cd->abd over a sequence (bias on d)', () => {
    const r = run('EinsumDense', ['abc,cd->abd'], { output_shape: [null, 64], bias_axes: 'd' }, [t(32, 128)]);
    expect(r.shape).toEqual([null, 32, 64]);
    expect(r.params.trainable).toBe(128 * 64 + 64);
  });
  it('reads the attention projection abc,cde->abde and the elided ...b,bc->...c', () => {
    const e = analyzeEinsum('abc,cde->abde', [null as never, 8, 16].slice(1), [NONE_BATCH, 10, 64], 'de');
    expect(e.kernel).toEqual([64, 8, 16]);
    expect(e.bias).toEqual([8, 16]);
    const r = run('EinsumDense', ['...b,bc->...c'], { output_shape: 64 }, [t(7, 5, 32)]);
    expect(r.shape).toEqual([null, 7, 5, 64]);
    expect(r.params.trainable).toBe(32 * 64);
  });
  it('rejects a rank that does not match the equation', () => {
    expect(() => run('EinsumDense', ['ab,bc->ac'], { output_shape: 4 }, [t(3, 3)])).toThrow(ShapeError);
  });
});

describe('Embedding', () => {
  // keras.io Embedding: embeddings matrix (input_dim, output_dim).
  it('appends output_dim and counts input_dim·output_dim', () => {
    const r = run('Embedding', [15000, 64], {}, [tensor([NONE_BATCH, 200], 'int32')]);
    expect(r.shape).toEqual([null, 200, 64]);
    expect(r.params.trainable).toBe(960000);
  });
  it('accepts the Keras 2 input_length keyword', () => {
    const r = run('Embedding', [1000, 8], { input_length: 10 }, [tensor([NONE_BATCH, 10], 'int32')]);
    expect(r.params.trainable).toBe(8000);
  });
});

describe('shape-only core layers', () => {
  it('Activation, Masking, Identity keep the shape with no params', () => {
    for (const [name, pos] of [['Activation', ['relu']], ['Masking', []], ['Identity', []]] as const) {
      const r = run(name, [...pos], {}, [t(5, 3)]);
      expect(r.shape).toEqual([null, 5, 3]);
      expect(r.params).toEqual({ trainable: 0, nonTrainable: 0 });
    }
  });
  it('Lambda is unknown unless output_shape is given', () => {
    expect(run('Lambda', [int(0)], {}, [t(4)]).out.k).toBe('unknown');
    expect(run('Lambda', [int(0)], { output_shape: [2, 2] }, [t(4)]).shape).toEqual([null, 2, 2]);
  });
  it('shapes() helper reads list outputs', () => {
    expect(shapes(list([t(1)]))).toEqual([[null, 1]]);
  });
});
