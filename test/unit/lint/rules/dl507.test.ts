import { describe, expect, it } from 'vitest';
import { dl507 } from '../../../../src/core/lint/rules/dl507-predict-in-loop';
import { fixAndRerun, linesOf, py, runRule } from './run-rule';

describe('DL507 predict-in-loop', () => {
  it('fires on per-sample predict in a loop (warning) and batched predict in a loop (information)', async () => {
    const src = py(`
      import numpy as np
      from tensorflow import keras
      model = keras.models.load_model("m.keras")
      scores = []
      for frame in frames:
          p = model.predict(np.expand_dims(frame, 0))
          scores.append(p[0, 1])
      for batch in batches:
          out = model.predict(batch, verbose=0)
      preds = [model.predict(x[None]) for x in xs]
    `);
    const fs = await runRule(dl507, src);
    expect(linesOf(fs)).toEqual([6, 9, 10]);
    expect(fs.map((f) => f.severity)).toEqual(['warning', 'information', 'warning']);
    const { fixed } = await fixAndRerun(dl507, src);
    expect(fixed).toContain('p = model(np.expand_dims(frame, 0), training=False).numpy()');
  });

  it('stays quiet outside loops and on non-Keras predict', async () => {
    const src = py(`
      import numpy as np
      from tensorflow import keras
      from sklearn.linear_model import LogisticRegression
      model = keras.models.load_model("m.keras")
      probs = model.predict(np.stack(frames), batch_size=64)
      clf = LogisticRegression().fit(X, y)
      for row in rows:
          clf.predict(row.reshape(1, -1))
    `);
    expect(await runRule(dl507, src)).toEqual([]);
  });

  it('stays quiet on one batched predict per model rebuilt in the loop (cross-validation folds), not on per-sample predicts', async () => {
    const src = py(`
      import numpy as np
      from tensorflow import keras
      from tensorflow.keras import layers
      for val_idx in np.array_split(np.arange(50), 5):
          model = keras.Sequential([keras.Input((4,)), layers.Dense(1, activation="sigmoid")])
          model.compile("adam", "binary_crossentropy")
          oof = model.predict(X[val_idx], batch_size=256, verbose=0)
          one = model.predict(np.expand_dims(X[0], 0))
    `);
    expect(linesOf(await runRule(dl507, src))).toEqual([8]);
  });

  it('fires on self.<attr>.predict when every assignment of the attribute builds or loads a Keras model', async () => {
    const src = py(`
      import numpy as np
      from tensorflow import keras
      class Scorer:
          def __init__(self, path, other):
              self.model = keras.models.load_model(path)
              self.other = other
              self.maybe = keras.models.load_model(path)
          def swap(self, m):
              self.maybe = m
          def score(self, rows):
              out = []
              for row in rows:
                  out.append(self.model.predict(np.expand_dims(row, 0))[0])
                  out.append(self.other.predict(np.expand_dims(row, 0))[0])
                  out.append(self.maybe.predict(np.expand_dims(row, 0))[0])
              return out
          def once(self, rows):
              return self.model.predict(np.stack(rows))
    `);
    expect(linesOf(await runRule(dl507, src))).toEqual([13]);
  });
});
