// Reproducibility facts for DL503-DL505: seeding calls, training calls and entry points.

import type { Node } from '../../python/ast';
import type { LintContext } from '../types';
import { type Call, methodName, nameOf, receiver, scopesOf, valueBefore, walkAll, walkLocal } from './shared-ast';
import { isKerasModelExpr } from './shared-keras';

const SEEDERS = new Set([
  'torch.manual_seed', 'torch.cuda.manual_seed', 'torch.cuda.manual_seed_all', 'torch.random.manual_seed', 'tensorflow.random.set_seed',
  'tensorflow.set_random_seed', 'tensorflow.compat.v1.set_random_seed', 'keras.utils.set_random_seed', 'numpy.random.seed', 'random.seed',
  'lightning.seed_everything', 'pytorch_lightning.seed_everything', 'lightning.pytorch.seed_everything', 'transformers.set_seed',
  'accelerate.utils.set_seed', 'keras.backend.set_random_seed',
]);

/** Seeding calls of the file: the known seeders, and any call whose callee name mentions "seed" (project helpers). */
export function seedingCalls(ctx: LintContext): Call[] {
  const out: Call[] = [];
  walkAll(ctx.module.body, (n) => {
    if (n.t !== 'Call') return;
    const q = ctx.qualifiedName(n.fn);
    if (q && SEEDERS.has(q)) out.push(n);
    else {
      const last = n.fn.t === 'Name' ? n.fn.id : n.fn.t === 'Attr' ? n.fn.attr : '';
      if (/seed/i.test(last)) out.push(n);
    }
  }, ['Call']);
  return out;
}

/** Whether the file runs as a script: a `__main__` guard. */
export function hasMainGuard(ctx: LintContext): boolean {
  return ctx.module.body.some((s) => s.t === 'If' && s.test.t === 'Compare' && s.test.operands.some((o) => o.t === 'Name' && o.id === '__name__') && s.test.operands.some((o) => o.t === 'Str' && o.v === '__main__'));
}

/** Training calls of the file in source order: `.backward()`, `apply_gradients`, and fit/train_on_batch on a Keras model value. */
export function trainingCalls(ctx: LintContext): Call[] {
  const out: Call[] = [];
  for (const scope of scopesOf(ctx)) {
    walkLocal(scope.body, (n: Node) => {
      if (n.t !== 'Call') return;
      const m = methodName(n);
      if (m === 'backward' && n.args.length <= 1) {
        if (ctx.imports.size && [...ctx.imports.values()].some((p) => p === 'torch' || p.startsWith('torch.'))) out.push(n);
      } else if (m === 'apply_gradients') out.push(n);
      else if (m === 'fit' || m === 'train_on_batch') {
        const r = nameOf(receiver(n));
        if (r && isKerasModelExpr(ctx, valueBefore(ctx, scope, r, n.line))) out.push(n);
      }
    });
  }
  return out.sort((a, b) => a.line - b.line || a.col - b.col);
}
