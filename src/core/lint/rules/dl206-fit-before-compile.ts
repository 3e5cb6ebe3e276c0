// DL206: fit()/evaluate()/train_on_batch()/test_on_batch() on a freshly built Keras
// model that is compiled on no path before it: RuntimeError "You must compile your model".

import type { Node } from '../../python/ast';
import type { LintContext, Rule } from '../types';
import type { ClassDef } from '../facts';
import { type Call, type FunctionDef, type Scope, methodName, nameOf, receiver, scopesOf, walkAll, walkLocal } from './shared-ast';
import { modelBuiltBy } from './shared-keras';

const TRAIN = new Set(['fit', 'evaluate', 'train_on_batch', 'test_on_batch']);
const BUILDERS = new Set(['keras.Sequential', 'keras.models.Sequential', 'keras.Model', 'keras.models.Model']);

export const dl206: Rule = {
  meta: {
    code: 'DL206',
    name: 'fit-before-compile',
    frameworks: ['keras'],
    severity: 'error',
    docs: '`fit`/`evaluate`/`train_on_batch` on a Keras model that was never compiled raises `RuntimeError: You must compile your model before training/testing`. ' +
      'Tracks models built by `Sequential`/`Model(...)`, as instances of a Keras model subclass of this file that does not compile itself, ' +
      'or returned (freshly built, never compiled) by a function of this file.',
    fix: 'offered',
    needs: ['fit', 'evaluate', 'train_on_batch', 'test_on_batch'],
  },
  check(ctx) {
    // A name compiled anywhere outside the scope (e.g. by a helper reading the global) is left alone.
    for (const scope of scopesOf(ctx)) checkScope(ctx, scope);
  },
};

function compiledElsewhere(ctx: LintContext, scope: Scope, name: string): boolean {
  let found = false;
  walkAll(ctx.module.body, (n, anc) => {
    if (found || n.t !== 'Call' || methodName(n) !== 'compile' || nameOf(receiver(n)) !== name) return;
    const owner = [...anc].reverse().find((a) => a.t === 'FunctionDef');
    if ((owner ?? undefined) !== scope.fn) found = true;
  }, ['Call']);
  return found;
}

/**
 * `Net(...)` of a Keras model subclass of this file (bases keras.Model / Sequential, or such a
 * class of this file) that does not compile itself: no class on the way calls `self.compile`
 * or defines `compile` or a training method of its own.
 */
function uncompiledModelClass(ctx: LintContext, call: Call): boolean {
  if (call.fn.t !== 'Name') return false;
  const seen = new Set<ClassDef>();
  const isModel = (cls: ClassDef | undefined): boolean => {
    if (!cls || seen.has(cls)) return false;
    seen.add(cls);
    let compiles = false;
    walkAll(cls.body, (n) => {
      if (n.t === 'FunctionDef' && (n.name === 'compile' || TRAIN.has(n.name))) compiles = true;
      if (n.t === 'Call' && methodName(n) === 'compile' && nameOf(receiver(n)) === 'self') compiles = true;
    }, ['FunctionDef', 'Call']);
    if (compiles) return false;
    let model = false;
    for (const b of cls.bases) {
      if (b.kind !== 'pos') continue;
      if (BUILDERS.has(ctx.qualifiedName(b.value) ?? '')) model = true;
      else if (b.value.t === 'Name' && ctx.facts.classNamed(b.value.id)) {
        if (!isModel(ctx.facts.classNamed(b.value.id))) return false;
        model = true;
      }
    }
    return model;
  };
  return isModel(ctx.facts.classNamed(call.fn.id));
}

/**
 * `make_model(...)` of a top-level function of this file that returns a model it builds
 * (`return keras.Sequential([...])`, or `m = keras.Model(...)` then `return m`) and compiles
 * nothing: no `.compile(...)` in it, and the returned name handed to no call (a helper that
 * might compile it).
 */
function uncompiledBuilder(ctx: LintContext, call: Call): boolean {
  if (call.fn.t !== 'Name') return false;
  const fname = call.fn.id;
  if (!modelBuiltBy(ctx, fname)) return false;
  const f = ctx.module.body.find((st): st is FunctionDef => st.t === 'FunctionDef' && st.name === fname);
  if (!f) return false;
  let returned: string | undefined;
  walkLocal(f.body, (n) => {
    if (n.t === 'Return' && n.value?.t === 'Name') returned = n.value.id;
  });
  let compiles = false;
  walkAll(f.body, (n) => {
    if (n.t !== 'Call') return;
    if (methodName(n) === 'compile') compiles = true;
    if (returned && n.args.some((a) => a.value.t === 'Name' && a.value.id === returned)) compiles = true;
  }, ['Call']);
  return !compiles;
}

function checkScope(ctx: LintContext, scope: Scope): void {
  /** Names holding a model not yet compiled on the current path. */
  const run = (stmts: readonly Node[], fresh: Set<string>): Set<string> => {
    let cur = new Set(fresh);
    for (const s of stmts) cur = step(s, cur);
    return cur;
  };
  const step = (s: Node, cur: Set<string>): Set<string> => {
    switch (s.t) {
      case 'If': {
        visitExpr(s.test, cur);
        const a = run(s.body, cur);
        const b = run(s.orelse, cur);
        return new Set([...a].filter((x) => b.has(x)));
      }
      case 'For':
      case 'While': {
        visitExpr(s.t === 'For' ? s.iter : s.test, cur);
        const a = run(s.body, cur);
        const b = run(s.orelse, a);
        return new Set([...cur].filter((x) => a.has(x) && b.has(x)));
      }
      case 'Try': {
        const a = run(s.body, cur);
        let out = new Set([...cur].filter((x) => a.has(x)));
        for (const h of s.handlers) out = new Set([...out].filter((x) => run(h, cur).has(x)));
        out = run(s.orelse, out);
        return run(s.finalbody, out);
      }
      case 'With': {
        for (const it of s.items) visitExpr(it.expr, cur);
        return run(s.body, cur);
      }
      case 'FunctionDef':
      case 'ClassDef':
        return cur;
      case 'Assign': {
        visitExpr(s.value, cur);
        const next = new Set(cur);
        for (const t of s.targets) {
          if (t.t === 'Name') {
            next.delete(t.id);
            if (s.value.t === 'Call' && (BUILDERS.has(ctx.qualifiedName(s.value.fn) ?? '') || uncompiledModelClass(ctx, s.value) || uncompiledBuilder(ctx, s.value))
              && !compiledElsewhere(ctx, scope, t.id)) next.add(t.id);
          } else walkLocal([t], (x) => { if (x.t === 'Name') next.delete(x.id); });
        }
        // `other = model` aliases the model: stop tracking it.
        if (s.value.t === 'Name') next.delete(s.value.id);
        return next;
      }
      default:
        visitExpr(s, cur);
        return cur;
    }
  };
  /** Marks compiles and escapes in evaluation order, reporting training calls on uncompiled names. */
  const visitExpr = (e: Node, cur: Set<string>) => {
    const calls: Call[] = [];
    walkLocal([e], (n) => {
      if (n.t === 'Call') calls.push(n);
    });
    // Inner calls run first: sort by end position.
    calls.sort((a, b) => a.endLine - b.endLine || a.endCol - b.endCol);
    for (const c of calls) {
      const m = methodName(c);
      const recv = nameOf(receiver(c));
      if (recv && cur.has(recv)) {
        if (m === 'compile') cur.delete(recv);
        else if (m && TRAIN.has(m)) {
          const line = ctx.lines[c.line] ?? '';
          const indent = /^\s*/.exec(line)![0];
          const stmtStart = line.trimStart().startsWith(recv) || line.trimStart().includes('=');
          ctx.report({
            node: c,
            message: `\`${recv}.${m}()\` is called on a model that was never compiled on this path: Keras raises "You must compile your model before training/testing". Call \`${recv}.compile(...)\` first.`,
            fix: stmtStart
              ? { title: `Insert ${recv}.compile(...) before this call`, edits: [{ range: { line: c.line, character: 0, endLine: c.line, endCharacter: 0 }, newText: `${indent}${recv}.compile(optimizer="adam", loss=...)  # choose the loss\n` }] }
              : undefined,
          });
          cur.delete(recv);
        }
      }
      // The model handed to any call (helper, wrapper) may be compiled there.
      for (const a of c.args) if (a.value.t === 'Name') cur.delete(a.value.id);
    }
  };
  run(scope.body, new Set());
}
