// torch.nn dropout layers: identity on shapes (random zeroing at train time only).
// Dropout1d is the one that checks its rank in torch 1.13.

import type { LayerSpec } from '../../spec';
import { defineLayer, expectRank, inputAt, kerasEquivalent, noParams, sameShape } from './common';

const SIGNATURE = [
  { name: 'p', default: 0.5 },
  { name: 'inplace', default: false },
];

function makeDropout(name: string, doc: string, keras: string | null, ranks?: number[]): LayerSpec {
  return defineLayer({
    name,
    signature: SIGNATURE,
    doc,
    params: noParams,
    forward(_a, inputs) {
      const t = inputAt(inputs);
      if (ranks) expectRank(name, t, ranks);
      return sameShape(t);
    },
    equivalents: keras ? kerasEquivalent(keras) : undefined,
  });
}

export const Dropout = makeDropout('Dropout', 'Zeroes each element with probability p during training (scales the rest by 1/(1-p)); shape unchanged.', 'Dropout(rate=p)');
export const Dropout1d = makeDropout('Dropout1d', 'Zeroes whole channels of (N, C, L) or (C, L) with probability p during training.', 'SpatialDropout1D(rate=p)  # channels-last', [2, 3]);
export const Dropout2d = makeDropout('Dropout2d', 'Zeroes whole channels of (N, C, H, W) with probability p during training.', 'SpatialDropout2D(rate=p)  # channels-last');
export const Dropout3d = makeDropout('Dropout3d', 'Zeroes whole channels of (N, C, D, H, W) with probability p during training.', 'SpatialDropout3D(rate=p)  # channels-last');
export const AlphaDropout = makeDropout('AlphaDropout', 'Dropout that keeps the self-normalising mean and variance (for SELU networks).', 'AlphaDropout(rate=p)');
export const FeatureAlphaDropout = makeDropout('FeatureAlphaDropout', 'Alpha dropout of whole channels (for SELU networks).', null);
