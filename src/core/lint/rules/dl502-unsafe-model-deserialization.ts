// DL502: pickle / joblib / dill loads, np.load(allow_pickle=True), Keras load_model with
// safe_mode=False, enable_unsafe_deserialization() and trust_remote_code=True all run
// code embedded in the file.

import type { Node, NodeOf } from '../../python/ast';
import type { LintContext, Rule } from '../types';
import { argOf, deleteKwEdit, isConst, kwArg, methodName, strOf } from './shared-ast';

type Call = NodeOf<'Call'>;

const PICKLE_LOADS = /^(pickle|cPickle|_pickle|dill|cloudpickle|joblib)\.(load|loads)$|^pandas\.read_pickle$/;

export const dl502: Rule = {
  meta: {
    code: 'DL502',
    name: 'unsafe-model-deserialization',
    frameworks: ['any'],
    severity: 'warning',
    docs:
      '`pickle`/`joblib`/`dill` loads, `np.load(..., allow_pickle=True)`, Keras `load_model(..., safe_mode=False)`, ' +
      '`keras.config.enable_unsafe_deserialization()` and `from_pretrained(..., trust_remote_code=True)` execute code embedded in the file: load only trusted artefacts. ' +
      'Information only when the file writes what it loads: a pickle load in a file that also pickles, an `np.load` or `load_model` of a literal path the file saves with `np.save`/`np.savez` or `model.save`.',
    fix: 'offered',
    needs: ['load', 'loads', 'read_pickle', 'load_model', 'enable_unsafe_deserialization', 'from_pretrained'],
  },
  check(ctx) {
    // A file that also dumps with the same library most likely reads back its own artefacts.
    let dumps = false;
    // Literal paths this file writes itself with np.save / np.savez / model.save / keras save_model:
    // loading one of them back reads the file's own artefact.
    const written = new Set<string>();
    ctx.walk((n, anc) => {
      if (n.t !== 'Call') return;
      const q = ctx.qualifiedName(n.fn) ?? '';
      if (/^(pickle|cPickle|_pickle|dill|cloudpickle|joblib)\.(dump|dumps)$/.test(q)) dumps = true;
      const np = /^numpy\.(save|savez|savez_compressed)$/.exec(q);
      if (np) {
        const p = literalPath(ctx, argOf(n, 'file', 0), anc);
        // np.save adds `.npy`, np.savez `.npz`, to a path without it.
        const ext = np[1] === 'save' ? '.npy' : '.npz';
        if (p !== undefined) written.add(p.endsWith(ext) ? p : p + ext);
      } else if (q === 'keras.models.save_model' || q === 'keras.saving.save_model') {
        const p = literalPath(ctx, argOf(n, 'filepath', 1), anc);
        if (p !== undefined) written.add(p);
      } else if (!q && methodName(n) === 'save') {
        const p = literalPath(ctx, argOf(n, 'filepath', 0), anc);
        if (p !== undefined) written.add(p);
      }
    }, ['Call']);
    const ownFile = (n: Call, kw: string, anc: readonly Node[]): boolean => {
      const p = literalPath(ctx, argOf(n, kw, 0), anc);
      return p !== undefined && written.has(p);
    };
    ctx.walk((n, anc) => {
      if (n.t !== 'Call') return;
      const q = ctx.qualifiedName(n.fn) ?? '';
      if (PICKLE_LOADS.test(q)) {
        ctx.report({ node: n, severity: dumps ? 'information' : undefined, message: `\`${q}\` executes code embedded in the data: load only files you produced yourself (and verify them, e.g. a pinned hash).` });
        return;
      }
      if (q === 'numpy.load' && isConst(kwArg(n, 'allow_pickle'), true)) {
        const e = deleteKwEdit(ctx, n, 'allow_pickle');
        ctx.report({ node: kwArg(n, 'allow_pickle')!, severity: ownFile(n, 'file', anc) ? 'information' : undefined, message: '`np.load(..., allow_pickle=True)` unpickles object arrays, which can execute code from the file.', fix: e ? { title: 'Remove allow_pickle=True', edits: [e] } : undefined });
        return;
      }
      if ((q === 'keras.models.load_model' || q === 'keras.saving.load_model') && isConst(kwArg(n, 'safe_mode'), false)) {
        const e = deleteKwEdit(ctx, n, 'safe_mode');
        ctx.report({ node: kwArg(n, 'safe_mode')!, severity: ownFile(n, 'filepath', anc) ? 'information' : undefined, message: '`safe_mode=False` lets Keras deserialise Lambda bytecode: a crafted model file can run code.', fix: e ? { title: 'Remove safe_mode=False', edits: [e] } : undefined });
        return;
      }
      if (q === 'keras.config.enable_unsafe_deserialization') {
        ctx.report({ node: n, message: '`enable_unsafe_deserialization()` turns Keras safe mode off globally: every later load_model can run embedded code.' });
        return;
      }
      if (methodName(n) === 'from_pretrained' && q.startsWith('transformers.') && isConst(kwArg(n, 'trust_remote_code'), true)) {
        ctx.report({ node: kwArg(n, 'trust_remote_code')!, message: '`trust_remote_code=True` downloads and runs Python code from the model repository.' });
      }
    }, ['Call']);
  },
};

/** A path given as a string literal, or as a module-level name bound once to one (and not rebound in the enclosing function). */
function literalPath(ctx: LintContext, n: Node | undefined, ancestors: readonly Node[]): string | undefined {
  if (!n) return undefined;
  if (n.t === 'Name') {
    const fn = ctx.facts.contextAt(ancestors).fn;
    if (fn && ctx.facts.bindingsOf(fn).has(n.id)) return undefined;
    const b = ctx.facts.soleBinding(n.id, undefined);
    return b && b.how === 'assign' ? strOf(b.value) : undefined;
  }
  return strOf(n);
}
