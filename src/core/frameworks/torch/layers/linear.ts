// torch.nn linear layers: Linear and Bilinear (LazyLinear: lazy.ts). They act on the last dim and
// keep every leading dim (`(*, in) -> (*, out)`).

import { type Shape, dimsConflict, dimsEqual, formatDim, formatShape, isUnknownDim, prodDims } from '../../../shapes/dim';
import type { LayerSpec } from '../../spec';
import { ShapeError, out } from '../../spec';
import { type KnownTensor, FACTORY_KWARGS, countParams, defineLayer, expectDim, flattenedFrom, inputAt, rankError, kerasEquivalent, torchinfoMacs } from './common';
import type { LayerArgs } from '../../spec';

/**
 * DL403: a feature map of rank ≥ 3 reaching a Linear whose in_features is the per-sample
 * element count (C·H·W), or any rank ≥ 4 input the Linear cannot take: a Flatten is missing.
 */
function checkMissingFlatten(owner: string, inF: Shape[number], shape: Shape): void {
  if (shape.length < 3 || isUnknownDim(inF)) return;
  const last = shape[shape.length - 1];
  // The last dim is in_features: the Linear takes it, whatever the leading dims (a size-1
  // one from unsqueeze(1) makes the per-sample count equal too, and proves nothing).
  if (dimsEqual(inF, last)) return;
  const perSample = prodDims(shape.slice(1));
  const flattened = dimsEqual(inF, perSample) || (shape.length === 4 && typeof last !== 'number' && looksLikeChw(inF, shape[1]));
  if (!dimsConflict(inF, last) && !flattened) return;
  if (!flattened && shape.length < 4) return;
  throw new ShapeError(
    `${owner} expected in_features=${formatDim(inF)} but the input has ${formatDim(shape[shape.length - 1])} (last dim of the ${shape.length}-D input ${formatShape(shape)}): ` +
      (flattened ? `a Flatten is missing (${formatShape(shape.slice(1))} flattens to ${formatDim(perSample)})` : 'a Flatten is probably missing before it'),
    'DL403',
    { layer: owner, arg: 'in_features', expected: inF, actual: shape[shape.length - 1], input: shape },
  );
}

/** DL404: the per-sample size a Flatten produced is not the in_features the Linear was written for. */
function checkFlattenedSize(owner: string, inF: Shape[number], t: KnownTensor): void {
  const from = flattenedFrom(t);
  const last = t.shape[t.shape.length - 1];
  if (!from || !dimsConflict(inF, last)) return;
  // A pooled (N, C, 1, 1) map flattens to its channels: a channel count mismatch (DL401), not a resolution one.
  if (from.slice(2).every((d) => d === 1)) return;
  throw new ShapeError(
    `${owner} expected in_features=${formatDim(inF)} but the input has ${formatDim(last)} (the flattened size of ${formatShape(from)}: ${from.slice(1).map(formatDim).join('·')} = ${formatDim(last)})`,
    'DL404',
    { layer: owner, arg: 'in_features', expected: inF, actual: last, input: t.shape },
  );
}

/**
 * With a symbolic H, W: in_features = C·k·k for the known channel count C of a 4-D map is
 * a flattened conv output written for one resolution (LeNet's 16·5·5).
 */
function looksLikeChw(inF: Shape[number], channels: Shape[number]): boolean {
  if (typeof inF !== 'number' || typeof channels !== 'number' || channels < 1 || inF % channels !== 0) return false;
  const side = Math.round(Math.sqrt(inF / channels));
  return side > 1 && side * side === inF / channels;
}

const linearParams = (a: LayerArgs) => countParams([a.dim('in_features'), a.dim('out_features')], a.bool('bias') ? [a.dim('out_features')] : []);

export const Linear: LayerSpec = defineLayer({
  name: 'Linear',
  signature: [{ name: 'in_features' }, { name: 'out_features' }, { name: 'bias', default: true }, ...FACTORY_KWARGS],
  doc: 'Fully connected layer y = x·Wᵀ + b on the last dim: (*, in_features) -> (*, out_features).',
  params: linearParams,
  paramFormula: 'in_features·out_features + out_features (bias)',
  forward(a, inputs) {
    const t = inputAt(inputs);
    if (t.shape.length === 0) throw rankError('Linear', 'at least 1-D', t);
    const last = t.shape[t.shape.length - 1];
    checkMissingFlatten('Linear', a.dim('in_features'), t.shape);
    checkFlattenedSize('Linear', a.dim('in_features'), t);
    expectDim('Linear', 'in_features', a.dim('in_features'), last, 'last dim', t.shape);
    return out([...t.shape.slice(0, -1), a.dim('out_features')], t.dtype);
  },
  paramShapes: (a) => ({ weight: [a.dim('out_features'), a.dim('in_features')], ...(a.bool('bias') ? { bias: [a.dim('out_features')] } : {}) }),
  macs: torchinfoMacs('dense', linearParams),
  equivalents: kerasEquivalent('Dense(out_features)'),
});

const bilinearParams = (a: LayerArgs) =>
  countParams([a.dim('out_features'), a.dim('in1_features'), a.dim('in2_features')], a.bool('bias') ? [a.dim('out_features')] : []);

export const Bilinear: LayerSpec = defineLayer({
  name: 'Bilinear',
  signature: [{ name: 'in1_features' }, { name: 'in2_features' }, { name: 'out_features' }, { name: 'bias', default: true }, ...FACTORY_KWARGS],
  doc: 'Bilinear form y = x1ᵀ·A·x2 + b of two inputs: (*, in1), (*, in2) -> (*, out_features).',
  tensorInputs: [0, 1],
  params: bilinearParams,
  paramFormula: 'out_features·in1_features·in2_features + out_features (bias)',
  forward(a, inputs) {
    const x1 = inputAt(inputs, 0);
    const x2 = inputAt(inputs, 1);
    if (x1.shape.length === 0 || x2.shape.length === 0) throw new ShapeError('Bilinear expects inputs with at least 1 dim', 'DL406');
    expectDim('Bilinear', 'in1_features', a.dim('in1_features'), x1.shape[x1.shape.length - 1], 'last dim of input1', x1.shape);
    expectDim('Bilinear', 'in2_features', a.dim('in2_features'), x2.shape[x2.shape.length - 1], 'last dim of input2', x2.shape);
    const lead1 = x1.shape.slice(0, -1);
    const lead2 = x2.shape.slice(0, -1);
    if (lead1.length !== lead2.length || lead1.some((d, i) => dimsConflict(d, lead2[i]))) {
      throw new ShapeError(`Bilinear expects both inputs to have the same leading dims, but got ${formatShape(x1.shape)} and ${formatShape(x2.shape)}`, 'DL406');
    }
    return out([...lead1, a.dim('out_features')], x1.dtype);
  },
  macs: torchinfoMacs('dense', bilinearParams),
  paramShapes: (a) => ({
    weight: [a.dim('out_features'), a.dim('in1_features'), a.dim('in2_features')],
    ...(a.bool('bias') ? { bias: [a.dim('out_features')] } : {}),
  }),
});

