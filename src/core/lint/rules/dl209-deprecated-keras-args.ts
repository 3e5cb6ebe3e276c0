// DL209: `lr=` on a Keras optimizer (ignored by TF 2.11 optimizers, rejected by Keras 3)
// and fit_generator / evaluate_generator / predict_generator (removed in Keras 3).

import type { Rule } from '../types';
import { kwNameRange, methodName, replaceEdit } from './shared-ast';

const GENERATORS: Record<string, string> = { fit_generator: 'fit', evaluate_generator: 'evaluate', predict_generator: 'predict' };

export const dl209: Rule = {
  meta: {
    code: 'DL209',
    name: 'deprecated-keras-args',
    frameworks: ['keras'],
    severity: 'warning',
    docs:
      'The optimizer argument `lr` became `learning_rate` (TF 2.11 optimizers silently ignore `lr`, Keras 3 rejects it); ' +
      '`fit_generator`/`evaluate_generator`/`predict_generator` are deprecated and gone in Keras 3: use `fit`/`evaluate`/`predict`.',
    fix: 'yes',
    needs: ['lr', 'fit_generator', 'evaluate_generator', 'predict_generator'],
  },
  check(ctx) {
    const kerasFile = [...ctx.imports.values()].some((p) => p === 'keras' || p.startsWith('keras.') || p === 'tensorflow');
    ctx.walk((n) => {
      if (n.t !== 'Call') return;
      const q = ctx.qualifiedName(n.fn);
      if (q && q.startsWith('keras.optimizers.')) {
        const r = kwNameRange(ctx, n, 'lr');
        if (r) {
          ctx.report({
            range: { line: r.line, character: r.col, endLine: r.endLine, endCharacter: r.endCol },
            message: '`lr` was renamed `learning_rate`: TF 2.11+ optimizers ignore `lr` (training silently uses the default rate) and Keras 3 rejects it.',
            fix: { title: 'Rename to learning_rate', edits: [replaceEdit(r, 'learning_rate')] },
          });
        }
      }
      const m = methodName(n);
      if (kerasFile && m && GENERATORS[m] && n.fn.t === 'Attr') {
        const ap = n.fn.attrPos;
        ctx.report({
          range: { line: ap.line, character: ap.col, endLine: ap.endLine, endCharacter: ap.endCol },
          message: `\`${m}\` is deprecated (removed in Keras 3): \`${GENERATORS[m]}\` accepts generators and Sequences directly.`,
          fix: { title: `Use ${GENERATORS[m]}`, edits: [replaceEdit(ap, GENERATORS[m])] },
        });
      }
    }, ['Call']);
  },
};
