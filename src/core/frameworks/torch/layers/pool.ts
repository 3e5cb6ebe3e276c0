// torch.nn pooling layers: MaxPool / AvgPool / LPPool (window arithmetic of shapes/ops.ts,
// including ceil_mode's "the last window must start inside the input" rule), adaptive
// pooling (fixed output size, None keeps a dim), fractional max pooling and MaxUnpool.
// None of them has parameters.

import { type Dim, type Shape, UNKNOWN_DIM, addDims, formatShape, mulDims, subDims } from '../../../shapes/dim';
import { poolOutDim } from '../../../shapes/ops';
import type { Value } from '../../../eval/values';
import { tuple } from '../../../eval/values';
import type { LayerArgs, LayerSpec, ParamDef } from '../../spec';
import { ShapeError, out } from '../../spec';
import {
  type KnownTensor,
  bindForward,
  defineLayer,
  inputAt,
  joinChannelsFirst,
  kerasEquivalent,
  noParams,
  numberOf,
  optionalDims,
  scaleDim,
  splitChannelsFirst,
} from './common';

const SUFFIX = ['', '1D', '2D', '3D'];
const KERAS_SUFFIX = (n: number) => `${SUFFIX[n]}`;

interface Window {
  kernel: Dim[];
  stride: Dim[];
  padding: Dim[];
  dilation: Dim[];
  ceil: boolean;
}

/** stride=None means stride = kernel_size (torch's default for every pooling layer). */
function windowOf(a: LayerArgs, n: number): Window {
  const kernel = a.dims('kernel_size', n);
  const stride = a.isNone('stride') ? kernel : a.dims('stride', n);
  const padding = a.values.has('padding') ? a.dims('padding', n) : Array(n).fill(0);
  const dilation = a.values.has('dilation') ? a.dims('dilation', n) : Array(n).fill(1);
  return { kernel, stride, padding, dilation, ceil: a.bool('ceil_mode') };
}

/** Output sizes of a pooling window; ShapeError when torch would refuse the window or the size. */
function pooledSpatial(owner: string, spatial: Shape, w: Window, padLimit: 'effective' | 'kernel'): Shape {
  w.padding.forEach((p, i) => {
    const k = w.kernel[i];
    const d = w.dilation[i];
    if (typeof p === 'number' && typeof k === 'number' && typeof d === 'number') {
      const limit = padLimit === 'effective' ? ((k - 1) * d + 1) / 2 : k / 2;
      if (p > limit) {
        throw new ShapeError(`${owner}: padding=${p} should be at most half of the ${padLimit === 'effective' ? 'effective ' : ''}kernel size ${padLimit === 'effective' ? (k - 1) * d + 1 : k}`, 'DL406', { layer: owner, arg: 'padding' });
      }
    }
  });
  const result = spatial.map((x, i) => poolOutDim(x, w.kernel[i], w.stride[i], w.padding[i], w.dilation[i], w.ceil));
  if (result.some((o) => typeof o === 'number' && o < 1)) {
    throw new ShapeError(
      `${owner}: output size ${formatShape(result)} is too small for the input size ${formatShape(spatial)} (kernel ${formatShape(w.kernel)}, stride ${formatShape(w.stride)}, padding ${formatShape(w.padding)})`,
      'DL405',
      { layer: owner, input: spatial },
    );
  }
  return result;
}

function pooled(owner: string, t: KnownTensor, n: number, spatial: (s: Shape) => Shape, withIndices: boolean): Value {
  const p = splitChannelsFirst(owner, t, n);
  const shape = joinChannelsFirst({ ...p, spatial: spatial(p.spatial) });
  const o = out(shape, t.dtype);
  return withIndices ? tuple([o, out([...shape], 'int64')]) : o;
}

function makeMaxPool(n: number): LayerSpec {
  const name = `MaxPool${n}d`;
  return defineLayer({
    name,
    signature: [
      { name: 'kernel_size' },
      { name: 'stride', default: null },
      { name: 'padding', default: 0 },
      { name: 'dilation', default: 1 },
      { name: 'return_indices', default: false },
      { name: 'ceil_mode', default: false },
    ],
    doc: `${n}-D max pooling over the trailing ${n} dim${n > 1 ? 's' : ''} (stride defaults to kernel_size); returns (output, indices) with return_indices=True.`,
    params: noParams,
    forward(a, inputs) {
      return pooled(name, inputAt(inputs), n, (s) => pooledSpatial(name, s, windowOf(a, n), 'effective'), a.bool('return_indices'));
    },
    equivalents: kerasEquivalent(`MaxPooling${KERAS_SUFFIX(n)}(pool_size=kernel_size, strides=stride)  # channels-last; padding='same' only for padding that keeps the size`),
  });
}

function makeAvgPool(n: number): LayerSpec {
  const name = `AvgPool${n}d`;
  const signature: ParamDef[] = [
    { name: 'kernel_size' },
    { name: 'stride', default: null },
    { name: 'padding', default: 0 },
    { name: 'ceil_mode', default: false },
    { name: 'count_include_pad', default: true },
  ];
  if (n > 1) signature.push({ name: 'divisor_override', default: null });
  return defineLayer({
    name,
    signature,
    doc: `${n}-D average pooling over the trailing ${n} dim${n > 1 ? 's' : ''} (stride defaults to kernel_size).`,
    params: noParams,
    forward(a, inputs) {
      return pooled(name, inputAt(inputs), n, (s) => pooledSpatial(name, s, windowOf(a, n), 'kernel'), false);
    },
    equivalents: kerasEquivalent(`AveragePooling${KERAS_SUFFIX(n)}(pool_size=kernel_size, strides=stride)  # channels-last`),
  });
}

function makeLPPool(n: number): LayerSpec {
  const name = `LPPool${n}d`;
  return defineLayer({
    name,
    signature: [{ name: 'norm_type' }, { name: 'kernel_size' }, { name: 'stride', default: null }, { name: 'ceil_mode', default: false }],
    doc: `${n}-D power-average pooling (p-norm over each window, p = norm_type; stride defaults to kernel_size).`,
    params: noParams,
    forward(a, inputs) {
      return pooled(name, inputAt(inputs), n, (s) => pooledSpatial(name, s, windowOf(a, n), 'kernel'), false);
    },
  });
}

function makeAdaptive(kind: 'Avg' | 'Max', n: number): LayerSpec {
  const name = `Adaptive${kind}Pool${n}d`;
  const signature: ParamDef[] = [{ name: 'output_size' }];
  if (kind === 'Max') signature.push({ name: 'return_indices', default: false });
  return defineLayer({
    name,
    signature,
    doc: `${n}-D adaptive ${kind === 'Avg' ? 'average' : 'max'} pooling to a fixed output_size (None keeps that input dim).`,
    params: noParams,
    forward(a, inputs) {
      const target = optionalDims(a, 'output_size', n);
      return pooled(name, inputAt(inputs), n, (s) => s.map((x, i) => target[i] ?? x), kind === 'Max' && a.bool('return_indices'));
    },
    equivalents:
      kind === 'Avg'
        ? kerasEquivalent(`GlobalAveragePooling${KERAS_SUFFIX(n)}(keepdims=True)  # only for output_size=1`)
        : kerasEquivalent(`GlobalMaxPooling${KERAS_SUFFIX(n)}(keepdims=True)  # only for output_size=1`),
  });
}

function makeFractionalMaxPool(n: number): LayerSpec {
  const name = `FractionalMaxPool${n}d`;
  return defineLayer({
    name,
    signature: [
      { name: 'kernel_size' },
      { name: 'output_size', default: null },
      { name: 'output_ratio', default: null },
      { name: 'return_indices', default: false },
      { name: '_random_samples', default: null },
    ],
    doc: `${n}-D fractional max pooling to output_size, or to ⌊input·output_ratio⌋.`,
    params: noParams,
    forward(a, inputs) {
      const t = inputAt(inputs);
      if (a.has('output_size') === a.has('output_ratio')) throw new ShapeError(`${name} requires exactly one of output_size or output_ratio`, 'DL406', { layer: name });
      const spatial = (s: Shape): Shape => {
        if (a.has('output_size')) return a.dims('output_size', n);
        const r = a.raw('output_ratio');
        const ratios = r.k === 'tuple' || r.k === 'list' ? r.items.map(numberOf) : Array(n).fill(numberOf(r));
        return s.map((x, i) => {
          const q = ratios[i] ?? ratios[0];
          return q === null || q === undefined ? UNKNOWN_DIM : scaleDim(x, q);
        });
      };
      return pooled(name, t, n, (s) => {
        const o = spatial(s);
        const k = a.dims('kernel_size', n);
        o.forEach((x, i) => {
          const ki = k[i];
          const si = s[i];
          if (typeof x === 'number' && typeof ki === 'number' && typeof si === 'number' && x + ki - 1 > si) {
            throw new ShapeError(`${name}: output size ${x} plus kernel size ${ki} - 1 exceeds the input size ${si} (dim ${i})`, 'DL405', { layer: name });
          }
        });
        return o;
      }, a.bool('return_indices'));
    },
  });
}

function makeMaxUnpool(n: number): LayerSpec {
  const name = `MaxUnpool${n}d`;
  const forwardSig: ParamDef[] = [{ name: 'input' }, { name: 'indices' }, { name: 'output_size', default: null }];
  return defineLayer({
    name,
    signature: [{ name: 'kernel_size' }, { name: 'stride', default: null }, { name: 'padding', default: 0 }],
    doc: `Partial inverse of MaxPool${n}d: scatters the pooled values back to (in − 1)·stride − 2·padding + kernel_size.`,
    params: noParams,
    forward(a, inputs, kwargs) {
      const fa = bindForward(name, forwardSig, inputs, kwargs);
      const w = windowOf(a, n);
      return pooled(name, inputAt(inputs), n, (s) => {
        if (fa.has('output_size')) {
          const given = fa.dimList('output_size') ?? [];
          return given.length >= n ? given.slice(given.length - n) : s.map(() => UNKNOWN_DIM);
        }
        return s.map((x, i) => addDims(subDims(mulDims(subDims(x, 1), w.stride[i]), mulDims(2, w.padding[i])), w.kernel[i]));
      }, false);
    },
  });
}

export const MaxPool1d = makeMaxPool(1);
export const MaxPool2d = makeMaxPool(2);
export const MaxPool3d = makeMaxPool(3);
export const AvgPool1d = makeAvgPool(1);
export const AvgPool2d = makeAvgPool(2);
export const AvgPool3d = makeAvgPool(3);
export const LPPool1d = makeLPPool(1);
export const LPPool2d = makeLPPool(2);
export const AdaptiveAvgPool1d = makeAdaptive('Avg', 1);
export const AdaptiveAvgPool2d = makeAdaptive('Avg', 2);
export const AdaptiveAvgPool3d = makeAdaptive('Avg', 3);
export const AdaptiveMaxPool1d = makeAdaptive('Max', 1);
export const AdaptiveMaxPool2d = makeAdaptive('Max', 2);
export const AdaptiveMaxPool3d = makeAdaptive('Max', 3);
export const FractionalMaxPool2d = makeFractionalMaxPool(2);
export const FractionalMaxPool3d = makeFractionalMaxPool(3);
export const MaxUnpool1d = makeMaxUnpool(1);
export const MaxUnpool2d = makeMaxUnpool(2);
export const MaxUnpool3d = makeMaxUnpool(3);

