// DL103: a sigmoid in front of BCEWithLogitsLoss (sigmoid applied twice), or sigmoid +
// BCELoss where the fused, stable BCEWithLogitsLoss fits.

import type { Rule } from '../types';
import { lossClassOf, lossInput, modelEndsIn, replaceFix, resolveArg, scoreLayerCall, SCORE_LAYERS, SIGMOID_LAYER, sigmoidCall } from './dl1-shared';

export const dl103: Rule = {
  meta: {
    code: 'DL103',
    name: 'bce-logits-mismatch',
    frameworks: ['pytorch'],
    severity: 'error',
    fix: 'yes',
    needs: ['BCEWithLogitsLoss', 'BCELoss', 'binary_cross_entropy_with_logits', 'binary_cross_entropy'],
    docs: '`BCEWithLogitsLoss` applies the sigmoid itself: a sigmoid in front of it squashes the inputs into (0.5, 0.73) and the model barely learns (error; the fix drops an inline sigmoid). It also looks at the output of a model that provably ends one way (a module class of the file whose `forward` returns it on every return, directly or as the output of a submodule that does, or an `nn.Sequential` ending in it, or a helper of the file — a function, or a method called on `self` — returning it on every return): ending in a sigmoid into `BCEWithLogitsLoss` (error), or in a `Linear` / `Conv` layer with no sigmoid into `BCELoss`, which fails on scores outside [0, 1] (error). The model itself is left to you. `BCELoss` on a sigmoid result works but is numerically weaker than `BCEWithLogitsLoss` on the logits (information).',
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
      if (!sg) {
        // The output of a model: one that ends in a sigmoid, into the with-logits loss; one that
        // ends in a Linear / Conv layer (raw scores), into BCELoss. No fix: the model is the user's.
        if (loss === 'BCEWithLogitsLoss') {
          const m = modelEndsIn(value, facts, lc, sigmoidCall, SIGMOID_LAYER);
          if (m) {
            ctx.report({
              node: input,
              message: `'${facts.textOf(input)}' is the output of ${m.model}, which ends in a sigmoid (line ${m.activation.line + 1}); BCEWithLogitsLoss applies the sigmoid itself, so it is applied twice. Return the logits from the model and apply the sigmoid where you predict.`,
              related: [{ message: 'sigmoid applied here', range: ctx.rangeOf(m.activation) }],
            });
          }
        } else {
          const m = modelEndsIn(value, facts, lc, scoreLayerCall, SCORE_LAYERS);
          if (m) {
            ctx.report({
              node: input,
              message: `'${facts.textOf(input)}' is the raw output of ${m.model}, which ends in a layer with no sigmoid after it (line ${m.activation.line + 1}); BCELoss needs probabilities in [0, 1] and fails on scores. Use BCEWithLogitsLoss on these logits.`,
              related: [{ message: 'the model ends here', range: ctx.rangeOf(m.activation) }],
            });
          }
        }
        return;
      }
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
