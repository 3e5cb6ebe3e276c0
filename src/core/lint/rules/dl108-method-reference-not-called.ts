// DL108: `model.eval` / `optimizer.zero_grad` written without parentheses (nothing
// happens), or `model.state_dict` / `model.parameters` passed uncalled (a bound method
// is saved or handed to the optimizer instead of the weights).

import type { Node } from '../../python/ast';
import type { Rule } from '../types';

const STATEMENT_METHODS = new Set(['eval', 'train', 'zero_grad', 'step', 'backward', 'cuda', 'cpu', 'half', 'float', 'compile', 'detach_', 'requires_grad_', 'update', 'reset_states']);
const VALUE_METHODS = new Set(['state_dict', 'parameters', 'named_parameters', 'buffers']);
const CONSUMERS = new Set(['torch.save']);

export const dl108: Rule = {
  meta: {
    code: 'DL108',
    name: 'method-reference-not-called',
    frameworks: ['any'],
    severity: 'error',
    fix: 'yes',
    needs: [
      'eval', 'train', 'zero_grad', 'step', 'backward', 'cuda', 'cpu', 'half', 'float', 'compile', 'detach_', 'requires_grad_', 'update', 'reset_states',
      'state_dict', 'parameters', 'named_parameters', 'buffers',
    ],
    scoped: true,
    docs: '`model.eval`, `optimizer.zero_grad` or `scaler.update` written as a statement without parentheses only looks the method up: nothing happens. `torch.save(model.state_dict, ...)` pickles a bound method instead of the weights, and `SGD(model.parameters, ...)` fails. Fires on bare attribute statements named `eval, train, zero_grad, step, backward, cuda, cpu, half, float, compile, detach_, requires_grad_, update, reset_states`, and on `state_dict / parameters / named_parameters / buffers` passed uncalled to `torch.save`, an optimizer, `load_state_dict`, `list` or `sum`. The fix appends `()`.',
  },
  check(ctx) {
    const facts = ctx.facts;
    const report = (n: Node & { t: 'Attr' }, message: string) =>
      ctx.report({ node: n, message, fix: { title: `Call ${n.attr}()`, edits: [{ range: { line: n.endLine, character: n.endCol, endLine: n.endLine, endCharacter: n.endCol }, newText: '()' }] } });
    ctx.walk((n) => {
      if (n.t === 'Expr' && n.value.t === 'Attr' && STATEMENT_METHODS.has(n.value.attr) && facts.qualifiedName(n.value) === undefined) {
        report(n.value, `'${facts.textOf(n.value)}' without parentheses does nothing; call it: ${facts.textOf(n.value)}().`);
        return;
      }
      if (n.t !== 'Call') return;
      // Only a call given an uncalled `x.state_dict`-like argument can fire: that is cheap to see first.
      if (!n.args.some((a) => a.value.t === 'Attr' && VALUE_METHODS.has(a.value.attr))) return;
      const q = facts.qualifiedName(n.fn);
      const consumer = (q && (CONSUMERS.has(q) || /^torch\.optim\.[A-Z]\w*$/.test(q)))
        || (!q && n.fn.t === 'Attr' && n.fn.attr === 'load_state_dict')
        || (n.fn.t === 'Name' && (n.fn.id === 'list' || n.fn.id === 'sum') && !facts.imports.has(n.fn.id));
      if (!consumer) return;
      for (const a of n.args) {
        const v = a.value;
        if (a.kind === 'kw' && a.name !== 'params' && a.name !== 'obj' && a.name !== 'state_dict') continue;
        if (v.t === 'Attr' && VALUE_METHODS.has(v.attr) && facts.qualifiedName(v) === undefined) {
          report(v, `'${facts.textOf(v)}' is passed as a bound method, not its result; call it: ${facts.textOf(v)}().`);
        }
      }
    }, ['Expr', 'Call']);
  },
};
