import { describe, expect, it } from 'vitest';
import { dl307 } from '../../../../src/core/lint/rules/dl307-non-persistent-tape-reuse';
import { fixAndRerun, linesOf, py, runRule } from './run-rule';

describe('DL307 non-persistent-tape-reuse', () => {
  it('fires on a second gradient call and adds persistent=True', async () => {
    const src = py(`
      import tensorflow as tf
      def gan_step(gen, disc, z, real):
          with tf.GradientTape() as tape:
              fake = gen(z, training=True)
              g_loss, d_loss = gan_losses(disc, real, fake)
          g_grads = tape.gradient(g_loss, gen.trainable_variables)
          d_grads = tape.gradient(d_loss, disc.trainable_variables)
          return g_grads, d_grads
    `);
    const fs = await runRule(dl307, src);
    expect(linesOf(fs)).toEqual([7]);
    const { fixed, after } = await fixAndRerun(dl307, src);
    expect(fixed).toContain('tf.GradientTape(persistent=True) as tape');
    expect(after).toEqual([]);
  });

  it('fires on a gradient call in a loop with the tape created outside', async () => {
    const src = py(`
      import tensorflow as tf
      with tf.GradientTape() as tape:
          y = f(x)
      for v in variables:
          g = tape.gradient(y, v)
    `);
    expect(linesOf(await runRule(dl307, src))).toEqual([5]);
  });

  it('stays quiet on two tapes, persistent tapes, exclusive branches and rebound names', async () => {
    const src = py(`
      import tensorflow as tf
      def a(gen, disc):
          with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
              g_loss, d_loss = losses()
          g = g_tape.gradient(g_loss, gen.trainable_variables)
          d = d_tape.gradient(d_loss, disc.trainable_variables)
      def b(m):
          with tf.GradientTape(persistent=True) as tape:
              l1, l2 = losses()
          g1 = tape.gradient(l1, m.trainable_variables)
          g2 = tape.gradient(l2, m.trainable_variables)
          del tape
      def c(m, flag):
          with tf.GradientTape() as tape:
              l = loss()
          if flag:
              g = tape.gradient(l, m.trainable_variables)
          else:
              g = tape.gradient(l * 2, m.trainable_variables)
      def d(m):
          with tf.GradientTape() as tape:
              l = loss()
          g = tape.gradient(l, m.trainable_variables)
          with tf.GradientTape() as tape:
              l2 = loss()
          g2 = tape.gradient(l2, m.trainable_variables)
      for batch in ds:
          with tf.GradientTape() as tape:
              l = loss(batch)
          g = tape.gradient(l, vs)
    `);
    expect(await runRule(dl307, src)).toEqual([]);
  });
});
