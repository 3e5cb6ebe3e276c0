// Shape arithmetic of the low-level tf.nn convolution, pooling and matmul ops, as the
// TensorFlow docs define them: strides / ksize / dilations given as an int or a list of
// 1, N or N+2 entries, 'SAME' / 'VALID' / explicit padding, NHWC or NCHW layouts.
// Pure functions over Dims (the conv arithmetic itself is shared: shapes/ops.ts).

import { type Dim, type Shape, addDims, dimsConflict, floorDivDims, formatDim, formatShape, isUnknownDim, mulDims, subDims, UNKNOWN_DIM } from '../../shapes/dim';
import { broadcastShapes } from '../../shapes/broadcast';
import { tfConvOutDim } from '../../shapes/ops';
import { ShapeError } from '../spec';

/** 'SAME', 'VALID', or explicit [[before, after], ...] per dimension of the input (batch and channels included). */
export type TfPadding = 'SAME' | 'VALID' | Array<[Dim, Dim]>;

export interface TfWindowOptions {
  /** Number of spatial dims (1, 2 or 3). */
  n: number;
  /** Channels last (NWC / NHWC / NDHWC, the default) or channels first (NCW / NCHW / NCDHW). */
  channelsFirst: boolean;
  strides: Dim[];
  dilations: Dim[];
  padding: TfPadding;
}

/** The layout's channel axis and spatial axes for an input of rank n + 2. */
export function layoutAxes(n: number, channelsFirst: boolean): { channel: number; spatial: number[] } {
  const spatial = Array.from({ length: n }, (_, i) => (channelsFirst ? 2 + i : 1 + i));
  return { channel: channelsFirst ? 1 : n + 1, spatial };
}

/**
 * strides / dilations / ksize as TF accepts them: an int, or a list of 1, n or n + 2 entries
 * (the n + 2 form includes the batch and channel entries, which must be 1 for strides).
 */
export function expandWindowArg(v: Dim | Dim[] | null, n: number, channelsFirst: boolean, what: string, dflt = 1): Dim[] {
  if (v === null) return Array(n).fill(dflt);
  if (!Array.isArray(v)) return Array(n).fill(v);
  if (v.length === 1) return Array(n).fill(v[0]);
  if (v.length === n) return [...v];
  if (v.length === n + 2) {
    const { spatial } = layoutAxes(n, channelsFirst);
    return spatial.map((i) => v[i]);
  }
  throw new ShapeError(`${what} should be of length 1, ${n} or ${n + 2} but was ${v.length}`, 'DL406');
}

/** Padding as TF parses it: a string (case-insensitive) or a list of n + 2 [before, after] pairs. */
export function parsePadding(v: string | Array<[Dim, Dim]> | null): TfPadding | null {
  if (v === null) return null;
  if (typeof v === 'string') {
    const u = v.toUpperCase();
    return u === 'SAME' || u === 'VALID' ? u : null;
  }
  return v;
}

/** Output size along one spatial dim. */
export function windowOutDim(input: Dim, kernel: Dim, stride: Dim, dilation: Dim, padding: TfPadding, axis: number): Dim {
  if (padding === 'SAME') return tfConvOutDim(input, kernel, stride, 'same', dilation);
  if (padding === 'VALID') return tfConvOutDim(input, kernel, stride, 'valid', dilation);
  const pair = padding[axis];
  if (!pair) return UNKNOWN_DIM;
  const eff = addDims(mulDims(dilation, subDims(kernel, 1)), 1);
  return addDims(floorDivDims(subDims(addDims(addDims(input, pair[0]), pair[1]), eff), stride), 1);
}

function checkRank(input: Shape, rank: number, op: string): void {
  if (input.length !== rank) throw new ShapeError(`${op}: input must be ${rank}-D, got ${input.length}-D ${formatShape(input)}`, 'DL406');
}

function checkPositive(out: Dim[], input: Shape, op: string): void {
  for (const d of out) {
    if (typeof d === 'number' && d <= 0) {
      throw new ShapeError(`${op}: computed output size would be non-positive (${formatShape(out)}) for input ${formatShape(input)}`, 'DL405');
    }
  }
}

/** tf.nn.conv1d / conv2d / conv3d / convolution: filters [k..., in / groups, out]. */
export function tfNnConvShape(input: Shape, filters: Shape, o: TfWindowOptions, op = 'conv2d'): Shape {
  const { n } = o;
  checkRank(input, n + 2, op);
  if (filters.length !== n + 2) throw new ShapeError(`${op}: filters must be ${n + 2}-D [${n === 1 ? 'width' : n === 2 ? 'height, width' : 'depth, height, width'}, in_channels, out_channels], got ${formatShape(filters)}`, 'DL406');
  const { channel, spatial } = layoutAxes(n, o.channelsFirst);
  const cin = input[channel];
  const fin = filters[n];
  if (typeof cin === 'number' && typeof fin === 'number' && fin > 0 && cin % fin !== 0) {
    throw new ShapeError(`${op}: depth of input (${cin}) is not a multiple of input depth of filter (${fin}); input ${formatShape(input)}, filters ${formatShape(filters)}`, 'DL402');
  }
  const outSpatial = spatial.map((ax, i) => windowOutDim(input[ax], filters[i], o.strides[i], o.dilations[i], o.padding, ax));
  checkPositive(outSpatial, input, op);
  const out = [...input];
  spatial.forEach((ax, i) => (out[ax] = outSpatial[i]));
  out[channel] = filters[n + 1];
  return out;
}

/** tf.nn.depthwise_conv2d: filter [kh, kw, in, multiplier] → in·multiplier channels. */
export function tfDepthwiseConvShape(input: Shape, filters: Shape, o: TfWindowOptions, op = 'depthwise_conv2d'): Shape {
  checkRank(input, 4, op);
  if (filters.length !== 4) throw new ShapeError(`${op}: filter must be 4-D [height, width, in_channels, channel_multiplier], got ${formatShape(filters)}`, 'DL406');
  const { channel, spatial } = layoutAxes(2, o.channelsFirst);
  if (dimsConflict(input[channel], filters[2])) throw new ShapeError(`${op}: input depth (${formatDim(input[channel])}) must equal filter in_channels (${formatDim(filters[2])})`, 'DL402');
  const out = [...input];
  spatial.forEach((ax, i) => (out[ax] = windowOutDim(input[ax], filters[i], o.strides[i], o.dilations[i], o.padding, ax)));
  checkPositive(spatial.map((ax) => out[ax]), input, op);
  out[channel] = mulDims(filters[2], filters[3]);
  return out;
}

/**
 * tf.nn.conv1d_transpose / conv2d_transpose / conv3d_transpose: filters [k..., out_channels, in_channels]
 * and an explicit output_shape, checked against the forward conv it inverts.
 */
export function tfNnConvTransposeShape(input: Shape, filters: Shape, outputShape: Dim[], o: TfWindowOptions, op = 'conv2d_transpose'): Shape {
  const { n } = o;
  checkRank(input, n + 2, op);
  if (filters.length !== n + 2) throw new ShapeError(`${op}: filters must be ${n + 2}-D [spatial..., output_channels, in_channels], got ${formatShape(filters)}`, 'DL406');
  const { channel, spatial } = layoutAxes(n, o.channelsFirst);
  if (dimsConflict(input[channel], filters[n + 1])) {
    throw new ShapeError(`${op}: input depth (${formatDim(input[channel])}) must equal the filter's in_channels (last dim, ${formatDim(filters[n + 1])}); input ${formatShape(input)}, filters ${formatShape(filters)}`, 'DL402');
  }
  if (outputShape.length !== n + 2) throw new ShapeError(`${op}: output_shape must have ${n + 2} entries, got ${outputShape.length}`, 'DL406');
  if (dimsConflict(outputShape[channel], filters[n])) {
    throw new ShapeError(`${op}: output_shape depth (${formatDim(outputShape[channel])}) must equal the filter's output_channels (${formatDim(filters[n])})`, 'DL402');
  }
  // The gradient of a conv: convolving output_shape with the same window must give back the input size.
  spatial.forEach((ax, i) => {
    const back = windowOutDim(outputShape[ax], filters[i], o.strides[i], o.dilations[i], o.padding, ax);
    if (dimsConflict(back, input[ax])) {
      throw new ShapeError(`${op}: output_shape ${formatShape(outputShape)} does not invert the convolution: a ${o.padding === 'SAME' || o.padding === 'VALID' ? o.padding : 'explicitly padded'} stride-${formatDim(o.strides[i])} conv of size ${formatDim(outputShape[ax])} gives ${formatDim(back)}, but the input has ${formatDim(input[ax])}`, 'DL404');
    }
  });
  return outputShape.map((d, i) => (isUnknownDim(d) && i === 0 ? input[0] : d));
}

/** tf.nn.max_pool / avg_pool (1d / 2d / 3d): window and stride over the spatial dims; channels kept. */
export function tfNnPoolShape(input: Shape, ksize: Dim[], o: TfWindowOptions, op = 'max_pool2d'): Shape {
  checkRank(input, o.n + 2, op);
  const { spatial } = layoutAxes(o.n, o.channelsFirst);
  const out = [...input];
  spatial.forEach((ax, i) => (out[ax] = windowOutDim(input[ax], ksize[i], o.strides[i], 1, o.padding, ax)));
  checkPositive(spatial.map((ax) => out[ax]), input, op);
  return out;
}

/** tf.matmul: rank ≥ 2, optional transposes of the last two dims, batch dims broadcast. */
export function tfMatmulShape(a: Shape, b: Shape, transposeA = false, transposeB = false, op = 'matmul'): Shape {
  if (a.length < 2 || b.length < 2) {
    throw new ShapeError(`${op}: In[0] and In[1] must be at least rank 2 (tf.matmul does not promote vectors), got ${formatShape(a)} and ${formatShape(b)}`, 'DL406');
  }
  const t = (s: Shape, tr: boolean) => (tr ? [...s.slice(0, -2), s[s.length - 1], s[s.length - 2]] : s);
  const a2 = t(a, transposeA);
  const b2 = t(b, transposeB);
  const k1 = a2[a2.length - 1];
  const k2 = b2[b2.length - 2];
  if (dimsConflict(k1, k2)) {
    throw new ShapeError(`${op}: Matrix size-incompatible: In[0]: ${formatShape(a2)}, In[1]: ${formatShape(b2)} (inner dimensions ${formatDim(k1)} and ${formatDim(k2)} differ)`, 'DL401');
  }
  let batch: Shape;
  try {
    batch = broadcastShapes(a2.slice(0, -2), b2.slice(0, -2));
  } catch {
    throw new ShapeError(`${op}: batch dimensions ${formatShape(a2.slice(0, -2))} and ${formatShape(b2.slice(0, -2))} are not broadcastable`, 'DL406');
  }
  return [...batch, a2[a2.length - 2], b2[b2.length - 1]];
}

/** tf.nn.embedding_lookup: params [V, D...] gathered by ids → ids.shape + [D...]. */
export function embeddingLookupShape(params: Shape, ids: Shape, op = 'embedding_lookup'): Shape {
  if (params.length < 1) throw new ShapeError(`${op}: params must be at least 1-D`, 'DL406');
  return [...ids, ...params.slice(1)];
}

/** tf.nn.bias_add: a 1-D bias whose size is the channel dim (last, or dim 1 for NC... layouts). */
export function biasAddShape(value: Shape, bias: Shape, channelsFirst: boolean, op = 'bias_add'): Shape {
  if (value.length < 2) throw new ShapeError(`${op}: value must be at least 2-D, got ${formatShape(value)}`, 'DL406');
  if (bias.length !== 1) throw new ShapeError(`${op}: bias must be 1-D, got ${formatShape(bias)}`, 'DL406');
  const ch = channelsFirst ? 1 : value.length - 1;
  if (dimsConflict(value[ch], bias[0])) throw new ShapeError(`${op}: must provide as many biases as the channel dimension of the input tensor: ${formatShape(bias)} vs. ${formatShape(value)}`, 'DL402');
  return value;
}
