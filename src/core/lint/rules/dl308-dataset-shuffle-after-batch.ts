// DL308: `shuffle` after `batch` in a tf.data pipeline shuffles whole batches (the same
// examples stay together every epoch); `repeat` before `shuffle` blurs epoch boundaries.

import type { Node, NodeOf } from '../../python/ast';
import type { Rule } from '../types';
import { argOf, methodName, methodRange, receiver, scopesOf, walkLocal } from './shared-ast';
import { datasetOps } from './shared-tf';

const BATCHING = new Set(['batch', 'padded_batch', 'ragged_batch']);

export const dl308: Rule = {
  meta: {
    code: 'DL308',
    name: 'dataset-shuffle-after-batch',
    frameworks: ['tensorflow'],
    severity: 'warning',
    docs:
      '`shuffle` placed after `batch` shuffles whole batches, so every batch holds the same examples epoch after epoch; ' +
      'shuffle examples first, then batch. A shuffle that a later `batch` groups again (sequences cut from a stream by a first ' +
      '`batch`, then shuffled and batched) is not reported, nor is a shuffle of batches whose examples an earlier `shuffle` ' +
      '(with `reshuffle_each_iteration` left True and no `cache()` after it) already reshuffles every epoch. `repeat()` before `shuffle` also mixes examples across epoch boundaries.',
    fix: 'no',
    needs: ['shuffle'],
  },
  check(ctx) {
    for (const scope of scopesOf(ctx)) {
      // A shuffle that a later batch groups again shuffles examples that are sequences cut
      // by the first batch (`ids.batch(seq_len + 1)...shuffle(n).batch(64)`): no pitfall.
      const rebatched = new Set<Node>();
      walkLocal(scope.body, (n) => {
        if (n.t !== 'Call' || !BATCHING.has(methodName(n) ?? '')) return;
        for (const op of datasetOps(ctx, scope, receiver(n), n.line) ?? []) if (op.name === 'shuffle') rebatched.add(op.call);
      });
      walkLocal(scope.body, (n) => {
        if (n.t !== 'Call' || methodName(n) !== 'shuffle') return;
        const before = datasetOps(ctx, scope, receiver(n), n.line);
        if (!before) return;
        // The state after the last op that could change batching.
        let batched: string | undefined;
        let repeated = false;
        // Examples shuffled anew every epoch before they were batched: the batches differ each epoch.
        let reshuffled = false;
        for (const op of before) {
          if (BATCHING.has(op.name)) batched = op.name;
          else if (op.name === 'unbatch' || op.name === 'flat_map' || op.name === 'interleave' || op.name === 'apply' || op.name === 'rebatch' || op.name === 'window') batched = undefined;
          if (op.name === 'repeat') repeated = true;
          if (op.name === 'shuffle' && !batched && reshufflesEachEpoch(op.call)) reshuffled = true;
          // cache() replays the first epoch's order in every later one.
          if (op.name === 'cache') reshuffled = false;
        }
        if (batched && !rebatched.has(n) && !reshuffled) {
          ctx.report({ range: methodRange(ctx, n), message: `\`shuffle\` after \`${batched}\` shuffles whole batches: each batch keeps the same examples every epoch. Shuffle before batching.` });
        } else if (repeated && !batched) {
          ctx.report({ range: methodRange(ctx, n), severity: 'information', message: '`repeat()` before `shuffle` mixes examples across epoch boundaries (some examples appear twice before others once). Shuffle before repeating.' });
        }
      });
    }
  },
};

/** `shuffle(...)` reshuffles every epoch unless `reshuffle_each_iteration` is a literal False. */
function reshufflesEachEpoch(call: NodeOf<'Call'>): boolean {
  const v = argOf(call, 'reshuffle_each_iteration', 2);
  return !(v && v.t === 'Const' && v.v === false);
}
