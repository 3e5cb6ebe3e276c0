import { describe, expect, it } from 'vitest';
import { dl301 } from '../../../../src/core/lint/rules/dl301-tf1-api-in-tf2';
import { fixAndRerun, linesOf, py, runRule } from './run-rule';

describe('DL301 tf1-api-in-tf2', () => {
  it('fires on TF1 graph APIs and rewrites them', async () => {
    const src = py(`
      import tensorflow as tf
      x = tf.placeholder(tf.float32, [None, 784])
      w = tf.get_variable("w", [784, 10])
      opt = tf.train.AdamOptimizer(1e-3)
      y = tf.log(x)
      with tf.Session() as sess:
          sess.run(tf.global_variables_initializer())
    `);
    const fs = await runRule(dl301, src);
    expect(linesOf(fs)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(fs.every((f) => f.severity === 'warning')).toBe(true);
    const { fixed, after } = await fixAndRerun(dl301, src);
    expect(fixed).toContain('tf.math.log(x)');
    expect(fixed).toContain('tf.compat.v1.Session()');
    expect(fixed).toContain('tf.compat.v1.train.AdamOptimizer');
    expect(after).toEqual([]);
  });

  it('is an error when the file also uses TF2 APIs', async () => {
    const src = py(`
      import tensorflow as tf
      @tf.function
      def f(x):
          return tf.Print(x, [x])
    `);
    const fs = await runRule(dl301, src);
    expect(linesOf(fs)).toEqual([4]);
    expect(fs[0].severity).toBe('error');
  });

  it('stays quiet on tf.compat.v1, after disable_v2_behavior, and on TF2 names', async () => {
    const a = py(`
      import tensorflow.compat.v1 as tf
      tf.disable_v2_behavior()
      x = tf.placeholder(tf.float32, [None, 784])
    `);
    const b = py(`
      import tensorflow as tf
      tf.compat.v1.disable_v2_behavior()
      x = tf.placeholder(tf.float32, [None, 784])
    `);
    const c = py(`
      import tensorflow as tf
      ckpt = tf.train.Checkpoint(model=model)
      tf.summary.scalar("loss", 1.0, step=0)
      v = tf.math.log(tf.random.normal([3]))
      tf.compat.v1.Session()
      layer = tf.keras.layers.Dense(3)
    `);
    for (const s of [a, b, c]) expect(await runRule(dl301, s)).toEqual([]);
  });
});
