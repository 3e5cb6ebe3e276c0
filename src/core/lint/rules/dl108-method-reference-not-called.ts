// DL108: `model.eval` / `optimizer.zero_grad` written without parentheses (nothing
// happens), or `model.state_dict` / `model.parameters` passed uncalled (a bound method
// is saved or handed to the optimizer instead of the weights).

import type { Node } from '../../python/ast';
import type { Rule } from '../types';
import { walkAll } from './shared-ast';

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
    let notMethods: Set<string> | undefined;
    ctx.walk((n, anc) => {
      if (n.t === 'Expr' && n.value.t === 'Attr' && STATEMENT_METHODS.has(n.value.attr) && facts.qualifiedName(n.value) === undefined) {
        // A property or a data attribute of that name in the file's classes (reading it runs
        // the getter or shows the value), or an existence probe in `try: ... except AttributeError`.
        notMethods ??= nonMethodAttributes(ctx.module.body);
        if (notMethods.has(n.value.attr) || inAttributeProbe(ctx.lines, anc, n)) return;
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

/** Names the file's classes define as properties or data attributes (`update = "daily"`), not methods. */
function nonMethodAttributes(body: readonly Node[]): Set<string> {
  const out = new Set<string>();
  walkAll(body, (n) => {
    if (n.t !== 'ClassDef') return;
    for (const st of n.body) {
      if (st.t === 'FunctionDef' && st.decorators.some((d) => (d.t === 'Name' && (d.id === 'property' || d.id === 'cached_property')) || (d.t === 'Attr' && (d.attr === 'cached_property' || d.attr === 'setter' || d.attr === 'getter')))) out.add(st.name);
      else if (st.t === 'Assign') {
        for (const t of st.targets) if (t.t === 'Name') out.add(t.id);
      } else if (st.t === 'AnnAssign' && st.target.t === 'Name') out.add(st.target.id);
    }
  }, ['ClassDef']);
  return out;
}

/** Inside the body of a `try` that catches AttributeError (or everything): `obj.step` probes whether the attribute exists. */
function inAttributeProbe(lines: readonly string[], ancestors: readonly Node[], n: Node): boolean {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i];
    if (a.t === 'FunctionDef' || a.t === 'ClassDef') return false;
    if (a.t !== 'Try' || !a.body.length || n.line < a.body[0].line || n.line > a.body[a.body.length - 1].endLine) continue;
    // The `except ...:` lines (the tree keeps no handler types): the nearest `except` at or above each handler's first statement.
    for (const h of a.handlers) {
      if (!h.length) continue;
      for (let l = h[0].line; l > a.body[a.body.length - 1].endLine; l--) {
        const m = /^\s*except\b([^:]*)/.exec(lines[l] ?? '');
        if (!m) continue;
        if (!m[1].trim() || /\b(AttributeError|Exception|BaseException)\b/.test(m[1])) return true;
        break;
      }
    }
  }
  return false;
}
