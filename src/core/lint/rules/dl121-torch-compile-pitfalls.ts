// DL121: torch.compile misuse: result discarded, compiling inside a loop, graph breaks
// (print / .item() / .numpy() / .tolist()) inside a compiled function.

import type { Node } from '../../python/ast';
import { walkScope, type LintFacts } from '../facts';
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
    docs: '(a) `torch.compile(model)` returns a new optimised module and leaves `model` untouched: as a bare statement it compiles nothing (warning; the fix assigns the result back when the argument is a name). (b) `torch.compile(...)` inside a loop recompiles every iteration (information). (d) `print`, `.item()`, `.tolist()`, `.numpy()`, and an `if`/`while` on a tensor reduction (`x.sum() > 0`, `torch.any(m)`, a name bound once to one) inside a function decorated with `@torch.compile` cause graph breaks that erase the speed-up (information). Variant (c), Python scalars guarded by value, is not implemented: whether an argument changes between calls is not visible in the syntax tree without many false positives.',
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
        // (d) `if <tensor expression>:` — a reduction of a tensor (or a name bound to one) decides the branch.
        const reduced = new Set<string>();
        walkScope(n.body, (x) => {
          if (x.t === 'Assign' && x.targets.length === 1 && x.targets[0].t === 'Name' && facts.bindingsOf(n).get(x.targets[0].id)?.length === 1
            && isTensorValue(x.value, reduced, facts)) reduced.add(x.targets[0].id);
          if (x.t !== 'If' && x.t !== 'While') return;
          if (!isTensorCondition(x.test, reduced, facts)) return;
          ctx.report({ node: x.test, severity: 'information', message: `\`${x.t === 'If' ? 'if' : 'while'}\` on a tensor value inside a torch.compile'd function is data-dependent control flow: a graph break (host sync). Use torch.where / torch.cond, or move the test outside.` });
        }, ['Assign', 'If', 'While']);
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

/** Tensor methods that reduce to a (0-d) tensor whose value a Python `if` must read. */
const REDUCTIONS = new Set(['sum', 'mean', 'max', 'min', 'amax', 'amin', 'any', 'all', 'norm', 'std', 'var', 'prod', 'count_nonzero']);
const TORCH_REDUCTIONS = /^torch\.(sum|mean|max|min|amax|amin|any|all|norm|std|var|prod|count_nonzero|equal|allclose|isclose)$/;
/** Static metadata: shape / size / dim / dtype / device / len, which compile specialises on without a break. */
const STATIC = new Set(['shape', 'size', 'dim', 'ndim', 'ndimension', 'numel', 'dtype', 'device', 'is_cuda', 'requires_grad', 'item', 'tolist', 'numpy']);

function mentionsStatic(e: Node): boolean {
  let hit = false;
  walkScope([e], (x) => {
    if (x.t === 'Attr' && STATIC.has(x.attr)) hit = true;
    if (x.t === 'Call' && x.fn.t === 'Name' && (x.fn.id === 'len' || x.fn.id === 'isinstance')) hit = true;
  }, ['Attr', 'Call']);
  return hit;
}

/** A reduction of a tensor: `x.sum()`, `x.abs().max()`, `torch.any(m)`, or a name bound to one in the function. */
function isTensorValue(e: Node, reduced: ReadonlySet<string>, facts: LintFacts): boolean {
  if (e.t === 'Name') return reduced.has(e.id);
  if (e.t !== 'Call' || mentionsStatic(e)) return false;
  if (e.fn.t === 'Attr' && REDUCTIONS.has(e.fn.attr) && !facts.qualifiedName(e.fn)) return true;
  return TORCH_REDUCTIONS.test(facts.qualifiedName(e.fn) ?? '');
}

function isTensorCondition(test: Node, reduced: ReadonlySet<string>, facts: LintFacts): boolean {
  if (test.t === 'Compare') return !test.ops.some((o) => o === 'is' || o === 'is not' || o === 'in' || o === 'not in') && test.operands.some((o) => isTensorValue(o, reduced, facts));
  if (test.t === 'UnaryOp' && test.op === 'not') return isTensorCondition(test.operand, reduced, facts);
  if (test.t === 'BoolOp') return isTensorCondition(test.left, reduced, facts) || isTensorCondition(test.right, reduced, facts);
  return isTensorValue(test, reduced, facts);
}
