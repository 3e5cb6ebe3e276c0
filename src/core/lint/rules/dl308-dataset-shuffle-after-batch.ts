// DL308: `shuffle` after `batch` in a tf.data pipeline shuffles whole batches (the same
// examples stay together every epoch); `repeat` before `shuffle` blurs epoch boundaries.

import type { Rule } from '../types';
import { methodName, receiver, scopesOf, walkLocal } from './shared-ast';
import { datasetOps } from './shared-tf';

export const dl308: Rule = {
  meta: {
    code: 'DL308',
    name: 'dataset-shuffle-after-batch',
    frameworks: ['tensorflow'],
    severity: 'warning',
    docs:
      '`shuffle` placed after `batch` shuffles whole batches, so every batch holds the same examples epoch after epoch; ' +
      'shuffle examples first, then batch. `repeat()` before `shuffle` also mixes examples across epoch boundaries.',
    fix: 'no',
    needs: ['shuffle'],
  },
  check(ctx) {
    for (const scope of scopesOf(ctx)) {
      walkLocal(scope.body, (n) => {
        if (n.t !== 'Call' || methodName(n) !== 'shuffle') return;
        const before = datasetOps(ctx, scope, receiver(n), n.line);
        if (!before) return;
        // The state after the last op that could change batching.
        let batched: string | undefined;
        let repeated = false;
        for (const op of before) {
          if (op.name === 'batch' || op.name === 'padded_batch' || op.name === 'ragged_batch') batched = op.name;
          else if (op.name === 'unbatch' || op.name === 'flat_map' || op.name === 'interleave' || op.name === 'apply' || op.name === 'rebatch' || op.name === 'window') batched = undefined;
          if (op.name === 'repeat') repeated = true;
        }
        if (batched) {
          ctx.report({ node: n, message: `\`shuffle\` after \`${batched}\` shuffles whole batches: each batch keeps the same examples every epoch. Shuffle before batching.` });
        } else if (repeated) {
          ctx.report({ node: n, severity: 'information', message: '`repeat()` before `shuffle` mixes examples across epoch boundaries (some examples appear twice before others once). Shuffle before repeating.' });
        }
      });
    }
  },
};
