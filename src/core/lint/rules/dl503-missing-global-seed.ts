// DL503: a training entry point with no seeding call: initialisation, dropout masks and
// data order differ on every run. Reported once, at the first training call.

import type { Node } from '../../python/ast';
import type { LintContext, Rule } from '../types';
import { aliasFor } from './shared-ast';
import { hasMainGuard, seedingCalls, trainingCalls } from './shared-repro';

export const dl503: Rule = {
  meta: {
    code: 'DL503',
    name: 'missing-global-seed',
    frameworks: ['pytorch', 'keras', 'tensorflow'],
    severity: 'information',
    docs:
      'A training script with no fixed seeds gives a different initialisation, dropout masks and data order on every run, so results cannot be ' +
      'reproduced or compared. Seed Python, NumPy and the framework (`torch.manual_seed`, `keras.utils.set_random_seed`, ...).',
    fix: 'offered',
    needs: ['backward', 'apply_gradients', 'fit', 'train_on_batch'],
  },
  check(ctx) {
    const train = trainingCalls(ctx);
    if (!train.length) return;
    // Entry point: a __main__ guard, or a training call at module level.
    const topLevel = train.some((c) => ctx.module.body.some((s) => s.t !== 'FunctionDef' && s.t !== 'ClassDef' && s.t !== 'If' && c.line >= s.line && c.endLine <= s.endLine));
    if (!hasMainGuard(ctx) && !topLevel) return;
    if (seedingCalls(ctx).length) return;
    ctx.report({
      node: train[0],
      message: 'No random seed is set in this training script: weight initialisation, dropout and data order differ on every run. Seed Python, NumPy and the framework once at start-up.',
      fix: seedFix(ctx),
    });
  },
};

function seedFix(ctx: LintContext) {
  const imports = ctx.module.body.filter((s: Node) => s.t === 'Import' || s.t === 'ImportFrom');
  if (!imports.length) return undefined;
  const after = imports[imports.length - 1].endLine + 1;
  const lines: string[] = [];
  const rnd = aliasFor(ctx, 'random');
  const np = aliasFor(ctx, 'numpy');
  const torch = aliasFor(ctx, 'torch');
  const keras = aliasFor(ctx, 'keras');
  const tf = aliasFor(ctx, 'tensorflow');
  if (rnd) lines.push(`${rnd}.seed(0)`);
  if (np) lines.push(`${np}.random.seed(0)`);
  if (torch) lines.push(`${torch}.manual_seed(0)`);
  if (keras) lines.push(`${keras}.utils.set_random_seed(0)`);
  else if (tf) lines.push(`${tf}.random.set_seed(0)`);
  if (!lines.length) return undefined;
  return { title: 'Insert a seeding block after the imports', edits: [{ range: { line: after, character: 0, endLine: after, endCharacter: 0 }, newText: `${lines.join('\n')}\n` }] };
}
