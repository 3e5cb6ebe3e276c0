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
    docs: '(a) `torch.compile(model)` returns a new optimised module and leaves `model` untouched: as a bare statement it compiles nothing (warning; the fix assigns the result back when the argument is a name). (b) `torch.compile(...)` inside a loop recompiles every iteration (information). (d) `print`, `.item()`, `.tolist()`, `.numpy()`, and an `if`/`while` on a tensor reduction (`x.sum() > 0`, `torch.any(m)`, a name bound once to one) inside a function decorated with `@torch.compile` cause graph breaks that erase the speed-up (information). (c) a compiled function (decorated, or a name bound to `torch.compile(...)`, without `dynamic=True`) called inside a `for` loop over `range(...)` / the index of `enumerate(...)` with the loop counter, or arithmetic on it, as an argument: Python numbers are guarded on their value, so each new value recompiles (information).',
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
    scalarLoopArgs(ctx);
  },
};

/** `torch.compile(..., dynamic=True)`: changing sizes and scalars are traced symbolically. */
const isDynamic = (c: Node): boolean => c.t === 'Call' && c.args.some((a) => a.kind === 'kw' && a.name === 'dynamic' && a.value.t === 'Const' && a.value.v === true);

/**
 * (c) A compiled function called in a loop with the loop counter as a Python number
 * (`for i in range(n): scale(x, i * 0.1)`): guarded on the value, so every iteration recompiles.
 */
function scalarLoopArgs(ctx: Parameters<Rule['check']>[0]): void {
  const facts = ctx.facts;
  const compiled = new Set<string>();
  ctx.walk((n) => {
    if (n.t === 'FunctionDef') {
      const d = n.decorators.find((x) => facts.qualifiedName(x.t === 'Call' ? x.fn : x) === 'torch.compile');
      if (d && !isDynamic(d)) compiled.add(n.name);
    } else if (n.t === 'Assign' && n.targets.length === 1 && n.targets[0].t === 'Name' && n.value.t === 'Call'
      && facts.qualifiedName(n.value.fn) === 'torch.compile' && !isDynamic(n.value)) {
      compiled.add(n.targets[0].id);
    }
  }, ['FunctionDef', 'Assign']);
  if (!compiled.size) return;
  ctx.walk((n) => {
    if (n.t !== 'For' || n.iter.t !== 'Call' || n.iter.fn.t !== 'Name' || facts.imports.has(n.iter.fn.id)) return;
    // The Python int the loop counts with: `for i in range(...)`, `for i, b in enumerate(...)`.
    let counter: string | undefined;
    if (n.iter.fn.id === 'range' && n.target.t === 'Name') counter = n.target.id;
    else if (n.iter.fn.id === 'enumerate' && n.target.t === 'Tuple' && n.target.elts[0]?.t === 'Name') counter = n.target.elts[0].id;
    if (!counter) return;
    const c = counter;
    // Rebound in the body (`i = torch.tensor(i)`): no longer the Python number.
    let rebound = false;
    walkScope(n.body, (x) => {
      if ((x.t === 'Assign' && x.targets.some((t) => t.t === 'Name' && t.id === c)) || (x.t === 'AugAssign' && x.target.t === 'Name' && x.target.id === c)) rebound = true;
    }, ['Assign', 'AugAssign']);
    if (rebound) return;
    /** The counter, or arithmetic of it with numeric literals / other names (`i * 0.1`, `base + i`). */
    const numberOfCounter = (e: Node): boolean => {
      const only = (x: Node): boolean => x.t === 'Name' || x.t === 'Num' || (x.t === 'UnaryOp' && only(x.operand)) || (x.t === 'BinOp' && only(x.left) && only(x.right));
      let uses = false;
      walkScope([e], (x) => { if (x.t === 'Name' && x.id === c) uses = true; }, ['Name']);
      return uses && only(e);
    };
    walkScope(n.body, (x) => {
      if (x.t !== 'Call' || x.fn.t !== 'Name' || !compiled.has(x.fn.id)) return;
      const arg = x.args.find((a) => (a.kind === 'pos' || a.kind === 'kw') && numberOfCounter(a.value));
      if (!arg) return;
      ctx.report({
        node: x,
        severity: 'information',
        message: `\`${x.fn.id}\` is compiled and receives the loop counter \`${c}\` as a Python number: compiled code is guarded on that value, so each new value recompiles (until the recompile limit, then it runs eagerly). Pass it as a tensor (torch.tensor(...)) or compile with dynamic=True.`,
      });
    }, ['Call']);
  }, ['For']);
}

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
