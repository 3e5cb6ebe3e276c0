// DL102: NLLLoss / KLDivLoss take log-probabilities; and log(softmax(x)) underflows to
// -inf where log_softmax(x) is exact.

import type { Node } from '../../python/ast';
import type { Rule } from '../types';
import { lossClassOf, lossInput, modelEndsIn, resolveArg, scoreLayerCall, SCORE_LAYERS, SOFTMAX_LAYER, softmaxCall } from './dl1-shared';

const LOG_FNS = new Set(['torch.log', 'tensorflow.math.log', 'tensorflow.log', 'keras.ops.log']);
const TF_SOFTMAX: Record<string, string> = { 'tensorflow.nn.softmax': 'log_softmax', 'tensorflow.math.softmax': 'log_softmax', 'keras.ops.softmax': 'log_softmax' };

export const dl102: Rule = {
  meta: {
    code: 'DL102',
    name: 'log-probability-input-misuse',
    frameworks: ['pytorch', 'tensorflow', 'keras'],
    severity: 'warning',
    fix: 'yes',
    needs: ['softmax', 'Softmax', 'NLLLoss', 'nll_loss', 'KLDivLoss', 'kl_div'],
    docs: '`NLLLoss` and `KLDivLoss` expect log-probabilities; passing probabilities computes a meaningless loss. Layout-only methods on the input (`.view`, `.reshape`, `.flatten` ...) are looked through. This includes the output of a model that provably ends in a softmax or in a `Linear` / `Conv` layer (a module class of the file whose `forward` returns it on every return, directly or as the output of a submodule that does, or an `nn.Sequential` ending in it). Separately, `log(softmax(x))` (also through a name assigned once from a softmax, or of the output of a model that provably ends in a softmax) returns `-inf` once a probability underflows; `log_softmax(x)` computes the same value stably. The fix rewrites `torch.log(F.softmax(x, dim=d))` (and `.softmax().log()`, `tf.math.log(tf.nn.softmax(x))`) into the matching `log_softmax` call.',
  },
  check(ctx) {
    const facts = ctx.facts;
    /** `log` of the output of a model that provably ends in a softmax (DL101's case (b)): reported, no fix. */
    const reportModelSoftmaxLog = (n: Node, value: Node, what: string): boolean => {
      const m = modelEndsIn(value, facts, facts.contextAt(facts.ancestorsOf(n)), softmaxCall, SOFTMAX_LAYER);
      if (!m) return false;
      ctx.report({
        node: n,
        message: `${what} is the output of ${m.model}, which ends in a softmax (line ${m.activation.line + 1}); its log underflows to -inf once a probability is 0. End the model in log_softmax (or use CrossEntropyLoss on the logits).`,
        related: [{ message: 'softmax here', range: ctx.rangeOf(m.activation) }],
      });
      return true;
    };
    ctx.walk((n, anc) => {
      if (n.t !== 'Call') return;
      const lc = facts.contextAt(anc);
      // (1) NLL / KL-div on probabilities.
      const loss = lossClassOf(n, facts, lc);
      if (loss === 'NLLLoss' || loss === 'KLDivLoss') {
        const input = lossInput(n);
        if (input) {
          const { value, viaName } = resolveArg(input, facts, lc, n);
          if (softmaxCall(value, facts, lc)) {
            ctx.report({
              node: input,
              message: `${loss} expects log-probabilities but gets a softmax${viaName ? ` (line ${value.line + 1})` : ''}; use log_softmax instead.`,
            });
          } else {
            // The output of a model that provably ends in a softmax, or in a layer giving raw scores.
            const sm = modelEndsIn(value, facts, lc, softmaxCall, SOFTMAX_LAYER);
            const raw = sm ? undefined : modelEndsIn(value, facts, lc, scoreLayerCall, SCORE_LAYERS);
            const m = sm ?? raw;
            if (m) {
              ctx.report({
                node: input,
                message: `${loss} expects log-probabilities but '${facts.textOf(input)}' is the output of ${m.model}, which ends in ${sm ? 'a softmax' : 'a layer with raw scores'} (line ${m.activation.line + 1}); end the model in log_softmax, or use CrossEntropyLoss on the logits.`,
                related: [{ message: sm ? 'softmax applied here' : 'the model ends here', range: ctx.rangeOf(m.activation) }],
              });
            }
          }
        }
        return;
      }
      // (2) log(softmax(x)).
      let inner: Node | undefined;
      const q = facts.qualifiedName(n.fn);
      if (q && LOG_FNS.has(q) && n.args.length === 1 && n.args[0].kind === 'pos') inner = n.args[0].value;
      else if (!q && n.fn.t === 'Attr' && n.fn.attr === 'log' && n.args.length === 0) inner = n.fn.obj;
      if (inner && inner.t === 'Name') {
        // A name assigned once from a softmax (`p = F.softmax(x, 1)` ... `p.log()`): no fix, the softmax may serve elsewhere.
        const { value, viaName } = resolveArg(inner, facts, lc, n);
        if (viaName && softmaxCall(value, facts, lc)) {
          ctx.report({
            node: n,
            message: `'${inner.id}' holds a softmax (line ${value.line + 1}); its log underflows to -inf once a probability is 0. Compute log_softmax on the logits instead.`,
            related: [{ message: 'softmax computed here', range: ctx.rangeOf(value) }],
          });
        } else if (viaName) reportModelSoftmaxLog(n, value, `'${inner.id}'`);
        return;
      }
      if (!inner || inner.t !== 'Call') return;
      const iq = facts.qualifiedName(inner.fn);
      if (!softmaxCall(inner, facts, lc) && !(iq && iq in TF_SOFTMAX)) {
        // `torch.log(model(x))` of a model that ends in a softmax: the same log∘softmax.
        if (reportModelSoftmaxLog(n, inner, `'${facts.textOf(inner)}'`)) return;
      }
      const innerQ = facts.qualifiedName(inner.fn);
      const isTorchSoftmax = !!softmaxCall(inner, facts, lc) && inner.fn.t === 'Attr' && inner.fn.attr === 'softmax';
      const isTfSoftmax = !!innerQ && innerQ in TF_SOFTMAX && inner.fn.t === 'Attr';
      if (!isTorchSoftmax && !isTfSoftmax) {
        if (softmaxCall(inner, facts, lc)) ctx.report({ node: n, message: 'log(softmax(x)) underflows to -inf; use log_softmax(x), which computes the same value stably.' });
        return;
      }
      const attr = inner.fn.t === 'Attr' ? inner.fn : undefined;
      if (!attr) return;
      // Same call with the attribute renamed: F.softmax -> F.log_softmax, x.softmax -> x.log_softmax.
      const start = facts.offsetOf(inner.line, inner.col);
      const attrStart = facts.offsetOf(attr.attrPos.line, attr.attrPos.col);
      const attrEnd = facts.offsetOf(attr.attrPos.endLine, attr.attrPos.endCol);
      const end = facts.offsetOf(inner.endLine, inner.endCol);
      const replacement = facts.text.slice(start, attrStart) + 'log_softmax' + facts.text.slice(attrEnd, end);
      ctx.report({
        node: n,
        message: 'log(softmax(x)) underflows to -inf once a probability is 0; use log_softmax(x), which computes the same value stably.',
        fix: { title: 'Use log_softmax', edits: [{ range: ctx.rangeOf(n), newText: replacement }] },
      });
    }, ['Call']);
  },
};
