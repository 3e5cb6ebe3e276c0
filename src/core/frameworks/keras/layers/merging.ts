// Keras merge layers: element-wise (Add, Subtract, Multiply, Average, Maximum, Minimum,
// with Keras' broadcasting), Concatenate along an axis and Dot. They take a list of
// tensors as their single input (`layers.Add()([a, b])`); none has weights.

import { type Dim, type Shape, UNKNOWN_DIM, addDims, dimsConflict, formatShape, isConcrete } from '../../../shapes/dim';
import type { Value } from '../../../eval/values';
import { type LayerSpec, ShapeError } from '../../spec';
import { NO_PARAMS, kerasLayer, normAxis, outLike, p, sig, tensorList } from './common';

/** Keras' element-wise output shape: right-aligned, 1 broadcasts, provable mismatch throws. */
export function broadcastMerge(shapes: Shape[], layer: string): Shape {
  const rank = Math.max(...shapes.map((s) => s.length));
  const outShape: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const dims = shapes.map((s) => s[s.length - rank + i]).filter((x): x is Dim => x !== undefined && x !== 1);
    const d = dims.find(isConcrete) ?? dims[0] ?? 1;
    if (dims.some((x) => dimsConflict(d, x))) {
      throw new ShapeError(`${layer}: inputs have incompatible shapes ${shapes.map(formatShape).join(' and ')}`, 'DL406');
    }
    outShape.push(d);
  }
  return outShape;
}

function makeElementwise(name: string, doc: string, arity?: number): LayerSpec {
  return kerasLayer({
    name,
    signature: sig(),
    doc,
    params: () => NO_PARAMS,
    forward(_a, inputs) {
      const ts = tensorList(inputs, name);
      if (ts.length === 0) throw new ShapeError(`${name} expects a list of tensors`, 'DL406');
      if (arity !== undefined && ts.length !== arity) throw new ShapeError(`${name} expects exactly ${arity} inputs, got ${ts.length}`, 'DL406');
      // Keep the batch dim of the first input as-is (Keras' None batch is symbolic).
      const shape = broadcastMerge(ts.map((t) => t.shape), name);
      shape[0] = ts[0].shape[0];
      return outLike(ts[0], shape);
    },
  });
}

export const Add = makeElementwise('Add', 'Element-wise sum of a list of tensors.');
export const Subtract = makeElementwise('Subtract', 'Element-wise difference of exactly two tensors.', 2);
export const Multiply = makeElementwise('Multiply', 'Element-wise product of a list of tensors.');
export const Average = makeElementwise('Average', 'Element-wise mean of a list of tensors.');
export const Maximum = makeElementwise('Maximum', 'Element-wise maximum of a list of tensors.');
export const Minimum = makeElementwise('Minimum', 'Element-wise minimum of a list of tensors.');

export const Concatenate = kerasLayer({
  name: 'Concatenate',
  signature: sig(p('axis', -1)),
  doc: 'Concatenates a list of tensors along `axis` (the last by default); other axes must match.',
  params: () => NO_PARAMS,
  forward(a, inputs) {
    const ts = tensorList(inputs, 'Concatenate');
    if (ts.length === 0) throw new ShapeError('Concatenate expects a list of tensors', 'DL406');
    const rank = ts[0].shape.length;
    if (ts.some((t) => t.shape.length !== rank)) {
      throw new ShapeError(`Concatenate: inputs have different ranks ${ts.map((t) => formatShape(t.shape)).join(', ')}`, 'DL406');
    }
    const axis = normAxis(a.int('axis') ?? -1, rank, 'Concatenate');
    const shape: Dim[] = [...ts[0].shape];
    for (const t of ts.slice(1)) {
      for (let i = 0; i < rank; i++) {
        if (i === axis) continue;
        if (dimsConflict(shape[i], t.shape[i])) {
          throw new ShapeError(`Concatenate: shapes ${ts.map((x) => formatShape(x.shape)).join(', ')} differ outside the concat axis ${axis}`, 'DL406');
        }
      }
      shape[axis] = addDims(shape[axis], t.shape[axis]);
    }
    return outLike(ts[0], shape);
  },
  equivalents: [{ framework: 'torch', call: 'torch.cat([a, b], dim=-1)' }],
});

function dotAxes(v: Value, r1: number, r2: number): [number, number] | null {
  const one = (x: Value, r: number): number | null => (x.k === 'int' && typeof x.v === 'number' ? normAxis(x.v, r, 'Dot') : null);
  if (v.k === 'int') {
    const a1 = one(v, r1);
    const a2 = one(v, r2);
    return a1 === null || a2 === null ? null : [a1, a2];
  }
  if ((v.k === 'tuple' || v.k === 'list') && v.items.length === 2) {
    const a1 = one(v.items[0], r1);
    const a2 = one(v.items[1], r2);
    return a1 === null || a2 === null ? null : [a1, a2];
  }
  return null;
}

export const Dot = kerasLayer({
  name: 'Dot',
  signature: sig(p('axes'), p('normalize', false)),
  doc: 'Batch dot product of two tensors along `axes`; normalize=True gives cosine similarity.',
  params: () => NO_PARAMS,
  forward(a, inputs) {
    const ts = tensorList(inputs, 'Dot');
    if (ts.length !== 2) throw new ShapeError(`Dot expects exactly 2 inputs, got ${ts.length}`, 'DL406');
    const [x, y] = ts;
    const axes = dotAxes(a.raw('axes'), x.shape.length, y.shape.length);
    if (!axes) return outLike(x, [x.shape[0], UNKNOWN_DIM]);
    if (dimsConflict(x.shape[axes[0]], y.shape[axes[1]])) {
      throw new ShapeError(`Dot: dimension ${axes[0]} of ${formatShape(x.shape)} does not match dimension ${axes[1]} of ${formatShape(y.shape)}`, 'DL406');
    }
    const s1 = x.shape.filter((_, i) => i !== axes[0]);
    const s2 = y.shape.filter((_, i) => i !== axes[1]).slice(1);
    const shape = [...s1, ...s2];
    if (shape.length === 1) shape.push(1);
    return outLike(x, shape);
  },
});
