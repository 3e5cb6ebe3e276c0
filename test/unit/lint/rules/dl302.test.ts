import { describe, expect, it } from 'vitest';
import { dl302 } from '../../../../src/core/lint/rules/dl302-tf-function-retracing';
import { applyEdits, linesOf, py, runRule } from './run-rule';

describe('DL302 tf-function-retracing', () => {
  it('fires on a Python counter argument and on tf.function created in a loop', async () => {
    const src = py(`
      import tensorflow as tf
      @tf.function
      def train_step(x, y, step):
          return x
      for step, (x, y) in enumerate(ds):
          train_step(x, y, step)
          tf.function(lambda t: t * 2)(x)
      for i in range(100):
          train_step(x, y, i + 1)
    `);
    const fs = await runRule(dl302, src);
    expect(linesOf(fs)).toEqual([6, 7, 9]);
    const fixed = applyEdits(src, fs[0].fix!.edits);
    expect(fixed).toContain('train_step(x, y, tf.constant(step))');
  });

  it('stays quiet on tensors, input signatures and functions created once', async () => {
    const src = py(`
      import tensorflow as tf
      @tf.function
      def train_step(x, y, step):
          return x
      @tf.function(input_signature=[tf.TensorSpec([None]), tf.TensorSpec([None]), tf.TensorSpec([], tf.int64)])
      def sig_step(x, y, step):
          return x
      double = tf.function(lambda t: t * 2)
      for step, (x, y) in enumerate(ds):
          train_step(x, y, tf.constant(step, tf.int64))
          sig_step(x, y, step)
          double(x)
      for x, y in ds:
          train_step(x, y, 0)
    `);
    expect(await runRule(dl302, src)).toEqual([]);
  });

  it('fires on an enclosing loop counter (epoch) passed in the inner batch loop, not when it is rebound as a tensor', async () => {
    const src = py(`
      import tensorflow as tf
      @tf.function
      def train_step(x, y, epoch):
          return x
      for epoch in range(10):
          for x, y in ds:
              train_step(x, y, epoch)
      for epoch in range(10):
          epoch = tf.constant(epoch)
          for x, y in ds:
              train_step(x, y, epoch)
      for epoch in range(10):
          for x, y in ds:
              train_step(x, y, tf.constant(epoch))
    `);
    expect(linesOf(await runRule(dl302, src))).toEqual([7]);
  });

  it('fires on a name computed from the counter in the loop (lr = 0.1 * 0.9 ** epoch), not on a tensor or a rebound name', async () => {
    const src = py(`
      import tensorflow as tf
      @tf.function
      def train_step(x, lr):
          return x * lr
      for epoch in range(10):
          lr = 0.1 * 0.9 ** epoch
          train_step(x, lr)
      for epoch in range(10):
          lr = 0.1 * 0.9 ** epoch
          for x in ds:
              train_step(x, lr)
      for epoch in range(10):
          lr = tf.constant(0.1 * 0.9 ** epoch)
          train_step(x, lr)
      for epoch in range(10):
          lr = 0.1 * epoch
          if epoch > 5:
              lr = base_lr
          train_step(x, lr)
      lr = 0.1
      for epoch in range(10):
          train_step(x, lr)
          lr2 = lr * epoch
    `);
    expect(linesOf(await runRule(dl302, src))).toEqual([7, 11]);
  });

  it('fires on a list/dict argument holding the counter, and on a comprehension sized by it', async () => {
    const src = py(`
      import tensorflow as tf
      @tf.function
      def combine(xs):
          return xs
      for i in range(5):
          combine([tf.ones([2]) * j for j in range(i + 1)])
          combine({"step": i, "x": tf.ones([2])})
          combine((tf.ones([2]), i * 2))
    `);
    expect(linesOf(await runRule(dl302, src))).toEqual([6, 7, 8]);
  });

  it('stays quiet on structures of tensors whose layout does not follow the counter', async () => {
    const src = py(`
      import tensorflow as tf
      @tf.function
      def combine(xs):
          return xs
      xs = tf.ones([10, 2])
      for i in range(5):
          combine([xs[i], xs[i] * 2])
          combine({"x": xs[i]})
          combine([xs[j] for j in range(3)])
    `);
    expect(await runRule(dl302, src)).toEqual([]);
  });

  it('fires on a loop over a literal list of numbers passed as a Python number, not over tensors or a list of names', async () => {
    // Before: only range / enumerate counters were Python numbers (a learning-rate sweep
    // \`for lr in [0.1, 0.01]: step(x, lr)\` traced once per value unreported).
    const src = py(`
      import tensorflow as tf
      @tf.function
      def step(x, lr):
          return x * lr
      x = tf.constant(2.0)
      for lr in [0.1, 0.05, -0.01]:
          step(x, lr)
      for lr in (1e-3, 1e-4):
          step(x, tf.constant(lr))
      for t in [tf.constant(1.0), tf.constant(2.0)]:
          step(x, t)
      for v in [x, x]:
          step(x, v)
    `);
    expect(linesOf(await runRule(dl302, src))).toEqual([7]);
  });
});
