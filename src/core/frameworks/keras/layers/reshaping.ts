// Keras reshaping layers: Flatten, Reshape (one -1 allowed), Permute (1-based dims),
// RepeatVector, and the spatial UpSamplingND / ZeroPaddingND / CroppingND families
// (one factory each, data_format aware). None has weights.

import { type Dim, UNKNOWN_DIM, addDims, dimsConflict, floorDivDims, isConcrete, mulDims, prodDims, subDims } from '../../../shapes/dim';
import { type Value, tensor } from '../../../eval/values';
import { type LayerSpec, ShapeError, valueToDim } from '../../spec';
import {
  NO_PARAMS, channelsFirst, joinSpatial, kerasLayer, minRankInput, outLike, p, positiveDim, rankedInput, sig, splitSpatial,
} from './common';

export const Flatten = kerasLayer({
  name: 'Flatten',
  signature: sig(p('data_format', null)),
  doc: 'Flattens every axis but the batch into one.',
  params: () => NO_PARAMS,
  forward(_a, inputs) {
    const t = minRankInput(inputs, 1, 'Flatten');
    return outLike(t, [t.shape[0], prodDims(t.shape.slice(1))]);
  },
  equivalents: [{ framework: 'torch', call: 'nn.Flatten()' }],
});

export const Reshape = kerasLayer({
  name: 'Reshape',
  signature: sig(p('target_shape')),
  doc: 'Reshapes the non-batch axes to target_shape (one entry may be -1).',
  params: () => NO_PARAMS,
  forward(a, inputs) {
    const t = minRankInput(inputs, 1, 'Reshape');
    const target = a.dimList('target_shape');
    // A target shape not known (a parameter, a config value): nor is the output's rank.
    if (!target) return tensor(null, t.dtype);
    const total = prodDims(t.shape.slice(1));
    const free = target.filter((d) => d === -1).length;
    if (free > 1) throw new ShapeError('Reshape: only one -1 is allowed in target_shape', 'DL404');
    const known = prodDims(target.filter((d) => d !== -1));
    let dims = target;
    if (free === 1) {
      if (isConcrete(total) && isConcrete(known) && (known === 0 || total % known !== 0)) {
        throw new ShapeError(`Reshape: cannot reshape ${total} values into ${formatTarget(target)}`, 'DL404');
      }
      const missing = isConcrete(known) ? floorDivDims(total, known) : UNKNOWN_DIM;
      dims = target.map((d) => (d === -1 ? missing : d));
    } else if (dimsConflict(total, known)) {
      throw new ShapeError(`Reshape: cannot reshape ${String(total)} values into ${formatTarget(target)} (${String(known)} values)`, 'DL404');
    }
    return outLike(t, [t.shape[0], ...dims]);
  },
});

function formatTarget(d: Dim[]): string {
  return `(${d.map((x) => (isConcrete(x) ? String(x) : '?')).join(', ')})`;
}

export const Permute = kerasLayer({
  name: 'Permute',
  signature: sig(p('dims')),
  doc: 'Permutes the non-batch axes; dims are 1-based ((2, 1) swaps the first two).',
  params: () => NO_PARAMS,
  forward(a, inputs) {
    const t = minRankInput(inputs, 2, 'Permute');
    const dims = a.dimList('dims');
    if (!dims || !dims.every(isConcrete)) return outLike(t, [t.shape[0], ...t.shape.slice(1).map(() => UNKNOWN_DIM)]);
    const n = t.shape.length - 1;
    const sorted = [...(dims as number[])].sort((x, y) => x - y);
    if (dims.length !== n || sorted.some((d, i) => d !== i + 1)) {
      throw new ShapeError(`Permute: dims ${formatTarget(dims)} is not a permutation of 1..${n}`, 'DL406');
    }
    return outLike(t, [t.shape[0], ...(dims as number[]).map((d) => t.shape[d])]);
  },
});

export const RepeatVector = kerasLayer({
  name: 'RepeatVector',
  signature: sig(p('n')),
  doc: 'Repeats a (batch, features) input n times: (batch, n, features).',
  params: () => NO_PARAMS,
  forward(a, inputs) {
    const t = rankedInput(inputs, 2, 'RepeatVector');
    return outLike(t, [t.shape[0], a.dim('n'), t.shape[1]]);
  },
});

/** A padding/cropping argument as one (before, after) pair per spatial axis. */
export function padPairs(v: Value, rank: number): Array<[Dim, Dim]> | null {
  if (v.k === 'int') return Array.from({ length: rank }, (): [Dim, Dim] => [v.v, v.v]);
  if (v.k !== 'tuple' && v.k !== 'list') return null;
  if (rank === 1 && v.items.length === 2 && v.items.every((x) => x.k === 'int')) {
    return [[valueToDim(v.items[0]), valueToDim(v.items[1])]];
  }
  if (v.items.length !== rank) return null;
  const pairs: Array<[Dim, Dim]> = [];
  for (const item of v.items) {
    if (item.k === 'int') pairs.push([item.v, item.v]);
    else if ((item.k === 'tuple' || item.k === 'list') && item.items.length === 2) pairs.push([valueToDim(item.items[0]), valueToDim(item.items[1])]);
    else return null;
  }
  return pairs;
}

type SpatialOp = 'upsample' | 'pad' | 'crop';

const SPATIAL_DEFAULTS: Record<SpatialOp, Record<number, unknown>> = {
  upsample: { 1: 2, 2: [2, 2], 3: [2, 2, 2] },
  pad: { 1: 1, 2: [1, 1], 3: [[1, 1], [1, 1], [1, 1]] },
  crop: { 1: [1, 1], 2: [[0, 0], [0, 0]], 3: [[1, 1], [1, 1], [1, 1]] },
};

const ARG_NAME: Record<SpatialOp, string> = { upsample: 'size', pad: 'padding', crop: 'cropping' };

function makeSpatial(name: string, op: SpatialOp, rank: number, doc: string): LayerSpec {
  const arg = ARG_NAME[op];
  const extra = op === 'upsample' && rank === 2 ? [p('interpolation', 'nearest')] : [];
  const signature = rank === 1 ? sig(p(arg, SPATIAL_DEFAULTS[op][rank])) : sig(p(arg, SPATIAL_DEFAULTS[op][rank]), p('data_format', null), ...extra);
  return kerasLayer({
    name,
    signature,
    doc,
    params: () => NO_PARAMS,
    forward(a, inputs) {
      const t = rankedInput(inputs, rank + 2, name);
      const first = channelsFirst(a);
      const l = splitSpatial(t.shape, first);
      let spatial: Dim[];
      if (op === 'upsample') {
        const size = a.dims(arg, rank);
        spatial = l.spatial.map((x, i) => mulDims(x, size[i]));
      } else {
        const pairs = padPairs(a.raw(arg), rank);
        spatial = l.spatial.map((x, i) => {
          if (!pairs) return UNKNOWN_DIM;
          const total = addDims(pairs[i][0], pairs[i][1]);
          return op === 'pad' ? addDims(x, total) : positiveDim(subDims(x, total), name, `cropped size on spatial axis ${i + 1}`);
        });
      }
      return outLike(t, joinSpatial({ ...l, spatial }, first));
    },
  });
}

export const UpSampling1D = makeSpatial('UpSampling1D', 'upsample', 1, 'Repeats each time step `size` times.');
export const UpSampling2D = makeSpatial('UpSampling2D', 'upsample', 2, 'Repeats rows and columns by `size` (nearest or bilinear).');
export const UpSampling3D = makeSpatial('UpSampling3D', 'upsample', 3, 'Repeats the three spatial axes by `size`.');
export const ZeroPadding1D = makeSpatial('ZeroPadding1D', 'pad', 1, 'Pads the time axis with zeros.');
export const ZeroPadding2D = makeSpatial('ZeroPadding2D', 'pad', 2, 'Pads rows and columns with zeros: int, (h, w) or ((top, bottom), (left, right)).');
export const ZeroPadding3D = makeSpatial('ZeroPadding3D', 'pad', 3, 'Pads the three spatial axes with zeros.');
export const Cropping1D = makeSpatial('Cropping1D', 'crop', 1, 'Crops (start, end) steps of the time axis.');
export const Cropping2D = makeSpatial('Cropping2D', 'crop', 2, 'Crops rows and columns: int, (h, w) or ((top, bottom), (left, right)).');
export const Cropping3D = makeSpatial('Cropping3D', 'crop', 3, 'Crops the three spatial axes.');
