// Keras activation layers. Only PReLU has weights: one alpha per input element
// (batch excluded), shared along `shared_axes` (1-based, batch = 0).

import { prodDims } from '../../../shapes/dim';
import { NO_PARAMS, countOf, identityForward, inputShape, kerasLayer, normAxis, p, sig, trainable } from './common';

export const ReLU = kerasLayer({
  name: 'ReLU',
  signature: sig(p('max_value', null), p('negative_slope', 0.0), p('threshold', 0.0)),
  doc: 'Rectified linear unit, optionally capped (max_value=6 gives ReLU6).',
  params: () => NO_PARAMS,
  forward: identityForward('ReLU'),
  equivalents: [{ framework: 'torch', call: 'nn.ReLU()' }],
});

export const LeakyReLU = kerasLayer({
  name: 'LeakyReLU',
  signature: sig(p('negative_slope', 0.3)),
  doc: 'Leaky ReLU; Keras defaults to slope 0.3 (PyTorch 0.01). Keras 2 spelled it alpha=.',
  params: () => NO_PARAMS,
  forward: identityForward('LeakyReLU'),
  equivalents: [{ framework: 'torch', call: 'nn.LeakyReLU(0.3)' }],
});

export const PReLU = kerasLayer({
  name: 'PReLU',
  signature: sig(p('alpha_initializer', 'Zeros'), p('alpha_regularizer', null), p('alpha_constraint', null), p('shared_axes', null)),
  doc: 'Parametric ReLU: learns one negative slope per input element (fewer with shared_axes).',
  paramFormula: 'prod(input shape without batch and shared axes)',
  params(a, inputs) {
    const s = inputShape(inputs);
    if (!s) return trainable(null);
    const shared = new Set((a.dimList('shared_axes') ?? []).map((d) => (typeof d === 'number' ? normAxis(d, s.length, 'PReLU') : -1)));
    return trainable(countOf(prodDims(s.slice(1).map((d, i) => (shared.has(i + 1) ? 1 : d)))));
  },
  forward: identityForward('PReLU'),
  equivalents: [{ framework: 'torch', call: 'nn.PReLU(num_parameters)' }],
});

export const ThresholdedReLU = kerasLayer({
  name: 'ThresholdedReLU',
  signature: sig(p('theta', 1.0)),
  doc: 'tf.keras 2: f(x) = x for x > theta, else 0.',
  params: () => NO_PARAMS,
  forward: identityForward('ThresholdedReLU'),
});

export const ELU = kerasLayer({
  name: 'ELU',
  signature: sig(p('alpha', 1.0)),
  doc: 'Exponential linear unit.',
  params: () => NO_PARAMS,
  forward: identityForward('ELU'),
  equivalents: [{ framework: 'torch', call: 'nn.ELU()' }],
});

export const Softmax = kerasLayer({
  name: 'Softmax',
  signature: sig(p('axis', -1)),
  doc: 'Softmax along `axis` (the last by default).',
  params: () => NO_PARAMS,
  forward: identityForward('Softmax'),
  equivalents: [{ framework: 'torch', call: 'nn.Softmax(dim=-1)' }],
});
