// DL105: a loss tensor added to a running total (or appended to a list) across training
// iterations keeps every iteration's autograd graph alive: memory grows until OOM.

import type { Node } from '../../python/ast';
import { kwArg, walkScope, type Call, type ClassDef, type FunctionDef } from '../facts';
import type { Rule } from '../types';
import { lossClassOf } from './dl1-shared';

export const dl105: Rule = {
  meta: {
    code: 'DL105',
    name: 'loss-accumulated-with-graph',
    frameworks: ['pytorch'],
    severity: 'warning',
    fix: 'yes',
    needs: ['backward'],
    docs: 'A loss tensor carries its autograd graph; `total += loss`, `losses.append(loss)` or `losses += [loss]` across iterations of a training loop keeps every graph alive and memory grows until the GPU runs out. Accumulate `loss.item()` (or `loss.detach()`). Fires in loops that call `backward()`, for names bound in the loop to a loss call or `backward()`-ed, accumulated into a variable defined before the loop (or, in a method, into a `self` attribute the class assigns outside the loop: `self.history.append(loss)`); skipped under no_grad. The fix appends `.item()` (or `.detach()` for `reduction="none"`).',
  },
  check(ctx) {
    const facts = ctx.facts;
    ctx.walk((loop, anc) => {
      if (loop.t !== 'For' && loop.t !== 'While') return;
      const lc = facts.contextAt([...anc, loop]);
      if (lc.noGrad) return;
      const fn = [...anc].reverse().find((a): a is FunctionDef => a.t === 'FunctionDef');
      const backwardNames = new Set<string>();
      let hasBackward = false;
      const lossNames = new Map<string, Call>();
      const assignedInLoop = new Map<string, number>();
      const assignsInLoop = new Map<string, Array<{ line: number; value: Node }>>();
      const lossValues = new Set<Node>();
      walkScope(loop.body, (n) => {
        if (n.t === 'Call' && n.fn.t === 'Attr' && n.fn.attr === 'backward') {
          hasBackward = true;
          if (n.fn.obj.t === 'Name') backwardNames.add(n.fn.obj.id);
        }
        if (n.t === 'Assign' && n.targets.length === 1 && n.targets[0].t === 'Name') {
          const name = n.targets[0].id;
          assignedInLoop.set(name, (assignedInLoop.get(name) ?? 0) + 1);
          assignsInLoop.set(name, [...(assignsInLoop.get(name) ?? []), { line: n.line, value: n.value }]);
          if (n.value.t === 'Call' && lossClassOf(n.value, facts, facts.contextAt(facts.ancestorsOf(n.value)))) {
            lossNames.set(name, n.value);
            lossValues.add(n.value);
          }
        }
      }, ['Call', 'Assign']);
      if (!hasBackward) return;
      const isLossName = (e: Node) => e.t === 'Name' && (lossNames.has(e.id) || (backwardNames.has(e.id) && assignedInLoop.get(e.id) === 1));
      /** The loss name in what is accumulated: `loss`, or `loss * x.size(0)` / `loss / n` (a scaled loss keeps the graph too). */
      const lossIn = (e: Node): Node | undefined => {
        if (isLossName(e)) return e;
        if (e.t !== 'BinOp' || (e.op !== '*' && e.op !== '/')) return undefined;
        return isLossName(e.left) ? e.left : e.op === '*' && isLossName(e.right) ? e.right : undefined;
      };
      const definedBefore = (name: string) => {
        const bs = facts.bindingsOf(fn ?? facts.module).get(name) ?? [];
        return bs.some((b) => b.stmt.line < loop.line && (b.how === 'assign'));
      };
      // `self.x` in a method of a class: the attribute's name.
      const cls = fn && fn.params[0]?.name === 'self' ? [...anc].reverse().find((a): a is ClassDef => a.t === 'ClassDef') : undefined;
      const selfAttr = (e: Node): string | undefined => (cls && e.t === 'Attr' && e.obj.t === 'Name' && e.obj.id === 'self' ? e.attr : undefined);
      // The class assigns self.<attr> outside this loop (a list or a number made once, e.g. in __init__),
      // and this loop never rebinds it.
      const selfAttrKept = (attr: string): boolean => {
        if (!cls) return false;
        let outside = false;
        let inLoop = false;
        for (const m of facts.methodsOf(cls)) {
          walkScope(m.body, (x) => {
            if (x.t !== 'Assign' || !x.targets.some((t) => t.t === 'Attr' && t.attr === attr && t.obj.t === 'Name' && t.obj.id === 'self')) return;
            if (x.line >= loop.line && x.line <= loop.endLine) inLoop = true;
            else outside = true;
          }, ['Assign']);
        }
        return outside && !inLoop;
      };
      walkScope(loop.body, (n, inner) => {
        if (facts.contextAt([...anc, loop, ...inner]).noGrad) return;
        let acc: string | undefined;
        let loss: Node | undefined;
        if (n.t === 'AugAssign' && n.op === '+' && n.target.t === 'Name' && lossIn(n.value)) {
          acc = n.target.id;
          loss = lossIn(n.value);
        } else if (n.t === 'AugAssign' && n.op === '+' && selfAttr(n.target) && lossIn(n.value)) {
          acc = `self.${selfAttr(n.target)}`;
          loss = lossIn(n.value);
        } else if (n.t === 'Expr' && n.value.t === 'Call' && n.value.fn.t === 'Attr' && n.value.fn.attr === 'append' && selfAttr(n.value.fn.obj)
          && n.value.args.length === 1 && n.value.args[0].kind === 'pos' && isLossName(n.value.args[0].value)) {
          // `self.history.append(loss)` in a method, the list made in the class (`self.history = []`).
          acc = `self.${selfAttr(n.value.fn.obj)}`;
          loss = n.value.args[0].value;
        } else if (n.t === 'AugAssign' && n.op === '+' && n.target.t === 'Name' && (n.value.t === 'List' || n.value.t === 'Tuple') && n.value.elts.some(isLossName)) {
          // `history += [loss]`: the list-extending spelling of `history.append(loss)`.
          acc = n.target.id;
          loss = n.value.elts.find(isLossName);
        } else if (n.t === 'Assign' && n.targets.length === 1 && n.targets[0].t === 'Name' && n.value.t === 'BinOp' && n.value.op === '+'
          && n.value.left.t === 'Name' && n.value.left.id === n.targets[0].id && lossIn(n.value.right)) {
          acc = n.targets[0].id;
          loss = lossIn(n.value.right);
        } else if (n.t === 'Expr' && n.value.t === 'Call' && n.value.fn.t === 'Attr' && n.value.fn.attr === 'append' && n.value.fn.obj.t === 'Name'
          && n.value.args.length === 1 && n.value.args[0].kind === 'pos' && isLossName(n.value.args[0].value)) {
          acc = n.value.fn.obj.id;
          loss = n.value.args[0].value;
        }
        if (!acc || !loss || loss.t !== 'Name') return;
        // The name's latest binding before this statement decides what is accumulated:
        // after `loss = loss.item()` / `float(loss)` it is a number, not the tensor.
        const lossName = loss.id;
        const prior = (assignsInLoop.get(lossName) ?? []).filter((a) => a.line < n.line);
        if (prior.length) {
          const last = prior.reduce((a, b) => (b.line > a.line ? b : a));
          const stillTensor = lossValues.has(last.value) || (!lossNames.has(lossName) && backwardNames.has(lossName) && assignedInLoop.get(lossName) === 1);
          if (!stillTensor) return;
        }
        // Not reset in the loop (`total = total + loss` itself is the one assignment allowed).
        const ownAssign = n.t === 'Assign' ? 1 : 0;
        if (acc.startsWith('self.') ? !selfAttrKept(acc.slice(5)) : (!definedBefore(acc) || backwardNames.has(acc) || (assignedInLoop.get(acc) ?? 0) > ownAssign)) return;
        const ctor = lossNames.get(loss.id);
        const reduction = ctor ? kwArg(ctor, 'reduction') : undefined;
        const perElement = reduction && reduction.t === 'Str' && reduction.v === 'none';
        const suffix = perElement ? '.detach()' : '.item()';
        ctx.report({
          node: loss,
          message: `'${loss.id}' is accumulated into '${acc}' with its autograd graph: every iteration's graph stays alive. Use ${loss.id}${suffix}.`,
          fix: { title: `Accumulate ${loss.id}${suffix}`, edits: [{ range: { line: loss.endLine, character: loss.endCol, endLine: loss.endLine, endCharacter: loss.endCol }, newText: suffix }] },
        });
      }, ['AugAssign', 'Assign', 'Expr']);
    }, ['For', 'While']);
  },
};
