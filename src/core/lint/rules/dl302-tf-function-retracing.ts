// DL302: a tf.function re-traced every iteration: a Python loop counter passed as an
// argument, or a new tf.function object created inside a loop.

import type { Node } from '../../python/ast';
import type { LintContext, Rule } from '../types';
import { aliasFor, argOf, kwArg, loopAncestor, namesIn, replaceEdit, scopesOf, targetNames, textOf, walkLocal } from './shared-ast';
import { isTfFunctionDecorator } from './shared-tf';

export const dl302: Rule = {
  meta: {
    code: 'DL302',
    name: 'tf-function-retracing',
    frameworks: ['tensorflow'],
    severity: 'warning',
    docs:
      'A tf.function is re-traced for every new Python value of a non-tensor argument and for every new function object: passing the ' +
      'loop counter (or a loop over a literal list of numbers) as a Python number (alone, inside a list/tuple/dict argument, or as the range of a comprehension argument) or creating ' +
      'tf.function(...) inside a loop re-traces every iteration, slower than eager. ' +
      'Pass tensors (tf.constant) or declare an input_signature, and create the function once.',
    fix: 'offered',
    needs: ['function'],
  },
  check(ctx) {
    // Module-level traced functions without input_signature / reduce_retracing.
    const traced = new Map<string, boolean>();
    for (const s of ctx.module.body) {
      if (s.t === 'FunctionDef') {
        const d = s.decorators.find((x) => isTfFunctionDecorator(ctx, x));
        if (d) traced.set(s.name, !relaxed(d));
      } else if (s.t === 'Assign' && s.value.t === 'Call' && ctx.qualifiedName(s.value.fn) === 'tensorflow.function' && s.targets.length === 1 && s.targets[0].t === 'Name') {
        traced.set(s.targets[0].id, !relaxed(s.value));
      }
    }
    const tf = aliasFor(ctx, 'tensorflow');
    for (const scope of scopesOf(ctx)) {
      walkLocal(scope.body, (n, anc) => {
        const loop = loopAncestor(anc);
        if (!loop) return;
        // (2) a new tf.function per iteration
        if (n.t === 'Call' && ctx.qualifiedName(n.fn) === 'tensorflow.function') {
          ctx.report({ node: n, message: 'tf.function(...) inside a loop creates a new function object, and a new trace, on every iteration. Create it once, before the loop.' });
          return;
        }
        if (n.t === 'FunctionDef' && n.decorators.some((d) => isTfFunctionDecorator(ctx, d))) {
          ctx.report({ range: ctx.rangeOf(n.decorators[0]), message: `@tf.function on \`${n.name}\` defined inside a loop re-traces on every iteration. Define the function once, outside the loop.` });
          return;
        }
        // (1) Python loop counters passed to a traced function
        if (n.t !== 'Call' || n.fn.t !== 'Name' || !traced.get(n.fn.id)) return;
        // The counters of every enclosing `for` (an epoch counter used in the inner batch loop
        // re-traces once per epoch), unless the name is rebound inside its loop.
        const counters = new Set<string>();
        for (let i = anc.length - 1; i >= 0; i--) {
          const a = anc[i];
          if (a.t === 'FunctionDef' || a.t === 'ClassDef' || a.t === 'Lambda') break;
          if (a.t !== 'For') continue;
          for (const c of loopCounters(ctx, a)) if (a === loop || !reboundIn(a.body, c)) counters.add(c);
        }
        if (!counters.size) return;
        // Outer loops first: a rate computed per epoch, used in the batch loop.
        for (const a of anc) if ((a.t === 'For' || a.t === 'While') && isInsideScope(a, anc)) addDerived(a, n.line, counters);
        for (const a of n.args) {
          if (a.kind === 'star' || a.kind === 'dstar') continue;
          if (!isCounterExpr(a.value, counters)) {
            // A per-iteration Python structure whose shape or contents follow the counter.
            const why = structureByCounter(a.value, counters);
            if (why) ctx.report({ node: a.value, message: `\`${textOf(ctx, a.value)}\` is a Python ${why}: \`${n.fn.id}\` is re-traced for each new one. Pass a tensor of fixed shape, or give the function an input_signature.` });
            continue;
          }
          ctx.report({
            node: a.value,
            message: `\`${textOf(ctx, a.value)}\` is a Python number that changes every iteration: \`${n.fn.id}\` is re-traced for each new value. Pass it as a tensor (tf.constant) or give the function an input_signature.`,
            fix: tf ? { title: 'Wrap in tf.constant(...)', edits: [replaceEdit(a.value, `${tf}.constant(${textOf(ctx, a.value)})`)] } : undefined,
          });
        }
      });
    }
  },
};

/** `tf.function(input_signature=...)` or `reduce_retracing=True` / `experimental_relax_shapes=True`. */
function relaxed(d: Node): boolean {
  if (d.t !== 'Call') return false;
  return !!(kwArg(d, 'input_signature') ?? kwArg(d, 'reduce_retracing') ?? kwArg(d, 'experimental_relax_shapes')) || !!argOf(d, 'input_signature', 1);
}

/**
 * Loop targets that are Python numbers changing every iteration: `for i in range(...)`, the
 * index of `enumerate(...)`, and `for lr in [0.1, 0.01]` over a literal list / tuple of numbers.
 */
function loopCounters(ctx: LintContext, loop: Extract<Node, { t: 'For' }>): Set<string> {
  const out = new Set<string>();
  const it = loop.iter;
  const numeric = (e: Node): boolean => e.t === 'Num' || (e.t === 'UnaryOp' && e.op === '-' && e.operand.t === 'Num');
  if ((it.t === 'List' || it.t === 'Tuple') && it.elts.length > 1 && it.elts.every(numeric) && loop.target.t === 'Name') out.add(loop.target.id);
  if (it.t !== 'Call' || it.fn.t !== 'Name' || ctx.imports.has(it.fn.id)) return out;
  if (it.fn.id === 'range' && loop.target.t === 'Name') out.add(loop.target.id);
  if (it.fn.id === 'enumerate' && loop.target.t === 'Tuple' && loop.target.elts[0]?.t === 'Name') out.add(loop.target.elts[0].id);
  return out;
}

/** Whether `name` is assigned (plainly, augmented or as a loop / with target) somewhere in `body`. */
function reboundIn(body: readonly Node[], name: string): boolean {
  let found = false;
  walkLocal(body, (n) => {
    if (found) return;
    if (n.t === 'Assign' && n.targets.some((t) => targetNames(t).includes(name))) found = true;
    else if ((n.t === 'AugAssign' || n.t === 'AnnAssign') && targetNames(n.target).includes(name)) found = true;
    else if (n.t === 'For' && targetNames(n.target).includes(name)) found = true;
  });
  return found;
}

/** Whether `loop` (one of `anc`) is in the innermost function / class / lambda of `anc`. */
function isInsideScope(loop: Node, anc: readonly Node[]): boolean {
  for (let i = anc.length - 1; i >= 0; i--) {
    if (anc[i] === loop) return true;
    if (anc[i].t === 'FunctionDef' || anc[i].t === 'ClassDef' || anc[i].t === 'Lambda') return false;
  }
  return false;
}

/**
 * Names bound once in the loop's body, before `line`, to arithmetic on a counter (`lr = 0.1 *
 * 0.9 ** epoch`): Python numbers that change every iteration too.
 */
function addDerived(loop: Node, line: number, counters: Set<string>): void {
  if (loop.t !== 'For' && loop.t !== 'While') return;
  const assigns = new Map<string, Node[]>();
  walkLocal(loop.body, (x) => {
    const targets = x.t === 'Assign' ? x.targets : x.t === 'AugAssign' || x.t === 'AnnAssign' ? [x.target] : x.t === 'For' ? [x.target] : [];
    for (const t of targets) for (const name of targetNames(t)) assigns.set(name, [...(assigns.get(name) ?? []), x]);
  });
  for (const [name, stmts] of assigns) {
    const st = stmts[0];
    if (counters.has(name) || stmts.length !== 1 || st.t !== 'Assign' || st.line >= line || st.targets.length !== 1 || st.targets[0].t !== 'Name') continue;
    if (st.value.t === 'BinOp' && isCounterExpr(st.value, counters)) counters.add(name);
  }
}

/**
 * Why a list / tuple / dict argument re-traces per iteration: a loop counter (or arithmetic on it) as
 * one of its elements — a Python int inside the structure, traced by value — or a comprehension over
 * `range(<counter expression>)`, whose length changes with the counter. Structures of tensors whose
 * layout does not depend on the counter are traced once, and stay quiet.
 */
function structureByCounter(e: Node, counters: Set<string>): string | undefined {
  const elts = e.t === 'List' || e.t === 'Tuple' ? e.elts : e.t === 'Dict' ? e.values : undefined;
  if (elts?.some((x) => isCounterExpr(x, counters))) return `${e.t === 'Dict' ? 'dict' : e.t === 'List' ? 'list' : 'tuple'} holding a loop counter, a Python int traced by value`;
  if (e.t === 'Comp' && e.kind !== 'gen') {
    const sized = e.gens.some((g) => g.iter.t === 'Call' && g.iter.fn.t === 'Name' && g.iter.fn.id === 'range' && g.iter.args.some((x) => x.kind === 'pos' && isCounterExpr(x.value, counters)));
    if (sized) return `${e.kind} whose length follows a loop counter`;
  }
  return undefined;
}

function isCounterExpr(e: Node, counters: Set<string>): boolean {
  if (e.t === 'Name') return counters.has(e.id);
  if (e.t === 'BinOp') {
    const names = namesIn(e);
    return [...names].some((x) => counters.has(x)) && onlyArith(e);
  }
  return false;
}

function onlyArith(e: Node): boolean {
  if (e.t === 'Name' || e.t === 'Num') return true;
  if (e.t === 'BinOp') return onlyArith(e.left) && onlyArith(e.right);
  return false;
}


