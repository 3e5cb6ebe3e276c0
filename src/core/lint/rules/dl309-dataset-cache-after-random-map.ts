// DL309: `cache()` after a `map` with random augmentation stores the first epoch's random
// results and replays them in every later epoch.

import type { Node, NodeOf, Param } from '../../python/ast';
import type { LintContext, Rule } from '../types';
import { type Call, type Scope, argOf, kwArg, methodName, methodRange, receiver, scopesOf, valueBefore, walkAll, walkLocal } from './shared-ast';
import { datasetOps, paramDatasetOps } from './shared-tf';

const RANDOM = /^(tensorflow\.random\.(?!stateless_|set_seed)|tensorflow\.image\.random_|numpy\.random\.|random\.|keras\.layers\.Random)/;
const TF_RANDOM = /^(tensorflow\.random\.(?!stateless_|set_seed)|tensorflow\.image\.random_|keras\.layers\.Random)/;

export const dl309: Rule = {
  meta: {
    code: 'DL309',
    name: 'dataset-cache-after-random-map',
    frameworks: ['tensorflow'],
    severity: 'warning',
    docs:
      '`cache()` stores what the pipeline produced in the first epoch, so random augmentation mapped before it is computed once and replayed ' +
      'unchanged in every later epoch. Cache before the random `map`.',
    fix: 'no',
    needs: ['cache'],
  },
  check(ctx) {
    for (const scope of scopesOf(ctx)) {
      walkLocal(scope.body, (n) => {
        if (n.t !== 'Call' || methodName(n) !== 'cache') return;
        // A chain on a parameter of unknown origin (`def pipeline(ds): return ds.map(aug).cache()`)
        // counts only when the mapped function uses TensorFlow / Keras random ops, which run only
        // on tensors: Python / NumPy randomness could as well be mapped over a Spark RDD.
        let before = datasetOps(ctx, scope, receiver(n), n.line);
        let tfOnly = false;
        if (!before) {
          before = paramDatasetOps(scope, receiver(n), n.line);
          tfOnly = true;
        }
        if (!before) return;
        const randomMap = before.find((op) => op.name === 'map' && isRandomFn(ctx, scope, argOf(op.call, 'map_func', 0), tfOnly));
        if (!randomMap) return;
        ctx.report({
          range: methodRange(ctx, n),
          message: '`cache()` after a random augmentation `map`: the augmented examples of the first epoch are replayed unchanged in every epoch. Move `cache()` before the random map.',
          related: [{ message: 'random map', range: ctx.rangeOf(randomMap.call) }],
        });
      });
    }
  },
};

const RANDOM_LAYER = /^keras\.layers\.(experimental\.preprocessing\.)?Random\w+$/;
const SEQUENTIAL = /^keras\.(models\.)?Sequential$/;

/** A value that is a Keras Random* preprocessing layer, or a Sequential holding one. */
function isRandomLayerValue(ctx: LintContext, v: Node | undefined): boolean {
  if (!v || v.t !== 'Call') return false;
  const q = ctx.qualifiedName(v.fn) ?? '';
  if (RANDOM_LAYER.test(q)) return true;
  if (!SEQUENTIAL.test(q)) return false;
  const layers = argOf(v, 'layers', 0);
  return !!layers && (layers.t === 'List' || layers.t === 'Tuple') && layers.elts.some((e) => e.t === 'Call' && RANDOM_LAYER.test(ctx.qualifiedName(e.fn) ?? ''));
}

const isFalsy = (n: Node | undefined): boolean => !!n && n.t === 'Const' && (n.v === false || n.v === null);

/** True when `test` is false given flags known to be false (`flag`, `flag and ...`). */
function testIsFalse(test: Node, off: ReadonlySet<string>): boolean {
  if (test.t === 'Name') return off.has(test.id);
  if (test.t === 'BoolOp' && test.op === 'and') return testIsFalse(test.left, off) || testIsFalse(test.right, off);
  return isFalsy(test);
}

/** Parameters of a function that are false for one call: defaulted falsy and not passed, or passed a literal falsy value. */
function falseParams(params: readonly Param[], call?: Call, skipPositional = 0): Set<string> {
  const off = new Set<string>();
  const named = params.filter((p) => !p.star);
  const pos = call ? call.args.filter((a) => a.kind === 'pos').map((a) => a.value) : [];
  if (call && call.args.some((a) => a.kind === 'star' || a.kind === 'dstar')) return off;
  named.forEach((p, i) => {
    const k = i - skipPositional;
    const kw = call?.args.find((a) => a.kind === 'kw' && a.name === p.name)?.value;
    const given = kw ?? (k >= 0 && k < pos.length ? pos[k] : undefined);
    if (given ? isFalsy(given) : isFalsy(p.default)) off.add(p.name);
  });
  return off;
}

/**
 * True when the mapped function runs a random op: a random API call, a Keras Random* layer built
 * inline or held in a name (alone or in a Sequential) and not called with training=False, or a
 * same-file helper that does. Ops under `if <flag>:` where the flag is false for this map (a
 * parameter defaulting to False, or passed False) do not run.
 */
function isRandomFn(ctx: LintContext, scope: Scope, f: Node | undefined, tfOnly = false): boolean {
  if (!f) return false;
  let body: Node[] | undefined;
  let off = new Set<string>();
  if (f.t === 'Lambda') {
    body = [f.body];
    off = falseParams(f.params);
  } else if (f.t === 'Name') {
    const def = findDef(ctx, scope, f.id);
    if (def) {
      body = def.body;
      // map() passes the elements positionally: only a parameter past them keeps its default.
      off = falseParams(def.params);
    }
  } else if (f.t === 'Call' && /^functools\.partial$/.test(ctx.qualifiedName(f.fn) ?? '')) {
    const target = f.args[0]?.value;
    const def = target && target.t === 'Name' ? findDef(ctx, scope, target.id) : undefined;
    if (def) {
      body = def.body;
      off = falseParams(def.params, { ...f, args: f.args.slice(1) }, 0);
    }
  }
  if (!body) return false;
  return bodyIsRandom(ctx, scope, body, off, 0, tfOnly);
}

function findDef(ctx: LintContext, scope: Scope, name: string): NodeOf<'FunctionDef'> | undefined {
  const def = [...scope.body, ...ctx.module.body].find((s) => s.t === 'FunctionDef' && s.name === name);
  return def && def.t === 'FunctionDef' ? def : undefined;
}

function bodyIsRandom(ctx: LintContext, scope: Scope, body: Node[], off: ReadonlySet<string>, depth: number, tfOnly = false): boolean {
  let random = false;
  walkAll(body, (x, anc) => {
    if (random || x.t !== 'Call') return;
    // Skipped branches: the body of `if <false flag>:` / `a if <false flag> else b`.
    const chain = [...anc, x];
    for (let i = 0; i < chain.length - 1; i++) {
      const a = chain[i];
      if (a.t === 'If' && a.body.includes(chain[i + 1]) && testIsFalse(a.test, off)) return;
      if (a.t === 'IfExp' && a.body === chain[i + 1] && testIsFalse(a.test, off)) return;
    }
    const q = ctx.qualifiedName(x.fn);
    if (q && (tfOnly ? TF_RANDOM : RANDOM).test(q)) {
      random = true;
      return;
    }
    if (x.fn.t !== 'Name' || q) return;
    const tr = kwArg(x, 'training');
    if (isRandomLayerValue(ctx, valueBefore(ctx, scope, x.fn.id, x.line)) && !isFalsy(tr)) {
      random = true;
      return;
    }
    // A same-file helper called with literal flags: `lambda x, y: preprocess(x, y, augment=False)`.
    const def = depth < 2 ? findDef(ctx, scope, x.fn.id) : undefined;
    if (def && bodyIsRandom(ctx, scope, def.body, falseParams(def.params, x), depth + 1, tfOnly)) random = true;
  });
  return random;
}
