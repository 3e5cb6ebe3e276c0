// torch.nn embedding layers: Embedding looks indices up ((*) -> (*, embedding_dim)) and
// EmbeddingBag reduces bags of indices ((B, N) or 1-D input with offsets -> (B, dim)).

import { UNKNOWN_DIM, formatShape, subDims } from '../../../shapes/dim';
import type { LayerArgs, LayerSpec, ParamDef } from '../../spec';
import { ShapeError, out } from '../../spec';
import { FACTORY_KWARGS, bindForward, countParams, defineLayer, inputAt, kerasEquivalent, optionalTensor } from './common';

const tableParams = (a: LayerArgs) => countParams([a.dim('num_embeddings'), a.dim('embedding_dim')]);

export const Embedding: LayerSpec = defineLayer({
  name: 'Embedding',
  signature: [
    { name: 'num_embeddings' },
    { name: 'embedding_dim' },
    { name: 'padding_idx', default: null },
    { name: 'max_norm', default: null },
    { name: 'norm_type', default: 2.0 },
    { name: 'scale_grad_by_freq', default: false },
    { name: 'sparse', default: false },
    { name: '_weight', default: null },
    ...FACTORY_KWARGS,
  ],
  doc: 'Lookup table of num_embeddings vectors: integer indices (*) -> (*, embedding_dim).',
  params: tableParams,
  paramFormula: 'num_embeddings·embedding_dim',
  forward(a, inputs) {
    // The dtype of the indices is not checked: the evaluator's dtypes are a best guess.
    const t = inputAt(inputs);
    return out([...t.shape, a.dim('embedding_dim')], 'float32');
  },
  paramShapes: (a) => ({ weight: [a.dim('num_embeddings'), a.dim('embedding_dim')] }),
  equivalents: kerasEquivalent('Embedding(input_dim=num_embeddings, output_dim=embedding_dim, mask_zero=padding_idx == 0)'),
});

const BAG_FORWARD: ParamDef[] = [{ name: 'input' }, { name: 'offsets', default: null }, { name: 'per_sample_weights', default: null }];

export const EmbeddingBag: LayerSpec = defineLayer({
  name: 'EmbeddingBag',
  signature: [
    { name: 'num_embeddings' },
    { name: 'embedding_dim' },
    { name: 'max_norm', default: null },
    { name: 'norm_type', default: 2.0 },
    { name: 'scale_grad_by_freq', default: false },
    { name: 'mode', default: 'mean' },
    { name: 'sparse', default: false },
    { name: '_weight', default: null },
    { name: 'include_last_offset', default: false },
    { name: 'padding_idx', default: null },
    ...FACTORY_KWARGS,
  ],
  doc: "Sums / averages / maxes (mode) the embeddings of each bag: (B, N) indices, or 1-D indices with offsets, -> (B, embedding_dim).",
  params: tableParams,
  paramFormula: 'num_embeddings·embedding_dim',
  forward(a, inputs, kwargs) {
    const t = inputAt(inputs);
    const fa = bindForward('EmbeddingBag', BAG_FORWARD, inputs, kwargs);
    const offsets = optionalTensor(fa.raw('offsets'));
    const dim = a.dim('embedding_dim');
    if (t.shape.length === 2) {
      if (offsets !== undefined) throw new ShapeError('EmbeddingBag: offsets must be None when the input is 2-D (B, N)', 'DL406', { layer: 'EmbeddingBag' });
      return out([t.shape[0], dim], 'float32');
    }
    if (t.shape.length === 1) {
      if (offsets === undefined) throw new ShapeError('EmbeddingBag: a 1-D input needs offsets (the start of each bag)', 'DL406', { layer: 'EmbeddingBag' });
      if (offsets === null) return out([UNKNOWN_DIM, dim], 'float32');
      if (offsets.shape.length !== 1) throw new ShapeError(`EmbeddingBag: offsets must be 1-D, but got ${formatShape(offsets.shape)}`, 'DL406', { layer: 'EmbeddingBag' });
      const bags = a.bool('include_last_offset') ? subDims(offsets.shape[0], 1) : offsets.shape[0];
      return out([bags, dim], 'float32');
    }
    throw new ShapeError(`EmbeddingBag expects a 1-D (with offsets) or 2-D (B, N) input, but got ${formatShape(t.shape)}`, 'DL406', { layer: 'EmbeddingBag', input: t.shape });
  },
  paramShapes: (a) => ({ weight: [a.dim('num_embeddings'), a.dim('embedding_dim')] }),
});
