// torch.nn convolutions: Conv1d/2d/3d and ConvTranspose1d/2d/3d, built by one factory
// per kind from the spatial rank. Channels-first layout, batched or unbatched input.
// The size arithmetic is the shared one of shapes/ops.ts.

import { type Dim, type Shape, UNKNOWN_DIM, dimsConflict, formatDim, formatShape } from '../../../shapes/dim';
import { convOutDim, convTransposeOutDim } from '../../../shapes/ops';
import type { LayerArgs, LayerSpec } from '../../spec';
import { ShapeError, out } from '../../spec';
import { type Value, tuple } from '../../../eval/values';
import { FACTORY_KWARGS, bindForward, countParams, defineLayer, expectDim, inputAt, joinChannelsFirst, kerasEquivalent, splitChannelsFirst, torchinfoMacs } from './common';

const SUFFIX = ['', '1D', '2D', '3D'];

/** Constructor-time rules torch enforces (groups dividing the channels, 'same' with stride 1). */
function checkGroups(owner: string, a: LayerArgs): void {
  const groups = a.int('groups');
  for (const name of ['in_channels', 'out_channels']) {
    const c = a.int(name);
    if (groups !== null && groups > 0 && c !== null && c % groups !== 0) throw new ShapeError(`${owner}: ${name}=${c} must be divisible by groups=${groups}`, 'DL402', { layer: owner, arg: name });
  }
}

function convWeightTerms(a: LayerArgs, n: number, transposed: boolean): Dim[][] {
  const k = a.dims('kernel_size', n);
  const groups = a.dim('groups');
  const inC = a.dim('in_channels');
  const outC = a.dim('out_channels');
  // Conv weight: (out, in/groups, *k); ConvTranspose weight: (in, out/groups, *k). Same numel.
  const perGroup = transposed ? outC : inC;
  const other = transposed ? inC : outC;
  const g = typeof groups === 'number' && typeof perGroup === 'number' ? perGroup / groups : null;
  const weight: Dim[] = g !== null && Number.isInteger(g) ? [other, g, ...k] : [other, UNKNOWN_DIM, ...k];
  return a.bool('bias') ? [weight, [outC]] : [weight];
}

/** torch's _ConvNd keeps these arguments as n-tuples (`stride=2` -> `(2, 2)`); a padding string stays as it is. */
function convTupleAttrs(a: LayerArgs, n: number, names: string[]): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const name of names) {
    const v = a.raw(name);
    if (v.k === 'int') out[name] = tuple(Array(n).fill(v));
    else if (v.k === 'list') out[name] = tuple(v.items);
  }
  return out;
}

function makeConv(n: number): LayerSpec {
  const name = `Conv${n}d`;
  const params = (a: LayerArgs) => countParams(...convWeightTerms(a, n, false));
  return defineLayer({
    name,
    signature: [
      { name: 'in_channels' },
      { name: 'out_channels' },
      { name: 'kernel_size' },
      { name: 'stride', default: 1 },
      { name: 'padding', default: 0 },
      { name: 'dilation', default: 1 },
      { name: 'groups', default: 1 },
      { name: 'bias', default: true },
      { name: 'padding_mode', default: 'zeros' },
      ...FACTORY_KWARGS,
    ],
    doc: `${n}-D convolution over a channels-first input (N, C_in, ${spatialNames(n)}) -> (N, C_out, ${spatialNames(n, 'out')}).`,
    params,
    paramFormula: 'out_channels·(in_channels/groups)·∏kernel_size + out_channels (bias)',
    forward(a, inputs) {
      const t = inputAt(inputs);
      checkGroups(name, a);
      const p = splitChannelsFirst(name, t, n);
      checkChannels(name, a, t.shape, p.channels, p.lead.length);
      const k = a.dims('kernel_size', n);
      const s = a.dims('stride', n);
      const d = a.dims('dilation', n);
      const padMode = a.str('padding');
      let spatial: Dim[];
      if (padMode === 'same') {
        if (s.some((x) => typeof x === 'number' && x !== 1)) throw new ShapeError(`${name}: padding='same' is not supported for strided convolutions`, 'DL406', { layer: name });
        spatial = [...p.spatial];
      } else {
        if (padMode !== null && padMode !== 'valid') throw new ShapeError(`${name}: invalid padding string '${padMode}' (expected 'same' or 'valid')`, 'DL406', { layer: name });
        const pad = padMode === 'valid' ? Array(n).fill(0) : a.dims('padding', n);
        // padding_mode (reflect / replicate / circular) pads by the same amount first: same sizes.
        spatial = p.spatial.map((x, i) => convOutDim(x, k[i], s[i], pad[i], d[i]));
        checkSpatial(name, p.spatial, spatial, k);
      }
      return out(joinChannelsFirst({ lead: p.lead, channels: a.dim('out_channels'), spatial }), t.dtype);
    },
    macs: torchinfoMacs('conv', params),
    attrs: (a) => convTupleAttrs(a, n, ['kernel_size', 'stride', 'padding', 'dilation']),
    paramShapes: (a) => convParamShapes(a, n, false),
    equivalents: kerasEquivalent(`Conv${SUFFIX[n]}(out_channels, kernel_size, strides=stride, padding='valid' | 'same', dilation_rate=dilation, groups=groups, use_bias=bias)  # channels-last`),
  });
}

function makeConvTranspose(n: number): LayerSpec {
  const name = `ConvTranspose${n}d`;
  const params = (a: LayerArgs) => countParams(...convWeightTerms(a, n, true));
  const forwardSig = [{ name: 'input' }, { name: 'output_size', default: null }];
  return defineLayer({
    name,
    signature: [
      { name: 'in_channels' },
      { name: 'out_channels' },
      { name: 'kernel_size' },
      { name: 'stride', default: 1 },
      { name: 'padding', default: 0 },
      { name: 'output_padding', default: 0 },
      { name: 'groups', default: 1 },
      { name: 'bias', default: true },
      { name: 'dilation', default: 1 },
      { name: 'padding_mode', default: 'zeros' },
      ...FACTORY_KWARGS,
    ],
    doc: `${n}-D transposed convolution ("deconvolution"): upsamples (N, C_in, ${spatialNames(n)}) to (N, C_out, ${spatialNames(n, 'out')}).`,
    params,
    paramFormula: 'in_channels·(out_channels/groups)·∏kernel_size + out_channels (bias)',
    forward(a, inputs, kwargs) {
      const t = inputAt(inputs);
      checkGroups(name, a);
      const p = splitChannelsFirst(name, t, n);
      checkChannels(name, a, t.shape, p.channels, p.lead.length);
      const k = a.dims('kernel_size', n);
      const s = a.dims('stride', n);
      const pad = a.dims('padding', n);
      const d = a.dims('dilation', n);
      const minSizes = p.spatial.map((x, i) => convTransposeOutDim(x, k[i], s[i], pad[i], 0, d[i]));
      const fa = bindForward(name, forwardSig, inputs, kwargs);
      let spatial: Dim[];
      if (fa.has('output_size')) {
        // forward(x, output_size=...) picks output_padding so that the output has this size.
        const given = fa.dimList('output_size') ?? [];
        if (given.length !== n && given.length !== n + 2 && given.length !== n + 1) {
          throw new ShapeError(`${name}: output_size must have ${n} or ${n + 2} elements (got ${given.length})`, 'DL406', { layer: name });
        }
        spatial = given.slice(given.length - n);
        spatial.forEach((size, i) => {
          const lo = minSizes[i];
          const st = s[i];
          if (typeof size === 'number' && typeof lo === 'number' && typeof st === 'number' && (size < lo || size > lo + st - 1)) {
            throw new ShapeError(`${name}: requested output size ${size} is not in the valid range [${lo}, ${lo + st - 1}] for input size ${formatDim(p.spatial[i])}`, 'DL406', { layer: name });
          }
        });
      } else {
        const op = a.dims('output_padding', n);
        op.forEach((x, i) => {
          const st = s[i];
          const di = d[i];
          if (typeof x === 'number' && typeof st === 'number' && typeof di === 'number' && x >= Math.max(st, di)) {
            throw new ShapeError(`${name}: output_padding=${x} must be smaller than either stride or dilation`, 'DL406', { layer: name });
          }
        });
        spatial = p.spatial.map((x, i) => convTransposeOutDim(x, k[i], s[i], pad[i], op[i], d[i]));
        checkSpatial(name, p.spatial, spatial, k);
      }
      return out(joinChannelsFirst({ lead: p.lead, channels: a.dim('out_channels'), spatial }), t.dtype);
    },
    macs: torchinfoMacs('conv', params),
    attrs: (a) => convTupleAttrs(a, n, ['kernel_size', 'stride', 'padding', 'output_padding', 'dilation']),
    paramShapes: (a) => convParamShapes(a, n, true),
    equivalents: kerasEquivalent(`Conv${SUFFIX[n]}Transpose(out_channels, kernel_size, strides=stride, padding='valid' | 'same', output_padding=output_padding)  # channels-last`),
  });
}

function checkSpatial(owner: string, input: Shape, output: Shape, kernel: Dim[]): void {
  output.forEach((o, i) => {
    if (typeof o === 'number' && o < 1) {
      throw new ShapeError(
        `${owner}: output size ${formatShape(output)} is too small: the (dilated) kernel ${formatShape(kernel)} does not fit the padded input ${formatShape(input)} (dim ${i})`,
        'DL405',
        { layer: owner, input },
      );
    }
  });
}

/**
 * in_channels against the channel dim: DL402, or DL412 when the input looks channels-last
 * (its last dim is the expected 1, 3 or 4 channels: an NHWC image that needs a permute).
 */
function checkChannels(owner: string, a: LayerArgs, shape: Shape, channels: Dim, axis: number): void {
  const inC = a.dim('in_channels');
  const lastDim = shape[shape.length - 1];
  if (dimsConflict(inC, channels) && typeof inC === 'number' && [1, 3, 4].includes(inC) && lastDim === inC && shape.length >= 3) {
    const perm = shape.length === 4 ? 'x.permute(0, 3, 1, 2)' : shape.length === 3 ? 'x.permute(0, 2, 1)' : 'a permute to channels-first';
    throw new ShapeError(
      `${owner} expected in_channels=${inC} but the input has ${formatDim(channels)} (channel dim ${axis}); the input ${formatShape(shape)} looks channels-last: did you forget ${perm}?`,
      'DL412',
      { layer: owner, arg: 'in_channels', expected: inC, actual: channels, input: shape },
    );
  }
  expectDim(owner, 'in_channels', inC, channels, `channel dim ${axis}`, shape);
}

/** Weight and bias shapes as named_parameters() lists them. */
function convParamShapes(a: LayerArgs, n: number, transposed: boolean): Record<string, Dim[]> {
  const [weight, bias] = convWeightTerms(a, n, transposed);
  return bias ? { weight, bias } : { weight };
}

function spatialNames(n: number, suffix = 'in'): string {
  return (n === 1 ? ['L'] : n === 2 ? ['H', 'W'] : ['D', 'H', 'W']).map((x) => `${x}_${suffix}`).join(', ');
}

export const Conv1d = makeConv(1);
export const Conv2d = makeConv(2);
export const Conv3d = makeConv(3);
export const ConvTranspose1d = makeConvTranspose(1);
export const ConvTranspose2d = makeConvTranspose(2);
export const ConvTranspose3d = makeConvTranspose(3);

