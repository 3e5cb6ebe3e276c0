// A functional model whose layers all hang off something the engine does not model
// (keras.utils.FeatureSpace): no layer is traced, so its zero totals must not read as a count.
import { describe, expect, it } from 'vitest';
import { kerasSummaries } from './model-summaries';

const { model } = kerasSummaries();

describe('a functional model with no traceable layer', () => {
  it('says its parameter counts are unknown instead of presenting 0 as a count', () => {
    const m = model(`
      import keras
      from keras.utils import FeatureSpace

      fs = FeatureSpace(features={"age": FeatureSpace.float_normalized()}, output_mode="concat")
      inputs = fs.get_inputs()
      x = keras.layers.Dense(32, activation="relu")(fs.get_encoded_features())
      model = keras.Model(inputs=inputs, outputs=keras.layers.Dense(1)(x))
    `, 'model');
    expect(m.layers).toEqual([]);
    expect(m.notes.some((n) => /^Parameter counts unknown: no layer of the model could be traced/.test(n))).toBe(true);
  });

  it('keeps quiet when the model is traced', () => {
    const m = model(`
      import keras
      inp = keras.Input(shape=(4,))
      model = keras.Model(inp, keras.layers.Dense(2)(inp))
    `, 'model');
    expect(m.total_params).toBe(4 * 2 + 2);
    expect(m.notes.some((n) => /Parameter counts unknown/.test(n))).toBe(false);
  });
});
