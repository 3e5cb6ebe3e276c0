// Keras attention layers. MultiHeadAttention owns four EinsumDense projections:
// query/key/value kernels (dim, heads, key_dim|value_dim) + biases (heads, ·) and an
// output kernel (heads, value_dim, out) + bias (out). Attention / AdditiveAttention
// take [query, value(, key)] and own at most a scale.

import { type Dim, type Shape, prodDims } from '../../../shapes/dim';
import { type TensorV, type Value, tuple } from '../../../eval/values';
import { type LayerArgs, ShapeError, out } from '../../spec';
import { NO_PARAMS, countOf, kerasLayer, lastDimOf, minRankInput, p, requireEqual, sig, sumCounts, tensorList, trainable } from './common';

/** Query, value and key of an attention call, positional or by keyword; key defaults to value. */
export function attentionInputs(inputs: Value[], kwargs?: Map<string, Value>): { query?: Value; value?: Value; key?: Value } {
  const query = inputs[0] ?? kwargs?.get('query');
  const value = inputs[1] ?? kwargs?.get('value');
  const keyArg = inputs[2] ?? kwargs?.get('key');
  const key = keyArg && keyArg.k !== 'none' ? keyArg : value;
  return { query, value, key };
}

function outputDims(a: LayerArgs, queryLast: Shape[number]): Shape {
  return a.isNone('output_shape') ? [queryLast] : (a.dimList('output_shape') ?? [queryLast]);
}

export const MultiHeadAttention = kerasLayer({
  name: 'MultiHeadAttention',
  signature: sig(
    p('num_heads'), p('key_dim'), p('value_dim', null), p('dropout', 0.0), p('use_bias', true), p('output_shape', null),
    p('attention_axes', null), p('kernel_initializer', 'glorot_uniform'), p('bias_initializer', 'zeros'),
    p('kernel_regularizer', null), p('bias_regularizer', null), p('activity_regularizer', null),
    p('kernel_constraint', null), p('bias_constraint', null), p('seed', null),
  ),
  doc: 'Multi-head attention: call(query, value, key=None); output keeps the query shape (or output_shape).',
  paramFormula: 'Dq·H·kd + Dk·H·kd + Dv·H·vd + H·vd·Dout (+ H·kd + H·kd + H·vd + Dout biases)',
  params(a, inputs) {
    return headsParams(inputs, a.bool('use_bias'), (dq) => {
      const [h, kd] = [a.dim('num_heads'), a.dim('key_dim')];
      return { queryHeads: h, kvHeads: h, keyDim: kd, valueDim: a.isNone('value_dim') ? kd : a.dim('value_dim'), outDim: prodDims(outputDims(a, dq)) };
    });
  },
  forward(a, inputs, kwargs) {
    const given = a.isNone('attention_axes') ? undefined : a.dimList('attention_axes');
    const axes = given === undefined ? undefined : given?.every((d) => typeof d === 'number') ? (given as number[]) : null;
    return headsAttention('MultiHeadAttention', a.dim('num_heads'), inputs, kwargs, (q) => [...q.slice(0, -1), ...outputDims(a, q[q.length - 1])], axes);
  },
  equivalents: [{ framework: 'torch', call: 'nn.MultiheadAttention(embed_dim, num_heads, batch_first=True)' }],
});

/**
 * A multi-head attention layer's weights (MultiHeadAttention, GroupedQueryAttention): query
 * projected to queryHeads × keyDim, key to kvHeads × keyDim, value to kvHeads × valueDim, and
 * queryHeads × valueDim projected to outDim (with a bias for each when use_bias).
 */
function headsParams(
  inputs: Value[] | undefined, bias: boolean,
  dims: (dq: Dim) => { queryHeads: Dim; kvHeads: Dim; keyDim: Dim; valueDim: Dim; outDim: Dim },
): ReturnType<typeof trainable> {
  const { query, value, key } = attentionInputs(inputs ?? []);
  const dq = lastDimOf(query ? [query] : undefined);
  const dv = lastDimOf(value ? [value] : undefined);
  const dk = lastDimOf(key ? [key] : undefined);
  if (dq === null || dv === null || dk === null) return trainable(null);
  const { queryHeads: hq, kvHeads: hkv, keyDim: kd, valueDim: vd, outDim: dout } = dims(dq);
  return trainable(
    sumCounts(
      countOf(dq, hq, kd), countOf(dk, hkv, kd), countOf(dv, hkv, vd), countOf(hq, vd, dout),
      bias ? sumCounts(countOf(hq, kd), countOf(hkv, kd), countOf(hkv, vd), countOf(dout)) : 0,
    ),
  );
}

/**
 * A multi-head attention layer's call (MultiHeadAttention, GroupedQueryAttention): query, value
 * and key of rank 3 or more, keys as long as values; the output shaped from the query's, and
 * with return_attention_scores the scores. Keras' _build_attention_equation: on the projected
 * query (…, heads, key_dim) the attention axes default to all but batch, heads and features;
 * the scores are the other (batch) axes, heads among them, then the query's attention axes,
 * then the key's: (batch, heads, Tq, Tv) for a sequence. `axes` undefined is that default;
 * null, axes that are not known (the scores are then unknown).
 */
function headsAttention(layer: string, heads: Dim, inputs: Value[], kwargs: Map<string, Value>, outShape: (query: Shape) => Shape, axes?: number[] | null): Value {
  const { query, value, key } = attentionInputs(inputs, kwargs);
  const q = minRankInput([query!].filter(Boolean), 3, layer);
  const v = minRankInput([value!].filter(Boolean), 3, `${layer} (value)`);
  const k = minRankInput([key!].filter(Boolean), 3, `${layer} (key)`);
  requireEqual(k.shape[1], v.shape[1], layer, 'key and value lengths');
  const o = out(outShape(q.shape), q.dtype);
  const scores = kwargs.get('return_attention_scores');
  if (!(scores && scores.k === 'bool' && scores.v)) return o;
  const rank = q.shape.length + 1;
  const projected = [...q.shape.slice(0, -1), heads, q.shape[q.shape.length - 1]];
  const attn = axes === undefined ? Array.from({ length: rank - 3 }, (_, i) => i + 1) : axes?.map((x) => (x < 0 ? x + rank : x));
  if (!attn || attn.some((x) => x < 1 || x >= rank - 2 || x >= k.shape.length - 1)) return tuple([o, unknownScores(layer)]);
  const batch = projected.map((_, i) => i).filter((i) => !attn.includes(i) && i !== rank - 1);
  return tuple([o, out([...batch.map((i) => projected[i]), ...attn.map((i) => q.shape[i]), ...attn.map((i) => k.shape[i])], q.dtype)]);
}

function unknownScores(layer: string): Value {
  return { k: 'unknown', why: `${layer}: attention scores over these attention_axes are not modelled`, tensor: true };
}

/** [query, value(, key)] of a dot-product attention layer, with the shape checks Keras makes. */
function dotAttention(layer: string, inputs: Value[], kwargs: Map<string, Value>): Value {
  const ts: Array<TensorV & { shape: Shape }> = tensorList(inputs, layer);
  if (ts.length < 2) throw new ShapeError(`${layer} expects a list [query, value] or [query, value, key]`, 'DL406', { layer });
  const [q, v] = ts;
  const k = ts[2] ?? v;
  requireEqual(q.shape[q.shape.length - 1], k.shape[k.shape.length - 1], layer, 'query and key feature sizes');
  const o = out([...q.shape.slice(0, -1), v.shape[v.shape.length - 1]], q.dtype);
  const scores = kwargs.get('return_attention_scores');
  if (scores && scores.k === 'bool' && scores.v) return tuple([o, out([...q.shape.slice(0, -1), v.shape[1]], q.dtype)]);
  return o;
}

export const Attention = kerasLayer({
  name: 'Attention',
  signature: sig(p('use_scale', false), p('score_mode', 'dot'), p('dropout', 0.0), p('seed', null)),
  doc: 'Dot-product (Luong) attention over [query, value(, key)]; output (batch, Tq, value dim).',
  paramFormula: 'use_scale + (score_mode == "concat")',
  params(a) {
    return trainable((a.bool('use_scale') ? 1 : 0) + (a.str('score_mode') === 'concat' ? 1 : 0));
  },
  forward: (_a, inputs, kwargs) => dotAttention('Attention', inputs, kwargs),
});

export const AdditiveAttention = kerasLayer({
  name: 'AdditiveAttention',
  signature: sig(p('use_scale', true), p('dropout', 0.0)),
  doc: 'Additive (Bahdanau) attention over [query, value(, key)]; use_scale learns one scale per feature.',
  paramFormula: 'query dim (when use_scale)',
  params(a, inputs) {
    if (!a.bool('use_scale')) return NO_PARAMS;
    const first = inputs?.[0];
    const q = first && (first.k === 'list' || first.k === 'tuple') ? first.items[0] : first;
    const d = lastDimOf(q ? [q] : undefined);
    return trainable(d === null ? null : countOf(d));
  },
  forward: (_a, inputs, kwargs) => dotAttention('AdditiveAttention', inputs, kwargs),
});

/**
 * Keras 3 GroupedQueryAttention, exported as keras.layers.GroupQueryAttention too: the class
 * name is what summaries show and auto-names come from (`grouped_query_attention`). Query projected to
 * num_query_heads × head_dim, key and value to num_key_value_heads × head_dim, and an output
 * projection back to the query's feature size.
 */
export const GroupedQueryAttention = kerasLayer({
  name: 'GroupedQueryAttention',
  signature: sig(
    p('head_dim'), p('num_query_heads'), p('num_key_value_heads'), p('dropout', 0.0), p('use_bias', true), p('flash_attention', null),
    p('kernel_initializer', 'glorot_uniform'), p('bias_initializer', 'zeros'), p('kernel_regularizer', null), p('bias_regularizer', null),
    p('activity_regularizer', null), p('kernel_constraint', null), p('bias_constraint', null), p('seed', null),
  ),
  doc: 'Grouped-query attention: call(query, value, key=None); key/value heads are shared by groups of query heads. Output keeps the query shape.',
  paramFormula: 'Dq·Hq·hd + Dk·Hkv·hd + Dv·Hkv·hd + Hq·hd·Dq (+ Hq·hd + 2·Hkv·hd + Dq biases)',
  params(a, inputs) {
    return headsParams(inputs, a.bool('use_bias'), (dq) => {
      const hd = a.dim('head_dim');
      return { queryHeads: a.dim('num_query_heads'), kvHeads: a.dim('num_key_value_heads'), keyDim: hd, valueDim: hd, outDim: dq };
    });
  },
  forward(a, inputs, kwargs) {
    return headsAttention('GroupedQueryAttention', a.dim('num_query_heads'), inputs, kwargs, (q) => q);
  },
});
