// Keras / tf.keras / tf.Module model code the r12 probe got wrong. Figures are from Keras'
// documented weight shapes and output-shape rules (cited per test), never from the engine's own
// output.
import { describe, expect, it } from 'vitest';
import { toSummaryJson } from '../../../src/core/index';
import { kerasSummaries } from './model-summaries';

const { analysis, model, rows } = kerasSummaries();

describe('a layer called on a Python list that grows afterwards', () => {
  // ESRGAN's dense block: Concatenate()(feats), then feats.append(y).
  const DENSE_BLOCK = `
    import keras
    from keras import layers

    def dense_block(x):
        feats = [x]
        for _ in range(3):
            inp = feats[0] if len(feats) == 1 else layers.Concatenate()(feats)
            feats.append(layers.Conv2D(4, 3, padding="same")(inp))
        return layers.Conv2D(8, 1)(layers.Concatenate()(feats))

    img = keras.Input(shape=(16, 16, 8))
    net = keras.Model(img, dense_block(img), name="net")
  `;
  // Conv2D kernels k*k*cin*f + f: 3x3 on 8, 12 and 16 channels -> 292, 436, 580; 1x1 on 20 -> 168
  const total = 292 + 436 + 580 + 168;

  it('is summarised from the graph as it was at the call', () => {
    const m = model(DENSE_BLOCK, 'net');
    expect(m.total_params).toBe(total);
    expect(rows(m).filter((r) => String(r[0]).startsWith('concatenate'))).toEqual([
      ['concatenate', [null, 16, 16, 12], 0],
      ['concatenate_1', [null, 16, 16, 16], 0],
      ['concatenate_2', [null, 16, 16, 20], 0],
    ]);
  });

  it('replays on a given input shape without running into the later items', () => {
    const a = analysis(DENSE_BLOCK, { model: 'net', inputShapes: [[null, 32, 32, 8]] });
    const m = toSummaryJson(a).models[0];
    expect(m?.output_shape).toEqual([null, 32, 32, 8]);
    expect(m?.total_params).toBe(total);
  });
});

describe('layer.input of a layer called on a list that grows afterwards', () => {
  it('is the list as it was at the call', () => {
    const m = model(`
      import keras
      from keras import layers

      a = keras.Input(shape=(4,))
      b = keras.Input(shape=(6,))
      feats = [a, b]
      cat = layers.Concatenate()
      y = cat(feats)
      feats.append(layers.Dense(3)(y))
      z = layers.Dense(2)(layers.Concatenate()(cat.input + [y]))
      m = keras.Model([a, b], z)
    `, 'm');
    // cat.input is [a, b]: 4 + 6 + 10 = 20 features, Dense(2) 20*2 + 2
    expect(rows(m).slice(1)).toEqual([['concatenate_1', [null, 20], 0], ['dense_1', [null, 2], 42]]);
  });
});

describe('MultiHeadAttention scores with attention_axes', () => {
  it('follow Keras _build_attention_equation: batch axes and heads, then query and key attention axes', () => {
    const m = model(`
      import keras
      from keras import layers

      g = keras.Input(shape=(5, 6, 16))
      t = keras.Input(shape=(7, 16))
      u = keras.Input(shape=(9, 16))
      _, s1 = layers.MultiHeadAttention(num_heads=2, key_dim=8, attention_axes=(1, 2))(g, g, return_attention_scores=True)
      _, s2 = layers.MultiHeadAttention(num_heads=3, key_dim=8, attention_axes=2)(g, g, return_attention_scores=True)
      _, s3 = layers.MultiHeadAttention(num_heads=2, key_dim=8)(g, g, return_attention_scores=True)
      _, s4 = layers.MultiHeadAttention(num_heads=4, key_dim=8)(t, u, return_attention_scores=True)
      m = keras.Model([g, t, u], [s1, s2, s3, s4])
    `, 'm');
    // projected query (B, 5, 6, H, 8): axes (1, 2) leave (B, H); axis 2 leaves (B, 5, H);
    // the default axes are all but batch, heads and features; a sequence gives (B, H, Tq, Tv)
    expect(m.output_shape).toEqual([[null, 2, 5, 6, 5, 6], [null, 5, 3, 6, 6], [null, 2, 5, 6, 5, 6], [null, 4, 7, 9]]);
  });
});

describe('a tf.Module returning a tuple', () => {
  it('lists every output, as Keras models do', () => {
    const m = model(`
      import tensorflow as tf

      class GaussianPolicy(tf.Module):
          def __init__(self, obs_dim, act_dim, name=None):
              super().__init__(name=name)
              self.net = tf.keras.Sequential([
                  tf.keras.layers.Dense(64, activation="tanh", input_shape=(obs_dim,)),
                  tf.keras.layers.Dense(act_dim),
              ])
              self.log_std = tf.Variable(tf.zeros([act_dim]), name="log_std")

          def __call__(self, obs):
              return self.net(obs), tf.exp(self.log_std)

      policy = GaussianPolicy(8, 2)
      mu, std = policy(tf.zeros([1, 8]))
    `, 'policy');
    expect(m.output_shape).toEqual([[1, 2], [2]]);
    // Dense 8*64 + 64 and 64*2 + 2, log_std 2
    expect(m.total_params).toBe(576 + 130 + 2);
  });
});

describe('a user layer whose call() uses an op the engine does not model', () => {
  const CAPS = `
    import tensorflow as tf
    from tensorflow.keras import layers, models

    class CapsuleLayer(layers.Layer):
        def __init__(self, num_capsule, dim_capsule, **kwargs):
            super().__init__(**kwargs)
            self.num_capsule = num_capsule
            self.dim_capsule = dim_capsule

        def build(self, input_shape):
            self.W = self.add_weight(shape=[self.num_capsule, input_shape[1], self.dim_capsule, input_shape[2]], name="W")

        def call(self, inputs):
            tiled = tf.tile(tf.expand_dims(tf.expand_dims(inputs, 1), -1), [1, self.num_capsule, 1, 1, 1])
            return tf.squeeze(tf.map_fn(lambda x: tf.matmul(self.W, x), elems=tiled))

        def compute_output_shape(self, input_shape):
            return tuple([None, self.num_capsule, self.dim_capsule])

    decoder = models.Sequential(name="decoder")
    decoder.add(layers.Dense(32, activation="relu", input_dim=10 * 16))
    decoder.add(layers.Dense(784))

    x = layers.Input(shape=(1152, 8))
    caps = CapsuleLayer(10, 16, name="digitcaps")(x)
    recon = decoder(layers.Lambda(lambda t: tf.map_fn(tf.identity, t))(caps))
    m = models.Model(x, [caps, recon])
  `;

  it('takes its output from compute_output_shape', () => {
    const m = model(CAPS, 'm');
    // W: (10, 1152, 16, 8)
    expect(rows(m)[0]).toEqual(['digitcaps', [null, 10, 16], 10 * 1152 * 16 * 8]);
  });

  it('leaves a Sequential with a declared input its weights when it is called on an unknown tensor', () => {
    const m = model(CAPS, 'm');
    // Dense 160*32 + 32 and 32*784 + 784
    expect(rows(m).find((r) => r[0] === 'decoder')?.[2]).toBe(5152 + 25872);
    expect(m.total_params).toBe(10 * 1152 * 16 * 8 + 5152 + 25872);
  });
});

describe('a MultiHeadAttention subclass reading its private constructor attributes', () => {
  it("keras.io ViT-on-small-datasets LSA: tau = tf.Variable(math.sqrt(float(self._key_dim))) is one more weight", () => {
    const m = model(`
      import math
      import tensorflow as tf
      from tensorflow.keras import layers

      class MultiHeadAttentionLSA(tf.keras.layers.MultiHeadAttention):
          def __init__(self, **kwargs):
              super().__init__(**kwargs)
              self.tau = tf.Variable(math.sqrt(float(self._key_dim)), trainable=True)

      x = layers.Input(shape=(16, 32))
      m = tf.keras.Model(x, MultiHeadAttentionLSA(num_heads=2, key_dim=32)(x, x))
    `, 'm');
    // query/key/value 32*2*32 + 2*32 each, output 2*32*32 + 32, tau 1
    expect(rows(m)).toEqual([['multi_head_attention_lsa', [null, 16, 32], 3 * 2112 + 2080 + 1]]);
  });
});

describe('tf.newaxis', () => {
  it('is None, so maps[..., tf.newaxis] adds a last dim (keras.io TokenLearner, a SlicingOpLambda row)', () => {
    const m = model(`
      import tensorflow as tf
      from tensorflow import keras
      from tensorflow.keras import layers

      maps = layers.Input(shape=(4, 64))
      feats = layers.Input(shape=(1, 64, 32))
      attended = maps[..., tf.newaxis] * feats
      m = keras.Model([maps, feats], tf.reduce_mean(attended, axis=2))
    `, 'm');
    // (B, 4, 64, 1) * (B, 1, 64, 32) -> (B, 4, 64, 32); mean over axis 2 -> (B, 4, 32)
    expect(m.layers.map((l) => [l.path, l.type, l.output_shape])).toEqual([
      ['tf.__operators__.getitem', 'SlicingOpLambda', [null, 4, 64, 1]],
      ['tf.math.multiply', 'TFOpLambda', [null, 4, 64, 32]],
      ['tf.math.reduce_mean', 'TFOpLambda', [null, 4, 32]],
    ]);
  });
});

describe('Model.from_config(model.get_config())', () => {
  it('copies a functional model and a Sequential with the configs\' layer names, as clone_model does', () => {
    const src = `
      import keras
      from keras import layers

      inp = keras.Input(shape=(16,))
      out = layers.Dense(2, name="logits")(layers.Dense(8, name="hidden")(inp))
      base = keras.Model(inp, out, name="base")
      rebuilt = keras.Model.from_config(base.get_config())

      seq = keras.Sequential([layers.Input((5,)), layers.Dense(3), layers.Dense(1)])
      seq_copy = keras.Sequential.from_config(seq.get_config())
    `;
    // Dense 16*8 + 8 and 8*2 + 2; 5*3 + 3 and 3*1 + 1
    expect(rows(model(src, 'rebuilt'))).toEqual([['hidden', [null, 8], 136], ['logits', [null, 2], 18]]);
    expect(rows(model(src, 'seq_copy'))).toEqual([['dense', [null, 3], 18], ['dense_1', [null, 1], 4]]);
  });
});
