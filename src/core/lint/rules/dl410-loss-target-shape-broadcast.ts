// DL410: a loss whose target shape differs from the prediction's. MSE / L1 / SmoothL1 /
// Huber broadcast (N, 1) against (N,) into an (N, N) matrix after a mere warning (silently
// wrong); the BCE losses and CrossEntropy / NLL raise. Only when both shapes are known.

import type { Fix, LintContext, Rule } from '../types';
import type { Range } from '../../summary/types';
import { callAt, reportShapeDiagnostics, shortCall } from './dl4-shared';
import { oneHotTarget } from './dl202-label-encoding-loss-mismatch';

export const dl410: Rule = {
  meta: {
    code: 'DL410',
    name: 'loss-target-shape-broadcast',
    frameworks: ['pytorch'],
    severity: 'warning',
    docs:
      'Element-wise losses broadcast mismatched shapes: predictions (N, 1) against targets (N,) become an (N, N) difference ' +
      'matrix, so the loss is silently wrong (PyTorch only warns); BCELoss / BCEWithLogitsLoss raise instead.',
    fix: 'offered',
  },
  check(ctx) {
    reportShapeDiagnostics(ctx, 'DL410', (d, def) => {
      // An integer one-hot target of a cross entropy is DL202's (the label encoding).
      const at = /multi-target not supported/.test(d.message) ? callAt(ctx, d.range) : undefined;
      if (at) {
        const fn = ctx.facts.contextAt(at.ancestors).fn;
        if (oneHotTarget(ctx, { body: fn ? fn.body : ctx.module.body, fn }, at.call)) return undefined;
      }
      const silent = /silently broadcasts/.test(d.message);
      const shapes = /target (\[[^\]]*\]) differs from the input (\[[^\]]*\])/.exec(d.message);
      // The loss module's constructor, its name, or a functional loss (`torch.nn.functional.mse_loss: ...`).
      const fn = /^torch\.nn\.functional\.(\w+):/.exec(d.message)?.[1];
      const who = def ? shortCall(ctx, def) : fn ? `F.${fn}` : (/^(\w+):/.exec(d.message)?.[1] ?? 'the loss');
      return {
        message: `${who}: ${d.message.replace(/^[\w.]+: /, '')}`,
        severity: silent ? 'warning' : 'error',
        fix: shapes ? squeezeFix(ctx, d.range, shapes[2], shapes[1]) : undefined,
      };
    });
  },
};

/** The prediction has an extra trailing axis of size 1 that the target lacks: `pred.squeeze(-1)`. */
function squeezeFix(ctx: LintContext, range: Range, input: string, target: string): Fix | undefined {
  const ins = input.slice(1, -1).split(', ');
  const tgt = target === '[]' ? [] : target.slice(1, -1).split(', ');
  if (ins.length !== tgt.length + 1 || ins[ins.length - 1] !== '1' || ins.slice(0, -1).join() !== tgt.join()) return undefined;
  const call = callAt(ctx, range)?.call;
  const first = call?.args[0];
  if (!first || first.kind !== 'pos' || !['Name', 'Call', 'Attr', 'Subscript'].includes(first.value.t)) return undefined;
  const v = first.value;
  const at = { line: v.endLine, character: v.endCol, endLine: v.endLine, endCharacter: v.endCol };
  return { title: 'Squeeze the trailing size-1 axis of the prediction', edits: [{ range: at, newText: '.squeeze(-1)' }] };
}

