// DL116: `x.to(device)`, `x.float()`, `ds.batch(32)` as statements: they return a new
// object and the statement throws it away.

import type { Rule } from '../types';

const TENSOR_OUT_OF_PLACE = new Set(['to', 'cuda', 'cpu', 'float', 'double', 'half', 'bfloat16', 'long', 'int', 'bool', 'type', 'detach', 'clone', 'contiguous',
  'reshape', 'view', 'squeeze', 'unsqueeze', 'permute', 'transpose', 'flatten']);
/** Methods that only tensors have (and that return a new tensor): reported even when the receiver's kind is unknown. */
const TENSOR_ONLY = new Set(['detach', 'unsqueeze', 'permute', 'contiguous']);
/**
 * Array-shape methods the catalogue names for unknown receivers: pure on every library that has them
 * (torch, NumPy, pandas), so a bare call is a lost result whatever the receiver. `view` needs arguments
 * (a shape or dtype) to be the tensor method.
 */
const SHAPE_ONLY = new Set(['reshape', 'view', 'squeeze']);
/** Device moves: a bare `x.to(device)` is the bug this rule exists for, even at the end of a notebook cell. */
const DEVICE_MOVES = new Set(['to', 'cuda', 'cpu']);
/** A cell marker of a notebook kept as a script: Jupytext / VS Code `# %%`, nbconvert `# In[3]:`. */
const CELL_MARKER = /^#\s*(%%|In\[\s*\d*\s*\]:)/;

/**
 * True when the statement ending on `endLine` (0-based) is the last one of a cell in a script with
 * cell markers: only blank lines and comments follow it before the next marker or the end of the file.
 * Notebooks display a cell's last expression, so its value is not thrown away there.
 */
function endsCell(lines: readonly string[], endLine: number): boolean {
  if (!lines.some((l) => CELL_MARKER.test(l))) return false;
  for (let i = endLine + 1; i < lines.length; i++) {
    const l = lines[i].trim();
    if (CELL_MARKER.test(l)) return true;
    if (l && !l.startsWith('#')) return false;
  }
  return true;
}

const DATASET_OUT_OF_PLACE = new Set(['batch', 'shuffle', 'map', 'filter', 'repeat', 'prefetch', 'cache', 'take', 'skip', 'padded_batch', 'unbatch', 'apply', 'with_options']);

export const dl116: Rule = {
  meta: {
    code: 'DL116',
    name: 'non-inplace-result-discarded',
    frameworks: ['pytorch', 'tensorflow'],
    severity: 'error',
    fix: 'yes',
    needs: [
      'to', 'cuda', 'cpu', 'float', 'double', 'half', 'bfloat16', 'long', 'int', 'bool', 'type', 'detach', 'clone', 'contiguous', 'reshape', 'view',
      'squeeze', 'unsqueeze', 'permute', 'transpose', 'flatten', 'batch', 'shuffle', 'map', 'filter', 'repeat', 'prefetch', 'cache', 'take', 'skip',
      'padded_batch', 'unbatch', 'apply', 'with_options',
    ],
    scoped: true,
    docs: '`Tensor.to()`, `.cuda()`, `.float()`, `.detach()` and every `tf.data.Dataset` transformation return a new object; as a bare statement they do nothing, so the batch stays on the CPU (device-mismatch crash) or `fit` receives an unbatched dataset. Error when the receiver is proved a tensor (or is an item, `batch["x"]`, of one; target of a loop over a DataLoader with the default collate or a `collate_fn` of this file that returns tensors, tensor factory, model output) or a dataset; `nn.Module.to/.cuda/.float` are in place and never reported. With an unknown receiver only tensor-only and array-shape methods (`detach`, `unsqueeze`, `permute`, `contiguous`, `reshape`, `view(...)`, `squeeze`) are reported, as a warning, in files that import torch. Not reported: a tensor method other than `to`/`cuda`/`cpu` as the last statement of a `# %%` / `# In[ ]:` cell of a notebook kept as a script (the notebook displays that value). The fix assigns the result back: `x = x.to(...)`.',
  },
  check(ctx) {
    const facts = ctx.facts;
    const usesTorch = [...facts.imports.values()].some((p) => p === 'torch' || p.startsWith('torch.'));
    ctx.walk((n, anc) => {
      if (n.t !== 'Expr' || n.value.t !== 'Call' || n.value.fn.t !== 'Attr') return;
      const call = n.value;
      const fn = n.value.fn;
      const recv = fn.obj;
      if (facts.qualifiedName(recv)) return;
      const lc = facts.contextAt(anc);
      let kind = facts.kindOf(recv, lc).kind;
      // `batch["x"].to(device)`, `t[0].float()`: an item of a tensor, or of a batch the default
      // collate built (tensors, or containers of them: only a tensor item has these methods).
      if (kind === 'Unknown' && recv.t === 'Subscript' && facts.kindOf(recv.obj, lc).kind === 'Tensor') kind = 'Tensor';
      let severity: 'error' | 'warning' | undefined;
      let what = '';
      if (kind === 'Tensor' && TENSOR_OUT_OF_PLACE.has(fn.attr)) {
        severity = 'error';
        what = 'a new tensor';
      } else if (kind === 'Dataset' && DATASET_OUT_OF_PLACE.has(fn.attr)) {
        severity = 'error';
        what = 'a new dataset';
      } else if (kind === 'Unknown' && usesTorch && recv.t === 'Name' && (TENSOR_ONLY.has(fn.attr) || (SHAPE_ONLY.has(fn.attr) && (fn.attr !== 'view' || call.args.length > 0)))) {
        severity = 'warning';
        what = 'a new tensor';
      }
      if (!severity) return;
      // `preds.squeeze(-1)` as the last line of a `# %%` cell is the notebook display idiom.
      if (what === 'a new tensor' && !DEVICE_MOVES.has(fn.attr) && anc.length === 0 && endsCell(ctx.lines, n.endLine)) return;
      const assignable = recv.t === 'Name' || (recv.t === 'Attr' && /^[\w.]+$/.test(facts.textOf(recv)));
      const r = facts.textOf(recv);
      ctx.report({
        node: call,
        severity,
        message: `${r}.${fn.attr}() returns ${what}; as a statement the result is thrown away and ${r} is unchanged. Assign it: ${r} = ${r}.${fn.attr}(...).`,
        fix: assignable ? { title: `Assign the result to ${r}`, edits: [{ range: { line: n.line, character: n.col, endLine: n.line, endCharacter: n.col }, newText: `${r} = ` }] } : undefined,
      });
    }, ['Expr']);
  },
};
