// Helpers shared by the PyTorch rules (DL1xx): recognising softmax / sigmoid results and
// loss calls through aliases and single-assignment names, and building common fixes.

import type { Node, NodeOf } from '../../python/ast';
import { type Binding, blocksOf, type Call, type ClassDef, type FunctionDef, type LexicalContext, type LintFacts, walkScope } from '../facts';
import type { Fix, LintContext } from '../types';

const SOFTMAX_FNS = new Set(['torch.softmax', 'torch.nn.functional.softmax', 'torch.special.softmax']);
const SIGMOID_FNS = new Set(['torch.sigmoid', 'torch.nn.functional.sigmoid', 'torch.special.expit']);

/** Functional losses and the class they correspond to. */
const FUNCTIONAL_LOSS: Record<string, string> = {
  'torch.nn.functional.cross_entropy': 'CrossEntropyLoss',
  'torch.nn.functional.nll_loss': 'NLLLoss',
  'torch.nn.functional.kl_div': 'KLDivLoss',
  'torch.nn.functional.binary_cross_entropy': 'BCELoss',
  'torch.nn.functional.binary_cross_entropy_with_logits': 'BCEWithLogitsLoss',
  'torch.nn.functional.mse_loss': 'MSELoss',
  'torch.nn.functional.l1_loss': 'L1Loss',
  'torch.nn.functional.smooth_l1_loss': 'SmoothL1Loss',
  'torch.nn.functional.huber_loss': 'HuberLoss',
  'torch.nn.functional.soft_margin_loss': 'SoftMarginLoss',
  'torch.nn.functional.multilabel_soft_margin_loss': 'MultiLabelSoftMarginLoss',
  'torch.nn.functional.margin_ranking_loss': 'MarginRankingLoss',
  'torch.nn.functional.hinge_embedding_loss': 'HingeEmbeddingLoss',
  'torch.nn.functional.cosine_embedding_loss': 'CosineEmbeddingLoss',
  'torch.nn.functional.triplet_margin_loss': 'TripletMarginLoss',
  'torch.nn.functional.poisson_nll_loss': 'PoissonNLLLoss',
  'torch.nn.functional.gaussian_nll_loss': 'GaussianNLLLoss',
  'torch.nn.functional.ctc_loss': 'CTCLoss',
};

/** A recognised activation call: its input expression (for a fix that drops it). */
export interface ActivationCall {
  call: Call;
  /** The tensor the activation is applied to. */
  input: Node;
}

function activationCall(n: Node, facts: LintFacts, ctx: LexicalContext, fns: Set<string>, method: string, layer: string): ActivationCall | undefined {
  if (n.t !== 'Call') return undefined;
  const q = facts.qualifiedName(n.fn);
  if (q && fns.has(q)) {
    const first = n.args[0];
    return first && first.kind === 'pos' ? { call: n, input: first.value } : undefined;
  }
  if (!q && n.fn.t === 'Attr' && n.fn.attr === method && facts.qualifiedName(n.fn.obj) === undefined) {
    // Tensor method (`logits.softmax(dim=1)`): the receiver must not be an imported module.
    if (n.fn.obj.t === 'Name' && facts.imports.has(n.fn.obj.id)) return undefined;
    return { call: n, input: n.fn.obj };
  }
  // nn.Softmax(dim=1)(x) inline, or a name / self.attr bound to nn.Softmax.
  if (calleeLayer(n, facts, ctx) === `torch.nn.${layer}`) {
    const first = n.args[0];
    return first && first.kind === 'pos' ? { call: n, input: first.value } : undefined;
  }
  return undefined;
}

export function softmaxCall(n: Node, facts: LintFacts, ctx: LexicalContext): ActivationCall | undefined {
  return activationCall(n, facts, ctx, SOFTMAX_FNS, 'softmax', 'Softmax');
}

export function sigmoidCall(n: Node, facts: LintFacts, ctx: LexicalContext): ActivationCall | undefined {
  return activationCall(n, facts, ctx, SIGMOID_FNS, 'sigmoid', 'Sigmoid');
}

export const SOFTMAX_LAYER: ReadonlySet<string> = new Set(['torch.nn.Softmax']);
export const SIGMOID_LAYER: ReadonlySet<string> = new Set(['torch.nn.Sigmoid']);
/** Layers whose output is a raw score (no activation after them). */
export const SCORE_LAYERS: ReadonlySet<string> = new Set(['torch.nn.Linear', 'torch.nn.LazyLinear', 'torch.nn.Conv1d', 'torch.nn.Conv2d', 'torch.nn.Conv3d']);

/** The layer class a call calls: `nn.Softmax(dim=1)(x)` inline, or a name / `self.attr` bound to a layer. */
function calleeLayer(n: NodeOf<'Call'>, facts: LintFacts, ctx: LexicalContext): string | undefined {
  return n.fn.t === 'Call' ? facts.qualifiedName(n.fn.fn) : facts.kindOf(n.fn, ctx).ctor;
}

/** A call of a layer that outputs raw scores (`self.fc(x)` with `self.fc = nn.Linear(...)`). */
export function scoreLayerCall(n: Node, facts: LintFacts, ctx: LexicalContext): boolean {
  if (n.t !== 'Call') return false;
  const ctor = calleeLayer(n, facts, ctx);
  return !!ctor && SCORE_LAYERS.has(ctor);
}

/**
 * What provably ends a model, when `call` is a model's call: a module class of this file whose
 * `forward` returns such an expression on every return (and ends with one), or an
 * `nn.Sequential` whose last layer is one of `layers` (`torch.nn.Softmax`). Returns the final
 * expression (or layer) and how to name the model.
 */
export function modelEndsIn(
  call: Node, facts: LintFacts, ctx: LexicalContext,
  ends: (n: Node, facts: LintFacts, ctx: LexicalContext) => unknown, layers: ReadonlySet<string>, depth = 0,
): { activation: Node; model: string } | undefined {
  if (call.t !== 'Call' || depth > 3) return undefined;
  const direct = facts.kindOf(call.fn, ctx);
  const k = direct.kind === 'Module' && direct.ctor ? direct : builtModule(call.fn, facts, ctx);
  if (!k?.ctor) return helperEndsIn(call, facts, ctx, ends, layers, depth);
  if (k.ctor === 'torch.nn.Sequential') {
    if (!k.call || k.call.args.some((a) => a.kind !== 'pos')) return undefined;
    const last = k.call.args[k.call.args.length - 1]?.value;
    const q = last && last.t === 'Call' ? facts.qualifiedName(last.fn) : undefined;
    return last && q && layers.has(q) ? { activation: last, model: 'the nn.Sequential' } : undefined;
  }
  const cls = facts.classNamed(k.ctor);
  if (!cls || !facts.isTorchModuleClass(cls)) return undefined;
  const forward = facts.methodsOf(cls).find((m) => m.name === 'forward');
  const end = forward?.body[forward.body.length - 1];
  if (!forward || !end || end.t !== 'Return' || !end.value) return undefined;
  const inForward: LexicalContext = { noGrad: false, gradientTape: false, tfFunction: false, compiled: false, fn: forward, cls };
  // A return may also hand back the output of a submodule that itself provably ends that way
  // (`return self.net(x)` with `self.net = nn.Sequential(..., nn.Linear(32, 1))`).
  let every = true;
  let activation: Node | undefined;
  walkScope(forward.body, (n) => {
    if (n.t !== 'Return' || !every) return;
    if (n.value && ends(n.value, facts, inForward)) {
      if (n === end) activation = n.value;
      return;
    }
    const inner = n.value ? modelEndsIn(n.value, facts, inForward, ends, layers, depth + 1) : undefined;
    if (!inner) every = false;
    else if (n === end) activation = inner.activation;
  }, ['Return']);
  return every && activation ? { activation, model: `${cls.name}.forward` } : undefined;
}

/**
 * The module a name or `self.<attr>` holds when its one binding calls a builder function of
 * this file (`model = build_classifier(10, 4)`, `self.model = build(...)`) whose single
 * `return` gives a module construction (`return nn.Sequential(..., nn.Softmax(dim=1))`).
 */
function builtModule(fn: Node, facts: LintFacts, ctx: LexicalContext): ReturnType<LintFacts['kindOf']> | undefined {
  let value: Node | undefined;
  if (fn.t === 'Name') {
    const b = facts.soleBinding(fn.id, ctx.fn);
    value = b?.how === 'assign' ? b.value : undefined;
  } else if (fn.t === 'Attr' && fn.obj.t === 'Name' && fn.obj.id === 'self' && ctx.cls) {
    const vs = facts.selfAttrValues(ctx.cls, fn.attr);
    value = vs?.length === 1 ? vs[0] : undefined;
  }
  if (!value || value.t !== 'Call' || value.fn.t !== 'Name') return undefined;
  const b = facts.soleBinding(value.fn.id, undefined);
  const def = b?.stmt.t === 'FunctionDef' && facts.module.body.includes(b.stmt) ? b.stmt : undefined;
  if (!def) return undefined;
  const rets: Node[] = [];
  walkScope(def.body, (n) => {
    if (n.t === 'Return') rets.push(n);
  }, ['Return']);
  const ret = rets.length === 1 && rets[0].t === 'Return' ? rets[0].value : undefined;
  if (!ret || ret.t !== 'Call') return undefined;
  const k = facts.kindOfCall(ret, { noGrad: false, gradientTape: false, tfFunction: false, compiled: false, fn: def });
  return k.kind === 'Module' && k.ctor ? k : undefined;
}

/**
 * A helper of this file that a model's output passes through (`probs = self._forward(x)` with
 * `def _forward(self, x): return torch.softmax(self.model(x), 1)`, or a module-level
 * `def predict_proba(model, x): return torch.sigmoid(model(x))`): every return (at least one,
 * the last statement included) is such an expression, or the output of a model that provably ends so.
 */
function helperEndsIn(
  call: NodeOf<'Call'>, facts: LintFacts, ctx: LexicalContext,
  ends: (n: Node, facts: LintFacts, ctx: LexicalContext) => unknown, layers: ReadonlySet<string>, depth: number,
): { activation: Node; model: string } | undefined {
  let def: FunctionDef | undefined;
  let cls: ClassDef | undefined;
  if (call.fn.t === 'Name') {
    const b = facts.soleBinding(call.fn.id, undefined);
    if (b?.stmt.t === 'FunctionDef' && facts.module.body.includes(b.stmt)) def = b.stmt;
  } else if (call.fn.t === 'Attr' && call.fn.obj.t === 'Name' && call.fn.obj.id === 'self' && ctx.cls && ctx.fn?.params[0]?.name === 'self') {
    const attr = call.fn.attr;
    cls = ctx.cls;
    const ms = facts.methodsOf(cls).filter((m) => m.name === attr);
    if (ms.length === 1 && !ms[0].decorators.length) def = ms[0];
  }
  if (!def) return undefined;
  const end = def.body[def.body.length - 1];
  if (!end || end.t !== 'Return' || !end.value) return undefined;
  const inDef: LexicalContext = { noGrad: false, gradientTape: false, tfFunction: false, compiled: false, fn: def, cls };
  let every = true;
  let activation: Node | undefined;
  walkScope(def.body, (n) => {
    if (n.t !== 'Return' || !every) return;
    const v = n.value ? stripLayout(n.value, facts) : undefined;
    if (v && ends(v, facts, inDef)) {
      if (n === end) activation = v;
      return;
    }
    const inner = v ? modelEndsIn(v, facts, inDef, ends, layers, depth + 1) : undefined;
    if (!inner) every = false;
    else if (n === end) activation = inner.activation;
  }, ['Return']);
  return every && activation ? { activation, model: `${cls ? `${cls.name}.` : ''}${def.name}()` } : undefined;
}

/** Tensor methods that rearrange or retype the values without changing what they are (probabilities stay probabilities). */
const LAYOUT_METHODS = new Set(['view', 'reshape', 'flatten', 'contiguous', 'squeeze', 'unsqueeze', 'transpose', 'permute', 'float', 'double', 'to']);
const LAYOUT_FNS = new Set(['torch.flatten', 'torch.reshape', 'torch.squeeze', 'torch.unsqueeze', 'torch.transpose', 'torch.permute']);

/** `x.view(-1, C)`, `x.reshape(...)`, `torch.flatten(x, 0, 1)` ... -> `x` (repeatedly). */
export function stripLayout(n: Node, facts: LintFacts): Node {
  for (let i = 0; i < 8 && n.t === 'Call'; i++) {
    const q = facts.qualifiedName(n.fn);
    if (q) {
      const first = n.args[0];
      if (!LAYOUT_FNS.has(q) || !first || first.kind !== 'pos') break;
      n = first.value;
      continue;
    }
    if (n.fn.t !== 'Attr' || !LAYOUT_METHODS.has(n.fn.attr)) break;
    if (n.fn.obj.t === 'Name' && facts.imports.has(n.fn.obj.id)) break;
    n = n.fn.obj;
  }
  return n;
}

/**
 * The expression an argument stands for: itself, or — for a name bound exactly once in its
 * function by a plain assignment placed before `use` — the assigned value. Layout-only tensor
 * methods (`.view`, `.reshape`, `.flatten`, `.float()` ...) are looked through on both sides.
 */
export function resolveArg(arg: Node, facts: LintFacts, ctx: LexicalContext, use: Node): { value: Node; viaName: boolean } {
  arg = stripLayout(arg, facts);
  if (arg.t !== 'Name') return { value: arg, viaName: false };
  const b = facts.soleBinding(arg.id, ctx.fn) ?? reachingAssign(facts, arg.id, ctx.fn, use);
  if (!b || b.how !== 'assign' || !b.value || b.stmt.t !== 'Assign' || b.stmt.line >= use.line) return { value: arg, viaName: false };
  return { value: stripLayout(b.value, facts), viaName: true };
}

/**
 * For a name bound several times (`out = model(x)` then `out = nn.Softmax(dim=1)(out)`), the
 * plain assignment that reaches `use` on every path: the last binding written before it, in a
 * statement list that also holds `use` (or a statement around it) further down, so it runs
 * before `use` each time (in a loop, each iteration). Undefined when the last binding is in
 * another branch or an inner block, or is not a plain assignment.
 */
function reachingAssign(facts: LintFacts, name: string, fn: FunctionDef | undefined, use: Node): Binding | undefined {
  const bs = facts.bindingsOf(fn ?? facts.module).get(name);
  if (!bs || bs.length < 2) return undefined;
  let b: Binding | undefined;
  for (const x of bs) if (x.how !== 'param' && x.stmt.line < use.line && (!b || x.stmt.line > b.stmt.line)) b = x;
  if (!b || b.how !== 'assign' || b.stmt.t !== 'Assign') return undefined;
  const parent = facts.ancestorsOf(b.stmt).at(-1);
  const block = parent ? blocksOf(parent).find((l) => l.includes(b!.stmt)) : facts.module.body;
  if (!block) return undefined;
  const around = new Set<Node>([...facts.ancestorsOf(use), use]);
  const i = block.indexOf(b.stmt);
  return block.some((s, j) => j > i && around.has(s)) ? b : undefined;
}

/** The loss class a call computes (`CrossEntropyLoss`), through functional names, inline construction or bound names. */
export function lossClassOf(call: Call, facts: LintFacts, ctx: LexicalContext): string | undefined {
  const q = facts.qualifiedName(call.fn);
  if (q && FUNCTIONAL_LOSS[q]) return FUNCTIONAL_LOSS[q];
  if (q) return undefined;
  const alias = functionalLossAlias(call.fn, facts, ctx);
  if (alias) return alias;
  if (call.fn.t === 'Call') {
    const inner = facts.qualifiedName(call.fn.fn);
    return inner && /^torch\.nn\.\w+Loss$/.test(inner) ? inner.slice('torch.nn.'.length) : undefined;
  }
  const k = facts.kindOf(call.fn, ctx);
  if (k.kind === 'Loss' && k.ctor) return k.ctor.split('.').pop();
  return undefined;
}

/**
 * A name bound once to a functional loss, in the function or (when the function does not bind
 * it) at top level: `ce = F.cross_entropy`, `crit = functools.partial(F.cross_entropy, label_smoothing=0.1)`.
 */
function functionalLossAlias(fn: Node, facts: LintFacts, ctx: LexicalContext): string | undefined {
  if (fn.t !== 'Name') return undefined;
  const local = ctx.fn ? facts.bindingsOf(ctx.fn).get(fn.id) : undefined;
  const b = local ? facts.soleBinding(fn.id, ctx.fn) : facts.soleBinding(fn.id, undefined);
  if (!b || b.how !== 'assign' || !b.value) return undefined;
  let v = b.value;
  if (v.t === 'Call' && facts.qualifiedName(v.fn) === 'functools.partial' && v.args[0]?.kind === 'pos') v = v.args[0].value;
  const q = v.t === 'Name' || v.t === 'Attr' ? facts.qualifiedName(v) : undefined;
  return q ? FUNCTIONAL_LOSS[q] : undefined;
}

/** The loss input argument (first positional or `input=`). */
export function lossInput(call: Call): Node | undefined {
  const first = call.args[0];
  if (first && first.kind === 'pos') return first.value;
  for (const a of call.args) if (a.kind === 'kw' && a.name === 'input') return a.value;
  return undefined;
}

/** A fix that replaces a node by other text. */
export function replaceFix(ctx: LintContext, title: string, node: { line: number; col: number; endLine: number; endCol: number }, newText: string): Fix {
  return { title, edits: [{ range: ctx.rangeOf(node), newText }] };
}

/** A fix inserting a whole line before statement `before` with its indentation. */
export function insertLineFix(ctx: LintContext, title: string, before: Node, code: string): Fix | undefined {
  const facts = ctx.facts;
  if (!facts.standsAlone(before)) return undefined;
  const indent = facts.indentOf(before.line);
  return { title, edits: [{ range: { line: before.line, character: 0, endLine: before.line, endCharacter: 0 }, newText: `${indent}${code}\n` }] };
}

/** Wraps statements (a contiguous, self-standing block) in `with <ctxExpr>:`; undefined when that cannot be done textually. */
export function wrapWithFix(ctx: LintContext, title: string, first: Node, last: Node, ctxExpr: string): Fix | undefined {
  const facts = ctx.facts;
  if (!facts.standsAlone(first) || !facts.standsAlone(last)) return undefined;
  const block = facts.lines.slice(first.line, last.endLine + 1).join('\n');
  if (/"""|'''|\\\r?$/m.test(block)) return undefined;
  const indent = facts.indentOf(first.line);
  const unit = /\t/.test(indent) ? '\t' : '    ';
  const body = facts.lines.slice(first.line, last.endLine + 1).map((l) => (l.trim() ? unit + l : l));
  return {
    title,
    edits: [{ range: { line: first.line, character: 0, endLine: last.endLine, endCharacter: facts.lines[last.endLine].length }, newText: `${indent}with ${ctxExpr}:\n${body.join('\n')}` }],
  };
}

/** Text of the `torch` module as this file spells it, for fixes. */
export function torchAlias(facts: LintFacts): string | undefined {
  return facts.localAlias('torch');
}

export type { NodeOf };
