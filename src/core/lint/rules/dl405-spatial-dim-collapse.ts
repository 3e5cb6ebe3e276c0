// DL405: a convolution or pooling shrinks a spatial size to zero or below (the kernel
// does not fit the padded input): "Kernel size can't be greater than actual input size".

import type { Rule } from '../types';
import { reportShapeDiagnostics, shortCall } from './dl4-shared';

export const dl405: Rule = {
  meta: {
    code: 'DL405',
    name: 'spatial-dim-collapse',
    frameworks: ['pytorch', 'keras'],
    severity: 'error',
    docs:
      'Each unpadded convolution and each pooling shrinks the feature map; once a spatial size reaches zero or below the ' +
      'layer fails ("Negative dimension size caused by subtracting 3 from 1"). Pad, pool less, or feed a larger input.',
    fix: 'no',
  },
  check(ctx) {
    reportShapeDiagnostics(ctx, 'DL405', (d, def) => ({ message: def ? `${shortCall(ctx, def)}: ${d.message.replace(/^\w+: /, '')}` : d.message }));
  },
};
