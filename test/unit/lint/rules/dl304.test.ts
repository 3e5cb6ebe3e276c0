import { describe, expect, it } from 'vitest';
import { dl304 } from '../../../../src/core/lint/rules/dl304-numpy-in-traced-code';
import { linesOf, py, runRule } from './run-rule';

describe('DL304 numpy-in-traced-code', () => {
  it('fires on .numpy() in a tf.function and NumPy/sklearn in compile metrics and Keras call', async () => {
    const src = py(`
      import numpy as np
      import tensorflow as tf
      from sklearn.metrics import f1_score
      from tensorflow import keras
      @tf.function
      def top_class(logits):
          return np.argmax(logits.numpy(), axis=-1)
      def f1(y_true, y_pred):
          return f1_score(y_true, y_pred > 0.5)
      class Norm(keras.layers.Layer):
          def call(self, inputs):
              m = inputs * 2
              return np.tanh(m)
      model.compile("adam", "binary_crossentropy", metrics=[f1])
    `);
    expect(linesOf(await runRule(dl304, src)).sort((a, b) => a - b)).toEqual([7, 9, 13]);
  });

  it('stays quiet on static shapes, eager code and run_eagerly=True', async () => {
    const src = py(`
      import numpy as np
      import tensorflow as tf
      from tensorflow import keras
      class Flat(keras.layers.Layer):
          def call(self, inputs):
              n = int(np.prod(inputs.shape[1:]))
              return tf.reshape(inputs, (-1, n))
      def report(y):
          return np.mean(y.numpy())
      def metric(y_true, y_pred):
          return np.mean(y_true.numpy())
      model.compile("adam", "mse", metrics=[metric], run_eagerly=True)
    `);
    expect(await runRule(dl304, src)).toEqual([]);
  });

  it('fires on float() / int() / bool() of a symbolic tensor, not of static shapes, attributes or flags', async () => {
    const src = py(`
      import tensorflow as tf
      class Scale(tf.keras.layers.Layer):
          def call(self, x, training=None):
              n = int(tf.shape(x)[0])
              d = int(x.shape[-1])
              s = float(self.scale)
              t = bool(training)
              return x * float(tf.reduce_max(x))
      @tf.function
      def clip(g):
          return g if bool(tf.reduce_any(tf.math.is_nan(g))) else g * 2.0
    `);
    expect(linesOf(await runRule(dl304, src)).sort((a, b) => a - b)).toEqual([4, 8, 11]);
  });

  it('fires on NumPy calls on tensor parameters in tf.function bodies and Dataset.map functions', async () => {
    const src = py(`
      import numpy as np
      import tensorflow as tf
      @tf.function
      def top(logits):
          probs = tf.nn.softmax(logits)
          n = np.prod(logits.shape[1:])
          r = np.ndim(logits)
          return np.argmax(probs, axis=-1)
      def norm(x, y):
          z = tf.py_function(lambda v: np.clip(v, 0.0, 1.0), [x], tf.float32)
          return np.clip(x, 0.0, 1.0), y
      def plain(x):
          return np.clip(x, 0.0, 1.0)
      @tf.function
      def post(logits, threshold=0.5):
          mask = tf.sigmoid(logits).numpy() > threshold
          return np.where(mask, 1, 0)
      ds = tf.data.Dataset.from_tensor_slices((np.zeros((4, 3)), np.zeros(4))).map(norm)
    `);
    expect(linesOf(await runRule(dl304, src)).sort((a, b) => a - b)).toEqual([8, 11, 16]);
  });

  it('fires on np.random sized or fed from a tensor in traced code (values frozen at trace time), not on other np.random uses', async () => {
    // Before: every numpy.random call was skipped, so noise drawn once while tracing a
    // Dataset.map function (the same "random" noise on every element) went unreported.
    const src = py(`
      import numpy as np
      import tensorflow as tf
      def add_noise(x):
          return x + np.random.normal(0, 0.1, size=x.shape)
      def jitter(x, y):
          z = tf.py_function(lambda v: v + np.random.normal(0, 0.1, v.shape), [x], tf.float32)
          return z, y
      @tf.function
      def mix(a, b):
          lam = np.random.beta(0.2, 0.2)
          return lam * a + (1 - lam) * b
      @tf.function
      def shuffle_rows(x):
          return tf.gather(x, np.random.permutation(x.shape[0]))
      eager = np.random.normal(0, 1, size=(3,)) + np.zeros(3)
      ds = tf.data.Dataset.from_tensor_slices(tf.zeros((10, 3))).map(add_noise)
      ds2 = tf.data.Dataset.from_tensor_slices((tf.zeros((4, 3)), tf.zeros(4))).map(jitter)
    `);
    // add_noise (line 4) and shuffle_rows (line 14); not the py_function lambda, not
    // np.random.beta with constant arguments, not eager module code.
    expect(linesOf(await runRule(dl304, src)).sort((a, b) => a - b)).toEqual([4, 14]);
  });
});
