// DL101: probabilities fed to a cross-entropy loss, which applies log-softmax itself
// (softmax twice: squashed loss, vanishing gradients).

import type { Node } from '../../python/ast';
import { type LexicalContext, type LintFacts, walkScope } from '../facts';
import type { Rule } from '../types';
import { lossClassOf, lossInput, replaceFix, resolveArg, softmaxCall } from './dl1-shared';

/**
 * The softmax that ends a model when the call's output provably is one: a module class of
 * this file whose `forward` returns a softmax call on every return (and ends with one), or an
 * `nn.Sequential` whose last layer is `nn.Softmax`. Returns the softmax expression and the model's name.
 */
function modelSoftmax(call: Node, facts: LintFacts, lc: LexicalContext): { softmax: Node; model: string } | undefined {
  if (call.t !== 'Call') return undefined;
  const k = facts.kindOf(call.fn, lc);
  if (k.kind !== 'Module' || !k.ctor) return undefined;
  if (k.ctor === 'torch.nn.Sequential') {
    if (!k.call || k.call.args.some((a) => a.kind !== 'pos')) return undefined;
    const last = k.call.args[k.call.args.length - 1]?.value;
    return last && last.t === 'Call' && facts.qualifiedName(last.fn) === 'torch.nn.Softmax' ? { softmax: last, model: 'the nn.Sequential' } : undefined;
  }
  const cls = facts.classNamed(k.ctor);
  if (!cls || !facts.isTorchModuleClass(cls)) return undefined;
  const forward = facts.methodsOf(cls).find((m) => m.name === 'forward');
  const end = forward?.body[forward.body.length - 1];
  if (!forward || !end || end.t !== 'Return' || !end.value) return undefined;
  const fc: LexicalContext = { noGrad: false, gradientTape: false, tfFunction: false, compiled: false, fn: forward, cls };
  let every = true;
  walkScope(forward.body, (n) => {
    if (n.t === 'Return' && !(n.value && softmaxCall(n.value, facts, fc))) every = false;
  });
  return every ? { softmax: end.value, model: `${cls.name}.forward` } : undefined;
}

export const dl101: Rule = {
  meta: {
    code: 'DL101',
    name: 'softmax-before-cross-entropy',
    frameworks: ['pytorch'],
    severity: 'error',
    fix: 'yes',
    needs: ['CrossEntropyLoss', 'cross_entropy'],
    docs: '`nn.CrossEntropyLoss` / `F.cross_entropy` apply log-softmax internally; feeding them a softmax result applies softmax twice, so the loss is squashed into a narrow range and training stalls. Pass the raw logits; apply softmax only for reporting. Fires when the loss input is a softmax call written inline or held in a name assigned once from one in the same function, and when it is the output of a model that provably ends in a softmax (a module class of the file whose `forward` returns a softmax on every return, or an `nn.Sequential` whose last layer is `nn.Softmax`). The fix replaces an inline softmax by its input; the softmax inside a model is left to you (inference code may use it), and the message says where it is.',
  },
  check(ctx) {
    const facts = ctx.facts;
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
        const m = modelSoftmax(value, facts, lc);
        if (m) {
          ctx.report({
            node: input,
            message: `'${facts.textOf(input)}' is the output of ${m.model}, which ends in a softmax (line ${m.softmax.line + 1}); cross-entropy applies log-softmax itself, so softmax is applied twice. Return the logits from the model and apply softmax where you predict.`,
            related: [{ message: 'softmax applied here', range: ctx.rangeOf(m.softmax) }],
          });
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
