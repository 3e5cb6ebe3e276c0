// torch.nn activation classes. All keep the input shape except GLU (halves `dim`);
// PReLU is the one with parameters (num_parameters slopes, matched to channel dim 1);
// Softmax-like layers check their `dim`; Softmax2d needs a 3-D or 4-D input.

import { type Dim, UNKNOWN_DIM, floorDivDims, formatDim } from '../../../shapes/dim';
import type { Equivalent, LayerSpec, ParamDef } from '../../spec';
import { ShapeError, out } from '../../spec';
import { FACTORY_KWARGS, countParams, defineLayer, expectRank, inputAt, kerasEquivalent, noParams, normDim, sameShape } from './common';

const INPLACE: ParamDef = { name: 'inplace', default: false };

/** A parameterless, shape-preserving activation. */
function elementwise(name: string, signature: ParamDef[], doc: string, keras?: string): LayerSpec {
  return defineLayer({
    name,
    signature,
    doc,
    params: noParams,
    forward: (_a, inputs) => sameShape(inputAt(inputs)),
    equivalents: keras ? kerasEquivalent(keras) : undefined,
  });
}

export const ReLU = elementwise('ReLU', [INPLACE], 'max(0, x), elementwise.', 'ReLU()');
export const ReLU6 = elementwise('ReLU6', [INPLACE], 'min(max(0, x), 6), elementwise.', 'ReLU(max_value=6)');
export const LeakyReLU = elementwise('LeakyReLU', [{ name: 'negative_slope', default: 0.01 }, INPLACE], 'x for x ≥ 0, negative_slope·x otherwise.', 'LeakyReLU(negative_slope)  # `alpha` in Keras 2; Keras default slope is 0.3');
export const ELU = elementwise('ELU', [{ name: 'alpha', default: 1.0 }, INPLACE], 'x for x > 0, alpha·(exp(x) − 1) otherwise.', 'ELU(alpha)');
export const SELU = elementwise('SELU', [INPLACE], 'Scaled ELU with the fixed self-normalising constants.', "Activation('selu')");
export const CELU = elementwise('CELU', [{ name: 'alpha', default: 1.0 }, INPLACE], 'max(0, x) + min(0, alpha·(exp(x/alpha) − 1)).', "Activation('celu')  # Keras 3");
export const GELU = elementwise('GELU', [{ name: 'approximate', default: 'none' }], "Gaussian error linear unit x·Φ(x) ('tanh' = the tanh approximation).", "Activation('gelu')  # approximate=False by default in Keras as well");
export const SiLU = elementwise('SiLU', [INPLACE], 'x·sigmoid(x) (swish).', "Activation('swish')");
export const Mish = elementwise('Mish', [INPLACE], 'x·tanh(softplus(x)).', "Activation('mish')  # Keras 3");
export const Sigmoid = elementwise('Sigmoid', [], '1 / (1 + exp(−x)), elementwise.', "Activation('sigmoid')");
export const Tanh = elementwise('Tanh', [], 'tanh(x), elementwise.', "Activation('tanh')");
export const Hardtanh = elementwise(
  'Hardtanh',
  [{ name: 'min_val', default: -1.0 }, { name: 'max_val', default: 1.0 }, INPLACE, { name: 'min_value', default: null }, { name: 'max_value', default: null }],
  'Clamps x to [min_val, max_val].',
);
export const Hardswish = elementwise('Hardswish', [INPLACE], 'x·ReLU6(x + 3)/6 (MobileNetV3).', "Activation('hard_swish')  # Keras 3");
export const Hardsigmoid = elementwise('Hardsigmoid', [INPLACE], 'ReLU6(x + 3)/6.', "Activation('hard_sigmoid')  # Keras 2 used 0.2·x + 0.5");
export const Hardshrink = elementwise('Hardshrink', [{ name: 'lambd', default: 0.5 }], 'x where |x| > lambd, 0 elsewhere.');
export const Softshrink = elementwise('Softshrink', [{ name: 'lambd', default: 0.5 }], 'x − sign(x)·lambd where |x| > lambd, 0 elsewhere.');
export const Tanhshrink = elementwise('Tanhshrink', [], 'x − tanh(x).');
export const Softplus = elementwise('Softplus', [{ name: 'beta', default: 1 }, { name: 'threshold', default: 20 }], 'log(1 + exp(beta·x))/beta (linear above threshold).', "Activation('softplus')");
export const Softsign = elementwise('Softsign', [], 'x / (1 + |x|).', "Activation('softsign')");
export const LogSigmoid = elementwise('LogSigmoid', [], 'log(sigmoid(x)).', "Activation('log_sigmoid')  # Keras 3");
export const Threshold = elementwise('Threshold', [{ name: 'threshold' }, { name: 'value' }, INPLACE], 'x where x > threshold, value elsewhere.');
export const RReLU = elementwise(
  'RReLU',
  [{ name: 'lower', default: 1 / 8 }, { name: 'upper', default: 1 / 3 }, INPLACE],
  'Leaky ReLU with a random slope in [lower, upper] during training (their mean at eval).',
);

export const PReLU: LayerSpec = defineLayer({
  name: 'PReLU',
  signature: [{ name: 'num_parameters', default: 1 }, { name: 'init', default: 0.25 }, ...FACTORY_KWARGS],
  doc: 'Leaky ReLU with learned slopes: one shared slope, or one per channel (dim 1) when num_parameters = C.',
  params: (a) => countParams([a.dim('num_parameters')]),
  paramFormula: 'num_parameters',
  forward(a, inputs) {
    const t = inputAt(inputs);
    const n = a.dim('num_parameters');
    if (n !== 1) {
      // torch reads the channels at dim 1; an input of rank < 2 has 1 channel.
      const channels: Dim = t.shape.length >= 2 ? t.shape[1] : 1;
      if (typeof n === 'number' && typeof channels === 'number' && n !== channels) {
        throw new ShapeError(`PReLU expected num_parameters=${n} to match the channel dim 1 of the input, but the input has ${channels}`, 'DL402', {
          layer: 'PReLU',
          arg: 'num_parameters',
          expected: n,
          actual: channels,
          input: t.shape,
        });
      }
    }
    return sameShape(t);
  },
  paramShapes: (a) => ({ weight: [a.dim('num_parameters')] }),
  equivalents: kerasEquivalent('PReLU(shared_axes=[1, 2])  # per-channel slopes for channels-last images'),
});

export const GLU: LayerSpec = defineLayer({
  name: 'GLU',
  signature: [{ name: 'dim', default: -1 }],
  doc: 'Gated linear unit: splits `dim` in halves a, b and returns a·sigmoid(b) (that dim halves).',
  params: noParams,
  forward(a, inputs) {
    const t = inputAt(inputs);
    if (t.shape.length === 0) throw new ShapeError('GLU does not accept a 0-D input', 'DL406', { layer: 'GLU' });
    const raw = a.int('dim');
    if (raw === null) return out(t.shape.map(() => UNKNOWN_DIM), t.dtype);
    const d = normDim('GLU', raw, t.shape.length);
    const size = t.shape[d];
    if (typeof size === 'number' && size % 2 !== 0) throw new ShapeError(`GLU halves dim ${raw}, which must be even, but it has size ${formatDim(size)}`, 'DL406', { layer: 'GLU', input: t.shape });
    const shape = [...t.shape];
    shape[d] = floorDivDims(size, 2);
    return out(shape, t.dtype);
  },
  equivalents: kerasEquivalent("Activation('glu')  # Keras 3"),
});

/** Softmax / Softmin / LogSoftmax: shape kept, `dim` checked; dim=None is torch's legacy implicit dim. */
function softmaxLike(name: string, doc: string, equivalents?: Equivalent[]): LayerSpec {
  return defineLayer({
    name,
    signature: [{ name: 'dim', default: null }],
    doc,
    params: noParams,
    forward(a, inputs) {
      const t = inputAt(inputs);
      const d = a.int('dim');
      if (d !== null) normDim(name, d, t.shape.length);
      return sameShape(t);
    },
    equivalents,
  });
}

export const Softmax = softmaxLike('Softmax', 'exp(x)/Σexp(x) along `dim` (the values along dim sum to 1).', kerasEquivalent('Softmax(axis=dim)'));
export const Softmin = softmaxLike('Softmin', 'Softmax of −x along `dim`.');
export const LogSoftmax = softmaxLike('LogSoftmax', 'log(softmax(x)) along `dim` (pair with NLLLoss).', kerasEquivalent("Activation('log_softmax')  # Keras 3"));

export const Softmax2d: LayerSpec = defineLayer({
  name: 'Softmax2d',
  signature: [],
  doc: 'Softmax over the channels at every spatial location of a (N, C, H, W) or (C, H, W) input.',
  params: noParams,
  forward(_a, inputs) {
    const t = inputAt(inputs);
    expectRank('Softmax2d', t, [3, 4]);
    return sameShape(t);
  },
  equivalents: kerasEquivalent('Softmax(axis=-1)  # channels-last'),
});
