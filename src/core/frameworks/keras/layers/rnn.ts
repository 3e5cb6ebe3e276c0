// Keras recurrent layers and wrappers. One factory for SimpleRNN / LSTM / GRU (gates ×
// (kernel + recurrent kernel + bias); Keras LSTM has one bias, GRU reset_after=True two),
// one for ConvLSTM1D/2D/3D, and the Bidirectional / TimeDistributed wrappers, which
// receive the wrapped layer as an InstanceV whose `.layer` holds {spec, args}.

import { type Dim, type Shape, UNKNOWN_DIM, addDims } from '../../../shapes/dim';
import { tfConvOutDim } from '../../../shapes/ops';
import { type TensorV, type Value, UNPROVEN_SHAPE, list, tensor, tuple, unknown } from '../../../eval/values';
import { LayerArgs, type LayerSpec, type ParamCount, type ParamDef, ShapeError, out, tensorInput } from '../../spec';
import {
  channelsFirst, countOf, joinSpatial, kerasLayer, lastDimOf, lastStepOf, inputShape, markLastStep, outLike, p, paddingMode, positiveDim, rankMismatch, rankedInput, sig,
  splitSpatial, sumCounts, trainable,
} from './common';

/** 'peephole': tf.keras.experimental.PeepholeLSTMCell, an LSTM cell with peephole weights. */
type CellKind = 'simple' | 'lstm' | 'gru' | 'peephole';

const GATES: Record<CellKind, number> = { simple: 1, lstm: 4, gru: 3, peephole: 4 };
const STATES: Record<CellKind, number> = { simple: 1, lstm: 2, gru: 1, peephole: 2 };

const REGS = [
  p('kernel_regularizer', null), p('recurrent_regularizer', null), p('bias_regularizer', null), p('activity_regularizer', null),
  p('kernel_constraint', null), p('recurrent_constraint', null), p('bias_constraint', null),
];
const INITS = [p('kernel_initializer', 'glorot_uniform'), p('recurrent_initializer', 'orthogonal'), p('bias_initializer', 'zeros')];
const RUN_FLAGS = [p('return_sequences', false), p('return_state', false), p('go_backwards', false), p('stateful', false)];

function rnnSignature(kind: CellKind): ParamDef[] {
  switch (kind) {
    case 'simple':
      return sig(p('units'), p('activation', 'tanh'), p('use_bias', true), ...INITS, ...REGS, p('dropout', 0.0), p('recurrent_dropout', 0.0), ...RUN_FLAGS, p('unroll', false), p('seed', null));
    case 'lstm':
    case 'peephole':
      return sig(
        p('units'), p('activation', 'tanh'), p('recurrent_activation', 'sigmoid'), p('use_bias', true), ...INITS, p('unit_forget_bias', true), ...REGS,
        p('dropout', 0.0), p('recurrent_dropout', 0.0), p('seed', null), ...RUN_FLAGS, p('unroll', false), p('use_cudnn', 'auto'),
      );
    case 'gru':
      return sig(
        p('units'), p('activation', 'tanh'), p('recurrent_activation', 'sigmoid'), p('use_bias', true), ...INITS, ...REGS,
        p('dropout', 0.0), p('recurrent_dropout', 0.0), p('seed', null), ...RUN_FLAGS, p('unroll', false), p('reset_after', true), p('use_cudnn', 'auto'),
      );
  }
}

/** Number of bias vectors of `units` per gate: GRU reset_after keeps input and recurrent biases apart. */
function biasCopies(kind: CellKind, a: LayerArgs): number {
  if (!a.bool('use_bias')) return 0;
  return kind === 'gru' && a.bool('reset_after') ? 2 : 1;
}

/** An RNN result: the output (sequence or last step) plus the states when return_state. */
function rnnResult(name: string, a: LayerArgs, seq: Shape, last: Shape, state: Shape, nStates: number, dtype: string): Value {
  const o = a.bool('return_sequences') ? out(seq, dtype) : markLastStep(out(last, dtype), name);
  if (!a.bool('return_state')) return o;
  return list([o, ...Array.from({ length: nStates }, () => out(state, dtype))]);
}

/**
 * A cell's weights on `f` input features: kernel, recurrent kernel and biases of every gate; a
 * peephole LSTM cell adds its input / forget / output gate peephole weights, (units,) each
 * (keras/layers/recurrent.py PeepholeLSTMCell.build).
 */
function cellCount(kind: CellKind, a: LayerArgs, f: Dim): number | null {
  const u = a.dim('units');
  const g = GATES[kind];
  return sumCounts(countOf(g, u, f), countOf(g, u, u), countOf(biasCopies(kind, a), g, u), kind === 'peephole' ? countOf(3, u) : 0);
}

function makeRnn(name: string, kind: CellKind, doc: string, formula: string, torch: string): LayerSpec {
  return kerasLayer({
    name,
    signature: rnnSignature(kind),
    doc,
    paramFormula: formula,
    params(a, inputs) {
      const f = lastDimOf(inputs);
      if (f === null) return trainable(null);
      return trainable(cellCount(kind, a, f));
    },
    forward(a, inputs) {
      const t = rankedInput(inputs, 3, name);
      const [b, steps] = t.shape;
      const u = a.dim('units');
      return rnnResult(name, a, [b, steps, u], [b, u], [b, u], STATES[kind], t.dtype);
    },
    macs(a, inputs) {
      const s = inputShape(inputs);
      if (!s || s.length !== 3) return null;
      const u = a.dim('units');
      const g = GATES[kind];
      return sumCounts(countOf(s[1], g, u, s[2]), countOf(s[1], g, u, u));
    },
    equivalents: [{ framework: 'torch', call: torch }],
  });
}

export const SimpleRNN = makeRnn('SimpleRNN', 'simple', 'Fully connected recurrent layer: h = act(x·W + h·U + b).', 'units·(in + units) + units', 'nn.RNN(input_size, hidden_size, batch_first=True)');
export const LSTM = makeRnn(
  'LSTM', 'lstm',
  'Long short-term memory; Keras keeps one bias per gate (PyTorch two): 4·(units·(in + units) + units).',
  '4·(units·(in + units) + units)',
  'nn.LSTM(input_size, hidden_size, batch_first=True)',
);
export const GRU = makeRnn(
  'GRU', 'gru',
  'Gated recurrent unit; reset_after=True (default) keeps separate input and recurrent biases: 3·(units·(in + units) + 2·units).',
  '3·(units·(in + units) + 2·units) (reset_after) or 3·(units·(in + units) + units)',
  'nn.GRU(input_size, hidden_size, batch_first=True)',
);

/**
 * CuDNNLSTM / CuDNNGRU (Keras 2.2, tf.compat.v1.keras.layers; keras/layers/cudnn_recurrent.py):
 * cuDNN's layout keeps an input and a recurrent bias per gate, as PyTorch does, so the bias is
 * (2·gates·units,): 4·(units·(in + units)) + 8·units, 3·(units·(in + units)) + 6·units.
 */
function makeCudnn(name: string, kind: 'lstm' | 'gru', torch: string): LayerSpec {
  const g = GATES[kind];
  return kerasLayer({
    name,
    signature: sig(
      p('units'), ...INITS, ...(kind === 'lstm' ? [p('unit_forget_bias', true)] : []), ...REGS, ...RUN_FLAGS,
    ),
    doc: `${kind.toUpperCase()} run by cuDNN (GPU only); an input and a recurrent bias per gate: ${g}·(units·(in + units)) + ${2 * g}·units.`,
    paramFormula: `${g}·units·(in + units) + ${2 * g}·units`,
    params(a, inputs) {
      const f = lastDimOf(inputs);
      const u = a.dim('units');
      return trainable(f === null ? null : sumCounts(countOf(g, u, f), countOf(g, u, u), countOf(2 * g, u)));
    },
    forward(a, inputs) {
      const t = rankedInput(inputs, 3, name);
      const [b, steps] = t.shape;
      const u = a.dim('units');
      return rnnResult(name, a, [b, steps, u], [b, u], [b, u], STATES[kind], t.dtype);
    },
    equivalents: [{ framework: 'torch', call: torch }],
  });
}

export const CuDNNLSTM = makeCudnn('CuDNNLSTM', 'lstm', 'nn.LSTM(input_size, hidden_size, batch_first=True)');
export const CuDNNGRU = makeCudnn('CuDNNGRU', 'gru', 'nn.GRU(input_size, hidden_size, batch_first=True)');

/** A spec whose `reset_after` defaults to False: tf.compat.v1.keras.layers.GRU / GRUCell (recurrent.py, the v1 classes). */
function resetBeforeDefault(spec: LayerSpec): LayerSpec {
  return { ...spec, signature: spec.signature.map((d) => (d.name === 'reset_after' ? { ...d, default: false } : d)) };
}

/**
 * A recurrent cell (LSTMCell, GRUCell, SimpleRNNCell): one time step, with the weights of
 * the layer of the same kind. Models hand it to keras.layers.RNN (alone, in a list, or in
 * StackedRNNCells), which runs it over the sequence.
 */
function makeCell(name: string, kind: CellKind): LayerSpec {
  return kerasLayer({
    name,
    signature: rnnSignature(kind),
    doc: kind === 'peephole'
      ? 'One step of an LSTM with peephole connections (tf.keras.experimental): the LSTM cell\'s weights + 3·units peephole weights, run over a sequence by keras.layers.RNN.'
      : `One step of a ${kind === 'simple' ? 'simple RNN' : kind.toUpperCase()} (weights as the layer of the same kind), run over a sequence by keras.layers.RNN.`,
    params(a, inputs) {
      const f = lastDimOf(inputs);
      return trainable(f === null ? null : cellCount(kind, a, f));
    },
    forward(a, inputs) {
      // Called by hand on one step, cell(x_t, states): (h, new_states), h of width units;
      // new_states a list ([h] or LSTM's [h, c]) when states was a list or tuple, else h alone.
      const x = inputs[0];
      if (!x || x.k !== 'tensor' || !x.shape || x.shape.length < 2) return tensor(null);
      const h = out([...x.shape.slice(0, -1), a.dim('units')], x.dtype);
      const states = inputs[1];
      const nested = !states || states.k === 'list' || states.k === 'tuple';
      return tuple([h, nested ? list(Array.from({ length: STATES[kind] }, () => h)) : h]);
    },
  });
}

export const SimpleRNNCell = makeCell('SimpleRNNCell', 'simple');
export const LSTMCell = makeCell('LSTMCell', 'lstm');
export const GRUCell = makeCell('GRUCell', 'gru');
/** tf.compat.v1.keras.layers.GRU / GRUCell: reset_after=False by default (registered under keras.compat.v1, not in the catalogue). */
export const GRU_V1 = resetBeforeDefault(GRU);
export const GRUCell_V1 = resetBeforeDefault(GRUCell);
/** tf.keras.experimental.PeepholeLSTMCell (tf.keras 2 only; not under keras.layers). */
export const PeepholeLSTMCell = makeCell('PeepholeLSTMCell', 'peephole');

const CELL_KINDS: Record<string, CellKind> = { SimpleRNNCell: 'simple', LSTMCell: 'lstm', GRUCell: 'gru', PeepholeLSTMCell: 'peephole' };

/** A built-in cell's number of states (an LSTM cell's h and c), or undefined for a class that is not one. */
export function builtinCellStates(specName: string): number | undefined {
  const kind = CELL_KINDS[specName];
  return kind ? STATES[kind] : undefined;
}

/** The cells of an RNN's `cell` argument (one cell, a list of them, or StackedRNNCells), in order; null when one is not a known cell. */
function cellsOf(v: Value): Array<{ kind: CellKind; args: LayerArgs }> | null {
  const items = v.k === 'list' || v.k === 'tuple' ? v.items : [v];
  const out: Array<{ kind: CellKind; args: LayerArgs }> = [];
  for (const item of items) {
    const w = wrappedLayer(item);
    if (w && w.spec.name === 'StackedRNNCells') {
      const inner = cellsOf(w.args.raw('cells'));
      if (!inner) return null;
      out.push(...inner);
      continue;
    }
    const kind = w ? CELL_KINDS[w.spec.name] : undefined;
    if (!w || !kind) return null;
    out.push({ kind, args: w.args });
  }
  return out.length ? out : null;
}

/** Weights of stacked cells: each cell's input is the previous cell's units. */
function stackedCount(cells: Array<{ kind: CellKind; args: LayerArgs }>, inputs: Value[] | undefined): ParamCount {
  let f: Dim | null = lastDimOf(inputs);
  let total: number | null = 0;
  for (const c of cells) {
    total = sumCounts(total, f === null ? null : cellCount(c.kind, c.args, f));
    f = c.args.dim('units');
  }
  return trainable(total);
}

export const StackedRNNCells = kerasLayer({
  name: 'StackedRNNCells',
  signature: sig(p('cells')),
  doc: 'A list of recurrent cells run as one cell, each feeding the next (used inside keras.layers.RNN).',
  params(a, inputs) {
    const cells = cellsOf(a.raw('cells'));
    return cells ? stackedCount(cells, inputs) : trainable(null);
  },
  forward() {
    return tensor(null);
  },
});

export const RNN = kerasLayer({
  name: 'RNN',
  signature: sig(p('cell'), ...RUN_FLAGS, p('unroll', false), p('zero_output_for_mask', false)),
  doc: 'Runs a recurrent cell (or a list of cells, stacked) over the time axis; the weights are the cells\'.',
  paramFormula: 'sum of the cells\' weights, each on the previous cell\'s units',
  params(a, inputs) {
    const cells = cellsOf(a.raw('cell'));
    return cells ? stackedCount(cells, inputs) : trainable(null);
  },
  forward(a, inputs) {
    const cells = cellsOf(a.raw('cell'));
    if (!cells) return unknown('keras.layers.RNN: the cell is not a built-in recurrent cell');
    const t = rankedInput(inputs, 3, 'RNN');
    const [b, steps] = t.shape;
    const u = cells[cells.length - 1].args.dim('units');
    const o = a.bool('return_sequences') ? out([b, steps, u], t.dtype) : markLastStep(out([b, u], t.dtype), 'RNN');
    if (!a.bool('return_state')) return o;
    // The final states of every cell, in order (an LSTM cell has two: h and c).
    const states = cells.flatMap((c) => Array.from({ length: STATES[c.kind] }, () => out([b, c.args.dim('units')], t.dtype)));
    return list([o, ...states]);
  },
});

function makeConvLstm(name: string, rank: number): LayerSpec {
  return kerasLayer({
    name,
    signature: sig(
      p('filters'), p('kernel_size'), p('strides', 1), p('padding', 'valid'), p('data_format', null), p('dilation_rate', 1),
      p('activation', 'tanh'), p('recurrent_activation', 'sigmoid'), p('use_bias', true), ...INITS, p('unit_forget_bias', true), ...REGS,
      p('dropout', 0.0), p('recurrent_dropout', 0.0), p('seed', null), ...RUN_FLAGS,
    ),
    doc: `Convolutional LSTM over a sequence of ${rank}-D feature maps; the recurrent convolution is always 'same'.`,
    paramFormula: '4·(prod(k)·in·filters + prod(k)·filters·filters + filters)',
    params(a, inputs) {
      const s = inputShape(inputs);
      if (!s || s.length !== rank + 3) return trainable(null);
      const cin = channelsFirst(a) ? s[2] : s[s.length - 1];
      const k = a.dims('kernel_size', rank);
      const f = a.dim('filters');
      return trainable(sumCounts(countOf(4, ...k, cin, f), countOf(4, ...k, f, f), a.bool('use_bias') ? countOf(4, f) : 0));
    },
    forward(a, inputs) {
      const t = rankedInput(inputs, rank + 3, name);
      const first = channelsFirst(a);
      const steps = t.shape[1];
      const frame = [t.shape[0], ...t.shape.slice(2)];
      const l = splitSpatial(frame, first);
      const k = a.dims('kernel_size', rank);
      const s = a.dims('strides', rank);
      const d = a.dims('dilation_rate', rank);
      const pad = paddingMode(a) === 'same' ? 'same' : 'valid';
      const spatial = l.spatial.map((x, i) => positiveDim(tfConvOutDim(x, k[i], s[i], pad, d[i]), name, `output size on spatial axis ${i + 1}`));
      const frameOut = joinSpatial({ batch: l.batch, spatial, channels: a.dim('filters') }, first);
      return rnnResult(name, a, [frameOut[0], steps, ...frameOut.slice(1)], frameOut, frameOut, 2, t.dtype);
    },
  });
}

export const ConvLSTM1D = makeConvLstm('ConvLSTM1D', 1);
export const ConvLSTM2D = makeConvLstm('ConvLSTM2D', 2);
export const ConvLSTM3D = makeConvLstm('ConvLSTM3D', 3);

/** The spec and bound arguments of a wrapped layer argument, or null when it is not a known layer. */
export function wrappedLayer(v: Value): { spec: LayerSpec; args: LayerArgs } | null {
  if (v.k !== 'instance' || !v.layer) return null;
  return { spec: v.layer.spec, args: new LayerArgs(v.layer.args, v.layer.spec.name) };
}

function tensorsOf(v: Value): TensorV[] {
  if (v.k === 'tensor') return [v];
  if (v.k === 'list' || v.k === 'tuple') return v.items.filter((x): x is TensorV => x.k === 'tensor');
  return [];
}

/** Merges forward and backward outputs per Bidirectional's merge_mode. */
export function mergeDirections(mode: string | null, fwd: TensorV, bwd: TensorV): Value[] {
  if (mode === null) return [fwd, bwd];
  if (!fwd.shape) return [tensor(null, fwd.dtype)];
  if (mode === 'concat') {
    const s = [...fwd.shape];
    const bl = bwd.shape ? bwd.shape[bwd.shape.length - 1] : UNKNOWN_DIM;
    s[s.length - 1] = addDims(s[s.length - 1], bl);
    return [out(s, fwd.dtype)];
  }
  if (['sum', 'mul', 'ave'].includes(mode)) return [out(fwd.shape, fwd.dtype)];
  throw new ShapeError(`Bidirectional: unknown merge_mode '${mode}' (expected concat, sum, mul, ave or None)`, 'DL406', { layer: 'Bidirectional' });
}

export const Bidirectional = kerasLayer({
  name: 'Bidirectional',
  signature: sig(p('layer'), p('merge_mode', 'concat'), p('weights', null), p('backward_layer', null)),
  doc: 'Runs a recurrent layer forwards and backwards and merges the two (concat doubles the features).',
  paramFormula: '2 × wrapped layer (or forward + backward_layer)',
  params(a, inputs): ParamCount {
    const fwd = wrappedLayer(a.raw('layer'));
    if (!fwd) return trainable(null);
    const bwd = wrappedLayer(a.raw('backward_layer')) ?? fwd;
    const pf = fwd.spec.params(fwd.args, inputs);
    const pb = bwd.spec.params(bwd.args, inputs);
    return { trainable: sumCounts(pf.trainable, pb.trainable), nonTrainable: pf.nonTrainable + pb.nonTrainable };
  },
  forward(a, inputs, kwargs) {
    const fwd = wrappedLayer(a.raw('layer'));
    if (!fwd) throw new ShapeError('Bidirectional expects a recurrent layer instance as its first argument', 'DL406', { layer: 'Bidirectional' });
    const bwd = wrappedLayer(a.raw('backward_layer')) ?? fwd;
    const fOut = fwd.spec.forward(fwd.args, inputs, kwargs);
    const bOut = bwd.spec.forward(bwd.args, inputs, kwargs);
    const fs = tensorsOf(fOut);
    const bs = tensorsOf(bOut);
    if (fs.length === 0 || bs.length === 0) return tensor(null);
    const merged = mergeDirections(a.str('merge_mode'), fs[0], bs[0]);
    const rnn = lastStepOf(fs[0]);
    if (rnn && merged[0]?.k === 'tensor') markLastStep(merged[0], `Bidirectional(${rnn})`);
    const states = fwd.args.bool('return_state') ? [...fs.slice(1), ...bs.slice(1)] : [];
    if (merged.length === 1 && states.length === 0) return merged[0];
    return list([...merged, ...states]);
  },
  equivalents: [{ framework: 'torch', call: 'nn.LSTM(..., bidirectional=True)' }],
});

export const TimeDistributed = kerasLayer({
  name: 'TimeDistributed',
  signature: sig(p('layer')),
  doc: 'Applies the wrapped layer to every time step (axis 1) independently; params are the wrapped layer\'s.',
  paramFormula: 'wrapped layer on input[1:]',
  params(a, inputs) {
    const inner = wrappedLayer(a.raw('layer'));
    const s = inputShape(inputs);
    if (!inner) return trainable(null);
    const stepIn = s && s.length >= 3 ? [out([s[0], ...s.slice(2)], (inputs![0] as TensorV).dtype)] : undefined;
    return inner.spec.params(inner.args, stepIn);
  },
  forward(a, inputs, kwargs) {
    const inner = wrappedLayer(a.raw('layer'));
    const t = tensorInput(inputs, 0, 'TimeDistributed');
    if (t.shape.length < 3) throw rankMismatch('TimeDistributed', t, `TimeDistributed expects an input of rank ≥ 3 (batch, time, ...), got rank ${t.shape.length}`, true);
    // A model or a user-written layer (an instance the catalogue has no spec for) is a valid
    // argument; its per-step output is not worked out here.
    if (!inner && a.raw('layer').k === 'instance') throw new ShapeError('TimeDistributed over a model or custom layer is not followed', UNPROVEN_SHAPE);
    if (!inner) throw new ShapeError('TimeDistributed expects a layer instance as its argument', 'DL406', { layer: 'TimeDistributed' });
    const stepOut = inner.spec.forward(inner.args, [outLike(t, [t.shape[0], ...t.shape.slice(2)])], kwargs);
    const addTime = (v: Value): Value => (v.k === 'tensor' && v.shape ? outLike(v, [v.shape[0], t.shape[1], ...v.shape.slice(1)]) : v);
    if (stepOut.k === 'list' || stepOut.k === 'tuple') return stepOut.k === 'list' ? list(stepOut.items.map(addTime)) : tuple(stepOut.items.map(addTime));
    return addTime(stepOut);
  },
});

/**
 * The last axis of a wrapped layer's kernel: filters, units, output_dim or depth_multiplier; a
 * transposed convolution's kernel is (*kernel_size, filters, in_channels), so its last axis is
 * the input's channel count.
 */
function kernelLastDim(layer: string, args: LayerArgs, inputs: Value[] | undefined): number | null {
  if (/^Conv[123]DTranspose$/.test(layer)) {
    const t = inputs?.[0];
    if (!t || t.k !== 'tensor' || !t.shape || t.shape.length < 3) return null;
    const df = args.values.get('data_format');
    const c = t.shape[df && df.k === 'str' && df.v === 'channels_first' ? 1 : t.shape.length - 1];
    return typeof c === 'number' ? c : null;
  }
  for (const name of ['filters', 'units', 'output_dim', 'depth_multiplier']) {
    const v = args.values.get(name);
    if (v && v.k === 'int' && typeof v.v === 'number') return v.v;
  }
  return null;
}

/**
 * Keras 3 SpectralNormalization(layer): the wrapped layer's output and weights, plus the
 * non-trainable power-iteration vector u of shape (1, kernel.shape[-1]).
 */
export const SpectralNormalization = kerasLayer({
  name: 'SpectralNormalization',
  signature: sig(p('layer'), p('power_iterations', 1)),
  doc: 'Normalises the wrapped layer\'s kernel by its spectral norm (power iteration); output and weights are the wrapped layer\'s, plus a non-trainable u vector.',
  paramFormula: 'wrapped layer + kernel.shape[-1] non-trainable (u)',
  params(a, inputs): ParamCount {
    const inner = wrappedLayer(a.raw('layer'));
    if (!inner) return trainable(null);
    const pc = inner.spec.params(inner.args, inputs);
    const u = kernelLastDim(inner.spec.name, inner.args, inputs);
    if (u === null) return { trainable: null, nonTrainable: pc.nonTrainable };
    return { trainable: pc.trainable, nonTrainable: pc.nonTrainable + u };
  },
  forward(a, inputs, kwargs) {
    const inner = wrappedLayer(a.raw('layer'));
    if (!inner) throw new ShapeError('SpectralNormalization expects a layer instance as its argument', 'DL406', { layer: 'SpectralNormalization' });
    return inner.spec.forward(inner.args, inputs, kwargs);
  },
});
