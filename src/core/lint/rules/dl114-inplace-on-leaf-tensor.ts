// DL114: an in-place update of a leaf tensor that requires grad, outside no_grad():
// RuntimeError "a leaf Variable that requires grad is being used in an in-place operation".

import type { Node } from '../../python/ast';
import { kwArg, walkScope, type FunctionDef, type LintFacts } from '../facts';
import type { Rule } from '../types';
import { torchAlias, wrapWithFix } from './dl1-shared';

const INPLACE = new Set(['add_', 'sub_', 'mul_', 'div_', 'clamp_', 'copy_', 'fill_', 'normal_', 'uniform_', 'zero_', 'addcmul_', 'addcdiv_', 'lerp_', 'exp_', 'pow_', 'neg_', 'abs_', 'sqrt_']);
const FACTORIES = /^torch\.(tensor|randn|rand|zeros|ones|empty|full|randint|arange|linspace|eye|zeros_like|ones_like|randn_like|rand_like|empty_like|full_like)$/;

/**
 * Names of `fn` (or the module) that hold a leaf requiring grad, with how they were made. A
 * function's answer reads only its own subtree and the imports, so it is kept with the node
 * for as long as the imports are the same (collectImports returns the same map then): a
 * function the language server's incremental re-parse kept is not looked at again.
 */
function leafNames(facts: LintFacts, fn: FunctionDef | undefined): Map<string, string> {
  if (!fn) {
    // The module's own statements (not the bodies of its functions and classes) are all in
    // LintFacts.outsideClasses: the answer is kept while that and the imports are the same.
    const key = facts.outsideClasses;
    if (moduleLeaves && moduleLeaves.imports === facts.imports && moduleLeaves.key === key) return moduleLeaves.leaves;
    const leaves = findLeafNames(facts, undefined);
    moduleLeaves = { key, imports: facts.imports, leaves };
    return leaves;
  }
  const kept = LEAF_NAMES.get(fn);
  if (kept && kept.imports === facts.imports) return kept.leaves;
  const leaves = findLeafNames(facts, fn);
  LEAF_NAMES.set(fn, { imports: facts.imports, leaves });
  return leaves;
}

const LEAF_NAMES = new WeakMap<FunctionDef, { imports: ReadonlyMap<string, string>; leaves: Map<string, string> }>();
let moduleLeaves: { key: string; imports: ReadonlyMap<string, string>; leaves: Map<string, string> } | undefined;

function findLeafNames(facts: LintFacts, fn: FunctionDef | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, all] of facts.bindingsOf(fn ?? facts.module)) {
    const bs = all.filter((b) => b.how !== 'aug'); // in-place updates keep the tensor's identity
    if (bs.length !== 1) continue;
    const b = bs[0];
    if (b.how === 'assign' && b.value && b.value.t === 'Call') {
      const q = facts.qualifiedName(b.value.fn);
      const rg = kwArg(b.value, 'requires_grad');
      // `torch.zeros(5).requires_grad_()`: a factory's fresh tensor made a leaf that requires grad.
      const viaMethod = b.value.fn.t === 'Attr' && b.value.fn.attr === 'requires_grad_' && b.value.fn.obj.t === 'Call'
        && FACTORIES.test(facts.qualifiedName(b.value.fn.obj.fn) ?? '') && !(b.value.args[0] && b.value.args[0].value.t === 'Const' && b.value.args[0].value.v === false);
      if ((q && FACTORIES.test(q) && rg && rg.t === 'Const' && rg.v === true) || viaMethod) out.set(name, `created with requires_grad=True (line ${b.stmt.line + 1})`);
      else if (q === 'torch.nn.Parameter' || q === 'torch.nn.parameter.Parameter') {
        const rg2 = kwArg(b.value, 'requires_grad');
        if (!(rg2 && rg2.t === 'Const' && rg2.v === false)) out.set(name, `an nn.Parameter (line ${b.stmt.line + 1})`);
      }
    } else if (b.how === 'for' && b.iter && b.iter.t === 'Call' && b.iter.fn.t === 'Attr' && b.iter.fn.attr === 'parameters' && b.stmt.t === 'For' && b.stmt.target.t === 'Name') {
      out.set(name, `a parameter from ${facts.textOf(b.iter)} (line ${b.stmt.line + 1})`);
    }
  }
  return out;
}

export const dl114: Rule = {
  meta: {
    code: 'DL114',
    name: 'inplace-on-leaf-tensor',
    frameworks: ['pytorch'],
    severity: 'error',
    fix: 'yes',
    needs: ['requires_grad', 'requires_grad_', 'Parameter', 'parameters'],
    docs: 'An in-place update of a leaf tensor that requires grad (a hand-made weight with `requires_grad=True`, an `nn.Parameter`, a parameter from `model.parameters()`) outside `torch.no_grad()` raises `RuntimeError: a leaf Variable that requires grad is being used in an in-place operation`. Fires on `w -= ...`, `w[...] = ...` and `w.add_(...)`-style calls on such names outside no-grad contexts (lexical, decorator, or every same-file caller); `w.grad` and `w.data` are not concerned. The fix wraps the statement in `with torch.no_grad():`.',
  },
  check(ctx) {
    const facts = ctx.facts;
    const torch = torchAlias(facts);
    const scopes: Array<FunctionDef | undefined> = [undefined];
    ctx.walk((n) => {
      if (n.t === 'FunctionDef') scopes.push(n);
    }, ['FunctionDef']);
    for (const fn of scopes) {
      const leaves = leafNames(facts, fn);
      if (!leaves.size) continue;
      if (fn && (facts.alwaysCalledUnderNoGrad(fn.name) || facts.isReferencedAsValue(fn.name))) continue;
      const body = fn ? fn.body : facts.module.body;
      const base = fn ? [...facts.ancestorsOf(fn), fn] : [];
      walkScope(body, (n, inner) => {
        let target: string | undefined;
        if (n.t === 'AugAssign' && n.target.t === 'Name') target = n.target.id;
        else if (n.t === 'Assign' && n.targets.length === 1 && n.targets[0].t === 'Subscript' && n.targets[0].obj.t === 'Name') target = n.targets[0].obj.id;
        else if (n.t === 'Expr' && n.value.t === 'Call' && n.value.fn.t === 'Attr' && INPLACE.has(n.value.fn.attr) && n.value.fn.obj.t === 'Name') target = n.value.fn.obj.id;
        if (!target || !leaves.has(target)) return;
        if (facts.contextAt([...base, ...inner]).noGrad) return;
        const stmt: Node = n;
        ctx.report({
          node: stmt,
          message: `In-place update of '${target}', a leaf tensor that requires grad (${leaves.get(target)}): RuntimeError at run time. Do it under torch.no_grad().`,
          fix: torch ? wrapWithFix(ctx, 'Wrap in torch.no_grad()', stmt, stmt, `${torch}.no_grad()`) : undefined,
        });
      }, ['AugAssign', 'Assign', 'Expr']);
    }
  },
};
