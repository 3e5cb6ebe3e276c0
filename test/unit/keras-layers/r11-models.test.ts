// Keras / tf.keras model code the r11 probe got wrong. Figures are from Keras' documented weight
// shapes and output-shape rules (cited per test), never from the engine's own output.
import { describe, expect, it } from 'vitest';
import { toSummaryJson } from '../../../src/core/index';
import { kerasSummaries } from './model-summaries';

const { analysis, models, model, rows } = kerasSummaries();

describe('keras.ops.cast of a Python number', () => {
  it('keras.io captioning PositionalEmbedding: tokens * ops.sqrt(ops.cast(embed_dim, "float32")) keeps the embedding shape', () => {
    const m = model(`
      import keras
      from keras import layers, ops

      class PositionalEmbedding(layers.Layer):
          def __init__(self, sequence_length, vocab_size, embed_dim, **kwargs):
              super().__init__(**kwargs)
              self.token_embeddings = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
              self.position_embeddings = layers.Embedding(input_dim=sequence_length, output_dim=embed_dim)
              self.embed_scale = ops.sqrt(ops.cast(embed_dim, "float32"))

          def call(self, inputs):
              positions = ops.arange(0, ops.shape(inputs)[-1], 1)
              return self.token_embeddings(inputs) * self.embed_scale + self.position_embeddings(positions)

      tokens = keras.Input(shape=(11,), dtype="int32")
      m = keras.Model(tokens, PositionalEmbedding(12, 50, 16)(tokens))
    `, 'm');
    // Embedding weights input_dim * output_dim: 50*16 + 12*16 = 992
    expect(rows(m)).toEqual([['positional_embedding', [null, 11, 16], 992]]);
  });
});

describe('build(input_shape) of a layer called on a list of tensors', () => {
  it('gets one shape per input, so `a_shape, b_shape = input_shape` unpacks', () => {
    const m = model(`
      import keras
      from keras import layers, ops

      class BilinearInteraction(layers.Layer):
          def build(self, input_shape):
              a_shape, b_shape = input_shape
              self.w = self.add_weight(shape=(a_shape[-1], b_shape[-1]), name="w")

          def call(self, inputs):
              a, b = inputs
              return ops.sum(ops.matmul(a, self.w) * b, axis=-1, keepdims=True)

      u = keras.Input(shape=(32,))
      i = keras.Input(shape=(12,))
      m = keras.Model([u, i], BilinearInteraction()([u, i]))
    `, 'm');
    // w: (32, 12)
    expect(rows(m)).toEqual([['bilinear_interaction', [null, 1], 384]]);
  });
});

describe('SpectralNormalization around a transposed convolution', () => {
  it("vector_u is (1, kernel.shape[-1]) and a Conv2DTranspose kernel is (k, k, filters, in_channels)", () => {
    const m = model(`
      import keras
      from keras import layers

      z = keras.Input(shape=(4, 4, 32))
      g = layers.SpectralNormalization(layers.Conv2DTranspose(16, 4, strides=2, padding="same"))(z)
      g = layers.SpectralNormalization(layers.Conv1D(8, 3))(layers.Reshape((64, 16))(g))
      m = keras.Model(z, g)
    `, 'm');
    // 4*4*16*32 + 16 = 8208, u (1, 32); Conv1D 3*16*8 + 8 = 392, u (1, 8)
    expect(rows(m)).toEqual([
      ['spectral_normalization', [null, 8, 8, 16], 8240],
      ['reshape', [null, 64, 16], 0],
      ['spectral_normalization_1', [null, 62, 8], 400],
    ]);
    expect(m.trainable_params).toBe(8208 + 392);
  });
});

describe('HashedCrossing', () => {
  it('crosses a tuple of two features: int keeps the first shape, one_hot gives num_bins', () => {
    const m = model(`
      import keras
      from keras import layers

      a = keras.Input(shape=(1,), dtype="int64")
      b = keras.Input(shape=(1,), dtype="int64")
      ids = layers.HashedCrossing(num_bins=50)((a, b))
      hot = layers.HashedCrossing(num_bins=20, output_mode="one_hot")([a, b])
      e = layers.Flatten()(layers.Embedding(50, 4)(ids))
      m = keras.Model([a, b], layers.concatenate([e, hot]))
    `, 'm');
    // Keras lists layers by graph depth; compare them by name
    expect(rows(m).sort((x, y) => String(x[0]).localeCompare(String(y[0])))).toEqual([
      ['concatenate', [null, 24], 0],
      ['embedding', [null, 1, 4], 200],
      ['flatten', [null, 4], 0],
      ['hashed_crossing', [null, 1], 0],
      ['hashed_crossing_1', [null, 20], 0],
    ]);
  });
});

describe('tf.signal framing in tf.keras Lambda layers', () => {
  it('stft: 1 + (n - frame_length) // frame_step frames of fft_length // 2 + 1 bins; frame: (frames, frame_length)', () => {
    const m = model(`
      import tensorflow as tf
      from tensorflow import keras
      from tensorflow.keras import layers

      wav = keras.Input(shape=(16000,))
      s = layers.Lambda(lambda w: tf.abs(tf.signal.stft(w, frame_length=255, frame_step=128)), name="stft")(wav)
      p = layers.Lambda(lambda w: tf.abs(tf.signal.stft(w, 256, 128, pad_end=True)), name="stft_pad")(wav)
      f = layers.Lambda(lambda w: tf.signal.frame(w, frame_length=400, frame_step=160), name="frames")(wav)
      m = keras.Model(wav, [s, p, f])
    `, 'm');
    // fft_length defaults to the next power of two, 256 -> 129 bins; (16000-255)//128 + 1 = 124;
    // pad_end: ceil(16000/128) = 125; frame: (16000-400)//160 + 1 = 98
    expect(rows(m)).toEqual([
      ['stft', [null, 124, 129], 0],
      ['stft_pad', [null, 125, 129], 0],
      ['frames', [null, 98, 400], 0],
    ]);
  });
});

describe('model.trainable = False reaches the layers', () => {
  it("a frozen base's layers stay frozen in a new model built on base.output", () => {
    const m = model(`
      import keras
      from keras import layers

      inp = keras.Input(shape=(8,))
      base = keras.Model(inp, layers.Dense(4)(inp))
      base.trainable = False
      outer = keras.Model(inp, layers.Dense(2)(base.output))
    `, 'outer');
    // Dense(8->4) 36 frozen, Dense(4->2) 10 trainable
    expect(m.total_params).toBe(46);
    expect(m.trainable_params).toBe(10);
  });

  it('setting trainable True again on the base unfreezes its layers; a layer frozen after that stays frozen', () => {
    const m = model(`
      import keras
      from keras import layers

      inp = keras.Input(shape=(8,))
      h = layers.Dense(4)(inp)
      base = keras.Model(inp, layers.Dense(3)(h))
      base.trainable = False
      base.trainable = True
      base.layers[1].trainable = False
      outer = keras.Model(inp, layers.Dense(2)(base.output))
    `, 'outer');
    // Dense(8->4) 36 frozen; Dense(4->3) 15 and Dense(3->2) 8 trainable
    expect(m.total_params).toBe(59);
    expect(m.trainable_params).toBe(23);
  });
});

describe('a user build() called directly', () => {
  it('marks the model built: the first call does not run build() again (no second set of layers)', () => {
    const m = model(`
      import keras
      from keras import layers, ops

      class LateFusion(keras.Model):
          def __init__(self, n_out, **kwargs):
              super().__init__(**kwargs)
              self.n_out = n_out
              self.img_proj = layers.Dense(8)
              self.txt_proj = layers.Dense(8)

          def build(self, input_shape):
              img_shape, txt_shape = input_shape
              self.skip = layers.Dense(self.n_out, use_bias=False, name="skip")
              self.skip.build((None, img_shape[-1] + txt_shape[-1]))
              self.fuse = layers.Dense(self.n_out, name="fuse")
              self.built = True

          def call(self, inputs):
              img, txt = inputs
              h = ops.concatenate([self.img_proj(img), self.txt_proj(txt)], axis=-1)
              return self.fuse(h) + self.skip(ops.concatenate([img, txt], axis=-1))

      late = LateFusion(3)
      late.build([(None, 12), (None, 20)])
      _ = late([keras.Input(shape=(12,)), keras.Input(shape=(20,))])
    `, 'late');
    // 12*8+8, 20*8+8, skip 32*3 (no bias), fuse 16*3+3
    expect(rows(m)).toEqual([['dense', [null, 8], 104], ['dense_1', [null, 8], 168], ['skip', [null, 3], 96], ['fuse', [null, 3], 51]]);
    expect(m.total_params).toBe(419);
  });
});

describe('a subclassed model first called on a dict of keras.Input', () => {
  it('takes those inputs in key order and is summarised on a dict of them', () => {
    const m = model(`
      import keras
      from keras import layers, ops

      class TwoTower(keras.Model):
          def __init__(self, **kwargs):
              super().__init__(**kwargs)
              self.user_tower = layers.Dense(16)
              self.item_tower = layers.Dense(16)

          def call(self, inputs):
              return ops.sum(self.user_tower(inputs["user"]) * self.item_tower(inputs["item"]), axis=1, keepdims=True)

      tt = TwoTower()
      _ = tt({"user": keras.Input(shape=(10,)), "item": keras.Input(shape=(24,))})
    `, 'tt');
    expect(m.input_shapes).toEqual([[null, 10], [null, 24]]);
    // 10*16+16, 24*16+16
    expect(rows(m)).toEqual([['dense', [null, 16], 176], ['dense_1', [null, 16], 400]]);
    expect(m.output_shape).toEqual([null, 1]);
  });
});

const TIED_AE = `
  import tensorflow as tf
  from tensorflow import keras

  class DenseTranspose(keras.layers.Layer):
      def __init__(self, dense, activation=None, **kwargs):
          self.dense = dense
          self.activation = keras.activations.get(activation)
          super().__init__(**kwargs)

      def build(self, batch_input_shape):
          self.biases = self.add_weight(name="bias", shape=[self.dense.input_shape[-1]], initializer="zeros")
          super().build(batch_input_shape)

      def call(self, inputs):
          z = tf.matmul(inputs, self.dense.weights[0], transpose_b=True)
          return self.activation(z + self.biases)

  dense_1 = keras.layers.Dense(100, activation="selu")
  dense_2 = keras.layers.Dense(30, activation="selu")
  tied_encoder = keras.models.Sequential([keras.layers.Flatten(input_shape=[28, 28]), dense_1, dense_2])
  tied_decoder = keras.models.Sequential([DenseTranspose(dense_2, activation="selu"), DenseTranspose(dense_1, activation="sigmoid"), keras.layers.Reshape([28, 28])])
  tied_ae = keras.models.Sequential([tied_encoder, tied_decoder])
`;

describe("Geron's tied-weights autoencoder (tf.keras)", () => {
  // Dense(784->100) 78,500 and Dense(100->30) 3,030; each DenseTranspose adds a bias of the tied
  // Dense's input width and tracks that Dense (its row counts the Dense's weights)
  it("a called layer's input_shape and weights[0] (the (in, units) kernel) size the tied layer", () => {
    const ms = models(TIED_AE);
    const dec = ms.find((m) => m.name === 'tied_decoder')!;
    expect(dec.input_shapes).toEqual([[null, 30]]);
    expect(rows(dec)).toEqual([['dense_transpose', [null, 100], 100 + 3030], ['dense_transpose_1', [null, 784], 784 + 78500], ['reshape', [null, 28, 28], 0]]);
    const ae = ms.find((m) => m.name === 'tied_ae')!;
    expect(ae.output_shape).toEqual([null, 28, 28]);
    // each weight once: 78,500 + 3,030 + 100 + 784
    expect(ae.total_params).toBe(82414);
  });

  it('given an input, a tied Dense the pass never calls keeps its weights', () => {
    const a = analysis(TIED_AE, { model: 'tied_decoder', inputShapes: [[1, 30]] });
    const dec = toSummaryJson(a).models.find((m) => m.name === 'tied_decoder')!;
    expect(dec.total_params).toBe(82414);
    expect(dec.output_shape).toEqual([1, 28, 28]);
  });
});

describe('weights of built-in layers read as attributes', () => {
  it('Dense kernel (in, units) and bias; Conv2D kernel (kh, kw, in / groups, filters); Conv2DTranspose (kh, kw, filters, in); Embedding (input_dim, output_dim)', () => {
    const m = model(`
      import keras
      from keras import layers, ops

      class ShapedWeights(layers.Layer):
          def __init__(self, shapes, **kwargs):
              super().__init__(**kwargs)
              self.shapes = shapes

          def build(self, input_shape):
              self.ws = [self.add_weight(shape=s) for s in self.shapes]

          def call(self, x):
              return x

      d = layers.Dense(7)
      c = layers.Conv2D(8, 3, groups=2)
      t = layers.Conv2DTranspose(5, (2, 4))
      e = layers.Embedding(11, 3)
      _ = t(c(keras.Input(shape=(9, 9, 4))))
      _ = d(keras.Input(shape=(6,)))
      shapes = [ops.shape(d.kernel), ops.shape(c.kernel), ops.shape(t.kernel), ops.shape(e.embeddings), ops.shape(d.weights[1])]
      v = keras.Input(shape=(4,))
      m = keras.Model(v, ShapedWeights(shapes)(v))
    `, 'm');
    // (6, 7) 42 + (3, 3, 2, 8) 144 + (2, 4, 5, 8) 320 + (11, 3) 33 + (7,) 7
    expect(m.total_params).toBe(546);
  });
});
