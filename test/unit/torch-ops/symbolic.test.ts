// Symbolic sizes, unknown ranks and unknown arguments in the PyTorch shape rules. The
// concrete counterparts of these cases were checked against torch 1.13 (see oracle.test.ts);
// here a batch `B` (or length `T`) stays a symbol and the rules must carry it through.

import { describe, expect, it } from 'vitest';
import { meth, op } from './op-calls';
import { TORCH_OPS } from '../../../src/core/frameworks/torch/functional';
import { TENSOR_METHODS, binaryTensorOp, indexTensor, tensorAttribute, unaryTensorOp } from '../../../src/core/frameworks/torch/tensor';
import { LayerArgs, ShapeError, bindArgs } from '../../../src/core/frameworks/spec';
import { type TensorV, type Value, int, str, tensor, tuple, unknown, list, NONE, float } from '../../../src/core/eval/values';
import { type Dim, ceilDivDims, formatDim, formatShape, sym, mulDims } from '../../../src/core/shapes/dim';

const B = sym('B');
const T = sym('T');
const H = sym('H');
const W = sym('W');
const t = (...shape: Dim[]) => tensor(shape);
const i = (v: Dim) => int(v);
const sl = (start: Value = NONE, stop: Value = NONE, step: Value = NONE): Value => ({ k: 'slice', start, stop, step });

function shapeOf(v: Value): string {
  if (v.k !== 'tensor') return `<${v.k}>`;
  return formatShape(v.shape);
}

describe('symbolic batch through reshapes', () => {
  const x = t(B, 16, 5, 5);
  it('view(B, -1) infers 400', () => expect(shapeOf(meth(x, 'view', [i(B), i(-1)]))).toBe('[B, 400]'));
  it('view(x.size(0), -1) gives the same', () => {
    const b0 = meth(x, 'size', [i(0)]);
    expect(b0).toEqual(int(B));
    expect(shapeOf(meth(x, 'view', [b0, i(-1)]))).toBe('[B, 400]');
  });
  it('view(-1, 400) infers B', () => expect(shapeOf(meth(x, 'view', [i(-1), i(400)]))).toBe('[B, 400]'));
  it('view(-1, 16*25) as a tuple', () => expect(shapeOf(meth(x, 'reshape', [tuple([i(-1), i(400)])]))).toBe('[B, 400]'));
  it('view(B*16, -1) cancels symbolically', () => expect(shapeOf(meth(x, 'view', [i(mulDims(B, 16)), i(-1)]))).toBe('[16B, 25]'));
  it('view(B, -1, 3) is provably wrong (400 not divisible by 3)', () => expect(() => meth(x, 'view', [i(B), i(-1), i(3)])).toThrow(ShapeError));
  it('view(B, 399) is provably wrong', () => expect(() => meth(x, 'view', [i(B), i(399)])).toThrow(/invalid for input/));
  it('view(-1) of a symbolic tensor is the symbolic numel', () => expect(shapeOf(meth(t(B, 3), 'view', [i(-1)]))).toBe('[3B]'));
  it('flatten(1)', () => expect(shapeOf(meth(t(B, 64, 7, 7), 'flatten', [i(1)]))).toBe('[B, 3136]'));
  it('torch.flatten(x, 1) with symbolic spatial dims', () => expect(shapeOf(op('torch.flatten', [t(B, 8, H, W), i(1)]))).toBe('[B, 8H·W]'.replace('8H·W', shapeOf(t(mulDims(8, mulDims(H, W)))).slice(1, -1))));
  it('unflatten(-1, (T, -1))', () => expect(shapeOf(meth(t(B, mulDims(T, 4)), 'unflatten', [i(-1), tuple([i(T), i(-1)])]))).toBe('[B, T, 4]'));
  it('permute / transpose keep symbols', () => {
    expect(shapeOf(meth(t(B, T, 8), 'permute', [i(0), i(2), i(1)]))).toBe('[B, 8, T]');
    expect(shapeOf(meth(t(B, T, 8), 'transpose', [i(1), i(-1)]))).toBe('[B, 8, T]');
  });
  it('multi-head split: view(B, T, heads, -1).transpose(1, 2)', () => {
    const q = meth(t(B, T, 512), 'view', [i(B), i(T), i(8), i(-1)]);
    expect(shapeOf(q)).toBe('[B, T, 8, 64]');
    expect(shapeOf(meth(q, 'transpose', [i(1), i(2)]))).toBe('[B, 8, T, 64]');
  });
  it('size() is a tuple of ints and .shape the same', () => {
    expect(meth(t(B, 3), 'size')).toEqual(tuple([int(B), int(3)]));
    expect(tensorAttribute(t(B, 3) as TensorV, 'shape')).toEqual(tuple([int(B), int(3)]));
    expect(tensorAttribute(t(B, 3) as TensorV, 'ndim')).toEqual(int(2));
    expect(tensorAttribute(t(B, 3) as TensorV, 'dtype')).toEqual(str('float32'));
    expect(tensorAttribute(t(B, 3) as TensorV, 'view')).toBeUndefined();
  });
  it('numel is symbolic', () => expect(meth(t(B, 3), 'numel')).toEqual(int(mulDims(B, 3))));
});

describe('symbolic sizes through ops', () => {
  it('cat adds symbols along the dim', () => expect(shapeOf(op('torch.cat', [list([t(B, T), t(B, 4)])], { dim: i(1) }))).toBe('[B, T + 4]'));
  it('cat with a provable mismatch elsewhere throws', () => expect(() => op('torch.cat', [list([t(B, 3), t(B, 4)])], { dim: i(0) })).toThrow(ShapeError));
  it('stack puts the count in', () => expect(shapeOf(op('torch.stack', [list([t(B, 3), t(B, 3)])], { dim: i(1) }))).toBe('[B, 2, 3]'));
  it('sum / mean / max with keepdim and negative dims', () => {
    const x = t(B, 3, H, W);
    expect(shapeOf(op('torch.sum', [x], { dim: tuple([i(-2), i(-1)]) }))).toBe('[B, 3]');
    expect(shapeOf(meth(x, 'mean', [tuple([i(2), i(3)])], { keepdim: { k: 'bool', v: true } }))).toBe('[B, 3, 1, 1]');
    const mx = meth(x, 'max', [i(1)]);
    expect(mx.k).toBe('tuple');
    if (mx.k === 'tuple') {
      expect(mx.items.map(shapeOf)).toEqual(['[B, H, W]', '[B, H, W]']);
      expect((mx.items[1] as TensorV).dtype).toBe('int64');
    }
    expect(shapeOf(meth(x, 'argmax', [], { dim: i(-1) }))).toBe('[B, 3, H]');
  });
  it('matmul broadcasts symbolic batch dims', () => {
    expect(shapeOf(op('torch.matmul', [t(B, 8, T, 64), t(B, 8, 64, T)]))).toBe('[B, 8, T, T]');
    expect(shapeOf(binaryTensorOp('@', t(B, T, 64), t(64, 10)))).toBe('[B, T, 10]');
    expect(() => binaryTensorOp('@', t(B, T, 64), t(32, 10))).toThrow(/cannot be multiplied/);
  });
  it('einsum keeps symbols', () => expect(shapeOf(op('torch.einsum', [str('bhid,bhjd->bhij'), t(B, 8, T, 64), t(B, 8, T, 64)]))).toBe('[B, 8, T, T]'));
  it('chunk of a symbolic multiple splits evenly', () => {
    const r = meth(t(B, T, mulDims(3, H)), 'chunk', [i(3)], { dim: i(-1) });
    expect(r.k === 'tuple' && r.items.map(shapeOf)).toEqual(['[B, T, H]', '[B, T, H]', '[B, T, H]']);
  });
  it('split by a symbolic size that divides', () => {
    const r = meth(t(B, mulDims(2, H)), 'split', [i(H)], { dim: i(1) });
    expect(r.k === 'tuple' && r.items.map(shapeOf)).toEqual(['[B, H]', '[B, H]']);
  });
  it('conv2d / max_pool2d / interpolate with symbolic H, W', () => {
    const x = t(B, 3, H, W);
    expect(shapeOf(op('torch.nn.functional.conv2d', [x, t(16, 3, 3, 3)], { padding: i(1) }))).toBe('[B, 16, H, W]');
    const p = op('torch.nn.functional.max_pool2d', [x, i(2)]);
    expect(shapeOf(p)).toBe('[B, 3, ⌊H/2⌋, ⌊W/2⌋]');
    expect(shapeOf(op('torch.nn.functional.interpolate', [x], { scale_factor: i(2) }))).toBe('[B, 3, 2H, 2W]');
    expect(shapeOf(op('torch.nn.functional.interpolate', [x], { scale_factor: float(1.5) }))).toBe('[B, 3, ?, ?]');
    expect(shapeOf(op('torch.nn.functional.adaptive_avg_pool2d', [x, i(1)]))).toBe('[B, 3, 1, 1]');
    expect(shapeOf(op('torch.nn.functional.pad', [x, tuple([i(1), i(1), i(2), i(2)])]))).toBe('[B, 3, H + 4, W + 2]');
  });
  it('linear checks the feature dim', () => {
    expect(shapeOf(op('torch.nn.functional.linear', [t(B, T, 64), t(10, 64)]))).toBe('[B, T, 10]');
    expect(() => op('torch.nn.functional.linear', [t(B, 32), t(10, 64)])).toThrow(/32 and 64x10/);
  });
  it('losses reduce to 0-d unless reduction="none"', () => {
    expect(shapeOf(op('torch.nn.functional.cross_entropy', [t(B, 10), tensor([B], 'int64')]))).toBe('[]');
    expect(shapeOf(op('torch.nn.functional.cross_entropy', [t(B, 10), tensor([B], 'int64')], { reduction: str('none') }))).toBe('[B]');
    expect(shapeOf(op('torch.nn.functional.mse_loss', [t(B, 1), t(B, 1)], { reduction: str('none') }))).toBe('[B, 1]');
  });
  it('scaled_dot_product_attention (PyTorch 2 API)', () => expect(shapeOf(op('torch.nn.functional.scaled_dot_product_attention', [t(B, 8, T, 64), t(B, 8, T, 64), t(B, 8, T, 32)]))).toBe('[B, 8, T, 32]'));
  it('creation ops with symbolic sizes', () => {
    expect(shapeOf(op('torch.zeros', [i(B), i(T)]))).toBe('[B, T]');
    expect(shapeOf(op('torch.randn', [tuple([i(B), i(3)])]))).toBe('[B, 3]');
    expect(shapeOf(op('torch.arange', [i(T)]))).toBe('[T]');
    const ar = op('torch.arange', [i(0), i(T), i(2)]);
    expect(shapeOf(ar)).toMatch(/^\[.*T.*\]$/);
    expect((op('torch.arange', [i(T)]) as TensorV).dtype).toBe('int64');
    expect(shapeOf(op('torch.ones', [i(B)], { dtype: str('int64') }))).toBe('[B]');
    expect((op('torch.ones', [i(B)], { dtype: str('int64') }) as TensorV).dtype).toBe('int64');
  });
  it('dtype keywords accept the interpreter forms', () => {
    for (const d of ['float64', 'torch.float64', 'double']) expect((op('torch.zeros', [i(2)], { dtype: str(d) }) as TensorV).dtype).toBe('float64');
    expect((meth(t(2), 'to', [{ k: 'modref', path: 'torch.long' }]) as TensorV).dtype).toBe('int64');
  });
});

describe('indexing with symbolic dims', () => {
  const x = t(B, T, 64);
  it('x[:, -1] drops the dim', () => expect(shapeOf(indexTensor(x as TensorV, tuple([sl(), i(-1)])))).toBe('[B, 64]'));
  it('x[:, :n] with symbolic n', () => {
    const n = sym('n');
    expect(shapeOf(indexTensor(x as TensorV, tuple([sl(), sl(NONE, i(n))])))).toBe('[B, n, 64]');
  });
  it('pos[:, :T] on a concrete table takes T', () => expect(shapeOf(indexTensor(t(1, 1000, 64) as TensorV, tuple([sl(), sl(NONE, i(T))])))).toBe('[1, T, 64]'));
  it('x[:, 1:] and x[:, :-1] shift a symbol', () => {
    expect(shapeOf(indexTensor(x as TensorV, tuple([sl(), sl(i(1))])))).toBe('[B, T - 1, 64]');
    expect(shapeOf(indexTensor(x as TensorV, tuple([sl(), sl(NONE, i(-1))])))).toBe('[B, T - 1, 64]');
  });
  it('x[:, ::2] halves (ceil)', () => expect(shapeOf(indexTensor(x as TensorV, tuple([sl(), sl(NONE, NONE, i(2))])))).toBe(`[B, ${formatDim(ceilDivDims(T, 2))}, 64]`));
  it('x[..., None] and x[None]', () => {
    expect(shapeOf(indexTensor(x as TensorV, tuple([str('...'), NONE])))).toBe('[B, T, 64, 1]');
    expect(shapeOf(indexTensor(x as TensorV, NONE))).toBe('[1, B, T, 64]');
  });
  it('bool mask gives an unknown leading dim; long index prepends its shape', () => {
    expect(shapeOf(indexTensor(x as TensorV, tensor([B, T], 'bool')))).toBe('[?, 64]');
    expect(shapeOf(indexTensor(t(1000, 64) as TensorV, tensor([B, T], 'int64')))).toBe('[B, T, 64]');
  });
  it('too many indices throws', () => expect(() => indexTensor(x as TensorV, tuple([i(0), i(0), i(0), i(0)]))).toThrow(/too many indices/));
  it('out of range int on a concrete dim throws', () => expect(() => indexTensor(x as TensorV, tuple([sl(), sl(), i(64)]))).toThrow(/out of bounds/));
  it('several ellipses are not modelled (rank unknown, no throw)', () => expect(shapeOf(indexTensor(x as TensorV, tuple([str('...'), str('...')])))).toBe('Unknown'));
});

describe('broadcasting and operators', () => {
  it('[B, T, D] + [T, D]', () => expect(shapeOf(binaryTensorOp('+', t(B, T, 8), t(T, 8)))).toBe('[B, T, 8]'));
  it('[B, 1, D] * [1, T, D]', () => expect(shapeOf(binaryTensorOp('*', t(B, 1, 8), t(1, T, 8)))).toBe('[B, T, 8]'));
  it('scalar operands keep the shape; comparisons are bool; / is float', () => {
    expect(shapeOf(binaryTensorOp('*', float(0.5), t(B, 3)))).toBe('[B, 3]');
    expect((binaryTensorOp('>', t(B, 3), int(0)) as TensorV).dtype).toBe('bool');
    expect((binaryTensorOp('/', tensor([B], 'int64'), int(2)) as TensorV).dtype).toBe('float32');
    expect((binaryTensorOp('//', tensor([B], 'int64'), int(2)) as TensorV).dtype).toBe('int64');
  });
  it('provable mismatch names both shapes', () => expect(() => binaryTensorOp('+', t(B, 3), t(B, 4))).toThrow(/\[B, 3\] and \[B, 4\]/));
  it('unary ops', () => {
    expect(shapeOf(unaryTensorOp('-', t(B, 3)))).toBe('[B, 3]');
    expect(unaryTensorOp('~', t(B, 3)).k).toBe('unknown');
    expect((unaryTensorOp('~', tensor([B], 'bool')) as TensorV).dtype).toBe('bool');
  });
  it('an unknown operand is taken as a scalar', () => expect(shapeOf(binaryTensorOp('*', t(B, 3), unknown('self.scale')))).toBe('[B, 3]'));
  it('non-numeric operands give Unknown, not a throw', () => expect(binaryTensorOp('+', t(B, 3), str('a')).k).toBe('unknown'));
});

describe('unknown rank and unknown arguments never crash', () => {
  const u = tensor(null);
  it('shape-preserving ops keep an unknown rank', () => {
    expect(shapeOf(op('torch.relu', [u]))).toBe('Unknown');
    expect(shapeOf(op('torch.nn.functional.conv2d', [u, t(16, 3, 3, 3)]))).toBe('Unknown');
    expect(shapeOf(meth(u, 'sum', [i(1)]))).toBe('Unknown');
    expect(shapeOf(op('torch.cat', [list([u, t(2, 3)])]))).toBe('Unknown');
    expect(shapeOf(binaryTensorOp('+', u, t(3)))).toBe('Unknown');
    expect(shapeOf(indexTensor(u as TensorV, i(0)))).toBe('Unknown');
  });
  it('reshape of an unknown rank still knows the target', () => expect(shapeOf(meth(u, 'view', [i(B), i(-1)]))).toBe('[B, ?]'));
  it('size() of an unknown rank is Unknown; size(0) an unknown int', () => {
    expect(meth(u, 'size').k).toBe('unknown');
    expect(meth(u, 'size', [i(0)]).k).toBe('int');
    expect(tensorAttribute(u as TensorV, 'shape')?.k).toBe('unknown');
  });
  it('max with dim on an unknown rank is still a pair', () => {
    const r = meth(u, 'max', [i(1)]);
    expect(r.k === 'tuple' && r.items.length).toBe(2);
  });
  it('unknown sizes become unknown dims', () => expect(shapeOf(op('torch.randn', [unknown('n'), i(3)]))).toBe('[?, 3]'));

  const odd: Value[] = [unknown('x'), NONE, str('s'), int(-7), int(B), float(0.5), tensor(null), tensor([]), tensor([0]), t(B, 3), t(2, 3, 4, 5), tuple([]), list([unknown('y')]), { k: 'bool', v: true }];
  const argSets: Value[][] = [[], [odd[6]], [odd[9]], [odd[10]], [odd[10], odd[0]], [odd[10], odd[1], odd[2]], [odd[0], odd[0], odd[0]], [odd[7], odd[3]], [odd[12], odd[11]], [odd[8], odd[5], odd[13]], [odd[4], odd[4], odd[4], odd[4]], [odd[10], odd[10], odd[3]]];
  it('every torch op and tensor method returns a Value or throws ShapeError on odd arguments', () => {
    for (const [name, o] of TORCH_OPS) {
      for (const args of argSets) {
        try {
          const r = o.call(new LayerArgs(bindArgs(o.signature, args, new Map()), name));
          expect(r && typeof r.k, `${name}`).toBe('string');
        } catch (e) {
          expect(e, `${name}(${args.map((a) => a.k).join(', ')})`).toBeInstanceOf(ShapeError);
        }
      }
    }
    for (const [name, o] of TENSOR_METHODS) {
      for (const self of [odd[6], odd[7], odd[9], odd[10], odd[0]]) {
        for (const args of argSets) {
          try {
            const r = o.call(new LayerArgs(bindArgs(o.signature, args, new Map()), name), self);
            expect(r && typeof r.k, `${name}`).toBe('string');
          } catch (e) {
            expect(e, `Tensor.${name}(${args.map((a) => a.k).join(', ')})`).toBeInstanceOf(ShapeError);
          }
        }
      }
    }
  });
  it('attributes, indexing and operators tolerate odd values', () => {
    for (const self of [odd[6], odd[7], odd[9]] as TensorV[]) {
      for (const n of ['shape', 'ndim', 'dtype', 'T', 'mT', 'device', 'requires_grad', 'data', 'grad', 'foo']) {
        try {
          tensorAttribute(self, n);
        } catch (e) {
          expect(e).toBeInstanceOf(ShapeError);
        }
      }
      for (const ix of [...odd, tuple(odd), sl(str('a')), sl(NONE, NONE, i(0))]) {
        try {
          const r = indexTensor(self, ix);
          expect(typeof r.k).toBe('string');
        } catch (e) {
          expect(e).toBeInstanceOf(ShapeError);
        }
      }
      for (const o of ['+', '-', '*', '/', '//', '%', '**', '@', '<', '==', '&', '|', '^', '<<', 'in']) {
        for (const other of odd) {
          for (const [a, b] of [[self, other], [other, self]]) {
            try {
              const r = binaryTensorOp(o, a, b);
              expect(typeof r.k).toBe('string');
            } catch (e) {
              expect(e).toBeInstanceOf(ShapeError);
            }
          }
        }
      }
    }
  });
});
