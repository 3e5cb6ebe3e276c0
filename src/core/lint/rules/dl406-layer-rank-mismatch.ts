// DL406: a layer receives an input of a rank (or layout) it does not accept: BatchNorm1d
// on a 4-D map, Keras LSTM on a 2-D tensor. Also the home of shape errors no more specific
// rule claims (the analysis files those under DL406).

import type { ModelSummary } from '../../summary/types';
import type { Fix, Rule } from '../types';
import { reportShapeDiagnostics, shortCall } from './dl4-shared';
import { replaceEdit } from './shared-ast';
import type { Call } from './shared-ast';

export const dl406: Rule = {
  meta: {
    code: 'DL406',
    name: 'layer-rank-mismatch',
    frameworks: ['pytorch', 'keras'],
    severity: 'error',
    docs:
      'Layers accept only certain input ranks (BatchNorm1d 2-D/3-D, BatchNorm2d 4-D, Keras Conv2D 4-D, LSTM 3-D); ' +
      'a wrong-rank input raises "expected 4D input (got 3D input)" or "expected ndim=3, found ndim=2".',
    fix: 'offered',
  },
  check(ctx) {
    // With no input shape, a model whose first layer is a Linear / Embedding gets a guessed
    // 2-D input; its real rank may be higher, so rank errors found on that guess prove
    // nothing. Another model of the file with a known input (an example call, a directive)
    // still proves the errors its own layers show.
    const guessed = (m: ModelSummary) => m.inputSource === 'symbolic' && m.inputShapes.some((s) => s.length <= 2);
    const models = ctx.analysis.models;
    const proved = models.some(guessed)
      ? new Set(models.filter((m) => !guessed(m)).flatMap((m) => m.layers.filter((r) => r.error && r.note).map((r) => r.note)))
      : undefined;
    reportShapeDiagnostics(ctx, 'DL406', (d, def) => {
      if (proved && !proved.has(d.message)) return undefined;
      const who = def ? shortCall(ctx, def) : undefined;
      const body = d.message;
      return { message: who && !body.startsWith(who.split('(')[0]) ? `${who}: ${body}` : body, fix: def ? batchNormFix(d.message, def) : undefined };
    });
  },
};

/** BatchNorm{n}d fed a tensor of rank r: the BatchNorm of that rank keeps the same num_features. */
function batchNormFix(message: string, def: Call): Fix | undefined {
  const m = /^BatchNorm([123])d expects .* but got a (\d)-D input/.exec(message);
  if (!m || def.fn.t !== 'Attr') return undefined;
  const rank = Number(m[2]);
  const n = rank === 2 || rank === 3 ? 1 : rank - 2;
  if (n < 1 || n > 3 || String(n) === m[1]) return undefined;
  const fn = def.fn;
  return {
    title: `Use BatchNorm${n}d for a ${rank}-D input`,
    edits: [replaceEdit(fn.attrPos, `BatchNorm${n}d`)],
    safe: false,
  };
}
