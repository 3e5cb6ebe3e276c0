// DL101: probabilities fed to a cross-entropy loss, which applies log-softmax itself
// (softmax twice: squashed loss, vanishing gradients).

import type { Node } from '../../python/ast';
import type { Rule } from '../types';
import { lossClassOf, lossInput, modelEndsIn, replaceFix, resolveArg, SOFTMAX_LAYER, softmaxCall } from './dl1-shared';

export const dl101: Rule = {
  meta: {
    code: 'DL101',
    name: 'softmax-before-cross-entropy',
    frameworks: ['pytorch'],
    severity: 'error',
    fix: 'yes',
    needs: ['CrossEntropyLoss', 'cross_entropy'],
    docs: '`nn.CrossEntropyLoss` / `F.cross_entropy` apply log-softmax internally; feeding them a softmax result applies softmax twice, so the loss is squashed into a narrow range and training stalls. Pass the raw logits; apply softmax only for reporting. Fires when the loss input is a softmax call written inline or held in a name assigned once from one in the same function (or at top level, loops included), layout-only methods (`.view`, `.reshape`, `.flatten`, `.float()` ...) looked through, and when it is the output of a model that provably ends in a softmax (a module class of the file whose `forward` returns a softmax on every return, or an `nn.Sequential` whose last layer is `nn.Softmax`), or of a helper of the file (a function, or a method of the same class called on `self`) that returns a softmax on every return. The fix replaces an inline softmax by its input; the softmax inside a model is left to you (inference code may use it), and the message says where it is.',
  },
  check(ctx) {
    const facts = ctx.facts;
    const atSoftmax = new Set<Node>();
    ctx.walk((n, anc) => {
      if (n.t !== 'Call') return;
      const lc = facts.contextAt(anc);
      if (lossClassOf(n, facts, lc) !== 'CrossEntropyLoss') return;
      const input = lossInput(n);
      if (!input) return;
      const { value, viaName } = resolveArg(input, facts, lc, n);
      const sm = softmaxCall(value, facts, lc);
      if (!sm) {
        // (b) The output of a model that ends in a softmax: no fix (inference code may rely on it).
        const m = modelEndsIn(value, facts, lc, softmaxCall, SOFTMAX_LAYER);
        if (m) {
          ctx.report({
            node: input,
            message: `'${facts.textOf(input)}' is the output of ${m.model}, which ends in a softmax (line ${m.activation.line + 1}); cross-entropy applies log-softmax itself, so softmax is applied twice. Return the logits from the model and apply softmax where you predict.`,
            related: [{ message: 'softmax applied here', range: ctx.rangeOf(m.activation) }],
          });
          // (b) is reported at the softmax too, once, where the change is made.
          if (!atSoftmax.has(m.activation)) {
            atSoftmax.add(m.activation);
            ctx.report({
              node: m.activation,
              message: `${m.model[0].toUpperCase()}${m.model.slice(1)} ends in this softmax, and its output goes to cross-entropy (line ${n.line + 1}), which applies log-softmax itself: softmax is applied twice. Return the logits and apply softmax where you predict.`,
              related: [{ message: 'cross-entropy called here', range: ctx.rangeOf(n) }],
            });
          }
        }
        return;
      }
      ctx.report({
        node: input,
        message: viaName
          ? `'${facts.textOf(input)}' holds a softmax (line ${value.line + 1}); cross-entropy applies log-softmax itself, so softmax is applied twice. Pass the logits.`
          : 'Softmax before cross-entropy: the loss applies log-softmax itself, so softmax is applied twice. Pass the logits.',
        related: viaName ? [{ message: 'softmax computed here', range: ctx.rangeOf(value) }] : undefined,
        fix: viaName ? undefined : replaceFix(ctx, 'Pass the logits (drop the softmax)', sm.call, facts.textOf(sm.input)),
      });
    }, ['Call']);
  },
};
