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

  it('ignores random ops under a flag that is false for this map (default or passed False)', async () => {
    const src = py(`
      import functools
      import tensorflow as tf
      def preprocess(image, label, augment=False):
          image = tf.cast(image, tf.float32) / 255.0
          if augment:
              image = tf.image.random_flip_left_right(image)
          return image, label
      base = tf.data.Dataset.from_tensor_slices((x, y))
      a = base.map(preprocess).cache()
      b = base.map(lambda i, l: preprocess(i, l, augment=False)).cache()
      c = base.map(functools.partial(preprocess, augment=False)).cache()
      d = base.map(lambda i, l: preprocess(i, l, augment=True)).cache()
      e = base.map(functools.partial(preprocess, augment=True)).cache()
      f = base.map(lambda i, l: preprocess(i, l, True)).cache()
    `);
    expect(linesOf(await runRule(dl309, src))).toEqual([12, 13, 14]);
  });

  it('fires on a Random* layer (or a Sequential of them) held in a name and called in the map', async () => {
    const src = py(`
      import tensorflow as tf
      from tensorflow.keras import layers
      aug = tf.keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.1)])
      flip = layers.RandomFlip("horizontal")
      plain = tf.keras.Sequential([layers.Rescaling(1 / 255)])
      base = tf.data.Dataset.from_tensor_slices((x, y))
      ds1 = base.map(lambda x, y: (aug(x, training=True), y)).cache()
      ds2 = base.map(lambda x, y: (flip(x), y)).cache()
      def prep(images):
          ds = tf.data.Dataset.from_tensor_slices(images).map(lambda x, y: (aug(x, training=True), y))
          return ds.cache().batch(8)
      ds3 = base.map(lambda x, y: (plain(x), y)).cache()
      ds4 = base.map(lambda x, y: (flip(x, training=False), y)).cache()
    `);
    expect(linesOf(await runRule(dl309, src))).toEqual([7, 8, 11]);
  });

  it('follows a chain on a function parameter only when the mapped function uses TF random ops', async () => {
    const src = py(`
      import random
      import tensorflow as tf
      def jitter(image, label):
          image = tf.image.random_contrast(image, 0.8, 1.2)
          return tf.image.random_flip_up_down(image), label
      def py_noise(x):
          return x + random.random()
      def pipeline(ds):
          return (ds.map(jitter, num_parallel_calls=tf.data.AUTOTUNE)
                  .cache()
                  .shuffle(512)
                  .batch(32))
      def rdd_like(rdd):
          return rdd.map(py_noise).cache()
      def fine(ds):
          return ds.cache().map(jitter).batch(32)
      def rebound(ds):
          ds = load()
          return ds.map(jitter).cache()
    `);
    expect(linesOf(await runRule(dl309, src))).toEqual([10]);
  });
  it('follows a dataset parameter rebound step by step (ds = ds.map(aug); ds = ds.cache())', async () => {
    const src = py(`
      import tensorflow as tf
      def decode(img, label):
          return tf.cast(img, tf.float32) / 255.0, label
      def augment(img, label):
          return tf.image.random_flip_left_right(img), label
      def build(ds):
          ds = ds.map(augment)
          ds = ds.cache()
          return ds.shuffle(100).batch(8)
      def build_ok(ds):
          ds = ds.map(decode).cache()
          ds = ds.map(augment)
          return ds.shuffle(100).batch(8)
      def build_other(ds, other):
          ds = other.map(augment)
          return ds.cache()
      def build_unknown(ds):
          ds = wrap(ds)
          ds = ds.map(augment)
          return ds.cache()
    `);
    expect(linesOf(await runRule(dl309, src))).toEqual([8, 16]);
  });
});
