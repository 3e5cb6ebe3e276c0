// DL202: the labels given to fit()/evaluate() are one-hot while the loss is the sparse
// one, or integer class ids while the loss is categorical_crossentropy. PyTorch analogue:
// CrossEntropyLoss given an F.one_hot(...) target that was not cast to float (torch rejects
// an integer one-hot target; class probabilities must be floating point).

import type { Node } from '../../python/ast';
import type { LintContext, Rule } from '../types';
import { type Call, type Scope, argOf, bindingsIn, lastBindingBefore, methodName, nameOf, receiver, replaceEdit, scopesOf, strOf, textOf, valueBefore, walkLocal } from './shared-ast';
import { compileCalls, compileLoss } from './shared-keras';

type Encoding = 'onehot' | 'integer';

const ONEHOT = new Set(['keras.utils.to_categorical', 'keras.utils.np_utils.to_categorical', 'tensorflow.one_hot', 'pandas.get_dummies']);
/** keras.datasets whose load_data() labels are integer class ids. */
const INT_DATASETS = /^keras\.datasets\.(mnist|fashion_mnist|cifar10|cifar100|reuters)\.load_data$/;

export const dl202: Rule = {
  meta: {
    code: 'DL202',
    name: 'label-encoding-loss-mismatch',
    frameworks: ['keras', 'pytorch'],
    severity: 'error',
    docs:
      '`sparse_categorical_crossentropy` expects integer class ids and `categorical_crossentropy` expects one-hot vectors; ' +
      'giving one the other\'s labels fails at fit() with a shape error or trains on the wrong targets. ' +
      'Labels are known one-hot from `to_categorical`, `tf.one_hot`, `pd.get_dummies` (and its `.values` / `.to_numpy()`), `np.eye(k)[y]`, `OneHotEncoder().fit_transform`, and integer from `keras.datasets.*.load_data()`, `.argmax(...)`, `.astype(int)`, `LabelEncoder().fit_transform` and a one-dimensional `np.random.randint`. ' +
      'In PyTorch, CrossEntropyLoss rejects an integer F.one_hot(...) target: give the class ids, or cast the one-hot to float for class probabilities.',
    fix: 'yes',
    needs: ['compile', 'one_hot'],
  },
  check(ctx) {
    torchOneHotTargets(ctx);
    for (const scope of scopesOf(ctx)) {
      const compiles = compileCalls(scope);
      if (!compiles.length) continue;
      walkLocal(scope.body, (n) => {
        if (n.t !== 'Call') return;
        const m = methodName(n);
        if (m !== 'fit' && m !== 'evaluate') return;
        const model = nameOf(receiver(n));
        if (!model) return;
        const compile = [...compiles].reverse().find((c) => c.model === model && c.call.line < n.line);
        if (!compile) return;
        const loss = compileLoss(ctx, scope, compile.call);
        if (!loss || loss.family === 'binary') return;
        const y = argOf(n, 'y', 1);
        const found = y ? encodingOf(ctx, scope, y, n.line) : undefined;
        if (!found) return;
        const enc = found.enc;
        // Labels and loss chosen together by an if / else: no run pairs one branch's labels with the other's loss.
        if (exclusiveBranches(ctx, found.at, loss.resolved)) return;
        const wrong = (enc === 'onehot' && loss.family === 'sparse') || (enc === 'integer' && loss.family === 'categorical');
        if (!wrong) return;
        const want = enc === 'onehot' ? 'categorical_crossentropy' : 'sparse_categorical_crossentropy';
        const s = strOf(loss.node);
        ctx.report({
          node: y!,
          message: enc === 'onehot'
            ? 'These labels are one-hot encoded, but the model is compiled with the sparse categorical cross-entropy, which expects integer class ids.'
            : 'These labels are integer class ids, but the model is compiled with categorical_crossentropy, which expects one-hot vectors.',
          related: [{ message: 'loss given here', range: ctx.rangeOf(loss.node) }],
          fix: s !== undefined ? { title: `Use "${want}"`, edits: [replaceEdit(loss.node, quote(ctx, loss.node, want))] } : undefined,
        });
      });
    }
  },
};

function quote(ctx: LintContext, n: Node, v: string): string {
  const q = ctx.lines[n.line]?.[n.col] === "'" ? "'" : '"';
  return `${q}${v}${q}`;
}

/** The encoding of the labels `y`, and the node that gives it (the call, or the statement binding the name). */
function encodingOf(ctx: LintContext, scope: Scope, y: Node, line: number): { enc: Encoding; at: Node } | undefined {
  const of = (enc: Encoding | undefined, at: Node) => (enc ? { enc, at } : undefined);
  if (y.t !== 'Name') return of(exprEncoding(ctx, y, scope), y);
  const bindings = bindingsIn(scope.body);
  const b = lastBindingBefore(bindings, y.id, line);
  if (!b) return undefined;
  if (b.value) return of(exprEncoding(ctx, b.value, scope), b.stmt);
  // `(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()`
  if (b.stmt.t === 'Assign' && b.unpackIndex && b.unpackIndex.length === 2 && b.unpackIndex[1] === 1 && b.stmt.value.t === 'Call') {
    if (INT_DATASETS.test(ctx.qualifiedName(b.stmt.value.fn) ?? '')) return { enc: 'integer', at: b.stmt };
  }
  return undefined;
}

/** Whether `a` and `b` sit in different branches (body / else) of one `if` statement. */
function exclusiveBranches(ctx: LintContext, a: Node, b: Node): boolean {
  const inside = (n: Node, block: readonly Node[]) => block.length > 0 && n.line >= block[0].line && n.endLine <= block[block.length - 1].endLine;
  let found = false;
  ctx.walk((n) => {
    if (found || n.t !== 'If') return;
    if ((inside(a, n.body) && inside(b, n.orelse)) || (inside(b, n.body) && inside(a, n.orelse))) found = true;
  }, ['If']);
  return found;
}

/** Integer dtypes given to `.astype(...)`: `int`, `"int64"`, `np.int32`, `"uint8"` ... */
const INT_DTYPE = /^(numpy\.)?u?int(8|16|32|64)?$/;

/** `np.eye(k)[y]` / `np.identity(k)[y]`: rows of an identity matrix picked by the class ids. */
const EYE = new Set(['numpy.eye', 'numpy.identity']);

/**
 * The encoding an expression gives: a call (callEncoding), `np.eye(k)[y]` (one-hot), or the
 * `.values` of a known encoding (`pd.get_dummies(...).values`).
 */
function exprEncoding(ctx: LintContext, e: Node, scope?: Scope): Encoding | undefined {
  if (e.t === 'Call') return callEncoding(ctx, e, scope);
  if (e.t === 'Subscript' && e.obj.t === 'Call' && EYE.has(ctx.qualifiedName(e.obj.fn) ?? '')) return 'onehot';
  if (e.t === 'Attr' && e.attr === 'values') return exprEncoding(ctx, e.obj, scope);
  return undefined;
}

function callEncoding(ctx: LintContext, c: Call, scope?: Scope): Encoding | undefined {
  const q = ctx.qualifiedName(c.fn);
  if (q && ONEHOT.has(q)) return 'onehot';
  // Integer class ids (the catalogue's `.argmax(-1)`, `astype(int)`, `LabelEncoder`), and
  // `np.random.randint(lo, hi, size=(n,))` with a one-dimensional size.
  if (q === 'numpy.argmax') return 'integer';
  if (q === 'numpy.random.randint') {
    const size = argOf(c, 'size', 2);
    const oneDim = size && (size.t === 'Num' || (size.t === 'Tuple' && size.elts.length === 1));
    return oneDim ? 'integer' : undefined;
  }
  if (q) return undefined;
  const m = methodName(c);
  if (m === 'argmax') return 'integer';
  // A one-hot array converted or cast stays one-hot: `pd.get_dummies(df).to_numpy()`, `to_categorical(y).astype("int32")`.
  const r0 = receiver(c);
  if ((m === 'to_numpy' || m === 'astype') && r0 && exprEncoding(ctx, r0, scope) === 'onehot') return 'onehot';
  if (m === 'astype') {
    const d = argOf(c, 'dtype', 0);
    const name = d ? (d.t === 'Str' ? d.v : d.t === 'Name' ? d.id : ctx.qualifiedName(d)) : undefined;
    return name && INT_DTYPE.test(name) ? 'integer' : undefined;
  }
  if (m === 'fit_transform') {
    let r = receiver(c);
    if (r && r.t === 'Name' && scope) r = valueBefore(ctx, scope, r.id, c.line);
    const rq = r && r.t === 'Call' ? ctx.qualifiedName(r.fn) : undefined;
    return rq === 'sklearn.preprocessing.LabelEncoder' ? 'integer' : rq === 'sklearn.preprocessing.OneHotEncoder' ? 'onehot' : undefined;
  }
  return undefined;
}

/**
 * A cross-entropy call (F.cross_entropy, or a CrossEntropyLoss module called) whose target
 * is an F.one_hot(...) result not cast to float, inline or by the name's last binding in the
 * scope: the call and the one_hot call. Shared with DL410, which leaves the shape error to this rule.
 */
export function oneHotTarget(ctx: LintContext, scope: Scope, call: Call): { oneHot: Call; inline: boolean } | undefined {
  // The target first: a one_hot call or a name (cheap), then whether the callee is a cross entropy.
  const t = argOf(call, 'target', 1);
  if (!t || (t.t !== 'Call' && t.t !== 'Name')) return undefined;
  const q = ctx.qualifiedName(call.fn);
  const module = q !== 'torch.nn.functional.cross_entropy' && call.fn.t === 'Name' ? valueBefore(ctx, scope, call.fn.id, call.line) : undefined;
  // F.cross_entropy, a name bound to CrossEntropyLoss(...), or one constructed in the call (`nn.CrossEntropyLoss()(pred, y)`).
  const inlineLoss = call.fn.t === 'Call' && ctx.qualifiedName(call.fn.fn) === 'torch.nn.CrossEntropyLoss';
  const loss = inlineLoss || q === 'torch.nn.functional.cross_entropy' || (module?.t === 'Call' && ctx.qualifiedName(module.fn) === 'torch.nn.CrossEntropyLoss');
  if (!loss) return undefined;
  const isOneHot = (n: Node | undefined): n is Call => !!n && n.t === 'Call' && ctx.qualifiedName(n.fn) === 'torch.nn.functional.one_hot';
  if (isOneHot(t)) return { oneHot: t, inline: true };
  if (t.t !== 'Name') return undefined;
  const b = lastBindingBefore(bindingsIn(scope.body), t.id, call.line);
  if (!b?.value || !isOneHot(b.value)) return undefined;
  // A cast between the binding and the loss (`target = target.float()`) would be a later binding.
  return { oneHot: b.value, inline: false };
}

function torchOneHotTargets(ctx: LintContext): void {
  for (const scope of scopesOf(ctx)) {
    walkLocal(scope.body, (n) => {
      if (n.t !== 'Call') return;
      // A one_hot cast on the way in (`F.one_hot(y, 5).float()`) makes the target a call of the cast: not found.
      const found = oneHotTarget(ctx, scope, n);
      if (!found) return;
      const ids = found.oneHot.args[0];
      ctx.report({
        node: n,
        message: 'CrossEntropyLoss is given an integer one-hot target (F.one_hot): torch rejects it ("0D or 1D target tensor expected, multi-target not supported"). Pass the class ids, or cast the one-hot to float for class-probability targets.',
        related: [{ message: 'one-hot target made here', range: ctx.rangeOf(found.oneHot) }],
        fix: found.inline && ids && ids.kind === 'pos' ? { title: 'Pass the class ids', edits: [replaceEdit(found.oneHot, textOf(ctx, ids.value))], safe: false } : undefined,
      });
    });
  }
}
