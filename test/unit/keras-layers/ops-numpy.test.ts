// keras.ops functions with numpy semantics (Keras 3 docs, keras.io/api/ops): shape-keeping
// ones keep the input's shape, the others follow numpy's documented shape rules.
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeDetailed } from '../../../src/core/analyze';
import { toSummaryJson } from '../../../src/core/index';
import { shapeToJson } from '../../../src/core/shapes/dim';
import type { Value } from '../../../src/core/eval/values';
import { dedent, initParser } from '../lint/helpers';
import type { PyParser } from '../../../src/core/python/parser';

let parser: PyParser;
beforeAll(async () => {
  parser = await initParser();
});

function analyse(src: string) {
  const d = analyzeDetailed(parser, dedent(src), { fileName: 'ops.py' });
  const shape = (name: string): unknown => {
    const v: Value | undefined = d.interp?.globals.vars.get(name);
    if (!v) return undefined;
    if (v.k === 'tensor') return shapeToJson(v.shape);
    if (v.k === 'list' || v.k === 'tuple') return v.items.map((x) => (x.k === 'tensor' ? shapeToJson(x.shape) : x.k));
    return v.k;
  };
  return { json: toSummaryJson(d.analysis), shape };
}

describe('keras.ops coverage', () => {
  it('a layer whose call() clips keeps its shape (the r8 Clamp repro)', () => {
    const { json } = analyse(`
      import keras
      from keras import layers, ops

      class Clamp(layers.Layer):
          def call(self, x):
              return ops.clip(x, 0.0, 6.0)

      inp = keras.Input(shape=(10,))
      x = Clamp()(inp)
      out = layers.Dense(3)(x)
      model = keras.Model(inp, out, name="model")
    `);
    const m = json.models[0];
    expect(m.layers.map((l) => [l.path, l.output_shape, l.params])).toEqual([
      ['clamp', [null, 10], 0],
      // Dense: 10*3 + 3 = 33
      ['dense', [null, 3], 33],
    ]);
    expect(m.total_params).toBe(33);
  });

  it('shape rules on a (2, 3, 4) tensor', () => {
    const { shape } = analyse(`
      import numpy as np
      from keras import ops
      x = ops.ones((2, 3, 4))
      i = ops.ones((5,), dtype="int32")
      keep = [ops.clip(x, 0, 1), ops.normalize(x), ops.flip(x, 1), ops.roll(x, 1, axis=2), ops.tril(x), ops.triu(x, 1)]
      tile = ops.tile(x, (2,))            # reps padded left with 1s: (2, 3, 8)
      tile2 = ops.tile(x, (2, 1, 1, 1))   # x promoted: (2, 2, 3, 4)
      rep = ops.repeat(x, 2, axis=1)      # (2, 6, 4)
      repf = ops.repeat(x, 2)             # flattened: (48,)
      pad = ops.pad(x, ((0, 0), (1, 2), (3, 3)))  # (2, 6, 10)
      pad1 = ops.pad(x, 1)                # (4, 5, 6)
      sw = ops.swapaxes(x, 0, 2)          # (4, 3, 2)
      mv = ops.moveaxis(x, 0, -1)         # (3, 4, 2)
      oh = ops.one_hot(i, 10)             # (5, 10)
      wh = ops.where(x > 0, x, 0.0)       # (2, 3, 4)
      nm = ops.norm(x, axis=-1)           # (2, 3)
      nma = ops.norm(x)                   # ()
      cs = ops.cumsum(x, axis=1)          # (2, 3, 4)
      csf = ops.cumsum(x)                 # (24,)
      tk = ops.take(x, i, axis=1)         # (2, 5, 4)
      tkf = ops.take(x, i)                # (5,)
      # take_along_axis: equal ranks, broadcast but on axis, which takes the indices' size (numpy.py TakeAlongAxis)
      tka = ops.take_along_axis(x, ops.ones((2, 7, 1), dtype="int32"), axis=1)  # (2, 7, 4)
      tkaf = ops.take_along_axis(x, i)    # axis None: flattened x, the indices' shape (5,)
      sl = ops.slice(x, (0, 0, 0), (2, 2, 2))  # (2, 2, 2)
      lse = ops.logsumexp(x, axis=1, keepdims=True)  # (2, 1, 4)
      us = ops.unstack(x, axis=1)         # 3 x (2, 4)
      vals, idx = ops.top_k(x, 2)         # (2, 3, 2)
      sp = ops.split(x, 2, axis=-1)       # 2 x (2, 3, 2)
      spi = ops.split(x, [1, 3], axis=2)  # (2,3,1) (2,3,2) (2,3,1)
      img = ops.image.resize(ops.ones((2, 8, 8, 3)), (16, 4))  # (2, 16, 4, 3)
      pool = ops.average_pool(ops.ones((2, 8, 8, 3)), 2)       # (2, 4, 4, 3)
      conv = ops.conv(ops.ones((2, 8, 8, 3)), ops.ones((3, 3, 3, 5)), strides=2, padding="same")  # (2, 4, 4, 5)
    `);
    expect(shape('keep')).toEqual(Array(6).fill([2, 3, 4]));
    expect(shape('tile')).toEqual([2, 3, 8]);
    expect(shape('tile2')).toEqual([2, 2, 3, 4]);
    expect(shape('rep')).toEqual([2, 6, 4]);
    expect(shape('repf')).toEqual([48]);
    expect(shape('pad')).toEqual([2, 6, 10]);
    expect(shape('pad1')).toEqual([4, 5, 6]);
    expect(shape('sw')).toEqual([4, 3, 2]);
    expect(shape('mv')).toEqual([3, 4, 2]);
    expect(shape('oh')).toEqual([5, 10]);
    expect(shape('wh')).toEqual([2, 3, 4]);
    expect(shape('nm')).toEqual([2, 3]);
    expect(shape('nma')).toEqual([]);
    expect(shape('cs')).toEqual([2, 3, 4]);
    expect(shape('csf')).toEqual([24]);
    expect(shape('tk')).toEqual([2, 5, 4]);
    expect(shape('tkf')).toEqual([5]);
    expect(shape('tka')).toEqual([2, 7, 4]);
    expect(shape('tkaf')).toEqual([5]);
    expect(shape('sl')).toEqual([2, 2, 2]);
    expect(shape('lse')).toEqual([2, 1, 4]);
    expect(shape('us')).toEqual([[2, 4], [2, 4], [2, 4]]);
    expect(shape('vals')).toEqual([2, 3, 2]);
    expect(shape('idx')).toEqual([2, 3, 2]);
    expect(shape('sp')).toEqual([[2, 3, 2], [2, 3, 2]]);
    expect(shape('spi')).toEqual([[2, 3, 1], [2, 3, 2], [2, 3, 1]]);
    expect(shape('img')).toEqual([2, 16, 4, 3]);
    expect(shape('pool')).toEqual([2, 4, 4, 3]);
    expect(shape('conv')).toEqual([2, 4, 4, 5]);
  });
});
