import { describe, expect, it } from 'vitest';
import { dl303 } from '../../../../src/core/lint/rules/dl303-tf-function-python-state';
import { fixAndRerun, linesOf, py, runRule } from './run-rule';

describe('DL303 tf-function-python-state', () => {
  it('fires on print, outer list appends and global writes', async () => {
    const src = py(`
      import tensorflow as tf
      history = []
      counter = 0
      @tf.function
      def step(x):
          global counter
          print("mean:", tf.reduce_mean(x))
          history.append(x)
          counter += 1
          return x * 2
    `);
    const fs = await runRule(dl303, src);
    expect(linesOf(fs)).toEqual([7, 8, 9]);
    expect(fs[0].severity).toBe('information');
    const { fixed } = await fixAndRerun(dl303, src);
    expect(fixed).toContain('tf.print("mean:", tf.reduce_mean(x))');
  });

  it('stays quiet outside tf.function and on local containers', async () => {
    const src = py(`
      import tensorflow as tf
      history = []
      def eager(x):
          print(x)
          history.append(x)
      @tf.function
      def step(x):
          parts = []
          parts.append(x)
          tf.print(x)
          return tf.stack(parts)
    `);
    expect(await runRule(dl303, src)).toEqual([]);
  });

  it('fires on item assignment to a module-level container and in functions wrapped by tf.function(f)', async () => {
    const src = py(`
      import tensorflow as tf
      log = {}
      seen = []
      @tf.function
      def f(x):
          log["last"] = x
          cache = {}
          cache["k"] = x
          return x
      def side(x):
          print("tracing")
          seen.append(x)
          log["n"] += 1
          return x
      def eager(x):
          log["e"] = x
          seen.append(x)
      side_fn = tf.function(side)
    `);
    const fs = await runRule(dl303, src);
    expect(fs.map((f) => [f.range.line + 1, f.severity])).toEqual([[6, 'warning'], [11, 'information'], [12, 'warning'], [13, 'warning']]);
  });

  it('fires on a module-level global the module re-binds after the traced function ran', async () => {
    const src = py(`
      import tensorflow as tf
      threshold = 0.5
      scale = 1.0
      w = tf.Variable(1.0)
      @tf.function
      def classify(x):
          return tf.cast(x * scale > threshold, tf.int32) + tf.cast(w, tf.int32)
      a = classify(tf.ones([2]))
      threshold = 0.7
      w = tf.Variable(2.0)
      for scale in (0.1, 0.01):
          classify(tf.ones([2]))
      lr = 0.1
      @tf.function
      def update(g):
          w.assign_sub(lr * g)
      for lr in (0.1, 0.01):
          update(tf.ones([1]))
    `);
    const fs = await runRule(dl303, src);
    expect(fs.map((f) => [f.range.line + 1, f.message.match(/^`(\w+)`/)?.[1]])).toEqual([[7, 'scale'], [7, 'threshold'], [16, 'lr']]);
  });

  it('stays quiet on globals set once, re-bound only before the first call, or bound to tf.Variable', async () => {
    const src = py(`
      import tensorflow as tf
      BATCH = 32
      if tf.executing_eagerly():
          BATCH = 4
      SCALE = 2.0
      counter = tf.Variable(0)
      @tf.function
      def f(x):
          counter.assign_add(1)
          return tf.reshape(x, [BATCH, -1]) * SCALE
      def helper(x):
          return x
      for step in range(2):
          f(tf.ones([8, 2]))
      counter = tf.Variable(5)
      BATCH2 = 3
    `);
    expect(await runRule(dl303, src)).toEqual([]);
  });
});
