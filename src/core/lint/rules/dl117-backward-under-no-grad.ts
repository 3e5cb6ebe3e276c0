// DL117: backward() on a loss computed under no_grad / inference_mode (no graph: a
// RuntimeError), and the `loss.requires_grad = True` "fix" that hides it.

import type { Rule } from '../types';
import { lossClassOf } from './dl1-shared';

export const dl117: Rule = {
  meta: {
    code: 'DL117',
    name: 'backward-under-no-grad',
    frameworks: ['pytorch'],
    severity: 'error',
    fix: 'no',
    needs: ['backward', 'requires_grad', 'requires_grad_'],
    docs: 'A loss computed inside `torch.no_grad()` / `inference_mode()` has no graph, so `backward()` raises `element 0 of tensors does not require grad`; setting `loss.requires_grad = True` silences the error but no parameter gets a gradient. Error for `.backward()` inside such a context or on a name whose only assignment in the function lies inside one; warning for `requires_grad = True` / `requires_grad_()` on a name bound to a loss call. No automatic fix: the computation must move out of the no-grad block.',
  },
  check(ctx) {
    const facts = ctx.facts;
    ctx.walk((n, anc) => {
      if (n.t === 'Call' && n.fn.t === 'Attr' && n.fn.attr === 'backward') {
        const lc = facts.contextAt(anc);
        if (lc.noGrad) {
          ctx.report({ node: n, message: 'backward() inside a no-grad context: nothing was recorded, so it raises "element 0 of tensors does not require grad". Compute the loss outside torch.no_grad().' });
          return;
        }
        const recv = n.fn.obj;
        if (recv.t !== 'Name') return;
        const b = facts.soleBinding(recv.id, lc.fn);
        if (!b || b.how !== 'assign' || b.stmt.line >= n.line) return;
        if (facts.contextOf(b.stmt).noGrad) {
          ctx.report({
            node: n,
            message: `'${recv.id}' was computed under a no-grad context (line ${b.stmt.line + 1}): it has no graph, so backward() raises (or, with requires_grad forced on, trains nothing). Compute it outside torch.no_grad().`,
            related: [{ message: 'computed here without a graph', range: ctx.rangeOf(b.stmt) }],
          });
        }
        return;
      }
      // loss.requires_grad = True / loss.requires_grad_()
      let target: string | undefined;
      let node = n;
      if (n.t === 'Assign' && n.targets.length === 1 && n.targets[0].t === 'Attr' && n.targets[0].attr === 'requires_grad' && n.targets[0].obj.t === 'Name'
        && n.value.t === 'Const' && n.value.v === true) target = n.targets[0].obj.id;
      else if (n.t === 'Call' && n.fn.t === 'Attr' && n.fn.attr === 'requires_grad_' && n.fn.obj.t === 'Name'
        && !(n.args[0] && n.args[0].value.t === 'Const' && n.args[0].value.v === false)) {
        target = n.fn.obj.id;
        node = n;
      }
      if (!target) return;
      const lc = facts.contextAt(anc);
      const b = facts.soleBinding(target, lc.fn);
      if (!b || b.how !== 'assign' || !b.value || b.value.t !== 'Call' || !lossClassOf(b.value, facts, lc)) return;
      ctx.report({
        node,
        severity: 'warning',
        message: `Forcing requires_grad on the loss '${target}' hides a missing graph: the error goes away but no parameter receives a gradient.`,
      });
    }, ['Call', 'Assign']);
  },
};
