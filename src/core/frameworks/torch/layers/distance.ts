// torch.nn distance layers on pairs of tensors: CosineSimilarity (reduces `dim`) and
// PairwiseDistance (reduces the last dim). Inputs broadcast against each other.

import type { LayerSpec } from '../../spec';
import { ShapeError, out } from '../../spec';
import { tensor } from '../../../eval/values';
import { broadcastShapes, defineLayer, inputAt, kerasEquivalent, noParams, normDim } from './common';

export const CosineSimilarity: LayerSpec = defineLayer({
  name: 'CosineSimilarity',
  signature: [
    { name: 'dim', default: 1 },
    { name: 'eps', default: 1e-8 },
  ],
  doc: 'Cosine similarity of x1 and x2 along `dim` (that dim is reduced away; the inputs broadcast).',
  tensorInputs: [0, 1],
  params: noParams,
  forward(a, inputs) {
    const x1 = inputAt(inputs, 0);
    const x2 = inputAt(inputs, 1);
    const shape = broadcastShapes('CosineSimilarity', x1.shape, x2.shape);
    const d0 = a.int('dim');
    if (d0 === null) return tensor(null, x1.dtype);
    const d = normDim('CosineSimilarity', d0, shape.length);
    return out([...shape.slice(0, d), ...shape.slice(d + 1)], x1.dtype);
  },
  equivalents: kerasEquivalent('Dot(axes=dim, normalize=True)'),
});

export const PairwiseDistance: LayerSpec = defineLayer({
  name: 'PairwiseDistance',
  signature: [
    { name: 'p', default: 2.0 },
    { name: 'eps', default: 1e-6 },
    { name: 'keepdim', default: false },
  ],
  doc: 'p-norm distance ‖x1 − x2 + eps‖ₚ over the last dim (kept as size 1 with keepdim).',
  tensorInputs: [0, 1],
  params: noParams,
  forward(a, inputs) {
    const x1 = inputAt(inputs, 0);
    const x2 = inputAt(inputs, 1);
    const shape = broadcastShapes('PairwiseDistance', x1.shape, x2.shape);
    if (shape.length === 0) throw new ShapeError('PairwiseDistance expects inputs with at least 1 dim', 'DL406', { layer: 'PairwiseDistance' });
    return out(a.bool('keepdim') ? [...shape.slice(0, -1), 1] : shape.slice(0, -1), x1.dtype);
  },
});
