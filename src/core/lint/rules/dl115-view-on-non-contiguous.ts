// DL115: .view() on the result of transpose / permute / expand: non-contiguous, so view
// raises "view size is not compatible with input tensor's size and stride".

import type { Node } from '../../python/ast';
import { blocksOf, walkScope } from '../facts';
import type { LintContext, Rule } from '../types';
import { callAt, reportShapeDiagnostics } from './dl4-shared';

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
    docs: '`transpose`/`permute`/`expand` return non-contiguous views; a following `.view()` that merges the permuted axes raises `RuntimeError: view size is not compatible with input tensor\'s size and stride`. Fires on `.view(...)` applied directly to such a call (or to a name assigned once from one in the same function) with no `.contiguous()` in between, in files that import torch. Where the evaluator ran the view with the sizes known, its answer decides: torch\'s own rule for views of strided memory is applied, so a view that only splits dims or keeps the permuted axes apart is not reported, and one that merges them is reported wherever it is written. Without sizes, it stays quiet when the code shows the input\'s rank (`permute` names every dim; `n, hw, c = x.shape`) and the view asks for at least as many dims (it only splits them, which view allows). The fix replaces `.view(` by `.reshape(`, which returns a view whenever `view` would have succeeded.',
  },
  check(ctx) {
    const facts = ctx.facts;
    if (![...facts.imports.values()].some((p) => p === 'torch' || p.startsWith('torch.'))) return;
    // Views the evaluator ran on a known layout and found impossible: torch raises there.
    reportShapeDiagnostics(ctx, 'DL115', (d) => ({
      message: `.view() merges dims that are not adjacent in memory (its input is the result of a transpose, permute or expand): ${d.message.replace(/^Tensor\.view: /, '').replace(/ Use \.reshape\(\.\.\.\) instead\.$/, '')} Use .reshape() (or .contiguous().view()).`,
      fix: reshapeFix(ctx, callAt(ctx, d.range)?.call),
    }));
    ctx.walk((n, anc) => {
      if (n.t !== 'Call' || n.fn.t !== 'Attr' || n.fn.attr !== 'view' || n.args.length === 0) return;
      // Run with its sizes known: fine (not reported), or reported above.
      if (ctx.viewChecks.has(n)) return;
      // x.view(torch.float16) reinterprets dtype, not shape.
      if (n.args.length === 1 && facts.qualifiedName(n.args[0].value)?.startsWith('torch.')) return;
      let src = n.fn.obj;
      let via = '';
      const lc = facts.contextAt(anc);
      if (src.t === 'Name') {
        const b = facts.soleBinding(src.id, lc.fn);
        // A name bound once before, or rebound by the statement just before this one (`out = out.transpose(1, 2)`).
        const value = b && b.how === 'assign' && b.value && b.stmt.line < n.line ? b.value : assignedJustBefore(src.id, anc, facts.module.body);
        if (!value) return;
        via = ` ('${src.id}', line ${value.line + 1})`;
        src = value;
      }
      const op = nonContiguousSource(src);
      if (!op) return;
      // With the input's rank known, a view to at least as many dims splits (or keeps) them
      // and merges nothing: view allows that on a non-contiguous tensor.
      const rank = rankBefore(src, lc.fn ? lc.fn.body : facts.module.body);
      if (rank !== undefined && viewDims(n) >= rank) return;
      const fn = n.fn;
      ctx.report({
        range: ctx.rangeOf({ line: fn.attrPos.line, col: fn.attrPos.col, endLine: n.endLine, endCol: n.endCol }),
        message: `.view() on the non-contiguous result of .${op}()${via} raises a stride error when it merges the permuted axes; use .reshape() (or .contiguous().view()).`,
        fix: reshapeFix(ctx, n),
      });
    }, ['Call']);
  },
};

/** `.view(` to `.reshape(`. */
function reshapeFix(ctx: LintContext, call: Node | undefined) {
  if (!call || call.t !== 'Call' || call.fn.t !== 'Attr' || call.fn.attr !== 'view') return undefined;
  return { title: 'Use .reshape()', edits: [{ range: ctx.rangeOf(call.fn.attrPos), newText: 'reshape' }] };
}

/**
 * The rank of the tensor a transpose / permute was applied to, when the code shows it:
 * `permute` names every dim; a name unpacked from its shape in the same body
 * (`n, hw, c = tokens.shape`, `b, t = x.size()`) has as many dims as targets.
 */
function rankBefore(src: Node, body: readonly Node[]): number | undefined {
  if (src.t !== 'Call' || src.fn.t !== 'Attr') return undefined;
  if (src.fn.attr === 'permute') {
    const only = src.args.length === 1 && src.args[0].kind === 'pos' ? src.args[0].value : undefined;
    if (only && (only.t === 'Tuple' || only.t === 'List')) return only.elts.length;
    return src.args.every((a) => a.kind === 'pos' && a.value.t !== 'Starred') ? src.args.length : undefined;
  }
  const recv = src.fn.obj;
  if (recv.t !== 'Name') return undefined;
  let rank: number | undefined;
  walkScope(body, (st) => {
    if (st.t !== 'Assign' || st.targets.length !== 1) return;
    const t = st.targets[0];
    const v = st.value;
    const ofRecv = (v.t === 'Attr' && v.attr === 'shape' && v.obj.t === 'Name' && v.obj.id === recv.id)
      || (v.t === 'Call' && v.args.length === 0 && v.fn.t === 'Attr' && v.fn.attr === 'size' && v.fn.obj.t === 'Name' && v.fn.obj.id === recv.id);
    if (ofRecv && (t.t === 'Tuple' || t.t === 'List') && t.elts.every((e) => e.t !== 'Starred')) rank = t.elts.length;
  }, ['Assign']);
  return rank;
}

/** The number of dims a view asks for: its arguments, or the items of one tuple / list argument. */
function viewDims(call: Node): number {
  if (call.t !== 'Call') return 0;
  const only = call.args.length === 1 && call.args[0].kind === 'pos' ? call.args[0].value : undefined;
  return only && (only.t === 'Tuple' || only.t === 'List') ? only.elts.length : call.args.length;
}

/** The value `name = <value>` of the statement right before the one holding the node, in the same block. */
function assignedJustBefore(name: string, ancestors: readonly Node[], moduleBody: readonly Node[]): Node | undefined {
  for (let k = ancestors.length - 1; k >= 0; k--) {
    const blocks: ReadonlyArray<readonly Node[]> = k > 0 ? blocksOf(ancestors[k - 1]) : [moduleBody];
    for (const block of blocks) {
      const i = block.indexOf(ancestors[k]);
      if (i < 0) continue;
      const prev = block[i - 1];
      if (prev && prev.t === 'Assign' && prev.targets.length === 1 && prev.targets[0].t === 'Name' && prev.targets[0].id === name) return prev.value;
      return undefined;
    }
  }
  return undefined;
}
