// Keras layer -> PyTorch, as data keyed by the Keras layer type. Each entry turns one
// Keras layer (bound arguments + the shapes Keras would see, channels-last) into torch
// steps: modules registered on the model and how they are called, plus the layout
// (channels-first or features-last) the torch side needs and produces, and notes.

import type { ClassV, Value } from '../../eval/values';
import { LayerArgs } from '../../frameworks/spec';
import type { Dim, Shape } from '../../shapes/dim';
import { pyFloat, pyIntOrTuple, pyLiteral, pyTuple, clToCfAxis } from '../pyfmt';
import { KERAS_TO_TORCH_ACTIVATION } from './activations';
import { userMethods } from '../user-methods';

export type Layout = 'cf' | 'cl';

/** One torch step: a module (called as `$m($0)` unless `call` says otherwise) or a plain expression over inputs `$0`, `$1`... */
export type TorchStep = { module: string; call?: string; suffix?: string } | { expr: string };

export interface KerasToTorchCtx {
  a: LayerArgs;
  /** Input shapes as Keras sees them (batch first, channels last). */
  inShapes: Array<Shape | null>;
  outShape: Shape | null;
  name: string;
  note(message: string, paramDelta?: number): void;
  todo(message: string): void;
  /** Builds the torch steps of a wrapped layer (Bidirectional, TimeDistributed). */
  wrapped(v: Value): { type: string; a: LayerArgs } | undefined;
  /** The layer's class, when it may be a user subclass of the built-in layer (its own call / build are not translated). */
  layerClass?: ClassV;
  /** The layout the first input arrives in on the torch side, when known. */
  inLayout?: Layout;
}

export interface KerasToTorchRule {
  /** Input layout the torch steps need ('any': whatever arrives, e.g. elementwise). */
  wants: Layout | 'any';
  /** Output layout; 'same' = the input's. */
  gives: Layout | 'same';
  steps(c: KerasToTorchCtx): TorchStep[];
}

const num = (d: Dim | undefined): number | null => (typeof d === 'number' ? d : null);
const lastDim = (s: Shape | null | undefined): string => {
  const d = s ? num(s[s.length - 1]) : null;
  return d === null ? 'None' : String(d);
};

/** The activation module folded into a Keras layer, split out as a torch step. */
export function activationSteps(c: KerasToTorchCtx, act: Value, softmaxDim: number): TorchStep[] {
  const name = act.k === 'str' ? act.v : act.k === 'none' ? 'linear' : null;
  if (name === 'linear') return [];
  if (name === null) {
    c.todo(`activation ${act.k} of ${c.name} is not a string; add it by hand`);
    return [];
  }
  const m = KERAS_TO_TORCH_ACTIVATION[name];
  if (!m) {
    c.todo(`activation '${name}' of ${c.name} has no mapping`);
    return [];
  }
  if (m.note) c.note(`${c.name}: ${m.note}`);
  if (name === 'softmax') c.note(`${c.name} ends in softmax: with nn.CrossEntropyLoss drop it (the loss takes logits), as Keras does with from_logits=True`);
  return [{ module: m.torchModule.replace('{dim}', String(softmaxDim)), suffix: 'act' }];
}

function rankOf(c: KerasToTorchCtx): number {
  return c.inShapes[0]?.length ?? 0;
}

/** torch padding for a Keras conv/pool: 'same' with stride 1 -> padding="same"; with stride > 1 -> an explicit (TF-style, extra on the right) ZeroPad. */
function convPadding(c: KerasToTorchCtx, nd: number, kernel: Dim[], strides: Dim[], dilation: Dim[]): { pre: TorchStep[]; arg: string } {
  const mode = (c.a.str('padding') ?? 'valid').toLowerCase();
  if (mode === 'valid') return { pre: [], arg: '' };
  if (mode === 'causal') {
    const total = ((num(kernel[0]) ?? 1) - 1) * (num(dilation[0]) ?? 1);
    c.note(`${c.name}: padding="causal" becomes a left-only nn.ConstantPad1d((${total}, 0), 0.0)`);
    return { pre: [{ module: `nn.ConstantPad1d((${total}, 0), 0.0)`, suffix: 'pad' }], arg: '' };
  }
  if (strides.every((s) => s === 1)) return { pre: [], arg: ', padding="same"' };
  const spatial = c.inShapes[0]?.slice(1, 1 + nd) ?? [];
  const pads: Array<[number, number]> = [];
  for (let i = 0; i < nd; i++) {
    const n = num(spatial[i]);
    const k = num(kernel[i]);
    const s = num(strides[i]);
    const d = num(dilation[i]) ?? 1;
    if (n === null || k === null || s === null) {
      c.todo(`${c.name}: padding="same" with stride ${s} needs the input size to compute the padding`);
      return { pre: [], arg: '' };
    }
    const outN = Math.ceil(n / s);
    const total = Math.max((outN - 1) * s + (k - 1) * d + 1 - n, 0);
    pads.push([Math.floor(total / 2), total - Math.floor(total / 2)]);
  }
  if (pads.every(([l, r]) => l === 0 && r === 0)) return { pre: [], arg: '' };
  // torch pads take the last dim first: (left, right, top, bottom).
  const flat = [...pads].reverse().flat();
  c.note(`${c.name}: padding="same" with stride ${pyIntOrTuple(strides)} pads more on the right/bottom (TF convention); PyTorch has no such mode, so an explicit zero padding ${pyTuple(flat)} comes first`);
  const padCls = nd === 1 ? 'nn.ConstantPad1d' : nd === 2 ? 'nn.ZeroPad2d' : 'nn.ConstantPad3d';
  return { pre: [{ module: nd === 2 ? `${padCls}(${pyTuple(flat)})` : `${padCls}(${pyTuple(flat)}, 0.0)`, suffix: 'pad' }], arg: '' };
}

function conv(nd: number): KerasToTorchRule {
  return {
    wants: 'cf', gives: 'cf',
    steps(c) {
      const inCh = lastDim(c.inShapes[0]);
      const k = c.a.dims('kernel_size', nd);
      const s = c.a.dims('strides', nd);
      const d = c.a.dims('dilation_rate', nd);
      const pad = convPadding(c, nd, k, s, d);
      const groups = c.a.int('groups') ?? 1;
      let args = `${inCh}, ${c.a.int('filters') ?? 'None'}, kernel_size=${pyIntOrTuple(k)}`;
      if (!s.every((x) => x === 1)) args += `, stride=${pyIntOrTuple(s)}`;
      args += pad.arg;
      if (!d.every((x) => x === 1)) args += `, dilation=${pyIntOrTuple(d)}`;
      if (groups !== 1) args += `, groups=${groups}`;
      if (!c.a.bool('use_bias')) args += ', bias=False';
      initNote(c);
      return [...pad.pre, { module: `nn.Conv${nd}d(${args})` }, ...activationSteps(c, c.a.raw('activation'), 1)];
    },
  };
}

function initNote(c: KerasToTorchCtx): void {
  const ki = c.a.raw('kernel_initializer');
  if (ki.k === 'str' && ki.v !== 'glorot_uniform') c.note(`${c.name}: kernel_initializer="${ki.v}" — apply it with torch.nn.init in the constructor`);
}

function convTranspose(nd: number): KerasToTorchRule {
  return {
    wants: 'cf', gives: 'cf',
    steps(c) {
      const inCh = lastDim(c.inShapes[0]);
      const k = c.a.dims('kernel_size', nd);
      const s = c.a.dims('strides', nd);
      const d = c.a.dims('dilation_rate', nd);
      const given = c.a.isNone('output_padding') ? undefined : c.a.dims('output_padding', nd);
      const mode = (c.a.str('padding') ?? 'valid').toLowerCase();
      const pads: number[] = [];
      const outPads: number[] = [];
      for (let i = 0; i < nd; i++) {
        const ss = num(s[i]) ?? 1;
        // Keras sizes a transposed conv by its dilated kernel (conv_utils.deconv_output_length).
        const kd = ((num(k[i]) ?? 1) - 1) * (num(d[i]) ?? 1) + 1;
        if (given) {
          // With output_padding: (n - 1)·s + k - 2·pad + output_padding, pad = k // 2 for 'same' — torch's own formula.
          pads.push(mode === 'same' ? Math.floor(kd / 2) : 0);
          outPads.push(num(given[i]) ?? 0);
        } else if (mode === 'same') {
          // n·s: the padding of a stride-1 'same' minus what the stride adds back.
          const total = Math.max(kd - ss, 0);
          const p = Math.ceil(total / 2);
          pads.push(p);
          outPads.push(2 * p - total + Math.max(ss - kd, 0));
        } else {
          // n·s + max(k - s, 0).
          pads.push(0);
          outPads.push(Math.max(ss - kd, 0));
        }
      }
      let args = `${inCh}, ${c.a.int('filters') ?? 'None'}, kernel_size=${pyIntOrTuple(k)}`;
      if (!s.every((x) => x === 1)) args += `, stride=${pyIntOrTuple(s)}`;
      if (pads.some((p) => p)) args += `, padding=${pyIntOrTuple(pads)}`;
      if (outPads.some((p) => p)) args += `, output_padding=${pyIntOrTuple(outPads)}`;
      if (!d.every((x) => x === 1)) args += `, dilation=${pyIntOrTuple(d)}`;
      if (!c.a.bool('use_bias')) args += ', bias=False';
      if (mode === 'same' && pads.some((p) => p)) c.note(`${c.name}: transposed conv padding="same" becomes padding=${pyIntOrTuple(pads)}, output_padding=${pyIntOrTuple(outPads)} (same output size; the crop is aligned as in PyTorch)`);
      return [{ module: `nn.ConvTranspose${nd}d(${args})` }, ...activationSteps(c, c.a.raw('activation'), 1)];
    },
  };
}

function pool(nd: number, op: 'Max' | 'Avg'): KerasToTorchRule {
  return {
    wants: 'cf', gives: 'cf',
    steps(c) {
      const k = c.a.dims('pool_size', nd);
      const s = c.a.isNone('strides') ? k : c.a.dims('strides', nd);
      let args = `kernel_size=${pyIntOrTuple(k)}`;
      if (pyIntOrTuple(s) !== pyIntOrTuple(k)) args += `, stride=${pyIntOrTuple(s)}`;
      const module = `nn.${op}Pool${nd}d(${args})`;
      if ((c.a.str('padding') ?? 'valid').toLowerCase() !== 'same') return [{ module }];
      // TF's 'same': ceil(n / s) windows, the input padded by (out - 1)·s + k - n, the odd one
      // on the right / bottom; padded cells never win a max and are not counted in an average.
      const spatial = c.inShapes[0]?.slice(1, 1 + nd) ?? [];
      const pads: Array<[number, number]> = [];
      for (let i = 0; i < nd; i++) {
        const n = num(spatial[i]);
        const kk = num(k[i]) ?? 1;
        const ss = num(s[i]) ?? 1;
        if (n === null) {
          // Unknown size: exact only when the padding is never more than one cell, on the right (ceil_mode's partial window).
          if (kk <= 2 && ss === kk) {
            c.note(`${c.name}: pooling padding="same" becomes ceil_mode=True (the partial window at the end, as TF pads on the right)`);
            return [{ module: `nn.${op}Pool${nd}d(${args}, ceil_mode=True)` }];
          }
          c.todo(`${c.name}: pooling padding="same" needs the input size to compute TF's padding`);
          return [{ module }];
        }
        const total = Math.max((Math.ceil(n / ss) - 1) * ss + kk - n, 0);
        pads.push([Math.floor(total / 2), total - Math.floor(total / 2)]);
      }
      if (pads.every(([l, r]) => l === 0 && r === 0)) return [{ module }];
      // Padding on the right only: ceil_mode's partial last window, when it gives as many windows.
      const ceilFits = pads.every(([l], i) => {
        const n = num(spatial[i])!;
        const kk = num(k[i]) ?? 1;
        const ss = num(s[i]) ?? 1;
        return l === 0 && n >= kk && Math.ceil((n - kk) / ss) + 1 === Math.ceil(n / ss);
      });
      if (ceilFits) {
        c.note(`${c.name}: pooling padding="same" becomes ceil_mode=True (the partial window at the end, as TF pads on the right)${op === 'Avg' ? '; average pooling then divides by the window part inside the input, as Keras does' : ''}`);
        return [{ module: `nn.${op}Pool${nd}d(${args}, ceil_mode=True)` }];
      }
      if (pads.every(([l, r]) => l === r)) {
        const p = pyIntOrTuple(pads.map(([l]) => l));
        c.note(`${c.name}: pooling padding="same" becomes padding=${p}${op === 'Avg' ? ' with count_include_pad=False (Keras averages over the cells inside the input)' : ''}`);
        return [{ module: `nn.${op}Pool${nd}d(${args}, padding=${p}${op === 'Avg' ? ', count_include_pad=False' : ''})` }];
      }
      // torch pads take the last dim first: (left, right, top, bottom).
      const flat = pyTuple([...pads].reverse().flat());
      c.note(`${c.name}: pooling padding="same" pads ${flat} (TF puts the odd cell on the right / bottom; PyTorch pads both sides alike)${op === 'Max' ? ', with -inf so that padding never wins' : ', and divides by the cells inside the input, as Keras does'}`);
      if (op === 'Max') return [{ module: `nn.ConstantPad${nd}d(${flat}, float("-inf"))`, suffix: 'pad' }, { module }];
      return [{ module, call: `$m(F.pad($0, ${flat})) / $m(F.pad(torch.ones_like($0[:, :1]), ${flat}))` }];
    },
  };
}

function globalPool(nd: number, op: 'Max' | 'Avg'): KerasToTorchRule {
  return {
    wants: 'cf', gives: 'cl',
    steps(c) {
      if (c.a.bool('keepdims')) {
        c.todo(`${c.name}: keepdims=True — keep the AdaptivePool output (B, C, 1, 1) without Flatten`);
        return [{ module: `nn.Adaptive${op}Pool${nd}d(1)` }];
      }
      return [{ module: `nn.Adaptive${op}Pool${nd}d(1)` }, { module: 'nn.Flatten()', suffix: 'flatten' }];
    },
  };
}

function rnn(kind: 'LSTM' | 'GRU' | 'RNN', bidirectional = false, outer?: KerasToTorchCtx): KerasToTorchRule {
  return {
    wants: 'cl', gives: 'cl',
    steps(c0) {
      const c = outer ?? c0;
      const a = c0.a;
      const units = a.int('units');
      const inF = lastDim(c.inShapes[0]);
      let args = `${inF}, ${units ?? 'None'}, batch_first=True`;
      if (bidirectional) args += ', bidirectional=True';
      if (!a.bool('use_bias')) args += ', bias=False';
      if (kind === 'RNN') {
        const act = a.str('activation') ?? 'tanh';
        if (act !== 'tanh') args += `, nonlinearity=${JSON.stringify(act)}`;
      }
      const dirs = bidirectional ? 2 : 1;
      const gates = kind === 'LSTM' ? 4 : kind === 'GRU' ? 3 : 1;
      if (units !== null && a.bool('use_bias')) {
        if (kind === 'LSTM' || kind === 'RNN') {
          const extra = gates * units * dirs;
          c.note(`${c.name}: torch nn.${kind} keeps two bias vectors (b_ih and b_hh) per ${kind === 'LSTM' ? 'gate set' : 'layer'}; Keras has one: ${gates}·${units}${dirs > 1 ? '·2 directions' : ''} = ${extra} more parameters (exactly ${extra})`, extra);
        } else if (!a.bool('reset_after')) {
          const extra = gates * units * dirs;
          c.note(`${c.name}: GRU with reset_after=False has one bias; torch nn.GRU always keeps two (it computes the reset gate after the matmul, like reset_after=True): ${extra} more parameters, and the function differs slightly`, extra);
        }
      }
      if (kind === 'LSTM') c.note(`${c.name}: gate order differs — Keras kernels are [i, f, c, o], torch weight_ih_l0 rows are [i, f, g, o] (same order; cell called c vs g); Keras adds unit_forget_bias=True (forget bias starts at 1)`);
      if (kind === 'GRU') c.note(`${c.name}: GRU gate order differs — Keras [z, r, h], torch [r, z, n]; reorder the weight blocks when porting weights`);
      if (a.bool('return_state')) c.todo(`${c.name}: return_state=True — torch returns (output, h_n${kind === 'LSTM' ? ', c_n' : ''}) as a tuple; unpack it where the states are used`);
      if (a.bool('go_backwards')) c.todo(`${c.name}: go_backwards=True — flip the sequence with torch.flip(x, dims=[1]) first`);
      let call: string;
      if (a.bool('return_sequences')) call = '$m($0)[0]';
      // The last layer's final state; both directions' (h_n[-2:]) side by side, from one call of the module.
      else if (kind === 'LSTM') call = bidirectional ? 'torch.cat([*$m($0)[1][0][-2:]], dim=-1)' : '$m($0)[1][0][-1]';
      else call = bidirectional ? 'torch.cat([*$m($0)[1][-2:]], dim=-1)' : '$m($0)[1][-1]';
      return [{ module: `nn.${kind}(${args})`, call }];
    },
  };
}

/**
 * (before, after) per spatial dim of a ZeroPadding / Cropping argument: an int for all dims,
 * (a, b) for the one dim of the 1-D layers, else one entry per dim, each an int (both sides)
 * or a pair (keras/src/layers/reshaping: `((top, bottom), (left, right))`, `(sym_h, sym_w)`,
 * or a mix of the two). Null when a value is not a known int.
 */
function sidesPerDim(v: Value, nd: number): Array<[number, number]> | null {
  const n = (x: Value): number | null => (x.k === 'int' && typeof x.v === 'number' ? x.v : null);
  const one = n(v);
  if (one !== null) return Array.from({ length: nd }, () => [one, one] as [number, number]);
  if (v.k !== 'tuple' && v.k !== 'list') return null;
  if (nd === 1 && v.items.length === 2 && v.items.every((x) => n(x) !== null)) return [[n(v.items[0])!, n(v.items[1])!]];
  if (v.items.length !== nd) return null;
  const out: Array<[number, number]> = [];
  for (const it of v.items) {
    const k = n(it);
    if (k !== null) out.push([k, k]);
    else if ((it.k === 'tuple' || it.k === 'list') && it.items.length === 2 && it.items.every((x) => n(x) !== null)) out.push([n(it.items[0])!, n(it.items[1])!]);
    else return null;
  }
  return out;
}

/** ZeroPadding / Cropping: the (before, after) sides per dim turned into a torch step, or a TODO when they are not known. */
function sidesRule(nd: number, arg: 'padding' | 'cropping', step: (sides: Array<[number, number]>) => TorchStep): KerasToTorchRule {
  return {
    wants: 'cf', gives: 'cf',
    steps(c) {
      const sides = sidesPerDim(c.a.raw(arg), nd);
      if (sides) return [step(sides)];
      c.todo(`${c.name}: ${arg} ${pyLiteral(c.a.raw(arg)) ?? '?'} is not known here; ${arg === 'padding' ? 'pad' : 'crop'} by hand`);
      return [{ expr: '$0' }];
    },
  };
}

// torch pads the last dim first: (left, right, top, bottom, front, back).
const zeroPadding = (nd: number) => sidesRule(nd, 'padding', (sides) => {
  const order = [...sides].reverse().flat().join(', ');
  return { module: nd === 2 ? `nn.ZeroPad2d((${order}))` : `nn.ConstantPad${nd}d((${order}), 0.0)` };
});

const cropping = (nd: number) => sidesRule(nd, 'cropping', (sides) => ({
  expr: `$0[:, :, ${sides.map(([a, b]) => `${a || ''}:${b ? -b : ''}`).join(', ')}]`,
}));

const elementwise = (op: string): KerasToTorchRule => ({
  wants: 'any', gives: 'same',
  steps(c) {
    const n = c.inShapes.length;
    if (op === 'avg') return [{ expr: `(${Array.from({ length: n }, (_, i) => `$${i}`).join(' + ')}) / ${n}` }];
    if (op === 'max' || op === 'min') return [{ expr: `torch.stack([${Array.from({ length: n }, (_, i) => `$${i}`).join(', ')}]).${op === 'max' ? 'amax' : 'amin'}(dim=0)` }];
    return [{ expr: Array.from({ length: n }, (_, i) => `$${i}`).join(` ${op} `) }];
  },
});

const identity = (why: string): KerasToTorchRule => ({
  wants: 'any', gives: 'same',
  steps(c) {
    c.note(`${c.name}: ${why}`);
    return [{ module: 'nn.Identity()' }];
  },
});

/** SeparableConv1D / 2D: a depthwise conv (groups = in_channels, no bias) followed by a 1x1 pointwise conv. */
/**
 * The depthwise conv of DepthwiseConv2D and of the separable convs: nn.ConvNd with
 * groups = in_channels and in_channels · depth_multiplier outputs, with Keras' strides,
 * dilation and padding.
 */
function depthwiseConv(c: KerasToTorchCtx, nd: 1 | 2, dm: number, bias: boolean): { pre: TorchStep[]; module: string; out: string } {
  const inCh = c.inShapes[0] ? num(c.inShapes[0][nd + 1]) : null;
  const k = c.a.dims('kernel_size', nd);
  const s = c.a.dims('strides', nd);
  const d = c.a.dims('dilation_rate', nd);
  const pad = convPadding(c, nd, k, s, d);
  const out = inCh === null ? 'None' : String(inCh * dm);
  let args = `${inCh ?? 'None'}, ${out}, kernel_size=${pyIntOrTuple(k)}`;
  if (!s.every((x) => x === 1)) args += `, stride=${pyIntOrTuple(s)}`;
  if (!d.every((x) => x === 1)) args += `, dilation=${pyIntOrTuple(d)}`;
  args += pad.arg + `, groups=${inCh ?? 'None'}${bias ? '' : ', bias=False'}`;
  return { pre: pad.pre, module: `nn.Conv${nd}d(${args})`, out };
}

/** SeparableConv1D / 2D: a depthwise conv (no bias) followed by a 1x1 pointwise conv. */
function separableConv(nd: 1 | 2): KerasToTorchRule {
  return {
    wants: 'cf', gives: 'cf',
    steps(c) {
      const dw = depthwiseConv(c, nd, c.a.int('depth_multiplier') ?? 1, false);
      const pw = `${dw.out}, ${c.a.int('filters') ?? 'None'}, kernel_size=1${c.a.bool('use_bias') ? '' : ', bias=False'}`;
      c.note(`${c.name}: SeparableConv${nd}D is a depthwise nn.Conv${nd}d (groups=in_channels, no bias) followed by a 1x1 pointwise nn.Conv${nd}d`);
      return [...dw.pre, { module: dw.module, suffix: 'depthwise' }, { module: `nn.Conv${nd}d(${pw})`, suffix: 'pointwise' }, ...activationSteps(c, c.a.raw('activation'), 1)];
    },
  };
}

/**
 * Keras Resizing (height, width): nn.Upsample to that size. TF resizes with half-pixel
 * centres: torch's 'bilinear' / 'bicubic' with align_corners=False and 'nearest-exact' sample
 * the same points; 'area' and the lanczos / gaussian kernels have no torch mode.
 */
const RESIZE_MODE: Record<string, string> = { bilinear: 'bilinear', nearest: 'nearest-exact', bicubic: 'bicubic' };

/** Random augmentation layers: inactive at inference, so nn.Identity is the model there (augment in the data pipeline). */
const augmentation = (name: string, torchvision: string): KerasToTorchRule =>
  identity(`${name} is a training-time augmentation, the identity at inference: nn.Identity here; augment in the data pipeline in PyTorch (${torchvision})`);

/** (0, r-1, 1, ..., r-2): channels-last to channels-first; and back. */
const permClToCfList = (r: number): number[] => [0, r - 1, ...Array.from({ length: r - 2 }, (_, i) => i + 1)];
const permCfToClList = (r: number): number[] => [0, ...Array.from({ length: r - 2 }, (_, i) => i + 2), 1];

/** The table: Keras layer type -> torch rule. */
export const KERAS_TO_TORCH: Record<string, KerasToTorchRule> = {
  Dense: {
    wants: 'cl', gives: 'cl',
    steps(c) {
      initNote(c);
      const args = `${lastDim(c.inShapes[0])}, ${c.a.int('units') ?? 'None'}${c.a.bool('use_bias') ? '' : ', bias=False'}`;
      return [{ module: `nn.Linear(${args})` }, ...activationSteps(c, c.a.raw('activation'), -1)];
    },
  },
  Conv1D: conv(1), Conv2D: conv(2), Conv3D: conv(3),
  Conv1DTranspose: convTranspose(1), Conv2DTranspose: convTranspose(2), Conv3DTranspose: convTranspose(3),
  DepthwiseConv2D: {
    wants: 'cf', gives: 'cf',
    steps(c) {
      const dw = depthwiseConv(c, 2, c.a.int('depth_multiplier') ?? 1, c.a.bool('use_bias'));
      return [...dw.pre, { module: dw.module }, ...activationSteps(c, c.a.raw('activation'), 1)];
    },
  },
  SeparableConv1D: separableConv(1), SeparableConv2D: separableConv(2),
  MaxPooling1D: pool(1, 'Max'), MaxPooling2D: pool(2, 'Max'), MaxPooling3D: pool(3, 'Max'),
  AveragePooling1D: pool(1, 'Avg'), AveragePooling2D: pool(2, 'Avg'), AveragePooling3D: pool(3, 'Avg'),
  GlobalAveragePooling1D: globalPool(1, 'Avg'), GlobalAveragePooling2D: globalPool(2, 'Avg'), GlobalAveragePooling3D: globalPool(3, 'Avg'),
  GlobalMaxPooling1D: globalPool(1, 'Max'), GlobalMaxPooling2D: globalPool(2, 'Max'), GlobalMaxPooling3D: globalPool(3, 'Max'),
  Flatten: {
    wants: 'any', gives: 'cl',
    steps(c) {
      const r = rankOf(c);
      const cf = c.inLayout ? c.inLayout === 'cf' : r > 3;
      const sp = r === 3 ? ['L'] : r === 4 ? ['H', 'W'] : ['D', 'H', 'W'];
      if (r >= 3 && cf) c.note(`${c.name}: Flatten of a channels-first tensor orders features C·${sp.join('·')} where Keras orders ${sp.join('·')}·C: same size, the next layer's weights are permuted when porting weights`);
      return [{ module: 'nn.Flatten()' }];
    },
  },
  Dropout: { wants: 'any', gives: 'same', steps: (c) => [{ module: `nn.Dropout(${pyFloat(c.a.num('rate') ?? 0.5)})` }] },
  SpatialDropout1D: { wants: 'cf', gives: 'cf', steps: (c) => [{ module: `nn.Dropout1d(${pyFloat(c.a.num('rate') ?? 0.5)})` }] },
  SpatialDropout2D: { wants: 'cf', gives: 'cf', steps: (c) => [{ module: `nn.Dropout2d(${pyFloat(c.a.num('rate') ?? 0.5)})` }] },
  SpatialDropout3D: { wants: 'cf', gives: 'cf', steps: (c) => [{ module: `nn.Dropout3d(${pyFloat(c.a.num('rate') ?? 0.5)})` }] },
  AlphaDropout: { wants: 'any', gives: 'same', steps: (c) => [{ module: `nn.AlphaDropout(${pyFloat(c.a.num('rate') ?? 0.5)})` }] },
  GaussianNoise: identity('GaussianNoise (training-time noise) has no torch layer: nn.Identity at inference; add `x + stddev * torch.randn_like(x)` when training'),
  GaussianDropout: identity('GaussianDropout has no torch layer: nn.Identity at inference'),
  ActivityRegularization: identity('ActivityRegularization adds a loss term; add it to the training loss in PyTorch'),
  Masking: identity('Masking has no torch equivalent: pass lengths with pack_padded_sequence instead'),
  Identity: { wants: 'any', gives: 'same', steps: () => [{ module: 'nn.Identity()' }] },
  BatchNormalization: {
    wants: 'cf', gives: 'cf',
    steps(c) {
      const r = rankOf(c);
      const ch = lastDim(c.inShapes[0]);
      const m = c.a.num('momentum') ?? 0.99;
      const eps = c.a.num('epsilon') ?? 0.001;
      const nd = r <= 3 ? 1 : r - 2;
      let args = `${ch}, eps=${pyFloat(eps)}, momentum=${pyFloat(Number((1 - m).toPrecision(12)))}`;
      if (!c.a.bool('center') || !c.a.bool('scale')) {
        c.todo(`${c.name}: center/scale=False — torch BatchNorm has only affine on/off`);
        if (!c.a.bool('center') && !c.a.bool('scale')) args += ', affine=False';
      }
      c.note(`${c.name}: BatchNorm momentum ${pyFloat(m)} (Keras: weight of the old statistic) is momentum=${pyFloat(Number((1 - m).toPrecision(12)))} in torch (weight of the new one); epsilon ${pyFloat(eps)} kept (torch's default is 1e-5). The moving mean/variance are buffers in torch (not parameters)`);
      return [{ module: `nn.BatchNorm${nd}d(${args})` }];
    },
  },
  LayerNormalization: {
    wants: 'cl', gives: 'cl',
    steps(c) {
      const eps = c.a.num('epsilon') ?? 0.001;
      c.note(`${c.name}: LayerNormalization epsilon ${pyFloat(eps)} kept (torch's default is 1e-5)`);
      return [{ module: `nn.LayerNorm(${lastDim(c.inShapes[0])}, eps=${pyFloat(eps)})` }];
    },
  },
  Normalization: {
    wants: 'cl', gives: 'cl',
    steps(c) {
      c.note(`${c.name}: Normalization's adapted mean and variance become buffers of a small Normalization module (fill them from your data, as adapt() did)`);
      return [{ module: `Normalization(${lastDim(c.inShapes[0])})` }];
    },
  },
  Rescaling: {
    wants: 'any', gives: 'same',
    steps(c) {
      const s = pyLiteral(c.a.raw('scale')) ?? '1.0';
      const o = c.a.num('offset') ?? 0;
      return [{ expr: o ? `$0 * ${s} + ${pyFloat(o)}` : `$0 * ${s}` }];
    },
  },
  Activation: {
    wants: 'any', gives: 'same',
    steps: (c) => activationSteps(c, c.a.raw('activation'), rankOf(c) > 2 ? 1 : -1),
  },
  ReLU: {
    wants: 'any', gives: 'same',
    steps(c) {
      const mv = c.a.num('max_value');
      if (mv === 6 && !(c.a.num('negative_slope') ?? 0)) return [{ module: 'nn.ReLU6()' }];
      if (mv !== null || c.a.num('negative_slope') || c.a.num('threshold')) c.todo(`${c.name}: ReLU with max_value/negative_slope/threshold: use torch.clamp / F.leaky_relu`);
      return [{ module: 'nn.ReLU()' }];
    },
  },
  LeakyReLU: {
    wants: 'any', gives: 'same',
    steps(c) {
      const slope = c.a.has('negative_slope') ? c.a.num('negative_slope') : c.a.has('alpha') ? c.a.num('alpha') : 0.3;
      c.note(`${c.name}: negative slope ${pyFloat(slope ?? 0.3)} written out (torch's default is 0.01, Keras 3's 0.3)`);
      return [{ module: `nn.LeakyReLU(${pyFloat(slope ?? 0.3)})` }];
    },
  },
  ELU: { wants: 'any', gives: 'same', steps: (c) => [{ module: `nn.ELU(alpha=${pyFloat(c.a.num('alpha') ?? 1)})` }] },
  Softmax: { wants: 'any', gives: 'same', steps: (c) => [{ module: `nn.Softmax(dim=${(c.a.num('axis') ?? -1) === -1 && rankOf(c) > 2 ? 1 : -1})` }] },
  PReLU: {
    wants: 'cf', gives: 'cf',
    steps(c) {
      const s = c.inShapes[0];
      const shared = c.a.dimList('shared_axes') ?? [];
      const ch = lastDim(s);
      const full = s ? s.slice(1).reduce<number>((p, d, i) => p * (shared.includes(i + 1) ? 1 : num(d) ?? 1), 1) : 0;
      const chN = Number(ch);
      if (s && full !== chN) {
        c.note(`${c.name}: Keras PReLU learns one slope per element not in shared_axes (${full}); torch nn.PReLU learns one per channel (${ch}): ${chN - full} parameters`, chN - full);
      }
      return [{ module: `nn.PReLU(${ch})` }];
    },
  },
  Embedding: {
    wants: 'cl', gives: 'cl',
    steps(c) {
      if (c.a.bool('mask_zero')) c.note(`${c.name}: mask_zero=True becomes padding_idx=0 (the row for 0 stays zero); downstream masking is not automatic in torch`);
      c.note(`${c.name}: Keras initialises embeddings uniform(-0.05, 0.05), torch N(0, 1)`);
      return [{ module: `nn.Embedding(${c.a.int('input_dim') ?? 'None'}, ${c.a.int('output_dim') ?? 'None'}${c.a.bool('mask_zero') ? ', padding_idx=0' : ''})` }];
    },
  },
  LSTM: rnn('LSTM'), GRU: rnn('GRU'), SimpleRNN: rnn('RNN'),
  // TimeDistributed(layer) on (B, T, ...): the layer on each step. Torch folds the steps into the
  // batch (B·T, ...), runs the layer's own steps (channels-first for convolutions and pools) and
  // unfolds them again (B, T, ...), channels-last like the Keras data.
  TimeDistributed: {
    wants: 'cl', gives: 'cl',
    steps(c) {
      const w = c.wrapped(c.a.raw('layer'));
      const inner = w ? KERAS_TO_TORCH[w.type] : undefined;
      const s = c.inShapes[0];
      const T = s ? num(s[1]) : null;
      if (!w || !inner || w.type === 'TimeDistributed' || w.type === 'Bidirectional' || !s || s.length < 3 || T === null) {
        c.todo(`${c.name}: TimeDistributed of ${w?.type ?? 'an unknown layer'}${T === null ? ' over an unknown number of steps' : ''} is not translated; fold the steps into the batch by hand`);
        return [{ module: 'nn.Identity()' }];
      }
      const r = s.length - 1;
      const cf = inner.wants === 'cf' && r >= 3;
      const innerSteps = inner.steps({
        ...c, a: w.a, inShapes: [[s[0], ...s.slice(2)]], outShape: c.outShape ? [c.outShape[0], ...c.outShape.slice(2)] : null, inLayout: cf ? 'cf' : 'cl',
      });
      // Axis placeholders are resolved against the outer tensor: not the folded one.
      if (innerSteps.some((st) => ('expr' in st ? st.expr : st.call ?? '').includes('{axis:'))) {
        c.todo(`${c.name}: TimeDistributed of ${w.type} over an axis is not translated; fold the steps into the batch by hand`);
        return [{ module: 'nn.Identity()' }];
      }
      const outRank = c.outShape ? c.outShape.length - 1 : r;
      const gives = inner.gives === 'same' ? (cf ? 'cf' : 'cl') : inner.gives;
      const steps: TorchStep[] = [{ expr: '$0.flatten(0, 1)' }];
      if (cf) steps.push({ expr: `$0.permute${pyTuple(permClToCfList(r))}` });
      steps.push(...innerSteps);
      if (outRank >= 3 && gives === 'cf') steps.push({ expr: `$0.permute${pyTuple(permCfToClList(outRank))}` });
      steps.push({ expr: `$0.unflatten(0, (-1, ${T}))` });
      return steps;
    },
  },
  Bidirectional: {
    wants: 'cl', gives: 'cl',
    steps(c) {
      const w = c.wrapped(c.a.raw('layer'));
      const mode = c.a.str('merge_mode') ?? 'concat';
      if (mode !== 'concat') c.todo(`${c.name}: merge_mode="${mode}" — torch concatenates both directions; combine the halves by hand`);
      if (!w || !['LSTM', 'GRU', 'SimpleRNN'].includes(w.type)) {
        c.todo(`${c.name}: Bidirectional of ${w?.type ?? 'an unknown layer'} is not supported`);
        return [{ module: 'nn.Identity()' }];
      }
      const kind = w.type === 'SimpleRNN' ? 'RNN' : (w.type as 'LSTM' | 'GRU');
      return rnn(kind, true, c).steps({ ...c, a: w.a });
    },
  },
  MultiHeadAttention: {
    wants: 'cl', gives: 'cl',
    steps(c) {
      const e = num(c.inShapes[0]?.[(c.inShapes[0]?.length ?? 1) - 1]);
      const h = c.a.int('num_heads');
      const kd = c.a.int('key_dim');
      const p = c.a.num('dropout') ?? 0;
      if (e === null || h === null || kd === null || h * kd !== e || !c.a.isNone('value_dim') || !c.a.isNone('output_shape')) {
        c.todo(`${c.name}: MultiHeadAttention with num_heads·key_dim ≠ the query's feature size (or value_dim / output_shape) has no nn.MultiheadAttention equivalent`);
        return [{ module: 'nn.Identity()' }];
      }
      // nn.MultiheadAttention attends over one axis of (batch, seq, features) inputs.
      if (c.inShapes.some((x) => x && x.length !== 3) || !c.a.isNone('attention_axes')) {
        c.todo(`${c.name}: MultiHeadAttention over ${c.a.isNone('attention_axes') ? `a rank-${c.inShapes[0]?.length} input` : 'attention_axes'} has no nn.MultiheadAttention equivalent (it attends over the sequence axis of 3-D inputs); fold the other axes into the batch by hand`);
        return [{ module: 'nn.Identity()' }];
      }
      // A value (and key) with other feature sizes than the query: torch's kdim / vdim, the same weights.
      const dv = c.inShapes.length >= 2 ? num(c.inShapes[1]?.[2]) : e;
      const dk = c.inShapes.length >= 3 ? num(c.inShapes[2]?.[2]) : dv;
      const kv = `${dk !== null && dk !== e ? `, kdim=${dk}` : ''}${dv !== null && dv !== e ? `, vdim=${dv}` : ''}`;
      const count = e * e * 2 + e * ((dk ?? e) + (dv ?? e)) + (c.a.bool('use_bias') ? 4 * e : 0);
      c.note(`${c.name}: layers.MultiHeadAttention(num_heads=${h}, key_dim=${kd}) is nn.MultiheadAttention(${e}, ${h}${kv}, batch_first=True): the same ${count} parameters (per-head kernels vs packed projections)`);
      const args = `${e}, ${h}${p ? `, dropout=${pyFloat(p)}` : ''}${c.a.bool('use_bias') ? '' : ', bias=False'}${kv}, batch_first=True`;
      const call = c.inShapes.length >= 3 ? '$m($0, $2, $1, need_weights=False)[0]' : '$m($0, $1, $1, need_weights=False)[0]';
      return [{ module: `nn.MultiheadAttention(${args})`, call }];
    },
  },
  Concatenate: {
    wants: 'any', gives: 'same',
    steps(c) {
      const axis = c.a.int('axis') ?? -1;
      const ins = c.inShapes.map((_, i) => `$${i}`).join(', ');
      return [{ expr: `torch.cat([${ins}], dim={axis:${axis}})` }];
    },
  },
  Add: elementwise('+'), Subtract: elementwise('-'), Multiply: elementwise('*'),
  Average: elementwise('avg'), Maximum: elementwise('max'), Minimum: elementwise('min'),
  UpSampling1D: { wants: 'cf', gives: 'cf', steps: (c) => [{ module: `nn.Upsample(scale_factor=${c.a.int('size') ?? 2}, mode="nearest")` }] },
  UpSampling2D: {
    wants: 'cf', gives: 'cf',
    steps(c) {
      const sz = c.a.dims('size', 2);
      const interp = c.a.str('interpolation') ?? 'nearest';
      const sf = sz[0] === sz[1] ? String(sz[0]) : pyTuple(sz.map(String));
      return [{ module: `nn.Upsample(scale_factor=${sf}, mode=${JSON.stringify(interp)})` }];
    },
  },
  UpSampling3D: {
    wants: 'cf', gives: 'cf',
    steps(c) {
      const sz = c.a.dims('size', 3);
      const sf = sz.every((v) => v === sz[0]) ? String(sz[0]) : pyTuple(sz.map(String));
      return [{ module: `nn.Upsample(scale_factor=${sf}, mode="nearest")` }];
    },
  },
  Resizing: {
    wants: 'cf', gives: 'cf',
    steps(c) {
      const h = c.a.int('height');
      const w = c.a.int('width');
      const interp = c.a.str('interpolation') ?? 'bilinear';
      const mode = RESIZE_MODE[interp];
      if (h === null || w === null || !mode || c.a.bool('crop_to_aspect_ratio') || c.a.bool('pad_to_aspect_ratio')) {
        c.todo(`${c.name}: Resizing(interpolation="${interp}"${c.a.bool('crop_to_aspect_ratio') ? ', crop_to_aspect_ratio=True' : ''}${c.a.bool('pad_to_aspect_ratio') ? ', pad_to_aspect_ratio=True' : ''}) has no nn.Upsample equivalent; resize in the data pipeline`);
        return [{ module: 'nn.Identity()' }];
      }
      if (c.a.bool('antialias')) c.note(`${c.name}: antialias=True: nn.Upsample does not antialias; F.interpolate(..., antialias=True) does for bilinear / bicubic`);
      return [{ module: `nn.Upsample(size=(${h}, ${w}), mode="${mode}"${mode === 'nearest-exact' ? '' : ', align_corners=False'})` }];
    },
  },
  RandomFlip: augmentation('RandomFlip', 'torchvision.transforms.RandomHorizontalFlip / RandomVerticalFlip'),
  RandomRotation: augmentation('RandomRotation', 'torchvision.transforms.RandomRotation'),
  RandomZoom: augmentation('RandomZoom', 'torchvision.transforms.RandomAffine(scale=...)'),
  RandomTranslation: augmentation('RandomTranslation', 'torchvision.transforms.RandomAffine(translate=...)'),
  RandomContrast: augmentation('RandomContrast', 'torchvision.transforms.ColorJitter(contrast=...)'),
  RandomBrightness: augmentation('RandomBrightness', 'torchvision.transforms.ColorJitter(brightness=...)'),
  ZeroPadding1D: zeroPadding(1), ZeroPadding2D: zeroPadding(2), ZeroPadding3D: zeroPadding(3),
  Cropping1D: cropping(1), Cropping2D: cropping(2), Cropping3D: cropping(3),
  Reshape: {
    wants: 'cl', gives: 'cl',
    steps(c) {
      const t = c.a.dimList('target_shape') ?? [];
      return [{ expr: `$0.reshape($0.size(0), ${t.map((d) => (typeof d === 'number' ? String(d) : '-1')).join(', ')})` }];
    },
  },
  Permute: {
    wants: 'cl', gives: 'cl',
    steps(c) {
      const dims = c.a.dimList('dims') ?? [];
      return [{ expr: `$0.permute(0, ${dims.join(', ')})` }];
    },
  },
  RepeatVector: { wants: 'cl', gives: 'cl', steps: (c) => [{ expr: `$0.unsqueeze(1).repeat(1, ${c.a.int('n') ?? 1}, 1)` }] },
};

// The rules read Keras shapes as channels-last (channels on the last axis). A layer built
// with data_format="channels_first" (given, or from set_image_data_format) is left to the
// user with a TODO instead of being translated with its channels read from the wrong axis.
// Likewise a layer with LoRA factors (lora_rank), and a user subclass of a built-in layer
// that brings its own call() or build() (a residual added in call, a weight added in build):
// the built-in part is translated, the rest is a TODO. A module written with a size not
// known here (None) is a TODO too.
for (const rule of Object.values(KERAS_TO_TORCH)) {
  const steps = rule.steps;
  rule.steps = (c) => {
    if (c.a.str('data_format') === 'channels_first') {
      c.todo(`${c.name}: data_format="channels_first" is not translated (the mapping reads Keras shapes as channels-last); PyTorch is channels-first already, so port this layer by hand`);
    }
    if (c.a.has('lora_rank')) c.todo(`${c.name}: lora_rank=${c.a.int('lora_rank') ?? '?'} — Keras freezes the layer's kernel and trains two low-rank factors; add the LoRA factors by hand`);
    const own = c.layerClass ? userMethods(c.layerClass, ['call', 'build']) : [];
    if (own.length) {
      c.todo(`${c.name}: ${c.layerClass!.name} overrides ${own.map((m) => `${m}()`).join(' and ')} of the built-in layer; only the built-in part is translated — port the rest by hand`);
    }
    const out = steps(c);
    // torch layers are given their sizes (in_features, num_features) where Keras reads them from
    // the input when built: a size unknown here is a None the module cannot be built with.
    if (out.some((st) => 'module' in st && /[(,]\s*None\s*[,)]/.test(st.module))) {
      c.todo(`${c.name}: a size the PyTorch layer needs is not known here (its input's last axis); give the model's input shape (a "# tensorlens: input=" comment or an example call) and translate again`);
    }
    return out;
  };
}

/** The channels-first dim for a Keras channels-last axis on a rank-r tensor. */
export function torchAxis(axis: number, rank: number, layout: Layout): number {
  return layout === 'cf' ? clToCfAxis(axis, rank) : axis < 0 ? axis + rank : axis;
}
