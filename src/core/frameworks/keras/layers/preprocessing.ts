// Keras preprocessing layers that sit inside models: Rescaling, Resizing, CenterCrop,
// Normalization (non-trainable mean + variance + count when not given), and the random
// image augmentations (shape-preserving, no weights).

import type { Value } from '../../../eval/values';
import { type LayerArgs, type LayerSpec, type ParamDef, ShapeError } from '../../spec';
import { NO_PARAMS, channelsFirst, countOf, identityForward, inputShape, kerasLayer, minRankInput, outLike, p, sig } from './common';
import { axesOf } from './normalization';

export const Rescaling = kerasLayer({
  name: 'Rescaling',
  signature: sig(p('scale'), p('offset', 0.0)),
  doc: 'Multiplies inputs by scale and adds offset (e.g. 1/255).',
  params: () => NO_PARAMS,
  forward: identityForward('Rescaling'),
});

/** (batch, h, w, c) -> (batch, height, width, c), honouring data_format; unbatched 3-D inputs too. */
function resizeForward(name: string) {
  return (a: LayerArgs, inputs: Value[]): Value => {
    const t = minRankInput(inputs, 3, name);
    if (t.shape.length > 4) throw new ShapeError(`${name} expects a 3-D or 4-D image input, got rank ${t.shape.length}`, 'DL406', { layer: name });
    const h = a.dim('height');
    const w = a.dim('width');
    const s = [...t.shape];
    const base = s.length === 4 ? 1 : 0;
    const hi = channelsFirst(a) ? base + 1 : base;
    s[hi] = h;
    s[hi + 1] = w;
    return outLike(t, s);
  };
}

export const Resizing = kerasLayer({
  name: 'Resizing',
  signature: sig(
    p('height'), p('width'), p('interpolation', 'bilinear'), p('crop_to_aspect_ratio', false), p('pad_to_aspect_ratio', false),
    p('fill_mode', 'constant'), p('fill_value', 0.0), p('data_format', null),
  ),
  doc: 'Resizes images to (height, width).',
  params: () => NO_PARAMS,
  forward: resizeForward('Resizing'),
});

export const CenterCrop = kerasLayer({
  name: 'CenterCrop',
  signature: sig(p('height'), p('width'), p('data_format', null)),
  doc: 'Crops the central (height, width) region (resizing first when the image is smaller).',
  params: () => NO_PARAMS,
  forward: resizeForward('CenterCrop'),
});

export const Normalization = kerasLayer({
  name: 'Normalization',
  signature: sig(p('axis', -1), p('mean', null), p('variance', null), p('invert', false)),
  doc: 'Standardises features with a mean and variance learned by adapt() (non-trainable: mean, variance, count).',
  paramFormula: '2·C + 1 non-trainable (mean, variance, count) unless mean/variance are given',
  params(a, inputs) {
    if (a.has('mean') && a.has('variance')) return NO_PARAMS;
    const s = inputShape(inputs);
    if (!s) return { trainable: 0, nonTrainable: 0 };
    if (a.isNone('axis')) return { trainable: 0, nonTrainable: 3 };
    const axes = axesOf(a, s.length, 'Normalization');
    const c = axes ? countOf(...axes.map((i) => s[i])) : null;
    return { trainable: 0, nonTrainable: c === null ? 0 : 2 * c + 1 };
  },
  forward: identityForward('Normalization'),
});

function makeAugment(name: string, signature: ParamDef[], doc: string): LayerSpec {
  return kerasLayer({ name, signature, doc, params: () => NO_PARAMS, forward: identityForward(name) });
}

const AUG_TAIL = [p('fill_mode', 'reflect'), p('interpolation', 'bilinear'), p('seed', null), p('fill_value', 0.0), p('data_format', null)];

export const RandomFlip = makeAugment('RandomFlip', sig(p('mode', 'horizontal_and_vertical'), p('seed', null), p('data_format', null)), 'Randomly flips images during training.');
export const RandomRotation = makeAugment('RandomRotation', sig(p('factor'), ...AUG_TAIL), 'Randomly rotates images during training.');
export const RandomZoom = makeAugment('RandomZoom', sig(p('height_factor'), p('width_factor', null), ...AUG_TAIL), 'Randomly zooms images during training.');
export const RandomTranslation = makeAugment('RandomTranslation', sig(p('height_factor'), p('width_factor'), ...AUG_TAIL), 'Randomly translates images during training.');
export const RandomContrast = makeAugment('RandomContrast', sig(p('factor'), p('value_range', [0, 255]), p('seed', null)), 'Randomly adjusts contrast during training.');
