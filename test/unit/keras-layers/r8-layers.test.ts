// Layer classes added after the r8 probe, against the keras.io / Keras source figures:
// image augmentations, LocallyConnected1D/2D (tf.keras 2), ThresholdedReLU, RMSNormalization,
// GroupQueryAttention and the adaptive pooling layers (Keras 3).
import { describe, expect, it } from 'vitest';
import { instance, run, shapes, t, total, NONE_BATCH } from './helpers';
import { tensor } from '../../../src/core/eval/values';

describe('image augmentation layers', () => {
  it('RandomCrop(h, w) gives (h, w); RandomBrightness and the other augmentations keep the shape', () => {
    expect(run('RandomCrop', [28, 28], {}, [t(32, 32, 3)]).shape).toEqual([null, 28, 28, 3]);
    for (const name of ['RandomBrightness', 'RandomGrayscale', 'RandomSaturation', 'RandomHue', 'RandomSharpness', 'RandomColorJitter', 'RandAugment', 'AutoContrast', 'Solarization', 'Equalization', 'MixUp', 'RandomPosterization', 'RandomShear', 'RandomErasing', 'RandomGaussianBlur', 'RandomInvert', 'RandomPerspective', 'RandomElasticTransform']) {
      const r = run(name, [0.2], {}, [t(28, 28, 3)]);
      expect(r.shape, name).toEqual([null, 28, 28, 3]);
      expect(total(r.params), name).toBe(0);
    }
  });

  it('RandomHeight / RandomWidth: the resized axis is None, the others kept', () => {
    expect(run('RandomHeight', [0.2], {}, [t(32, 40, 3)]).shape).toEqual([null, null, 40, 3]);
    expect(run('RandomWidth', [0.2], {}, [t(32, 40, 3)]).shape).toEqual([null, 32, null, 3]);
  });
});

describe('LocallyConnected (tf.keras 2)', () => {
  it('LocallyConnected2D(4, 3) on 8x8x3: 6x6 positions, kernel 36*(3*3*3)*4 = 3888 + bias 36*4 = 144', () => {
    const r = run('LocallyConnected2D', [4, 3], {}, [t(8, 8, 3)]);
    expect(r.shape).toEqual([null, 6, 6, 4]);
    expect(total(r.params)).toBe(4032);
  });

  it('LocallyConnected1D(5, 3, strides=2) on (10, 2): 4 steps, kernel 4*(3*2)*5 = 120 + bias 4*5 = 20', () => {
    const r = run('LocallyConnected1D', [5, 3], { strides: 2 }, [t(10, 2)]);
    expect(r.shape).toEqual([null, 4, 5]);
    expect(total(r.params)).toBe(140);
    expect(total(run('LocallyConnected1D', [5, 3], { strides: 2, use_bias: false }, [t(10, 2)]).params)).toBe(120);
  });
});

describe('other layers', () => {
  it('ThresholdedReLU keeps the shape, no weights', () => {
    const r = run('ThresholdedReLU', [], { theta: 0.5 }, [t(7)]);
    expect(r.shape).toEqual([null, 7]);
    expect(total(r.params)).toBe(0);
  });

  it('RMSNormalization: one scale per normalised feature (16 on a 16-wide input)', () => {
    const r = run('RMSNormalization', [], {}, [t(5, 16)]);
    expect(r.shape).toEqual([null, 5, 16]);
    expect(total(r.params)).toBe(16);
  });

  it('GroupQueryAttention(head_dim=4, 4 query heads, 2 kv heads) on dim 16: 272 + 136 + 136 + 272 = 816', () => {
    // query 16*4*4 + 4*4 = 272; key and value 16*2*4 + 2*4 = 136 each; output 4*4*16 + 16 = 272
    const q = t(6, 16);
    const r = run('GroupedQueryAttention', [], { head_dim: 4, num_query_heads: 4, num_key_value_heads: 2 }, [q, q]);
    expect(r.shape).toEqual([null, 6, 16]);
    expect(total(r.params)).toBe(816);
    const scores = run('GroupedQueryAttention', [4, 4, 2], {}, [q, tensor([NONE_BATCH, 9, 16])], { return_attention_scores: true });
    expect(shapes(scores.out)).toEqual([[null, 6, 16], [null, 4, 6, 9]]);
  });

  it('AdaptiveAveragePooling2D(output_size) pools to the given size, channels kept (keras.io: 64x64x3 -> 32x32x3)', () => {
    expect(run('AdaptiveAveragePooling2D', [32], {}, [t(64, 64, 3)]).shape).toEqual([null, 32, 32, 3]);
    expect(run('AdaptiveMaxPooling2D', [[7, 5]], { data_format: 'channels_first' }, [t(3, 100, 80)]).shape).toEqual([null, 3, 7, 5]);
    expect(run('AdaptiveAveragePooling1D', [4], {}, [t(10, 2)]).shape).toEqual([null, 4, 2]);
  });
});

describe('LoRA (Keras 3 lora_rank)', () => {
  it('Dense(4, lora_rank=2) on 10 features: kernel 10*4 = 40 frozen; bias 4 + lora_a 10*2 + lora_b 2*4 = 32 trainable', () => {
    expect(run('Dense', [4], { lora_rank: 2 }, [t(10)]).params).toEqual({ trainable: 32, nonTrainable: 40 });
    expect(run('Dense', [4], { lora_rank: 2, use_bias: false }, [t(10)]).params).toEqual({ trainable: 28, nonTrainable: 40 });
    expect(run('Dense', [4], {}, [t(10)]).params).toEqual({ trainable: 44, nonTrainable: 0 });
  });

  it('Embedding(100, 8, lora_rank=4): 800 frozen, 100*4 + 4*8 = 432 trainable', () => {
    expect(run('Embedding', [100, 8], { lora_rank: 4 }, [t(5)]).params).toEqual({ trainable: 432, nonTrainable: 800 });
  });

  it('EinsumDense("ab,bc->ac", 6, bias_axes="c", lora_rank=2) on 10: kernel 60 frozen, bias 6 + 10*2 + 2*6 = 38', () => {
    expect(run('EinsumDense', ['ab,bc->ac', [6]], { bias_axes: 'c', lora_rank: 2 }, [t(10)]).params).toEqual({ trainable: 38, nonTrainable: 60 });
  });
});

describe('SpectralNormalization (Keras 3)', () => {
  it('wraps a layer: its output and weights + a non-trainable u of kernel.shape[-1]', () => {
    // Conv2D(16, 3) on 3 channels: 3*3*3*16 + 16 = 448 trainable; u (1, 16) non-trainable
    const conv = run('SpectralNormalization', [instance('Conv2D', [16, 3], { padding: 'same' })], {}, [t(16, 16, 3)]);
    expect(conv.shape).toEqual([null, 16, 16, 16]);
    expect(conv.params).toEqual({ trainable: 448, nonTrainable: 16 });
    // Dense(3) on 8: 8*3 + 3 = 27 trainable; u (1, 3)
    expect(run('SpectralNormalization', [instance('Dense', [3])], {}, [t(8)]).params).toEqual({ trainable: 27, nonTrainable: 3 });
  });
});
