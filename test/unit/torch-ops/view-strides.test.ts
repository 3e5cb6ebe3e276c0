// `.view()` of transposed, permuted and expanded tensors against real PyTorch 1.13: whether
// the view works (or raises torch's stride error, the DL115 pitfall), its shape, and the
// strides of the tensors involved. view-cases.json was written by test/oracle/view_cases.py
// under /usr/bin/python3: 8 shapes (with dims of size 1 and 0), every transpose, four
// permutations, t() and expand, each viewed as the same shape, flattened, with neighbours
// merged, with a dim split and with a dim of 1 added.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TENSOR_METHODS } from '../../../src/core/frameworks/torch/tensor';
import { LayerArgs, ShapeError, bindArgs } from '../../../src/core/frameworks/spec';
import { type TensorV, type Value, int, tensor } from '../../../src/core/eval/values';
import { contiguousStrides } from '../../../src/core/shapes/strides';

interface Case {
  shape: number[];
  op: string;
  args: number[];
  mid: number[];
  midStrides: number[];
  view: number[];
  expect: { t: number[]; strides: number[] | null } | { err: string };
}

const CASES: Case[] = JSON.parse(readFileSync(join(__dirname, 'view-cases.json'), 'utf8'));

function method(name: string, self: Value, args: Value[]): Value {
  const op = TENSOR_METHODS.get(name)!;
  return op.call(new LayerArgs(bindArgs(op.signature, args, new Map()), `Tensor.${name}`), self);
}

/** Strides as torch reports them, compared where they matter: dims of size 1 may have any stride. */
function effective(shape: readonly number[], strides: readonly number[]): Array<number | null> {
  return shape.map((d, i) => (d === 1 ? null : strides[i]));
}

function stridesOf(t: TensorV): readonly number[] {
  return t.strides ?? contiguousStrides(t.shape as number[]);
}

describe('.view() on strided tensors agrees with PyTorch 1.13', () => {
  it('has cases of both outcomes', () => {
    expect(CASES.length).toBeGreaterThan(600);
    expect(CASES.filter((c) => 'err' in c.expect).length).toBeGreaterThan(150);
  });

  it.each(CASES.map((c) => [`${JSON.stringify(c.shape)}.${c.op}(${c.args.join(', ')}).view(${c.view.join(', ')})`, c] as const))('%s', (_l, c) => {
    const x = tensor(c.shape, 'float32');
    const mid = method(c.op, x, c.args.map(int)) as TensorV;
    expect(mid.shape).toEqual(c.mid);
    if (!c.mid.includes(0)) expect(effective(c.mid, stridesOf(mid))).toEqual(effective(c.mid, c.midStrides));
    if ('err' in c.expect) {
      expect(() => method('view', mid, c.view.map(int))).toThrow(ShapeError);
      try {
        method('view', mid, c.view.map(int));
      } catch (e) {
        expect((e as ShapeError).code).toBe(c.expect.err.startsWith('view size is not compatible') ? 'DL115' : 'DL404');
      }
      // reshape copies instead.
      if (c.expect.err.startsWith('view size')) expect((method('reshape', mid, c.view.map(int)) as TensorV).strides).toBeUndefined();
      return;
    }
    const out = method('view', mid, c.view.map(int)) as TensorV;
    expect(out.shape).toEqual(c.expect.t);
    if (c.expect.strides) expect(effective(c.expect.t, stridesOf(out))).toEqual(effective(c.expect.t, c.expect.strides));
  });
});
