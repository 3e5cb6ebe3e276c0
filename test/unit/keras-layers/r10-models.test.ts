// Keras model code the r10 probe got wrong (RNN over a user-written cell, ...). Figures are
// from Keras' documented weight shapes; names from Keras' naming rules (cited per test).
import { describe, expect, it } from 'vitest';
import { dedent } from '../lint/helpers';
import { kerasSummaries } from './model-summaries';

const { models, model, rows } = kerasSummaries();

const MINIMAL_CELL = `
  import keras
  from keras import layers, ops

  class MinimalRNNCell(layers.Layer):
      def __init__(self, units, **kwargs):
          super().__init__(**kwargs)
          self.units = units
          self.state_size = units

      def build(self, input_shape):
          self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
          self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), name="recurrent_kernel")

      def call(self, inputs, states):
          prev_output = states[0]
          h = ops.matmul(inputs, self.kernel)
          output = h + ops.matmul(prev_output, self.recurrent_kernel)
          return output, [output]
`;

const withCell = (parts: TemplateStringsArray) => dedent(MINIMAL_CELL) + dedent(parts.join(''));

describe('keras.layers.RNN over a user-written cell', () => {
  it('keras.io MinimalRNNCell: built on one step (batch, features); output width = state_size', () => {
    const m = model(withCell`
      seq = keras.Input(shape=(30, 10))
      x = layers.RNN(MinimalRNNCell(8), return_sequences=True)(seq)
      y = layers.RNN(MinimalRNNCell(4))(x)
      m = keras.Model(seq, y)
    `, 'm');
    // kernel (10, 8) + recurrent (8, 8) = 144; then (8, 4) + (4, 4) = 48
    expect(rows(m)).toEqual([['rnn', [null, 30, 8], 144], ['rnn_1', [null, 4], 48]]);
    expect(m.total_params).toBe(192);
  });

  it("a user cell stacked with a built-in cell; return_state gives every cell's states", () => {
    const m = model(withCell`
      seq = keras.Input(shape=(5, 3))
      out, s1, s2, s3 = layers.RNN([layers.LSTMCell(6), MinimalRNNCell(2)], return_state=True)(seq)
      m = keras.Model(seq, [out, s3])
    `, 'm');
    // LSTMCell(6) on 3: 4*(6*(3+6)+6) = 240; MinimalRNNCell(2) on 6: 6*2 + 2*2 = 16
    expect(rows(m)).toEqual([['rnn', [null, 2], 256]]);
    expect(m.output_shape).toEqual([[null, 2], [null, 2]]);
  });

  it('a cell whose state_size is a list and whose output_size differs', () => {
    const m = model(`
      import keras
      from keras import layers, ops

      class TwoStateCell(layers.Layer):
          def __init__(self, units, **kwargs):
              super().__init__(**kwargs)
              self.units = units
              self.state_size = [units, units]
              self.output_size = 2 * units

          def build(self, input_shape):
              self.w = self.add_weight(shape=(input_shape[-1], self.units))

          def call(self, inputs, states):
              h = ops.matmul(inputs, self.w) + states[0]
              return ops.concatenate([h, states[1]], axis=-1), [h, states[1]]

      seq = keras.Input(shape=(7, 5))
      y = layers.RNN(TwoStateCell(3), return_sequences=True)(seq)
      m = keras.Model(seq, y)
    `, 'm');
    expect(rows(m)).toEqual([['rnn', [null, 7, 6], 15]]);
  });
});

describe('keras.ops.linspace / arange values', () => {
  it('ConvNeXt drop-path rates from keras.ops.linspace decide StochasticDepth vs a linear Activation', () => {
    const m = model(`
      import keras
      from keras import layers, ops

      rates = [float(x) for x in ops.linspace(0.0, 0.1, 3)]
      inp = keras.Input((4,))
      h = inp
      for i, r in enumerate(rates):
          if r:
              h = layers.Dropout(r, name=f"drop_{i}")(h)
          else:
              h = layers.Activation("linear", name=f"identity_{i}")(h)
      m = keras.Model(inp, h)
    `, 'm');
    expect(m.layers.map((l) => l.path)).toEqual(['identity_0', 'drop_1', 'drop_2']);
  });

  it('keras.ops.arange(start, stop, step) and linspace(endpoint=False) keep their values', () => {
    const m = model(`
      import keras
      from keras import layers, ops

      widths = [int(v) for v in ops.arange(2, 10, 4)]
      inp = keras.Input((3,))
      h = inp
      for w in widths:
          h = layers.Dense(w)(h)
      if float(ops.linspace(0, 1, 4, endpoint=False)[1]) == 0.25:
          h = layers.Dense(1)(h)
      m = keras.Model(inp, h)
    `, 'm');
    // arange(2, 10, 4) = [2, 6]
    expect(rows(m)).toEqual([['dense', [null, 2], 8], ['dense_1', [null, 6], 18], ['dense_2', [null, 1], 7]]);
  });
});

describe('input shapes from a model\'s first call', () => {
  const info = (src: string, name: string) => {
    const m = model(src, name);
    return { inputs: m.input_shapes, out: m.output_shape, rows: rows(m) };
  };

  it('Keras 3: a Sequential without Input starting with an Embedding is built by its first call (shared encoder)', () => {
    const r = info(`
      import keras
      from keras import layers
      encoder = keras.Sequential([layers.Embedding(100, 8), layers.GlobalAveragePooling1D()])
      a = keras.Input(shape=(25,))
      b = keras.Input(shape=(25,))
      matcher = keras.Model([a, b], layers.Dot(axes=1)([encoder(a), encoder(b)]))
    `, 'encoder');
    expect(r.inputs).toEqual([[null, 25]]);
    expect(r.rows[0]).toEqual(['embedding', [null, 25, 8], 800]);
  });

  it('tf.keras 2: an Embedding first in a Sequential still declares (None, input_length)', () => {
    const r = info(`
      import tensorflow as tf
      encoder = tf.keras.Sequential([tf.keras.layers.Embedding(100, 8), tf.keras.layers.GlobalAveragePooling1D()])
    `, 'encoder');
    expect(r.inputs).toEqual([[null, null]]);
  });

  it('a Sequential first called on an intermediate tensor of a functional model (augmentation block)', () => {
    const r = info(`
      import keras
      from keras import layers
      augment = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.1)])
      img = keras.Input(shape=(64, 64, 3))
      x = layers.CenterCrop(56, 56)(img)
      x = augment(x)
      model = keras.Model(img, layers.GlobalAveragePooling2D()(x))
    `, 'augment');
    expect(r.inputs).toEqual([[null, 56, 56, 3]]);
    expect(r.out).toEqual([null, 56, 56, 3]);
  });

  it('a subclassed model called on a list of keras.Input', () => {
    const r = info(`
      import keras
      from keras import layers

      class Fusion(keras.Model):
          def __init__(self):
              super().__init__()
              self.a = layers.Dense(4)
              self.b = layers.Dense(4)
              self.cat = layers.Concatenate()

          def call(self, inputs):
              x, y = inputs
              return self.cat([self.a(x), self.b(y)])

      fusion = Fusion()
      _ = fusion([keras.Input(shape=(3,)), keras.Input(shape=(5,))])
    `, 'fusion');
    expect(r.inputs).toEqual([[null, 3], [null, 5]]);
    expect(r.out).toEqual([null, 8]);
    expect(r.rows).toEqual([['dense', [null, 4], 16], ['dense_1', [null, 4], 24], ['concatenate', [null, 8], 0]]);
  });
});

describe('layer class names', () => {
  it('keras.layers.GroupQueryAttention is the class GroupedQueryAttention: summary type and auto name follow the class', () => {
    const m = model(`
      import keras
      from keras import layers
      x = keras.Input(shape=(6, 16))
      y = layers.GroupQueryAttention(head_dim=4, num_query_heads=4, num_key_value_heads=2)(x, x)
      z = layers.GroupedQueryAttention(head_dim=4, num_query_heads=2, num_key_value_heads=1)(y, y)
      m = keras.Model(x, z)
    `, 'm');
    expect(m.layers.map((l) => [l.path, l.type])).toEqual([['grouped_query_attention', 'GroupedQueryAttention'], ['grouped_query_attention_1', 'GroupedQueryAttention']]);
    // 16*16+16 + 2*(16*8+8) + 16*16+16 = 816
    expect(m.layers[0].params).toBe(816);
  });
});

describe('bad input stays unknown', () => {
  it('keras.ops.linspace with a negative count and arange with step 0 give no concrete shape', () => {
    const m = model(`
      import keras
      from keras import layers, ops
      a = ops.linspace(0, 1, -3)
      b = ops.arange(5, 1, 0)
      inp = keras.Input((3,))
      m = keras.Model(inp, layers.Dense(len(a) + len(b))(inp))
    `, 'm');
    expect(m.layers[0].params).toBeNull();
  });

  it('an RNN over a cell without a usable state_size, or on a 2-D input, is unknown (no crash)', () => {
    const all = models(`
      import keras
      from keras import layers

      class Cell(layers.Layer):
          state_size = [4, "a"]
          def call(self, x, states):
              return x, states

      seq = keras.Input(shape=(5, 3))
      m1 = keras.Model(seq, layers.RNN(Cell())(seq))
      m2 = keras.Model(seq, layers.RNN(Cell())(keras.Input(shape=(4,))))
    `);
    expect(all.map((m) => [m.name, m.output_shape])).toEqual([['m1', null], ['m2', null]]);
  });
});

describe('config-driven layers', () => {
  it('keras.layers.deserialize({"class_name", "config"}) makes that layer with the config as keywords', () => {
    const m = model(`
      import keras
      cfgs = [{"class_name": "Conv1D", "config": {"filters": 4, "kernel_size": 3, "name": "c", "trainable": False, "padding": "same"}},
              {"class_name": "GlobalAveragePooling1D", "config": {}},
              {"class_name": "Dense", "config": {"units": 2}}]
      inp = keras.Input((10, 3))
      x = inp
      for c in cfgs:
          x = keras.layers.deserialize(c)(x)
      m = keras.Model(inp, x)
    `, 'm');
    // Conv1D(4, 3) on 3 channels: 3*3*4 + 4 = 40 (frozen); Dense(2) on 4: 10
    expect(rows(m)).toEqual([['c', [null, 10, 4], 40], ['global_average_pooling1d', [null, 4], 0], ['dense', [null, 2], 10]]);
    expect(m.trainable_params).toBe(10);
  });

  it('a class_name the catalogue lacks is a layer of unknown output; a malformed config is unknown', () => {
    const m = model(`
      import keras
      inp = keras.Input((4,))
      x = keras.layers.deserialize({"class_name": "FancyLayer", "config": {}})(inp)
      y = keras.layers.Dense(3)(inp)
      bad = keras.layers.deserialize("Dense")
      m = keras.Model(inp, [x, y])
    `, 'm');
    expect(rows(m)).toEqual([['fancy_layer', null, null], ['dense', [null, 3], 15]]);
  });
});
