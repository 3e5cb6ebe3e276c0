// DL114: an in-place update of a leaf tensor that requires grad, outside no_grad():
// RuntimeError "a leaf Variable that requires grad is being used in an in-place operation".

import type { Node, NodeOf } from '../../python/ast';
import { kwArg, walkAll, walkScope, type FunctionDef, type LintFacts } from '../facts';
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
type Leaves = Map<string, { why: string; owner?: string; loops?: ReadonlyArray<NodeOf<'For'>> }>;

function leafNames(facts: LintFacts, fn: FunctionDef | undefined): Leaves {
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

const LEAF_NAMES = new WeakMap<FunctionDef, { imports: ReadonlyMap<string, string>; leaves: Leaves }>();
let moduleLeaves: { key: string; imports: ReadonlyMap<string, string>; leaves: Leaves } | undefined;

function findLeafNames(facts: LintFacts, fn: FunctionDef | undefined): Leaves {
  const out: Leaves = new Map();
  for (const [name, all] of facts.bindingsOf(fn ?? facts.module)) {
    const bs = all.filter((b) => b.how !== 'aug'); // in-place updates keep the tensor's identity
    // A name that several loops over modules' parameters bind (`for p in a.parameters(): ...` then
    // `for n, p in b.named_parameters(): ...`), and nothing else: a parameter inside each of those
    // loops (the loop around a statement says whose parameters they are).
    const loops = bs.map((b) => (b.how === 'for' && b.stmt.t === 'For' && paramLoopTarget(b.stmt) === name ? b.stmt : undefined));
    if (bs.length > 1 && loops.every((l) => l !== undefined)) {
      out.set(name, { why: 'a parameter from a loop over a module\'s parameters', loops: loops as Array<NodeOf<'For'>> });
      continue;
    }
    if (bs.length !== 1) continue;
    const b = bs[0];
    if (b.how === 'assign' && b.value && b.value.t === 'Call') {
      const q = facts.qualifiedName(b.value.fn);
      const rg = kwArg(b.value, 'requires_grad');
      // `torch.zeros(5).requires_grad_()`: a factory's fresh tensor made a leaf that requires grad.
      const viaMethod = b.value.fn.t === 'Attr' && b.value.fn.attr === 'requires_grad_' && b.value.fn.obj.t === 'Call'
        && FACTORIES.test(facts.qualifiedName(b.value.fn.obj.fn) ?? '') && !(b.value.args[0] && b.value.args[0].value.t === 'Const' && b.value.args[0].value.v === false);
      if ((q && FACTORIES.test(q) && rg && rg.t === 'Const' && rg.v === true) || viaMethod) out.set(name, { why: `created with requires_grad=True (line ${b.stmt.line + 1})` });
      else if (q === 'torch.nn.Parameter' || q === 'torch.nn.parameter.Parameter') {
        const rg2 = kwArg(b.value, 'requires_grad');
        if (!(rg2 && rg2.t === 'Const' && rg2.v === false)) out.set(name, { why: `an nn.Parameter (line ${b.stmt.line + 1})` });
      }
    } else if (b.how === 'for' && b.iter && b.stmt.t === 'For' && paramLoopTarget(b.stmt) === name && b.iter.t === 'Call' && b.iter.fn.t === 'Attr') {
      out.set(name, { why: `a parameter from ${facts.textOf(b.iter)} (line ${b.stmt.line + 1})`, owner: facts.textOf(b.iter.fn.obj) });
    }
  }
  return out;
}

/**
 * The name a loop over a module's parameters binds to each parameter: `for p in m.parameters()`,
 * `for name, p in m.named_parameters()`; undefined for other loops.
 */
function paramLoopTarget(loop: NodeOf<'For'>): string | undefined {
  const it = loop.iter;
  if (it.t !== 'Call' || it.fn.t !== 'Attr') return undefined;
  if (it.fn.attr === 'parameters' && loop.target.t === 'Name') return loop.target.id;
  const t = loop.target;
  if (it.fn.attr === 'named_parameters' && t.t === 'Tuple' && t.elts.length === 2 && t.elts[1].t === 'Name') return t.elts[1].id;
  return undefined;
}

const SET_GRAD = new Set(['torch.set_grad_enabled', 'torch.autograd.set_grad_enabled']);
const NO_GRAD = new Set(['torch.no_grad', 'torch.inference_mode', 'torch.autograd.no_grad', 'torch.autograd.inference_mode']);
const isFalse = (n: Node | undefined): boolean => !!n && n.t === 'Const' && n.v === false;
const isTrue = (n: Node | undefined): boolean => !!n && n.t === 'Const' && n.v === true;

/**
 * Lines of `torch.set_grad_enabled(<not True>)` written as a statement (the function form switches
 * autograd off for the rest of the thread): the module's top-level ones and those in `fn`.
 */
function gradOffLines(facts: LintFacts, body: readonly Node[]): number[] {
  const out: number[] = [];
  walkScope(body, (n) => {
    if (n.t === 'Expr' && n.value.t === 'Call' && SET_GRAD.has(facts.qualifiedName(n.value.fn) ?? '') && !isTrue(n.value.args[0]?.value)) out.push(n.line);
  }, ['Expr']);
  return out;
}

/**
 * Receivers whose gradients are switched off anywhere in the file: `m.requires_grad_(False)`,
 * `t = <...>.requires_grad_(False)`, `w.requires_grad = False`, and a module all of whose
 * parameters a loop freezes (`for p in m.parameters(): p.requires_grad_(False)`). Their parameters
 * are no longer leaves that require grad (errs towards quiet: freezing anywhere counts).
 */
function frozenReceivers(facts: LintFacts): Set<string> {
  const out = new Set<string>();
  const freezes = (n: Node): string | undefined => {
    if (n.t === 'Expr' && n.value.t === 'Call' && n.value.fn.t === 'Attr' && n.value.fn.attr === 'requires_grad_' && isFalse(n.value.args[0]?.value)) return facts.textOf(n.value.fn.obj);
    if (n.t === 'Assign' && n.targets.length === 1 && n.targets[0].t === 'Attr' && n.targets[0].attr === 'requires_grad' && isFalse(n.value)) return facts.textOf(n.targets[0].obj);
    return undefined;
  };
  walkAll(facts.module.body, (n) => {
    const f = freezes(n);
    if (f) out.add(f);
    if (n.t === 'Assign' && n.value.t === 'Call' && n.value.fn.t === 'Attr' && n.value.fn.attr === 'requires_grad_' && isFalse(n.value.args[0]?.value)) {
      for (const t of n.targets) if (t.t === 'Name' || t.t === 'Attr') out.add(facts.textOf(t));
    }
    const p = n.t === 'For' ? paramLoopTarget(n) : undefined;
    if (n.t === 'For' && p && n.iter.t === 'Call' && n.iter.fn.t === 'Attr') {
      let frozen = false;
      walkScope(n.body, (m) => {
        if (freezes(m) === p) frozen = true;
      }, ['Expr', 'Assign']);
      if (frozen) out.add(facts.textOf(n.iter.fn.obj));
    }
  }, ['Expr', 'Assign', 'For']);
  return out;
}

/** True when a `with contextlib.ExitStack() as s:` around the statement entered a no-grad context earlier in its body. */
function noGradViaExitStack(facts: LintFacts, chain: readonly Node[]): boolean {
  for (let i = 0; i < chain.length - 1; i++) {
    const w = chain[i];
    if (w.t !== 'With') continue;
    const child = chain[i + 1];
    const k = w.body.indexOf(child);
    if (k < 0) continue;
    for (const it of w.items) {
      if (it.expr.t !== 'Call' || !it.target || it.target.t !== 'Name') continue;
      const q = facts.qualifiedName(it.expr.fn) ?? '';
      if (!/^contextlib\.(Async)?ExitStack$/.test(q)) continue;
      const s = it.target.id;
      for (const st of w.body.slice(0, k)) {
        if (st.t !== 'Expr' || st.value.t !== 'Call' || st.value.fn.t !== 'Attr' || st.value.fn.attr !== 'enter_context') continue;
        const o = st.value.fn.obj;
        const arg = st.value.args[0]?.value;
        if (o.t === 'Name' && o.id === s && arg && arg.t === 'Call' && NO_GRAD.has(facts.qualifiedName(arg.fn) ?? '')) return true;
      }
    }
  }
  return false;
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
    let frozen: Set<string> | undefined;
    let moduleOff: number[] | undefined;
    const topLeaves = leafNames(facts, undefined);
    for (const fn of scopes) {
      let leaves = leafNames(facts, fn);
      if (fn && topLeaves.size) {
        // A module-level leaf the function (and every function around it) reads without binding the name.
        const scopesIn = [fn, ...facts.ancestorsOf(fn).filter((a): a is FunctionDef => a.t === 'FunctionDef')].map((f) => facts.bindingsOf(f));
        const globals = [...topLeaves].filter(([name]) => !leaves.has(name) && scopesIn.every((b) => !b.has(name)));
        if (globals.length) leaves = new Map([...leaves, ...globals]);
      }
      if (!leaves.size) continue;
      frozen ??= frozenReceivers(facts);
      moduleOff ??= gradOffLines(facts, facts.module.body);
      const off = fn ? [...moduleOff, ...gradOffLines(facts, fn.body)] : moduleOff;
      if (fn && (facts.alwaysCalledUnderNoGrad(fn.name) || facts.isReferencedAsValue(fn.name))) continue;
      const body = fn ? fn.body : facts.module.body;
      const base = fn ? [...facts.ancestorsOf(fn), fn] : [];
      walkScope(body, (n, inner) => {
        let target: string | undefined;
        if (n.t === 'AugAssign' && n.target.t === 'Name') target = n.target.id;
        else if (n.t === 'Assign' && n.targets.length === 1 && n.targets[0].t === 'Subscript' && n.targets[0].obj.t === 'Name') target = n.targets[0].obj.id;
        else if (n.t === 'Expr' && n.value.t === 'Call' && n.value.fn.t === 'Attr' && INPLACE.has(n.value.fn.attr) && n.value.fn.obj.t === 'Name') target = n.value.fn.obj.id;
        let leaf = target ? leaves.get(target) : undefined;
        if (!target || !leaf) return;
        if (leaf.loops) {
          // Several parameter loops bind the name: only statements inside one of them are concerned.
          const loop = [...base, ...inner].reverse().find((a): a is NodeOf<'For'> => a.t === 'For' && leaf!.loops!.includes(a));
          if (!loop || loop.iter.t !== 'Call' || loop.iter.fn.t !== 'Attr') return;
          leaf = { why: `a parameter from ${facts.textOf(loop.iter)} (line ${loop.line + 1})`, owner: facts.textOf(loop.iter.fn.obj) };
        }
        if (frozen!.has(target) || (leaf.owner && frozen!.has(leaf.owner))) return;
        // Autograd switched off by a statement-form set_grad_enabled(False) that ran before (in a
        // function: any at module level, or earlier in the function).
        if (off.some((l) => l < n.line || (fn && !(l >= fn.line && l <= fn.endLine)))) return;
        const chain = [...base, ...inner, n];
        if (facts.contextAt([...base, ...inner]).noGrad || noGradViaExitStack(facts, chain)) return;
        const stmt: Node = n;
        ctx.report({
          node: stmt,
          message: `In-place update of '${target}', a leaf tensor that requires grad (${leaf.why}): RuntimeError at run time. Do it under torch.no_grad().`,
          fix: torch ? wrapWithFix(ctx, 'Wrap in torch.no_grad()', stmt, stmt, `${torch}.no_grad()`) : undefined,
        });
      }, ['AugAssign', 'Assign', 'Expr']);
    }
  },
};
