// PyTorch layer -> Keras, as data keyed by the torch module type. Each entry turns one
// torch leaf module (bound arguments, the shape it sees, channels-first) into Keras layer
// calls written for channels-last data, plus notes. `{layers}` is the layers module alias.

import type { ClassV, InstanceV } from '../../eval/values';
import { LayerArgs } from '../../frameworks/spec';
import type { Shape } from '../../shapes/dim';
import { pyFloat, pyIntOrTuple, pyTuple } from '../pyfmt';
import { TORCH_TO_KERAS_ACTIVATION, hardActivation } from './activations';
import { userMethods } from '../user-methods';

export interface TorchToKerasCtx {
  a: LayerArgs;
  /** Input shape as torch sees it (channels-first). */
  inShape: Shape | null;
  name: string;
  dialect: 'keras' | 'tf-keras';
  /** The data was converted to channels-last (an image / sequence model); Flatten must restore torch's order. */
  channelsLast: boolean;
  note(message: string, paramDelta?: number): void;
  todo(message: string): void;
}

export interface TorchToKerasRule {
  /** Keras layer expressions, in order (prefix `layers.`). */
  layers(c: TorchToKerasCtx): string[];
  /** A Keras activation name this layer can fold into the previous Dense/Conv layer. */
  foldable?: string;
}

const n = (v: number | null) => (v === null ? 'None' : String(v));

function conv(nd: number): TorchToKerasRule {
  return {
    layers(c) {
      const k = c.a.dims('kernel_size', nd);
      const s = c.a.dims('stride', nd);
      const d = c.a.dims('dilation', nd);
      const groups = c.a.int('groups') ?? 1;
      const inCh = c.a.int('in_channels');
      const outCh = c.a.int('out_channels');
      const padV = c.a.raw('padding');
      const out: string[] = [];
      let padding = 'valid';
      if (padV.k === 'str') padding = padV.v;
      else {
        const p = c.a.dims('padding', nd).map((x) => (typeof x === 'number' ? x : 0));
        const sameP = k.map((kk, i) => (((typeof kk === 'number' ? kk : 1) - 1) * (typeof d[i] === 'number' ? (d[i] as number) : 1)) / 2);
        if (p.every((x) => x === 0)) padding = 'valid';
        else if (s.every((x) => x === 1) && p.every((x, i) => x === sameP[i])) padding = 'same';
        else {
          out.push(`layers.ZeroPadding${nd}D(${pyIntOrTuple(p)})`);
          c.note(`${c.name}: padding=${pyIntOrTuple(p)} with stride ${pyIntOrTuple(s)} is an explicit ZeroPadding${nd}D (Keras "same" would pad asymmetrically)`);
        }
      }
      const strides = s.every((x) => x === 1) ? '' : `, strides=${pyIntOrTuple(s)}`;
      const dil = d.every((x) => x === 1) ? '' : `, dilation_rate=${pyIntOrTuple(d)}`;
      const bias = c.a.bool('bias') ? '' : ', use_bias=False';
      const pad = padding === 'valid' ? '' : `, padding="${padding}"`;
      if (groups !== 1 && nd === 2 && groups === inCh && outCh !== null && inCh !== null && outCh % inCh === 0) {
        const dm = outCh / inCh;
        out.push(`layers.DepthwiseConv2D(${pyIntOrTuple(k)}${strides}${pad}${dm !== 1 ? `, depth_multiplier=${dm}` : ''}${dil}${bias})`);
      } else {
        out.push(`layers.Conv${nd}D(${n(outCh)}, ${pyIntOrTuple(k)}${strides}${pad}${dil}${groups !== 1 ? `, groups=${groups}` : ''}${bias})`);
      }
      c.note(`${c.name}: torch initialises conv kernels Kaiming-uniform (a=√5), Keras Glorot-uniform`);
      return out;
    },
  };
}

function convTranspose(nd: number): TorchToKerasRule {
  return {
    layers(c) {
      const k = c.a.dims('kernel_size', nd);
      const s = c.a.dims('stride', nd);
      const p = c.a.dims('padding', nd).map((x) => (typeof x === 'number' ? x : 0));
      const op = c.a.dims('output_padding', nd).map((x) => (typeof x === 'number' ? x : 0));
      const bias = c.a.bool('bias') ? '' : ', use_bias=False';
      const strides = s.every((x) => x === 1) ? '' : `, strides=${pyIntOrTuple(s)}`;
      const d = c.a.dims('dilation', nd);
      const dil = d.every((x) => x === 1) ? '' : `, dilation_rate=${pyIntOrTuple(d)}`;
      if ((c.a.int('groups') ?? 1) !== 1) c.todo(`${c.name}: ConvTranspose groups=${c.a.int('groups')} has no Keras Conv${nd}DTranspose equivalent (no groups argument); split the channels by hand`);
      const out = [`layers.Conv${nd}DTranspose(${n(c.a.int('out_channels'))}, ${pyIntOrTuple(k)}${strides}${op.some((x) => x) ? `, output_padding=${pyIntOrTuple(op)}` : ''}${dil}${bias})`];
      if (p.some((x) => x)) {
        out.push(`layers.Cropping${nd}D(${pyIntOrTuple(p)})`);
        c.note(`${c.name}: ConvTranspose padding=${pyIntOrTuple(p)} crops the full transposed output: Conv${nd}DTranspose(padding="valid") then Cropping${nd}D(${pyIntOrTuple(p)}) — exact`);
      }
      return out;
    },
  };
}

function pool(nd: number, op: 'Max' | 'Average'): TorchToKerasRule {
  return {
    layers(c) {
      const k = c.a.dims('kernel_size', nd);
      const s = c.a.isNone('stride') ? k : c.a.dims('stride', nd);
      const p = c.a.dims('padding', nd).map((x) => (typeof x === 'number' ? x : 0));
      const out: string[] = [];
      let padding = '';
      if (p.some((x) => x)) {
        // torch: floor((n + 2p - k) / s) + 1 windows starting at -p; TF 'same': ceil(n / s).
        const sp = c.inShape?.slice(-nd) ?? [];
        const sameSize = sp.length === nd && sp.every((n, i) => typeof n === 'number' && typeof k[i] === 'number' && typeof s[i] === 'number'
          && Math.floor((n + 2 * p[i] - (k[i] as number)) / (s[i] as number)) + 1 === Math.ceil(n / (s[i] as number)));
        if (op === 'Average' && c.a.bool('count_include_pad')) {
          // Zeros padded and counted in every window: an explicit zero padding, then valid windows.
          out.push(`layers.ZeroPadding${nd}D(${pyIntOrTuple(p)})`);
          c.note(`${c.name}: avg pooling padding=${pyIntOrTuple(p)} counts the padded zeros (count_include_pad=True): an explicit ZeroPadding${nd}D before the pool gives the same windows and values`);
        } else if (sameSize) {
          padding = ', padding="same"';
          c.note(`${c.name}: pooling padding=${pyIntOrTuple(p)} becomes padding="same" (TF pads on the right/bottom, PyTorch on both sides: same size, windows shifted by one)`);
        } else if (op === 'Max') {
          out.push(`layers.ZeroPadding${nd}D(${pyIntOrTuple(p)})`);
          c.note(`${c.name}: max pooling padding=${pyIntOrTuple(p)} is an explicit ZeroPadding${nd}D (padding="same" would give other sizes here): torch pads with -inf, so the values agree on non-negative inputs (after a ReLU) and a window over the border of negative values gives 0 instead`);
        } else c.todo(`${c.name}: avg pooling padding=${pyIntOrTuple(p)} with count_include_pad=False gives other sizes than padding="same" here; pool by hand`);
      }
      if (c.a.bool('ceil_mode')) c.todo(`${c.name}: ceil_mode=True — use padding="same" when the sizes agree`);
      out.push(`layers.${op}Pooling${nd}D(${pyIntOrTuple(k)}${pyIntOrTuple(s) !== pyIntOrTuple(k) ? `, strides=${pyIntOrTuple(s)}` : ''}${padding})`);
      return out;
    },
  };
}

function adaptive(nd: number, op: 'Max' | 'Average'): TorchToKerasRule {
  return {
    layers(c) {
      const o = c.a.dims('output_size', nd);
      if (o.every((x) => x === 1)) return [`layers.Global${op}Pooling${nd}D(keepdims=True)`];
      c.todo(`${c.name}: Adaptive pooling to ${pyIntOrTuple(o)} has no Keras layer; use fixed pool sizes for your input size`);
      return [];
    },
  };
}

function bn(): TorchToKerasRule {
  return {
    layers(c) {
      const m = c.a.num('momentum') ?? 0.1;
      const eps = c.a.num('eps') ?? 1e-5;
      const f = c.a.int('num_features');
      c.note(`${c.name}: BatchNorm momentum ${pyFloat(m)} (torch: weight of the new statistic) is momentum=${pyFloat(Number((1 - m).toPrecision(12)))} in Keras; epsilon ${pyFloat(eps)} kept (Keras' default is 1e-3). Keras counts the moving mean/variance as ${f === null ? '2·C' : 2 * f} non-trainable weights (torch buffers)`);
      return [`layers.BatchNormalization(momentum=${pyFloat(Number((1 - m).toPrecision(12)))}, epsilon=${pyFloat(eps)}${c.a.bool('affine') ? '' : ', center=False, scale=False'})`];
    },
  };
}

function instanceNorm(): TorchToKerasRule {
  return {
    layers(c) {
      const eps = c.a.num('eps') ?? 1e-5;
      if (c.a.bool('track_running_stats')) c.todo(`${c.name}: InstanceNorm with track_running_stats=True normalises with running statistics in eval mode; Keras' GroupNormalization always uses the batch's`);
      return [`layers.GroupNormalization(groups=-1, epsilon=${pyFloat(eps)}${c.a.bool('affine') ? '' : ', center=False, scale=False'})`];
    },
  };
}

const act = (name: string): TorchToKerasRule => ({ foldable: name, layers: () => [`layers.Activation("${name}")`] });

export const TORCH_TO_KERAS: Record<string, TorchToKerasRule> = {
  Linear: {
    layers(c) {
      c.note(`${c.name}: torch initialises Linear Kaiming-uniform (a=√5) with a uniform bias, Keras Dense Glorot-uniform with a zero bias`);
      return [`layers.Dense(${n(c.a.int('out_features'))}${c.a.bool('bias') ? '' : ', use_bias=False'})`];
    },
  },
  Conv1d: conv(1), Conv2d: conv(2), Conv3d: conv(3),
  ConvTranspose1d: convTranspose(1), ConvTranspose2d: convTranspose(2), ConvTranspose3d: convTranspose(3),
  MaxPool1d: pool(1, 'Max'), MaxPool2d: pool(2, 'Max'), MaxPool3d: pool(3, 'Max'),
  AvgPool1d: pool(1, 'Average'), AvgPool2d: pool(2, 'Average'), AvgPool3d: pool(3, 'Average'),
  AdaptiveAvgPool1d: adaptive(1, 'Average'), AdaptiveAvgPool2d: adaptive(2, 'Average'), AdaptiveMaxPool2d: adaptive(2, 'Max'),
  BatchNorm1d: bn(), BatchNorm2d: bn(), BatchNorm3d: bn(),
  LayerNorm: {
    layers(c) {
      const eps = c.a.num('eps') ?? 1e-5;
      return [`layers.LayerNormalization(epsilon=${pyFloat(eps)})`];
    },
  },
  // Keras' GroupNormalization (keras 3, tf.keras >= 2.11) normalises groups of the channel
  // axis (-1 on channels-last data) like torch's GroupNorm; groups=-1 is one channel a group,
  // i.e. instance normalisation. Its epsilon defaults to 1e-3, torch's to 1e-5.
  GroupNorm: {
    layers(c) {
      const eps = c.a.num('eps') ?? 1e-5;
      return [`layers.GroupNormalization(groups=${n(c.a.int('num_groups'))}, epsilon=${pyFloat(eps)}${c.a.bool('affine') ? '' : ', center=False, scale=False'})`];
    },
  },
  InstanceNorm1d: instanceNorm(), InstanceNorm2d: instanceNorm(), InstanceNorm3d: instanceNorm(),
  Dropout: { layers: (c) => [`layers.Dropout(${pyFloat(c.a.num('p') ?? 0.5)})`] },
  Dropout1d: { layers: (c) => [`layers.SpatialDropout1D(${pyFloat(c.a.num('p') ?? 0.5)})`] },
  Dropout2d: { layers: (c) => [`layers.SpatialDropout2D(${pyFloat(c.a.num('p') ?? 0.5)})`] },
  Identity: { layers: () => [] },
  Flatten: {
    layers(c) {
      const r = c.inShape?.length ?? 2;
      if ((c.a.int('start_dim') ?? 1) !== 1) c.todo(`${c.name}: Flatten(start_dim=${c.a.int('start_dim')}) — reshape by hand`);
      if (r >= 3 && c.channelsLast) {
        c.note(`${c.name}: Keras data is channels-last; Permute(${pyTuple([r - 1, ...Array.from({ length: r - 2 }, (_, i) => i + 1)])}) before Flatten keeps PyTorch's C·H·W feature order`);
        return [`layers.Permute(${pyTuple([r - 1, ...Array.from({ length: r - 2 }, (_, i) => i + 1)])})`, 'layers.Flatten()'];
      }
      return ['layers.Flatten()'];
    },
  },
  ReLU: act('relu'), ReLU6: act('relu6'), Sigmoid: act('sigmoid'), Tanh: act('tanh'), GELU: act('gelu'), ELU: act('elu'),
  SELU: act('selu'), SiLU: act('silu'), Softplus: act('softplus'), Mish: act('mish'),
  Hardsigmoid: { layers: (c) => [hardActivation(c.dialect, 'sigmoid')] }, Hardswish: { layers: (c) => [hardActivation(c.dialect, 'swish')] },
  // torch's PReLU learns one slope, or one per channel (dim 1); Keras' learns one per input
  // element except along shared_axes: share every axis but the channel axis (or all of them).
  PReLU: {
    layers(c) {
      const r = c.inShape?.length;
      const np = c.a.int('num_parameters') ?? 1;
      if (!r) {
        c.todo(`${c.name}: PReLU on an input of unknown rank; Keras needs shared_axes to share its slopes`);
        return [];
      }
      const channel = np === 1 ? -1 : c.channelsLast && r >= 3 ? r - 1 : 1;
      const shared = Array.from({ length: r - 1 }, (_, i) => i + 1).filter((ax) => ax !== channel);
      const init = c.a.num('init') ?? 0.25;
      c.note(`${c.name}: torch's PReLU slopes start at ${pyFloat(init)}, Keras' at 0: alpha_initializer=Constant(${pyFloat(init)}) written out`);
      return [`layers.PReLU(alpha_initializer=keras.initializers.Constant(${pyFloat(init)})${shared.length ? `, shared_axes=[${shared.join(', ')}]` : ''})`];
    },
  },
  LeakyReLU: {
    layers(c) {
      const slope = c.a.num('negative_slope') ?? 0.01;
      return [c.dialect === 'keras' ? `layers.LeakyReLU(negative_slope=${pyFloat(slope)})` : `layers.LeakyReLU(alpha=${pyFloat(slope)})`];
    },
  },
  Softmax: {
    layers(c) {
      const dim = c.a.int('dim') ?? -1;
      c.note(`${c.name}: a final softmax: with a Keras loss use from_logits=False (or drop it and use from_logits=True)`);
      return [`layers.Softmax(axis=${dim === 1 && (c.inShape?.length ?? 2) > 2 ? -1 : dim})`];
    },
  },
  Embedding: {
    layers(c) {
      if (c.a.has('padding_idx')) c.note(`${c.name}: padding_idx has no Keras equivalent (mask_zero=True masks index 0 but does not zero its row)`);
      return [`layers.Embedding(${n(c.a.int('num_embeddings'))}, ${n(c.a.int('embedding_dim'))})`];
    },
  },
};

export { TORCH_TO_KERAS_ACTIVATION };

/**
 * Parameters a torch layer carries besides its own (weight_norm's `weight_g` magnitude, one
 * added with register_parameter): the Keras layer has no counterpart, so the translation
 * states them with their size (a negative parameter difference).
 */
export function noteExtraTorchParams(inst: InstanceV, ctx: Pick<TorchToKerasCtx, 'name' | 'note'>): void {
  const extra = (inst.ownParams ?? []).filter((p) => !p.alias && p.count !== null);
  const count = extra.reduce((s, p) => s + p.count!, 0);
  if (!count) return;
  const names = extra.map((p) => p.name).join(', ');
  ctx.note(`${ctx.name}: ${names}${/_g$/.test(names) ? " (weight_norm's magnitude)" : ''} has no Keras counterpart: the Keras layer trains its kernel directly, ${count} parameters fewer (exactly ${count})`, -count);
}

/** Whether a torch layer (or nn.Sequential) is a user subclass with its own forward() (a causal conv padding its input first). */
export function overridesForward(cls: ClassV): boolean {
  return userMethods(cls, ['forward']).length > 0;
}
