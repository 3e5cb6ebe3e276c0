// Keras 3 / TF model code the r13 probe got wrong. Figures are from Keras' documented weight
// shapes and output-shape rules (cited per test), never from the engine's own output.
import { describe, expect, it } from 'vitest';
import { kerasSummaries } from './model-summaries';

const { model, rows } = kerasSummaries();

describe('a built-in recurrent cell called by hand inside a custom layer', () => {
  // keras.io MPNN's update step: `h, _ = self.update_step(messages, h)`; a cell returns
  // (output, new_states) with output of width units.
  it('gives (h, states) so the layer after it is built', () => {
    const m = model(`
      import keras
      from keras import layers

      class Readout(layers.Layer):
          def __init__(self, units, out_units, **kwargs):
              super().__init__(**kwargs)
              self.units = units
              self.state_size = units
              self.output_size = out_units
              self.cell = layers.SimpleRNNCell(units)
              self.readout = layers.Dense(out_units)

          def call(self, inputs, states):
              h, new_states = self.cell(inputs, states)
              return self.readout(h), new_states

      class GruStep(layers.Layer):
          def __init__(self, **kwargs):
              super().__init__(**kwargs)
              self.cell = layers.GRUCell(16)
              self.head = layers.Dense(4)

          def call(self, x):
              h, _ = self.cell(x, x)
              return self.head(h)

      seq = keras.Input(shape=(25, 12))
      z = layers.RNN(Readout(20, 5), return_sequences=True)(seq)
      flat = keras.Input(shape=(16,))
      g = GruStep()(flat)
      m = keras.Model([seq, flat], [z, g])
    `, 'm');
    // SimpleRNNCell(20) on 12: 12*20 + 20*20 + 20 = 660; Dense(20 -> 5) = 105.
    // GRUCell(16) on 16 (reset_after): 3*(16*(16+16) + 2*16) = 1632; Dense(16 -> 4) = 68.
    expect(rows(m)).toEqual([
      ['rnn', [null, 25, 5], 765],
      ['gru_step', [null, 4], 1632 + 68],
    ]);
  });
});

describe('a built-in layer built by hand', () => {
  it('has its weights from the build shape', () => {
    const m = model(`
      import keras
      from keras import layers

      class Head(layers.Layer):
          def __init__(self, **kwargs):
              super().__init__(**kwargs)
              self.proj = layers.Dense(6)
              self.spare = layers.Dense(3)

          def build(self, input_shape):
              self.proj.build(input_shape)
              self.spare.build((None, 6))

          def call(self, x):
              return self.proj(x)

      x_in = keras.Input(shape=(10,))
      m = keras.Model(x_in, Head()(x_in))
    `, 'm');
    // Dense(10 -> 6) = 66 and the built but unused Dense(6 -> 3) = 21: Keras counts built weights.
    expect(rows(m)).toEqual([['head', [null, 6], 66 + 21]]);
  });
});

describe('keras.layers.Wrapper subclasses', () => {
  it('hold the wrapped layer as self.layer, build it and call it', () => {
    const m = model(`
      import keras
      from keras import layers

      @keras.saving.register_keras_serializable(package="probe")
      class WeightNorm(layers.Wrapper):
          def build(self, input_shape=None):
              super().build(input_shape)
              kernel = self.layer.kernel
              self.g = self.add_weight(name="g", shape=(kernel.shape[-1],), initializer="ones")

          def call(self, inputs):
              return self.layer(inputs) * self.g

      class Plain(layers.Wrapper):
          pass

      inputs = keras.Input(shape=(32, 32, 3))
      x = WeightNorm(layers.Conv2D(16, 3, padding="same"))(inputs)
      x = Plain(layers.Conv2D(8, 3, strides=2))(x)
      m = keras.Model(inputs, x)
    `, 'm');
    // Conv2D 3x3 3->16: 432 + 16 = 448, plus g (16,) = 464; Conv2D 3x3 16->8 valid stride 2:
    // 1152 + 8 = 1160, (32 - 3) // 2 + 1 = 15.
    expect(rows(m)).toEqual([
      ['weight_norm', [null, 32, 32, 16], 464],
      ['plain', [null, 15, 15, 8], 1160],
    ]);
  });
});

describe('keras.ops.moments', () => {
  it('gives mean and variance reduced over the axes (GauGAN SPADE)', () => {
    const m = model(`
      import keras
      from keras import layers, ops

      class Norm(layers.Layer):
          def __init__(self, **kwargs):
              super().__init__(**kwargs)
              self.conv = layers.Conv2D(8, 3, padding="same")

          def call(self, x):
              mean, var = ops.moments(x, axes=(0, 1, 2), keepdims=True)
              return self.conv((x - mean) / ops.sqrt(var + 1e-5))

      class Stats(layers.Layer):
          def call(self, x):
              mean, var = ops.moments(x, axes=[1, 2])
              return ops.concatenate([mean, var], axis=-1)

      x_in = keras.Input(shape=(4, 4, 6))
      m = keras.Model(x_in, [Norm()(x_in), Stats()(x_in)])
    `, 'm');
    // Conv2D 3x3 6->8: 432 + 8 = 440; moments over H, W without keepdims: (None, 6) each.
    expect(rows(m)).toEqual([
      ['norm', [null, 4, 4, 8], 440],
      ['stats', [null, 12], 0],
    ]);
  });
});

describe('numpy.random samplers in a layer constructor', () => {
  // keras.io neural decision trees: rows of np.eye(num_features) picked by np.random.choice.
  it('give arrays of the requested size', () => {
    const m = model(`
      import numpy as np
      import keras
      from keras import layers, ops

      class Masked(layers.Layer):
          def __init__(self, **kwargs):
              super().__init__(**kwargs)
              one_hot = np.eye(20)
              idx = np.random.choice(np.arange(20), 10, replace=False)
              self.mask = ops.convert_to_tensor(one_hot[idx], dtype="float32")
              self.noise = np.random.normal(0.0, 1.0, size=(10, 6))
              self.proj = layers.Dense(4)

          def call(self, x):
              h = ops.matmul(x, ops.transpose(self.mask))
              return self.proj(ops.matmul(h, ops.convert_to_tensor(self.noise, dtype="float32")))

      x_in = keras.Input(shape=(20,))
      m = keras.Model(x_in, Masked()(x_in))
    `, 'm');
    // mask (10, 20): x (None, 20) -> (None, 10); noise (10, 6) -> (None, 6); Dense(6 -> 4) = 28.
    expect(rows(m)).toEqual([['masked', [null, 4], 28]]);
  });
});

describe('keras.ops control flow in a layer call', () => {
  it('fori_loop / while_loop keep the carried shape, cond takes its branch, scan and map stack along the sequence', () => {
    const m = model(`
      import keras
      from keras import layers, ops

      class Flow(layers.Layer):
          def __init__(self, **kwargs):
              super().__init__(**kwargs)
              self.step = layers.Dense(16)

          def call(self, x):
              h = ops.fori_loop(0, 3, lambda i, h: h + self.step(h), x)
              (k, h) = ops.while_loop(lambda k, h: k < 2, lambda k, h: (k + 1, h * 2.0), (0, h))
              wide = ops.cond(False, lambda: h, lambda: ops.concatenate([h, h], axis=-1))

              def step(carry, xt):
                  return carry + xt, carry * xt

              last, ys = ops.scan(step, ops.zeros_like(wide[:, 0]), ops.transpose(wide, (1, 0, 2)))
              rows = ops.map(lambda r: ops.sum(r, axis=-1), ys)
              return last, ys, rows

      x_in = keras.Input(shape=(10, 16))
      m = keras.Model(x_in, Flow()(x_in))
    `, 'm');
    // Dense(16 -> 16) = 272; cond(False) takes the concatenated (None, 10, 32) branch; scan over
    // the 10 time steps: carry (None, 32), ys (10, None, 32); map over ys: (10, None).
    expect(m.output_shape).toEqual([[null, 32], [10, null, 32], [10, null]]);
    expect(m.total_params).toBe(272);
  });
});

describe('keras.ops.segment_sum / segment_max', () => {
  it('give [num_segments] + data.shape[ids.ndim:], None rows without num_segments', () => {
    const m = model(`
      import keras
      from keras import layers, ops

      class Pool(layers.Layer):
          def call(self, inputs):
              data, ids = inputs
              return ops.segment_sum(data, ids, num_segments=8), ops.segment_max(data, ids)

      data = keras.Input(shape=(5, 3))
      ids = keras.Input(shape=(), dtype="int32")
      m = keras.Model([data, ids], Pool()([data, ids]))
    `, 'm');
    expect(m.output_shape).toEqual([[8, 5, 3], [null, 5, 3]]);
  });
});

describe('Bidirectional over keras.layers.RNN with a user-written cell', () => {
  it('runs both directions over copies of the cell and merges them', () => {
    const m = model(`
      import keras
      from keras import layers, ops

      class Cell(layers.Layer):
          def __init__(self, units, **kwargs):
              super().__init__(**kwargs)
              self.units = units

          @property
          def state_size(self):
              return self.units

          def build(self, input_shape):
              self.proj = layers.Dense(self.units, activation="tanh")
              self.proj.build((None, input_shape[-1] + self.units))

          def get_config(self):
              return {**super().get_config(), "units": self.units}

          def call(self, inputs, states):
              h = self.proj(ops.concatenate([inputs, states[0]], axis=-1))
              return h, [h]

      seq = keras.Input(shape=(7, 5))
      x = layers.Bidirectional(layers.RNN(Cell(6), return_sequences=True))(seq)
      y = layers.Bidirectional(layers.RNN(Cell(4)), merge_mode="sum")(x)
      out = layers.Dense(1)(y)
      m = keras.Model(seq, out)
    `, 'm');
    // Cell(6) on 5: Dense(11 -> 6) = 72 per direction; Cell(4) on 12: Dense(16 -> 4) = 68 per
    // direction. Each direction's copy builds its own Dense (dense .. dense_3), so the head is dense_4.
    expect(rows(m)).toEqual([
      ['bidirectional', [null, 7, 12], 144],
      ['bidirectional_1', [null, 4], 136],
      ['dense_4', [null, 1], 5],
    ]);
  });
});
