// DL106: a training loop that switches the model to eval() (for validation) and never
// back to train(): the remaining epochs train with dropout off and frozen BatchNorm stats.

import type { Node, NodeOf } from '../../python/ast';
import { walkAll, walkScope, type FunctionDef, type LintFacts } from '../facts';
import type { Rule } from '../types';
import { insertLineFix } from './dl1-shared';

export const dl106: Rule = {
  meta: {
    code: 'DL106',
    name: 'train-eval-mode-toggling',
    frameworks: ['pytorch'],
    severity: 'warning',
    fix: 'yes',
    needs: ['backward', 'no_grad', 'inference_mode'],
    docs: '`Dropout` and `BatchNorm` behave differently in training and evaluation. A training loop that calls `model.eval()` (directly or in a same-file helper, e.g. for validation) but no `model.train()` trains every later epoch in evaluation mode. Fires only when the module put in eval mode is the one whose parameters the optimizer updates, nothing unknown receives the model, and the loop does not build the model afresh before the eval() call (a sweep or k-fold loop). The fix inserts `model.train()` as the loop\'s first statement. Also: an evaluation function (it calls a model it receives under `no_grad` / `inference_mode`) with no `.eval()` on it, whose every call in the file passes a model with Dropout or BatchNorm layers and no `.eval()` before the call; the fix inserts `model.eval()` at the start of the function. A function never called in the file is judged only when its name says evaluation (eval, valid, test, infer, predict) and the file\'s models have such layers. A module-level model with such layers that an evaluation function uses under `no_grad` without receiving it is reported when nothing in the file calls its `eval()` / `train()` or hands it to a call. Likewise a trainer-style class (no base class) whose evaluation method runs `self.<model>` (assigned once, with such layers) under `no_grad` when nothing in the file puts `<model>` in eval mode or hands it to a call.',
  },
  check(ctx) {
    evaluationWithoutEval(ctx);
    methodEvaluationWithoutEval(ctx);
    const facts = ctx.facts;
    ctx.walk((loop, anc) => {
      if (loop.t !== 'For' && loop.t !== 'While') return;
      const fn = [...anc].reverse().find((a): a is FunctionDef => a.t === 'FunctionDef');
      const s = facts.summaryOf(loop, fn);
      if (!s.backward.length || !s.optimizerStep.length || !s.evalCalls.length || s.trainCalls.length) return;
      const lc = facts.contextAt([...anc, loop]);
      for (const ev of s.evalCalls) {
        const recvNode = helperArgument(facts, loop, s.helpers, ev) ?? ev.receiver;
        const recv = facts.textOf(recvNode);
        // The module put in eval mode must be the one being optimised.
        const trained = s.optimizerStep.some((o) => {
          const k = facts.kindOf(o.optimizer, lc);
          if (!k.call) return false;
          return new RegExp(`(^|[^\\w.])${recv.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(parameters|named_parameters)\\(`).test(facts.textOf(k.call));
        });
        if (!trained) continue;
        const recvName = recvNode.t === 'Name' ? recvNode.id : undefined;
        if (recvName && s.opaqueCalls.some((c) => c.argNames.includes(recvName))) continue;
        // A model built afresh each iteration (a sweep or a k-fold loop: `model = make_model()`
        // before the eval() call) starts every iteration in training mode.
        if (recvName && rebuiltIn(loop, recvName, ev.call.line)) continue;
        // Another loop of the same function might switch back before the next epoch: only the loop itself counts.
        let nestedTrain = false;
        walkScope(loop.body, (n: Node) => {
          if (n.t === 'Call' && n.fn.t === 'Attr' && n.fn.attr === 'train') nestedTrain = true;
        }, ['Call']);
        if (nestedTrain) continue;
        const first = loop.body[0];
        ctx.report({
          node: ev.call,
          message: `${recvNode === ev.receiver ? `${recv}.eval()` : `${facts.textOf(ev.call)} (on ${recv}, in a helper)`} inside the training loop is never undone: later iterations train with dropout off and frozen BatchNorm statistics. Call ${recv}.train() at the start of each epoch.`,
          fix: first && first.line > loop.line ? insertLineFix(ctx, `Insert ${recv}.train() at the start of the loop`, first, `${recv}.train()`) : undefined,
        });
        return;
      }
    }, ['For', 'While']);
  },
};

/**
 * For an eval() call inside a same-file helper on one of its parameters (`def evaluate(net, b):
 * net.eval()`), the argument the loop passes for that parameter (`evaluate(model, batch)`),
 * when every call of the helper in the loop passes the same expression; else undefined.
 */
function helperArgument(facts: LintFacts, loop: Node, helpers: readonly string[], ev: { call: Node; receiver: Node }): Node | undefined {
  if (ev.receiver.t !== 'Name' || (ev.call.line >= loop.line && ev.call.line <= loop.endLine)) return undefined;
  const name = ev.receiver.id;
  const def = facts.module.body.find((st): st is FunctionDef => st.t === 'FunctionDef' && helpers.includes(st.name)
    && ev.call.line >= st.line && ev.call.line <= st.endLine);
  const index = def ? def.params.findIndex((p) => p.name === name) : -1;
  if (!def || index < 0) return undefined;
  // The helper must not rebind the parameter before (`net = net.module`).
  let rebound = false;
  walkScope(def.body, (n) => {
    if (n.t === 'Assign' && n.targets.some((t) => t.t === 'Name' && t.id === name)) rebound = true;
  }, ['Assign']);
  if (rebound) return undefined;
  const args: Node[] = [];
  let other = false;
  walkScope((loop as NodeOf<'For'>).body, (n) => {
    if (n.t !== 'Call' || n.fn.t !== 'Name' || n.fn.id !== def.name) return;
    const a = n.args.find((x) => x.kind === 'kw' && x.name === name)?.value ?? (n.args[index]?.kind === 'pos' ? n.args[index].value : undefined);
    if (a) args.push(a);
    else other = true;
  }, ['Call']);
  if (other || !args.length || args.some((a) => facts.textOf(a) !== facts.textOf(args[0]))) return undefined;
  return args[0];
}

const MODE_LAYERS = /Dropout|BatchNorm|InstanceNorm|AlphaDropout/;

/**
 * Catalogue variant (a): a plain function that calls a module it receives as a parameter
 * under no_grad / inference_mode, with no `.eval()` / `.train(False)` on it, whose every
 * same-file call passes a model known to have mode-dependent layers (Dropout, BatchNorm)
 * and calls no `.eval()` on it earlier in the calling scope.
 */
/** Names of evaluation functions (the catalogue's `eval|valid|test|infer|predict`). */
const EVAL_NAME = /eval|valid|test|infer|predict/i;

function evaluationWithoutEval(ctx: Parameters<Rule['check']>[0]): void {
  const facts = ctx.facts;
  const sites = facts.callSites();
  const modeModels = new Set(ctx.analysis.models.filter((m) => m.layers.some((l) => MODE_LAYERS.test(l.type))).map((m) => m.name));
  if (!modeModels.size) return;
  // A call that receives the model may set its mode: one to code outside this file, or to a
  // function of this file that calls eval() / train(False) on something.
  const defs = new Map(facts.module.body.filter((st): st is FunctionDef => st.t === 'FunctionDef').map((d) => [d.name, d]));
  // A same-file function sets the mode when it calls eval() / train(False) on something, or
  // hands a name to another same-file function that does (`accuracy(model)` calling
  // `prepare_for_eval(model)`); memoised, and a recursion cycle counts as not setting it.
  const setsMode = new Map<string, boolean>();
  const defSetsMode = (name: string): boolean => {
    const known = setsMode.get(name);
    if (known !== undefined) return known;
    setsMode.set(name, false);
    let sets = false;
    walkScope(defs.get(name)!.body, (x) => {
      if (sets || x.t !== 'Call') return;
      if (x.fn.t === 'Attr' && (x.fn.attr === 'eval' || (x.fn.attr === 'train' && x.args[0]?.value.t === 'Const' && x.args[0].value.v === false))) sets = true;
      else if (x.fn.t === 'Name' && defs.has(x.fn.id) && x.args.some((a) => a.value.t === 'Name') && defSetsMode(x.fn.id)) sets = true;
    }, ['Call']);
    setsMode.set(name, sets);
    return sets;
  };
  const maySetMode = (c: Node): boolean => {
    if (c.t !== 'Call' || c.fn.t !== 'Name') return true;
    return !defs.has(c.fn.id) || defSetsMode(c.fn.id);
  };
  const isModeCall = (c: Node) => c.t === 'Call' && c.fn.t === 'Attr' && (c.fn.attr === 'eval' || c.fn.attr === 'train');
  // A call that may leave the model in eval mode: eval(), or train(...) with anything but no
  // argument / a literal True (`model.train()` before the call puts it in training mode).
  const toTrain = (c: Node) => c.t === 'Call' && c.fn.t === 'Attr' && c.fn.attr === 'train'
    && (c.args.length === 0 || (c.args.length === 1 && c.args[0].value.t === 'Const' && c.args[0].value.v === true));
  const mayEval = (c: Node) => isModeCall(c) && !toTrain(c);
  // A parameter of the calling function that it puts in training mode (`def train(model, ...):
  // model.train()`), when every model of the file has mode-dependent layers: the model passed on.
  const allModeModels = ctx.analysis.models.length > 0 && ctx.analysis.models.every((m) => modeModels.has(m.name));
  const trainedParam = (name: string, scope: FunctionDef | undefined): boolean => {
    if (!allModeModels || !scope || !scope.params.some((q) => q.name === name) || facts.bindingsOf(scope).get(name)?.length !== 1) return false;
    let trains = false;
    walkScope(scope.body, (n) => {
      if (n.t === 'Call' && n.fn.t === 'Attr' && n.fn.obj.t === 'Name' && n.fn.obj.id === name && toTrain(n)) trains = true;
    }, ['Call']);
    return trains;
  };
  ctx.walk((f, fAnc) => {
    if (f.t !== 'FunctionDef' || f.params[0]?.name === 'self' || fAnc.some((a) => a.t === 'ClassDef')) return;
    const calls = sites.get(f.name) ?? [];
    // A function named for evaluation that the file never calls (a helper module's validate()):
    // judged on its own, as the file's models have mode-dependent layers.
    const uncalled = !calls.length && EVAL_NAME.test(f.name);
    if ((!calls.length && !uncalled) || facts.isReferencedAsValue(f.name)) return;
    f.params.forEach((param, index) => {
      const p = param.name;
      let modelCall: Node | undefined;
      let settled = false;
      walkScope(f.body, (n, inner) => {
        if (n.t !== 'Call') return;
        if (n.fn.t === 'Name' && n.fn.id === p && !modelCall && facts.contextAt([...fAnc, f, ...inner]).noGrad) modelCall = n;
        // p.eval() / p.train(...) in the function, or p handed to another function: not judged here.
        if (n.fn.t === 'Attr' && n.fn.obj.t === 'Name' && n.fn.obj.id === p && (n.fn.attr === 'eval' || n.fn.attr === 'train')) settled = true;
        if (n.args.some((a) => a.value.t === 'Name' && a.value.id === p)) settled = true;
      }, ['Call']);
      if (!modelCall || settled) return;
      const everyCallUnset = uncalled || calls.every(({ call, ancestors }) => {
        const arg = call.args.find((a) => a.kind === 'kw' && a.name === p)?.value ?? (call.args[index]?.kind === 'pos' ? call.args[index].value : undefined);
        if (!arg || arg.t !== 'Name') return false;
        const scope = [...ancestors].reverse().find((a): a is FunctionDef => a.t === 'FunctionDef');
        if (!modelOf(ctx, arg.id, modeModels, scope) && !trainedParam(arg.id, scope)) return false;
        // Before the call in that scope: `model.eval()` / `model.train(...)`, the model handed to
        // another function (`set_eval(model)`), or bound from a chain ending in eval()
        // (`clf = nn.Sequential(...).eval()`): its mode may be set.
        let evalBefore = false;
        walkScope(scope ? scope.body : facts.module.body, (n) => {
          if (n.t === 'Assign' && n.line <= call.line && n.targets.some((t) => t.t === 'Name' && t.id === arg.id) && mayEval(n.value)) evalBefore = true;
          if (n.t !== 'Call' || n.line > call.line || n === call) return;
          const onArg = n.fn.t === 'Attr' && n.fn.obj.t === 'Name' && n.fn.obj.id === arg.id;
          if (onArg && mayEval(n)) evalBefore = true;
          // model.train() before the call is a deliberate choice (a BatchNorm recalibration, a
          // momentum encoder run in training mode), unless it was for a training step written
          // between it and the call of a function named for evaluation (train, then validate).
          if (onArg && toTrain(n) && !(EVAL_NAME.test(f.name) && backwardBetween(scope ? scope.body : facts.module.body, n.line, call.line))) evalBefore = true;
          if (n.line < call.line && n.args.some((a) => a.value.t === 'Name' && a.value.id === arg.id) && maySetMode(n)) evalBefore = true;
        }, ['Call', 'Assign']);
        return !evalBefore;
      });
      if (!everyCallUnset) return;
      const first = f.body.find((st) => !(st.t === 'Expr' && st.value.t === 'Str'));
      ctx.report({
        node: modelCall,
        message: `${f.name}() runs ${p} for evaluation without ${p}.eval(), and no caller puts it in eval mode first: Dropout stays active and BatchNorm uses batch statistics. Call ${p}.eval() at the start of ${f.name}().`,
        fix: first ? insertLineFix(ctx, `Insert ${p}.eval() at the start of ${f.name}()`, first, `${p}.eval()`) : undefined,
      });
    });
    // A module-level model the function uses without receiving it (`model = nn.Sequential(..., nn.Dropout(...))`
    // then `def test(): with torch.no_grad(): model(x)`), when nothing in the file sets its mode:
    // no `model.eval()` / `model.train(...)`, no binding from such a chain, no `global model`, and
    // the model never handed to a call (which might set it).
    const params = new Set(f.params.map((q) => q.name));
    const local = facts.bindingsOf(f);
    const judged = new Set<string>();
    walkScope(f.body, (n, inner) => {
      if (n.t !== 'Call' || n.fn.t !== 'Name') return;
      const g = n.fn.id;
      if (judged.has(g) || params.has(g) || local.has(g) || !modelOf(ctx, g, modeModels)) return;
      judged.add(g);
      if (!facts.contextAt([...fAnc, f, ...inner]).noGrad || !facts.soleBinding(g, undefined)) return;
      let settled = false;
      walkAll(facts.module.body, (x) => {
        if (x.t === 'Global' && x.names.includes(g)) settled = true;
        if (x.t === 'Assign' && x.targets.some((t) => t.t === 'Name' && t.id === g) && isModeCall(x.value)) settled = true;
        if (x.t !== 'Call') return;
        if (x.fn.t === 'Attr' && x.fn.obj.t === 'Name' && x.fn.obj.id === g && (x.fn.attr === 'eval' || x.fn.attr === 'train')) settled = true;
        if (x.args.some((a) => a.value.t === 'Name' && a.value.id === g)) settled = true;
      }, ['Call', 'Assign', 'Global']);
      if (settled) return;
      const first = f.body.find((st) => !(st.t === 'Expr' && st.value.t === 'Str'));
      ctx.report({
        node: n,
        message: `${f.name}() runs the model '${g}' for evaluation, but nothing in this file calls ${g}.eval(): Dropout stays active and BatchNorm uses batch statistics. Call ${g}.eval() at the start of ${f.name}().`,
        fix: first ? insertLineFix(ctx, `Insert ${g}.eval() at the start of ${f.name}()`, first, `${g}.eval()`) : undefined,
      });
    }, ['Call']);
  }, ['FunctionDef']);
}

/**
 * A trainer-style class (no base class) whose evaluation method (named eval / valid / test /
 * infer / predict, not a `*_step` hook) calls `self.<m>(...)` under no_grad / inference_mode,
 * where `self.<m>` is assigned once in the class to a torch model with mode-dependent layers
 * (an nn.Sequential listing Dropout / BatchNorm, or an instance of a model class of this file
 * that has them), and nothing in the file puts `<m>` in eval mode (`.eval()`, `.train(x)` with
 * anything but True) or hands `self.<m>` to a call.
 */
function methodEvaluationWithoutEval(ctx: Parameters<Rule['check']>[0]): void {
  const facts = ctx.facts;
  const modeModels = new Set(ctx.analysis.models.filter((m) => m.layers.some((l) => MODE_LAYERS.test(l.type))).map((m) => m.name));
  const hasModeLayers = (v: Node): boolean => {
    if (v.t !== 'Call') return false;
    const q = facts.qualifiedName(v.fn);
    if (q === 'torch.nn.Sequential') {
      return v.args.some((a) => a.value.t === 'Call' && /^torch\.nn\.(Dropout\w*|AlphaDropout|BatchNorm\w*|InstanceNorm\w*|SyncBatchNorm)$/.test(facts.qualifiedName(a.value.fn) ?? ''));
    }
    return !q && v.fn.t === 'Name' && modeModels.has(v.fn.id);
  };
  for (const cls of facts.module.body) {
    if (cls.t !== 'ClassDef' || cls.bases.some((b) => !(b.value.t === 'Name' && b.value.id === 'object'))) continue;
    const methods = cls.body.filter((st): st is FunctionDef => st.t === 'FunctionDef');
    // self.<attr> = <model> assigned once in the class.
    const assigns = new Map<string, Node[]>();
    for (const m of methods) {
      walkScope(m.body, (n) => {
        if (n.t !== 'Assign') return;
        for (const t of n.targets) {
          if (t.t === 'Attr' && t.obj.t === 'Name' && t.obj.id === 'self') assigns.set(t.attr, [...(assigns.get(t.attr) ?? []), n.value]);
        }
      }, ['Assign']);
    }
    for (const m of methods) {
      if (!EVAL_NAME.test(m.name) || /_step$/.test(m.name) || m.params[0]?.name !== 'self') continue;
      const judged = new Set<string>();
      walkScope(m.body, (n, inner) => {
        if (n.t !== 'Call' || n.fn.t !== 'Attr' || n.fn.obj.t !== 'Name' || n.fn.obj.id !== 'self') return;
        const attr = n.fn.attr;
        if (judged.has(attr)) return;
        const vals = assigns.get(attr);
        if (!vals || vals.length !== 1 || !hasModeLayers(vals[0])) return;
        if (!facts.contextAt([cls, m, ...inner]).noGrad) return;
        judged.add(attr);
        // Anything in the file that may set the mode of `<x>.<attr>`, or hands `self.<attr>` on.
        let settled = false;
        walkAll(facts.module.body, (x) => {
          if (settled || x.t !== 'Call') return;
          const f = x.fn;
          if (f.t === 'Attr' && f.obj.t === 'Attr' && f.obj.attr === attr) {
            if (f.attr === 'eval') settled = true;
            if (f.attr === 'train' && !(x.args.length === 0 || (x.args.length === 1 && x.args[0].value.t === 'Const' && x.args[0].value.v === true))) settled = true;
          }
          if (x.args.some((a) => a.value.t === 'Attr' && a.value.attr === attr)) settled = true;
        }, ['Call']);
        if (settled) return;
        const first = m.body.find((st) => !(st.t === 'Expr' && st.value.t === 'Str'));
        ctx.report({
          node: n,
          message: `${cls.name}.${m.name}() runs self.${attr} for evaluation, but nothing puts it in eval mode (self.${attr}.eval()): Dropout stays active and BatchNorm uses batch statistics. Call self.${attr}.eval() at the start of ${m.name}().`,
          fix: first ? insertLineFix(ctx, `Insert self.${attr}.eval() at the start of ${m.name}()`, first, `self.${attr}.eval()`) : undefined,
        });
      }, ['Call']);
    }
  }
}

/** Whether the loop's body binds `name` before line `before` from an expression that does not read it (a new model, not `model = model.to(device)`). */
function rebuiltIn(loop: NodeOf<'For'> | NodeOf<'While'>, name: string, before: number): boolean {
  let found = false;
  walkScope(loop.body, (n) => {
    if (found || n.t !== 'Assign' || n.line >= before || !n.targets.some((t) => t.t === 'Name' && t.id === name)) return;
    let reads = false;
    walkAll([n.value], (x) => {
      if (x.t === 'Name' && x.id === name) reads = true;
    });
    if (!reads) found = true;
  }, ['Assign']);
  return found;
}

/** Whether a `.backward()` call is written in `body` after line `from` and before line `to`. */
function backwardBetween(body: readonly Node[], from: number, to: number): boolean {
  let found = false;
  walkScope(body, (n) => {
    if (n.t === 'Call' && n.fn.t === 'Attr' && n.fn.attr === 'backward' && n.line > from && n.line < to) found = true;
  }, ['Call']);
  return found;
}

/** Whether the name (in `scope`, or at top level) holds one of the file's models with mode-dependent layers (`model = Net()` or the Sequential named `model`). */
function modelOf(ctx: Parameters<Rule['check']>[0], name: string, modeModels: ReadonlySet<string>, scope?: FunctionDef): boolean {
  // The name as bound in the calling function when it binds it there, else at top level.
  const inScope = scope !== undefined && ctx.facts.bindingsOf(scope).has(name);
  if (!inScope && modeModels.has(name)) return true;
  const b = ctx.facts.soleBinding(name, inScope ? scope : undefined);
  const v = b?.how === 'assign' ? b.value : undefined;
  return !!v && v.t === 'Call' && v.fn.t === 'Name' && modeModels.has(v.fn.id);
}
