import { describe, expect, it } from 'vitest';
import { dl201 } from '../../../../src/core/lint/rules/dl201-logits-flag-mismatch';
import { fixAndRerun, linesOf, py, runRule } from './run-rule';

describe('DL201 logits-flag-mismatch', () => {
  it('fires on a softmax head compiled with from_logits=True (error) and fixes it', async () => {
    const src = py(`
      from tensorflow import keras
      from tensorflow.keras import layers
      model = keras.Sequential([
          keras.Input((784,)),
          layers.Dense(128, activation="relu"),
          layers.Dense(10, activation="softmax"),
      ])
      model.compile("adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    `);
    const fs = await runRule(dl201, src);
    expect(linesOf(fs)).toEqual([8]);
    expect(fs[0].severity).toBe('error');
    const { fixed, after } = await fixAndRerun(dl201, src);
    expect(fixed).toContain('from_logits=False');
    expect(after).toEqual([]);
  });

  it('fires on a linear head with a string loss (warning) and fixes it', async () => {
    const src = py(`
      import tensorflow as tf
      model = tf.keras.models.Sequential()
      model.add(tf.keras.layers.Flatten(input_shape=(28, 28)))
      model.add(tf.keras.layers.Dense(128, activation="relu"))
      model.add(tf.keras.layers.Dense(10))
      model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    `);
    const fs = await runRule(dl201, src);
    expect(linesOf(fs)).toEqual([6]);
    expect(fs[0].severity).toBe('warning');
    const { fixed, after } = await fixAndRerun(dl201, src);
    expect(fixed).toContain('loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)');
    expect(after).toEqual([]);
  });

  it('follows a functional model output and a loss held in a variable', async () => {
    const src = py(`
      import keras
      from keras import layers
      def build():
          inputs = keras.Input(shape=(32,))
          x = layers.Dense(64, activation="relu")(inputs)
          outputs = layers.Dense(1, activation="sigmoid")(x)
          model = keras.Model(inputs, outputs)
          bce = keras.losses.BinaryCrossentropy(from_logits=True)
          model.compile(optimizer="adam", loss=bce)
          return model
    `);
    expect(linesOf(await runRule(dl201, src))).toEqual([9]);
  });

  it('fires on raw TF with-logits losses fed a softmax, and drops the softmax', async () => {
    const src = py(`
      import tensorflow as tf
      def loss_fn(labels, z):
          return tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=tf.nn.softmax(z)))
    `);
    const fs = await runRule(dl201, src);
    expect(linesOf(fs)).toEqual([3]);
    const { fixed, after } = await fixAndRerun(dl201, src);
    expect(fixed).toContain('logits=z)');
    expect(after).toEqual([]);
  });

  it('stays quiet on consistent pairs and unknown heads', async () => {
    const src = py(`
      from tensorflow import keras
      from tensorflow.keras import layers
      a = keras.Sequential([keras.Input((784,)), layers.Dense(10)])
      a.compile("adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
      b = keras.Sequential([keras.Input((784,)), layers.Dense(10, activation="softmax")])
      b.compile("adam", loss="sparse_categorical_crossentropy")
      c = keras.Sequential([keras.Input((784,)), layers.Dense(10), layers.Activation("softmax")])
      c.compile("adam", loss="categorical_crossentropy")
      d = keras.Sequential([keras.Input((784,)), layers.Dense(1)])
      d.compile("adam", loss="mse")
      e = keras.Sequential([keras.Input((784,)), layers.Dense(10, activation=ACT)])
      e.compile("adam", loss="categorical_crossentropy")
      f = keras.Sequential([keras.Input((784,)), layers.Dense(10)])
      f.compile("adam", loss=keras.losses.CategoricalCrossentropy(from_logits=flag))
      g = make_model()
      g.compile("adam", loss="categorical_crossentropy")
    `);
    expect(await runRule(dl201, src)).toEqual([]);
  });

  it('knows the head of a Sequential whose hidden layers are added in a loop, not one whose last add is in a branch', async () => {
    const src = py(`
      from tensorflow import keras
      from tensorflow.keras import layers
      def build(n_classes, hidden=(128, 64), logits=False):
          model = keras.Sequential([keras.Input(shape=(40,))])
          for h in hidden:
              model.add(layers.Dense(h, activation="relu"))
          model.add(layers.Dense(n_classes, activation="softmax"))
          model.compile("adam", loss=keras.losses.CategoricalCrossentropy(from_logits=True))
          other = keras.Sequential([keras.Input(shape=(40,))])
          for h in hidden:
              other.add(layers.Dense(h, activation="relu"))
          if logits:
              other.add(layers.Dense(n_classes))
          else:
              other.add(layers.Dense(n_classes, activation="softmax"))
          other.compile("adam", loss=keras.losses.CategoricalCrossentropy(from_logits=True))
          ok = keras.Sequential([keras.Input(shape=(40,))])
          for h in hidden:
              ok.add(layers.Dense(h, activation="relu"))
          ok.add(layers.Dense(n_classes, activation="softmax"))
          ok.compile("adam", loss=keras.losses.CategoricalCrossentropy(from_logits=False))
          return model, other, ok
    `);
    expect(linesOf(await runRule(dl201, src))).toEqual([8]);
  });
  it('sees the head of a model returned by a builder function of the file, not through two returns or a rebinding', async () => {
    const src = py(`
      from tensorflow import keras
      def classifier(n):
          inputs = keras.Input(shape=(20,))
          x = keras.layers.Dense(32, activation="relu")(inputs)
          outputs = keras.layers.Dense(n, activation="softmax")(x)
          return keras.Model(inputs, outputs)
      def seq(n):
          model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(n, activation="softmax")])
          return model
      def either(n, logits):
          if logits:
              return keras.Sequential([keras.layers.Dense(n)])
          return keras.Sequential([keras.layers.Dense(n, activation="softmax")])
      def choose(n, logits):
          return keras.Sequential([keras.layers.Dense(n, activation=None if logits else "softmax")])
      a = classifier(4)
      a.compile("adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
      b = seq(3)
      b.compile("adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
      c = either(3, True)
      c.compile("adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
      d = choose(3, True)
      d.compile("adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
      e = classifier(4)
      e.compile("adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=False))
    `);
    expect(linesOf(await runRule(dl201, src))).toEqual([17, 19]);
  });

  it('fires on a subclassed model whose call() ends in softmax / a softmax Dense compiled with from_logits=True, not on logits or a custom train_step', async () => {
    // Before: only Sequential / functional models had an output activation, so the subclass
    // form of the double softmax went unreported.
    const cls = (ret: string, method = 'def get_config(self):') => py(`
      import tensorflow as tf
      from tensorflow import keras
      class Net(keras.Model):
          def __init__(self):
              super().__init__()
              self.hidden = keras.layers.Dense(32, activation="relu")
              self.out = keras.layers.Dense(5)
              self.probs = keras.layers.Dense(5, activation="softmax")
          def call(self, x):
              h = self.hidden(x)
              return ${ret}
          ${method}
              return {}
      net = Net()
      net.compile(optimizer="adam", loss=keras.losses.CategoricalCrossentropy(from_logits=True))
    `);
    expect(linesOf(await runRule(dl201, cls('tf.nn.softmax(self.out(h))')))).toEqual([15]);
    expect(linesOf(await runRule(dl201, cls('self.probs(h)')))).toEqual([15]);
    expect(await runRule(dl201, cls('tf.nn.softmax(self.out(h))', 'def train_step(self, data):'))).toEqual([]);
    const { fixed } = await fixAndRerun(dl201, cls('tf.nn.softmax(self.out(h))'));
    expect(fixed).toContain('CategoricalCrossentropy(from_logits=False)');
    expect(await runRule(dl201, cls('self.out(h)'))).toEqual([]);
    expect(await runRule(dl201, cls('tf.nn.relu(self.out(h))'))).toEqual([]);
  });
});
