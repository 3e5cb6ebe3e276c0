// DL504: a seeded script whose DataLoader workers run a dataset that draws from
// np.random / random in __getitem__, with no worker_init_fn: the workers' augmentation
// streams are not controlled by the seed (and identical across workers before torch 1.9).

import type { Node } from '../../python/ast';
import type { Rule } from '../types';
import { type ClassDef, argOf, kwArg, nameOf, numOf, scopesOf, valueBefore, walkAll, walkLocal } from './shared-ast';
import { seedingCalls } from './shared-repro';

export const dl504: Rule = {
  meta: {
    code: 'DL504',
    name: 'dataloader-worker-seeding',
    frameworks: ['pytorch'],
    severity: 'information',
    docs:
      'With `num_workers > 0`, random augmentation drawn from NumPy / `random` in a Dataset is reproducible only with a `worker_init_fn` that ' +
      'seeds each worker (and a seeded `generator`); before PyTorch 1.9 every worker even produced the same NumPy "random" numbers.',
    fix: 'no',
    needs: ['DataLoader'],
  },
  check(ctx) {
    if (!seedingCalls(ctx).length) return;
    for (const scope of scopesOf(ctx)) {
      walkLocal(scope.body, (n) => {
        if (n.t !== 'Call' || ctx.qualifiedName(n.fn) !== 'torch.utils.data.DataLoader') return;
        if (kwArg(n, 'worker_init_fn') || n.args.some((a) => a.kind === 'dstar')) return;
        const workers = numOf(kwArg(n, 'num_workers'));
        if (workers === undefined || workers <= 0) return;
        const ds = argOf(n, 'dataset', 0);
        const cls = datasetClass(ctx, scope, ds, n.line);
        if (!cls) return;
        const getitem = cls.body.find((s): s is Extract<Node, { t: 'FunctionDef' }> => s.t === 'FunctionDef' && s.name === '__getitem__');
        if (!getitem) return;
        let random = false;
        walkAll(getitem.body, (x) => {
          if (x.t === 'Call' && /^(numpy\.random\.|random\.)/.test(ctx.qualifiedName(x.fn) ?? '')) random = true;
        });
        if (!random) return;
        ctx.report({
          node: n,
          message: `\`${cls.name}.__getitem__\` draws from NumPy/random in ${workers} worker processes, but the DataLoader has no worker_init_fn: the augmentation is not reproducible from the seed (and identical across workers before PyTorch 1.9). Seed each worker in a worker_init_fn and pass a seeded generator.`,
        });
      });
    }
  },
};

function datasetClass(ctx: Parameters<Rule['check']>[0], scope: Parameters<typeof valueBefore>[1], ds: Node | undefined, line: number): ClassDef | undefined {
  let v = ds;
  const n = nameOf(ds);
  if (n) v = valueBefore(ctx, scope, n, line);
  if (!v || v.t !== 'Call' || v.fn.t !== 'Name') return undefined;
  const id = v.fn.id;
  return ctx.module.body.find((s): s is ClassDef => s.t === 'ClassDef' && s.name === id);
}
