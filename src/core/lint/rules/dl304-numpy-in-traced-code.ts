// DL304: `.numpy()` or NumPy calls on tensors inside traced code (tf.function, Keras
// call/train_step, losses and metrics given to compile, Dataset.map functions): the
// tensors are symbolic there, so these raise or freeze a constant.

import type { Node } from '../../python/ast';
import { childrenOf } from '../context';
import type { LintContext, Rule } from '../types';
import { type FunctionDef, walkLocal } from './shared-ast';
import { type TracedKind, tracedFunctions } from './shared-tf';

/** Attribute reads that turn a tensor into static Python metadata. */
const STATIC_ATTRS = new Set(['shape', 'dtype', 'ndim', 'name', 'rank', 'device']);

export const dl304: Rule = {
  meta: {
    code: 'DL304',
    name: 'numpy-in-traced-code',
    frameworks: ['tensorflow', 'keras'],
    severity: 'error',
    docs:
      'Inside traced code (tf.function, Keras call/train_step, custom losses and metrics that fit() traces, Dataset.map functions) tensors ' +
      'are symbolic: `.numpy()` raises AttributeError, `float()` / `int()` / `bool()` of them fail, and NumPy calls fail or freeze a constant. Use the tf.* equivalents.',
    fix: 'no',
    needs: ['numpy', 'sklearn', 'float', 'int', 'bool'],
  },
  check(ctx) {
    for (const t of tracedFunctions(ctx)) checkFn(ctx, t.fn, t.kind);
  },
};

function tensorParams(fn: FunctionDef, kind: TracedKind): string[] {
  const ps = fn.params.filter((p) => !p.star && p.name !== 'self' && p.name !== 'cls');
  if (kind === 'keras-method') {
    // call(self, inputs, training=None, mask=None): the inputs; train_step(self, data).
    return ps.filter((p) => !['training', 'mask'].includes(p.name) && !p.default).map((p) => p.name);
  }
  return ps.filter((p) => !p.default).map((p) => p.name);
}

function checkFn(ctx: LintContext, fn: FunctionDef, kind: TracedKind): void {
  const tainted = new Set(tensorParams(fn, kind));
  if (!tainted.size) return;
  /** Whether `e` reads a tensor (`viaStatic`: also through its static metadata, `x.shape`). */
  const derives = (e: Node, viaStatic = false): boolean => {
    let hit = false;
    const go = (x: Node) => {
      if (hit) return;
      if (x.t === 'Name') {
        if (tainted.has(x.id)) hit = true;
        return;
      }
      if (x.t === 'Attr' && STATIC_ATTRS.has(x.attr) && !viaStatic) return;
      if (x.t === 'Call' && x.fn.t === 'Name' && ['len', 'isinstance', 'type', 'id'].includes(x.fn.id)) return;
      if (x.t === 'Lambda' || x.t === 'FunctionDef') return;
      for (const c of childrenOf(x)) go(c);
    };
    go(e);
    return hit;
  };
  // One forward pass of taint over assignments in source order.
  const hasNumpyCall = (e: Node): boolean => {
    let hit = false;
    walkLocal([e], (x) => {
      if (x.t === 'Call' && x.fn.t === 'Attr' && x.fn.attr === 'numpy' && x.args.length === 0) hit = true;
      if (x.t === 'Name' && fromNumpy.has(x.id)) hit = true;
    });
    return hit;
  };
  /** Names computed from a `.numpy()` call (already the finding): NumPy on them is a consequence, not reported again. */
  const fromNumpy = new Set<string>();
  walkLocal(fn.body, (n, anc) => {
    if (n.t === 'Assign' && derives(n.value)) {
      const viaNumpy = hasNumpyCall(n.value);
      for (const t of n.targets) walkLocal([t], (x) => {
        if (x.t === 'Name') {
          tainted.add(x.id);
          if (viaNumpy) fromNumpy.add(x.id);
        }
      });
    }
    if (n.t !== 'Call') return;
    if (n.fn.t === 'Attr' && n.fn.attr === 'numpy' && n.args.length === 0 && derives(n.fn.obj)) {
      ctx.report({ node: n, message: `\`.numpy()\` on a symbolic tensor inside ${where(kind)} raises AttributeError while tracing. Keep the computation in TensorFlow ops.` });
      return;
    }
    // float() / int() / bool() of a symbolic tensor: no value to convert while tracing (TypeError / OperatorNotAllowedInGraphError).
    if (n.fn.t === 'Name' && PY_CASTS.has(n.fn.id) && n.args.length === 1 && n.args[0].kind === 'pos' && derives(n.args[0].value)) {
      ctx.report({ node: n, message: `\`${n.fn.id}()\` of a symbolic tensor inside ${where(kind)} fails while tracing: the tensor has no value yet. Keep it a tensor (tf.cast) or use a static shape (x.shape).` });
      return;
    }
    const q = ctx.qualifiedName(n.fn);
    if (!q || !(q.startsWith('numpy.') || q.startsWith('sklearn.'))) return;
    if (q.startsWith('numpy.random.')) {
      // Drawn once, while tracing: the "random" values become a constant of the graph, the same
      // on every call (`x + np.random.normal(0, 0.1, size=x.shape)`). Only calls sized or fed
      // from a tensor parameter are reported; a lambda (a tf.py_function callback) runs eagerly.
      if (anc.some((a) => a.t === 'Lambda') || !n.args.some((a) => derives(a.value, true))) return;
      ctx.report({ node: n, message: `\`${q}\` inside ${where(kind)} runs once, while tracing: its random values are frozen into the graph and repeat on every call. Use tf.random.* (or a Keras random layer).` });
      return;
    }
    if (kind === 'dataset-fn' || kind === 'tf.function') {
      // NumPy (not sklearn) on a tensor parameter: np.asarray of a symbolic tensor fails while tracing.
      // Metadata helpers read .shape / .ndim / the dtype and work; a lambda (a tf.py_function /
      // numpy_function callback) runs eagerly.
      if (!q.startsWith('numpy.') || NUMPY_METADATA.has(q) || anc.some((a) => a.t === 'Lambda')) return;
      // `np.argmax(x.numpy())`, `m = x.numpy() > t; np.where(m, ...)`: the .numpy() call is the finding.
      if (n.args.some((a) => hasNumpyCall(a.value))) return;
    }
    if (n.args.some((a) => derives(a.value))) {
      ctx.report({ node: n, message: `\`${q}\` on a symbolic tensor inside ${where(kind)} fails while tracing (or freezes a constant). Use the tf.* / keras.ops equivalent.` });
    }
  });
}

const PY_CASTS = new Set(['float', 'int', 'bool']);
const NUMPY_METADATA = new Set(['numpy.shape', 'numpy.ndim', 'numpy.isscalar', 'numpy.iinfo', 'numpy.finfo', 'numpy.dtype', 'numpy.result_type']);

function where(kind: TracedKind): string {
  switch (kind) {
    case 'tf.function': return 'a tf.function';
    case 'keras-method': return 'a traced Keras method';
    case 'compile-fn': return 'a loss/metric that fit() traces';
    default: return 'a Dataset.map function';
  }
}
