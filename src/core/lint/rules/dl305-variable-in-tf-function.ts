// DL305: tf.Variable created unconditionally inside traced code: "tf.function only
// supports singleton tf.Variables created on the first call".

import type { Rule } from '../types';
import { walkLocal } from './shared-ast';
import { tracedFunctions } from './shared-tf';

export const dl305: Rule = {
  meta: {
    code: 'DL305',
    name: 'variable-in-tf-function',
    frameworks: ['tensorflow'],
    severity: 'error',
    docs:
      'tf.function only supports tf.Variables created once, on the first call: creating one unconditionally in the body raises ' +
      '"ValueError: tf.function only supports singleton tf.Variables created on the first call". Create it outside (module, __init__ or build).',
    fix: 'no',
    needs: ['Variable'],
  },
  check(ctx) {
    for (const t of tracedFunctions(ctx)) {
      if (t.kind !== 'tf.function' && t.kind !== 'keras-method') continue;
      walkLocal(t.fn.body, (n, anc) => {
        if (n.t !== 'Call' || ctx.qualifiedName(n.fn) !== 'tensorflow.Variable') return;
        // Any condition around the creation may be the create-once idiom (`if self.v is None:`).
        if (anc.some((a) => a.t === 'If' || a.t === 'Try' || a.t === 'IfExp' || a.t === 'BoolOp')) return;
        ctx.report({
          node: n,
          message: 'tf.Variable created inside traced code on every trace: TensorFlow raises "tf.function only supports singleton tf.Variables created on the first call". Create it once outside the function (or in __init__/build).',
        });
      });
    }
  },
};
