// DL203: softmax over a single unit is the constant 1.0 (zero gradient, stuck accuracy):
// `Dense(1, activation="softmax")`, or a one-unit Dense followed by a softmax layer.

import type { Node } from '../../python/ast';
import type { Rule } from '../types';
import { type Call, argOf, kwArg, numOf, replaceEdit, scopesOf, strOf, valueBefore, walkLocal } from './shared-ast';
import { activationOf, isKerasLayerCtor, layerClass, unitsOf } from './shared-keras';
import { resolveArg, softmaxCall } from './dl1-shared';

export const dl203: Rule = {
  meta: {
    code: 'DL203',
    name: 'softmax-single-unit',
    frameworks: ['keras', 'pytorch'],
    severity: 'error',
    docs:
      'Softmax over a single value is always exactly 1.0, so a one-unit softmax output is constant and its gradient is zero. ' +
      'Use a sigmoid for a binary output (or two units with softmax). Also fires on torch\'s functional softmax over the last axis ' +
      'of a one-output `nn.Linear` (`torch.softmax(self.fc(x), dim=-1)`, or `dim=1` when the propagated output is 2-D).',
    fix: 'yes',
    needs: ['softmax', 'Softmax'],
  },
  check(ctx) {
    const fixFor = (n: Node | undefined) => {
      const s = strOf(n);
      if (!n || s !== 'softmax') return undefined;
      const q = ctx.lines[n.line]?.[n.col] === "'" ? "'" : '"';
      return { title: 'Use a sigmoid activation', edits: [replaceEdit(n, `${q}sigmoid${q}`)] };
    };
    const report = (b: Call) => ctx.report({
      node: b,
      message: 'Softmax over the single output unit of the previous layer is always 1.0. Use a sigmoid for a binary output.',
      fix: isKerasLayerCtor(ctx, b) && layerClass(ctx, b) === 'Activation' ? fixFor(argOf(b, 'activation', 0)) : undefined,
    });
    // `model.add(Dense(1))` then `model.add(Activation("softmax"))`: the layers one receiver gets, in order.
    const added = new Map<string, Call>();
    ctx.walk((n) => {
      if (n.t !== 'Call' || n.fn.t !== 'Attr' || n.fn.attr !== 'add' || n.fn.obj.t !== 'Name' || n.args.length !== 1 || n.args[0].kind !== 'pos') return;
      const layer = n.args[0].value;
      const prev = added.get(n.fn.obj.id);
      if (layer.t !== 'Call') {
        added.delete(n.fn.obj.id);
        return;
      }
      if (prev && isOneUnit(ctx, prev) && isSoftmaxLayer(ctx, layer)) report(layer);
      added.set(n.fn.obj.id, layer);
    }, ['Call']);
    // The functional form: `Activation("softmax")(Dense(1)(x))`, or through a name bound to `Dense(1)(x)`.
    for (const scope of scopesOf(ctx)) {
      walkLocal(scope.body, (n) => {
        if (n.t !== 'Call' || n.fn.t !== 'Call' || !isSoftmaxLayer(ctx, n.fn) || !overLastAxis(ctx, n.fn)) return;
        let input = argOf(n, 'inputs', 0) ?? kwArg(n, 'input');
        if (input && input.t === 'Name') input = valueBefore(ctx, scope, input.id, n.line);
        if (input && input.t === 'Call' && input.fn.t === 'Call' && isOneUnit(ctx, input.fn)) report(n.fn);
      });
    }
    // torch's functional softmax over the last axis of a one-output Linear:
    // `torch.softmax(self.fc(x), dim=-1)`, `F.softmax(out, -1)`, `out.softmax(-1)`.
    ctx.walk((n, anc) => {
      if (n.t !== 'Call') return;
      const lc = ctx.facts.contextAt(anc);
      const sc = softmaxCall(n, ctx.facts, lc);
      if (!sc) return;
      const method = !ctx.qualifiedName(n.fn) && n.fn.t === 'Attr';
      const dim = numOf(argOf(n, 'dim', method ? 0 : 1));
      if (dim === undefined || dim < -1 || !Number.isInteger(dim)) return;
      const input = resolveArg(sc.input, ctx.facts, lc, n).value;
      if (input.t !== 'Call') return;
      const ctor = input.fn.t === 'Call' ? input.fn : ctx.facts.kindOf(input.fn, lc).call;
      // dim=1 is the last axis only when the Linear's output is 2-D: the shape engine's rows for
      // that Linear must all show rank dim + 1 (an (N, T, 1) score softmaxed over T is attention pooling).
      if (ctor && dim !== -1 && !lastAxisOfRows(ctx, ctor, dim)) return;
      if (ctor && ctx.qualifiedName(ctor.fn) === 'torch.nn.Linear' && numOf(argOf(ctor, 'out_features', 1)) === 1) {
        ctx.report({ node: n, message: 'Softmax over the last axis of a one-output Linear is always 1.0 (zero gradient). Use a sigmoid for a binary output.' });
      }
    }, ['Call']);
    ctx.walk((n) => {
      if (isKerasLayerCtor(ctx, n) && layerClass(ctx, n) === 'Dense' && unitsOf(ctx, n) === 1) {
        const a = activationOf(ctx, n);
        if (a?.act === 'softmax') ctx.report({ node: n, message: 'Dense(1) with a softmax activation always outputs 1.0. Use activation="sigmoid" for a binary output.', fix: fixFor(a.node) });
      }
      // Layer lists: a one-unit layer followed by a softmax layer.
      if (n.t === 'List' || n.t === 'Tuple' || (n.t === 'Call' && /^(torch\.nn\.Sequential)$/.test(ctx.qualifiedName(n.fn) ?? ''))) {
        const elts: Node[] = n.t === 'Call' ? n.args.filter((a) => a.kind === 'pos').map((a) => a.value) : n.elts;
        for (let i = 0; i + 1 < elts.length; i++) {
          const a = elts[i];
          const b = elts[i + 1];
          if (a.t !== 'Call' || b.t !== 'Call') continue;
          if (isOneUnit(ctx, a) && isSoftmaxLayer(ctx, b)) report(b);
        }
      }
    });
  },
};

/**
 * Every propagated output of the one-output Linear built by `ctor` has rank `dim + 1` (so `dim`
 * is its last axis); at least one is known. Only models run on a known input count (an example
 * call, a directive): a guessed [B, n] input says nothing about the real rank.
 */
function lastAxisOfRows(ctx: Parameters<Rule['check']>[0], ctor: Call, dim: number): boolean {
  const rows = ctx.analysis.models.filter((m) => m.inputSource !== 'symbolic').flatMap((m) => m.layers)
    .filter((r) => r.type === 'Linear' && r.line === ctor.line && r.outputShape && r.outputShape[r.outputShape.length - 1] === 1);
  return rows.length > 0 && rows.every((r) => r.outputShape!.length === dim + 1);
}

function isOneUnit(ctx: Parameters<Rule['check']>[0], c: Call): boolean {
  const q = ctx.qualifiedName(c.fn);
  if (q === 'torch.nn.Linear') {
    const v = argOf(c, 'out_features', 1);
    return !!v && v.t === 'Num' && v.v === 1;
  }
  if (isKerasLayerCtor(ctx, c) && layerClass(ctx, c) === 'Dense') {
    const a = activationOf(ctx, c);
    return unitsOf(ctx, c) === 1 && a?.act === 'linear';
  }
  return false;
}

function isSoftmaxLayer(ctx: Parameters<Rule['check']>[0], c: Call): boolean {
  const q = ctx.qualifiedName(c.fn);
  if (q === 'torch.nn.Softmax') return true;
  if (!isKerasLayerCtor(ctx, c)) return false;
  const cls = layerClass(ctx, c);
  return (cls === 'Softmax' || cls === 'Activation') && activationOf(ctx, c)?.act === 'softmax';
}

/**
 * The softmax layer normalises the last axis (the one a Dense / Linear writes): a Keras
 * Activation always does, Softmax with the default axis or -1, torch's nn.Softmax with dim=-1
 * (dim=1 over an (N, T, 1) score is attention pooling, not a one-unit softmax).
 */
function overLastAxis(ctx: Parameters<Rule['check']>[0], c: Call): boolean {
  if (ctx.qualifiedName(c.fn) === 'torch.nn.Softmax') return numOf(argOf(c, 'dim', 0)) === -1;
  if (layerClass(ctx, c) === 'Softmax') {
    const axis = argOf(c, 'axis', 0);
    return !axis || numOf(axis) === -1;
  }
  return true;
}
