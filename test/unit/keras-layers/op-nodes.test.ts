// Operations on Keras tensors between layers (`x + 1`, `keras.ops.relu6(x)`, `x[..., :1]`,
// `tf.nn.relu6(x)`) are weightless nodes of the functional graph: the layers before them
// stay in the model, Keras 3 lists them in the summary, not in `model.layers`.
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeDetailed } from '../../../src/core/analyze';
import { toSummaryJson } from '../../../src/core/index';
import type { Value } from '../../../src/core/eval/values';
import { dedent, initParser } from '../lint/helpers';
import type { PyParser } from '../../../src/core/python/parser';

let parser: PyParser;
beforeAll(async () => {
  parser = await initParser();
});

function analyse(src: string) {
  const d = analyzeDetailed(parser, dedent(src), { fileName: 'ops.py' });
  const json = toSummaryJson(d.analysis);
  const v = (name: string): Value | undefined => d.interp?.globals.vars.get(name);
  return { json, v, analysis: d.analysis };
}

const rows = (m: { layers: Array<{ path: string; type: string; output_shape: unknown; params: number | null }> }) =>
  m.layers.map((l) => [l.path, l.type, l.output_shape, l.params]);

describe('operation nodes of functional graphs', () => {
  it('keeps the layers before an op; model.layers and get_layer see layers only', () => {
    const { json, v } = analyse(`
      import keras
      from keras import layers

      inputs = keras.Input(shape=(8,))
      h = layers.Dense(4)(inputs)
      h = h * 2.0 + 1.0
      outputs = layers.Dense(3)(h)
      model = keras.Model(inputs, outputs)
      n = len(model.layers)
      second = model.get_layer(index=1).name
    `);
    const m = json.models[0];
    expect(rows(m)).toEqual([
      ['dense', 'Dense', [null, 4], 36],
      ['multiply', 'Multiply', [null, 4], 0],
      ['add', 'Add', [null, 4], 0],
      ['dense_1', 'Dense', [null, 3], 15],
    ]);
    expect(m.total_params).toBe(36 + 15);
    // Keras 3: model.layers is [InputLayer?] + layers; this engine lists no InputLayer.
    expect(v('n')).toEqual({ k: 'int', v: 2 });
    expect(v('second')).toEqual({ k: 'str', v: 'dense_1' });
  });

  it('ops share the name counter with layers (Keras uniquify), ops inside a layer call() are not nodes', () => {
    const { json } = analyse(`
      import keras
      from keras import layers

      class Scale(layers.Layer):
          def call(self, x):
              return x * 2.0 + keras.ops.relu(x)

      a = keras.Input(shape=(5,))
      b = keras.Input(shape=(5,))
      s = a + b
      t = Scale()(s)
      u = layers.Add()([t, b])
      model = keras.Model([a, b], u)
    `);
    const m = json.models[0];
    expect(rows(m)).toEqual([
      ['add', 'Add', [null, 5], 0],
      ['scale', 'Scale', [null, 5], 0],
      ['add_1', 'Add', [null, 5], 0],
    ]);
  });

  it('a functional model with ops, reused as a layer, replays its ops on the new input', () => {
    const { json } = analyse(`
      import keras
      from keras import layers

      def hard_swish(x):
          return x * keras.ops.relu6(x + 3.0) / 6.0

      inner_in = keras.Input(shape=(None, None, 3))
      y = layers.Conv2D(8, 3, strides=2, padding="same")(inner_in)
      y = hard_swish(y)
      block = keras.Model(inner_in, y, name="block")

      inputs = keras.Input(shape=(64, 64, 3))
      z = block(inputs)
      z = z[:, :, :, :4]
      z = layers.Flatten()(z)
      model = keras.Model(inputs, z)
    `);
    const block = json.models.find((m) => m.name === 'block');
    expect(block?.output_shape).toEqual([null, null, null, 8]);
    const m = json.models.find((x) => x.name === 'model')!;
    expect(rows(m)).toEqual([
      ['block', 'Functional', [null, 32, 32, 8], 3 * 3 * 3 * 8 + 8],
      ['get_item', 'GetItem', [null, 32, 32, 4], 0],
      ['flatten', 'Flatten', [null, 32 * 32 * 4], 0],
    ]);
    expect(m.total_params).toBe(224);
  });

  it('a directive input reruns the ops with the new shapes', () => {
    const { json } = analyse(`
      import keras
      from keras import layers

      inputs = keras.Input(shape=(32, 32, 3))
      x = layers.Conv2D(4, 3, padding="same")(inputs)
      x = -keras.ops.sigmoid(x)
      # tensorlens: input=(None, 16, 16, 3)
      model = keras.Model(inputs, layers.MaxPooling2D()(x))
    `);
    const m = json.models[0];
    expect(m.input_shapes).toEqual([[null, 16, 16, 3]]);
    expect(rows(m)).toEqual([
      ['conv2d', 'Conv2D', [null, 16, 16, 4], 112],
      ['sigmoid', 'Sigmoid', [null, 16, 16, 4], 0],
      ['negative', 'Negative', [null, 16, 16, 4], 0],
      ['max_pooling2d', 'MaxPooling2D', [null, 8, 8, 4], 0],
    ]);
  });

  it('a broadcast error in an op is a diagnostic, never a crash', () => {
    const { json, analysis } = analyse(`
      import keras
      from keras import layers

      inputs = keras.Input(shape=(10,))
      a = layers.Dense(4)(inputs)
      b = layers.Dense(5)(inputs)
      c = a + b
      model = keras.Model(inputs, c)
    `);
    expect(json.models).toHaveLength(1);
    expect(analysis.diagnostics.length).toBeGreaterThanOrEqual(1);
  });
});
