// Keras regularisation layers: dropout and noise variants. None has weights and all
// keep the shape; SpatialDropoutND checks the rank it is documented for.

import type { LayerSpec, ParamDef } from '../../spec';
import { NO_PARAMS, identityForward, kerasLayer, p, rankedInput, sig } from './common';

function makeNoise(name: string, signature: ParamDef[], doc: string, rank?: number): LayerSpec {
  return kerasLayer({
    name,
    signature,
    doc,
    params: () => NO_PARAMS,
    forward: rank === undefined
      ? identityForward(name)
      : (a, inputs, kwargs) => {
          rankedInput(inputs, rank, name);
          return identityForward(name)(a, inputs, kwargs);
        },
    equivalents: name === 'Dropout' ? [{ framework: 'torch', call: 'nn.Dropout(p=rate)' }] : undefined,
  });
}

export const Dropout = makeNoise('Dropout', sig(p('rate'), p('noise_shape', null), p('seed', null)), 'Randomly zeroes a fraction `rate` of the inputs during training.');
export const SpatialDropout1D = makeNoise('SpatialDropout1D', sig(p('rate'), p('seed', null)), 'Drops whole 1-D feature maps (channels) during training.', 3);
export const SpatialDropout2D = makeNoise('SpatialDropout2D', sig(p('rate'), p('data_format', null), p('seed', null)), 'Drops whole 2-D feature maps (channels) during training.', 4);
export const SpatialDropout3D = makeNoise('SpatialDropout3D', sig(p('rate'), p('data_format', null), p('seed', null)), 'Drops whole 3-D feature maps (channels) during training.', 5);
export const GaussianNoise = makeNoise('GaussianNoise', sig(p('stddev'), p('seed', null)), 'Adds zero-centred Gaussian noise during training.');
export const GaussianDropout = makeNoise('GaussianDropout', sig(p('rate'), p('seed', null)), 'Multiplies inputs by 1-centred Gaussian noise during training.');
export const AlphaDropout = makeNoise('AlphaDropout', sig(p('rate'), p('noise_shape', null), p('seed', null)), 'Dropout that keeps SELU self-normalisation (mean and variance).');
