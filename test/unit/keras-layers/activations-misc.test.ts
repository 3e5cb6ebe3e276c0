// Activation layers (PReLU weights), preprocessing layers (Normalization statistics),
// Keras auto-naming and the registry itself.
import { describe, expect, it } from 'vitest';
import { KERAS_LAYERS, kerasAutoName, KerasNameCounter } from '../../../src/core/frameworks/keras/layers';
import { run, t, tensor, NONE_BATCH } from './helpers';

describe('activation layers', () => {
  it('ReLU / LeakyReLU / ELU / Softmax have no weights', () => {
    for (const name of ['ReLU', 'LeakyReLU', 'ELU', 'Softmax']) expect(run(name, [], {}, [t(3, 4)]).params.trainable).toBe(0);
  });
  // keras.io PReLU: alpha has the input shape without batch; shared_axes set those axes to 1.
  it('PReLU: one alpha per element, fewer with shared_axes', () => {
    expect(run('PReLU', [], {}, [t(8, 8, 16)]).params.trainable).toBe(1024);
    expect(run('PReLU', [], { shared_axes: [1, 2] }, [t(8, 8, 16)]).params.trainable).toBe(16);
  });
});

describe('preprocessing layers', () => {
  it('Rescaling keeps the shape; Resizing and CenterCrop set height/width', () => {
    expect(run('Rescaling', [1 / 255], {}, [t(28, 28, 1)]).shape).toEqual([null, 28, 28, 1]);
    expect(run('Resizing', [64, 48], {}, [t(128, 128, 3)]).shape).toEqual([null, 64, 48, 3]);
    expect(run('CenterCrop', [24, 24], { data_format: 'channels_first' }, [t(3, 32, 32)]).shape).toEqual([null, 3, 24, 24]);
  });
  it('Normalization: 2·C + 1 non-trainable (mean, variance, count)', () => {
    expect(run('Normalization', [], {}, [t(13)]).params).toEqual({ trainable: 0, nonTrainable: 27 });
    expect(run('Normalization', [], { mean: 0.5, variance: 0.25 }, [t(13)]).params).toEqual({ trainable: 0, nonTrainable: 0 });
  });
  // Keras 3 compute_output_shape: TextVectorization int mode (batch, output_sequence_length);
  // lookups keep the input's shape in int mode, else (batch, vocabulary size); Hashing /
  // CategoryEncoding / Discretization replace the last axis by the bins (one_hot appends
  // them unless it is 1). Lookup tables are no weights: 0 params.
  it('text and categorical encoders: shapes by output_mode, no weights', () => {
    const s = (dims: Array<number | null>) => tensor([NONE_BATCH, ...dims.map((d) => d ?? NONE_BATCH)], 'string');
    const tv = run('TextVectorization', [], { max_tokens: 1000, output_sequence_length: 20 }, [s([1])]);
    expect(tv.shape).toEqual([null, 20]);
    expect(tv.params).toEqual({ trainable: 0, nonTrainable: 0 });
    expect((tv.out as { dtype: string }).dtype).toBe('int64');
    expect(run('TextVectorization', [], {}, [s([1])]).shape).toEqual([null, null]);
    expect(run('TextVectorization', [], { max_tokens: 500, output_mode: 'multi_hot', pad_to_max_tokens: true }, [s([1])]).shape).toEqual([null, 500]);
    expect(run('StringLookup', [], {}, [s([3])]).shape).toEqual([null, 3]);
    // vocabulary of 4 + one OOV index.
    expect(run('StringLookup', [], { vocabulary: ['a', 'b', 'c', 'd'], output_mode: 'one_hot' }, [s([1])]).shape).toEqual([null, 5]);
    expect(run('IntegerLookup', [], {}, [t(1)]).shape).toEqual([null, 1]);
    expect(run('Hashing', [64], {}, [t(1)]).shape).toEqual([null, 1]);
    expect(run('Hashing', [64], { output_mode: 'one_hot' }, [t(1)]).shape).toEqual([null, 64]);
    expect(run('CategoryEncoding', [], { num_tokens: 10 }, [t(3)]).shape).toEqual([null, 10]);
    expect(run('CategoryEncoding', [], { num_tokens: 10, output_mode: 'one_hot' }, [t(3)]).shape).toEqual([null, 3, 10]);
    expect(run('Discretization', [], { bin_boundaries: [0.0, 1.0, 2.0], output_mode: 'one_hot' }, [t(1)]).shape).toEqual([null, 4]);
    expect(run('Discretization', [], { bin_boundaries: [0.0, 1.0] }, [t(5)]).shape).toEqual([null, 5]);
  });
  it('augmentation layers are identities', () => {
    expect(run('RandomFlip', ['horizontal'], {}, [tensor([NONE_BATCH, 32, 32, 3])]).shape).toEqual([null, 32, 32, 3]);
    expect(run('RandomRotation', [0.1], {}, [t(32, 32, 3)]).params.trainable).toBe(0);
  });
});

describe('kerasAutoName', () => {
  // keras/src/utils/naming.py to_snake_case: strip \W, (.)([A-Z][a-z]+) -> \1_\2, ([a-z])([A-Z]) -> \1_\2, lower.
  it.each([
    ['Conv2D', 'conv2d'], ['BatchNormalization', 'batch_normalization'], ['MaxPooling2D', 'max_pooling2d'],
    ['GlobalAveragePooling2D', 'global_average_pooling2d'], ['LSTM', 'lstm'], ['SimpleRNN', 'simple_rnn'],
    ['Conv2DTranspose', 'conv2d_transpose'], ['MultiHeadAttention', 'multi_head_attention'], ['PReLU', 'p_re_lu'],
    ['ReLU', 're_lu'], ['UpSampling2D', 'up_sampling2d'], ['ZeroPadding2D', 'zero_padding2d'], ['EinsumDense', 'einsum_dense'],
    ['DepthwiseConv2D', 'depthwise_conv2d'], ['SeparableConv2D', 'separable_conv2d'], ['ConvLSTM2D', 'conv_lstm2d'],
    ['GRU', 'gru'], ['Dense', 'dense'], ['TimeDistributed', 'time_distributed'], ['ResidualBlock', 'residual_block'],
  ])('%s -> %s', (cls, name) => expect(kerasAutoName(cls)).toBe(name));
  // tf.keras (TensorFlow 2) generic_utils.to_snake_case: (.)([A-Z][a-z0-9]+) -> \1_\2 (digits count as lower case).
  it.each([
    ['ConvLSTM2D', 'conv_lst_m2d'], ['ConvLSTM1D', 'conv_lst_m1d'], ['Conv2D', 'conv2d'], ['Conv2DTranspose', 'conv2d_transpose'],
    ['UpSampling2D', 'up_sampling2d'], ['PReLU', 'p_re_lu'], ['BatchNormalization', 'batch_normalization'], ['LSTM', 'lstm'],
  ])('tf.keras: %s -> %s', (cls, name) => expect(kerasAutoName(cls, true)).toBe(name));
  it('counts per prefix like uniquify', () => {
    const c = new KerasNameCounter();
    expect([c.next('Conv2D'), c.next('Dense'), c.next('Conv2D'), c.next('Conv2D')]).toEqual(['conv2d', 'dense', 'conv2d_1', 'conv2d_2']);
  });
});

describe('KERAS_LAYERS registry', () => {
  it('is sorted, unique, keras-tagged and every signature ends with **kwargs', () => {
    const names = KERAS_LAYERS.map((s) => s.name);
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(names.length);
    for (const s of KERAS_LAYERS) {
      expect(s.framework).toBe('keras');
      expect(s.signature[s.signature.length - 1].star).toBe('**');
      expect(s.doc.length).toBeGreaterThan(10);
    }
  });
});
