// Symbolic and unknown sizes through the torch.nn specs: a symbolic batch `B` (or length
// `T`, height `H`) flows through unchanged, nothing throws on what is not provably wrong,
// and MACs are null when they depend on a symbol.

import { describe, expect, it } from 'vitest';
import { type Dim, UNKNOWN_DIM, formatDim, formatShape, mulDims, sym } from '../../../src/core/shapes/dim';
import { type Value, int, tensor, unknown } from '../../../src/core/eval/values';
import { describe as describeValue, run, runValues, shapeOf } from './helpers';

const B = sym('B');
const T = sym('T');
const H = sym('H');
const W = sym('W');
const t = (...shape: Dim[]): Value => tensor(shape);
const first = (v: Value) => formatDim(shapeOf(v)![0]);

describe('symbolic batch dims', () => {
  it('Conv2d keeps B and computes the spatial size symbolically', () => {
    const r = run('Conv2d', [3, 64, 7], { stride: 2, padding: 3 }, [t(B, 3, H, W)]);
    expect(first(r.output)).toBe('B');
    expect(formatShape(shapeOf(r.output))).toBe('[B, 64, ⌊(H + 1)/2⌋, ⌊(W + 1)/2⌋]');
    expect(r.params).toBe(9472);
    expect(r.macs).toBeNull();
  });

  it("Conv1d padding='same' keeps the symbolic length", () => {
    const r = run('Conv1d', [16, 32, 5], { padding: 'same' }, [t(B, 16, T)]);
    expect(describeValue(r.output)).toEqual(['B', 32, 'T']);
  });

  it('Linear, Embedding and LayerNorm keep B and T', () => {
    expect(describeValue(run('Linear', [512, 10], {}, [t(B, T, 512)]).output)).toEqual(['B', 'T', 10]);
    expect(describeValue(run('Embedding', [1000, 64], {}, [tensor([B, T], 'int64')]).output)).toEqual(['B', 'T', 64]);
    expect(describeValue(run('LayerNorm', [64], {}, [t(B, T, 64)]).output)).toEqual(['B', 'T', 64]);
  });

  it('pooling and Flatten stay exact on symbols', () => {
    const pooled = run('MaxPool2d', [2], {}, [t(B, 8, H, 32)]).output;
    expect(formatShape(shapeOf(pooled))).toBe('[B, 8, ⌊H/2⌋, 16]');
    expect(describeValue(run('AdaptiveAvgPool2d', [[1, 1]], {}, [t(B, 512, H, W)]).output)).toEqual(['B', 512, 1, 1]);
    expect(describeValue(run('Flatten', [], {}, [t(B, 512, 7, 7)]).output)).toEqual(['B', 25088]);
    expect(describeValue(run('Flatten', [], {}, [t(B, 8, H, 2)]).output)).toEqual(['B', '16H']);
  });

  it('Upsample by 1.5 floors a symbolic size exactly', () => {
    const r = run('Upsample', [], { scale_factor: { f: 1.5 }, mode: 'bilinear' }, [t(B, 3, H, 8)]);
    expect(formatShape(shapeOf(r.output))).toBe('[B, 3, H + ⌊H/2⌋, 12]');
  });

  it('LSTM with batch_first keeps B and T in their places', () => {
    const r = run('LSTM', [10, 20], { batch_first: true, bidirectional: true, num_layers: 2 }, [t(B, T, 10)]);
    expect(describeValue(r.output)).toEqual({ t: [['B', 'T', 40], { t: [[4, 'B', 20], [4, 'B', 20]] }] });
  });

  it('MultiheadAttention with a symbolic batch and lengths', () => {
    const S = sym('S');
    const r = run('MultiheadAttention', [64, 8], { batch_first: true, add_bias_kv: true }, [t(B, T, 64), t(B, S, 64), t(B, S, 64)]);
    expect(describeValue(r.output)).toEqual({ t: [['B', 'T', 64], ['B', 'T', 'S + 1']] });
  });

  it('a symbolic constructor argument gives symbolic sizes and unknown params, never an error', () => {
    const C = sym('C');
    const r = runValues('Conv2d', [int(C), int(mulDims(2, C)), int(3)], { padding: int(1) }, [t(B, C, 8, 8)]);
    expect(describeValue(r.output)).toEqual(['B', '2C', 8, 8]);
    expect(r.params).toBeNull();
    expect(r.macs).toBeNull();
  });
});

describe('unknown inputs', () => {
  it('an Unknown input stays Unknown with its reason', () => {
    const why = unknown('from a file we could not read');
    expect(run('Conv2d', [3, 8, 3], {}, [why]).output).toBe(why);
  });

  it('a tensor of unknown rank gives a tensor of unknown rank', () => {
    const r = run('Linear', [10, 5], {}, [tensor(null)]);
    expect(r.output).toMatchObject({ k: 'tensor', shape: null });
    const lstm = run('LSTM', [10, 5], {}, [tensor(null)]);
    expect(lstm.output.k).toBe('tuple');
  });

  it('unknown dims never raise a mismatch', () => {
    expect(() => run('Linear', [784, 10], {}, [t(4, UNKNOWN_DIM)])).not.toThrow();
    expect(() => run('Conv2d', [3, 8, 3], {}, [t(B, UNKNOWN_DIM, 32, 32)])).not.toThrow();
    expect(() => run('BatchNorm2d', [64], {}, [t(B, sym('C'), 8, 8)])).not.toThrow();
  });
});
