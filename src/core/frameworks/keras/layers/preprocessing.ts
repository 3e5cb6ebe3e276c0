// Keras preprocessing layers that sit inside models: Rescaling, Resizing, CenterCrop,
// Normalization (non-trainable mean + variance + count when not given), the random
// image augmentations (shape-preserving, no weights), and the text / categorical encoders
// (TextVectorization, StringLookup, IntegerLookup, Hashing, CategoryEncoding,
// Discretization: no weights; their lookup tables are not variables).

import { type Dim, type Shape, UNKNOWN_DIM, sym } from '../../../shapes/dim';
import { type TensorV, type Value, UNPROVEN_SHAPE, str, tensor } from '../../../eval/values';
import { type LayerArgs, type LayerSpec, type ParamDef, ShapeError, out } from '../../spec';
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
export const RandomCrop = kerasLayer({
  name: 'RandomCrop',
  signature: sig(p('height'), p('width'), p('seed', null), p('data_format', null)),
  doc: 'Randomly crops a (height, width) region in training (a center crop at inference): the output is always (height, width).',
  params: () => NO_PARAMS,
  forward: resizeForward('RandomCrop'),
});

/**
 * MelSpectrogram (Keras 3): (batch, samples) -> (batch, num_mel_bins, frames), unbatched
 * (samples,) -> (num_mel_bins, frames), frames = (samples + sequence_stride + 1) // sequence_stride
 * as its compute_output_shape gives (keras/src/layers/preprocessing/mel_spectrogram.py). No weights.
 */
export const MelSpectrogram = kerasLayer({
  name: 'MelSpectrogram',
  signature: sig(p('fft_length', 2048), p('sequence_stride', 512), p('sequence_length', null), p('window', 'hann'), p('sampling_rate', 16000),
    p('num_mel_bins', 128), p('min_freq', 20.0), p('max_freq', null), p('power_to_db', true), p('top_db', 80.0), p('mag_exp', 2.0),
    p('min_power', 1e-10), p('ref_power', 1.0)),
  doc: 'Mel spectrogram of raw audio (STFT + mel filter bank, no weights): (batch, samples) -> (batch, num_mel_bins, frames).',
  params: () => NO_PARAMS,
  forward(a, inputs) {
    const t = minRankInput(inputs, 1, 'MelSpectrogram');
    if (t.shape.length > 2) throw new ShapeError(`MelSpectrogram expects (batch, samples) or (samples,), got ${t.shape.length}-D`, 'DL406', { layer: 'MelSpectrogram' });
    const n = t.shape[t.shape.length - 1];
    const stride = a.int('sequence_stride');
    const frames: Dim = typeof n === 'number' && stride ? Math.floor((n + stride + 1) / stride) : NONE_DIM;
    const bins: Dim = a.int('num_mel_bins') ?? UNKNOWN_DIM;
    return out(t.shape.length === 2 ? [t.shape[0], bins, frames] : [bins, frames]);
  },
});

/**
 * STFTSpectrogram (Keras 3, keras/src/layers/preprocessing/stft_spectrogram.py): a strided 1-D
 * convolution over time (kernel frame_length, stride frame_step = frame_length // 2 by default,
 * padding valid / same) with FFT-initialised kernels real_kernel / imag_kernel of shape
 * (frame_length, 1, fft_length // 2 + 1) each ("real" / "imag" modes make one), trainable unless
 * trainable=False. fft_length defaults to the power of two >= frame_length. Output (batch, frames,
 * channels * freq) channels-last, (batch, channels * freq, frames) channels-first, freq doubled in
 * "stft" mode; expand_dims gives (batch, frames, freq, channels) / (batch, channels, frames, freq).
 */
function stftSizes(a: LayerArgs): { frame: number | null; step: number | null; bins: number | null } {
  const frame = a.int('frame_length');
  const step = a.int('frame_step') ?? (frame !== null ? Math.floor(frame / 2) : null);
  const fft = a.int('fft_length') ?? (frame !== null ? 2 ** Math.ceil(Math.log2(frame)) : null);
  return { frame, step, bins: fft !== null ? Math.floor(fft / 2) + 1 : null };
}

export const STFTSpectrogram = kerasLayer({
  name: 'STFTSpectrogram',
  signature: sig(p('mode', 'log'), p('frame_length', 256), p('frame_step', null), p('fft_length', null), p('window', 'hann'), p('periodic', false),
    p('scaling', 'density'), p('padding', 'valid'), p('expand_dims', false), p('data_format', null)),
  doc: 'Short-time Fourier transform as a strided Conv1D with FFT-initialised kernels: (batch, time, channels) -> (batch, frames, channels * (fft_length // 2 + 1)).',
  paramFormula: 'frame_length · (fft_length // 2 + 1) per kernel: real and imaginary (one in "real" / "imag" mode)',
  params(a) {
    const { frame, bins } = stftSizes(a);
    if (frame === null || bins === null) return { trainable: null, nonTrainable: 0 };
    const mode = a.str('mode') ?? 'log';
    return { trainable: (mode === 'real' || mode === 'imag' ? 1 : 2) * frame * bins, nonTrainable: 0 };
  },
  forward(a, inputs) {
    const t = minRankInput(inputs, 3, 'STFTSpectrogram');
    if (t.shape.length !== 3) throw new ShapeError(`STFTSpectrogram expects (batch, time, channels), got ${t.shape.length}-D`, 'DL406', { layer: 'STFTSpectrogram' });
    const cf = channelsFirst(a);
    const [batch, time, ch] = cf ? [t.shape[0], t.shape[2], t.shape[1]] : [t.shape[0], t.shape[1], t.shape[2]];
    const { frame, step, bins } = stftSizes(a);
    const freq: Dim = bins === null ? UNKNOWN_DIM : (a.str('mode') === 'stft' ? 2 * bins : bins);
    let frames: Dim = NONE_DIM;
    if (typeof time === 'number' && frame !== null && step) {
      frames = a.str('padding') === 'same' ? Math.ceil(time / step) : Math.floor((time - frame) / step) + 1;
    } else if (typeof time !== 'number') frames = time;
    const flat: Dim = typeof ch === 'number' && typeof freq === 'number' ? ch * freq : UNKNOWN_DIM;
    if (a.bool('expand_dims')) return out(cf ? [batch, ch, frames, freq] : [batch, frames, freq, ch]);
    return out(cf ? [batch, flat, frames] : [batch, frames, flat]);
  },
});

/** RandomHeight / RandomWidth: the resized axis has no static size (Keras reports None). */
function randomResize(name: string, axis: 0 | 1): LayerSpec {
  return kerasLayer({
    name,
    signature: sig(p('factor'), p('interpolation', 'bilinear'), p('seed', null), p('data_format', null)),
    doc: `Randomly resizes the image ${axis === 0 ? 'height' : 'width'} in training; that axis is None in the output shape.`,
    params: () => NO_PARAMS,
    forward(a, inputs) {
      const t = minRankInput(inputs, 3, name);
      const s = [...t.shape];
      const base = s.length >= 4 ? 1 : 0;
      s[(channelsFirst(a) ? base + 1 : base) + axis] = NONE_DIM;
      return outLike(t, s);
    },
  });
}
export const RandomHeight = randomResize('RandomHeight', 0);
export const RandomWidth = randomResize('RandomWidth', 1);

/**
 * The other image augmentation layers of Keras 3 (and RandomBrightness of tf.keras 2): no
 * weights and the input's shape (RandomGrayscale keeps the channel count). Their arguments do
 * not change shapes, so any are accepted.
 */
const ANY_ARGS: ParamDef[] = [{ name: 'args', star: '*' }, { name: 'kwargs', star: '**' }];
export const SHAPE_KEEPING_AUGMENTATIONS: LayerSpec[] = [
  'RandomBrightness', 'RandomGrayscale', 'RandomSaturation', 'RandomHue', 'RandomSharpness', 'RandomColorJitter', 'RandomColorDegeneration',
  'RandAugment', 'AugMix', 'AutoContrast', 'Solarization', 'Equalization', 'MixUp', 'CutMix', 'RandomPosterization', 'RandomShear',
  'RandomErasing', 'RandomGaussianBlur', 'RandomInvert', 'RandomPerspective', 'RandomElasticTransform', 'RandomApply', 'Pipeline',
].map((name) => makeAugment(name, ANY_ARGS, `${name}: a random image augmentation (training only); no weights, the input's shape.`));

export const RandomContrast = makeAugment('RandomContrast', sig(p('factor'), p('value_range', [0, 255]), p('seed', null)), 'Randomly adjusts contrast during training.');

const NONE_DIM = sym('None');

/**
 * The output of an encoder in a counting mode (one_hot, multi_hot, count, tf_idf) with
 * `depth` bins, as Keras 3 computes it: one_hot appends the bins unless the last axis is 1,
 * the other modes replace the last axis (a rank-0 input gives just the bins).
 */
function encodedShape(s: Shape, mode: string, depth: Dim): Shape {
  if (s.length <= 1) return s.length === 0 ? [depth] : [s[0], depth];
  if (mode === 'one_hot' && s[s.length - 1] !== 1) return [...s, depth];
  return [...s.slice(0, -1), depth];
}

function encoderInput(inputs: Value[], name: string): TensorV {
  const t = inputs[0];
  if (!t || t.k !== 'tensor') throw new ShapeError(`${name} expects a tensor input`, UNPROVEN_SHAPE, { layer: name });
  return t;
}

/** Vocabulary size of a lookup given `vocabulary=[...]` (plus its OOV and mask indices); unknown when adapted. */
function lookupDepth(a: LayerArgs, special: number): Dim {
  if (a.bool('pad_to_max_tokens') && a.int('max_tokens') !== null) return a.int('max_tokens')!;
  const v = a.raw('vocabulary');
  if (v.k === 'list' || v.k === 'tuple') return v.items.length + special;
  return UNKNOWN_DIM;
}

/** StringLookup / IntegerLookup: indices of the input's shape (int), or per-sample encodings over the vocabulary. */
function makeLookup(name: string, dtypeDefault: string, maskDefault: unknown): LayerSpec {
  return kerasLayer({
    name,
    signature: sig(
      p('max_tokens', null), p('num_oov_indices', 1), p('mask_token', maskDefault), p('oov_token', dtypeDefault === 'string' ? '[UNK]' : -1),
      p('vocabulary', null), p('vocabulary_dtype', dtypeDefault === 'string' ? null : 'int64'), p('idf_weights', null), p('invert', false),
      p('output_mode', 'int'), p('sparse', false), p('pad_to_max_tokens', false),
    ),
    doc: `Maps ${dtypeDefault === 'string' ? 'strings' : 'integers'} to vocabulary indices (no weights): the input's shape in int mode, else (batch, vocabulary size).`,
    params: () => NO_PARAMS,
    forward(a, inputs) {
      const t = encoderInput(inputs, name);
      const mode = a.str('output_mode') ?? 'int';
      if (mode === 'int' || a.bool('invert')) return t.shape ? out(t.shape, a.bool('invert') ? (dtypeDefault === 'string' ? 'string' : 'int64') : 'int64') : tensor(null, 'int64');
      if (!t.shape) return tensor(null);
      const special = (a.int('num_oov_indices') ?? 1) + (a.isNone('mask_token') ? 0 : 1);
      return out([t.shape[0], lookupDepth(a, special)], 'float32');
    },
  });
}

/**
 * `layer.get_vocabulary()` of a lookup built with `vocabulary=[...]`: the mask token (when
 * set), the OOV token repeated num_oov_indices times, then the terms (Keras' IndexLookup
 * order); TextVectorization's is ['', '[UNK]', ...terms]. Null when the vocabulary comes from
 * adapt() (not known statically).
 */
export function lookupVocabulary(specName: string, a: LayerArgs): Value[] | null {
  const v = a.raw('vocabulary');
  if (v.k !== 'list' && v.k !== 'tuple') return null;
  if (specName === 'TextVectorization') return [str(''), str('[UNK]'), ...v.items];
  if (specName !== 'StringLookup' && specName !== 'IntegerLookup') return null;
  const oovs = a.int('num_oov_indices') ?? 1;
  const mask = a.isNone('mask_token') ? [] : [a.raw('mask_token')];
  return [...mask, ...Array.from({ length: oovs }, () => a.raw('oov_token')), ...v.items];
}

export const StringLookup = makeLookup('StringLookup', 'string', null);
export const IntegerLookup = makeLookup('IntegerLookup', 'int64', null);

export const TextVectorization = kerasLayer({
  name: 'TextVectorization',
  signature: sig(
    p('max_tokens', null), p('standardize', 'lower_and_strip_punctuation'), p('split', 'whitespace'), p('ngrams', null), p('output_mode', 'int'),
    p('output_sequence_length', null), p('pad_to_max_tokens', false), p('vocabulary', null), p('idf_weights', null), p('sparse', false), p('ragged', false), p('encoding', 'utf-8'),
  ),
  doc: 'Turns strings into token indices (batch, output_sequence_length) or, in the counting modes, (batch, vocabulary size); no weights.',
  params: () => NO_PARAMS,
  forward(a, inputs) {
    const t = encoderInput(inputs, 'TextVectorization');
    const mode = a.str('output_mode') ?? 'int';
    const batch = t.shape?.[0] ?? NONE_DIM;
    if (mode === 'int') return out([batch, a.int('output_sequence_length') ?? NONE_DIM], 'int64');
    // The vocabulary holds the mask token '' and the OOV token besides the given terms.
    return out([batch, lookupDepth(a, 2)], 'float32');
  },
});

/** Hashing, CategoryEncoding and Discretization: `depth` bins from the layer's arguments. */
function makeBinned(name: string, signature: ParamDef[], modeDefault: string, depthOf: (a: LayerArgs) => Dim, doc: string): LayerSpec {
  return kerasLayer({
    name,
    signature,
    doc,
    params: () => NO_PARAMS,
    forward(a, inputs) {
      const t = encoderInput(inputs, name);
      const mode = a.str('output_mode') ?? modeDefault;
      if (mode === 'int') return t.shape ? out(t.shape, 'int64') : tensor(null, 'int64');
      if (!t.shape) return tensor(null);
      return out(encodedShape(t.shape, mode, depthOf(a)), 'float32');
    },
  });
}

export const Hashing = makeBinned(
  'Hashing', sig(p('num_bins'), p('mask_value', null), p('salt', null), p('output_mode', 'int'), p('sparse', false)), 'int',
  (a) => a.int('num_bins') ?? UNKNOWN_DIM, 'Hashes values into num_bins bins (no weights): indices of the input\'s shape, or encodings over the bins.',
);
/**
 * HashedCrossing(num_bins, output_mode): crosses a tuple / list of two categorical features into
 * num_bins hashed bins (no weights): int indices of the first feature's shape, or one-hot
 * encodings over the bins (a trailing 1 replaced, as CategoryEncoding does).
 */
export const HashedCrossing = kerasLayer({
  name: 'HashedCrossing',
  signature: sig(p('num_bins'), p('output_mode', 'int'), p('sparse', false)),
  doc: 'Crosses two categorical features into num_bins hashed bins (no weights): indices, or one-hot encodings over the bins.',
  params: () => NO_PARAMS,
  forward(a, inputs) {
    const pair = inputs.length === 1 && (inputs[0].k === 'tuple' || inputs[0].k === 'list') ? inputs[0].items : inputs;
    if (pair.length !== 2) throw new ShapeError(`HashedCrossing expects a tuple of two features, got ${pair.length}`, 'DL406', { layer: 'HashedCrossing' });
    const t = encoderInput(pair, 'HashedCrossing');
    const mode = a.str('output_mode') ?? 'int';
    if (mode === 'int') return t.shape ? out(t.shape, 'int64') : tensor(null, 'int64');
    if (!t.shape) return tensor(null);
    return out(encodedShape(t.shape, 'one_hot', a.int('num_bins') ?? UNKNOWN_DIM), 'float32');
  },
});
export const CategoryEncoding = makeBinned(
  'CategoryEncoding', sig(p('num_tokens', null), p('output_mode', 'multi_hot'), p('sparse', false)), 'multi_hot',
  (a) => a.int('num_tokens') ?? UNKNOWN_DIM, 'Encodes integer features as one-hot, multi-hot or counts over num_tokens (no weights).',
);
export const Discretization = makeBinned(
  'Discretization', sig(p('bin_boundaries', null), p('num_bins', null), p('epsilon', 0.01), p('output_mode', 'int'), p('sparse', false)), 'int',
  (a) => {
    const b = a.raw('bin_boundaries');
    if (b.k === 'list' || b.k === 'tuple') return b.items.length + 1;
    return a.int('num_bins') ?? UNKNOWN_DIM;
  },
  'Buckets continuous values by bin_boundaries (or num_bins learned by adapt); no weights.',
);
