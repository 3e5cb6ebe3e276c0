// DL408: a Keras recurrent layer without return_sequences=True returns only its last step,
// so a second recurrent layer (or Conv1D, TimeDistributed) after it gets a 2-D tensor:
// "expected ndim=3, found ndim=2". The fix adds return_sequences=True to the earlier layer.

import type { Node } from '../../python/ast';
import type { Fix, LintContext, Rule } from '../types';
import { callAt, definitionOf, reportShapeDiagnostics, shortCall } from './dl4-shared';
import { type Call, insertArgEdit, kwArg } from './shared-ast';

const RECURRENT = /^(SimpleRNN|LSTM|GRU|ConvLSTM[123]D|Bidirectional)$/;

export const dl408: Rule = {
  meta: {
    code: 'DL408',
    name: 'stacked-rnn-missing-return-sequences',
    frameworks: ['keras'],
    severity: 'error',
    docs:
      'A Keras recurrent layer returns only its last step unless return_sequences=True, so a second recurrent layer ' +
      '(or Conv1D, TimeDistributed) after it receives a 2-D tensor and fails with "expected ndim=3, found ndim=2".',
    fix: 'yes',
  },
  check(ctx) {
    reportShapeDiagnostics(ctx, 'DL408', (d, def) => {
      const rnn = /the ([\w()]+) before it/.exec(d.message)?.[1] ?? 'recurrent layer';
      const who = def ? shortCall(ctx, def) : 'this layer';
      const prev = previousRecurrent(ctx, callAt(ctx, definitionOf(d)));
      return {
        message: `${who} needs a (batch, time, features) input, but the ${rnn} before it returns only its last step (2-D); set return_sequences=True on ${prev ? shortCall(ctx, prev) : `the ${rnn}`}.`,
        fix: prev ? returnSequencesFix(ctx, prev) : undefined,
      };
    });
  },
};

/** In a layer list, the nearest recurrent layer call before the consuming layer. */
function previousRecurrent(ctx: LintContext, found: { call: Call; ancestors: readonly Node[] } | undefined): Call | undefined {
  if (!found) return undefined;
  const parent = found.ancestors[found.ancestors.length - 1];
  if (!parent || (parent.t !== 'List' && parent.t !== 'Tuple')) return undefined;
  const i = parent.elts.indexOf(found.call);
  for (let j = i - 1; j >= 0; j--) {
    const e = parent.elts[j];
    if (e.t !== 'Call') return undefined;
    const cls = ctx.qualifiedName(e.fn)?.split('.').pop() ?? '';
    if (RECURRENT.test(cls)) return e;
  }
  return undefined;
}

function returnSequencesFix(ctx: LintContext, rnn: Call): Fix | undefined {
  if (kwArg(rnn, 'return_sequences')) return undefined;
  const edit = insertArgEdit(ctx, rnn, 'return_sequences=True');
  return edit ? { title: 'Add return_sequences=True to the earlier recurrent layer', edits: [edit] } : undefined;
}
