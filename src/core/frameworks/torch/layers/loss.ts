// torch.nn loss modules as leaf layers: no parameters, a scalar [] for reduction 'mean' /
// 'sum' (and KLDiv's 'batchmean'), the element-wise shape for 'none'. Target shapes follow
// torch 1.13: MSE / L1 / SmoothL1 / Huber warn and broadcast a differing target (DL410,
// the silent (N, 1) vs (N,) bug), the BCE losses raise, CrossEntropy / NLL check class
// indices against (N, C, d1, ...) and take probability targets of the input's shape.

import { type Dim, type Shape, dimsConflict, formatDim, formatShape } from '../../../shapes/dim';
import { broadcastOrNull, provablyDiffer } from '../../../shapes/broadcast';
import type { TensorV } from '../../../eval/values';
import { tensor } from '../../../eval/values';
import type { LayerArgs, LayerSpec, ParamDef } from '../../spec';
import { ShapeError, out } from '../../spec';
import { type KnownTensor, defineLayer, inputAt, noParams } from './common';

const REDUCTION: ParamDef = { name: 'reduction', default: 'mean' };
const LEGACY: ParamDef[] = [
  { name: 'size_average', default: null },
  { name: 'reduce', default: null },
];

/** `reduction`, with the deprecated size_average / reduce flags taking precedence as in torch. */
function reductionOf(a: LayerArgs): string | null {
  const sa = a.values.get('size_average');
  const rd = a.values.get('reduce');
  if ((sa && sa.k !== 'none') || (rd && rd.k !== 'none')) {
    const reduce = !rd || rd.k === 'none' ? true : a.bool('reduce');
    const sizeAverage = !sa || sa.k === 'none' ? true : a.bool('size_average');
    return !reduce ? 'none' : sizeAverage ? 'mean' : 'sum';
  }
  return a.str('reduction');
}

/** The loss value: the element-wise shape for 'none', a scalar otherwise. */
function reduced(a: LayerArgs, shape: Shape, dtype = 'float32'): TensorV {
  const r = reductionOf(a);
  if (r === null) return tensor(null, dtype);
  return r === 'none' ? out(shape, dtype) : out([], dtype);
}



function targetError(owner: string, message: string, input: Shape, target: Shape, code = 'DL410'): ShapeError {
  return new ShapeError(`${owner}: ${message}`, code, { layer: owner, input, actual: target.length ? target[target.length - 1] : undefined });
}

const isIntegral = (dtype: string) => /^(u?int|long|bool)/.test(dtype);

interface LossDef {
  name: string;
  signature: ParamDef[];
  doc: string;
  /** Number of tensor inputs of forward() (input, target, ...). */
  arity: number;
  shape(a: LayerArgs, ts: KnownTensor[]): Shape;
  keras?: string;
}

function makeLoss(def: LossDef): LayerSpec {
  return defineLayer({
    name: def.name,
    signature: def.signature,
    doc: def.doc,
    tensorInputs: Array.from({ length: def.arity }, (_, i) => i),
    params: noParams,
    unknownOutput: (a) => (reductionOf(a) === 'none' ? tensor(null) : out([])),
    forward(a, inputs) {
      const ts = Array.from({ length: def.arity }, (_, i) => inputAt(inputs, i));
      return reduced(a, def.shape(a, ts), ts[0].dtype);
    },
    equivalents: def.keras ? [{ framework: 'keras', call: `keras.losses.${def.keras}` }, { framework: 'tf', call: `tf.keras.losses.${def.keras}` }] : undefined,
  });
}

/**
 * MSE / L1 / SmoothL1 / Huber: a target of another shape is broadcast after a UserWarning
 * (a wrong loss, DL410 warning) or fails to broadcast (a RuntimeError).
 */
function warnBroadcast(owner: string, [x, y]: KnownTensor[]): Shape {
  if (!provablyDiffer(x.shape, y.shape)) return broadcastOrNull(x.shape, y.shape) ?? x.shape;
  const b = broadcastOrNull(x.shape, y.shape);
  if (!b) {
    throw targetError(owner, `target ${formatShape(y.shape)} cannot be broadcast to the input ${formatShape(x.shape)}`, x.shape, y.shape);
  }
  throw targetError(
    owner,
    `target ${formatShape(y.shape)} differs from the input ${formatShape(x.shape)}; torch warns and silently broadcasts both to ${formatShape(b)}, which gives a wrong loss`,
    x.shape,
    y.shape,
  );
}

/** BCELoss / BCEWithLogitsLoss raise a ValueError on any size difference. */
function sameSize(owner: string, [x, y]: KnownTensor[]): Shape {
  if (provablyDiffer(x.shape, y.shape)) {
    throw targetError(owner, `target size ${formatShape(y.shape)} must be the same as the input size ${formatShape(x.shape)} (ValueError)`, x.shape, y.shape);
  }
  return x.shape;
}

/** Plain broadcasting of every input (KLDiv, HingeEmbedding, PoissonNLL). */
function broadcastAll(owner: string, ts: KnownTensor[]): Shape {
  let s: Shape = ts[0].shape;
  for (const t of ts.slice(1)) {
    const b = broadcastOrNull(s, t.shape);
    if (!b) throw targetError(owner, `target ${formatShape(t.shape)} cannot be broadcast to the input ${formatShape(s)}`, s, t.shape);
    s = b;
  }
  return s;
}

const drop = (s: Shape, i: number): Shape => [...s.slice(0, i), ...s.slice(i + 1)];

/** CrossEntropyLoss / NLLLoss: class indices (N) / (N, d1, ...) or (CE only) probabilities of the input's shape. */
function classTarget(owner: string, [x, y]: KnownTensor[], probabilities: boolean): Shape {
  const r = x.shape.length;
  if (r === 0) throw new ShapeError(`${owner} expects an input of shape (C), (N, C) or (N, C, d1, ...), but got a 0-D input`, 'DL406', { layer: owner, input: x.shape });
  const sameRank = y.shape.length === r;
  if (probabilities && sameRank && !provablyDiffer(x.shape, y.shape) && !isIntegral(y.dtype)) return r === 1 ? [] : drop(x.shape, 1);
  if (r === 1) {
    if (y.shape.length !== 0) throw targetError(owner, `a 1-D input (C) takes a 0-D class-index target, but got ${formatShape(y.shape)}`, x.shape, y.shape);
    return [];
  }
  if (sameRank && r >= 2 && !dimsConflict(x.shape[0], y.shape[0]) && dimsConflict(x.shape[1], y.shape[1]) && !x.shape.slice(2).some((d, i) => dimsConflict(d, y.shape[i + 2]))) {
    throw new ShapeError(
      `${owner}: the target has ${formatDim(y.shape[1])} classes along dim 1 (${formatShape(y.shape)}) but the input has ${formatDim(x.shape[1])} (${formatShape(x.shape)}): the model's output width and the class count disagree`,
      'DL411',
      { layer: owner, expected: x.shape[1], actual: y.shape[1], input: x.shape },
    );
  }
  if (r === 2 && y.shape.length !== 1) {
    throw targetError(owner, `0D or 1D target tensor expected, multi-target not supported (input ${formatShape(x.shape)}, target ${formatShape(y.shape)})`, x.shape, y.shape);
  }
  if (dimsConflict(x.shape[0], y.shape[0] ?? 1) || y.shape.length === 0) {
    throw targetError(owner, `Expected input batch_size (${formatDim(x.shape[0])}) to match target batch_size (${y.shape.length ? formatDim(y.shape[0]) : 'none'})`, x.shape, y.shape);
  }
  const expected = drop(x.shape, 1);
  if (provablyDiffer(expected, y.shape)) throw targetError(owner, `Expected target size ${formatShape(expected)}, got ${formatShape(y.shape)}`, x.shape, y.shape);
  return y.shape;
}

/** Inputs that must all have the same rank (MarginRanking, TripletMargin). */
function sameRank(owner: string, ts: KnownTensor[], ranks?: number[]): void {
  const r = ts[0].shape.length;
  if (ts.some((t) => t.shape.length !== r) || (ranks && !ranks.includes(r))) {
    throw new ShapeError(`${owner}: all inputs should have the same dimension${ranks ? ` (${ranks.join(' or ')}-D)` : ''} but got ${ts.map((t) => formatShape(t.shape)).join(', ')}`, 'DL410', {
      layer: owner,
      input: ts[0].shape,
    });
  }
}

function lastDropped(s: Shape): Shape {
  return s.length ? s.slice(0, -1) : s;
}

export const MSELoss = makeLoss({
  name: 'MSELoss',
  signature: [...LEGACY, REDUCTION],
  doc: 'Mean squared error (x − y)² between input and a target of the same shape.',
  arity: 2,
  shape: (_a, ts) => warnBroadcast('MSELoss', ts),
  keras: 'MeanSquaredError()',
});

export const L1Loss = makeLoss({
  name: 'L1Loss',
  signature: [...LEGACY, REDUCTION],
  doc: 'Mean absolute error |x − y| between input and a target of the same shape.',
  arity: 2,
  shape: (_a, ts) => warnBroadcast('L1Loss', ts),
  keras: 'MeanAbsoluteError()',
});

export const SmoothL1Loss = makeLoss({
  name: 'SmoothL1Loss',
  signature: [...LEGACY, REDUCTION, { name: 'beta', default: 1.0 }],
  doc: 'Squared error below beta, absolute error above (Fast R-CNN box regression).',
  arity: 2,
  shape: (_a, ts) => warnBroadcast('SmoothL1Loss', ts),
  keras: 'Huber(delta=beta)  # equals beta·SmoothL1',
});

export const HuberLoss = makeLoss({
  name: 'HuberLoss',
  signature: [REDUCTION, { name: 'delta', default: 1.0 }],
  doc: 'Huber loss: quadratic below delta, linear above.',
  arity: 2,
  shape: (_a, ts) => warnBroadcast('HuberLoss', ts),
  keras: 'Huber(delta=delta)',
});

export const BCELoss = makeLoss({
  name: 'BCELoss',
  signature: [{ name: 'weight', default: null }, ...LEGACY, REDUCTION],
  doc: 'Binary cross-entropy on probabilities (after a sigmoid); target of the same shape.',
  arity: 2,
  shape: (_a, ts) => sameSize('BCELoss', ts),
  keras: 'BinaryCrossentropy()',
});

export const BCEWithLogitsLoss = makeLoss({
  name: 'BCEWithLogitsLoss',
  signature: [{ name: 'weight', default: null }, ...LEGACY, REDUCTION, { name: 'pos_weight', default: null }],
  doc: 'Sigmoid + binary cross-entropy in one numerically stable step; target of the same shape.',
  arity: 2,
  shape: (_a, ts) => sameSize('BCEWithLogitsLoss', ts),
  keras: 'BinaryCrossentropy(from_logits=True)',
});

export const CrossEntropyLoss = makeLoss({
  name: 'CrossEntropyLoss',
  signature: [
    { name: 'weight', default: null },
    { name: 'size_average', default: null },
    { name: 'ignore_index', default: -100 },
    { name: 'reduce', default: null },
    REDUCTION,
    { name: 'label_smoothing', default: 0.0 },
  ],
  doc: 'Log-softmax + NLL on logits (C), (N, C) or (N, C, d1, ...); targets are class indices (N, d1, ...) or probabilities of the input shape.',
  arity: 2,
  shape: (_a, ts) => classTarget('CrossEntropyLoss', ts, true),
  keras: 'SparseCategoricalCrossentropy(from_logits=True)  # CategoricalCrossentropy for one-hot targets',
});

export const NLLLoss = makeLoss({
  name: 'NLLLoss',
  signature: [{ name: 'weight', default: null }, { name: 'size_average', default: null }, { name: 'ignore_index', default: -100 }, { name: 'reduce', default: null }, REDUCTION],
  doc: 'Negative log-likelihood of log-probabilities (C), (N, C) or (N, C, d1, ...) at class-index targets.',
  arity: 2,
  shape: (_a, ts) => classTarget('NLLLoss', ts, false),
});

export const KLDivLoss = makeLoss({
  name: 'KLDivLoss',
  signature: [...LEGACY, REDUCTION, { name: 'log_target', default: false }],
  doc: "Kullback-Leibler divergence of a target distribution from log-probabilities (use reduction='batchmean').",
  arity: 2,
  shape: (_a, ts) => broadcastAll('KLDivLoss', ts),
  keras: 'KLDivergence()  # takes probabilities, not log-probabilities',
});

export const SoftMarginLoss = makeLoss({
  name: 'SoftMarginLoss',
  signature: [...LEGACY, REDUCTION],
  doc: 'Two-class logistic loss log(1 + exp(−y·x)) with targets ±1 of the input shape.',
  arity: 2,
  shape(_a, [x, y]) {
    const b = broadcastOrNull(x.shape, y.shape);
    if (!b || provablyDiffer(b, x.shape)) {
      throw targetError('SoftMarginLoss', `target ${formatShape(y.shape)} does not fit the input ${formatShape(x.shape)} (the result must keep the input shape)`, x.shape, y.shape);
    }
    return x.shape;
  },
});

export const HingeEmbeddingLoss = makeLoss({
  name: 'HingeEmbeddingLoss',
  signature: [{ name: 'margin', default: 1.0 }, ...LEGACY, REDUCTION],
  doc: 'Hinge loss on distances with targets ±1 (similar / dissimilar pairs).',
  arity: 2,
  shape: (_a, ts) => broadcastAll('HingeEmbeddingLoss', ts),
});

export const PoissonNLLLoss = makeLoss({
  name: 'PoissonNLLLoss',
  signature: [{ name: 'log_input', default: true }, { name: 'full', default: false }, { name: 'size_average', default: null }, { name: 'eps', default: 1e-8 }, { name: 'reduce', default: null }, REDUCTION],
  doc: 'Negative log-likelihood of a Poisson distribution with rate input (log-rate when log_input).',
  arity: 2,
  shape: (_a, ts) => broadcastAll('PoissonNLLLoss', ts),
  keras: 'Poisson()',
});

export const GaussianNLLLoss = makeLoss({
  name: 'GaussianNLLLoss',
  signature: [
    { name: 'full', default: false, kwOnly: true },
    { name: 'eps', default: 1e-6, kwOnly: true },
    { name: 'reduction', default: 'mean', kwOnly: true },
  ],
  doc: 'Negative log-likelihood of a Gaussian: forward(input, target, var), var of the input shape, one dim fewer, or with a last dim of 1.',
  arity: 3,
  shape(_a, [x, y, v]) {
    let varShape = v.shape;
    if (provablyDiffer(v.shape, x.shape)) {
      const lead = x.shape.slice(0, -1);
      if (!provablyDiffer(lead, v.shape)) varShape = [...v.shape, 1];
      else if (!(v.shape.length === x.shape.length && !provablyDiffer(lead, v.shape.slice(0, -1)) && v.shape[v.shape.length - 1] === 1)) {
        throw targetError('GaussianNLLLoss', `var ${formatShape(v.shape)} is of incorrect size for the input ${formatShape(x.shape)}`, x.shape, v.shape);
      }
    }
    return broadcastAll('GaussianNLLLoss', [x, y, { ...v, shape: varShape }]);
  },
});

export const CosineEmbeddingLoss = makeLoss({
  name: 'CosineEmbeddingLoss',
  signature: [{ name: 'margin', default: 0.0 }, ...LEGACY, REDUCTION],
  doc: 'forward(x1, x2, y): 1 − cos(x1, x2) for y = 1, max(0, cos − margin) for y = −1; (N, D) inputs, (N) targets.',
  arity: 3,
  shape(_a, [x1, x2, y]) {
    sameRank('CosineEmbeddingLoss', [x1, x2], [1, 2]);
    const pair = broadcastAll('CosineEmbeddingLoss', [x1, x2]);
    return broadcastAll('CosineEmbeddingLoss', [{ ...x1, shape: lastDropped(pair) }, y]);
  },
  keras: 'CosineSimilarity()  # a different formula: −cos',
});

export const MarginRankingLoss = makeLoss({
  name: 'MarginRankingLoss',
  signature: [{ name: 'margin', default: 0.0 }, ...LEGACY, REDUCTION],
  doc: 'forward(x1, x2, y): max(0, −y·(x1 − x2) + margin); the three inputs have the same rank.',
  arity: 3,
  shape(_a, ts) {
    sameRank('MarginRankingLoss', ts);
    return broadcastAll('MarginRankingLoss', ts);
  },
});

export const TripletMarginLoss = makeLoss({
  name: 'TripletMarginLoss',
  signature: [
    { name: 'margin', default: 1.0 },
    { name: 'p', default: 2.0 },
    { name: 'eps', default: 1e-6 },
    { name: 'swap', default: false },
    ...LEGACY,
    REDUCTION,
  ],
  doc: 'forward(anchor, positive, negative): max(d(a, p) − d(a, n) + margin, 0) over (N, D) or (D) embeddings.',
  arity: 3,
  shape(_a, ts) {
    sameRank('TripletMarginLoss', ts, [1, 2]);
    return lastDropped(broadcastAll('TripletMarginLoss', ts));
  },
});

export const MultiLabelSoftMarginLoss = makeLoss({
  name: 'MultiLabelSoftMarginLoss',
  signature: [{ name: 'weight', default: null }, ...LEGACY, REDUCTION],
  doc: 'Multi-label one-vs-all logistic loss over (N, C) logits and {0, 1} targets of the same shape; one value per sample.',
  arity: 2,
  shape: (_a, ts) => lastDropped(broadcastAll('MultiLabelSoftMarginLoss', ts)),
});

export const CTCLoss = makeLoss({
  name: 'CTCLoss',
  signature: [{ name: 'blank', default: 0 }, REDUCTION, { name: 'zero_infinity', default: false }],
  doc: 'Connectionist temporal classification: forward(log_probs (T, N, C), targets, input_lengths (N), target_lengths (N)).',
  arity: 4,
  shape(_a, [lp, tg, il]) {
    const r = lp.shape.length;
    if (r !== 2 && r !== 3) throw new ShapeError(`CTCLoss expects log_probs of shape (T, N, C) or (T, C), but got ${formatShape(lp.shape)}`, 'DL406', { layer: 'CTCLoss', input: lp.shape });
    if (r === 2) return [];
    const n: Dim = lp.shape[1];
    for (const [what, t] of [['targets', tg], ['input_lengths', il]] as const) {
      if (t.shape.length >= (what === 'targets' ? 2 : 1) && dimsConflict(t.shape[0], n)) {
        throw targetError('CTCLoss', `${what} ${formatShape(t.shape)} do not match the batch size ${formatDim(n)} of log_probs ${formatShape(lp.shape)}`, lp.shape, t.shape);
      }
    }
    return [n];
  },
  keras: 'CTC()  # Keras 3',
});
