// torch.nn recurrent layers: RNN, LSTM, GRU (multi-layer, bidirectional, batch_first,
// LSTM proj_size, unbatched 2-D input) and the single-step cells RNNCell / LSTMCell /
// GRUCell. Parameter counts follow torch's weight_ih / weight_hh / two bias vectors per
// layer and direction (Keras has one bias: a translation note, not a bug).

import { type Dim, type Shape, dimsConflict, formatShape, mulDims } from '../../../shapes/dim';
import type { TensorV, Value } from '../../../eval/values';
import { tensor, tuple } from '../../../eval/values';
import type { LayerArgs, LayerSpec, ParamCount, ParamDef } from '../../spec';
import { ShapeError, out } from '../../spec';
import { FACTORY_KWARGS, bindForward, countParams, defineLayer, expectDim, inputAt, kerasEquivalent, markRnnOutput, optionalTensor, torchinfoMacs } from './common';

type Kind = 'RNN' | 'LSTM' | 'GRU';
const GATES: Record<Kind, number> = { RNN: 1, LSTM: 4, GRU: 3 };

const RNN_BASE: ParamDef[] = [
  { name: 'input_size' },
  { name: 'hidden_size' },
  { name: 'num_layers', default: 1 },
  { name: 'bias', default: true },
  { name: 'batch_first', default: false },
  { name: 'dropout', default: 0.0 },
  { name: 'bidirectional', default: false },
  { name: 'proj_size', default: 0 },
  ...FACTORY_KWARGS,
];

const FORWARD: ParamDef[] = [{ name: 'input' }, { name: 'hx', default: null }];

interface Geometry {
  gates: number;
  hidden: Dim;
  /** proj_size when > 0, else hidden_size: the size of h and of each direction's output. */
  hOut: Dim;
  directions: number;
  layers: Dim;
}

function geometryOf(kind: Kind, a: LayerArgs): Geometry {
  const hidden = a.dim('hidden_size');
  const proj = a.dim('proj_size');
  return {
    gates: GATES[kind],
    hidden,
    hOut: kind === 'LSTM' && proj !== 0 ? proj : hidden,
    directions: a.bool('bidirectional') ? 2 : 1,
    layers: a.dim('num_layers'),
  };
}

function rnnParams(kind: Kind, a: LayerArgs): ParamCount {
  const g = geometryOf(kind, a);
  const layers = a.int('num_layers');
  if (layers === null) return { trainable: null, nonTrainable: 0 };
  const terms: Dim[][] = [];
  for (let l = 0; l < layers; l++) {
    const inSize = l === 0 ? a.dim('input_size') : mulDims(g.directions, g.hOut);
    for (let d = 0; d < g.directions; d++) {
      terms.push([g.gates, g.hidden, inSize]); // weight_ih
      terms.push([g.gates, g.hidden, g.hOut]); // weight_hh
      if (a.bool('bias')) terms.push([2, g.gates, g.hidden]); // bias_ih + bias_hh
      if (g.hOut !== g.hidden) terms.push([g.hOut, g.hidden]); // weight_hr (LSTM proj_size)
    }
  }
  return countParams(...terms);
}

/** named_parameters() of a multi-layer RNN: per layer l and direction, weight_ih_l{l}[_reverse] etc. */
function rnnParamShapes(kind: Kind, a: LayerArgs): Record<string, Dim[]> {
  const g = geometryOf(kind, a);
  const layers = a.int('num_layers') ?? 1;
  const gh = mulDims(g.gates, g.hidden);
  const shapes: Record<string, Dim[]> = {};
  for (let l = 0; l < layers; l++) {
    const inSize = l === 0 ? a.dim('input_size') : mulDims(g.directions, g.hOut);
    for (let d = 0; d < g.directions; d++) {
      const sfx = `_l${l}${d === 1 ? '_reverse' : ''}`;
      shapes[`weight_ih${sfx}`] = [gh, inSize];
      shapes[`weight_hh${sfx}`] = [gh, g.hOut];
      if (a.bool('bias')) {
        shapes[`bias_ih${sfx}`] = [gh];
        shapes[`bias_hh${sfx}`] = [gh];
      }
      if (g.hOut !== g.hidden) shapes[`weight_hr${sfx}`] = [g.hOut, g.hidden];
    }
  }
  return shapes;
}

/** Checks an initial state against its expected shape (only provable mismatches). */
function checkState(owner: string, what: string, state: Value | undefined, expected: Shape): void {
  const t = state ? optionalTensor(state) : undefined;
  if (!t) return;
  if (t.shape.length !== expected.length || t.shape.some((d, i) => dimsConflict(d, expected[i]))) {
    throw new ShapeError(`${owner} expected ${what} of shape ${formatShape(expected)}, but got ${formatShape(t.shape)}`, 'DL406', { layer: owner, input: t.shape });
  }
}

function makeRnn(kind: Kind): LayerSpec {
  const signature = kind === 'RNN' ? [...RNN_BASE, { name: 'nonlinearity', default: 'tanh', kwOnly: true }] : RNN_BASE;
  const params = (a: LayerArgs) => rnnParams(kind, a);
  const gateText = kind === 'LSTM' ? '4' : kind === 'GRU' ? '3' : '1';
  return defineLayer({
    name: kind,
    signature,
    doc:
      kind === 'LSTM'
        ? 'Multi-layer LSTM over a sequence; returns (output, (h_n, c_n)). Input (L, N, input_size), or (N, L, ·) with batch_first, or unbatched (L, ·).'
        : `Multi-layer ${kind === 'GRU' ? 'GRU' : 'Elman RNN'} over a sequence; returns (output, h_n). Input (L, N, input_size), or (N, L, ·) with batch_first, or unbatched (L, ·).`,
    params,
    paramFormula: `per layer and direction: ${gateText}·hidden·(in + ${kind === 'LSTM' ? 'proj_or_hidden' : 'hidden'}) + 2·${gateText}·hidden (bias_ih + bias_hh)${kind === 'LSTM' ? ' + proj_size·hidden' : ''}`,
    unknownOutput: () => markRnnOutput(kind === 'LSTM' ? tuple([tensor(null), tuple([tensor(null), tensor(null)])]) : tuple([tensor(null), tensor(null)]), kind),
    forward(a, inputs, kwargs) {
      const t = inputAt(inputs);
      if (kind !== 'LSTM' && a.int('proj_size') !== 0 && a.int('proj_size') !== null) throw new ShapeError(`${kind}: proj_size is only supported for LSTM`, 'DL406', { layer: kind });
      const g = geometryOf(kind, a);
      if (t.packed) return packedForward(kind, a, g, t, inputs, kwargs);
      const r = t.shape.length;
      if (r !== 2 && r !== 3) throw new ShapeError(`${kind} expects a 2-D (unbatched) or 3-D input, but got a ${r}-D input ${formatShape(t.shape)}`, 'DL406', { layer: kind, input: t.shape });
      expectDim(kind, 'input_size', a.dim('input_size'), t.shape[r - 1], 'last dim', t.shape);
      const batchFirst = a.bool('batch_first');
      const batched = r === 3;
      const seq = batched && batchFirst ? t.shape[1] : t.shape[0];
      const batch: Dim[] = batched ? [batchFirst ? t.shape[0] : t.shape[1]] : [];
      const feat = mulDims(g.directions, g.hOut);
      const output = out(batched ? (batchFirst ? [batch[0], seq, feat] : [seq, batch[0], feat]) : [seq, feat], t.dtype);
      return withStates(kind, g, batch, output, inputs, kwargs);
    },
    paramShapes: (a) => rnnParamShapes(kind, a),
    macs: torchinfoMacs('inner', params),
    equivalents: kerasEquivalent(
      kind === 'RNN'
        ? 'SimpleRNN(hidden_size, return_sequences=True, return_state=True)  # one layer; Bidirectional(...) for bidirectional'
        : `${kind}(hidden_size, return_sequences=True, return_state=True)  # one layer, batch-major; Keras has ${kind === 'GRU' ? 'reset_after=True: two biases like torch' : 'one bias vector'}`,
    ),
  });
}

/** An RNN over a PackedSequence: a PackedSequence of the output features back, states of its batch rows. */
function packedForward(kind: Kind, a: LayerArgs, g: ReturnType<typeof geometryOf>, t: TensorV & { shape: Shape }, inputs: Value[], kwargs: Map<string, Value>): Value {
  const batch = t.packed!.batch;
  expectDim(kind, 'input_size', a.dim('input_size'), t.shape[t.shape.length - 1], 'last dim', t.shape);
  const output: TensorV = { ...out([t.shape[0], mulDims(g.directions, g.hOut)], t.dtype), packed: { ...t.packed! } };
  return withStates(kind, g, [batch], output, inputs, kwargs);
}

/**
 * An RNN's result: the output and the final states, (layers · directions, *batch, hidden)
 * (an LSTM's h and c); a given h_0 / c_0 must have those shapes.
 */
function withStates(kind: Kind, g: ReturnType<typeof geometryOf>, batch: Dim[], output: TensorV, inputs: Value[], kwargs: Map<string, Value>): Value {
  const stateRows = mulDims(g.directions, g.layers);
  const hShape = [stateRows, ...batch, g.hOut];
  const cShape = [stateRows, ...batch, g.hidden];
  const hx = bindForward(kind, FORWARD, inputs, kwargs).raw('hx');
  if (kind === 'LSTM') {
    if (hx.k === 'tuple' || hx.k === 'list') {
      checkState(kind, 'h_0', hx.items[0], hShape);
      checkState(kind, 'c_0', hx.items[1], cShape);
    }
    return markRnnOutput(tuple([output, tuple([out(hShape, output.dtype), out(cShape, output.dtype)])]), kind);
  }
  checkState(kind, 'h_0', hx, hShape);
  return markRnnOutput(tuple([output, out(hShape, output.dtype)]), kind);
}

function makeCell(kind: Kind): LayerSpec {
  const name = `${kind}Cell`;
  const signature: ParamDef[] = [{ name: 'input_size' }, { name: 'hidden_size' }, { name: 'bias', default: true }];
  if (kind === 'RNN') signature.push({ name: 'nonlinearity', default: 'tanh' });
  signature.push(...FACTORY_KWARGS);
  const params = (a: LayerArgs) => {
    const G = GATES[kind];
    const h = a.dim('hidden_size');
    return countParams([G, h, a.dim('input_size')], [G, h, h], a.bool('bias') ? [2, G, h] : []);
  };
  return defineLayer({
    name,
    signature,
    doc: `One ${kind} time step: input (N, input_size) or (input_size) -> ${kind === 'LSTM' ? '(h′, c′)' : 'h′'} of (N, hidden_size).`,
    params,
    paramFormula: `${GATES[kind]}·hidden·(input_size + hidden) + 2·${GATES[kind]}·hidden (bias)`,
    forward(a, inputs, kwargs) {
      const t = inputAt(inputs);
      const r = t.shape.length;
      if (r !== 1 && r !== 2) throw new ShapeError(`${name} expects a 1-D or 2-D input, but got a ${r}-D input ${formatShape(t.shape)}`, 'DL406', { layer: name, input: t.shape });
      expectDim(name, 'input_size', a.dim('input_size'), t.shape[r - 1], 'last dim', t.shape);
      const hShape = [...t.shape.slice(0, -1), a.dim('hidden_size')];
      const hx = bindForward(name, FORWARD, inputs, kwargs).raw('hx');
      if (kind === 'LSTM') {
        if (hx.k === 'tuple' || hx.k === 'list') {
          checkState(name, 'h_0', hx.items[0], hShape);
          checkState(name, 'c_0', hx.items[1], hShape);
        }
        return tuple([out(hShape, t.dtype), out([...hShape], t.dtype)]);
      }
      checkState(name, 'h_0', hx, hShape);
      return out(hShape, t.dtype);
    },
    paramShapes(a) {
      const G = GATES[kind];
      const h = a.dim('hidden_size');
      const gh = mulDims(G, h);
      const shapes: Record<string, Dim[]> = { weight_ih: [gh, a.dim('input_size')], weight_hh: [gh, h] };
      if (a.bool('bias')) Object.assign(shapes, { bias_ih: [gh], bias_hh: [gh] });
      return shapes;
    },
    macs: torchinfoMacs('inner', params),
    equivalents: kerasEquivalent(`${kind === 'RNN' ? 'SimpleRNN' : kind}Cell(hidden_size)`),
  });
}

export const RNN = makeRnn('RNN');
export const LSTM = makeRnn('LSTM');
export const GRU = makeRnn('GRU');
export const RNNCell = makeCell('RNN');
export const LSTMCell = makeCell('LSTM');
export const GRUCell = makeCell('GRU');

