// TensorFlow ops the r13 Keras probe met. Shapes from the TensorFlow API docs (cited per test),
// never from the engine's own output.
import { describe, expect, it } from 'vitest';
import { kerasSummaries } from '../keras-layers/model-summaries';

const { model } = kerasSummaries();

describe('tf.dynamic_partition', () => {
  it('gives num_partitions tensors of [rows unknown] + data.shape[partitions.ndim:] (TF docs)', () => {
    const m = model(`
      import tensorflow as tf

      class Split(tf.Module):
          def __call__(self, data):
              parts = tf.dynamic_partition(data, tf.zeros([10], dtype=tf.int32), 3)
              rows = tf.dynamic_partition(data, tf.zeros([10, 5], dtype=tf.int32), num_partitions=2)
              return parts[0], parts[2], rows[1], len(parts)

      split = Split()
      out = split(tf.zeros([10, 5, 3]))
    `, 'split');
    expect(m.output_shape?.slice(0, 3)).toEqual([[null, 5, 3], [null, 5, 3], [null, 3]]);
  });
});
