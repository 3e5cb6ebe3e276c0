// MultiHeadAttention (EinsumDense projections), Attention / AdditiveAttention, merge layers.
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../../src/core/frameworks/spec';
import { list, run, shapes, t, tuple } from './helpers';

describe('MultiHeadAttention', () => {
  // keras.io example: MultiHeadAttention(num_heads=2, key_dim=2), target (None, 8, 16), source (None, 4, 16).
  it('q/k/v kernels dim·H·kd + biases H·kd, output H·vd·dim + dim', () => {
    const r = run('MultiHeadAttention', [], { num_heads: 2, key_dim: 2 }, [t(8, 16), t(4, 16)], { return_attention_scores: true });
    expect(shapes(r.out)).toEqual([[null, 8, 16], [null, 2, 8, 4]]);
    expect(r.params.trainable).toBe(3 * (16 * 2 * 2 + 4) + (2 * 2 * 16 + 16));
  });
  it('self-attention of a transformer block: 4·(d·d + d) when H·kd = d', () => {
    const r = run('MultiHeadAttention', [4, 32], {}, [t(64, 128), t(64, 128)]);
    expect(r.shape).toEqual([null, 64, 128]);
    expect(r.params.trainable).toBe(4 * (128 * 128 + 128));
  });
  it('value_dim, output_shape and use_bias=False', () => {
    const r = run('MultiHeadAttention', [2, 8], { value_dim: 4, output_shape: 10, use_bias: false }, [t(5, 6), t(7, 3)]);
    expect(r.shape).toEqual([null, 5, 10]);
    expect(r.params.trainable).toBe(6 * 16 + 3 * 16 + 3 * 8 + 8 * 10);
  });
  it('key and value lengths must agree', () => {
    const spec = () => run('MultiHeadAttention', [2, 8], {}, [t(5, 6), t(7, 6), t(8, 6)]);
    expect(spec).toThrow(ShapeError);
  });
});

describe('Attention / AdditiveAttention', () => {
  it('output (batch, Tq, value dim); use_scale adds one weight', () => {
    const r = run('Attention', [], {}, [list([t(10, 32), t(20, 32)])]);
    expect(r.shape).toEqual([null, 10, 32]);
    expect(r.params.trainable).toBe(0);
    expect(run('Attention', [true], {}, [list([t(10, 32), t(20, 32)])]).params.trainable).toBe(1);
  });
  it('AdditiveAttention learns a scale per query feature', () => {
    expect(run('AdditiveAttention', [], {}, [list([t(10, 32), t(20, 32)])]).params.trainable).toBe(32);
  });
  it('query/key feature mismatch is an error', () => {
    expect(() => run('Attention', [], {}, [list([t(10, 16), t(20, 32)])])).toThrow(ShapeError);
  });
});

describe('merge layers', () => {
  it('Add / Multiply / Average keep the shape; broadcast 1', () => {
    expect(run('Add', [], {}, [list([t(8, 8, 64), t(8, 8, 64)])]).shape).toEqual([null, 8, 8, 64]);
    expect(run('Multiply', [], {}, [list([t(8, 8, 64), t(1, 1, 64)])]).shape).toEqual([null, 8, 8, 64]);
    expect(run('Average', [], {}, [tuple([t(4), t(4), t(4)])]).shape).toEqual([null, 4]);
  });
  it('Add with different channel counts is an error', () => {
    expect(() => run('Add', [], {}, [list([t(8, 8, 64), t(8, 8, 32)])])).toThrow(ShapeError);
  });
  it('Subtract takes exactly two inputs', () => {
    expect(() => run('Subtract', [], {}, [list([t(4), t(4), t(4)])])).toThrow(ShapeError);
    expect(run('Subtract', [], {}, [list([t(4), t(4)])]).shape).toEqual([null, 4]);
  });
  it('Concatenate sums the axis and checks the others', () => {
    expect(run('Concatenate', [], {}, [list([t(64), t(16)])]).shape).toEqual([null, 80]);
    expect(run('Concatenate', [], { axis: 1 }, [list([t(3, 5), t(4, 5)])]).shape).toEqual([null, 7, 5]);
    expect(() => run('Concatenate', [], {}, [list([t(3, 5), t(4, 5)])])).toThrow(ShapeError);
  });
  it('Dot over axes', () => {
    expect(run('Dot', [1], {}, [list([t(32), t(32)])]).shape).toEqual([null, 1]);
    expect(run('Dot', [[2, 2]], {}, [list([t(10, 32), t(20, 32)])]).shape).toEqual([null, 10, 20]);
    expect(() => run('Dot', [1], {}, [list([t(32), t(16)])])).toThrow(ShapeError);
  });
});
