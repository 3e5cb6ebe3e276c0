import { describe, expect, it } from 'vitest';
import { dl206 } from '../../../../src/core/lint/rules/dl206-fit-before-compile';
import { applyEdits, linesOf, py, runRule } from './run-rule';

describe('DL206 fit-before-compile', () => {
  it('fires on fit of a model never compiled', async () => {
    const src = py(`
      from tensorflow import keras
      from tensorflow.keras import layers
      model = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="softmax")])
      model.summary()
      model.fit(x, y, epochs=10)
    `);
    const fs = await runRule(dl206, src);
    expect(linesOf(fs)).toEqual([5]);
    const fixed = applyEdits(src, fs[0].fix!.edits);
    expect(fixed).toContain('model.compile(optimizer="adam", loss=...)');
    expect(await runRule(dl206, fixed)).toEqual([]);
  });

  it('fires inside a function and when compile only happens after fit', async () => {
    const src = py(`
      import keras
      def train(x, y):
          m = keras.Model(inputs, outputs)
          hist = m.fit(x, y)
          m.compile("adam", "mse")
          return hist
    `);
    expect(linesOf(await runRule(dl206, src))).toEqual([4]);
  });

  it('stays quiet when compiled on some path, handed to a helper, or loaded', async () => {
    const src = py(`
      import keras
      a = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
      if pretrain:
          a.compile("adam", "mse")
      a.fit(x, y)
      b = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
      configure(b)
      b.fit(x, y)
      c = keras.models.load_model("m.keras")
      c.fit(x, y)
      d = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
      d.compile(optimizer="adam", loss="mse")
      d.fit(x, y)
      e = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
      def setup():
          e.compile("adam", "mse")
      setup()
      e.fit(x, y)
    `);
    expect(await runRule(dl206, src)).toEqual([]);
  });

  it('fires on an instance of a Keras model subclass of this file, not when the class compiles itself or defines fit', async () => {
    const src = py(`
      import keras
      class TinyNet(keras.Model):
          def __init__(self):
              super().__init__()
              self.d = keras.layers.Dense(1)
          def call(self, x):
              return self.d(x)
      class Wider(TinyNet):
          pass
      class SelfCompiled(keras.Model):
          def __init__(self):
              super().__init__()
              self.compile("adam", "mse")
      class OwnFit(keras.Model):
          def fit(self, x, y):
              return None
      class Child(SelfCompiled):
          pass
      net = TinyNet()
      net.fit(x, y)
      w = Wider()
      w.evaluate(x, y)
      ok1 = SelfCompiled()
      ok1.fit(x, y)
      ok2 = OwnFit()
      ok2.fit(x, y)
      ok3 = Child()
      ok3.fit(x, y)
      ok4 = TinyNet()
      ok4.compile("adam", "mse")
      ok4.fit(x, y)
    `);
    expect(linesOf(await runRule(dl206, src))).toEqual([20, 22]);
  });

  it('fires on a model returned uncompiled by a builder function of the file, not when the builder compiles it or hands it on', async () => {
    // Before: every model from a function call was skipped, so \`model = make_model()\` of a
    // same-file builder that never compiles went unreported.
    const src = py(`
      from tensorflow import keras
      def make_model(n):
          return keras.Sequential([keras.Input((n,)), keras.layers.Dense(1)])
      def make_compiled(n):
          m = keras.Sequential([keras.Input((n,)), keras.layers.Dense(1)])
          m.compile(optimizer="adam", loss="mse")
          return m
      def make_and_prepare(n):
          m = keras.Sequential([keras.Input((n,)), keras.layers.Dense(1)])
          prepare(m)
          return m
      a = make_model(3)
      a.fit(x, y)
      b = make_compiled(3)
      b.fit(x, y)
      c = make_and_prepare(3)
      c.fit(x, y)
      d = make_model(3)
      d.compile(optimizer="adam", loss="mse")
      d.fit(x, y)
    `);
    expect(linesOf(await runRule(dl206, src))).toEqual([13]);
  });
});
