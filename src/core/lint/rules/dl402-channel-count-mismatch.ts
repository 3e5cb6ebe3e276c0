// DL402: a convolution's in_channels, a norm layer's num_features / num_channels /
// normalized_shape, or a groups count that does not fit the channels flowing in.

import type { Rule } from '../types';
import { parseArgMismatch, reportShapeDiagnostics, setArgFix, shortCall } from './dl4-shared';

export const dl402: Rule = {
  meta: {
    code: 'DL402',
    name: 'channel-count-mismatch',
    frameworks: ['pytorch', 'keras'],
    severity: 'error',
    docs:
      "A convolution's in_channels, a norm layer's num_features / num_channels / normalized_shape, or a groups value " +
      'that does not match the channels actually flowing in raises at run time ("expected input to have 64 channels, but got 32").',
    fix: 'offered',
  },
  check(ctx) {
    reportShapeDiagnostics(ctx, 'DL402', (d, def) => {
      const mm = parseArgMismatch(d.message);
      if (!mm) return { message: d.message };
      const who = def ? shortCall(ctx, def) : mm.layer;
      return {
        message: `${who} expects ${mm.arg}=${mm.expected} but receives ${mm.actual} channels; set ${mm.arg}=${mm.actual} or fix the layer before it.`,
        fix: setArgFix(ctx, d, mm),
        atDefinition: true,
      };
    });
  },
};
