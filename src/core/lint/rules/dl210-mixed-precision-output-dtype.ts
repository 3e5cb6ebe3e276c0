// DL210: under the mixed_float16 policy the output softmax/sigmoid (and so the loss) is
// computed in float16 unless the output layer is given dtype="float32".

import type { Node } from '../../python/ast';
import type { FunctionDef } from '../facts';
import type { LintContext, Rule } from '../types';
import { argOf, bindingsIn, insertArgEdit, kwArg, methodName, nameOf, receiver, scopesOf, strOf, valueBefore, walkLocal } from './shared-ast';
import { tapesIn } from './shared-tf';
import { modelBuiltBy, modelDef, outputHead } from './shared-keras';

const SET_POLICY = /^keras\.mixed_precision\.(set_global_policy|set_policy|experimental\.set_policy|set_dtype_policy)$|^keras\.config\.set_dtype_policy$/;

function isMixedF16(ctx: LintContext, n: Node | undefined, depth = 0): boolean {
  if (!n) return false;
  if (strOf(n) === 'mixed_float16') return true;
  // `policy = mixed_precision.Policy("mixed_float16")` (or a constant string) bound once at module level.
  if (n.t === 'Name' && depth < 3) {
    const b = ctx.facts.soleBinding(n.id, undefined);
    return !!b && b.how === 'assign' && isMixedF16(ctx, b.value, depth + 1);
  }
  if (n.t === 'Call' && /^keras\.mixed_precision\.(Policy|experimental\.Policy)$|^keras\.DTypePolicy$/.test(ctx.qualifiedName(n.fn) ?? '')) return strOf(argOf(n, 'name', 0)) === 'mixed_float16';
  return false;
}

export const dl210: Rule = {
  meta: {
    code: 'DL210',
    name: 'mixed-precision-output-dtype',
    frameworks: ['keras'],
    severity: 'warning',
    docs:
      'Under the `mixed_float16` policy every layer computes in float16, including the final softmax/sigmoid and therefore the loss, ' +
      'which is numerically unstable. Give the output layer (or a trailing Activation layer) `dtype="float32"`. ' +
      'A GradientTape step that calls `apply_gradients` on a plain Keras optimizer under that policy (the only one the file sets, no loss scaling mentioned) is also reported: wrap it in LossScaleOptimizer.',
    fix: 'yes',
    needs: ['set_global_policy', 'set_policy', 'set_dtype_policy'],
  },
  check(ctx) {
    let policyLine = -1;
    // Every policy change, in file order: a model built after a later non-mixed_float16 policy
    // (set_global_policy("float32"), or one we cannot read) is not under mixed_float16.
    const sets: Array<{ line: number; mixed: boolean }> = [];
    ctx.walk((n) => {
      if (n.t !== 'Call' || !SET_POLICY.test(ctx.qualifiedName(n.fn) ?? '')) return;
      const mixed = isMixedF16(ctx, argOf(n, 'policy', 0) ?? argOf(n, 'policy_name', 0));
      sets.push({ line: n.line, mixed });
      if (policyLine < 0 && mixed) policyLine = n.line;
    }, ['Call']);
    if (policyLine < 0) return;
    customLoopWithoutLossScaling(ctx, sets);
    const mixedAt = (line: number): boolean => {
      let m = false;
      for (const st of sets) if (st.line < line) m = st.mixed;
      return m;
    };
    const done = new Set<Node>();
    for (const scope of scopesOf(ctx)) {
      for (const b of bindingsIn(scope.body)) {
        if (!b.value || b.value.t !== 'Call' || done.has(b.value) || b.line < policyLine) continue;
        const def = modelDef(ctx, scope, b.name, Number.MAX_SAFE_INTEGER);
        // The model built here, or by a builder function called here (under the policy in force at the call).
        if (!def || (def.ctor !== b.value && !def.builder) || done.has(def.ctor)) continue;
        done.add(b.value);
        done.add(def.ctor);
        if (!mixedAt(b.line)) continue;
        reportHead(ctx, outputHead(ctx, scope, def, Number.MAX_SAFE_INTEGER));
      }
    }
    // A builder function the file defines under the policy but never calls (a model module
    // imported elsewhere): its model is built under the policy the module leaves in force.
    if (!mixedAt(Number.MAX_SAFE_INTEGER)) return;
    const sites = ctx.facts.callSites();
    for (const f of ctx.module.body) {
      if (f.t !== 'FunctionDef' || f.line < policyLine || sites.get(f.name)?.length || ctx.facts.isReferencedAsValue(f.name)) continue;
      const def = modelBuiltBy(ctx, f.name);
      if (!def || done.has(def.ctor)) continue;
      done.add(def.ctor);
      reportHead(ctx, outputHead(ctx, { body: f.body, fn: f as FunctionDef }, def, Number.MAX_SAFE_INTEGER));
    }
  },
};

/** Reports a softmax / sigmoid output layer with no dtype= under the mixed_float16 policy. */
function reportHead(ctx: LintContext, head: ReturnType<typeof outputHead>): void {
  if (!head || (head.activation !== 'softmax' && head.activation !== 'sigmoid')) return;
  if (kwArg(head.activationLayer, 'dtype')) return;
  const e = insertArgEdit(ctx, head.activationLayer, 'dtype="float32"');
  ctx.report({
    node: head.activationLayer,
    message: `Under the mixed_float16 policy this ${head.activation} output is computed in float16 (unstable loss). Give the output layer dtype="float32".`,
    fix: e ? { title: 'Compute the output in float32', edits: [e] } : undefined,
  });
}

const KERAS_OPTIMIZER = /^keras\.optimizers\.(legacy\.)?[A-Z]\w*$/;

/**
 * Under mixed_float16 (the only policy the file sets), a GradientTape step that applies gradients
 * with a plain Keras optimizer: fit() scales the loss, a custom loop must use LossScaleOptimizer.
 * Any mention of loss scaling in the file keeps this quiet.
 */
function customLoopWithoutLossScaling(ctx: LintContext, sets: ReadonlyArray<{ mixed: boolean }>): void {
  if (!sets.every((st) => st.mixed)) return;
  // Loss scaling anywhere in the code (not in comments): a LossScaleOptimizer, `loss_scale_factor=`, `optimizer.scale_loss(...)`.
  let scaled = false;
  ctx.walk((n) => {
    if ((n.t === 'Attr' && /LossScale|scale_loss|loss_scale/.test(n.attr)) || (n.t === 'Name' && /LossScale|loss_scale/.test(n.id))
      || (n.t === 'Call' && n.args.some((a) => a.kind === 'kw' && /loss_scale/.test(a.name ?? '')))) scaled = true;
  }, ['Attr', 'Name', 'Call']);
  if (scaled) return;
  for (const scope of scopesOf(ctx)) {
    if (!tapesIn(ctx, scope).length) continue;
    walkLocal(scope.body, (n) => {
      if (n.t !== 'Call' || methodName(n) !== 'apply_gradients') return;
      const r = nameOf(receiver(n));
      const v = r ? valueBefore(ctx, scope, r, n.line) : undefined;
      if (!v || v.t !== 'Call' || !KERAS_OPTIMIZER.test(ctx.qualifiedName(v.fn) ?? '') || /LossScale/.test(ctx.qualifiedName(v.fn) ?? '')) return;
      ctx.report({
        node: n,
        message: `Under the mixed_float16 policy this custom training step applies unscaled float16 gradients: small ones underflow to zero. Wrap the optimizer: ${r} = keras.mixed_precision.LossScaleOptimizer(${r}) and scale the loss (fit() does this for you).`,
      });
    });
  }
}
