import { describe, expect, it } from 'vitest';
import { dl306 } from '../../../../src/core/lint/rules/dl306-loss-outside-gradient-tape';
import { linesOf, py, runRule } from './run-rule';

describe('DL306 loss-outside-gradient-tape', () => {
  it('fires when the loss is computed after the tape block', async () => {
    const src = py(`
      import tensorflow as tf
      def train_step(model, x, y):
          with tf.GradientTape() as tape:
              preds = model(x, training=True)
          loss = loss_fn(y, preds)
          grads = tape.gradient(loss, model.trainable_variables)
          return grads
      def other(model, x, y):
          with tf.GradientTape() as t:
              out = model(x, training=True)
          return t.gradient(tf.reduce_mean(out), model.trainable_variables)
      def sliced(model, x):
          with tf.GradientTape() as t:
              t.watch(x)
              y = model(x)
          return t.gradient(y[:, 0], x), t.gradient(-y, x)
    `);
    // A slice or a negation written in the gradient call runs after the block too.
    expect(linesOf(await runRule(dl306, src))).toEqual([5, 11, 16, 16]);
  });

  it('stays quiet when the loss is recorded, for nested tapes and for watched inputs', async () => {
    const src = py(`
      import tensorflow as tf
      def train_step(model, x, y):
          with tf.GradientTape() as tape:
              preds = model(x, training=True)
              loss = loss_fn(y, preds)
          grads = tape.gradient(loss, model.trainable_variables)
          return grads
      def second(f, x):
          with tf.GradientTape() as t2:
              t2.watch(x)
              with tf.GradientTape() as t1:
                  t1.watch(x)
                  y = f(x)
              dy = t1.gradient(y, x)
          return t2.gradient(dy, x)
    `);
    expect(await runRule(dl306, src)).toEqual([]);
  });
});
