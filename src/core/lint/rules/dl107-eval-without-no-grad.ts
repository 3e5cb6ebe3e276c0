// DL107: an evaluation loop (after model.eval(), no backward) that calls the model outside
// torch.no_grad() / inference_mode(): autograd records a graph for nothing.

import type { Node } from '../../python/ast';
import { blocksOf, walkScope, type FunctionDef } from '../facts';
import type { Rule } from '../types';
import { torchAlias, wrapWithFix } from './dl1-shared';

export const dl107: Rule = {
  meta: {
    code: 'DL107',
    name: 'eval-without-no-grad',
    frameworks: ['pytorch'],
    severity: 'information',
    fix: 'yes',
    needs: ['eval'],
    docs: 'Model calls outside `torch.no_grad()` / `torch.inference_mode()` record an autograd graph even during evaluation: extra memory and time, and out-of-memory when outputs are collected across batches (warning then). Fires on a loop that follows `model.eval()` in the same block, calls that model, and has no `backward()` / `autograd.grad` / `.grad` use, when the enclosing function is not decorated with or always called under a no-grad context. The fix wraps the loop in `with torch.no_grad():`. Neither context switches the model to eval mode.',
  },
  check(ctx) {
    const facts = ctx.facts;
    ctx.walk((n, anc) => {
      for (const block of blocksOf(n)) if (n.t !== 'ClassDef') scanBlock(block, [...anc, n]);
    }, ['If', 'For', 'While', 'With', 'FunctionDef', 'ClassDef', 'Try']);
    scanBlock(facts.module.body, []);

    function scanBlock(block: Node[], anc: Node[]): void {
      const fn = [...anc].reverse().find((a): a is FunctionDef => a.t === 'FunctionDef');
      const lc = facts.contextAt(anc);
      if (lc.noGrad || (fn && facts.alwaysCalledUnderNoGrad(fn.name))) return;
      const evaled = new Set<string>();
      for (const st of block) {
        if (st.t === 'Expr' && st.value.t === 'Call' && st.value.fn.t === 'Attr' && st.value.fn.attr === 'eval' && st.value.fn.obj.t === 'Name' && st.value.args.length === 0) {
          evaled.add(st.value.fn.obj.id);
          continue;
        }
        if (st.t === 'Expr' && st.value.t === 'Call' && st.value.fn.t === 'Attr' && st.value.fn.attr === 'train' && st.value.fn.obj.t === 'Name') {
          evaled.delete(st.value.fn.obj.id);
          continue;
        }
        if (st.t !== 'For' || !evaled.size) continue;
        let modelCall: Node | undefined;
        let model = '';
        let grads = false;
        let noGradInside = false;
        const outputs = new Set<string>();
        walkScope(st.body, (x, inner) => {
          if (x.t === 'Call') {
            if (x.fn.t === 'Name' && evaled.has(x.fn.id)) {
              if (facts.contextAt([...anc, st, ...inner]).noGrad) noGradInside = true;
              else if (!modelCall) {
                modelCall = x;
                model = x.fn.id;
              }
            }
            if (x.fn.t === 'Attr' && x.fn.attr === 'backward') grads = true;
            const q = facts.qualifiedName(x.fn);
            if (q === 'torch.autograd.grad' || q === 'torch.autograd.backward') grads = true;
          }
          if (x.t === 'Attr' && (x.attr === 'grad' || x.attr === 'requires_grad_' || x.attr === 'requires_grad')) grads = true;
          if (x.t === 'Assign' && x.value.t === 'Call' && x.value.fn.t === 'Name' && evaled.has(x.value.fn.id)) for (const t of x.targets) if (t.t === 'Name') outputs.add(t.id);
        }, ['Call', 'Attr', 'Assign']);
        if (!modelCall || grads || noGradInside) continue;
        // Outputs kept across iterations (appended to a list defined outside the loop) -> warning.
        let kept = false;
        walkScope(st.body, (x) => {
          if (x.t === 'Call' && x.fn.t === 'Attr' && x.fn.attr === 'append' && x.args[0]) {
            const a = x.args[0].value;
            if ((a.t === 'Name' && outputs.has(a.id)) || (a.t === 'Call' && a.fn.t === 'Name' && a.fn.id === model)) kept = true;
          }
        }, ['Call']);
        const torch = torchAlias(facts);
        ctx.report({
          node: modelCall,
          severity: kept ? 'warning' : 'information',
          message: `${model} is evaluated outside torch.no_grad()${kept ? ' and its outputs are kept across iterations, each with its autograd graph' : ': autograd records a graph for nothing'}. Wrap the loop in torch.no_grad() (or torch.inference_mode() if the results stay here).`,
          fix: torch ? wrapWithFix(ctx, 'Wrap the loop in torch.no_grad()', st, st, `${torch}.no_grad()`) : undefined,
        });
      }
    }
  },
};
