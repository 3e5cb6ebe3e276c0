// DL115: .view() on the result of transpose / permute / expand: non-contiguous, so view
// raises "view size is not compatible with input tensor's size and stride".

import type { Node } from '../../python/ast';
import type { Rule } from '../types';

const NON_CONTIG_METHODS = new Set(['transpose', 'permute', 't', 'swapaxes', 'swapdims', 'movedim', 'moveaxis', 'expand', 'expand_as']);
const NON_CONTIG_ATTRS = new Set(['T', 'mT', 'mH', 'H']);

function nonContiguousSource(e: Node): string | undefined {
  if (e.t === 'Call' && e.fn.t === 'Attr' && NON_CONTIG_METHODS.has(e.fn.attr)) return e.fn.attr;
  if (e.t === 'Attr' && NON_CONTIG_ATTRS.has(e.attr)) return e.attr;
  return undefined;
}

export const dl115: Rule = {
  meta: {
    code: 'DL115',
    name: 'view-on-non-contiguous',
    frameworks: ['pytorch'],
    severity: 'warning',
    fix: 'yes',
    needs: ['view'],
    scoped: true,
    docs: '`transpose`/`permute`/`expand` return non-contiguous views; a following `.view()` that merges the permuted axes raises `RuntimeError: view size is not compatible with input tensor\'s size and stride`. Fires on `.view(...)` applied directly to such a call (or to a name assigned once from one in the same function) with no `.contiguous()` in between, in files that import torch. The fix replaces `.view(` by `.reshape(`, which returns a view whenever `view` would have succeeded.',
  },
  check(ctx) {
    const facts = ctx.facts;
    if (![...facts.imports.values()].some((p) => p === 'torch' || p.startsWith('torch.'))) return;
    ctx.walk((n, anc) => {
      if (n.t !== 'Call' || n.fn.t !== 'Attr' || n.fn.attr !== 'view' || n.args.length === 0) return;
      // x.view(torch.float16) reinterprets dtype, not shape.
      if (n.args.length === 1 && facts.qualifiedName(n.args[0].value)?.startsWith('torch.')) return;
      let src = n.fn.obj;
      let via = '';
      if (src.t === 'Name') {
        const lc = facts.contextAt(anc);
        const b = facts.soleBinding(src.id, lc.fn);
        if (!b || b.how !== 'assign' || !b.value || b.stmt.line >= n.line) return;
        via = ` ('${src.id}', line ${b.stmt.line + 1})`;
        src = b.value;
      }
      const op = nonContiguousSource(src);
      if (!op) return;
      const fn = n.fn;
      ctx.report({
        range: ctx.rangeOf({ line: fn.attrPos.line, col: fn.attrPos.col, endLine: n.endLine, endCol: n.endCol }),
        message: `.view() on the non-contiguous result of .${op}()${via} raises a stride error when it merges the permuted axes; use .reshape() (or .contiguous().view()).`,
        fix: { title: 'Use .reshape()', edits: [{ range: ctx.rangeOf(fn.attrPos), newText: 'reshape' }] },
      });
    }, ['Call']);
  },
};
