import { describe, expect, it } from 'vitest';
import { dl305 } from '../../../../src/core/lint/rules/dl305-variable-in-tf-function';
import { linesOf, py, runRule } from './run-rule';

describe('DL305 variable-in-tf-function', () => {
  it('fires on tf.Variable created unconditionally in a tf.function', async () => {
    const src = py(`
      import tensorflow as tf
      @tf.function
      def accumulate(x):
          total = tf.Variable(0.0)
          total.assign_add(tf.reduce_sum(x))
          return total
    `);
    expect(linesOf(await runRule(dl305, src))).toEqual([4]);
  });

  it('stays quiet on module-level variables and the create-once idiom', async () => {
    const src = py(`
      import tensorflow as tf
      total = tf.Variable(0.0)
      class Acc(tf.Module):
          def __init__(self):
              self.v = None
          @tf.function
          def __call__(self, x):
              if self.v is None:
                  self.v = tf.Variable(tf.zeros_like(x))
              return self.v.assign_add(x)
      @tf.function
      def accumulate(x):
          total.assign_add(tf.reduce_sum(x))
          return total
    `);
    expect(await runRule(dl305, src)).toEqual([]);
  });
});
