// DL401: a Linear / Bilinear (or RNN input_size, attention embed_dim) whose feature size
// differs from the last dim it receives: `mat1 and mat2 shapes cannot be multiplied`.
// Found by shape propagation, also with no input shape given (the symbolic input keeps
// the first layer's features concrete).

import type { Rule } from '../types';
import { parseArgMismatch, reportShapeDiagnostics, setArgFix, shortCall } from './dl4-shared';

export const dl401: Rule = {
  meta: {
    code: 'DL401',
    name: 'dense-in-features-mismatch',
    frameworks: ['pytorch'],
    severity: 'error',
    docs:
      'A Linear layer whose in_features differs from the size of the last axis it receives crashes with ' +
      '"mat1 and mat2 shapes cannot be multiplied", often after a refactor changed an earlier width. ' +
      'The same holds for Bilinear, the input_size of RNN layers and the embed_dim / kdim / vdim of MultiheadAttention.',
    fix: 'offered',
  },
  check(ctx) {
    reportShapeDiagnostics(ctx, 'DL401', (d, def) => {
      const mm = parseArgMismatch(d.message);
      if (!mm) return { message: d.message };
      const who = def ? shortCall(ctx, def) : mm.layer;
      return {
        message: `${who} expects ${mm.arg}=${mm.expected} but receives ${mm.actual} features (the last dim of its input); set ${mm.arg}=${mm.actual} or fix the layer before it.`,
        fix: setArgFix(ctx, d, mm),
        atDefinition: true,
      };
    });
  },
};
