// DL502: pickle / joblib / dill loads, np.load(allow_pickle=True), Keras load_model with
// safe_mode=False, enable_unsafe_deserialization() and trust_remote_code=True all run
// code embedded in the file.

import type { Rule } from '../types';
import { deleteKwEdit, isConst, kwArg, methodName } from './shared-ast';

const PICKLE_LOADS = /^(pickle|cPickle|_pickle|dill|cloudpickle|joblib)\.(load|loads)$|^pandas\.read_pickle$/;

export const dl502: Rule = {
  meta: {
    code: 'DL502',
    name: 'unsafe-model-deserialization',
    frameworks: ['any'],
    severity: 'warning',
    docs:
      '`pickle`/`joblib`/`dill` loads, `np.load(..., allow_pickle=True)`, Keras `load_model(..., safe_mode=False)`, ' +
      '`keras.config.enable_unsafe_deserialization()` and `from_pretrained(..., trust_remote_code=True)` execute code embedded in the file: load only trusted artefacts.',
    fix: 'offered',
    needs: ['load', 'loads', 'read_pickle', 'load_model', 'enable_unsafe_deserialization', 'from_pretrained'],
  },
  check(ctx) {
    // A file that also dumps with the same library most likely reads back its own artefacts.
    let dumps = false;
    ctx.walk((n) => {
      if (n.t === 'Call' && /^(pickle|cPickle|_pickle|dill|cloudpickle|joblib)\.(dump|dumps)$/.test(ctx.qualifiedName(n.fn) ?? '')) dumps = true;
    }, ['Call']);
    ctx.walk((n) => {
      if (n.t !== 'Call') return;
      const q = ctx.qualifiedName(n.fn) ?? '';
      if (PICKLE_LOADS.test(q)) {
        ctx.report({ node: n, severity: dumps ? 'information' : undefined, message: `\`${q}\` executes code embedded in the data: load only files you produced yourself (and verify them, e.g. a pinned hash).` });
        return;
      }
      if (q === 'numpy.load' && isConst(kwArg(n, 'allow_pickle'), true)) {
        const e = deleteKwEdit(ctx, n, 'allow_pickle');
        ctx.report({ node: kwArg(n, 'allow_pickle')!, message: '`np.load(..., allow_pickle=True)` unpickles object arrays, which can execute code from the file.', fix: e ? { title: 'Remove allow_pickle=True', edits: [e] } : undefined });
        return;
      }
      if ((q === 'keras.models.load_model' || q === 'keras.saving.load_model') && isConst(kwArg(n, 'safe_mode'), false)) {
        const e = deleteKwEdit(ctx, n, 'safe_mode');
        ctx.report({ node: kwArg(n, 'safe_mode')!, message: '`safe_mode=False` lets Keras deserialise Lambda bytecode: a crafted model file can run code.', fix: e ? { title: 'Remove safe_mode=False', edits: [e] } : undefined });
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
