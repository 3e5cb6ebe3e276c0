// Keras model code the r9 probe got wrong (keras.io examples: EfficientNet block names, GRN /
// VSN, MobileViT, DeepSpeech2, knowledge distillation, FNet, Swin, CCT, ESPCN). Figures are
// from Keras' documented weight shapes; names from Keras' naming rules (cited per test).
import { describe, expect, it } from 'vitest';
import { toSummaryJson } from '../../../src/core/index';
import { type Row, kerasSummaries } from './model-summaries';

const { analysis, model, rows } = kerasSummaries();
const names = (m: { layers: Row[] }) => m.layers.map((l) => l.path);

describe('Python builtins in layer names', () => {
  it('chr() / ord(): keras.applications-style block names f"block{i + 1}{chr(j + 97)}_"', () => {
    const m = model(`
      import keras
      from keras import layers
      inp = keras.Input((8, 8, 3))
      x = inp
      for i in range(2):
          for j in range(2):
              x = layers.Conv2D(4, 1, name=f"block{i + 1}{chr(j + 97)}_conv")(x)
      y = layers.Dense(ord("a") - 95, name="head")(x)
      model = keras.Model(inp, y)
    `, 'model');
    expect(names(m)).toEqual(['block1a_conv', 'block1b_conv', 'block2a_conv', 'block2b_conv', 'head']);
    // Dense(2) on 4 channels: 4*2 + 2
    expect(m.layers[4].params).toBe(10);
  });
});

describe('sub-layers a traced call() never uses', () => {
  it('an unused Dense in a called custom layer has no weights (keras.io GRN: project only when widths differ)', () => {
    const m = model(`
      import keras
      from keras import layers

      class GRN(layers.Layer):
          def __init__(self, units):
              super().__init__()
              self.units = units
              self.elu_dense = layers.Dense(units, activation="elu")
              self.project = layers.Dense(units)
          def call(self, inputs):
              x = self.elu_dense(inputs)
              if inputs.shape[-1] != self.units:
                  inputs = self.project(inputs)
              return inputs + x

      a = keras.Input(shape=(4,))
      b = keras.Input(shape=(8,))
      model = keras.Model([a, b], [GRN(4)(a), GRN(4)(b)])
    `, 'model');
    // widths match: elu_dense 4*4+4 = 20 only; 8 -> 4: elu_dense 8*4+4 = 36 and project 36
    expect(rows(m)).toEqual([['grn', [null, 4], 20], ['grn_1', [null, 4], 72]]);
    expect(m.total_params).toBe(92);
  });

  it('a never-called custom layer in a list adds nothing; a called one its weights', () => {
    const m = model(`
      import keras
      from keras import layers, ops

      class G(layers.Layer):
          def __init__(self, units):
              super().__init__()
              self.d = layers.Dense(units)
          def call(self, x):
              return self.d(x)

      class VS(layers.Layer):
          def __init__(self, n, units):
              super().__init__()
              self.grns = [G(units) for _ in range(n)]
          def call(self, inputs):
              return ops.stack([self.grns[0](t) for t in inputs], axis=1)

      a = keras.Input(shape=(4,))
      b = keras.Input(shape=(4,))
      model = keras.Model([a, b], VS(2, 3)([a, b]))
    `, 'model');
    // grns[0] shared: 4*3 + 3 = 15; grns[1] never built
    expect(rows(m)).toEqual([['vs', [null, 2, 3], 15]]);
  });
});

describe('subclassed model whose build() makes the layers', () => {
  it('model.build(shape) runs the user build() once: the traced call uses those layers (tf.keras Model.build)', () => {
    const m = model(`
      import tensorflow as tf
      from tensorflow.keras import layers

      class TabNet(tf.keras.Model):
          def __init__(self, widths=(32, 16), **kwargs):
              super().__init__(**kwargs)
              self.widths = widths
              self.out = layers.Dense(3)
          def build(self, input_shape):
              self.hidden = [layers.Dense(w, activation="relu") for w in self.widths]
              super().build(input_shape)
          def call(self, x):
              for h in self.hidden:
                  x = h(x)
              return self.out(x)

      model = TabNet()
      model.build((None, 10))
    `, 'model');
    // 10*32 + 32 = 352, 32*16 + 16 = 528, 16*3 + 3 = 51
    expect(rows(m)).toEqual([['dense', [null, 3], 51], ['dense_1', [null, 32], 352], ['dense_2', [null, 16], 528]]);
    expect(m.total_params).toBe(931);
  });
});

describe('Keras 3 helper layers take names', () => {
  const block = (imp: string, keras: string) => `
    ${imp}
    inp = ${keras}.Input(shape=(10, 8))
    x = layers.MultiHeadAttention(num_heads=2, key_dim=4)(inp, inp)
    x = layers.Dropout(0.1)(x)
    x = layers.MultiHeadAttention(num_heads=2, key_dim=4)(x, x)
    x = layers.Dropout(0.1)(x)
    model = ${keras}.Model(inp, x)
  `;

  it('Keras 3: each MultiHeadAttention takes a dropout name when built (summaries show multi_head_attention, dropout_1, multi_head_attention_1, dropout_3)', () => {
    const m = model(block('import keras\nfrom keras import layers', 'keras'), 'model');
    expect(names(m)).toEqual(['multi_head_attention', 'dropout_1', 'multi_head_attention_1', 'dropout_3']);
  });

  it('tf.keras 2 keeps dropout, dropout_1 (keras.io timeseries_classification_transformer summary)', () => {
    const m = model(block('import tensorflow as tf\nfrom tensorflow.keras import layers', 'tf.keras'), 'model');
    expect(names(m)).toEqual(['multi_head_attention', 'dropout', 'multi_head_attention_1', 'dropout_1']);
  });

  it("Keras 3 TextVectorization makes a StringLookup in __init__: the user's first StringLookup is string_lookup_1", () => {
    const m = model(`
      import keras
      from keras import layers
      vec = layers.TextVectorization(max_tokens=100, output_sequence_length=5)
      look = layers.StringLookup(vocabulary=["a", "b"])
      t = keras.Input(shape=(1,), dtype="string")
      c = keras.Input(shape=(1,), dtype="string")
      model = keras.Model([t, c], [vec(t), look(c)])
    `, 'model');
    expect(names(m)).toEqual(['text_vectorization', 'string_lookup_1']);
  });
});

describe('values Keras code computes eagerly', () => {
  it('keras.ops.equal on two static dims is a usable condition (keras.io MobileViT residual)', () => {
    const m = model(`
      import keras
      from keras import layers
      def block(x, out, strides=1):
          m = layers.Conv2D(out, 1)(x)
          if keras.ops.equal(x.shape[-1], out) and strides == 1:
              return layers.Add()([m, x])
          return m
      inp = keras.Input((8, 8, 16))
      y = block(block(inp, 16), 24)
      model = keras.Model(inp, y)
    `, 'model');
    expect(names(m)).toEqual(['conv2d', 'add', 'conv2d_1']);
  });

  it('StringLookup(vocabulary=...).vocabulary_size(): terms + one OOV (keras.io CTC ASR output Dense)', () => {
    const m = model(`
      import keras
      from keras import layers
      characters = [x for x in "abcdefghijklmnopqrstuvwxyz'?! "]
      char_to_num = layers.StringLookup(vocabulary=characters, oov_token="")
      num_to_char = layers.StringLookup(vocabulary=char_to_num.get_vocabulary(), oov_token="", invert=True)
      inp = keras.Input((None, 16))
      out = layers.Dense(char_to_num.vocabulary_size() + 1)(inp)
      extra = layers.Dense(len(num_to_char.get_vocabulary()))(inp)
      model = keras.Model(inp, [out, extra])
    `, 'model');
    // 30 characters + 1 OOV = 31, +1 blank = 32 units: 16*32 + 32; get_vocabulary() of the
    // inverted lookup: 1 OOV + the 31 terms given = 32 units
    expect(rows(m)).toEqual([['dense', [null, null, 32], 544], ['dense_1', [null, null, 32], 544]]);
  });
});

describe('keras.models.clone_model', () => {
  it('a Sequential clone has new layers with the same names, shapes and weights (keras.io distillation student_scratch)', () => {
    const m = model(`
      import keras
      from keras import layers
      student = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(16, 3, strides=2, padding="same"),
                                  layers.Flatten(), layers.Dense(10)], name="student")
      student_scratch = keras.models.clone_model(student)
    `, 'student_scratch');
    // conv 3*3*1*16 + 16 = 160; dense 14*14*16*10 + 10 = 31370
    expect(rows(m)).toEqual([['conv2d', [null, 14, 14, 16], 160], ['flatten', [null, 3136], 0], ['dense', [null, 10], 31370]]);
    expect(m.total_params).toBe(31530);
  });
});

describe('ops inside custom layers', () => {
  it('keras.ops.fft2 on a (real, imag) pair keeps the shape (keras.io FNet); rfft halves the last axis + 1', () => {
    const m = model(`
      import keras
      from keras import layers

      class FNetLayer(layers.Layer):
          def __init__(self):
              super().__init__()
              self.fc = layers.Dense(8)
          def call(self, inputs):
              x = keras.ops.fft2((inputs, keras.ops.zeros_like(inputs)))[0]
              re, im = keras.ops.rfft(inputs)
              return self.fc(x + inputs), re

      inp = keras.Input((5, 8))
      y, spec = FNetLayer()(inp)
      model = keras.Model(inp, [y, spec])
    `, 'model');
    // Dense(8) on 8: 72; rfft of length 8: 8 // 2 + 1 = 5
    expect(m.output_shape).toEqual([[null, 5, 8], [null, 5, 5]]);
    expect(m.total_params).toBe(72);
  });

  it('tf: x.get_shape().as_list() reads the dims (keras.io Swin PatchMerging)', () => {
    const m = model(`
      import tensorflow as tf
      from tensorflow.keras import layers

      class PatchMerging(layers.Layer):
          def __init__(self):
              super().__init__()
              self.lin = layers.Dense(8, use_bias=False)
          def call(self, x):
              _, _, C = x.get_shape().as_list()
              return self.lin(tf.reshape(x, (-1, 4, 4 * C)))

      inp = tf.keras.Input((16, 3))
      model = tf.keras.Model(inp, PatchMerging()(inp))
    `, 'model');
    // Dense(8, no bias) on 4*3 = 12 features: 96
    expect(rows(m)).toEqual([['patch_merging', [null, 4, 8], 96]]);
  });

  it('keras.ops.convert_to_tensor of an add_weight variable is a tensor (keras.io CCT PositionEmbedding)', () => {
    const m = model(`
      import keras
      from keras import layers

      class PositionEmbedding(layers.Layer):
          def __init__(self, sequence_length):
              super().__init__()
              self.sequence_length = sequence_length
          def build(self, input_shape):
              self.table = self.add_weight(shape=[self.sequence_length, input_shape[-1]])
          def call(self, inputs):
              shape = keras.ops.shape(inputs)
              t = keras.ops.convert_to_tensor(self.table)
              t = keras.ops.slice(t, (0, 0), (shape[-2], shape[-1]))
              return keras.ops.broadcast_to(t, shape)

      inp = keras.Input((6, 4))
      model = keras.Model(inp, PositionEmbedding(6)(inp))
    `, 'model');
    expect(rows(m)).toEqual([['position_embedding', [null, 6, 4], 24]]);
  });

  it('keras.ops.reshape with None dims read from ops.shape: the target as given (keras.io ESPCN DepthToSpace)', () => {
    const m = model(`
      import keras
      from keras import layers, ops

      class DepthToSpace(layers.Layer):
          def __init__(self, block_size):
              super().__init__()
              self.block_size = block_size
          def call(self, input):
              batch, height, width, depth = ops.shape(input)
              depth = depth // (self.block_size**2)
              x = ops.reshape(input, [batch, height, width, self.block_size, self.block_size, depth])
              x = ops.transpose(x, [0, 1, 3, 2, 4, 5])
              return ops.reshape(x, [batch, height * self.block_size, width * self.block_size, depth])

      inputs = keras.Input(shape=(None, None, 1))
      x = layers.Conv2D(9, 3, padding="same")(inputs)
      model = keras.Model(inputs, DepthToSpace(3)(x))
    `, 'model');
    expect(m.output_shape).toEqual([null, null, null, 1]);
    // Conv2D 3*3*1*9 + 9 = 90
    expect(m.total_params).toBe(90);
  });
});

describe('negative slice steps in TensorFlow / Keras code', () => {
  it('x[..., ::-1] reverses an axis (tf.strided_slice), not a DL error: the Lambda and the KerasTensor slice keep their shapes', () => {
    const r = analysis(`
      import tensorflow as tf
      from tensorflow.keras import layers
      inp = tf.keras.Input((8, 6, 3))
      bgr = layers.Lambda(lambda t: t[..., ::-1])(inp)
      x = layers.Conv2D(4, 3, padding="same")(bgr)
      rev = x[:, ::-2, :, :]
      model = tf.keras.Model(inp, layers.GlobalAveragePooling2D()(rev))
    `);
    const m = toSummaryJson(r).models[0];
    // Conv2D 3*3*3*4 + 4 = 112; ::-2 over 8 rows keeps 4
    expect(rows(m)).toEqual([['lambda', [null, 8, 6, 3], 0], ['conv2d', [null, 8, 6, 4], 112], ['tf.__operators__.getitem', [null, 4, 6, 4], 0],
      ['global_average_pooling2d', [null, 4], 0]]);
    expect(r.diagnostics.filter((d) => d.message.includes('step'))).toEqual([]);
  });

  it('torch still refuses a negative step', () => {
    const r = analysis(`
      import torch
      from torch import nn
      class Net(nn.Module):
          def __init__(self):
              super().__init__()
              self.fc = nn.Linear(4, 2)
          def forward(self, x):
              return self.fc(x[:, ::-1])
      net = Net()
      y = net(torch.randn(3, 4))
    `);
    expect(r.diagnostics.some((d) => d.message.includes('step must be greater than zero'))).toBe(true);
  });
});
