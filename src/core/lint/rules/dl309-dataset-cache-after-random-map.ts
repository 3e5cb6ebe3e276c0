// DL309: `cache()` after a `map` with random augmentation stores the first epoch's random
// results and replays them in every later epoch.

import type { Node } from '../../python/ast';
import type { LintContext, Rule } from '../types';
import { type Scope, argOf, methodName, methodRange, receiver, scopesOf, walkAll, walkLocal } from './shared-ast';
import { datasetOps } from './shared-tf';

const RANDOM = /^(tensorflow\.random\.(?!stateless_|set_seed)|tensorflow\.image\.random_|numpy\.random\.|random\.|keras\.layers\.Random)/;

export const dl309: Rule = {
  meta: {
    code: 'DL309',
    name: 'dataset-cache-after-random-map',
    frameworks: ['tensorflow'],
    severity: 'warning',
    docs:
      '`cache()` stores what the pipeline produced in the first epoch, so random augmentation mapped before it is computed once and replayed ' +
      'unchanged in every later epoch. Cache before the random `map`.',
    fix: 'no',
    needs: ['cache'],
  },
  check(ctx) {
    for (const scope of scopesOf(ctx)) {
      walkLocal(scope.body, (n) => {
        if (n.t !== 'Call' || methodName(n) !== 'cache') return;
        const before = datasetOps(ctx, scope, receiver(n), n.line);
        if (!before) return;
        const randomMap = before.find((op) => op.name === 'map' && isRandomFn(ctx, scope, argOf(op.call, 'map_func', 0)));
        if (!randomMap) return;
        ctx.report({
          range: methodRange(ctx, n),
          message: '`cache()` after a random augmentation `map`: the augmented examples of the first epoch are replayed unchanged in every epoch. Move `cache()` before the random map.',
          related: [{ message: 'random map', range: ctx.rangeOf(randomMap.call) }],
        });
      });
    }
  },
};

function isRandomFn(ctx: LintContext, scope: Scope, f: Node | undefined): boolean {
  if (!f) return false;
  let body: Node[] | undefined;
  if (f.t === 'Lambda') body = [f.body];
  else if (f.t === 'Name') {
    const def = [...ctx.module.body, ...scope.body].find((s) => s.t === 'FunctionDef' && s.name === f.id);
    if (def && def.t === 'FunctionDef') body = def.body;
  }
  if (!body) return false;
  let random = false;
  walkAll(body, (x) => {
    if (x.t !== 'Call') return;
    const q = ctx.qualifiedName(x.fn);
    if (!q || !RANDOM.test(q)) return;
    random = true;
  });
  return random;
}
