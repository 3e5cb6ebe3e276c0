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
});
