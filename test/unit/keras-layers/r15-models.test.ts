// Keras 3 / tf.keras model code the r15 probe got wrong. Figures are from Keras' documented
// weight shapes and output-shape rules (cited per test), never from the engine's own output.
import { describe, expect, it } from 'vitest';
import { kerasSummaries } from './model-summaries';

const { model, rows } = kerasSummaries();

describe('a layer class of a keras.layers submodule the catalogue lacks', () => {
  it('is an unmodelled layer: the layers before it keep their rows and weights', () => {
    const m = model(`
      import tensorflow as tf
      from tensorflow import keras
      from tensorflow.keras import layers

      i = keras.Input(shape=(32, 32, 3))
      x = layers.Conv2D(8, 3)(i)
      x = tf.keras.layers.experimental.SomethingNew()(x)
      x = layers.Flatten()(x)
      m = keras.Model(i, x)
    `, 'm');
    // Conv2D 3x3 3->8: 3*3*3*8 + 8 = 224, output 30x30 (valid); the unknown layer's output and weights are not known.
    expect(rows(m)).toEqual([['conv2d', [null, 30, 30, 8], 224], ['something_new', null, null], ['flatten', null, 0]]);
  });

  it('PreprocessingLayer is a base class to subclass, like Layer', () => {
    const m = model(`
      from tensorflow import keras
      from tensorflow.keras import layers

      class Twice(layers.experimental.preprocessing.PreprocessingLayer):
          def call(self, x):
              return x * 2.0

      i = keras.Input(shape=(5,))
      m = keras.Model(i, layers.Dense(3)(Twice()(i)))
    `, 'm');
    expect(rows(m)).toEqual([['twice', [null, 5], 0], ['dense', [null, 3], 18]]);
  });
});

describe('tf.keras.layers.experimental layers', () => {
  it('SyncBatchNormalization has the weights of BatchNormalization', () => {
    // keras/layers/normalization/batch_normalization.py: SyncBatchNormalization subclasses
    // BatchNormalization; gamma, beta trainable + moving mean / variance not: 4 x 16, 32 trainable.
    const m = model(`
      import tensorflow as tf
      from tensorflow import keras
      from tensorflow.keras import layers

      i = keras.Input(shape=(28, 28, 1))
      x = layers.Conv2D(16, 3, strides=2, use_bias=False)(i)
      x = tf.keras.layers.experimental.SyncBatchNormalization()(x)
      m = keras.Model(i, x)
    `, 'm');
    expect(rows(m)).toEqual([['conv2d', [null, 13, 13, 16], 144], ['sync_batch_normalization', [null, 13, 13, 16], 64]]);
    expect([m.total_params, m.trainable_params]).toEqual([208, 176]);
  });

  it('RandomFourierFeatures: fixed kernel and bias, a kernel_scale trainable only when the layer is', () => {
    // keras/layers/kernelized.py build(): unscaled_kernel (in, output_dim) and bias (output_dim,)
    // trainable=False, kernel_scale (1,); __init__(trainable=False) makes the whole layer
    // non-trainable unless trainable=True is given. Output (batch, output_dim) on a rank-2 input.
    const m = model(`
      from tensorflow import keras
      from tensorflow.keras import layers

      x = keras.Input(shape=(64,))
      fixed = layers.experimental.RandomFourierFeatures(output_dim=32, scale=10.0)(x)
      learnt = layers.experimental.RandomFourierFeatures(16, kernel_initializer="laplacian", trainable=True)(x)
      m = keras.Model(x, layers.Concatenate()([fixed, learnt]))
    `, 'm');
    expect(rows(m)).toEqual([
      ['random_fourier_features', [null, 32], 64 * 32 + 32 + 1],
      ['random_fourier_features_1', [null, 16], 64 * 16 + 16 + 1],
      ['concatenate', [null, 48], 0],
    ]);
    expect([m.total_params, m.trainable_params]).toEqual([2081 + 1041, 1]);
  });
});

describe('tf.keras.experimental.PeepholeLSTMCell', () => {
  // keras/layers/recurrent.py: PeepholeLSTMCell(LSTMCell).build adds input / forget / output gate
  // peephole weights of shape (units,): 4·(units·(in + units) + units) + 3·units.
  it('is an LSTM cell plus 3·units peephole weights, alone or stacked, with two states', () => {
    const m = model(`
      import tensorflow as tf
      from tensorflow import keras
      from tensorflow.keras import layers

      x = keras.Input(shape=(30, 6))
      h = layers.RNN(tf.keras.experimental.PeepholeLSTMCell(16), return_sequences=True)(x)
      out, s1, s2, s3, s4 = layers.RNN([tf.keras.experimental.PeepholeLSTMCell(8), layers.LSTMCell(4)], return_state=True)(h)
      m = keras.Model(x, layers.Concatenate()([out, s1, s2, s3, s4]))
    `, 'm');
    expect(rows(m)).toEqual([
      ['rnn', [null, 30, 16], 4 * (16 * (6 + 16) + 16) + 3 * 16],
      ['rnn_1', [null, 4], 4 * (8 * (16 + 8) + 8) + 3 * 8 + 4 * (4 * (8 + 4) + 4)],
      ['concatenate', [null, 4 + 8 + 8 + 4 + 4], 0],
    ]);
  });
});

describe('tf.compat.v1.keras: CuDNNLSTM / CuDNNGRU and the v1 GRU', () => {
  // keras/layers/cudnn_recurrent.py build(): kernel (in, g·units), recurrent_kernel (units, g·units)
  // and one bias of (2·g·units,) (cuDNN's input and recurrent biases): g = 4 (LSTM), 3 (GRU).
  // keras/layers/recurrent.py: the v1 GRU / GRUCell (tf.compat.v1.keras.layers) default to
  // reset_after=False, one bias of 3·units; tf.compat.v2.keras is tf.keras (reset_after=True).
  it('counts the cuDNN layers\' double biases and the v1 GRU\'s single one', () => {
    const m = model(`
      import tensorflow as tf
      from tensorflow import keras
      from tensorflow.compat.v1.keras.layers import CuDNNLSTM

      i = keras.Input(shape=(20, 8))
      a = CuDNNLSTM(16, return_sequences=True)(i)
      b = tf.compat.v1.keras.layers.CuDNNGRU(8, return_sequences=True)(a)
      c = tf.compat.v1.keras.layers.GRU(4, return_sequences=True)(b)
      d = tf.compat.v2.keras.layers.GRU(4)(c)
      e = tf.compat.v1.keras.layers.RNN(tf.compat.v1.keras.layers.GRUCell(5))(c)
      m = tf.compat.v1.keras.Model(i, tf.compat.v1.keras.layers.concatenate([d, e]))
    `, 'm');
    expect(rows(m)).toEqual([
      ['cu_dnnlstm', [null, 20, 16], 4 * 16 * (8 + 16) + 8 * 16],
      ['cu_dnngru', [null, 20, 8], 3 * 8 * (16 + 8) + 6 * 8],
      ['gru', [null, 20, 4], 3 * (4 * (8 + 4) + 4)],
      ['gru_1', [null, 4], 3 * (4 * (4 + 4) + 2 * 4)],
      ['rnn', [null, 5], 3 * (5 * (4 + 5) + 5)],
      ['concatenate', [null, 9], 0],
    ]);
  });
});

describe('build() on the first call of a user layer', () => {
  // keras/src/layers/layer.py _maybe_build + update_shapes_dict_for_target_fn: the shapes of the
  // call's tensor arguments, however passed; a one-parameter build() gets the first one, several
  // `<arg>_shape` parameters (Keras 3) get the shapes of the call arguments of those names.
  it('reads the input shape of a first argument passed by keyword', () => {
    const m = model(`
      import keras
      from keras import layers

      class Proj(layers.Layer):
          def build(self, input_shape):
              self.w = self.add_weight(shape=(input_shape[-1], 4), name="w")

          def call(self, inputs):
              return keras.ops.matmul(inputs, self.w)

      x = keras.Input(shape=(10, 6))
      m = keras.Model(x, Proj()(inputs=x))
    `, 'm');
    expect(rows(m)).toEqual([['proj', [null, 10, 4], 6 * 4]]);
  });

  it("passes each named call argument's shape to build(<arg>_shape, ...) in Keras 3", () => {
    const m = model(`
      import keras
      from keras import layers

      class Cross(layers.Layer):
          def build(self, query_seq_shape, context_seq_shape=None):
              self.q = layers.Dense(8)
              self.c = layers.Dense(8) if context_seq_shape is not None else None
              self.extra = self.add_weight(shape=(context_seq_shape[-1],), name="extra")

          def call(self, query_seq, context_seq=None):
              return self.q(query_seq) + keras.ops.mean(self.c(context_seq), axis=1, keepdims=True)

      q = keras.Input(shape=(5, 3))
      c = keras.Input(shape=(7, 11))
      m = keras.Model([q, c], Cross()(query_seq=q, context_seq=c))
    `, 'm');
    // Dense 3->8 (32) + Dense 11->8 (96) + extra (11,)
    expect(rows(m)).toEqual([['cross', [null, 5, 8], 32 + 96 + 11]]);
  });
});

describe('keras_hub.layers (keras_nlp.layers)', () => {
  // keras_hub/src/layers/modeling: TokenAndPositionEmbedding = ReversibleEmbedding (vocab, dim;
  // + reverse_embeddings (dim, vocab) when tie_weights=False) + PositionEmbedding (sequence_length, dim).
  // TransformerEncoder / Decoder build: MultiHeadAttention(key_dim = hidden // num_heads), LayerNorms,
  // Dense(intermediate_dim), Dense(hidden); the decoder's cross-attention (key/value on the encoder
  // width) only when built with an encoder sequence. FNetEncoder: two LayerNorms + the feed-forward.
  it('counts the KerasHub blocks\' weights and keeps the sequence shape', () => {
    const m = model(`
      import keras
      import keras_hub

      tok = keras.Input(shape=(20,), dtype="int32")
      ctx = keras.Input(shape=(30, 24))
      x = keras_hub.layers.TokenAndPositionEmbedding(100, 20, 16, tie_weights=False)(tok)
      x = keras_hub.layers.TransformerEncoder(32, 4, normalize_first=True)(x)
      x = keras_hub.layers.TransformerDecoder(32, 2)(x, ctx)
      x = keras_hub.layers.FNetEncoder(8)(x)
      m = keras.Model([tok, ctx], x)
    `, 'm');
    const mha16 = 4 * (16 * 16 + 16); // query/key/value (16, h, 16/h) + biases, output (h, 16/h, 16) + bias
    const ffn = 16 * 32 + 32 + 32 * 16 + 16;
    const cross = 16 * 16 + 16 + 2 * (24 * 16 + 16) + 16 * 16 + 16;
    expect(rows(m)).toEqual([
      ['token_and_position_embedding', [null, 20, 16], 100 * 16 + 16 * 100 + 20 * 16],
      ['transformer_encoder', [null, 20, 16], mha16 + 2 * 32 + ffn],
      ['transformer_decoder', [null, 20, 16], mha16 + cross + 3 * 32 + ffn],
      ['f_net_encoder', [null, 20, 16], 2 * 32 + 16 * 8 + 8 + 8 * 16 + 16],
    ]);
  });

  it('MaskedLMHead: logits over the vocabulary at the masked positions', () => {
    // keras_hub MaskedLMHead.build: Dense(features) + LayerNormalization, an (features, vocabulary)
    // output kernel (none when it reuses a token embedding, transposed) and a (vocabulary,) bias;
    // call gathers inputs at mask_positions: (batch, masks, vocabulary). The token embedding is an
    // attribute, so Keras counts it in the head's row too, and once in the model's total.
    const m = model(`
      import keras
      import keras_hub

      ids = keras.Input(shape=(16,), dtype="int32")
      pos = keras.Input(shape=(5,), dtype="int32")
      emb = keras_hub.layers.ReversibleEmbedding(100, 32)
      x = emb(ids)
      own = keras_hub.layers.MaskedLMHead(vocabulary_size=100, activation="softmax")(x, mask_positions=pos)
      tied = keras_hub.layers.MaskedLMHead(token_embedding=emb)(x, mask_positions=pos)
      m = keras.Model([ids, pos], [own, tied])
    `, 'm');
    const head = 32 * 32 + 32 + 2 * 32 + 100;
    expect(rows(m)).toEqual([
      ['reversible_embedding', [null, 16, 32], 100 * 32],
      ['masked_lm_head', [null, 5, 100], head + 32 * 100],
      ['masked_lm_head_1', [null, 5, 100], head + 100 * 32],
    ]);
    expect(m.total_params).toBe(100 * 32 + head + 32 * 100 + head);
  });

  it('is the same module under keras_nlp', () => {
    const m = model(`
      import keras
      import keras_nlp

      ids = keras.Input(shape=(12,), dtype="int32")
      x = keras_nlp.layers.TokenAndPositionEmbedding(vocabulary_size=50, sequence_length=12, embedding_dim=8)(ids)
      x = keras_nlp.layers.SinePositionEncoding()(x) + x
      m = keras.Model(ids, x)
    `, 'm');
    expect(m.total_params).toBe(50 * 8 + 12 * 8);
    expect(m.output_shape).toEqual([null, 12, 8]);
  });
});

describe('tensorflow_addons.layers', () => {
  // tensorflow_addons/layers/normalizations.py: GroupNormalization gamma / beta (C,) each;
  // InstanceNormalization = GroupNormalization(groups=-1). adaptive_pooling.py: output_size.
  // spectral_normalization.py: the layer's weights + u (1, units) not trainable. maxout.py: the
  // max over num_units groups of the channels.
  it('counts the Addons layers as TFA defines them', () => {
    const m = model(`
      import tensorflow_addons as tfa
      from tensorflow import keras
      from tensorflow.keras import layers

      i = keras.Input(shape=(32, 32, 3))
      x = layers.Conv2D(8, 3, padding="same")(i)
      x = tfa.layers.InstanceNormalization()(x)
      x = tfa.layers.GroupNormalization(groups=4)(x)
      x = tfa.layers.AdaptiveAveragePooling2D((4, 4))(x)
      x = layers.Flatten()(x)
      x = tfa.layers.SpectralNormalization(layers.Dense(10))(x)
      x = tfa.layers.Maxout(5)(x)
      m = keras.Model(i, x)
    `, 'm');
    expect(rows(m)).toEqual([
      ['conv2d', [null, 32, 32, 8], 224],
      ['instance_normalization', [null, 32, 32, 8], 16],
      ['group_normalization', [null, 32, 32, 8], 16],
      ['adaptive_average_pooling2d', [null, 4, 4, 8], 0],
      ['flatten', [null, 128], 0],
      ['spectral_normalization', [null, 10], 128 * 10 + 10 + 10],
      ['maxout', [null, 5], 0],
    ]);
    expect([m.total_params, m.trainable_params]).toEqual([1556, 1546]);
  });
});

describe('keras.Variable as a layer attribute (Keras 3)', () => {
  // keras/src/layers/layer.py: the layer's Tracker collects Variables assigned to attributes, trainable
  // or not, as add_weight's; keras.Variable(initializer, shape=None, dtype=None, trainable=True, ...):
  // a value initializer gives its own shape, a string / callable one takes `shape`.
  it('counts keras.Variable attributes next to add_weight weights', () => {
    const m = model(`
      import keras
      from keras import layers, ops

      class Tokens(layers.Layer):
          def __init__(self, dim, **kwargs):
              super().__init__(**kwargs)
              self.cls = self.add_weight(shape=(1, 1, dim), initializer="zeros", name="cls")
              self.scale = keras.Variable(1.0, name="scale")
              self.table = keras.Variable("zeros", shape=(4, dim), trainable=False)
              self.bias = keras.Variable(keras.initializers.Zeros(), shape=(dim,))

          def call(self, x):
              b = ops.shape(x)[0]
              return ops.concatenate([ops.broadcast_to(self.cls, (b, 1, x.shape[-1])), x * self.scale + self.bias], axis=1)

      x = keras.Input(shape=(9, 16))
      m = keras.Model(x, Tokens(16)(x))
    `, 'm');
    expect(rows(m)).toEqual([['tokens', [null, 10, 16], 16 + 1 + 64 + 16]]);
    expect([m.total_params, m.trainable_params]).toEqual([97, 33]);
  });
});

describe('add_weight / add_variable positional forms', () => {
  // tf.keras 2 base_layer.py: add_weight(name=None, shape=None, dtype=None, initializer=None, ...);
  // Keras 3 layer.py: add_weight(shape=None, initializer=None, dtype=None, trainable=True, ...) and
  // add_variable(shape, initializer, dtype=None, trainable=True, ...).
  it("reads tf.keras' name-first add_weight", () => {
    const m = model(`
      import tensorflow as tf
      from tensorflow import keras
      from tensorflow.keras import layers

      class OldStyle(layers.Layer):
          def build(self, input_shape):
              self.kernel = self.add_weight("kernel", shape=[int(input_shape[-1]), 6])
              self.bias = self.add_weight("bias", [6], initializer="zeros")
              self.ema = self.add_weight("ema", [6], None, "zeros", None, False)

          def call(self, x):
              return tf.matmul(x, self.kernel) + self.bias

      x = keras.Input(shape=(4,))
      m = keras.Model(x, OldStyle()(x))
    `, 'm');
    expect(rows(m)).toEqual([['old_style', [null, 6], 24 + 6 + 6]]);
    expect(m.trainable_params).toBe(30);
  });

  it("reads Keras 3's shape-first add_weight and add_variable", () => {
    const m = model(`
      import keras
      from keras import layers

      class NewStyle(layers.Layer):
          def build(self, input_shape):
              self.kernel = self.add_variable((input_shape[-1], 6), "glorot_uniform", name="kernel")
              self.bias = self.add_weight((6,), "zeros")
              self.ema = self.add_variable((6,), "zeros", None, False)

          def call(self, x):
              return keras.ops.matmul(x, self.kernel) + self.bias

      x = keras.Input(shape=(4,))
      m = keras.Model(x, NewStyle()(x))
    `, 'm');
    expect(rows(m)).toEqual([['new_style', [null, 6], 24 + 6 + 6]]);
    expect(m.trainable_params).toBe(30);
  });
});

describe('tensorflow_model_optimization pruning', () => {
  // tfmot sparsity/keras pruning_wrapper.py: PruneLowMagnitude keeps the layer's weights and adds,
  // non-trainable, a mask of each prunable weight's shape + a scalar threshold, and one scalar
  // pruning_step (prune_registry.py: Dense / Conv kernels prunable). The TF "Pruning in Keras"
  // tutorial's model prints 40,805 total, 20,410 trainable, 20,395 non-trainable.
  it('wraps every layer of a Sequential as prune_low_magnitude does', () => {
    const m = model(`
      import tensorflow_model_optimization as tfmot
      from tensorflow import keras

      model = keras.Sequential([
          keras.layers.InputLayer(input_shape=(28, 28)),
          keras.layers.Reshape(target_shape=(28, 28, 1)),
          keras.layers.Conv2D(filters=12, kernel_size=(3, 3), activation="relu"),
          keras.layers.MaxPooling2D(pool_size=(2, 2)),
          keras.layers.Flatten(),
          keras.layers.Dense(10),
      ])
      schedule = tfmot.sparsity.keras.PolynomialDecay(initial_sparsity=0.50, final_sparsity=0.80, begin_step=0, end_step=1000)
      pruned = tfmot.sparsity.keras.prune_low_magnitude(model, pruning_schedule=schedule)
    `, 'pruned');
    expect(rows(m)).toEqual([
      ['prune_low_magnitude_reshape', [null, 28, 28, 1], 1],
      ['prune_low_magnitude_conv2d', [null, 26, 26, 12], 120 + 108 + 2],
      ['prune_low_magnitude_max_pooling2d', [null, 13, 13, 12], 1],
      ['prune_low_magnitude_flatten', [null, 2028], 1],
      ['prune_low_magnitude_dense', [null, 10], 20290 + 20280 + 2],
    ]);
    expect([m.total_params, m.trainable_params]).toEqual([40805, 20410]);
  });

  it('wraps single layers, passing input_shape on to the wrapper (a published pruned summary)', () => {
    // A tfmot layer-wise pruning summary: 1,634 / 102,466 / 6,423,554 / 20,492; total 6,548,274,
    // trainable 3,274,698 (conv 5x5 1->32: 832 + mask 800 + 2; Dense 3136->1024: 3,212,288 + 3,211,264 + 2).
    const m = model(`
      import tensorflow as tf
      from tensorflow_model_optimization.sparsity import keras as sparsity

      l = tf.keras.layers
      params = {"pruning_schedule": sparsity.PolynomialDecay(initial_sparsity=0.5, final_sparsity=0.9, begin_step=2000, end_step=5000)}
      pruned = tf.keras.Sequential([
          sparsity.prune_low_magnitude(l.Conv2D(32, 5, padding="same", activation="relu"), input_shape=(28, 28, 1), **params),
          l.MaxPooling2D((2, 2), (2, 2), padding="same"),
          l.BatchNormalization(),
          sparsity.prune_low_magnitude(l.Conv2D(64, 5, padding="same", activation="relu"), **params),
          l.MaxPooling2D((2, 2), (2, 2), padding="same"),
          l.Flatten(),
          sparsity.prune_low_magnitude(l.Dense(1024, activation="relu"), **params),
          l.Dropout(0.4),
          sparsity.prune_low_magnitude(l.Dense(10, activation="softmax"), **params),
      ])
    `, 'pruned');
    expect(rows(m).filter((r) => (r[2] as number) > 0)).toEqual([
      ['prune_low_magnitude_conv2d', [null, 28, 28, 32], 1634],
      ['batch_normalization', [null, 14, 14, 32], 128],
      ['prune_low_magnitude_conv2d_1', [null, 14, 14, 64], 102466],
      ['prune_low_magnitude_dense', [null, 1024], 6423554],
      ['prune_low_magnitude_dense_1', [null, 10], 20492],
    ]);
    expect([m.total_params, m.trainable_params]).toEqual([6548274, 3274698]);
  });

  it('a built-in layer of an untraced Sequential, built again by a wrapper, exposes its kernel', () => {
    const m = model(`
      from tensorflow import keras

      class Masked(keras.layers.Wrapper):
          def build(self, s):
              self.layer.build(s)
              self.mask = self.add_weight(name="mask", shape=tuple(self.layer.kernel.shape), trainable=False)

          def call(self, x):
              return self.layer(x)

      base = keras.Sequential([keras.layers.InputLayer(input_shape=(5,)), keras.layers.Dense(10)])
      wrapped = keras.Sequential([keras.Input(shape=(5,))] + [Masked(l) for l in base.layers])
    `, 'wrapped');
    expect(rows(m)).toEqual([['masked', [null, 10], 60 + 50]]);
  });
});

describe('Keras 3 enable_lora() after construction', () => {
  // keras/src/layers/core/dense.py enable_lora(rank): the kernel becomes non-trainable and
  // lora_kernel_a (in, rank), lora_kernel_b (rank, units) are added, trainable; the bias stays.
  it('freezes the kernel and adds the two factors, as lora_rank= does', () => {
    const m = model(`
      import keras
      from keras import layers

      x = keras.Input(shape=(32,))
      d1 = layers.Dense(64)
      d2 = layers.Dense(10)
      m = keras.Model(x, d2(d1(x)))
      d1.enable_lora(4)
      m.get_layer(index=2).enable_lora(rank=2)
    `, 'm');
    expect(rows(m)).toEqual([
      ['dense', [null, 64], 32 * 64 + 64 + 32 * 4 + 4 * 64],
      ['dense_1', [null, 10], 64 * 10 + 10 + 64 * 2 + 2 * 10],
    ]);
    expect(m.trainable_params).toBe(64 + 32 * 4 + 4 * 64 + 10 + 64 * 2 + 2 * 10);
  });
});

describe('a layer class the tensorflow_addons / keras_hub stubs do not define', () => {
  // The stubs answer other names through a module-level __getattr__ (PEP 562) with an unmodelled
  // Keras layer, as keras.layers does for a class it lacks: the rest of the model is kept.
  it('is an unmodelled layer instead of losing the whole model', () => {
    const m = model(`
      import tensorflow_addons as tfa
      from tensorflow import keras

      x = keras.Input(shape=(128,))
      h = keras.layers.Dense(16)(x)
      m = keras.Model(x, tfa.layers.WeightNormalization(keras.layers.Dense(10))(h))
    `, 'm');
    expect(rows(m)).toEqual([['dense', [null, 16], 128 * 16 + 16], ['weight_normalization', null, null]]);
  });
});
