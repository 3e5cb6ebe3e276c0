import { describe, expect, it } from 'vitest';
import { dl502 } from '../../../../src/core/lint/rules/dl502-unsafe-model-deserialization';
import { fixAndRerun, linesOf, py, runRule } from './run-rule';

describe('DL502 unsafe-model-deserialization', () => {
  it('fires on pickle loads, allow_pickle=True, safe_mode=False and trust_remote_code=True', async () => {
    const src = py(`
      import pickle
      import numpy as np
      from tensorflow import keras
      from transformers import AutoModel
      with open("model.pkl", "rb") as f:
          clf = pickle.load(f)
      feats = np.load("features.npy", allow_pickle=True)
      model = keras.models.load_model("model.keras", safe_mode=False)
      keras.config.enable_unsafe_deserialization()
      lm = AutoModel.from_pretrained("org/model", trust_remote_code=True)
    `);
    const fs = await runRule(dl502, src);
    expect(linesOf(fs)).toEqual([6, 7, 8, 9, 10]);
    const { fixed, after } = await fixAndRerun(dl502, src);
    expect(fixed).toContain('np.load("features.npy")');
    expect(fixed).toContain('load_model("model.keras")');
    expect(linesOf(after)).toEqual([6, 9, 10]);
  });

  it('is information when the file pickles its own artefacts; quiet on safe loads', async () => {
    const a = py(`
      import pickle
      pickle.dump(obj, open("cache.pkl", "wb"))
      obj = pickle.load(open("cache.pkl", "rb"))
    `);
    const fa = await runRule(dl502, a);
    expect(fa.map((f) => f.severity)).toEqual(['information']);
    const b = py(`
      import numpy as np
      import keras
      feats = np.load("features.npy")
      model = keras.models.load_model("model.keras")
      data = json.load(f)
    `);
    expect(await runRule(dl502, b)).toEqual([]);
  });

  it('is information when np.save / model.save wrote the same literal path in this file', async () => {
    const src = py(`
      import numpy as np
      import keras
      MODEL = "/tmp/m.keras"
      np.save("/tmp/ragged.npy", ragged, allow_pickle=True)
      np.save("/tmp/feats", feats)
      np.savez_compressed("/tmp/pack.npz", a=a)
      back = np.load("/tmp/ragged.npy", allow_pickle=True)
      feats = np.load("/tmp/feats.npy", allow_pickle=True)
      pack = np.load("/tmp/pack.npz", allow_pickle=True)
      model.save(MODEL)
      keras.saving.save_model(model, "/tmp/n.keras")
      restored = keras.models.load_model("/tmp/m.keras", safe_mode=False)
      other = keras.saving.load_model("/tmp/n.keras", safe_mode=False)
      stranger = np.load("/tmp/other.npy", allow_pickle=True)
      downloaded = keras.models.load_model("/tmp/x.keras", safe_mode=False)
    `);
    const fs = await runRule(dl502, src);
    expect(fs.map((f) => [f.range.line + 1, f.severity ?? 'warning'])).toEqual([
      [7, 'information'], [8, 'information'], [9, 'information'], [12, 'information'], [13, 'information'], [14, 'warning'], [15, 'warning'],
    ]);
  });
});
