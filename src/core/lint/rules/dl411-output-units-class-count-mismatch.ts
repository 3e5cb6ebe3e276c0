// DL411: a classifier head whose number of outputs differs from the number of classes the
// labels have. Evidence: one-hot targets of another width reaching CrossEntropyLoss
// (propagation), or a class count in the file (to_categorical / one_hot num_classes, a
// known dataset) for the one classification model of the file.

import type { Node } from '../../python/ast';
import type { Fix, LintContext, Rule } from '../types';
import { reportShapeDiagnostics, shortCall } from './dl4-shared';
import { type Call, argOf, numOf, replaceEdit } from './shared-ast';

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
      "vs K' outputs), crashes in PyTorch on a target index beyond the outputs, or wastes outputs that never see a label.",
    fix: 'offered',
  },
  check(ctx) {
    reportShapeDiagnostics(ctx, 'DL411', (d, def) => ({ message: `${def ? `${shortCall(ctx, def)}: ` : ''}${d.message.replace(/^\w+: /, '')}` }));
    classCountEvidence(ctx);
  },
};

function classCountEvidence(ctx: LintContext): void {
  // Evidence from the code, not from comments or docstrings that mention a loss.
  if (!CLASSIFICATION_LOSS.test(ctx.text) || !mentionsClassificationLoss(ctx)) return;
  const counts = new Set<number>();
  ctx.walk((n) => {
    if (n.t !== 'Call') return;
    const q = ctx.qualifiedName(n.fn);
    if (!q) return;
    if (q in DATASETS) counts.add(DATASETS[q]);
    const oh = ONE_HOT[q];
    if (oh) {
      const k = numOf(argOf(n, oh[0], oh[1]));
      if (k !== undefined && Number.isInteger(k)) counts.add(k);
    }
  }, ['Call']);
  if (counts.size !== 1) return;
  const k = [...counts][0];
  const models = ctx.analysis.models.filter((m) => m.outputShape && m.outputShape.length === 2 && typeof m.outputShape[1] === 'number');
  if (models.length !== 1) return;
  const m = models[0];
  const out = m.outputShape![1] as number;
  if (out === k || (k === 2 && out === 1)) return;
  const head = [...m.layers].reverse().find((l) => l.type === 'Linear' || l.type === 'Dense');
  if (!head || head.outputShape?.[head.outputShape.length - 1] !== out) return;
  const call = headCall(ctx, head.line, head.type);
  if (!call) return;
  ctx.report({
    node: call,
    severity: out < k ? 'error' : 'warning',
    message: `${shortCall(ctx, call)} gives ${out} outputs but the labels have ${k} classes; ${out < k ? 'targets beyond the outputs fail' : `${out - k} outputs never receive a label`}.`,
    fix: unitsFix(ctx, call, k),
  });
}

function headCall(ctx: LintContext, line: number, type: string): Call | undefined {
  let found: Call | undefined;
  ctx.walk((n: Node) => {
    if (found || n.t !== 'Call' || n.line !== line) return;
    if (ctx.qualifiedName(n.fn)?.endsWith(`.${type}`)) found = n;
  }, ['Call']);
  return found;
}

function unitsFix(ctx: LintContext, call: Call, k: number): Fix | undefined {
  const q = ctx.qualifiedName(call.fn) ?? '';
  const node = q.startsWith('torch') ? argOf(call, 'out_features', 1) : argOf(call, 'units', 0);
  if (!node || node.t !== 'Num') return undefined;
  return { title: `Set the output width to ${k}`, edits: [replaceEdit(node, String(k))], safe: false };
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
