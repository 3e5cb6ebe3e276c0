// DL404: a hard-coded flattened size (`16 * 5 * 5`) computed for one input resolution:
// the Linear after a Flatten gets another per-sample size, or a reshape / Unflatten /
// Fold cannot produce the sizes it was written for.

import type { Rule } from '../types';
import { parseArgMismatch, reportShapeDiagnostics, setArgFix, shortCall } from './dl4-shared';

export const dl404: Rule = {
  meta: {
    code: 'DL404',
    name: 'flatten-size-mismatch',
    frameworks: ['pytorch', 'keras'],
    severity: 'error',
    docs:
      'A flattened size written as a constant (16 * 5 * 5) only holds for one input resolution; with another the Linear ' +
      'after the Flatten crashes, or a reshape cannot produce the sizes it names. Compute it from the input or use nn.LazyLinear.',
    fix: 'offered',
  },
  check(ctx) {
    reportShapeDiagnostics(ctx, 'DL404', (d, def) => {
      const mm = parseArgMismatch(d.message);
      if (!mm) return { message: d.message };
      const who = def ? shortCall(ctx, def) : mm.layer;
      const from = /\(the flattened size of ([^:]+):/.exec(d.message)?.[1];
      return {
        message: `${who} expects ${mm.arg}=${mm.expected} but the flattened input has ${mm.actual} features${from ? ` (from ${from})` : ''}; use ${mm.actual}, or nn.LazyLinear.`,
        fix: setArgFix(ctx, d, mm),
        atDefinition: true,
      };
    });
  },
};
