// DL106: a training loop that switches the model to eval() (for validation) and never
// back to train(): the remaining epochs train with dropout off and frozen BatchNorm stats.

import type { Node } from '../../python/ast';
import { walkScope, type FunctionDef } from '../facts';
import type { Rule } from '../types';
import { insertLineFix } from './dl1-shared';

export const dl106: Rule = {
  meta: {
    code: 'DL106',
    name: 'train-eval-mode-toggling',
    frameworks: ['pytorch'],
    severity: 'warning',
    fix: 'yes',
    needs: ['backward'],
    docs: '`Dropout` and `BatchNorm` behave differently in training and evaluation. A training loop that calls `model.eval()` (directly or in a same-file helper, e.g. for validation) but no `model.train()` trains every later epoch in evaluation mode. Fires only when the module put in eval mode is the one whose parameters the optimizer updates and nothing unknown receives the model. The fix inserts `model.train()` as the loop\'s first statement. (The "evaluation function without eval()" variant of the catalogue is not implemented: whether a helper is only called on models already in eval mode cannot be decided from one file.)',
  },
  check(ctx) {
    const facts = ctx.facts;
    ctx.walk((loop, anc) => {
      if (loop.t !== 'For' && loop.t !== 'While') return;
      const fn = [...anc].reverse().find((a): a is FunctionDef => a.t === 'FunctionDef');
      const s = facts.summaryOf(loop, fn);
      if (!s.backward.length || !s.optimizerStep.length || !s.evalCalls.length || s.trainCalls.length) return;
      const lc = facts.contextAt([...anc, loop]);
      for (const ev of s.evalCalls) {
        const recv = facts.textOf(ev.receiver);
        // The module put in eval mode must be the one being optimised.
        const trained = s.optimizerStep.some((o) => {
          const k = facts.kindOf(o.optimizer, lc);
          if (!k.call) return false;
          return new RegExp(`(^|[^\\w.])${recv.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(parameters|named_parameters)\\(`).test(facts.textOf(k.call));
        });
        if (!trained) continue;
        const recvName = ev.receiver.t === 'Name' ? ev.receiver.id : undefined;
        if (recvName && s.opaqueCalls.some((c) => c.argNames.includes(recvName))) continue;
        // Another loop of the same function might switch back before the next epoch: only the loop itself counts.
        let nestedTrain = false;
        walkScope(loop.body, (n: Node) => {
          if (n.t === 'Call' && n.fn.t === 'Attr' && n.fn.attr === 'train') nestedTrain = true;
        }, ['Call']);
        if (nestedTrain) continue;
        const first = loop.body[0];
        ctx.report({
          node: ev.call,
          message: `${recv}.eval() inside the training loop is never undone: later iterations train with dropout off and frozen BatchNorm statistics. Call ${recv}.train() at the start of each epoch.`,
          fix: first && first.line > loop.line ? insertLineFix(ctx, `Insert ${recv}.train() at the start of the loop`, first, `${recv}.train()`) : undefined,
        });
        return;
      }
    }, ['For', 'While']);
  },
};
