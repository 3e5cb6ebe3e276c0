import { describe, expect, it } from 'vitest';
import { analyzeDetailed } from '../../../../src/core/analyze';
import { collectImports, makeContext } from '../../../../src/core/lint/context';
import { dl208 } from '../../../../src/core/lint/rules/dl208-mixed-keras-imports';
import type { Finding } from '../../../../src/core/lint/types';
import { getParser, linesOf, py, runRule } from './run-rule';

/** runRule with a pinned TensorFlow version (`[tool.tensorlens] tensorflow = "..."`). */
async function runPinned(text: string, tensorflow: string): Promise<Finding[]> {
  const detailed = analyzeDetailed(await getParser(), text, { fileName: 'test.py' });
  const facts = { text, lines: text.split('\n'), module: detailed.module!, analysis: detailed.analysis, imports: collectImports(detailed.module!), settings: { versions: { tensorflow } } };
  const sink: Finding[] = [];
  dl208.check(makeContext(facts, dl208.meta, sink));
  return sink;
}

describe('DL208 mixed-keras-imports', () => {
  it('fires when standalone keras and tf.keras are mixed', async () => {
    const src = py(`
      import tensorflow as tf
      from keras.layers import Dense
      inputs = tf.keras.Input(shape=(8,))
      outputs = Dense(1)(inputs)
    `);
    const fs = await runRule(dl208, src);
    expect(linesOf(fs)).toEqual([3]);
  });

  it('fires on tensorflow.python.keras next to tensorflow.keras', async () => {
    const src = py(`
      from tensorflow.keras import layers
      from tensorflow.python.keras.models import Sequential
    `);
    expect(linesOf(await runRule(dl208, src))).toEqual([2]);
  });

  it('stays quiet on one namespace and on try/except fallbacks', async () => {
    const a = py(`
      import tensorflow as tf
      from tensorflow import keras
      from tensorflow.keras import layers
      m = tf.keras.Sequential([layers.Dense(1)])
    `);
    const b = py(`
      import keras
      from keras import layers
      import tensorflow as tf
      ds = tf.data.Dataset.from_tensor_slices(x)
    `);
    const c = py(`
      try:
          import keras
      except ImportError:
          from tensorflow import keras
    `);
    expect(await runRule(dl208, a)).toEqual([]);
    expect(await runRule(dl208, b)).toEqual([]);
    expect(await runRule(dl208, c)).toEqual([]);
  });

  it('is an error where objects cross to tensorflow.python.keras / tf_keras, or between keras and tf.keras under a pinned TF < 2.16', async () => {
    // Before: only the file-level warning existed (pitfalls.md: "error when an object created
    // from one namespace is passed to a constructor/call from the other").
    const src = py(`
      import tensorflow as tf
      from tensorflow.python.keras import layers
      model = tf.keras.Sequential([
          tf.keras.Input(shape=(10,)),
          layers.Dense(4),
      ])
      inputs = tf.keras.Input(shape=(8,))
      outputs = layers.Dense(1)(inputs)
      ok = layers.Dense(2)(layers.Input(shape=(3,)))
    `);
    const fs = await runRule(dl208, src);
    expect(fs.map((f) => [f.range.line + 1, f.severity ?? 'warning'])).toEqual([[3, 'warning'], [5, 'error'], [8, 'error']]);
    const mixed = py(`
      import tensorflow as tf
      from keras.layers import Dense
      inputs = tf.keras.Input(shape=(8,))
      outputs = Dense(1)(inputs)
    `);
    // TF >= 2.16 (assumed when nothing is pinned): tf.keras is Keras 3, the file-level warning only.
    expect((await runRule(dl208, mixed)).map((f) => f.severity ?? 'warning')).toEqual(['warning']);
    expect((await runPinned(mixed, '2.19')).map((f) => f.severity ?? 'warning')).toEqual(['warning']);
    const old = await runPinned(mixed, '2.12');
    expect(old.map((f) => [f.range.line + 1, f.severity ?? 'warning'])).toEqual([[3, 'warning'], [4, 'error']]);
  });
});
