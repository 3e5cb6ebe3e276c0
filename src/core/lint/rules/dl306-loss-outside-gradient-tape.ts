// DL306: the target of `tape.gradient(...)` is computed after the tape's with-block from
// values made inside it: the tape did not record it, so every gradient is None.

import type { Node } from '../../python/ast';
import type { LintContext, Rule } from '../types';
import { type Call, bindingsIn, isInside, methodName, nameOf, namesIn, receiver, scopesOf, walkLocal } from './shared-ast';
import { tapesIn } from './shared-tf';

export const dl306: Rule = {
  meta: {
    code: 'DL306',
    name: 'loss-outside-gradient-tape',
    frameworks: ['tensorflow'],
    severity: 'error',
    docs:
      'A GradientTape records only what runs inside its `with` block: a loss computed after the block has no recorded path to the weights, ' +
      'so every gradient is None and apply_gradients fails with "No gradients provided for any variable". Compute the loss inside the block.',
    fix: 'no',
    needs: ['GradientTape'],
  },
  check(ctx) {
    for (const scope of scopesOf(ctx)) {
      const bindings = bindingsIn(scope.body);
      for (const tape of tapesIn(ctx, scope)) {
        const w = tape.with;
        const inside = new Set(bindings.filter((b) => isInside(b.stmt, w) && b.stmt !== w).map((b) => b.name));
        if (!inside.size) continue;
        // The tape name must not be rebound before the gradient call.
        const rebinds = bindings.filter((b) => b.name === tape.name && b.line > w.line && b.stmt !== w).map((b) => b.line);
        walkLocal(scope.body, (n) => {
          if (n.t !== 'Call' || nameOf(receiver(n)) !== tape.name) return;
          const m = methodName(n);
          if (m !== 'gradient' && m !== 'jacobian' && m !== 'batch_jacobian') return;
          if (n.line <= w.endLine || rebinds.some((l) => l < n.line)) return;
          if (isInside(n, w)) return;
          const target = n.args[0]?.kind === 'pos' || n.args[0]?.kind === 'kw' ? n.args[0].value : undefined;
          if (!target) return;
          check(ctx, n, target, w, bindings, inside);
        });
      }
    }
  },
};

function check(ctx: LintContext, call: Call, target: Node, w: Node, bindings: ReturnType<typeof bindingsIn>, inside: Set<string>): void {
  let defStmt: Node | undefined;
  let expr: Node = target;
  if (target.t === 'Name') {
    // The reaching definition: the last binding before the call.
    const before = bindings.filter((b) => b.name === target.id && b.line < call.line);
    const last = before[before.length - 1];
    if (!last || !last.value || last.line <= w.endLine || isInside(last.stmt, w)) return;
    // Must be straight-line after the block (not inside a branch/loop that might not run).
    defStmt = last.stmt;
    expr = last.value;
  } else if (target.t !== 'Call' && target.t !== 'BinOp' && target.t !== 'Subscript' && target.t !== 'UnaryOp') return;
  const used = [...namesIn(expr)].filter((x) => inside.has(x));
  if (!used.length) return;
  ctx.report({
    node: defStmt ?? target,
    message: `The gradient target is computed after the GradientTape block (from \`${used[0]}\`), so the tape did not record it and every gradient is None. Move this computation inside the \`with\` block.`,
    related: [{ message: 'gradient asked here', range: ctx.rangeOf(call) }],
  });
}
