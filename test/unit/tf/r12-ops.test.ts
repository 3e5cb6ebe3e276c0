// TensorFlow ops the r12 Keras probe met. Shapes from the TensorFlow API docs (cited per test),
// never from the engine's own output.
import { describe, expect, it } from 'vitest';
import { kerasSummaries } from '../keras-layers/model-summaries';

const { model } = kerasSummaries();

describe('tf.math.unsorted_segment_*', () => {
  it('gives [num_segments] + data.shape[segment_ids.ndim:] (TF docs), ids 1-D or 2-D', () => {
    const m = model(`
      import tensorflow as tf

      class Aggregate(tf.Module):
          def __call__(self, data):
              mean = tf.math.unsorted_segment_mean(data, tf.zeros([10], dtype=tf.int32), num_segments=4)
              total = tf.math.unsorted_segment_sum(data, tf.zeros([10, 5], dtype=tf.int32), 7)
              biggest = tf.math.unsorted_segment_max(data, tf.zeros([10], dtype=tf.int32), num_segments=26)
              return mean, total, biggest

      aggregate = Aggregate()
      out = aggregate(tf.zeros([10, 5, 3]))
    `, 'aggregate');
    expect(m.output_shape).toEqual([[4, 5, 3], [7, 3], [26, 5, 3]]);
  });
});
