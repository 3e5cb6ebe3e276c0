// Keras facts for the DL2xx rules, read from the syntax tree: which names hold a built
// model (Sequential list / .add chain / functional Model), the model's output layer and
// its activation, and the loss given to compile(). Any link that cannot be resolved
// yields undefined, and the rules then stay quiet.

import type { Node } from '../../python/ast';
import type { LintContext } from '../types';
import {
  type Call, type ClassDef, type FunctionDef, type Scope, argOf, bindingsIn, hasSplat, isConst, methodName, nameOf, numOf, posArg,
  receiver, strOf, valueBefore, walkLocal,
} from './shared-ast';

const SEQUENTIAL = new Set(['keras.Sequential', 'keras.models.Sequential']);
const FUNCTIONAL = new Set(['keras.Model', 'keras.models.Model']);

export type Activation = 'softmax' | 'sigmoid' | 'linear' | 'other';

export interface ModelDef {
  kind: 'sequential' | 'functional';
  /** The constructor call. */
  ctor: Call;
  /** Sequential: every layer expression in order (list literal then `.add` calls); undefined if not literal. */
  layers?: Node[];
  /** The `.add(...)` calls, for rules that care where a layer was added. */
  adds: Call[];
  /**
   * Sequential: when `layers` is unknown because some `.add` sits in a loop / if / try, the layers
   * added by the straight-line `.add` calls after the last such one (the end of the model is known).
   */
  tail?: Node[];
  /**
   * Set when the model is built by a function of this file and returned from it (`model =
   * build()`, `def build(): ...; return keras.Model(inputs, outputs)`): the function's scope,
   * where the names of the model's layers are resolved, and the line of its return.
   */
  builder?: { scope: Scope; line: number };
}

export interface OutputHead {
  /** The layer that sets the final activation (an `Activation`/`Softmax` layer or the Dense itself). */
  activationLayer: Call;
  activation: Activation;
  /** The node holding the activation (the string literal or the reference), when explicit. */
  activationNode?: Node;
  /** The layer that sets the output width (Dense), if known. */
  unitsLayer?: Call;
  units?: number;
}

export function isKerasLayerCtor(ctx: LintContext, n: Node | undefined): n is Call {
  if (!n || n.t !== 'Call') return false;
  const q = ctx.qualifiedName(n.fn);
  return !!q && q.startsWith('keras.layers.');
}

export function layerClass(ctx: LintContext, c: Call): string | undefined {
  const q = ctx.qualifiedName(c.fn);
  return q && q.startsWith('keras.layers.') ? q.slice('keras.layers.'.length) : undefined;
}

/** A class whose base resolves to a Keras Model / Layer (directly or through a class of this file). */
export function isKerasClass(ctx: LintContext, cls: ClassDef, depth = 0): boolean {
  if (depth > 5) return false;
  for (const b of cls.bases) {
    if (b.kind !== 'pos') continue;
    const q = ctx.qualifiedName(b.value);
    if (q && (q.startsWith('keras.') || q === 'keras')) return true;
    const local = nameOf(b.value);
    if (local) {
      const other = ctx.module.body.find((s): s is ClassDef => s.t === 'ClassDef' && s.name === local);
      if (other && other !== cls && isKerasClass(ctx, other, depth + 1)) return true;
    }
  }
  return false;
}

/** Whether a class (of this file) derives from a Keras Model (not only a Layer). */
export function isKerasModelClass(ctx: LintContext, cls: ClassDef, depth = 0): boolean {
  if (depth > 5) return false;
  for (const b of cls.bases) {
    if (b.kind !== 'pos') continue;
    const q = ctx.qualifiedName(b.value);
    if (q && (FUNCTIONAL.has(q) || SEQUENTIAL.has(q))) return true;
    const local = nameOf(b.value);
    if (local) {
      const other = ctx.module.body.find((s): s is ClassDef => s.t === 'ClassDef' && s.name === local);
      if (other && other !== cls && isKerasModelClass(ctx, other, depth + 1)) return true;
    }
  }
  return false;
}

/** Whether a class subclasses `keras.callbacks.Callback` (directly or through classes of this file): Keras sets its `self.model` to the model being trained. */
export function isKerasCallbackClass(ctx: LintContext, cls: ClassDef, depth = 0): boolean {
  if (depth > 5) return false;
  for (const b of cls.bases) {
    if (b.kind !== 'pos') continue;
    if (ctx.qualifiedName(b.value) === 'keras.callbacks.Callback') return true;
    const local = nameOf(b.value);
    const other = local ? ctx.module.body.find((s): s is ClassDef => s.t === 'ClassDef' && s.name === local) : undefined;
    if (other && other !== cls && isKerasCallbackClass(ctx, other, depth + 1)) return true;
  }
  return false;
}

/** Whether an expression builds or loads a Keras model (constructors, load_model, applications, a Keras model class of this file). */
export function isKerasModelExpr(ctx: LintContext, v: Node | undefined): boolean {
  if (!v || v.t !== 'Call') return false;
  const q = ctx.qualifiedName(v.fn);
  if (q) {
    if (SEQUENTIAL.has(q) || FUNCTIONAL.has(q)) return true;
    if (q === 'keras.models.load_model' || q === 'keras.saving.load_model') return true;
    if (q.startsWith('keras.applications.')) return true;
    return false;
  }
  const local = nameOf(v.fn);
  if (!local) return false;
  const cls = ctx.module.body.find((s): s is ClassDef => s.t === 'ClassDef' && s.name === local);
  return !!cls && isKerasModelClass(ctx, cls);
}

/** The model built for `name` as seen just before `line`. */
export function modelDef(ctx: LintContext, scope: Scope, name: string, line: number, depth = 0): ModelDef | undefined {
  const v = valueBefore(ctx, scope, name, line);
  if (!v || v.t !== 'Call') return undefined;
  const q = ctx.qualifiedName(v.fn);
  if (!q) return depth < 3 ? builtBy(ctx, v, depth) : undefined;
  return defOf(ctx, scope, v, q, name, line);
}

/**
 * The model a call of a top-level function of this file returns, when the function has one
 * `return` and it gives a Sequential / Model constructor (written in the return, or bound to a
 * name of the function before it).
 */
function builtBy(ctx: LintContext, call: Call, depth: number): ModelDef | undefined {
  return call.fn.t === 'Name' ? modelBuiltBy(ctx, call.fn.id, depth) : undefined;
}

/** The model the top-level function `fname` of this file returns (as builtBy, for a function the file may never call). */
export function modelBuiltBy(ctx: LintContext, fname: string, depth = 0): ModelDef | undefined {
  const defs = ctx.module.body.filter((st): st is FunctionDef => st.t === 'FunctionDef' && st.name === fname);
  if (defs.length !== 1 || bindingsIn(ctx.module.body).some((b) => b.name === fname && b.stmt !== defs[0])) return undefined;
  const f = defs[0];
  const rets: Node[] = [];
  walkLocal(f.body, (n) => {
    if (n.t === 'Return') rets.push(n);
  });
  const ret = rets.length === 1 ? rets[0] : undefined;
  const value = ret && ret.t === 'Return' ? ret.value : undefined;
  if (!ret || !value) return undefined;
  const fscope: Scope = { body: f.body, fn: f };
  let def: ModelDef | undefined;
  if (value.t === 'Name') def = modelDef(ctx, fscope, value.id, ret.line, depth + 1);
  else if (value.t === 'Call') {
    const q = ctx.qualifiedName(value.fn);
    def = q ? defOf(ctx, fscope, value, q, undefined, ret.line) : undefined;
  }
  if (!def) return undefined;
  return def.builder ? def : { ...def, builder: { scope: fscope, line: ret.line } };
}

/** The model a Sequential / Model constructor call builds (`name`: the name it is bound to, for its `.add` calls). */
function defOf(ctx: LintContext, scope: Scope, v: Call, q: string, name: string | undefined, line: number): ModelDef | undefined {
  const body = bindingsIn(scope.body).some((b) => b.value === v) ? scope.body : ctx.module.body;
  const adds: Call[] = [];
  walkLocal(body, (n) => {
    if (name !== undefined && n.t === 'Call' && methodName(n) === 'add' && nameOf(receiver(n)) === name && n.line > v.line && n.line < line) adds.push(n);
  });
  if (SEQUENTIAL.has(q)) {
    const first = argOf(v, 'layers', 0);
    let layers: Node[] | undefined;
    if (!first || isConst(first, null)) layers = [];
    else if (first.t === 'List' || first.t === 'Tuple') layers = [...first.elts];
    // add() calls inside an if / loop / try: which layers come first is not known from the text,
    // but the straight-line add() calls after the last of them still give the model's end.
    const topLevel = (a: Call) => body.some((st) => st.t === 'Expr' && st.value === a);
    let tail: Node[] | undefined;
    if (adds.some((a) => !topLevel(a))) {
      layers = undefined;
      const sorted = [...adds].sort((a, b) => a.line - b.line);
      let lastNested = -1;
      sorted.forEach((a, i) => { if (!topLevel(a)) lastNested = i; });
      const after = sorted.slice(lastNested + 1);
      if (after.length && after.every((a) => a.args.length === 1 && posArg(a, 0) && posArg(a, 0)!.t !== 'Starred')) tail = after.map((a) => posArg(a, 0)!);
    }
    if (layers) {
      for (const a of adds) {
        const l = posArg(a, 0);
        if (!l || a.args.length !== 1) {
          layers = undefined;
          break;
        }
        layers.push(l);
      }
    }
    if (layers && layers.some((l) => l.t === 'Starred')) layers = undefined;
    return { kind: 'sequential', ctor: v, layers, adds, tail };
  }
  if (FUNCTIONAL.has(q)) return { kind: 'functional', ctor: v, adds };
  return undefined;
}

/** The layer constructor call that produced a functional output, e.g. `layers.Dense(10)(x)`. */
function producingLayer(ctx: LintContext, scope: Scope, out: Node | undefined, line: number, depth = 0): Call | undefined {
  if (!out || depth > 4) return undefined;
  if (out.t === 'Name') return producingLayer(ctx, scope, valueBefore(ctx, scope, out.id, line), out.line, depth + 1);
  if (out.t !== 'Call') return undefined;
  const fn = out.fn;
  if (isKerasLayerCtor(ctx, fn)) return fn;
  if (fn.t === 'Name') {
    const lv = valueBefore(ctx, scope, fn.id, out.line);
    if (isKerasLayerCtor(ctx, lv)) return lv;
  }
  return undefined;
}

/** The layer expressions as constructor calls (names bound to a layer are followed once). */
function asLayerCall(ctx: LintContext, scope: Scope, n: Node, line: number): Call | undefined {
  if (isKerasLayerCtor(ctx, n)) return n;
  if (n.t === 'Name') {
    const v = valueBefore(ctx, scope, n.id, line);
    if (isKerasLayerCtor(ctx, v)) return v;
  }
  return undefined;
}

/** The activation a layer applies, from its literal arguments. */
export function activationOf(ctx: LintContext, layer: Call): { act: Activation; node?: Node } | undefined {
  const cls = layerClass(ctx, layer);
  if (!cls) return undefined;
  if (cls === 'Softmax') return { act: 'softmax' };
  if (cls === 'Activation') {
    const a = argOf(layer, 'activation', 0);
    const act = activationValue(ctx, a);
    return act ? { act, node: a } : undefined;
  }
  if (!/^(Dense|Conv[123]D|Conv[123]DTranspose|EinsumDense)$/.test(cls)) return undefined;
  const a = argOf(layer, 'activation', cls === 'Dense' ? 1 : -1);
  if (!a) return hasSplat(layer) ? undefined : { act: 'linear' };
  const act = activationValue(ctx, a);
  return act ? { act, node: a } : undefined;
}

function activationValue(ctx: LintContext, a: Node | undefined): Activation | undefined {
  if (!a) return undefined;
  if (isConst(a, null)) return 'linear';
  const s = strOf(a);
  if (s !== undefined) return s === 'softmax' ? 'softmax' : s === 'sigmoid' ? 'sigmoid' : s === 'linear' ? 'linear' : 'other';
  const q = ctx.qualifiedName(a);
  if (!q) return undefined;
  if (/^(keras\.activations|tensorflow\.nn|tensorflow\.math)\.softmax$/.test(q)) return 'softmax';
  if (/^(keras\.activations|tensorflow\.nn|tensorflow\.math|tensorflow)\.sigmoid$/.test(q)) return 'sigmoid';
  if (q === 'keras.activations.linear') return 'linear';
  return undefined;
}

export function unitsOf(ctx: LintContext, layer: Call): number | undefined {
  if (layerClass(ctx, layer) !== 'Dense') return undefined;
  const u = numOf(argOf(layer, 'units', 0));
  return u !== undefined && Number.isInteger(u) ? u : undefined;
}

/** The output head of a model: the final activation and, when known, the output width. */
export function outputHead(ctx: LintContext, scope: Scope, def: ModelDef, line: number): OutputHead | undefined {
  // A model returned by a builder function: its layers are named in that function.
  if (def.builder) {
    scope = def.builder.scope;
    line = def.builder.line;
  }
  let last: Call | undefined;
  let prev: Call | undefined;
  if (def.kind === 'sequential') {
    const ls = def.layers ?? def.tail;
    if (!ls || !ls.length) return undefined;
    last = asLayerCall(ctx, scope, ls[ls.length - 1], line);
    if (ls.length > 1) prev = asLayerCall(ctx, scope, ls[ls.length - 2], line);
  } else {
    const outs = argOf(def.ctor, 'outputs', 1);
    last = producingLayer(ctx, scope, outs, def.ctor.line);
    // `outputs = layers.Activation("softmax")(x)` where x = layers.Dense(10)(h)
    if (last && (layerClass(ctx, last) === 'Activation' || layerClass(ctx, last) === 'Softmax') && outs) {
      const app = outs.t === 'Name' ? valueBefore(ctx, scope, outs.id, def.ctor.line) : outs;
      if (app && app.t === 'Call') prev = producingLayer(ctx, scope, posArg(app, 0), app.line);
    }
  }
  if (!last) return undefined;
  const a = activationOf(ctx, last);
  if (!a) return undefined;
  const cls = layerClass(ctx, last);
  const unitsLayer = cls === 'Activation' || cls === 'Softmax' ? (prev && layerClass(ctx, prev) === 'Dense' ? prev : undefined) : last;
  if ((cls === 'Activation' || cls === 'Softmax') && prev) {
    // A Dense with its own non-linear activation followed by another activation: not a plain head.
    const pa = activationOf(ctx, prev);
    if (!pa || pa.act !== 'linear') return undefined;
  }
  return { activationLayer: last, activation: a.act, activationNode: a.node, unitsLayer, units: unitsLayer ? unitsOf(ctx, unitsLayer) : undefined };
}

export type LossFamily = 'sparse' | 'categorical' | 'binary';

export interface LossInfo {
  family: LossFamily;
  /** true / false when known; undefined when the flag is not a literal. */
  fromLogits: boolean | undefined;
  /** The node passed as `loss=` (the string, the call, or the name). */
  node: Node;
  /** The loss expression after following a name (string literal or constructor call). */
  resolved: Node;
  /** The `from_logits` argument node, when written. */
  fromLogitsNode?: Node;
}

const LOSS_STRINGS: Record<string, LossFamily> = {
  sparse_categorical_crossentropy: 'sparse',
  categorical_crossentropy: 'categorical',
  binary_crossentropy: 'binary',
};

const LOSS_CLASSES: Record<string, LossFamily> = {
  SparseCategoricalCrossentropy: 'sparse',
  CategoricalCrossentropy: 'categorical',
  BinaryCrossentropy: 'binary',
};

const LOSS_FUNCTIONS: Record<string, LossFamily> = {
  sparse_categorical_crossentropy: 'sparse',
  categorical_crossentropy: 'categorical',
  binary_crossentropy: 'binary',
};

/** The cross-entropy loss given to a `compile(...)` call, when it is one of the known forms. */
export function compileLoss(ctx: LintContext, scope: Scope, compile: Call): LossInfo | undefined {
  const node = argOf(compile, 'loss', 1);
  if (!node) return undefined;
  let resolved: Node | undefined = node;
  if (node.t === 'Name' && !ctx.imports.has(node.id)) resolved = valueBefore(ctx, scope, node.id, compile.line);
  if (!resolved) return undefined;
  const s = strOf(resolved);
  if (s !== undefined) {
    const family = LOSS_STRINGS[s];
    return family ? { family, fromLogits: false, node, resolved } : undefined;
  }
  if (resolved.t === 'Call') {
    const q = ctx.qualifiedName(resolved.fn);
    if (!q || !q.startsWith('keras.losses.')) return undefined;
    const family = LOSS_CLASSES[q.slice('keras.losses.'.length)];
    if (!family) return undefined;
    const fl = argOf(resolved, 'from_logits', 0);
    if (!fl) return hasSplat(resolved) ? undefined : { family, fromLogits: false, node, resolved };
    const fromLogits = isConst(fl, true) ? true : isConst(fl, false) ? false : undefined;
    return { family, fromLogits, node, resolved, fromLogitsNode: fl };
  }
  const q = ctx.qualifiedName(resolved);
  if (q && q.startsWith('keras.losses.')) {
    const family = LOSS_FUNCTIONS[q.slice('keras.losses.'.length)];
    if (family) return { family, fromLogits: false, node, resolved };
  }
  return undefined;
}

/** Every `<name>.compile(...)` call of a scope whose receiver is a plain name. */
export function compileCalls(scope: Scope): Array<{ call: Call; model: string }> {
  const out: Array<{ call: Call; model: string }> = [];
  walkLocal(scope.body, (n) => {
    if (n.t === 'Call' && methodName(n) === 'compile') {
      const m = nameOf(receiver(n));
      if (m) out.push({ call: n, model: m });
    }
  });
  return out;
}

