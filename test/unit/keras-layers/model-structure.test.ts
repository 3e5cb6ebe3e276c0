// Model structure the r8 probe found missing: TimeDistributed over a model, layers in nested
// list attributes, a Sequential's symbolic graph (`seq.layers[-2].output`), a subclassed model
// called on keras.Input, and a model built only inside main().
import { describe, expect, it } from 'vitest';
import { kerasSummaries } from './model-summaries';

const { models, rows } = kerasSummaries();

describe('Keras model structure', () => {
  it('TimeDistributed(<Model>): (batch, T) + the inner output without batch; params the inner model params (8*4 + 4 = 36)', () => {
    const ms = models(`
      import keras
      from keras import layers

      inner = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(4)], name="inner")
      seq_in = keras.Input(shape=(5, 8))
      y = layers.TimeDistributed(inner)(seq_in)
      td_model = keras.Model(seq_in, y, name="td_model")
    `);
    const td = ms.find((m) => m.name === 'td_model')!;
    expect(rows(td)).toEqual([['time_distributed', [null, 5, 4], 36]]);
    expect(td.total_params).toBe(36);
  });

  it('TimeDistributed over a subclassed layer runs its call() per step', () => {
    const ms = models(`
      import keras
      from keras import layers

      class Proj(layers.Layer):
          def __init__(self):
              super().__init__()
              self.fc = layers.Dense(3)
          def call(self, x):
              return self.fc(x)

      inp = keras.Input(shape=(7, 5))
      m = keras.Model(inp, layers.TimeDistributed(Proj())(inp))
    `);
    // Dense 5*3 + 3 = 18
    expect(rows(ms[0])).toEqual([['time_distributed', [null, 7, 3], 18]]);
  });

  it('layers in a list of lists / list of tuples attribute are tracked (Dense 10*8+8 = 88, 8*4+4 = 36)', () => {
    const ms = models(`
      import keras
      from keras import layers

      class Net(keras.Model):
          def __init__(self, **kwargs):
              super().__init__(**kwargs)
              self.blocks = [[layers.Dense(8), layers.Activation("relu")], (layers.Dense(4), layers.Activation("relu"))]

          def call(self, x):
              for dense, act in self.blocks:
                  x = act(dense(x))
              return x

      model = Net()
      model.build((None, 10))
    `);
    expect(rows(ms[0])).toEqual([
      ['dense', [null, 8], 88], ['activation', [null, 8], 0], ['dense_1', [null, 4], 36], ['activation_1', [null, 4], 0],
    ]);
    expect(ms[0].total_params).toBe(124);
  });

  it('keras.Model(seq.inputs, seq.layers[-2].output) taps a built Sequential: 10*32+32 + 32*16+16 = 880', () => {
    const ms = models(`
      import keras

      clf = keras.Sequential([
          keras.Input(shape=(10,)),
          keras.layers.Dense(32, activation="relu"),
          keras.layers.Dense(16, activation="relu"),
          keras.layers.Dense(3, activation="softmax"),
      ])
      embedder = keras.Model(inputs=clf.inputs, outputs=clf.layers[-2].output)
    `);
    const e = ms.find((m) => m.name === 'embedder')!;
    expect(rows(e)).toEqual([['dense', [null, 32], 352], ['dense_1', [null, 16], 528]]);
    expect(e.output_shape).toEqual([null, 16]);
    expect(ms.find((m) => m.name === 'clf')!.total_params).toBe(931);
  });

  it('the tap works from get_layer(...).output first, with input_shape= (tf.keras style)', () => {
    const ms = models(`
      from tensorflow import keras

      clf = keras.Sequential([keras.layers.Dense(32, input_shape=(10,)), keras.layers.Dense(16), keras.layers.Dense(3)])
      feats = clf.get_layer(index=1).output
      embedder = keras.Model(clf.input, feats)
    `);
    expect(ms.find((m) => m.name === 'embedder')!.total_params).toBe(880);
  });

  it('a subclassed model called on keras.Input(...) takes that input (Dense 10*4 + 4 = 44)', () => {
    const ms = models(`
      import keras
      from keras import layers

      class Net(keras.Model):
          def __init__(self, **kwargs):
              super().__init__(**kwargs)
              self.fc = layers.Dense(4)

          def call(self, x):
              return self.fc(x)

      net = Net()
      _ = net(keras.Input(shape=(10,)))
    `);
    expect(ms[0].input_shapes).toEqual([[null, 10]]);
    expect(ms[0].output_shape).toEqual([null, 4]);
    expect(ms[0].total_params).toBe(44);
  });

  it('a model built only inside main() is found under its local name (8*40+40 + 40*1+1 = 401)', () => {
    const ms = models(`
      import keras
      from keras import layers

      def build(width=24):
          inp = keras.Input(shape=(8,))
          x = layers.Dense(width, activation="relu")(inp)
          return keras.Model(inp, layers.Dense(1)(x), name="regressor")

      def main():
          model = build(width=40)
          model.summary()

      if __name__ == "__main__":
          main()
    `);
    expect(ms.map((m) => m.name)).toEqual(['model']);
    expect(ms[0].total_params).toBe(401);
  });

  it('a sub-model used as a layer inside main() is not a model of its own', () => {
    const ms = models(`
      import keras
      from keras import layers

      def main():
          enc = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(4)])
          inp = keras.Input(shape=(8,))
          model = keras.Model(inp, layers.Dense(1)(enc(inp)))

      main()
    `);
    expect(ms.map((m) => m.name)).toEqual(['model']);
    // enc 8*4+4 = 36, head 4*1+1 = 5
    expect(ms[0].total_params).toBe(41);
  });
});
