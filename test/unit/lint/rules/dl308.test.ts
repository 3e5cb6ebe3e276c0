import { describe, expect, it } from 'vitest';
import { dl308 } from '../../../../src/core/lint/rules/dl308-dataset-shuffle-after-batch';
import { linesOf, py, runRule } from './run-rule';

describe('DL308 dataset-shuffle-after-batch', () => {
  it('fires on shuffle after batch, in a chain and across reassignments', async () => {
    const src = py(`
      import tensorflow as tf
      ds = (tf.data.Dataset.from_tensor_slices((x, y))
            .batch(64)
            .shuffle(1000)
            .prefetch(tf.data.AUTOTUNE))
      d2 = tf.data.TFRecordDataset(files)
      d2 = d2.map(parse).batch(32)
      d2 = d2.shuffle(100)
      d3 = tf.data.Dataset.range(10).repeat().shuffle(10)
    `);
    const fs = await runRule(dl308, src);
    // In the chain, on the .shuffle line (the call itself starts at the chain's first line).
    expect(linesOf(fs)).toEqual([4, 8, 9]);
    expect(fs[0].range.character).toBe(src.split('\n')[3].indexOf('shuffle'));
    expect(fs.map((f) => f.severity)).toEqual(['warning', 'warning', 'information']);
  });

  it('stays quiet on shuffle before batch, after unbatch, and on unknown datasets', async () => {
    const src = py(`
      import tensorflow as tf
      ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(len(x)).batch(64).prefetch(tf.data.AUTOTUNE)
      d2 = tf.data.Dataset.from_tensor_slices(x).batch(8).unbatch().shuffle(100).batch(8)
      d3 = load_dataset().batch(8).shuffle(10)
      d4 = tf.data.Dataset.from_tensor_slices(x).shuffle(100).repeat()
      # TF text generation: batch() cuts the stream into sequences, shuffled, then batched again.
      seqs = tf.data.Dataset.range(100_000).batch(101, drop_remainder=True)
      d5 = seqs.map(split_input_target).shuffle(10_000).batch(64, drop_remainder=True)
      d6 = seqs.shuffle(1000)
      d6 = d6.batch(32)
    `);
    expect(await runRule(dl308, src)).toEqual([]);
  });

  it('stays quiet on a shuffle of batches whose examples were reshuffled before batching', async () => {
    const src = py(`
      import tensorflow as tf
      ds = tf.data.Dataset.range(100).shuffle(100).batch(8).shuffle(4)
      d2 = tf.data.Dataset.range(100).shuffle(100, seed=1).map(f).batch(8).prefetch(2).shuffle(4)
      d3 = tf.data.Dataset.range(100).shuffle(100, reshuffle_each_iteration=flag).batch(8).shuffle(4)
    `);
    expect(await runRule(dl308, src)).toEqual([]);
  });

  it('still fires when the earlier shuffle is frozen (no reshuffle, or cached before batching)', async () => {
    const src = py(`
      import tensorflow as tf
      ds = tf.data.Dataset.range(100).shuffle(100, reshuffle_each_iteration=False).batch(8).shuffle(4)
      d2 = tf.data.Dataset.range(100).shuffle(100, None, False).batch(8).shuffle(4)
      d3 = tf.data.Dataset.range(100).shuffle(100).cache().batch(8).shuffle(4)
      d4 = tf.data.Dataset.range(100).batch(8).shuffle(4).shuffle(2)
    `);
    const fs = await runRule(dl308, src);
    expect(linesOf(fs)).toEqual([2, 3, 4, 5, 5]);
    expect(fs.map((f) => f.severity)).toEqual(['warning', 'warning', 'warning', 'warning', 'warning']);
  });

  it('reports repeat before shuffle also when a batch follows the shuffle', async () => {
    const src = py(`
      import tensorflow as tf
      def make():
          return tf.data.Dataset.range(100).repeat().shuffle(10).batch(4)
    `);
    const fs = await runRule(dl308, src);
    expect(linesOf(fs)).toEqual([3]);
    expect(fs.map((f) => f.severity)).toEqual(['information']);
  });

  it('follows a dataset kept on the instance (self.ds set once in another method)', async () => {
    const src = py(`
      import tensorflow as tf
      class Pipeline:
          def __init__(self, seqs, other):
              self.ds = tf.data.Dataset.from_generator(lambda: iter(seqs), output_signature=tf.TensorSpec([None], tf.int32))
              self.other = other
              self.twice = tf.data.Dataset.range(10).batch(2)
          def reset(self):
              self.twice = tf.data.Dataset.range(10)
          def build(self, bs):
              ds = self.ds.padded_batch(bs)
              ds = ds.shuffle(100)
              a = self.other.batch(bs).shuffle(10)
              b = self.twice.shuffle(10)
              return ds, a, b
    `);
    expect(linesOf(await runRule(dl308, src))).toEqual([11]);
  });
});
