// DL118: `t.require_grad = True` (typo) creates an unrelated attribute; autograd never
// tracks the tensor.

import type { Rule } from '../types';

const TYPOS = new Set(['require_grad', 'requires_grads', 'require_grads', 'requires_gradient', 'require_gradient', 'requires_grad_ ', 'requieres_grad', 'requires_gard']);

export const dl118: Rule = {
  meta: {
    code: 'DL118',
    name: 'requires-grad-typo',
    frameworks: ['pytorch'],
    severity: 'error',
    fix: 'yes',
    needs: ['require_grad', 'requires_grads', 'require_grads', 'requires_gradient', 'require_gradient', 'requieres_grad', 'requires_gard'],
    docs: '`t.require_grad = True` (missing "s") creates an unrelated Python attribute: autograd never tracks the tensor and its gradient stays `None`. Fires on assignments to `require_grad`, `requires_grads`, `require_grads`, `requires_gradient` and similar misspellings. The fix renames the attribute to `requires_grad`.',
  },
  check(ctx) {
    ctx.walk((n) => {
      if (n.t !== 'Assign' && n.t !== 'AugAssign' && n.t !== 'AnnAssign') return;
      const targets = n.t === 'Assign' ? n.targets : [n.target];
      for (const t of targets) {
        if (t.t !== 'Attr' || !TYPOS.has(t.attr)) continue;
        ctx.report({
          range: ctx.rangeOf(t.attrPos),
          message: `'${t.attr}' is not a tensor attribute (typo of 'requires_grad'): autograd ignores it.`,
          fix: { title: 'Rename to requires_grad', edits: [{ range: ctx.rangeOf(t.attrPos), newText: 'requires_grad' }] },
        });
      }
    }, ['Assign', 'AugAssign', 'AnnAssign']);
  },
};
