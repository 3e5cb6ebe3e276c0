// DL507: Keras `model.predict` called per item in a loop: every call builds an input
// pipeline and a prediction function (slow, and reported to leak memory).

import type { Node } from '../../python/ast';
import { walkAll } from '../facts';
import type { LintContext, Rule } from '../types';
import { type Call, type ClassDef, loopAncestor, methodName, nameOf, numOf, posArg, receiver, replaceEdit, scopesOf, textOf, valueBefore, walkLocal } from './shared-ast';
import { isKerasCallbackClass, isKerasModelClass, isKerasModelExpr } from './shared-keras';

export const dl507: Rule = {
  meta: {
    code: 'DL507',
    name: 'predict-in-loop',
    frameworks: ['keras'],
    severity: 'warning',
    docs:
      '`model.predict` is a batch API that sets up an input pipeline and a prediction function on every call; calling it per sample in a loop ' +
      'is many times slower than one batched call or a direct `model(x, training=False)` call, and has been reported to grow memory.',
    fix: 'offered',
    needs: ['predict'],
  },
  check(ctx) {
    for (const scope of scopesOf(ctx)) {
      walkLocal(scope.body, (n, anc) => {
        if (n.t !== 'Call' || methodName(n) !== 'predict') return;
        const loop = loopAncestor(anc);
        if (!loop) return;
        const recv = receiver(n);
        const attr = selfAttr(recv);
        const r = attr ? `self.${attr}` : nameOf(recv);
        if (!r) return;
        const value = r === 'self' || attr ? undefined : valueBefore(ctx, scope, r, n.line);
        const isModel = attr ? !!scope.cls && attrHoldsModel(ctx, scope.cls, attr)
          : r === 'self' ? !!scope.cls && isKerasModelClass(ctx, scope.cls) : isKerasModelExpr(ctx, value);
        if (!isModel) return;
        const x = posArg(n, 0);
        const single = !!x && isSingleSample(ctx, x);
        // A model built in the same loop (one per cross-validation fold): one batched predict per model, nothing to merge.
        if (!single && value && value.line >= loop.line && value.endLine <= loop.endLine) return;
        const onlyX = n.args.length === 1 && n.args[0].kind === 'pos';
        ctx.report({
          node: n,
          severity: single ? 'warning' : 'information',
          message: single
            ? `\`${r}.predict\` on one sample per loop iteration rebuilds the prediction pipeline every time. Batch the inputs into one predict call, or call \`${r}(x, training=False)\`.`
            : `\`${r}.predict\` inside a loop sets up a prediction pipeline on every call. Prefer one batched call, or \`${r}(x, training=False)\` for small inputs.`,
          fix: single && onlyX && x ? { title: `Call ${r}(x, training=False) directly`, edits: [replaceEdit(n, `${r}(${textOf(ctx, x)}, training=False).numpy()`)] } : undefined,
        });
      });
    }
  },
};

/** `self.<attr>` -> attr. */
function selfAttr(n: Node | undefined): string | undefined {
  return n && n.t === 'Attr' && n.obj.t === 'Name' && n.obj.id === 'self' ? n.attr : undefined;
}

/** Whether every `self.<attr> = ...` in the class's methods (at least one, none of another form) builds or loads a Keras model. */
function attrHoldsModel(ctx: LintContext, cls: ClassDef, attr: string): boolean {
  const values = ctx.facts.selfAttrValues(cls, attr);
  // A Keras callback's self.model, never assigned by the class: the model Keras trains.
  if (attr === 'model' && !values && !assignsSelfAttr(cls, attr) && isKerasCallbackClass(ctx, cls)) return true;
  return !!values && values.every((v) => isKerasModelExpr(ctx, v));
}

/** Whether any statement of the class binds `self.<attr>` (plainly, by unpacking or augmented assignment). */
function assignsSelfAttr(cls: ClassDef, attr: string): boolean {
  const binds = (t: Node): boolean => (t.t === 'Attr' && t.attr === attr && t.obj.t === 'Name' && t.obj.id === 'self')
    || ((t.t === 'Tuple' || t.t === 'List') && t.elts.some(binds)) || (t.t === 'Starred' && binds(t.value));
  let hit = false;
  walkAll(cls.body, (n) => {
    if ((n.t === 'Assign' && n.targets.some(binds)) || ((n.t === 'AnnAssign' || n.t === 'AugAssign') && binds(n.target))) hit = true;
  }, ['Assign', 'AnnAssign', 'AugAssign']);
  return hit;
}

/** `np.expand_dims(x, 0)`, `x[None]`, `x[i:i+1]`, `x.reshape(1, ...)`, `np.array([x])`. */
function isSingleSample(ctx: LintContext, x: Node): boolean {
  if (x.t === 'Call') {
    const q = ctx.qualifiedName(x.fn);
    if (q === 'numpy.expand_dims' || q === 'tensorflow.expand_dims') return numOf(posArg(x, 1) ?? (x.args.find((a) => a.kind === 'kw' && a.name === 'axis')?.value)) === 0;
    if (methodName(x) === 'reshape') return numOf(posArg(x as Call, 0)) === 1 || (posArg(x, 0)?.t === 'Tuple' && numOf((posArg(x, 0) as Extract<Node, { t: 'Tuple' }>).elts[0]) === 1);
    if ((q === 'numpy.array' || q === 'numpy.asarray') && posArg(x, 0)?.t === 'List' && (posArg(x, 0) as Extract<Node, { t: 'List' }>).elts.length === 1) return true;
    return false;
  }
  if (x.t === 'Subscript') {
    const idx = x.index;
    const first = idx.t === 'Tuple' ? idx.elts[0] : idx;
    if (first && first.t === 'Const' && first.v === null) return true;
    if (first && first.t === 'Slice' && first.start && first.stop && first.stop.t === 'BinOp' && first.stop.op === '+' && numOf(first.stop.right) === 1 && textOf(ctx, first.stop.left) === textOf(ctx, first.start)) return true;
  }
  return false;
}
