// DL103: a sigmoid in front of BCEWithLogitsLoss (sigmoid applied twice), or sigmoid +
// BCELoss where the fused, stable BCEWithLogitsLoss fits.

import type { Rule } from '../types';
import { lossClassOf, lossInput, replaceFix, resolveArg, sigmoidCall } from './dl1-shared';

export const dl103: Rule = {
  meta: {
    code: 'DL103',
    name: 'bce-logits-mismatch',
    frameworks: ['pytorch'],
    severity: 'error',
    fix: 'yes',
    needs: ['BCEWithLogitsLoss', 'BCELoss', 'binary_cross_entropy_with_logits', 'binary_cross_entropy'],
    docs: '`BCEWithLogitsLoss` applies the sigmoid itself: a sigmoid in front of it squashes the inputs into (0.5, 0.73) and the model barely learns (error; the fix drops an inline sigmoid). `BCELoss` on a sigmoid result works but is numerically weaker than `BCEWithLogitsLoss` on the logits (information).',
  },
  check(ctx) {
    const facts = ctx.facts;
    ctx.walk((n, anc) => {
      if (n.t !== 'Call') return;
      const lc = facts.contextAt(anc);
      const loss = lossClassOf(n, facts, lc);
      if (loss !== 'BCEWithLogitsLoss' && loss !== 'BCELoss') return;
      const input = lossInput(n);
      if (!input) return;
      const { value, viaName } = resolveArg(input, facts, lc, n);
      const sg = sigmoidCall(value, facts, lc);
      if (!sg) return;
      if (loss === 'BCEWithLogitsLoss') {
        ctx.report({
          node: input,
          message: `Sigmoid before BCEWithLogitsLoss${viaName ? ` ('${facts.textOf(input)}', line ${value.line + 1})` : ''}: the loss applies the sigmoid itself, so it is applied twice. Pass the logits.`,
          fix: viaName ? undefined : replaceFix(ctx, 'Pass the logits (drop the sigmoid)', sg.call, facts.textOf(sg.input)),
        });
      } else {
        ctx.report({
          node: input,
          severity: 'information',
          message: 'Sigmoid + BCELoss: prefer BCEWithLogitsLoss on the logits (fused and numerically stable).',
        });
      }
    }, ['Call']);
  },
};
