import { describe, expect, it } from 'vitest';
import { dl207 } from '../../../../src/core/lint/rules/dl207-training-flag-custom-loop';
import { fixAndRerun, linesOf, py, runRule } from './run-rule';

describe('DL207 training-flag-custom-loop', () => {
  it('fires on a model call without training=True inside the tape, and adds it', async () => {
    const src = py(`
      import tensorflow as tf
      model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dropout(0.5), tf.keras.layers.Dense(1)])
      @tf.function
      def train_step(x, y):
          with tf.GradientTape() as tape:
              pred = model(x)
              loss = tf.reduce_mean(tf.square(y - pred))
          grads = tape.gradient(loss, model.trainable_variables)
          opt.apply_gradients(zip(grads, model.trainable_variables))
    `);
    const fs = await runRule(dl207, src);
    expect(linesOf(fs)).toEqual([6]);
    const { fixed, after } = await fixAndRerun(dl207, src);
    expect(fixed).toContain('pred = model(x, training=True)');
    expect(after).toEqual([]);
  });

  it('fires on self(x) in a train_step override and on a hard-coded training=True in call', async () => {
    const src = py(`
      import keras
      import tensorflow as tf
      class Custom(keras.Model):
          def train_step(self, data):
              x, y = data
              with tf.GradientTape() as tape:
                  y_pred = self(x)
                  loss = self.compute_loss(y=y, y_pred=y_pred)
              grads = tape.gradient(loss, self.trainable_variables)
              return {}
      class Block(keras.layers.Layer):
          def __init__(self):
              super().__init__()
              self.drop = keras.layers.Dropout(0.2)
          def call(self, x):
              return self.drop(x, training=True)
    `);
    expect(linesOf(await runRule(dl207, src))).toEqual([7, 16]);
  });

  it('stays quiet with training=True, unknown models and BatchNorm training=False', async () => {
    const src = py(`
      import tensorflow as tf
      from tensorflow import keras
      model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1)])
      def step(net, x, y):
          with tf.GradientTape() as tape:
              loss = tf.reduce_mean(net(x) - y)
          return tape.gradient(loss, net.trainable_variables)
      def step2(x, y):
          with tf.GradientTape() as tape:
              loss = tf.reduce_mean(model(x, training=True) - y)
          return tape.gradient(loss, model.trainable_variables)
      class Head(keras.layers.Layer):
          def __init__(self):
              super().__init__()
              self.bn = keras.layers.BatchNormalization()
          def call(self, x, training=None):
              return self.bn(x, training=False)
    `);
    expect(await runRule(dl207, src)).toEqual([]);
  });

  it('takes a second positional argument as the training flag (model(x, True))', async () => {
    const src = py(`
      import tensorflow as tf
      model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dropout(0.5), tf.keras.layers.Dense(1)])
      with tf.GradientTape() as tape:
          loss = tf.reduce_mean(tf.square(model(x, True) - y))
          other = model(x)
      grads = tape.gradient(loss, model.trainable_variables)
    `);
    expect(linesOf(await runRule(dl207, src))).toEqual([5]);
  });
  it('downgrades to a hint when the visible model has no training-dependent layer', async () => {
    const src = py(`
      import tensorflow as tf
      from tensorflow.keras import layers
      class ActorCritic(tf.keras.Model):
          def __init__(self, n):
              super().__init__()
              self.common = layers.Dense(64, activation="relu")
              self.actor = layers.Dense(n)
              self.critic = layers.Dense(1)
          def call(self, x):
              h = self.common(x)
              return self.actor(h), self.critic(h)
      class WithDrop(tf.keras.Model):
          def __init__(self):
              super().__init__()
              self.body = tf.keras.Sequential([layers.Dense(8), layers.Dropout(0.1)])
          def call(self, x):
              return self.body(x)
      class Opaque(tf.keras.Model):
          def __init__(self):
              super().__init__()
              self.body = make_block()
          def call(self, x):
              return self.body(x)
      ac = ActorCritic(2)
      wd = WithDrop()
      op = Opaque()
      seq = tf.keras.Sequential([tf.keras.Input((4,)), layers.Dense(8), layers.LSTM(4, dropout=0.2)])
      with tf.GradientTape(persistent=True) as tape:
          a = ac(x)
          b = wd(x)
          c = op(x)
          d = seq(x)
      tape.gradient(a, ac.trainable_variables)
      tape.gradient(b, wd.trainable_variables)
      tape.gradient(c, op.trainable_variables)
      tape.gradient(d, seq.trainable_variables)
    `);
    const fs = await runRule(dl207, src);
    expect(fs.map((f) => [f.range.line + 1, f.severity ?? 'warning'])).toEqual([
      [29, 'hint'],
      [30, 'warning'],
      [31, 'warning'],
      [32, 'warning'],
    ]);
  });
});
