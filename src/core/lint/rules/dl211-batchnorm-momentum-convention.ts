// DL211: BatchNorm momentum written in the other framework's convention (Keras keeps
// `momentum` of the history; PyTorch gives `momentum` to the new batch).

import type { Rule } from '../types';
import { argOf, constNumber, numOf, pyNumber, replaceEdit } from './shared-ast';

const KERAS_BN = new Set(['keras.layers.BatchNormalization', 'tensorflow.compat.v1.layers.batch_normalization', 'tensorflow.compat.v1.layers.BatchNormalization']);
const TORCH_BN = new Set(['torch.nn.BatchNorm1d', 'torch.nn.BatchNorm2d', 'torch.nn.BatchNorm3d', 'torch.nn.SyncBatchNorm']);

export const dl211: Rule = {
  meta: {
    code: 'DL211',
    name: 'batchnorm-momentum-convention',
    frameworks: ['keras', 'pytorch'],
    severity: 'warning',
    docs:
      'Keras `momentum` m is the weight of the running average (default 0.99); PyTorch `momentum` is the weight of the new batch ' +
      '(default 0.1): Keras m equals PyTorch 1 - m. A Keras momentum below 0.5 or a PyTorch one above 0.5 is usually a value copied across frameworks.',
    fix: 'offered',
    needs: ['BatchNormalization', 'batch_normalization', 'BatchNorm1d', 'BatchNorm2d', 'BatchNorm3d', 'SyncBatchNorm', 'batch_norm'],
    scoped: true,
  },
  check(ctx) {
    ctx.walk((n, anc) => {
      if (n.t !== 'Call') return;
      const q = ctx.qualifiedName(n.fn) ?? '';
      let mom;
      let keras = false;
      if (KERAS_BN.has(q)) {
        keras = true;
        mom = argOf(n, 'momentum', q === 'keras.layers.BatchNormalization' ? 1 : -1);
      } else if (TORCH_BN.has(q)) mom = argOf(n, 'momentum', 2);
      else if (q === 'torch.nn.functional.batch_norm') mom = argOf(n, 'momentum', 6);
      else return;
      // A literal, or a module constant (`BN_MOMENTUM = 0.9`).
      const v = constNumber(ctx, mom, ctx.facts.contextAt(anc).fn);
      if (v === undefined || !mom) return;
      if (keras ? v >= 0.5 : v <= 0.5) return;
      const other = pyNumber(1 - v);
      ctx.report({
        node: mom,
        message: keras
          ? `Keras BatchNormalization momentum=${v} keeps only ${Math.round(v * 100)}% of the running statistics per step (PyTorch convention?). The Keras equivalent of PyTorch momentum ${v} is ${other}.`
          : `PyTorch BatchNorm momentum=${v} gives the new batch ${Math.round(v * 100)}% weight (Keras convention?). The PyTorch equivalent of Keras momentum ${v} is ${other}.`,
        // The literal is replaced in place; a constant may be shared, so it is left to the author.
        fix: numOf(mom) !== undefined ? { title: `Use momentum=${other}`, edits: [replaceEdit(mom, other)] } : undefined,
      });
    }, ['Call']);
  },
};
