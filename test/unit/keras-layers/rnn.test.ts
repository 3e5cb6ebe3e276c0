// Recurrent layers and wrappers. Keras formulas differ from PyTorch: one LSTM bias per
// gate (torch has b_ih and b_hh), GRU reset_after=True keeps two biases.
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../../src/core/frameworks/spec';
import { instance, list, run, shapes, t } from './helpers';

describe('SimpleRNN / LSTM / GRU', () => {
  it('SimpleRNN: units·(in + units) + units', () => {
    const r = run('SimpleRNN', [32], {}, [t(10, 16)]);
    expect(r.shape).toEqual([null, 32]);
    expect(r.params.trainable).toBe(32 * 48 + 32);
  });
  // keras LSTMCell.build: kernel (in, 4u), recurrent_kernel (u, 4u), bias (4u,).
  it('LSTM: 4·(units·(in + units) + units), return_sequences keeps time', () => {
    const r = run('LSTM', [64], { return_sequences: true }, [t(30, 8)]);
    expect(r.shape).toEqual([null, 30, 64]);
    expect(r.params.trainable).toBe(18688);
    expect(run('LSTM', [16], {}, [t(30, 32)]).params.trainable).toBe(3136);
  });
  it('LSTM return_state gives [output, h, c]', () => {
    const r = run('LSTM', [20], { return_state: true, return_sequences: true }, [t(7, 5)]);
    expect(r.out.k).toBe('list');
    expect(shapes(r.out)).toEqual([[null, 7, 20], [null, 20], [null, 20]]);
  });
  // keras GRUCell.build: bias shape (2, 3u) when reset_after else (3u,).
  it('GRU reset_after=True (default): 3·(units·(in + units) + 2·units)', () => {
    expect(run('GRU', [32], {}, [t(10, 16)]).params.trainable).toBe(3 * (32 * 48 + 2 * 32));
  });
  it('GRU reset_after=False: 3·(units·(in + units) + units)', () => {
    expect(run('GRU', [32], { reset_after: false }, [t(10, 16)]).params.trainable).toBe(3 * (32 * 48 + 32));
    expect(shapes(run('GRU', [8], { return_state: true }, [t(10, 16)]).out)).toEqual([[null, 8], [null, 8]]);
  });
  it('rejects non-sequence inputs', () => {
    expect(() => run('LSTM', [8], {}, [t(16)])).toThrow(ShapeError);
  });
});

describe('ConvLSTM2D', () => {
  it('4·(k·k·in·f + k·k·f·f + f); output frames by conv arithmetic', () => {
    const r = run('ConvLSTM2D', [40, [3, 3]], { padding: 'same', return_sequences: true }, [t(10, 40, 40, 1)]);
    expect(r.shape).toEqual([null, 10, 40, 40, 40]);
    expect(r.params.trainable).toBe(4 * (9 * 1 * 40 + 9 * 40 * 40 + 40));
    expect(run('ConvLSTM2D', [8, 3], {}, [t(5, 16, 16, 3)]).shape).toEqual([null, 14, 14, 8]);
  });
});

describe('Bidirectional', () => {
  it('concat doubles the features and the params', () => {
    const r = run('Bidirectional', [instance('LSTM', [64], { return_sequences: true })], {}, [t(100, 128)]);
    expect(r.shape).toEqual([null, 100, 128]);
    expect(r.params.trainable).toBe(2 * 4 * (64 * 192 + 64));
  });
  it('sum/ave keep the features; None returns both directions', () => {
    expect(run('Bidirectional', [instance('GRU', [10])], { merge_mode: 'sum' }, [t(5, 4)]).shape).toEqual([null, 10]);
    expect(shapes(run('Bidirectional', [instance('GRU', [10])], { merge_mode: null }, [t(5, 4)]).out)).toEqual([[null, 10], [null, 10]]);
  });
  it('return_state appends forward then backward states', () => {
    const r = run('Bidirectional', [instance('LSTM', [8], { return_state: true })], {}, [t(5, 4)]);
    expect(shapes(r.out)).toEqual([[null, 16], [null, 8], [null, 8], [null, 8], [null, 8]]);
  });
  it('backward_layer counts both layers', () => {
    const r = run('Bidirectional', [instance('LSTM', [8])], { backward_layer: instance('GRU', [8]) }, [t(5, 4)]);
    expect(r.params.trainable).toBe(4 * (8 * 12 + 8) + 3 * (8 * 12 + 16));
    expect(r.shape).toEqual([null, 16]);
  });
});

describe('TimeDistributed', () => {
  it('applies the wrapped layer per time step', () => {
    const r = run('TimeDistributed', [instance('Dense', [10])], {}, [t(5, 32)]);
    expect(r.shape).toEqual([null, 5, 10]);
    expect(r.params.trainable).toBe(330);
    const c = run('TimeDistributed', [instance('Conv2D', [16, 3])], {}, [t(10, 28, 28, 1)]);
    expect(c.shape).toEqual([null, 10, 26, 26, 16]);
    expect(c.params.trainable).toBe(160);
  });
  it('needs a time axis', () => {
    expect(() => run('TimeDistributed', [instance('Dense', [10])], {}, [t(32)])).toThrow(ShapeError);
  });
});

// keras.layers.RNN runs cells; their weights are the layers' of the same kind (keras.io RNN,
// LSTMCell / GRUCell / SimpleRNNCell build the same kernel, recurrent kernel and bias).
describe('RNN over cells', () => {
  it('RNN(LSTMCell(12)) on 16 features: 4·(12·(16 + 12) + 12) = 1,392, last step', () => {
    const r = run('RNN', [instance('LSTMCell', [12])], {}, [t(48, 16)]);
    expect(r.shape).toEqual([null, 12]);
    expect(r.params.trainable).toBe(1392);
  });
  it('a list of cells is stacked: each cell takes the previous units', () => {
    const cells = list([instance('GRUCell', [8]), instance('SimpleRNNCell', [4])]);
    const r = run('RNN', [cells], { return_sequences: true }, [t(10, 6)]);
    expect(r.shape).toEqual([null, 10, 4]);
    // GRUCell reset_after: 3·(8·(6 + 8) + 2·8) = 384; SimpleRNNCell: 4·(8 + 4) + 4 = 52.
    expect(r.params.trainable).toBe(384 + 52);
    const stacked = instance('StackedRNNCells', [cells]);
    expect(run('RNN', [stacked], { return_sequences: true }, [t(10, 6)]).params.trainable).toBe(436);
  });
  it('return_state gives every cell\'s states after the output', () => {
    const r = run('RNN', [instance('LSTMCell', [5])], { return_state: true }, [t(7, 3)]);
    expect(shapes(r.out)).toEqual([[null, 5], [null, 5], [null, 5]]);
  });
});
