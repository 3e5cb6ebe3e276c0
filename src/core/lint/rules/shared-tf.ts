// TensorFlow facts for the DL2xx / DL3xx rules: GradientTape with-blocks, traced scopes
// (tf.function bodies, Keras call/train_step, functions given to compile or Dataset.map)
// and tf.data transformation sequences.

import type { Node } from '../../python/ast';
import type { LintContext } from '../types';
import {
  type Call, type ClassDef, type FunctionDef, type Scope, argOf, bindingsIn, isConst, kwArg, lastBindingBefore, methodName, nameOf, receiver, scopesOf, walkLocal,
} from './shared-ast';
import { isKerasClass } from './shared-keras';

export interface TapeWith {
  with: NodeOfWith;
  /** The `tf.GradientTape(...)` call. */
  ctor: Call;
  name: string;
  persistent: boolean | undefined;
}
type NodeOfWith = Extract<Node, { t: 'With' }>;

/** Every `with tf.GradientTape(...) as t` in a scope (several items in one `with` included). */
export function tapesIn(ctx: LintContext, scope: Scope): TapeWith[] {
  const out: TapeWith[] = [];
  walkLocal(scope.body, (n) => {
    if (n.t !== 'With') return;
    for (const it of n.items) {
      if (it.expr.t !== 'Call' || ctx.qualifiedName(it.expr.fn) !== 'tensorflow.GradientTape') continue;
      const name = nameOf(it.target);
      if (!name) continue;
      const p = argOf(it.expr, 'persistent', 0);
      out.push({ with: n, ctor: it.expr, name, persistent: !p ? false : isConst(p, true) ? true : isConst(p, false) ? false : undefined });
    }
  });
  return out;
}

export function isTfFunctionDecorator(ctx: LintContext, d: Node): boolean {
  const q = ctx.qualifiedName(d.t === 'Call' ? d.fn : d);
  return q === 'tensorflow.function';
}

export type TracedKind = 'tf.function' | 'keras-method' | 'compile-fn' | 'dataset-fn';

export interface Traced {
  fn: FunctionDef;
  kind: TracedKind;
  scope: Scope;
}

const KERAS_TRACED = new Set(['call', 'train_step', 'test_step', 'predict_step']);

/** Functions whose body runs while TensorFlow traces a graph. */
export function tracedFunctions(ctx: LintContext): Traced[] {
  const scopes = scopesOf(ctx);
  const out: Traced[] = [];
  const byName = (name: string) => scopes.find((s) => s.fn?.name === name && !s.cls && ctx.module.body.includes(s.fn));
  const add = (s: Scope | undefined, kind: TracedKind) => {
    if (s?.fn && !out.some((t) => t.fn === s.fn)) out.push({ fn: s.fn, kind, scope: s });
  };
  for (const s of scopes) {
    if (!s.fn) continue;
    if (s.fn.decorators.some((d) => isTfFunctionDecorator(ctx, d))) add(s, 'tf.function');
    else if (s.cls && KERAS_TRACED.has(s.fn.name) && isKerasClass(ctx, s.cls)) add(s, 'keras-method');
  }
  for (const s of scopes) {
    walkLocal(s.body, (n) => {
      if (n.t !== 'Call') return;
      if (ctx.qualifiedName(n.fn) === 'tensorflow.function') {
        const f = nameOf(argOf(n, 'func', 0));
        if (f) add(byName(f), 'tf.function');
      }
      const m = methodName(n);
      if (m === 'compile' && !isConst(kwArg(n, 'run_eagerly'), true)) {
        const cands: Node[] = [];
        const loss = argOf(n, 'loss', 1);
        if (loss) cands.push(loss);
        const metrics = argOf(n, 'metrics', 2);
        if (metrics && (metrics.t === 'List' || metrics.t === 'Tuple')) cands.push(...metrics.elts);
        for (const c of cands) {
          const f = nameOf(c);
          if (f) add(byName(f), 'compile-fn');
        }
      }
      if ((m === 'map' || m === 'filter') && isDatasetExpr(ctx, s, receiver(n), n.line)) {
        const f = nameOf(argOf(n, 'map_func', 0) ?? argOf(n, 'predicate', 0));
        if (f) add(byName(f), 'dataset-fn');
      }
    });
  }
  return out;
}

/** Methods that return a tf.data.Dataset from a Dataset. */
const DS_METHODS = new Set([
  'map', 'filter', 'batch', 'padded_batch', 'unbatch', 'shuffle', 'repeat', 'cache', 'prefetch', 'take', 'skip', 'shard',
  'flat_map', 'interleave', 'concatenate', 'with_options', 'apply', 'rebatch', 'ragged_batch', 'enumerate', 'window', 'zip',
]);
const DS_SOURCES = /^tensorflow\.data\.(Dataset\.(from_tensor_slices|from_tensors|from_generator|range|list_files|zip|sample_from_datasets|choose_from_datasets)|TFRecordDataset|TextLineDataset|FixedLengthRecordDataset|experimental\.[A-Za-z_]+)$/;

export interface DsOp {
  name: string;
  call: Call;
}

/** The transformation sequence that produced a dataset expression, or undefined if its origin is unknown. */
export function datasetOps(ctx: LintContext, scope: Scope, e: Node | undefined, line: number, depth = 0): DsOp[] | undefined {
  if (!e || depth > 30) return undefined;
  if (e.t === 'Name') {
    const b = lastBindingBefore(bindingsIn(scope.body), e.id, line);
    if (!b || !b.value) return undefined;
    return datasetOps(ctx, scope, b.value, b.line, depth + 1);
  }
  if (e.t === 'Attr' && e.obj.t === 'Name' && e.obj.id === 'self' && scope.cls) {
    // A dataset kept on the instance (`self.ds = tf.data...` in one method, used in another).
    const set = soleSelfAssign(ctx, scope.cls, e.attr);
    return set ? datasetOps(ctx, set.scope, set.value, set.value.line, depth + 1) : undefined;
  }
  if (e.t !== 'Call') return undefined;
  if (DS_SOURCES.test(ctx.qualifiedName(e.fn) ?? '')) return [];
  const m = methodName(e);
  if (!m || !DS_METHODS.has(m)) return undefined;
  const base = datasetOps(ctx, scope, receiver(e), e.line, depth + 1);
  return base ? [...base, { name: m, call: e }] : undefined;
}

/** The one assignment `self.<attr> = value` in the methods of a class (none other binds it), with the method's scope. */
function soleSelfAssign(ctx: LintContext, cls: ClassDef, attr: string): { value: Node; scope: Scope } | undefined {
  const values = ctx.facts.selfAttrValues(cls, attr);
  const value = values?.length === 1 ? values[0] : undefined;
  const m = value && ctx.facts.methodsOf(cls).find((f) => f.line <= value.line && value.endLine <= f.endLine);
  return value && m ? { value, scope: { body: m.body, fn: m, cls } } : undefined;
}

/**
 * The transformation chain applied to a parameter of the enclosing function (`def pipeline(ds):
 * return ds.map(f).cache()...`): the parameter's origin is unknown, so callers must add their own
 * evidence that it is a tf.data.Dataset. Undefined when the chain does not start at such a parameter.
 */
export function paramDatasetOps(scope: Scope, e: Node | undefined, line = Infinity, depth = 0): DsOp[] | undefined {
  if (!e || depth > 30) return undefined;
  if (e.t === 'Name') {
    const isParam = !!scope.fn && scope.fn.params.some((p) => !p.star && p.name === e.id);
    if (!isParam) return undefined;
    // The parameter rebound step by step (`ds = ds.map(aug)`, then `ds = ds.cache()`): follow the
    // binding before the use back to the parameter itself.
    const b = lastBindingBefore(bindingsIn(scope.body), e.id, line);
    if (!b) return [];
    return b.value ? paramDatasetOps(scope, b.value, b.line, depth + 1) : undefined;
  }
  if (e.t !== 'Call') return undefined;
  const m = methodName(e);
  if (!m || !DS_METHODS.has(m)) return undefined;
  const base = paramDatasetOps(scope, receiver(e), e.line, depth + 1);
  return base ? [...base, { name: m, call: e }] : undefined;
}

export function isDatasetExpr(ctx: LintContext, scope: Scope, e: Node | undefined, line: number): boolean {
  return datasetOps(ctx, scope, e, line) !== undefined;
}
