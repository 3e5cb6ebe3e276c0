// Keras core layers: Dense, EinsumDense, Embedding, Activation, Masking, Lambda, Identity.
// Params follow the Keras 3 build() weights: Dense kernel (in, units) + bias (units);
// EinsumDense kernel/bias shapes from its equation; Embedding (input_dim, output_dim).

import type { Dim, Shape } from '../../../shapes/dim';
import { type Value, unknown } from '../../../eval/values';
import { type LayerArgs, type ParamCount, ShapeError, out, tensorInput } from '../../spec';
import { NO_PARAMS, countOf, identityForward, kerasLayer, lastDimOf, minRankInput, outLike, p, rankedInput, sig, sumCounts, trainable } from './common';

const DENSE_TAIL = [
  p('kernel_initializer', 'glorot_uniform'),
  p('bias_initializer', 'zeros'),
  p('kernel_regularizer', null),
  p('bias_regularizer', null),
  p('activity_regularizer', null),
  p('kernel_constraint', null),
  p('bias_constraint', null),
  p('lora_rank', null),
];

/**
 * Keras 3 LoRA (`lora_rank=r`, enable_lora): the kernel is frozen (non-trainable) and two
 * trainable factors are added, lora_a of shape kernel[:-1] + (r,) and lora_b of shape
 * (r, kernel[-1]); the other weights (`rest`, a bias) stay trainable.
 */
function withLora(a: LayerArgs, kernel: Dim[], rest: number | null): ParamCount {
  const k = countOf(...kernel);
  const r = a.int('lora_rank');
  if (r === null || r <= 0) return trainable(sumCounts(k, rest));
  if (k === null) return trainable(null);
  const lora = sumCounts(countOf(...kernel.slice(0, -1), r), countOf(r, kernel[kernel.length - 1]));
  return { trainable: sumCounts(lora, rest), nonTrainable: k };
}

export const Dense = kerasLayer({
  name: 'Dense',
  signature: sig(p('units'), p('activation', null), p('use_bias', true), ...DENSE_TAIL),
  doc: 'Fully connected layer on the last axis: output = activation(x · kernel + bias).',
  paramFormula: 'in·units + units (lora_rank=r: in·units frozen, + in·r + r·units trainable)',
  params(a, inputs) {
    const inDim = lastDimOf(inputs);
    if (inDim === null) return trainable(null);
    return withLora(a, [inDim, a.dim('units')], a.bool('use_bias') ? countOf(a.dim('units')) : 0);
  },
  forward(a, inputs) {
    const t = minRankInput(inputs, 2, 'Dense');
    return outLike(t, [...t.shape.slice(0, -1), a.dim('units')]);
  },
  macs(a, inputs, output) {
    const inDim = lastDimOf(inputs);
    const o = output.k === 'tensor' && output.shape ? output.shape : null;
    return inDim === null || !o ? null : countOf(...o.slice(1), inDim);
  },
  equivalents: [{ framework: 'torch', call: 'nn.Linear(in_features, units)' }],
});

/**
 * tf.keras.layers.experimental.RandomFourierFeatures (keras/layers/kernelized.py): cos(x · W / scale + b)
 * on a rank-2 input. Weights: unscaled_kernel (in, output_dim) and bias (output_dim,), never
 * trainable, and kernel_scale (1,), trainable only when the layer is: the layer's own
 * `trainable` argument defaults to False.
 */
export const RandomFourierFeatures = kerasLayer({
  name: 'RandomFourierFeatures',
  signature: sig(p('output_dim'), p('kernel_initializer', 'gaussian'), p('scale', null), p('trainable', false)),
  doc: 'Random Fourier features approximating a Gaussian / Laplacian kernel: cos(x·W/scale + b); W and b are fixed, the scale learnt only when trainable=True.',
  paramFormula: 'in·output_dim + output_dim non-trainable + 1 (kernel_scale, trainable when the layer is)',
  params(a, inputs) {
    const inDim = lastDimOf(inputs);
    const units = a.dim('output_dim');
    const fixed = inDim === null ? null : sumCounts(countOf(inDim, units), countOf(units));
    if (fixed === null) return trainable(null);
    return a.bool('trainable') ? { trainable: 1, nonTrainable: fixed } : { trainable: 0, nonTrainable: fixed + 1 };
  },
  forward(a, inputs) {
    const t = rankedInput(inputs, 2, 'RandomFourierFeatures');
    return out([t.shape[0], a.dim('output_dim')], 'float32');
  },
});

/** The parsed shapes of an EinsumDense: output, kernel and bias (bias null = no bias). */
export interface EinsumShapes {
  output: Shape;
  kernel: Shape;
  bias: Shape | null;
}

/**
 * Reads an EinsumDense equation (`ab,bc->ac`, `abc,cde->abde`, `...b,bc->...c`).
 * `outputShape` excludes the batch axis (or the elided axes) and is aligned to the end of
 * the output spec; axes that also appear in the input take the input's size.
 */
export function analyzeEinsum(equation: string, outputShape: Dim[], input: Shape, biasAxes: string | null, layer = 'EinsumDense'): EinsumShapes {
  const eq = equation.replace(/\s+/g, '');
  const m = /^([a-zA-Z.]+),([a-zA-Z]+)->([a-zA-Z.]+)$/.exec(eq);
  if (!m) throw new ShapeError(`${layer}: unsupported equation '${equation}'`, 'DL406');
  const wSpec = m[2];
  let [inSpec, outSpec] = [m[1], m[3]];
  const elided = inSpec.startsWith('...');
  if (elided !== outSpec.startsWith('...')) throw new ShapeError(`${layer}: '...' must appear in both input and output of '${equation}'`, 'DL406');
  if (inSpec.slice(3).includes('.') || outSpec.slice(3).includes('.')) throw new ShapeError(`${layer}: only a leading '...' is supported in '${equation}'`, 'DL406');
  const dims = new Map<string, Dim>();
  let lead: Shape = [];
  if (elided) {
    inSpec = inSpec.slice(3);
    outSpec = outSpec.slice(3);
    const n = input.length - inSpec.length;
    if (n < 0) throw new ShapeError(`${layer}: input rank ${input.length} is too small for '${equation}'`, 'DL406');
    lead = input.slice(0, n);
    [...inSpec].forEach((c, i) => dims.set(c, input[n + i]));
  } else {
    if (input.length !== inSpec.length) throw new ShapeError(`${layer}: equation '${equation}' expects a ${inSpec.length}-D input, got ${input.length}-D`, 'DL406');
    [...inSpec].forEach((c, i) => dims.set(c, input[i]));
  }
  const offset = outSpec.length - outputShape.length;
  if (offset < 0) throw new ShapeError(`${layer}: output_shape has more entries than the output spec of '${equation}'`, 'DL406');
  const output: Shape = [...lead];
  [...outSpec].forEach((c, i) => {
    if (dims.has(c)) output.push(dims.get(c)!);
    else if (i >= offset) {
      dims.set(c, outputShape[i - offset]);
      output.push(outputShape[i - offset]);
    } else throw new ShapeError(`${layer}: output axis '${c}' has no size in '${equation}'`, 'DL406');
  });
  const kernel: Shape = [...wSpec].map((c) => {
    const d = dims.get(c);
    if (d === undefined) throw new ShapeError(`${layer}: weight axis '${c}' appears in neither input nor output of '${equation}'`, 'DL406');
    return d;
  });
  let bias: Shape | null = null;
  if (biasAxes) {
    bias = [...biasAxes].map((c) => {
      const d = dims.get(c);
      if (d === undefined || !outSpec.includes(c)) throw new ShapeError(`${layer}: bias axis '${c}' is not an output axis of '${equation}'`, 'DL406');
      return d;
    });
  }
  return { output, kernel, bias };
}

function einsumOf(a: LayerArgs, inputs: Value[] | undefined): EinsumShapes | null {
  const t = inputs?.[0];
  const eq = a.str('equation');
  if (!t || t.k !== 'tensor' || !t.shape || eq === null) return null;
  return analyzeEinsum(eq, a.dimList('output_shape') ?? [], t.shape, a.str('bias_axes'));
}

export const EinsumDense = kerasLayer({
  name: 'EinsumDense',
  signature: sig(p('equation'), p('output_shape'), p('activation', null), p('bias_axes', null), ...DENSE_TAIL),
  doc: 'A dense layer written as an einsum between the input and a kernel of any rank.',
  paramFormula: 'prod(kernel shape) + prod(bias shape)',
  params(a, inputs) {
    const e = einsumOf(a, inputs);
    if (!e) return trainable(null);
    return withLora(a, e.kernel, e.bias ? countOf(...e.bias) : 0);
  },
  forward(a, inputs) {
    const t = tensorInput(inputs, 0, 'EinsumDense');
    return outLike(t, einsumOf(a, inputs)!.output);
  },
});

export const Embedding = kerasLayer({
  name: 'Embedding',
  signature: sig(
    p('input_dim'),
    p('output_dim'),
    p('embeddings_initializer', 'uniform'),
    p('embeddings_regularizer', null),
    p('embeddings_constraint', null),
    p('mask_zero', false),
    p('weights', null),
    p('lora_rank', null),
  ),
  doc: 'Maps integer token ids to dense vectors: output = input shape + (output_dim,). `input_length` (Keras 2) is accepted in kwargs.',
  paramFormula: 'input_dim·output_dim (lora_rank=r: frozen, + input_dim·r + r·output_dim trainable)',
  params(a): ParamCount {
    return withLora(a, [a.dim('input_dim'), a.dim('output_dim')], 0);
  },
  // tf.keras 2 gives an Embedding the input shape (batch, input_length) when none is passed
  // (input_length None: any sequence length), so a Sequential it starts is built: input_dim is
  // the vocabulary, not the input width.
  declaredInput(_a, kwargs) {
    const len = kwargs.get('input_length');
    return [null, len && len.k === 'int' && typeof len.v === 'number' ? len.v : null];
  },
  forward(a, inputs) {
    const t = tensorInput(inputs, 0, 'Embedding');
    return { k: 'tensor', shape: [...t.shape, a.dim('output_dim')], dtype: 'float32' };
  },
  equivalents: [{ framework: 'torch', call: 'nn.Embedding(num_embeddings, embedding_dim)' }],
});

export const Activation = kerasLayer({
  name: 'Activation',
  signature: sig(p('activation')),
  doc: 'Applies an activation function element-wise (shape unchanged).',
  params: () => NO_PARAMS,
  forward: identityForward('Activation'),
});

export const Identity = kerasLayer({
  name: 'Identity',
  signature: sig(),
  doc: 'Returns its input unchanged.',
  params: () => NO_PARAMS,
  forward: identityForward('Identity'),
});

export const Masking = kerasLayer({
  name: 'Masking',
  signature: sig(p('mask_value', 0.0)),
  doc: 'Masks time steps whose features all equal mask_value (shape unchanged).',
  params: () => NO_PARAMS,
  forward: identityForward('Masking'),
});

export const Lambda = kerasLayer({
  name: 'Lambda',
  signature: sig(p('function'), p('output_shape', null), p('mask', null), p('arguments', null)),
  doc: 'Wraps an arbitrary function (no weights); without output_shape its output is what the function returns on the input.',
  params: () => NO_PARAMS,
  forward(a, inputs) {
    // The batch comes from the first input tensor, also when the Lambda is called on a list ([a, b]).
    let t: Value | undefined = inputs[0];
    while (t && (t.k === 'list' || t.k === 'tuple')) t = t.items[0];
    const dims = a.dimList('output_shape');
    if (dims && t && t.k === 'tensor' && t.shape) return outLike(t, [t.shape[0], ...dims]);
    return unknown('Lambda output shape is not known without output_shape=');
  },
});

export const ActivityRegularization = kerasLayer({
  name: 'ActivityRegularization',
  signature: sig(p('l1', 0.0), p('l2', 0.0)),
  doc: 'Adds an activity regularisation loss (shape unchanged).',
  params: () => NO_PARAMS,
  forward: identityForward('ActivityRegularization'),
});
