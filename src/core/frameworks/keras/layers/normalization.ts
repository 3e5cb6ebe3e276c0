// Keras normalisation layers. BatchNormalization owns trainable gamma/beta and
// non-trainable moving_mean/moving_variance over the `axis` channels; Layer/Group
// normalisation own gamma/beta only. All keep the input shape.

import { type Dim, isConcrete } from '../../../shapes/dim';
import type { Value } from '../../../eval/values';
import { type LayerArgs, type ParamCount, ShapeError } from '../../spec';
import { NO_PARAMS, countOf, identityForward, inputShape, kerasLayer, normAxis, p, sig } from './common';

/** The `axis` argument (int or list) resolved against the input rank; null when not readable. */
export function axesOf(a: LayerArgs, rank: number, layer: string, name = 'axis'): number[] | null {
  const v = a.raw(name);
  const raw = v.k === 'int' ? [v.v] : v.k === 'tuple' || v.k === 'list' ? v.items.map((x) => (x.k === 'int' ? x.v : null)) : [null];
  if (raw.some((x) => typeof x !== 'number')) return null;
  return (raw as number[]).map((x) => normAxis(x, rank, layer));
}

/** Size of the normalised axes (the per-feature weight count), or null. */
function featureCount(a: LayerArgs, inputs: Value[] | undefined, layer: string): number | null {
  const s = inputShape(inputs);
  if (!s) return null;
  const axes = axesOf(a, s.length, layer);
  return axes ? countOf(...axes.map((i) => s[i])) : null;
}

function scaled(n: number | null, copies: number): number | null {
  return n === null ? null : n * copies;
}

const GAMMA_BETA = [
  p('beta_initializer', 'zeros'),
  p('gamma_initializer', 'ones'),
  p('beta_regularizer', null),
  p('gamma_regularizer', null),
  p('beta_constraint', null),
  p('gamma_constraint', null),
];

export const BatchNormalization = kerasLayer({
  name: 'BatchNormalization',
  signature: sig(
    p('axis', -1), p('momentum', 0.99), p('epsilon', 0.001), p('center', true), p('scale', true),
    p('beta_initializer', 'zeros'), p('gamma_initializer', 'ones'), p('moving_mean_initializer', 'zeros'),
    p('moving_variance_initializer', 'ones'), p('beta_regularizer', null), p('gamma_regularizer', null),
    p('beta_constraint', null), p('gamma_constraint', null), p('synchronized', false),
    p('renorm', false), p('renorm_clipping', null), p('renorm_momentum', 0.99),
  ),
  doc: 'Normalises each channel with batch statistics; keeps moving mean/variance (non-trainable). Momentum 0.99 = PyTorch momentum 0.01.',
  paramFormula: '(scale + center)·C trainable + 2·C non-trainable (renorm: + moving_stddev, renorm_mean, renorm_stddev, 3·C)',
  params(a, inputs): ParamCount {
    const c = featureCount(a, inputs, 'BatchNormalization');
    const k = (a.bool('scale') ? 1 : 0) + (a.bool('center') ? 1 : 0);
    // renorm=True (batch_normalization.py build): moving_stddev, renorm_mean and renorm_stddev of C each, not trainable.
    return { trainable: scaled(c, k), nonTrainable: scaled(c, a.bool('renorm') ? 5 : 2) ?? 0 };
  },
  forward(a, inputs, kwargs) {
    const s = inputShape(inputs);
    if (s) axesOf(a, s.length, 'BatchNormalization');
    return identityForward('BatchNormalization')(a, inputs, kwargs);
  },
  equivalents: [{ framework: 'torch', call: 'nn.BatchNorm2d(num_features, eps=1e-3, momentum=0.01)' }],
});

/**
 * tf.keras.layers.experimental.SyncBatchNormalization (tf.keras 2; Keras 3 spells it
 * BatchNormalization(synchronized=True)): batch statistics reduced across replicas, the
 * weights of BatchNormalization (keras/layers/normalization/batch_normalization.py subclass).
 */
export const SyncBatchNormalization = kerasLayer({
  ...BatchNormalization,
  name: 'SyncBatchNormalization',
  doc: 'BatchNormalization whose batch statistics are reduced across replicas (tf.keras.layers.experimental); the same weights.',
  equivalents: [{ framework: 'torch', call: 'nn.SyncBatchNorm(num_features, eps=1e-3, momentum=0.01)' }],
});

export const LayerNormalization = kerasLayer({
  name: 'LayerNormalization',
  signature: sig(p('axis', -1), p('epsilon', 0.001), p('center', true), p('scale', true), p('rms_scaling', false), ...GAMMA_BETA),
  doc: 'Normalises each sample over `axis` (the last by default) with learned gamma/beta.',
  paramFormula: '(scale + center)·prod(normalised dims)',
  params(a, inputs) {
    const c = featureCount(a, inputs, 'LayerNormalization');
    const rms = a.bool('rms_scaling');
    const k = (a.bool('scale') || rms ? 1 : 0) + (a.bool('center') && !rms ? 1 : 0);
    return { trainable: scaled(c, k), nonTrainable: 0 };
  },
  forward: identityForward('LayerNormalization'),
  equivalents: [{ framework: 'torch', call: 'nn.LayerNorm(normalized_shape, eps=1e-3)' }],
});

export const GroupNormalization = kerasLayer({
  name: 'GroupNormalization',
  signature: sig(p('groups', 32), p('axis', -1), p('epsilon', 0.001), p('center', true), p('scale', true), ...GAMMA_BETA),
  doc: 'Normalises channel groups per sample; channels must divide evenly into groups.',
  paramFormula: '(scale + center)·C',
  params(a, inputs) {
    const c = featureCount(a, inputs, 'GroupNormalization');
    const k = (a.bool('scale') ? 1 : 0) + (a.bool('center') ? 1 : 0);
    return { trainable: scaled(c, k), nonTrainable: 0 };
  },
  forward(a, inputs, kwargs) {
    const s = inputShape(inputs);
    const groups = a.int('groups');
    if (s && groups) {
      const axes = axesOf(a, s.length, 'GroupNormalization');
      const c: Dim | undefined = axes ? s[axes[0]] : undefined;
      if (c !== undefined && isConcrete(c) && c % groups !== 0) {
        throw new ShapeError(`GroupNormalization: ${c} channels are not divisible by groups=${groups}`, 'DL402', { layer: 'GroupNormalization', arg: 'groups' });
      }
    }
    return identityForward('GroupNormalization')(a, inputs, kwargs);
  },
  equivalents: [{ framework: 'torch', call: 'nn.GroupNorm(num_groups, num_channels, eps=1e-3)' }],
});

export const UnitNormalization = kerasLayer({
  name: 'UnitNormalization',
  signature: sig(p('axis', -1)),
  doc: 'Scales each sample to unit L2 norm along `axis`.',
  params: () => NO_PARAMS,
  forward: identityForward('UnitNormalization'),
});


export const RMSNormalization = kerasLayer({
  name: 'RMSNormalization',
  signature: sig(p('axis', -1), p('epsilon', 1e-6)),
  doc: 'Keras 3 root-mean-square normalisation over `axis` with a learned scale.',
  paramFormula: 'prod(normalised dims) (the scale)',
  params(a, inputs) {
    const c = featureCount(a, inputs, 'RMSNormalization');
    return { trainable: c, nonTrainable: 0 };
  },
  forward: identityForward('RMSNormalization'),
});
