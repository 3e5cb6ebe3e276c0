// DL120: float16 CUDA autocast in a training function with no GradScaler: small
// gradients underflow to zero and updates are silently lost.

import type { Node } from '../../python/ast';
import { kwArg, walkAll, walkScope, type FunctionDef } from '../facts';
import type { Rule } from '../types';

export const dl120: Rule = {
  meta: {
    code: 'DL120',
    name: 'amp-fp16-without-grad-scaler',
    frameworks: ['pytorch'],
    severity: 'warning',
    fix: 'no',
    needs: ['autocast'],
    docs: 'Under CUDA `autocast` (float16 by default) small gradients underflow to zero unless the loss is scaled: without a `GradScaler` updates are silently lost. Fires on a CUDA autocast block (`torch.autocast("cuda")`, `torch.amp.autocast("cuda")`, `torch.cuda.amp.autocast()`) with no dtype or `float16`, in a function (or loop) that calls `backward()` and `<optimizer>.step()` (an optimizer built in the file, or handed in under a name like `optimizer` / `self.opt`), when the file neither builds a `GradScaler` nor calls `.scale(`. `bfloat16` and CPU autocast are exempt; a device given by a variable stays quiet. Information: `backward()` inside the autocast block. The GradScaler boilerplate is a change to review, not an automatic fix.',
  },
  check(ctx) {
    const facts = ctx.facts;
    let hasScaler = false;
    walkAll(facts.module.body, (n) => {
      if (n.t !== 'Call') return;
      const q = facts.qualifiedName(n.fn);
      if (q && /GradScaler$/.test(q)) hasScaler = true;
      if (n.fn.t === 'Attr' && n.fn.attr === 'scale') hasScaler = true;
    }, ['Call']);
    let usesAutocast = false;
    const calledUnderAutocast = new Set<string>();
    ctx.walk((n, anc) => {
      if (n.t !== 'With') return;
      for (const it of n.items) {
        if (it.expr.t !== 'Call') continue;
        const q = facts.qualifiedName(it.expr.fn);
        if (q !== 'torch.autocast' && q !== 'torch.amp.autocast' && q !== 'torch.cuda.amp.autocast') continue;
        if (q !== 'torch.cuda.amp.autocast') {
          const dev = kwArg(it.expr, 'device_type') ?? (it.expr.args[0]?.kind === 'pos' ? it.expr.args[0].value : undefined);
          if (!dev || dev.t !== 'Str' || dev.v !== 'cuda') continue;
        }
        const dtype = kwArg(it.expr, 'dtype');
        if (dtype && facts.qualifiedName(dtype) !== 'torch.float16' && facts.qualifiedName(dtype) !== 'torch.half') continue;
        const enabled = kwArg(it.expr, 'enabled');
        if (enabled && enabled.t === 'Const' && enabled.v === false) continue;
        usesAutocast = true;
        // Names called inside the block are models (or functions, which have no .half()).
        const scope = [...anc].reverse().find((a): a is FunctionDef => a.t === 'FunctionDef');
        walkScope(n.body, (x) => {
          if (x.t === 'Call' && x.fn.t === 'Name') calledUnderAutocast.add(`${scope?.line ?? -1}:${x.fn.id}`);
        }, ['Call']);
        // backward() inside the autocast block.
        walkScope(n.body, (x) => {
          if (x.t === 'Call' && x.fn.t === 'Attr' && x.fn.attr === 'backward') {
            ctx.report({ node: x, severity: 'information', message: 'backward() inside the autocast block: autocast should wrap only the forward pass and the loss.' });
          }
        }, ['Call']);
        if (hasScaler) continue;
        // Autocast around a no-grad forward (validation, a frozen teacher) makes no fp16 gradient.
        if (facts.contextAt([...anc, n]).noGrad) continue;
        const fn = [...anc].reverse().find((a): a is FunctionDef => a.t === 'FunctionDef');
        const owner: Node | undefined = [...anc].reverse().find((a) => a.t === 'For' || a.t === 'While') ?? fn;
        if (!owner) continue;
        const s = facts.summaryOf(owner, fn);
        if (!s.backward.length || !(s.optimizerStep.length || namedOptimizerStep(owner))) continue;
        ctx.report({
          node: it.expr,
          message: 'float16 autocast in a training step without a GradScaler: small gradients underflow to zero and updates are lost. Scale the loss with torch.amp.GradScaler("cuda") (scaler.scale(loss).backward(); scaler.step(opt); scaler.update()) or use dtype=torch.bfloat16.',
        });
      }
    }, ['With']);
    if (!usesAutocast) return;
    // `.half()` on a model or an input in a file that autocasts: autocast picks the precision per op.
    ctx.walk((n, anc) => {
      if (n.t !== 'Call' || n.fn.t !== 'Attr' || n.fn.attr !== 'half' || n.args.length) return;
      const lc = facts.contextAt(anc);
      const o = n.fn.obj;
      let k = facts.kindOf(o, lc).kind;
      if (k === 'Unknown' && o.t === 'Name' && calledUnderAutocast.has(`${lc.fn?.line ?? -1}:${o.id}`)) k = 'Module';
      if (k !== 'Module' && k !== 'Tensor') return;
      ctx.report({
        node: n,
        severity: 'information',
        message: `.half() on ${k === 'Module' ? 'a model' : 'a tensor'} in a file that uses autocast: autocast chooses float16 per operation itself; keep the model and inputs in float32 (casting them by hand bypasses autocast's fp32 ops).`,
      });
    }, ['Call']);
  },
};

/** An optimizer handed in (a parameter, an attribute) is known by its name: `optimizer.step()`, `self.opt.step()`. */
const OPTIMIZER_NAME = /^(opt|optim|optimizer)$|_(opt|optim|optimizer)$|^optimizer_/i;

function namedOptimizerStep(owner: Node): boolean {
  if (owner.t !== 'FunctionDef' && owner.t !== 'For' && owner.t !== 'While') return false;
  let found = false;
  walkScope(owner.body, (x) => {
    if (found || x.t !== 'Call' || x.fn.t !== 'Attr' || x.fn.attr !== 'step' || x.args.length) return;
    const recv = x.fn.obj;
    const name = recv.t === 'Name' ? recv.id : recv.t === 'Attr' ? recv.attr : '';
    if (OPTIMIZER_NAME.test(name)) found = true;
  }, ['Call']);
  return found;
}
