// DL307: a non-persistent GradientTape asked for gradients twice (or in a loop while the
// tape is created outside it): "A non-persistent GradientTape can only be used to compute one set of gradients".

import type { Node } from '../../python/ast';
import type { Rule } from '../types';
import { type Call, bindingsIn, insertArgEdit, isInside, methodName, nameOf, receiver, scopesOf, walkLocal } from './shared-ast';
import { tapesIn } from './shared-tf';

const GRAD = new Set(['gradient', 'jacobian', 'batch_jacobian']);

export const dl307: Rule = {
  meta: {
    code: 'DL307',
    name: 'non-persistent-tape-reuse',
    frameworks: ['tensorflow'],
    severity: 'error',
    docs:
      'A default GradientTape releases its resources after the first gradient() call; asking it again raises ' +
      '"RuntimeError: A non-persistent GradientTape can only be used to compute one set of gradients". Use one tape per gradient, or persistent=True.',
    fix: 'offered',
    needs: ['GradientTape'],
  },
  check(ctx) {
    for (const scope of scopesOf(ctx)) {
      const bindings = bindingsIn(scope.body);
      for (const tape of tapesIn(ctx, scope)) {
        if (tape.persistent !== false) continue;
        const w = tape.with;
        const next = bindings.filter((b) => b.name === tape.name && b.line > w.line).map((b) => b.line);
        const until = next.length ? Math.min(...next) : Number.MAX_SAFE_INTEGER;
        const calls: Array<{ call: Call; anc: Node[] }> = [];
        walkLocal(scope.body, (n, anc) => {
          if (n.t === 'Call' && GRAD.has(methodName(n) ?? '') && nameOf(receiver(n)) === tape.name && n.line > w.line && n.line < until) calls.push({ call: n, anc: [...anc] });
        });
        const fix = () => {
          const e = insertArgEdit(ctx, tape.ctor, 'persistent=True');
          return e ? { title: 'Make the tape persistent', edits: [e] } : undefined;
        };
        // A gradient call repeated by a loop that does not contain the tape's with-block (a for
        // loop's iterable and else-block run once: `for a, g in zip(acc, tape.gradient(...))` is one call).
        const inLoop = calls.find(({ call, anc }) => anc.some((a) => !isInside(w, a) && (a.t === 'While' || (a.t === 'For' && a.body.some((s) => isInside(call, s))))));
        if (inLoop) {
          ctx.report({ node: inLoop.call, message: `\`${tape.name}\` is not persistent but \`${tape.name}.${methodName(inLoop.call)}\` runs in a loop: the second iteration raises RuntimeError. Create the tape inside the loop, or pass persistent=True.`, fix: fix() });
          continue;
        }
        for (let i = 1; i < calls.length; i++) {
          const prev = calls.slice(0, i).find((p) => !exclusive(p.anc, calls[i].anc, p.call, calls[i].call));
          if (!prev) continue;
          ctx.report({
            node: calls[i].call,
            message: `\`${tape.name}\` is not persistent and was already used for gradients: this second call raises "A non-persistent GradientTape can only be used to compute one set of gradients". Use one tape per gradient or persistent=True.`,
            related: [{ message: 'first gradient call', range: ctx.rangeOf(prev.call) }],
            fix: fix(),
          });
          break;
        }
      }
    }
  },
};

/** Whether two calls cannot both run: different branches of one if/try, or the first one's branch leaves (return/raise/break/continue). */
function exclusive(a: Node[], b: Node[], ca: Node, cb: Node): boolean {
  for (const x of a) {
    if (x.t === 'If' && b.includes(x)) {
      const aInBody = x.body.some((s) => isInside(ca, s));
      const bInBody = x.body.some((s) => isInside(cb, s));
      const aInElse = x.orelse.some((s) => isInside(ca, s));
      const bInElse = x.orelse.some((s) => isInside(cb, s));
      if ((aInBody && bInElse) || (aInElse && bInBody)) return true;
    }
    if (x.t === 'Try' && b.includes(x)) {
      const aIn = x.body.some((s) => isInside(ca, s));
      const bIn = x.handlers.some((h) => h.some((s) => isInside(cb, s)));
      if (aIn && bIn) return true;
    }
    if ((x.t === 'If' || x.t === 'Try') && !b.includes(x)) {
      let leaves = false;
      walkLocal([x], (s) => {
        if (s.t === 'Return' || s.t === 'Raise' || s.t === 'Break' || s.t === 'Continue') leaves = true;
      });
      if (leaves) return true;
    }
  }
  return false;
}
