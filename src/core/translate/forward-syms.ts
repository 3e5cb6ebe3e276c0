// The values the forward() printer works with: a Keras tensor (the generated variable,
// the tensor torch would hold there and the layout the Keras variable keeps it in), a
// plain Python value known from the model instance, a tuple of those, or something that
// has no Keras counterpart (attention weights, LSTM states) and becomes a TODO when used.

import type { TensorV, Value } from '../eval/values';

/** 'cl': the Keras tensor is the torch tensor permuted channels-last; 'same': identical axes. */
export type Layout = 'cl' | 'same';

export interface KerasTensorSym {
  k: 'kt';
  v: string;
  /** The tensor torch holds at this point (channels-first shape). */
  t: TensorV;
  layout: Layout;
  /** Index of the generated line of a recurrent layer with return_sequences=True that produced it. */
  rnnLine?: number;
  /** Index of the generated line of a global pool with keepdims=True that produced it. */
  gapLine?: number;
  /** A final state of the recurrent layer on this line: its variable is bound when first used (ForwardPrinter.materialize). */
  stateLine?: number;
}
export interface PySym { k: 'py'; v: Value }
/**
 * A tuple or (`list: true`, mutable in place by append / extend / pop) a list holding Keras
 * tensors; `stacked`: a torch tensor whose leading axis (before the batch) is unstacked into
 * the items (an RNN's h_n, qkv after permute(2, 0, ...)).
 */
export interface TupleSym { k: 'tup'; items: Sym[]; list?: boolean; stacked?: TensorV }
export interface MissingSym { k: 'na'; why: string }
/** A tensor method looked up on a Keras tensor (`x.view`) or on a module parameter (`self.cls_token.expand`), waiting for its call. */
export interface MethodSym { k: 'method'; recv: KerasTensorSym | PySym | TupleSym; name: string; fn: Value }

export type Sym = KerasTensorSym | PySym | TupleSym | MissingSym | MethodSym;

export const py = (v: Value): PySym => ({ k: 'py', v });
