// torch.nn normalisation layers. BatchNorm / InstanceNorm keep their running statistics
// in buffers, which torch does not count as parameters: only the affine weight and bias
// (2·C) are parameters. LayerNorm and GroupNorm have elementwise / per-channel affines.

import { type Dim, dimsConflict, formatShape } from '../../../shapes/dim';
import type { LayerArgs, LayerSpec, ParamDef } from '../../spec';
import { ShapeError } from '../../spec';
import { FACTORY_KWARGS, countParams, defineLayer, expectDim, expectRank, inputAt, kerasEquivalent, noParams, sameShape, splitChannelsFirst } from './common';

const BN_SIGNATURE: ParamDef[] = [
  { name: 'num_features' },
  { name: 'eps', default: 1e-5 },
  { name: 'momentum', default: 0.1 },
  { name: 'affine', default: true },
  { name: 'track_running_stats', default: true },
];

/** `weight` and `bias` of size C when the affine flag is on (running stats are buffers). */
const affineShapes = (sizeArg: string, flag: string) => (a: LayerArgs): Record<string, Dim[]> =>
  a.bool(flag) ? { weight: [a.dim(sizeArg)], bias: [a.dim(sizeArg)] } : {};

const affineParams = (a: LayerArgs) => (a.bool('affine') ? countParams([2, a.dim('num_features')]) : countParams());

/** BatchNorm1d takes (N, C) or (N, C, L); BatchNorm2d (N, C, H, W); BatchNorm3d (N, C, D, H, W). */
function makeBatchNorm(n: number, name = `BatchNorm${n}d`, ranks = n === 1 ? [2, 3] : [n + 2], extra: ParamDef[] = []): LayerSpec {
  return defineLayer({
    name,
    signature: [...BN_SIGNATURE, ...extra, ...FACTORY_KWARGS],
    doc: `Batch normalisation over the channel dim 1 of ${ranks.map((r) => `${r}-D`).join(' or ')} input; running mean / var are buffers, not parameters.`,
    params: affineParams,
    paramFormula: '2·num_features (weight and bias, when affine); running stats are buffers',
    forward(a, inputs) {
      const t = inputAt(inputs);
      expectRank(name, t, ranks);
      expectDim(name, 'num_features', a.dim('num_features'), t.shape[1], 'channel dim 1', t.shape);
      return sameShape(t);
    },
    paramShapes: affineShapes('num_features', 'affine'),
    equivalents: kerasEquivalent('BatchNormalization(axis=1, momentum=1 - momentum, epsilon=eps)  # axis=-1 for channels-last'),
  });
}

/** InstanceNorm: (N, C, *) or unbatched (C, *); affine and running stats default off. */
function makeInstanceNorm(n: number): LayerSpec {
  const name = `InstanceNorm${n}d`;
  return defineLayer({
    name,
    signature: [
      { name: 'num_features' },
      { name: 'eps', default: 1e-5 },
      { name: 'momentum', default: 0.1 },
      { name: 'affine', default: false },
      { name: 'track_running_stats', default: false },
      ...FACTORY_KWARGS,
    ],
    doc: `Instance normalisation: each sample's channels normalised over their ${n}-D extent; affine=False by default.`,
    params: affineParams,
    paramFormula: '2·num_features when affine (default off)',
    forward(a, inputs) {
      const t = inputAt(inputs);
      const p = splitChannelsFirst(name, t, n);
      // torch only warns on a channel mismatch when there is neither affine nor running stats.
      if (a.bool('affine') || a.bool('track_running_stats')) {
        expectDim(name, 'num_features', a.dim('num_features'), p.channels, `channel dim ${p.lead.length}`, t.shape);
      }
      return sameShape(t);
    },
    paramShapes: affineShapes('num_features', 'affine'),
    equivalents: kerasEquivalent('GroupNormalization(groups=-1)  # Keras 3; tfa.layers.InstanceNormalization in TF 2'),
  });
}

export const BatchNorm1d = makeBatchNorm(1);
export const BatchNorm2d = makeBatchNorm(2);
export const BatchNorm3d = makeBatchNorm(3);
/** SyncBatchNorm accepts any (N, C, *) input of rank ≥ 2. */
export const SyncBatchNorm = makeBatchNorm(0, 'SyncBatchNorm', [2, 3, 4, 5, 6], [{ name: 'process_group', default: null }]);
export const InstanceNorm1d = makeInstanceNorm(1);
export const InstanceNorm2d = makeInstanceNorm(2);
export const InstanceNorm3d = makeInstanceNorm(3);

const layerNormParams = (a: LayerArgs) => {
  const ns = a.dimList('normalized_shape');
  if (!a.bool('elementwise_affine')) return countParams();
  return ns ? countParams([2, ...ns]) : { trainable: null, nonTrainable: 0 };
};

export const LayerNorm: LayerSpec = defineLayer({
  name: 'LayerNorm',
  signature: [{ name: 'normalized_shape' }, { name: 'eps', default: 1e-5 }, { name: 'elementwise_affine', default: true }, ...FACTORY_KWARGS],
  doc: 'Layer normalisation over the trailing dims given by normalized_shape, with an elementwise affine.',
  params: layerNormParams,
  paramFormula: '2·∏normalized_shape (when elementwise_affine)',
  forward(a, inputs) {
    const t = inputAt(inputs);
    const ns = a.dimList('normalized_shape');
    if (ns) {
      const tail = t.shape.slice(t.shape.length - ns.length);
      if (t.shape.length < ns.length || ns.some((d, i) => dimsConflict(d, tail[i]))) {
        throw new ShapeError(`LayerNorm expected normalized_shape=${formatShape(ns)} as the trailing dims, but the input is ${formatShape(t.shape)}`, 'DL402', {
          layer: 'LayerNorm',
          arg: 'normalized_shape',
          input: t.shape,
        });
      }
    }
    return sameShape(t);
  },
  paramShapes(a): Record<string, Dim[]> {
    const ns = a.dimList('normalized_shape') ?? [];
    return a.bool('elementwise_affine') ? { weight: ns, bias: [...ns] } : {};
  },
  equivalents: kerasEquivalent('LayerNormalization(axis=-1, epsilon=eps)  # axis covering normalized_shape'),
});

export const GroupNorm: LayerSpec = defineLayer({
  name: 'GroupNorm',
  signature: [{ name: 'num_groups' }, { name: 'num_channels' }, { name: 'eps', default: 1e-5 }, { name: 'affine', default: true }, ...FACTORY_KWARGS],
  doc: 'Group normalisation: the channels of (N, C, *) split into num_groups groups, each normalised.',
  params: (a) => (a.bool('affine') ? countParams([2, a.dim('num_channels')]) : countParams()),
  paramFormula: '2·num_channels (when affine)',
  forward(a, inputs) {
    const t = inputAt(inputs);
    const g = a.int('num_groups');
    const c = a.int('num_channels');
    if (g !== null && c !== null && g > 0 && c % g !== 0) throw new ShapeError(`GroupNorm: num_channels=${c} must be divisible by num_groups=${g}`, 'DL402', { layer: 'GroupNorm', arg: 'num_groups' });
    if (t.shape.length < 2) throw new ShapeError(`GroupNorm expects an (N, C, *) input, but got ${formatShape(t.shape)}`, 'DL406', { layer: 'GroupNorm', input: t.shape });
    expectDim('GroupNorm', 'num_channels', a.dim('num_channels'), t.shape[1], 'channel dim 1', t.shape);
    return sameShape(t);
  },
  paramShapes: affineShapes('num_channels', 'affine'),
  equivalents: kerasEquivalent('GroupNormalization(groups=num_groups, axis=1, epsilon=eps)  # axis=-1 for channels-last'),
});

export const LocalResponseNorm: LayerSpec = defineLayer({
  name: 'LocalResponseNorm',
  signature: [{ name: 'size' }, { name: 'alpha', default: 1e-4 }, { name: 'beta', default: 0.75 }, { name: 'k', default: 1.0 }],
  doc: 'Local response normalisation across neighbouring channels (AlexNet); (N, C, *) with rank ≥ 3.',
  params: noParams,
  forward(_a, inputs) {
    const t = inputAt(inputs);
    if (t.shape.length < 3) throw new ShapeError(`LocalResponseNorm expects a 3-D or higher input, but got ${formatShape(t.shape)}`, 'DL406', { layer: 'LocalResponseNorm', input: t.shape });
    return sameShape(t);
  },
  equivalents: [{ framework: 'tf', call: 'tf.nn.local_response_normalization(x, depth_radius=size // 2, alpha=alpha / size, beta=beta, bias=k)  # channels-last' }],
});

export const CrossMapLRN2d: LayerSpec = defineLayer({
  name: 'CrossMapLRN2d',
  signature: [{ name: 'size' }, { name: 'alpha', default: 1e-4 }, { name: 'beta', default: 0.75 }, { name: 'k', default: 1 }],
  doc: 'Cross-channel local response normalisation of a 4-D input (legacy Lua Torch layer).',
  params: noParams,
  forward(_a, inputs) {
    const t = inputAt(inputs);
    expectRank('CrossMapLRN2d', t, [4]);
    return sameShape(t);
  },
});

