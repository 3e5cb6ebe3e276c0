// torch.nn Lazy* layers: a Linear / conv / norm whose first size (in_features, in_channels,
// num_features) comes from its first input. On that first call PyTorch turns the module into
// the plain class (LazyLinear becomes Linear); the engine does the same through
// LayerSpec.materialize, so rows, counts and parameter shapes are the plain layer's.

import type { Dim, Shape } from '../../../shapes/dim';
import { type Value, int } from '../../../eval/values';
import { LayerArgs, type LayerSpec } from '../../spec';
import { Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d } from './conv';
import { Linear } from './linear';
import { BatchNorm1d, BatchNorm2d, BatchNorm3d, InstanceNorm1d, InstanceNorm2d, InstanceNorm3d } from './norm';

/** Where the inferred size sits in the input shape (undefined: a rank the layer does not take). */
type SizeOf = (shape: Shape) => Dim | undefined;

const lastDim: SizeOf = (s) => (s.length ? s[s.length - 1] : undefined);
/** Channels of a batched (N, C, *spatial) or, where the layer allows it, unbatched (C, *spatial) input of n spatial dims. */
const channels = (n: number, unbatched: boolean): SizeOf => (s) => (s.length === n + 2 ? s[1] : unbatched && s.length === n + 1 ? s[0] : undefined);

/**
 * The lazy form of `target`: its signature without the first parameter (some defaults
 * differ, as in torch 1.13's LazyInstanceNorm), and every computation done on the target's
 * arguments once the size is read from the input.
 */
function lazyOf(target: LayerSpec, sizeOf: SizeOf, defaults: Record<string, unknown> = {}): LayerSpec {
  const [first, ...rest] = target.signature;
  const resolved = (a: LayerArgs, inputs?: Value[]): LayerArgs | undefined => {
    const t = inputs?.[0];
    const size = t && t.k === 'tensor' && t.shape ? sizeOf(t.shape) : undefined;
    return size === undefined ? undefined : new LayerArgs(new Map([[first.name, int(size)], ...a.values]), target.name);
  };
  return {
    framework: target.framework,
    name: `Lazy${target.name}`,
    signature: rest.map((p) => (p.name in defaults ? { ...p, default: defaults[p.name] } : p)),
    doc: `${target.name} whose ${first.name} is read from its first input (the module becomes a ${target.name} then).`,
    paramFormula: target.paramFormula ? `${target.paramFormula}, ${first.name} from the input` : undefined,
    params(a, inputs) {
      const r = resolved(a, inputs);
      return r ? target.params(r, inputs) : { trainable: null, nonTrainable: 0 };
    },
    forward(a, inputs, kwargs) {
      return target.forward(resolved(a, inputs) ?? a, inputs, kwargs);
    },
    macs(a, inputs, output) {
      const r = resolved(a, inputs);
      return r && target.macs ? target.macs(r, inputs, output) : null;
    },
    equivalents: target.equivalents,
    materialize(a, inputs) {
      const r = resolved(a, inputs);
      return r ? { spec: target, args: r.values } : undefined;
    },
  };
}

export const LazyLinear = lazyOf(Linear, lastDim);
export const LazyConv1d = lazyOf(Conv1d, channels(1, true));
export const LazyConv2d = lazyOf(Conv2d, channels(2, true));
export const LazyConv3d = lazyOf(Conv3d, channels(3, true));
export const LazyConvTranspose1d = lazyOf(ConvTranspose1d, channels(1, true));
export const LazyConvTranspose2d = lazyOf(ConvTranspose2d, channels(2, true));
export const LazyConvTranspose3d = lazyOf(ConvTranspose3d, channels(3, true));
// BatchNorm1d takes (N, C) and (N, C, L): C is dim 1 in both.
export const LazyBatchNorm1d = lazyOf(BatchNorm1d, (s) => (s.length === 2 || s.length === 3 ? s[1] : undefined));
export const LazyBatchNorm2d = lazyOf(BatchNorm2d, channels(2, false));
export const LazyBatchNorm3d = lazyOf(BatchNorm3d, channels(3, false));
// torch 1.13's LazyInstanceNorm defaults to affine=True, track_running_stats=True (InstanceNorm: False,
// False), and reads num_features from dim 1 even of an unbatched input (it then fails): batched only here.
const lazyInstanceNormDefaults = { affine: true, track_running_stats: true };
export const LazyInstanceNorm1d = lazyOf(InstanceNorm1d, channels(1, false), lazyInstanceNormDefaults);
export const LazyInstanceNorm2d = lazyOf(InstanceNorm2d, channels(2, false), lazyInstanceNormDefaults);
export const LazyInstanceNorm3d = lazyOf(InstanceNorm3d, channels(3, false), lazyInstanceNormDefaults);
