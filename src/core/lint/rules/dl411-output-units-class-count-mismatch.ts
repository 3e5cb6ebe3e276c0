// DL411: a classifier head whose number of outputs differs from the number of classes the
// labels have. Evidence: one-hot targets of another width reaching CrossEntropyLoss
// (propagation), or a class count in the file (to_categorical / one_hot num_classes, a
// known dataset) for the one classification model of the file.

import type { Node } from '../../python/ast';
import type { Fix, LintContext, Rule } from '../types';
import { reportShapeDiagnostics, shortCall } from './dl4-shared';
import { type Call, argOf, constNumber, numOf, replaceEdit } from './shared-ast';

/** Classes of well-known datasets (pitfalls.md §0.2). */
const DATASETS: Record<string, number> = {
  'torchvision.datasets.MNIST': 10,
  'torchvision.datasets.FashionMNIST': 10,
  'torchvision.datasets.CIFAR10': 10,
  'torchvision.datasets.CIFAR100': 100,
  'keras.datasets.mnist.load_data': 10,
  'keras.datasets.fashion_mnist.load_data': 10,
  'keras.datasets.cifar10.load_data': 10,
  'keras.datasets.cifar100.load_data': 100,
};

/** Class-count arguments: qualified function -> (keyword, position). */
const ONE_HOT: Record<string, [string, number]> = {
  'keras.utils.to_categorical': ['num_classes', 1],
  'keras.utils.np_utils.to_categorical': ['num_classes', 1],
  'tensorflow.one_hot': ['depth', 1],
  'torch.nn.functional.one_hot': ['num_classes', 1],
};

/** Losses that make a model a classifier over its output width. */
const CLASSIFICATION_LOSS = /(CrossEntropyLoss|NLLLoss|cross_entropy|nll_loss|categorical_crossentropy|CategoricalCrossentropy)/;
/** A name or string that is one of those losses (binary_cross_entropy is not: its outputs are not classes). */
const CLASSIFICATION_LOSS_WORD = /^(CrossEntropyLoss|NLLLoss|cross_entropy|nll_loss|(sparse_)?categorical_crossentropy|(Sparse)?CategoricalCrossentropy)$/;

export const dl411: Rule = {
  meta: {
    code: 'DL411',
    name: 'output-units-class-count-mismatch',
    frameworks: ['pytorch', 'keras'],
    severity: 'error',
    docs:
      'A classifier head whose number of outputs differs from the number of classes fails at fit (one-hot labels of width K ' +
      "vs K' outputs), crashes in PyTorch on a target index beyond the outputs, or wastes outputs that never see a label. " +
      'Found by propagation (one-hot targets of another width reaching the loss), or from a class count in the file ' +
      '(to_categorical / one_hot, a known dataset) for the one classification model, when a class loss is applied to a ' +
      'model\'s output (Keras compile, or a cross-entropy whose input comes from a model call).',
    fix: 'offered',
  },
  check(ctx) {
    reportShapeDiagnostics(ctx, 'DL411', (d, def) => ({ message: `${def ? `${shortCall(ctx, def)}: ` : ''}${d.message.replace(/^\w+: /, '')}` }));
    classCountEvidence(ctx);
  },
};

function classCountEvidence(ctx: LintContext): void {
  // Evidence from the code, not from comments or docstrings that mention a loss: a class
  // loss that a model's output reaches (not one on a similarity matrix next to an embedding net).
  if (!CLASSIFICATION_LOSS.test(ctx.text) || !mentionsClassificationLoss(ctx)) return;
  const feeders = modelFeedsClassLoss(ctx);
  if (!feeders) return;
  const counts = new Set<number>();
  ctx.walk((n, anc) => {
    if (n.t !== 'Call') return;
    const q = ctx.qualifiedName(n.fn);
    if (!q) return;
    // A dataset's classes, unless its labels are mapped to others (target_transform=, or the
    // load_data() labels rebound: `y = np.isin(y, VEHICLES)`).
    if (q in DATASETS && !argOf(n, 'target_transform', -1) && !labelsRebound(ctx, n, anc)) counts.add(DATASETS[q]);
    const oh = ONE_HOT[q];
    if (oh) {
      const k = classCountOf(ctx, argOf(n, oh[0], oh[1]));
      if (k !== undefined && Number.isInteger(k)) counts.add(k);
    }
  }, ['Call']);
  if (counts.size !== 1) return;
  const k = [...counts][0];
  // The one classification model: the one model of 2-D output whose output reaches the loss
  // (not a backbone next to a linear probe that is the classifier, nor a regression head
  // elsewhere in the file that no class loss sees).
  const models = ctx.analysis.models.filter((m) => m.outputShape && m.outputShape.length === 2 && typeof m.outputShape[1] === 'number'
    && feeds(ctx, m.name, feeders));
  if (models.length !== 1) return;
  const m = models[0];
  const out = m.outputShape![1] as number;
  if (out === k || (k === 2 && out === 1)) return;
  const head = [...m.layers].reverse().find((l) => l.type === 'Linear' || l.type === 'Dense');
  if (!head || head.outputShape?.[head.outputShape.length - 1] !== out) return;
  const call = headCall(ctx, head.line, head.type, out);
  if (!call) return;
  ctx.report({
    node: call,
    severity: out < k ? 'error' : 'warning',
    message: `${shortCall(ctx, call)} gives ${out} outputs but the labels have ${k} classes; ${out < k ? 'targets beyond the outputs fail' : `${out - k} outputs never receive a label`}.`,
    fix: unitsFix(ctx, call, k),
  });
}

/**
 * A class count the code fixes: a number (literal or module constant), or `len(<list>)` of a
 * list / tuple literal, or of a module-level name bound once to one and never changed in place.
 */
function classCountOf(ctx: LintContext, n: Node | undefined): number | undefined {
  const direct = numOf(n) ?? constNumber(ctx, n);
  if (direct !== undefined || !n || n.t !== 'Call' || n.fn.t !== 'Name' || n.fn.id !== 'len' || ctx.facts.imports.has('len') || n.args.length !== 1) return direct;
  const a = n.args[0].kind === 'pos' ? n.args[0].value : undefined;
  if (!a) return undefined;
  const literalLength = (v: Node | undefined) => v && (v.t === 'List' || v.t === 'Tuple') && !v.elts.some((e) => e.t === 'Starred') ? v.elts.length : undefined;
  if (a.t !== 'Name') return literalLength(a);
  const b = ctx.facts.soleBinding(a.id, undefined);
  if (!b || b.how !== 'assign' || !b.value) return undefined;
  let changed = false;
  ctx.walk((x) => {
    if (x.t === 'Call' && x.fn.t === 'Attr' && x.fn.obj.t === 'Name' && x.fn.obj.id === a.id && /^(append|extend|insert|remove|pop|clear)$/.test(x.fn.attr)) changed = true;
    if ((x.t === 'Assign' && x.targets.some((t) => t.t === 'Subscript' && t.obj.t === 'Name' && t.obj.id === a.id))
      || (x.t === 'AugAssign' && x.target.t === 'Name' && x.target.id === a.id)) changed = true;
  }, ['Call', 'Assign', 'AugAssign']);
  return changed ? undefined : literalLength(b.value);
}

/** The head's constructor on its line: of several (`nn.Sequential(nn.Linear(a, b), nn.Linear(b, out))`), the one giving `out` outputs, else the last. */
function headCall(ctx: LintContext, line: number, type: string, out: number): Call | undefined {
  const found: Call[] = [];
  ctx.walk((n: Node) => {
    if (n.t === 'Call' && n.line === line && ctx.qualifiedName(n.fn)?.endsWith(`.${type}`)) found.push(n);
  }, ['Call']);
  const width = (c: Call) => constNumber(ctx, ctx.qualifiedName(c.fn)?.startsWith('torch') ? argOf(c, 'out_features', 1) : argOf(c, 'units', 0));
  return found.find((c) => width(c) === out) ?? found[found.length - 1];
}

function unitsFix(ctx: LintContext, call: Call, k: number): Fix | undefined {
  const q = ctx.qualifiedName(call.fn) ?? '';
  const node = q.startsWith('torch') ? argOf(call, 'out_features', 1) : argOf(call, 'units', 0);
  if (!node || node.t !== 'Num') return undefined;
  return { title: `Set the output width to ${k}`, edits: [replaceEdit(node, String(k))], safe: false };
}

const LIBRARY_ROOTS = /^(torch|tensorflow|keras|numpy|jax|math|builtins)(\.|$)/;
const lossWord = (q: string | undefined) => !!q && CLASSIFICATION_LOSS_WORD.test(q.slice(q.lastIndexOf('.') + 1));

/**
 * Whether a classification loss is applied to a model's output: Keras `compile(loss=...)`
 * with a class loss, or a class loss (`F.cross_entropy`, a `CrossEntropyLoss()` instance)
 * whose input is a call of something that is not a library function (`model(x)`,
 * `self.head(h)`), a name bound from one, or a view / index / attribute of those
 * (`logits.view(-1, V)`, `out[0]`, `out.logits`).
 */
function modelFeedsClassLoss(ctx: LintContext): Set<string> | undefined {
  // `model(x)`, `self.head(h)`, `net.forward(x)`: not a library function, not a tensor's method.
  const selfRooted = (e: Node): boolean => (e.t === 'Attr' ? selfRooted(e.obj) : e.t === 'Name' && e.id === 'self');
  const isModelCall = (n: Node): boolean => n.t === 'Call' && !LIBRARY_ROOTS.test(ctx.qualifiedName(n.fn) ?? '') && !lossWord(ctx.qualifiedName(n.fn))
    && (n.fn.t === 'Name' || (n.fn.t === 'Attr' && (n.fn.attr === 'forward' || selfRooted(n.fn.obj))));
  const lossNames = new Set<string>();
  // Names bound from a model's output, with that model (its variable, or the layer attribute
  // `self.head`); '?' for an element of a tuple of outputs.
  const outputOf = new Map<string, string>();
  /** The model whose output `e` is, through views, indexing and attributes (`logits.view(-1, V)`, `out[0]`, `out.logits`). */
  const modelBehind = (e: Node): string | undefined => {
    let x: Node = e;
    for (;;) {
      if (x.t === 'Name') return outputOf.get(x.id);
      if (x.t === 'Call' && isModelCall(x)) return x.fn.t === 'Name' ? x.fn.id : x.fn.t === 'Attr' && x.fn.attr === 'forward' && x.fn.obj.t === 'Name' ? x.fn.obj.id : x.fn.t === 'Attr' ? x.fn.attr : '?';
      if (x.t === 'Subscript' || x.t === 'Attr') x = x.obj;
      else if (x.t === 'Call' && x.fn.t === 'Attr' && !LIBRARY_ROOTS.test(ctx.qualifiedName(x.fn) ?? '')) x = x.fn.obj;
      else return undefined;
    }
  };
  const bind = (t: Node, to: (name: string) => void) => {
    if (t.t === 'Name') to(t.id);
    else if (t.t === 'Tuple' || t.t === 'List') for (const e of t.elts) bind(e, to);
  };
  // In source order, so that `logits = out.logits` after `out = model(x)` is an output too.
  ctx.walk((n) => {
    if (n.t !== 'Assign') return;
    if (n.value.t === 'Call' && lossWord(ctx.qualifiedName(n.value.fn))) {
      for (const t of n.targets) bind(t, (name) => lossNames.add(name));
      return;
    }
    const model = modelBehind(n.value);
    if (model) for (const t of n.targets) bind(t, (name) => outputOf.set(name, t.t === 'Name' ? model : '?'));
  }, ['Assign']);
  const found = new Set<string>();
  ctx.walk((n) => {
    if (n.t !== 'Call') return;
    if (n.fn.t === 'Attr' && n.fn.attr === 'compile') {
      const loss = argOf(n, 'loss', 1);
      const word = loss?.t === 'Str' ? loss.v : loss?.t === 'Call' ? ctx.qualifiedName(loss.fn) : loss ? ctx.qualifiedName(loss) : undefined;
      if (lossWord(word)) found.add(n.fn.obj.t === 'Name' ? n.fn.obj.id : '?');
      return;
    }
    const isLoss = lossWord(ctx.qualifiedName(n.fn)) || (n.fn.t === 'Name' && lossNames.has(n.fn.id)) || (n.fn.t === 'Call' && lossWord(ctx.qualifiedName(n.fn.fn)));
    const input = argOf(n, 'input', 0);
    const model = isLoss && input ? modelBehind(input) : undefined;
    if (model) found.add(model);
  }, ['Call']);
  return found.size ? found : undefined;
}

/** Whether the model summarised as `name` is one of the feeders (a variable, or a variable holding an instance of that class); an unnamed feeder counts for any. */
function feeds(ctx: LintContext, name: string, feeders: ReadonlySet<string>): boolean {
  if (feeders.has('?') || feeders.has(name)) return true;
  for (const f of feeders) {
    const b = ctx.facts.soleBinding(f, undefined);
    const v = b?.how === 'assign' ? b.value : undefined;
    if (v && v.t === 'Call' && ((v.fn.t === 'Name' && v.fn.id === name) || (v.fn.t === 'Attr' && v.fn.attr === name))) return true;
  }
  return false;
}

/** `(x, y), _ = keras.datasets.cifar10.load_data()` whose label names are bound again later in the file. */
function labelsRebound(ctx: LintContext, call: Node, anc: readonly Node[]): boolean {
  const st = anc[anc.length - 1];
  if (!st || st.t !== 'Assign' || st.value !== call) return false;
  const names: string[] = [];
  const collect = (t: Node, depth: number) => {
    if (t.t === 'Tuple' || t.t === 'List') t.elts.forEach((e, i) => (depth === 0 ? collect(e, 1) : i === 1 && collect(e, 2)));
    else if (t.t === 'Name' && depth === 2) names.push(t.id);
  };
  for (const t of st.targets) collect(t, 0);
  return names.some((n) => (ctx.facts.bindingsOf(ctx.facts.module).get(n)?.length ?? 0) > 1);
}

function mentionsClassificationLoss(ctx: LintContext): boolean {
  let found = false;
  ctx.walk((n) => {
    if (found) return;
    const word = n.t === 'Name' ? n.id : n.t === 'Attr' ? n.attr : n.t === 'Str' ? n.v : '';
    if (CLASSIFICATION_LOSS_WORD.test(word)) found = true;
  }, ['Name', 'Attr', 'Str']);
  return found;
}
