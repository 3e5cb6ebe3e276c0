// Keras convolutions from one factory: ConvND, ConvNDTranspose, SeparableConvND and
// DepthwiseConvND. Shapes use the TensorFlow 'valid' / 'same' / 'causal' arithmetic of
// shapes/ops.ts; params are the Keras kernel shapes (channels_last kernel layout).

import { type Dim, floorDivDims, isConcrete, mulDims } from '../../../shapes/dim';
import { tfConvOutDim, tfConvTransposeOutDim } from '../../../shapes/ops';
import type { Value } from '../../../eval/values';
import { type LayerArgs, type LayerSpec, type ParamDef, ShapeError } from '../../spec';
import {
  channelsFirst, countOf, inputShape, joinSpatial, kerasLayer, outLike, p, paddingMode, positiveDim, rankedInput, sig,
  splitSpatial, sumCounts, trainable,
} from './common';

type ConvKind = 'conv' | 'transpose' | 'separable' | 'depthwise';

const ACT_BIAS = [p('activation', null), p('use_bias', true)];
const KERNEL_TAIL = [
  p('kernel_initializer', 'glorot_uniform'),
  p('bias_initializer', 'zeros'),
  p('kernel_regularizer', null),
  p('bias_regularizer', null),
  p('activity_regularizer', null),
  p('kernel_constraint', null),
  p('bias_constraint', null),
];

/** Keras 3 constructor signatures per kind (positional order matters: `Conv2D(32, 3, 2, 'same')`). */
function signatureOf(kind: ConvKind): ParamDef[] {
  const geometry = [p('strides', 1), p('padding', 'valid')];
  switch (kind) {
    case 'conv':
      return sig(p('filters'), p('kernel_size'), ...geometry, p('data_format', null), p('dilation_rate', 1), p('groups', 1), ...ACT_BIAS, ...KERNEL_TAIL);
    case 'transpose':
      return sig(p('filters'), p('kernel_size'), ...geometry, p('output_padding', null), p('data_format', null), p('dilation_rate', 1), ...ACT_BIAS, ...KERNEL_TAIL);
    case 'separable':
      return sig(
        p('filters'), p('kernel_size'), ...geometry, p('data_format', null), p('dilation_rate', 1), p('depth_multiplier', 1), ...ACT_BIAS,
        p('depthwise_initializer', 'glorot_uniform'), p('pointwise_initializer', 'glorot_uniform'), p('bias_initializer', 'zeros'),
        p('depthwise_regularizer', null), p('pointwise_regularizer', null), p('bias_regularizer', null), p('activity_regularizer', null),
        p('depthwise_constraint', null), p('pointwise_constraint', null), p('bias_constraint', null),
      );
    case 'depthwise':
      return sig(
        p('kernel_size'), ...geometry, p('depth_multiplier', 1), p('data_format', null), p('dilation_rate', 1), ...ACT_BIAS,
        p('depthwise_initializer', 'glorot_uniform'), p('bias_initializer', 'zeros'), p('depthwise_regularizer', null),
        p('bias_regularizer', null), p('activity_regularizer', null), p('depthwise_constraint', null), p('bias_constraint', null),
      );
  }
}

const FORMULAS: Record<ConvKind, string> = {
  conv: 'prod(kernel)·(in/groups)·filters + filters',
  transpose: 'prod(kernel)·in·filters + filters',
  separable: 'prod(kernel)·in·depth_multiplier + in·depth_multiplier·filters + filters',
  depthwise: 'prod(kernel)·in·depth_multiplier + in·depth_multiplier',
};

/** Input channels of a conv input per data_format, or null. */
function inChannels(a: LayerArgs, inputs: Value[] | undefined, rank: number): Dim | null {
  const s = inputShape(inputs);
  if (!s || s.length !== rank + 2) return null;
  return splitSpatial(s, channelsFirst(a)).channels;
}

function convParams(kind: ConvKind, a: LayerArgs, rank: number, cin: Dim | null): number | null {
  if (cin === null) return null;
  const k = a.dims('kernel_size', rank);
  const bias = a.bool('use_bias');
  switch (kind) {
    case 'conv': {
      const groups = a.int('groups') ?? 1;
      return sumCounts(countOf(...k, floorDivDims(cin, groups), a.dim('filters')), bias ? countOf(a.dim('filters')) : 0);
    }
    case 'transpose':
      return sumCounts(countOf(...k, cin, a.dim('filters')), bias ? countOf(a.dim('filters')) : 0);
    case 'separable': {
      const dm = a.dim('depth_multiplier');
      return sumCounts(countOf(...k, cin, dm), countOf(cin, dm, a.dim('filters')), bias ? countOf(a.dim('filters')) : 0);
    }
    case 'depthwise': {
      const dm = a.dim('depth_multiplier');
      return sumCounts(countOf(...k, cin, dm), bias ? countOf(cin, dm) : 0);
    }
  }
}

function makeConv(name: string, kind: ConvKind, rank: number, doc: string, torch?: string): LayerSpec {
  return kerasLayer({
    name,
    signature: signatureOf(kind),
    doc,
    paramFormula: FORMULAS[kind],
    params(a, inputs) {
      return trainable(convParams(kind, a, rank, inChannels(a, inputs, rank)));
    },
    forward(a, inputs) {
      const t = rankedInput(inputs, rank + 2, name);
      const first = channelsFirst(a);
      const l = splitSpatial(t.shape, first);
      const k = a.dims('kernel_size', rank);
      const s = a.dims('strides', rank);
      const d = a.dims('dilation_rate', rank);
      const pad = paddingMode(a);
      if (kind === 'conv') {
        const groups = a.int('groups') ?? 1;
        if (isConcrete(l.channels) && l.channels % groups !== 0) {
          throw new ShapeError(`${name}: ${l.channels} input channels are not divisible by groups=${groups}`, 'DL402', { layer: name, arg: 'groups' });
        }
      }
      let spatial: Dim[];
      if (kind === 'transpose') {
        const op = a.isNone('output_padding') ? null : a.dims('output_padding', rank);
        const tpad = pad === 'same' ? 'same' : 'valid';
        spatial = l.spatial.map((x, i) => tfConvTransposeOutDim(x, k[i], s[i], tpad, op ? op[i] : null, d[i]));
      } else {
        spatial = l.spatial.map((x, i) => positiveDim(tfConvOutDim(x, k[i], s[i], pad, d[i]), name, `output size on spatial axis ${i + 1}`));
      }
      const channels = kind === 'depthwise' ? mulDims(l.channels, a.dim('depth_multiplier')) : a.dim('filters');
      return outLike(t, joinSpatial({ batch: l.batch, spatial, channels }, first));
    },
    macs(a, inputs, output) {
      const cin = inChannels(a, inputs, rank);
      const o = output.k === 'tensor' && output.shape ? splitSpatial(output.shape, channelsFirst(a)) : null;
      if (cin === null || !o) return null;
      const k = a.dims('kernel_size', rank);
      if (kind === 'depthwise') return countOf(...o.spatial, ...k, o.channels);
      if (kind === 'separable') return sumCounts(countOf(...o.spatial, ...k, cin, a.dim('depth_multiplier')), countOf(...o.spatial, cin, a.dim('depth_multiplier'), o.channels));
      const groups = kind === 'conv' ? (a.int('groups') ?? 1) : 1;
      const inSpatial = kind === 'transpose' ? inputShape(inputs) : null;
      if (inSpatial) return countOf(...splitSpatial(inSpatial, channelsFirst(a)).spatial, ...k, cin, o.channels);
      return countOf(...o.spatial, ...k, floorDivDims(cin, groups), o.channels);
    },
    equivalents: torch ? [{ framework: 'torch', call: torch }] : undefined,
  });
}

export const Conv1D = makeConv('Conv1D', 'conv', 1, '1-D convolution over (batch, steps, channels).', 'nn.Conv1d(in_channels, filters, kernel_size)');
export const Conv2D = makeConv('Conv2D', 'conv', 2, '2-D convolution over (batch, rows, cols, channels).', 'nn.Conv2d(in_channels, filters, kernel_size)');
export const Conv3D = makeConv('Conv3D', 'conv', 3, '3-D convolution over (batch, d1, d2, d3, channels).', 'nn.Conv3d(in_channels, filters, kernel_size)');
export const Conv1DTranspose = makeConv('Conv1DTranspose', 'transpose', 1, '1-D transposed convolution (learned upsampling).', 'nn.ConvTranspose1d(in_channels, filters, kernel_size)');
export const Conv2DTranspose = makeConv('Conv2DTranspose', 'transpose', 2, '2-D transposed convolution (learned upsampling); padding="same" gives in·stride.', 'nn.ConvTranspose2d(in_channels, filters, kernel_size)');
export const Conv3DTranspose = makeConv('Conv3DTranspose', 'transpose', 3, '3-D transposed convolution (learned upsampling).', 'nn.ConvTranspose3d(in_channels, filters, kernel_size)');
export const SeparableConv1D = makeConv('SeparableConv1D', 'separable', 1, 'Depthwise 1-D convolution followed by a pointwise (1×1) convolution.');
export const SeparableConv2D = makeConv('SeparableConv2D', 'separable', 2, 'Depthwise 2-D convolution followed by a pointwise (1×1) convolution.');
export const DepthwiseConv1D = makeConv('DepthwiseConv1D', 'depthwise', 1, 'Per-channel 1-D convolution; outputs in·depth_multiplier channels.', 'nn.Conv1d(c, c*dm, k, groups=c)');
export const DepthwiseConv2D = makeConv('DepthwiseConv2D', 'depthwise', 2, 'Per-channel 2-D convolution; outputs in·depth_multiplier channels.', 'nn.Conv2d(c, c*dm, k, groups=c)');

/**
 * tf.keras 2 LocallyConnected1D/2D: a convolution whose weights are not shared, one kernel per
 * output position. Kernel (positions, prod(kernel)·in, filters) + bias (positions·filters).
 */
function makeLocallyConnected(name: string, rank: number): LayerSpec {
  const spatialOut = (a: LayerArgs, spatial: Dim[]): Dim[] => {
    const k = a.dims('kernel_size', rank);
    const s = a.dims('strides', rank);
    const pad = paddingMode(a) === 'same' ? 'same' : 'valid';
    return spatial.map((x, i) => positiveDim(tfConvOutDim(x, k[i], s[i], pad), name, `output size on spatial axis ${i + 1}`));
  };
  return kerasLayer({
    name,
    signature: sig(
      p('filters'), p('kernel_size'), p('strides', 1), p('padding', 'valid'), p('data_format', null), ...ACT_BIAS, ...KERNEL_TAIL, p('implementation', 1),
    ),
    doc: `${rank}-D locally connected layer (tf.keras 2): a convolution with unshared weights, one kernel per output position.`,
    paramFormula: 'positions·prod(kernel)·in·filters + positions·filters',
    params(a, inputs) {
      const sh = inputShape(inputs);
      if (!sh || sh.length !== rank + 2) return trainable(null);
      const l = splitSpatial(sh, channelsFirst(a));
      const positions = spatialOut(a, l.spatial);
      const f = a.dim('filters');
      return trainable(sumCounts(countOf(...positions, ...a.dims('kernel_size', rank), l.channels, f), a.bool('use_bias') ? countOf(...positions, f) : 0));
    },
    forward(a, inputs) {
      const t = rankedInput(inputs, rank + 2, name);
      const first = channelsFirst(a);
      const l = splitSpatial(t.shape, first);
      return outLike(t, joinSpatial({ batch: l.batch, spatial: spatialOut(a, l.spatial), channels: a.dim('filters') }, first));
    },
  });
}

export const LocallyConnected1D = makeLocallyConnected('LocallyConnected1D', 1);
export const LocallyConnected2D = makeLocallyConnected('LocallyConnected2D', 2);
