// DL121: torch.compile misuse: result discarded, compiling inside a loop, graph breaks
// (print / .item() / .numpy() / .tolist()) inside a compiled function.

import { walkScope } from '../facts';
import type { Rule } from '../types';

const BREAKERS = new Set(['item', 'tolist', 'numpy']);

export const dl121: Rule = {
  meta: {
    code: 'DL121',
    name: 'torch-compile-pitfalls',
    frameworks: ['pytorch'],
    severity: 'warning',
    fix: 'yes',
    needs: ['compile'],
    docs: '(a) `torch.compile(model)` returns a new optimised module and leaves `model` untouched: as a bare statement it compiles nothing (warning; the fix assigns the result back when the argument is a name). (b) `torch.compile(...)` inside a loop recompiles every iteration (information). (d) `print`, `.item()`, `.tolist()`, `.numpy()` inside a function decorated with `@torch.compile` cause graph breaks that erase the speed-up (information). Variant (c), Python scalars guarded by value, is not implemented: whether an argument changes between calls is not visible in the syntax tree without many false positives.',
  },
  check(ctx) {
    const facts = ctx.facts;
    ctx.walk((n, anc) => {
      if (n.t === 'Call' && facts.qualifiedName(n.fn) === 'torch.compile') {
        const parent = anc[anc.length - 1];
        if (parent && parent.t === 'Expr' && parent.value === n) {
          const arg = n.args[0];
          const name = arg && arg.kind === 'pos' && (arg.value.t === 'Name' || arg.value.t === 'Attr') ? facts.textOf(arg.value) : undefined;
          ctx.report({
            node: n,
            message: `torch.compile() returns the compiled module; the result is discarded, so nothing is compiled.${name ? ` Assign it: ${name} = torch.compile(${name}) (or call ${name}.compile()).` : ''}`,
            fix: name && /^[\w.]+$/.test(name) ? { title: `Assign to ${name}`, edits: [{ range: { line: parent.line, character: parent.col, endLine: parent.line, endCharacter: parent.col }, newText: `${name} = ` }] } : undefined,
          });
        }
        const lc = facts.contextAt(anc);
        if (lc.loop) ctx.report({ node: n, severity: 'information', message: 'torch.compile() inside a loop compiles again on every iteration; compile once before the loop.' });
        return;
      }
      if (n.t === 'FunctionDef' && n.decorators.some((d) => facts.qualifiedName(d.t === 'Call' ? d.fn : d) === 'torch.compile')) {
        walkScope(n.body, (x) => {
          if (x.t !== 'Call') return;
          if (x.fn.t === 'Name' && x.fn.id === 'print' && !facts.imports.has('print')) {
            ctx.report({ node: x, severity: 'information', message: 'print() inside a torch.compile\'d function causes a graph break.' });
          } else if (x.fn.t === 'Attr' && BREAKERS.has(x.fn.attr) && x.args.length === 0) {
            ctx.report({ node: x, severity: 'information', message: `.${x.fn.attr}() inside a torch.compile'd function forces a graph break (host sync).` });
          }
        }, ['Call']);
      }
    }, ['Call', 'FunctionDef']);
  },
};
