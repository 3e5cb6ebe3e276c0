// Keras pooling from two factories: windowed (Max/AveragePoolingND: strides default to
// pool_size, TF 'valid'/'same' arithmetic) and global (Global*PoolingND, keepdims).

import type { Dim } from '../../../shapes/dim';
import { tfConvOutDim } from '../../../shapes/ops';
import type { LayerSpec } from '../../spec';
import { NO_PARAMS, channelsFirst, joinSpatial, kerasLayer, outLike, p, paddingMode, positiveDim, rankedInput, sig, splitSpatial } from './common';

const DEFAULT_POOL: Record<number, unknown> = { 1: 2, 2: [2, 2], 3: [2, 2, 2] };

function makePool(name: string, rank: number, op: 'max' | 'average'): LayerSpec {
  return kerasLayer({
    name,
    signature: sig(p('pool_size', DEFAULT_POOL[rank]), p('strides', null), p('padding', 'valid'), p('data_format', null)),
    doc: `${op === 'max' ? 'Max' : 'Average'} pooling over ${rank}-D windows; strides default to pool_size.`,
    params: () => NO_PARAMS,
    forward(a, inputs) {
      const t = rankedInput(inputs, rank + 2, name);
      const first = channelsFirst(a);
      const l = splitSpatial(t.shape, first);
      const k = a.dims('pool_size', rank);
      const s = a.isNone('strides') ? k : a.dims('strides', rank);
      const pad = paddingMode(a) === 'same' ? 'same' : 'valid';
      const spatial = l.spatial.map((x, i) => positiveDim(tfConvOutDim(x, k[i], s[i], pad), name, `output size on spatial axis ${i + 1}`));
      return outLike(t, joinSpatial({ ...l, spatial }, first));
    },
    equivalents: [{ framework: 'torch', call: `nn.${op === 'max' ? 'Max' : 'Avg'}Pool${rank}d(kernel_size)` }],
  });
}

function makeGlobalPool(name: string, rank: number, op: 'max' | 'average'): LayerSpec {
  return kerasLayer({
    name,
    signature: sig(p('data_format', null), p('keepdims', false)),
    doc: `Global ${op} pooling over all ${rank} spatial axes; keepdims keeps them as size 1.`,
    params: () => NO_PARAMS,
    forward(a, inputs) {
      const t = rankedInput(inputs, rank + 2, name);
      const first = channelsFirst(a);
      const l = splitSpatial(t.shape, first);
      if (a.bool('keepdims')) return outLike(t, joinSpatial({ ...l, spatial: l.spatial.map((): Dim => 1) }, first));
      return outLike(t, [l.batch, l.channels]);
    },
    equivalents: [{ framework: 'torch', call: `nn.Adaptive${op === 'max' ? 'Max' : 'Avg'}Pool${rank}d(1)` }],
  });
}

export const MaxPooling1D = makePool('MaxPooling1D', 1, 'max');
export const MaxPooling2D = makePool('MaxPooling2D', 2, 'max');
export const MaxPooling3D = makePool('MaxPooling3D', 3, 'max');
export const AveragePooling1D = makePool('AveragePooling1D', 1, 'average');
export const AveragePooling2D = makePool('AveragePooling2D', 2, 'average');
export const AveragePooling3D = makePool('AveragePooling3D', 3, 'average');
export const GlobalMaxPooling1D = makeGlobalPool('GlobalMaxPooling1D', 1, 'max');
export const GlobalMaxPooling2D = makeGlobalPool('GlobalMaxPooling2D', 2, 'max');
export const GlobalMaxPooling3D = makeGlobalPool('GlobalMaxPooling3D', 3, 'max');
export const GlobalAveragePooling1D = makeGlobalPool('GlobalAveragePooling1D', 1, 'average');
export const GlobalAveragePooling2D = makeGlobalPool('GlobalAveragePooling2D', 2, 'average');
export const GlobalAveragePooling3D = makeGlobalPool('GlobalAveragePooling3D', 3, 'average');

/** Keras 3 AdaptiveAverage/MaxPoolingND(output_size): the spatial axes become output_size, channels kept. */
function makeAdaptivePool(name: string, rank: number): LayerSpec {
  return kerasLayer({
    name,
    signature: sig(p('output_size'), p('data_format', null)),
    doc: `Adaptive pooling to a fixed ${rank}-D output_size (kernel and stride worked out from the input); no weights.`,
    params: () => NO_PARAMS,
    forward(a, inputs) {
      const t = rankedInput(inputs, rank + 2, name);
      const first = channelsFirst(a);
      const l = splitSpatial(t.shape, first);
      return outLike(t, joinSpatial({ ...l, spatial: a.dims('output_size', rank) }, first));
    },
    equivalents: [{ framework: 'torch', call: `nn.Adaptive${name.includes('Max') ? 'Max' : 'Avg'}Pool${rank}d(output_size)` }],
  });
}

export const AdaptiveAveragePooling1D = makeAdaptivePool('AdaptiveAveragePooling1D', 1);
export const AdaptiveAveragePooling2D = makeAdaptivePool('AdaptiveAveragePooling2D', 2);
export const AdaptiveAveragePooling3D = makeAdaptivePool('AdaptiveAveragePooling3D', 3);
export const AdaptiveMaxPooling1D = makeAdaptivePool('AdaptiveMaxPooling1D', 1);
export const AdaptiveMaxPooling2D = makeAdaptivePool('AdaptiveMaxPooling2D', 2);
export const AdaptiveMaxPooling3D = makeAdaptivePool('AdaptiveMaxPooling3D', 3);
