// DL201: the model's output activation and the loss's `from_logits` flag disagree
// (softmax head + from_logits=True applies softmax twice; a linear head with a
// probability loss feeds raw scores as probabilities), and raw-TF `*_with_logits`
// losses fed with a softmax/sigmoid result.

import type { Node } from '../../python/ast';
import type { Fix, LintContext, Rule } from '../types';
import { type Call, type ClassDef, type FunctionDef, argOf, insertArgEdit, kerasSpelling, kwArg, nameOf, replaceEdit, scopesOf, textOf, valueBefore, walkLocal } from './shared-ast';
import { activationOf, compileCalls, compileLoss, isKerasLayerCtor, isKerasModelClass, modelDef, outputHead, type LossFamily } from './shared-keras';

const CLASS_OF: Record<LossFamily, string> = {
  sparse: 'SparseCategoricalCrossentropy',
  categorical: 'CategoricalCrossentropy',
  binary: 'BinaryCrossentropy',
};

const TF_WITH_LOGITS = new Set([
  'tensorflow.nn.softmax_cross_entropy_with_logits',
  'tensorflow.nn.sparse_softmax_cross_entropy_with_logits',
  'tensorflow.nn.sigmoid_cross_entropy_with_logits',
]);
const TF_ACTIVATIONS = /^(tensorflow\.nn\.softmax|tensorflow\.math\.softmax|tensorflow\.nn\.sigmoid|tensorflow\.math\.sigmoid|tensorflow\.sigmoid|keras\.activations\.softmax|keras\.activations\.sigmoid)$/;

export const dl201: Rule = {
  meta: {
    code: 'DL201',
    name: 'logits-flag-mismatch',
    frameworks: ['keras', 'tensorflow'],
    severity: 'error',
    docs:
      'The output activation and the loss disagree: a softmax/sigmoid head with `from_logits=True` applies the activation twice, ' +
      'and a linear head with a probability loss (every string loss name) treats raw scores as probabilities. ' +
      'Raw TF `*_cross_entropy_with_logits` must receive the pre-activation tensor. A subclassed model whose call() ends in a ' +
      'softmax / sigmoid (a function, or a Dense with that activation) compiled with from_logits=True is the same double activation.',
    fix: 'yes',
    needs: ['compile', 'softmax_cross_entropy_with_logits', 'sparse_softmax_cross_entropy_with_logits', 'sigmoid_cross_entropy_with_logits'],
  },
  check(ctx) {
    for (const scope of scopesOf(ctx)) {
      for (const { call, model } of compileCalls(scope)) {
        const def = modelDef(ctx, scope, model, call.line);
        if (!def) {
          subclassDoubleActivation(ctx, scope, model, call);
          continue;
        }
        const head = outputHead(ctx, scope, def, call.line);
        const loss = compileLoss(ctx, scope, call);
        if (!head || !loss || loss.fromLogits === undefined) continue;
        const probHead = head.activation === 'softmax' || head.activation === 'sigmoid';
        if (probHead && loss.fromLogits) {
          const fix: Fix | undefined = loss.fromLogitsNode ? { title: 'Set from_logits=False', edits: [replaceEdit(loss.fromLogitsNode, 'False')] } : undefined;
          ctx.report({
            node: loss.node,
            message: `The model already ends in ${head.activation}, and this loss is built with from_logits=True: the ${head.activation} is applied twice (weak gradients). Set from_logits=False or drop the output activation.`,
            related: [{ message: `${head.activation} output layer`, range: ctx.rangeOf(head.activationLayer) }],
            fix,
          });
        } else if (head.activation === 'linear' && !loss.fromLogits) {
          ctx.report({
            node: loss.node,
            severity: 'warning',
            message: 'The model ends in a linear layer (logits) but the loss expects probabilities (from_logits=False): raw scores are clipped and treated as probabilities. Use the loss with from_logits=True.',
            related: [{ message: 'linear output layer', range: ctx.rangeOf(head.activationLayer) }],
            fix: logitsFix(ctx, loss.node, loss.resolved, loss.family),
          });
        }
      }
      walkLocal(scope.body, (n) => {
        if (n.t !== 'Call' || !TF_WITH_LOGITS.has(ctx.qualifiedName(n.fn) ?? '')) return;
        const logits = kwArg(n, 'logits');
        if (!logits) return;
        const act = activationCall(ctx, logits) ?? activationCall(ctx, nameOf(logits) ? valueBefore(ctx, scope, nameOf(logits)!, n.line) : undefined);
        if (!act) return;
        const inline = act === logits;
        const input = argOf(act, 'logits', 0) ?? argOf(act, 'x', 0);
        ctx.report({
          node: logits,
          message: `\`logits=\` receives a ${ctx.qualifiedName(act.fn)!.split('.').pop()} result, but this loss applies the activation itself: pass the pre-activation tensor.`,
          fix: inline && input ? { title: 'Pass the pre-activation tensor', edits: [replaceEdit(act, textOf(ctx, input))] } : undefined,
        });
      });
    }
  },
};

/** softmax / sigmoid functions a subclassed model's call() may end with. */
const CALL_ACTIVATIONS = /^(tensorflow\.nn\.softmax|tensorflow\.math\.softmax|tensorflow\.nn\.sigmoid|tensorflow\.math\.sigmoid|tensorflow\.sigmoid|keras\.activations\.softmax|keras\.activations\.sigmoid|keras\.ops\.softmax|keras\.ops\.sigmoid)$/;

/**
 * A subclassed Keras model (`net = Net()`, Net a keras.Model subclass of this file) whose call()
 * has one return, and it is a softmax / sigmoid: `return tf.nn.softmax(self.out(h))`, or
 * `return self.out(h)` with `self.out = layers.Dense(k, activation="softmax")` assigned once in
 * the class. Compiled with from_logits=True, the activation is applied twice. Classes that
 * override train_step / compute_loss (the loss may not see call()'s output) are left alone.
 */
function subclassDoubleActivation(ctx: LintContext, scope: Parameters<typeof valueBefore>[1], model: string, compile: Call): void {
  const v = valueBefore(ctx, scope, model, compile.line);
  if (!v || v.t !== 'Call' || v.fn.t !== 'Name') return;
  const clsName = v.fn.id;
  const cls = ctx.module.body.find((st): st is ClassDef => st.t === 'ClassDef' && st.name === clsName);
  if (!cls || !isKerasModelClass(ctx, cls)) return;
  const methods = cls.body.filter((st): st is FunctionDef => st.t === 'FunctionDef');
  if (methods.some((m) => m.name === 'train_step' || m.name === 'compute_loss')) return;
  const callFn = methods.find((m) => m.name === 'call');
  if (!callFn) return;
  const rets: Node[] = [];
  walkLocal(callFn.body, (n) => {
    if (n.t === 'Return') rets.push(n);
  });
  const ret = rets.length === 1 && rets[0].t === 'Return' ? rets[0].value : undefined;
  if (!ret || ret.t !== 'Call') return;
  let act: string | undefined;
  let at: Node = ret;
  const q = ctx.qualifiedName(ret.fn);
  if (q && CALL_ACTIVATIONS.test(q)) act = q.endsWith('softmax') ? 'softmax' : 'sigmoid';
  else if (ret.fn.t === 'Attr' && ret.fn.obj.t === 'Name' && ret.fn.obj.id === 'self') {
    const attr = ret.fn.attr;
    const assigns: Node[] = [];
    for (const m of methods) walkLocal(m.body, (n) => {
      if (n.t === 'Assign' && n.targets.some((t) => t.t === 'Attr' && t.attr === attr && t.obj.t === 'Name' && t.obj.id === 'self')) assigns.push(n.value);
    });
    const layer = assigns.length === 1 ? assigns[0] : undefined;
    const a = layer && isKerasLayerCtor(ctx, layer) ? activationOf(ctx, layer) : undefined;
    if (a && (a.act === 'softmax' || a.act === 'sigmoid')) {
      act = a.act;
      at = layer!;
    }
  }
  if (!act) return;
  const loss = compileLoss(ctx, scope, compile);
  if (!loss || loss.fromLogits !== true) return;
  ctx.report({
    node: loss.node,
    message: `${clsName}.call() already ends in ${act}, and this loss is built with from_logits=True: the ${act} is applied twice (weak gradients). Set from_logits=False or return the logits from call().`,
    related: [{ message: `${act} output of call()`, range: ctx.rangeOf(at) }],
    fix: loss.fromLogitsNode ? { title: 'Set from_logits=False', edits: [replaceEdit(loss.fromLogitsNode, 'False')] } : undefined,
  });
}

function activationCall(ctx: LintContext, n: Node | undefined): Call | undefined {
  if (!n || n.t !== 'Call') return undefined;
  return TF_ACTIVATIONS.test(ctx.qualifiedName(n.fn) ?? '') ? n : undefined;
}

/** Rewrites the loss so that it takes logits. */
function logitsFix(ctx: LintContext, node: Node, resolved: Node, family: LossFamily): Fix | undefined {
  if (resolved.t === 'Str' && node === resolved) {
    const cls = kerasSpelling(ctx, `losses.${CLASS_OF[family]}`);
    return cls ? { title: `Use ${CLASS_OF[family]}(from_logits=True)`, edits: [replaceEdit(node, `${cls}(from_logits=True)`)] } : undefined;
  }
  if (resolved.t === 'Call') {
    const fl = argOf(resolved, 'from_logits', 0);
    if (fl) return { title: 'Set from_logits=True', edits: [replaceEdit(fl, 'True')] };
    const e = insertArgEdit(ctx, resolved, 'from_logits=True');
    return e ? { title: 'Set from_logits=True', edits: [e] } : undefined;
  }
  return undefined;
}
