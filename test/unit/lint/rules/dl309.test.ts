import { describe, expect, it } from 'vitest';
import { dl309 } from '../../../../src/core/lint/rules/dl309-dataset-cache-after-random-map';
import { linesOf, py, runRule } from './run-rule';

describe('DL309 dataset-cache-after-random-map', () => {
  it('fires on cache() after a random augmentation map', async () => {
    const src = py(`
      import tensorflow as tf
      def augment(img, label):
          img = tf.image.random_flip_left_right(img)
          return tf.image.random_brightness(img, 0.2), label
      ds = tf.data.Dataset.from_tensor_slices((x, y))
      ds = ds.map(augment).cache().shuffle(1000).batch(32)
      d2 = tf.data.Dataset.from_tensor_slices(x).map(lambda t: t + tf.random.normal(tf.shape(t))).cache()
    `);
    expect(linesOf(await runRule(dl309, src))).toEqual([6, 7]);
  });

  it('stays quiet when caching before the random map or mapping deterministic functions', async () => {
    const src = py(`
      import tensorflow as tf
      def decode(p):
          return tf.io.decode_png(tf.io.read_file(p))
      def augment(img):
          return tf.image.random_flip_left_right(img)
      def flip(img, seed):
          return tf.image.stateless_random_flip_left_right(img, seed)
      ds = tf.data.Dataset.from_tensor_slices(paths).map(decode).cache().shuffle(1000).map(augment).batch(32)
      d2 = tf.data.Dataset.from_tensor_slices(paths).map(flip).cache()
    `);
    expect(await runRule(dl309, src)).toEqual([]);
  });
});
