// torch.nn.MultiheadAttention as one leaf layer (as torchinfo shows it): its parameters
// are the packed in_proj (or separate q/k/v projections when kdim / vdim differ from
// embed_dim), the out_proj Linear and the optional bias_k / bias_v.

import { type Dim, UNKNOWN_DIM, addDims, dimsConflict, dimsEqual, formatShape, mulDims } from '../../../shapes/dim';
import { NONE, tensor, tuple } from '../../../eval/values';
import type { LayerArgs, LayerSpec, ParamDef } from '../../spec';
import { ShapeError, out } from '../../spec';
import { FACTORY_KWARGS, bindForward, countParams, defineLayer, expectDim, inputAt, kerasEquivalent, torchinfoMacs } from './common';

const FORWARD: ParamDef[] = [
  { name: 'query' },
  { name: 'key' },
  { name: 'value' },
  { name: 'key_padding_mask', default: null },
  { name: 'need_weights', default: true },
  { name: 'attn_mask', default: null },
  { name: 'average_attn_weights', default: true },
];

/** kdim / vdim default to embed_dim (None). */
const kdimOf = (a: LayerArgs): Dim => (a.has('kdim') ? a.dim('kdim') : a.dim('embed_dim'));
const vdimOf = (a: LayerArgs): Dim => (a.has('vdim') ? a.dim('vdim') : a.dim('embed_dim'));

function mhaParams(a: LayerArgs) {
  const e = a.dim('embed_dim');
  const bias = a.bool('bias');
  const terms: Dim[][] = [
    [e, e], // q projection (q_proj_weight, or the first third of in_proj_weight)
    [e, kdimOf(a)], // k projection
    [e, vdimOf(a)], // v projection
    [e, e], // out_proj.weight
  ];
  if (bias) terms.push([3, e], [e]); // in_proj_bias, out_proj.bias
  if (a.bool('add_bias_kv')) terms.push([2, e]); // bias_k, bias_v
  return countParams(...terms);
}

/**
 * named_parameters() order of torch 1.13: in_proj_weight when kdim = vdim = embed_dim, else
 * q/k/v_proj_weight; then in_proj_bias, bias_k, bias_v, out_proj.weight, out_proj.bias.
 */
function mhaParamShapes(a: LayerArgs): Record<string, Dim[]> {
  const e = a.dim('embed_dim');
  const kd = kdimOf(a);
  const vd = vdimOf(a);
  const sameDims = dimsEqual(kd, e) && dimsEqual(vd, e);
  const shapes: Record<string, Dim[]> = sameDims
    ? { in_proj_weight: [mulDims(3, e), e] }
    : { q_proj_weight: [e, e], k_proj_weight: [e, kd], v_proj_weight: [e, vd] };
  if (a.bool('bias')) shapes.in_proj_bias = [mulDims(3, e)];
  if (a.bool('add_bias_kv')) {
    shapes.bias_k = [1, 1, e];
    shapes.bias_v = [1, 1, e];
  }
  shapes['out_proj.weight'] = [e, e];
  if (a.bool('bias')) shapes['out_proj.bias'] = [e];
  return shapes;
}

export const MultiheadAttention: LayerSpec = defineLayer({
  name: 'MultiheadAttention',
  signature: [
    { name: 'embed_dim' },
    { name: 'num_heads' },
    { name: 'dropout', default: 0.0 },
    { name: 'bias', default: true },
    { name: 'add_bias_kv', default: false },
    { name: 'add_zero_attn', default: false },
    { name: 'kdim', default: null },
    { name: 'vdim', default: null },
    { name: 'batch_first', default: false },
    ...FACTORY_KWARGS,
  ],
  doc: 'Multi-head scaled dot-product attention; forward(query, key, value) returns (attn_output, attn_weights averaged over heads, or None with need_weights=False).',
  tensorInputs: [0, 1, 2],
  params: mhaParams,
  paramFormula: 'embed_dim·(embed_dim + kdim + vdim) + 3·embed_dim (in_proj) + embed_dim² + embed_dim (out_proj) + 2·embed_dim (bias_k, bias_v)',
  unknownOutput: () => tuple([tensor(null), tensor(null)]),
  forward(a, inputs, kwargs) {
    const q = inputAt(inputs, 0);
    const k = inputAt(inputs, 1);
    const v = inputAt(inputs, 2);
    const fa = bindForward('MultiheadAttention', FORWARD, inputs, kwargs);
    const e = a.dim('embed_dim');
    const heads = a.int('num_heads');
    if (typeof e === 'number' && heads !== null && heads > 0 && e % heads !== 0) {
      throw new ShapeError(`MultiheadAttention: embed_dim=${e} must be divisible by num_heads=${heads}`, 'DL409', { layer: 'MultiheadAttention', arg: 'num_heads' });
    }
    const r = q.shape.length;
    if (r !== 2 && r !== 3) throw new ShapeError(`MultiheadAttention expects a 2-D (unbatched) or 3-D query, but got ${formatShape(q.shape)}`, 'DL406', { layer: 'MultiheadAttention', input: q.shape });
    if (k.shape.length !== r || v.shape.length !== r) {
      throw new ShapeError(`MultiheadAttention expects key and value of the same rank as the query (${r}-D), but got ${formatShape(k.shape)} and ${formatShape(v.shape)}`, 'DL406', { layer: 'MultiheadAttention' });
    }
    expectDim('MultiheadAttention', 'embed_dim', e, q.shape[r - 1], 'last dim of query', q.shape);
    expectDim('MultiheadAttention', 'kdim', kdimOf(a), k.shape[r - 1], 'last dim of key', k.shape);
    expectDim('MultiheadAttention', 'vdim', vdimOf(a), v.shape[r - 1], 'last dim of value', v.shape);
    const batched = r === 3;
    const bf = batched && a.bool('batch_first');
    // (seq, batch) positions in the layout the user passes.
    const seqOf = (s: Dim[]) => (bf ? s[1] : s[0]);
    const batchOf = (s: Dim[]): Dim => (batched ? (bf ? s[0] : s[1]) : 1);
    if (dimsConflict(seqOf(k.shape), seqOf(v.shape)) || dimsConflict(batchOf(k.shape), batchOf(v.shape))) {
      throw new ShapeError(`MultiheadAttention: key ${formatShape(k.shape)} and value ${formatShape(v.shape)} must have the same sequence length and batch size`, 'DL406', { layer: 'MultiheadAttention' });
    }
    if (dimsConflict(batchOf(q.shape), batchOf(k.shape))) {
      throw new ShapeError(`MultiheadAttention: query ${formatShape(q.shape)} and key ${formatShape(k.shape)} must have the same batch size`, 'DL406', { layer: 'MultiheadAttention' });
    }
    const attnOut = out([...q.shape.slice(0, -1), e], q.dtype);
    if (!fa.bool('need_weights')) return tuple([attnOut, NONE]);
    let srcLen: Dim = seqOf(k.shape);
    if (a.bool('add_bias_kv')) srcLen = addDims(srcLen, 1);
    if (a.bool('add_zero_attn')) srcLen = addDims(srcLen, 1);
    const tgtLen = seqOf(q.shape);
    const lead: Dim[] = batched ? [batchOf(q.shape)] : [];
    const perHead: Dim[] = fa.bool('average_attn_weights') ? [] : [heads ?? UNKNOWN_DIM];
    return tuple([attnOut, out([...lead, ...perHead, tgtLen, srcLen], q.dtype)]);
  },
  macs: torchinfoMacs('inner', mhaParams),
  paramShapes: mhaParamShapes,
  equivalents: kerasEquivalent('MultiHeadAttention(num_heads, key_dim=embed_dim // num_heads)  # call(query, value, key); batch-major; separate per-head q/k/v kernels'),
});
