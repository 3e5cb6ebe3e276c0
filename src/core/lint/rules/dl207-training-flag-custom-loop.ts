// DL207: in a GradientTape training step the model is called without `training=True`
// (Dropout off, BatchNorm in inference mode), or a Keras `call` hard-codes
// `training=True` on a dropout / noise / batch-norm sublayer.

import type { Node } from '../../python/ast';
import type { LintContext, Rule } from '../types';
import { type Call, type Scope, bindingsIn, hasSplat, insertArgEdit, isConst, kwArg, methodName, nameOf, receiver, scopesOf, valueBefore, walkLocal } from './shared-ast';
import { isKerasClass, isKerasModelClass, isKerasModelExpr } from './shared-keras';
import { tapesIn } from './shared-tf';

const TRAINING_DEPENDENT = /^keras\.layers\.(Dropout|SpatialDropout[123]D|GaussianDropout|GaussianNoise|AlphaDropout|BatchNormalization)$/;

export const dl207: Rule = {
  meta: {
    code: 'DL207',
    name: 'training-flag-custom-loop',
    frameworks: ['keras', 'tensorflow'],
    severity: 'warning',
    docs:
      'Calling a Keras model directly runs it in inference mode unless `training=True` is passed: in a GradientTape loop Dropout is off ' +
      'and BatchNorm never updates its statistics. Conversely a hard-coded `training=True` inside `call` keeps dropout active at predict time.',
    fix: 'yes',
    needs: ['GradientTape', 'training'],
  },
  check(ctx) {
    for (const scope of scopesOf(ctx)) {
      checkTapes(ctx, scope);
      if (scope.fn?.name === 'call' && scope.cls && isKerasClass(ctx, scope.cls)) checkCall(ctx, scope);
    }
  },
};

function isKerasModelName(ctx: LintContext, scope: Scope, name: string, line: number): boolean {
  if (name === 'self') return !!scope.cls && isKerasModelClass(ctx, scope.cls);
  return isKerasModelExpr(ctx, valueBefore(ctx, scope, name, line));
}

function checkTapes(ctx: LintContext, scope: Scope): void {
  for (const tape of tapesIn(ctx, scope)) {
    // Models whose trainable variables this tape differentiates.
    const models = new Set<string>();
    walkLocal(scope.body, (n) => {
      if (n.t !== 'Call' || methodName(n) !== 'gradient' || nameOf(receiver(n)) !== tape.name || n.line < tape.with.line) return;
      const src = n.args[1]?.value;
      if (src && src.t === 'Attr' && (src.attr === 'trainable_variables' || src.attr === 'trainable_weights')) {
        const m = nameOf(src.obj);
        if (m) models.add(m);
      }
    });
    for (const m of models) {
      if (!isKerasModelName(ctx, scope, m, tape.with.line)) continue;
      walkLocal(tape.with.body, (n) => {
        if (n.t !== 'Call' || nameOf(n.fn) !== m) return;
        if (kwArg(n, 'training') || hasSplat(n)) return;
        // `model(x, True)`: the second positional argument of call(inputs, training=None) is the flag.
        if (n.args.filter((a) => a.kind === 'pos').length >= 2) return;
        const e = insertArgEdit(ctx, n, 'training=True');
        ctx.report({
          node: n,
          message: `\`${m}(...)\` inside the GradientTape runs in inference mode (Dropout off, BatchNorm not updated). Pass training=True.`,
          fix: e ? { title: 'Pass training=True', edits: [e] } : undefined,
        });
      });
    }
  }
}

function checkCall(ctx: LintContext, scope: Scope): void {
  // self.X = <training-dependent layer> in __init__ / build
  const layers = new Set<string>();
  for (const s of scope.cls!.body) {
    if (s.t !== 'FunctionDef' || (s.name !== '__init__' && s.name !== 'build')) continue;
    walkLocal(s.body, (n) => {
      if (n.t !== 'Assign' || n.value.t !== 'Call' || !TRAINING_DEPENDENT.test(ctx.qualifiedName(n.value.fn) ?? '')) return;
      for (const t of n.targets) if (t.t === 'Attr' && t.obj.t === 'Name' && t.obj.id === 'self') layers.add(t.attr);
    });
  }
  const localLayers = new Set(bindingsIn(scope.body).filter((b) => b.value?.t === 'Call' && TRAINING_DEPENDENT.test(ctx.qualifiedName((b.value as Call).fn) ?? '')).map((b) => b.name));
  walkLocal(scope.body, (n: Node) => {
    if (n.t !== 'Call') return;
    const fn = n.fn;
    const isSub = (fn.t === 'Attr' && fn.obj.t === 'Name' && fn.obj.id === 'self' && layers.has(fn.attr)) || (fn.t === 'Name' && localLayers.has(fn.id));
    if (!isSub) return;
    const tr = kwArg(n, 'training');
    if (!isConst(tr, true)) return;
    ctx.report({
      node: tr!,
      message: 'A hard-coded training=True keeps this layer in training mode at evaluate()/predict() time too. Accept a `training=None` argument in `call` and forward it.',
    });
  });
}
