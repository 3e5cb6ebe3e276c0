// DL104: a training loop that calls backward() and optimizer.step() but never clears the
// gradients (they accumulate across batches), or clears them between backward and step
// (the optimizer then sees no gradient).

import type { Node, NodeOf } from '../../python/ast';
import { blocksOf, walkScope, type FunctionDef, type LintFacts } from '../facts';
import type { Rule } from '../types';
import { insertLineFix } from './dl1-shared';

type Loop = NodeOf<'For'> | NodeOf<'While'>;

/**
 * True when `<cleared>.zero_grad()` provably clears the gradients `<optimizer>.step()` uses:
 * the same optimizer, or a module whose `.parameters()` (or a slice of them) the optimizer was
 * built from. Another optimizer or another network (a GAN's discriminator cleared before the
 * generator steps) leaves the stepped gradients alone; anything unproven stays quiet.
 */
function clearsGradsOf(facts: LintFacts, cleared: Node, optimizer: Node, at: Node): boolean {
  const ct = facts.textOf(cleared);
  if (ct === facts.textOf(optimizer)) return true;
  const ctx = facts.contextOf(at);
  const ck = facts.kindOf(cleared, ctx).kind;
  if (ck === 'Optimizer') return false;
  const ok = facts.kindOf(optimizer, ctx);
  if (ok.kind !== 'Optimizer' || !ok.call) return false;
  const params = ok.call.args[0]?.value;
  if (!params) return false;
  let hit = false;
  walkScope([params], (n) => {
    if (n.t === 'Call' && n.fn.t === 'Attr' && /^(named_)?parameters$/.test(n.fn.attr) && facts.textOf(n.fn.obj) === ct) hit = true;
  }, ['Call']);
  return hit;
}

/**
 * True when `z` is `<other>.zero_grad()` written inside `loop`, where `<other>` is an
 * optimizer provably different from the stepped `optimizer` (both of kind Optimizer, other
 * names): it leaves the stepped optimizer's gradients in place.
 */
function clearsOtherOptimizer(facts: LintFacts, z: Node, optimizer: Node, loop: Loop): boolean {
  if (z.t !== 'Call' || z.fn.t !== 'Attr' || z.fn.attr !== 'zero_grad' || z.line < loop.line || z.line > loop.endLine) return false;
  const cleared = z.fn.obj;
  if (cleared.t !== 'Name' || optimizer.t !== 'Name' || cleared.id === optimizer.id) return false;
  // Both bound to their own optimizer constructions (not a loop over a list of optimizers).
  const ck = facts.kindOf(cleared, facts.contextOf(z));
  const ok = facts.kindOf(optimizer, facts.contextOf(optimizer));
  return ck.kind === 'Optimizer' && ok.kind === 'Optimizer' && !!ck.call && !!ok.call && ck.call !== ok.call;
}

function callsAttr(s: Node, attr: string): boolean {
  let hit = false;
  walkScope([s], (n) => {
    if (n.t === 'Call' && n.fn.t === 'Attr' && n.fn.attr === attr) hit = true;
  }, ['Call']);
  return hit;
}

export const dl104: Rule = {
  meta: {
    code: 'DL104',
    name: 'missing-zero-grad',
    frameworks: ['pytorch'],
    severity: 'warning',
    fix: 'yes',
    needs: ['backward'],
    docs: 'PyTorch adds new gradients to `.grad`; a loop that calls `backward()` and `optimizer.step()` without `zero_grad()` updates with the sum of all previous batches\' gradients and diverges (warning; the fix inserts `<optimizer>.zero_grad()` as the loop\'s first statement). A `zero_grad()` placed between the last `backward()` and `step()` wipes the gradients before the update (error), in a loop or in the straight-line body of a function (a `train_step()`). Clearing anywhere in the loop, in an enclosing loop or in a same-file helper counts (gradient accumulation is fine); loops that hand the optimizer to an unknown function are skipped.',
  },
  check(ctx) {
    const facts = ctx.facts;
    const loops: Array<{ loop: Loop; anc: Node[] }> = [];
    ctx.walk((n, anc) => {
      if (n.t === 'For' || n.t === 'While') loops.push({ loop: n, anc: [...anc] });
    }, ['For', 'While']);
    const hasStep = new Map<Loop, boolean>();
    const fnOf = (anc: Node[]) => [...anc].reverse().find((a): a is FunctionDef => a.t === 'FunctionDef');
    for (const { loop, anc } of loops) {
      const s = facts.summaryOf(loop, fnOf(anc));
      hasStep.set(loop, s.backward.length > 0 && s.optimizerStep.length > 0);
    }
    for (const { loop, anc } of loops) {
      if (!hasStep.get(loop)) continue;
      const fn = fnOf(anc);
      if (fn && /^(training_step|validation_step|test_step)$/.test(fn.name)) continue;
      // Report on the innermost loop that trains.
      let inner = false;
      walkScope(loop.body, (n) => {
        if ((n.t === 'For' || n.t === 'While') && hasStep.get(n)) inner = true;
      }, ['For', 'While']);
      if (inner) continue;
      const s = facts.summaryOf(loop, fn);
      const enclosingClears = anc.flatMap((a) => (a.t === 'For' || a.t === 'While' ? facts.summaryOf(a, fn).zeroGrad : []));
      const enclosingClear = enclosingClears.length > 0;
      let step = s.optimizerStep[0];
      let unclearedOne = false;
      // With clearing in the loop, an optimizer that steps while every clearing written in the
      // loop is another optimizer's zero_grad() (a GAN loop clearing only the discriminator's)
      // still accumulates; clearing of any other form, or in a helper, may be its own.
      if (s.zeroGrad.length || enclosingClear) {
        const clears = [...s.zeroGrad, ...enclosingClears];
        const uncleared = s.optimizerStep.find((o) => clears.every((z) => clearsOtherOptimizer(facts, z, o.optimizer, loop)));
        if (uncleared) {
          step = uncleared;
          unclearedOne = true;
        }
      }
      const optText = facts.textOf(step.optimizer);
      // (The uncleared optimizer may be the first that steps: a GAN loop stepping the
      // discriminator before clearing only the generator's optimizer.)
      const unclearedStep = unclearedOne || (s.zeroGrad.length === 0 && !enclosingClear);
      if (unclearedStep) {
        const optNames = new Set(s.optimizerStep.map((o) => facts.textOf(o.optimizer)));
        if (s.opaqueCalls.some((c) => c.argNames.some((a) => optNames.has(a)))) continue;
        const first = loop.body[0];
        ctx.report({
          node: step.call,
          message: `The loop calls backward() and ${optText}.step() but never clears the gradients: they accumulate across iterations. Call ${optText}.zero_grad() each step.`,
          fix: first && first.line > loop.line ? insertLineFix(ctx, `Insert ${optText}.zero_grad() at the start of the loop`, first, `${optText}.zero_grad()`) : undefined,
        });
        continue;
      }
      misplaced(ctx, loop, s, 'loop');
    }
    // The same straight-line check in a function's own body (a train_step() the loop calls),
    // outside its loops (checked above).
    // Only functions that call zero_grad() directly are summarised.
    const clearing = new Set<FunctionDef>();
    ctx.walk((n, anc) => {
      if (n.t !== 'Call' || n.fn.t !== 'Attr' || n.fn.attr !== 'zero_grad') return;
      const fn = fnOf(anc as Node[]);
      if (fn) clearing.add(fn);
    }, ['Call']);
    for (const fn of clearing) {
      const s = facts.summaryOf(fn, fn);
      if (s.backward.length && s.optimizerStep.length) misplaced(ctx, fn, s, 'function');
    }
  },
};

/** Misplaced: backward ; zero_grad ; step in one straight-line block of the owner's body (not inside its loops). */
function misplaced(ctx: Parameters<Rule['check']>[0], loop: Loop | FunctionDef, s: ReturnType<LintFacts['summaryOf']>, where: 'loop' | 'function'): void {
  const facts = ctx.facts;
  const blocks: Node[][] = [loop.body];
  for (let i = 0; i < blocks.length; i++) for (const st of blocks[i]) if (st.t === 'With' || st.t === 'If' || st.t === 'Try') blocks.push(...blocksOf(st));
  for (const block of blocks) {
    let lastBackward = -1;
    for (let i = 0; i < block.length; i++) {
      const st = block[i];
      if (callsAttr(st, 'backward')) lastBackward = i;
      else if (lastBackward >= 0 && st.t === 'Expr' && st.value.t === 'Call' && st.value.fn.t === 'Attr' && st.value.fn.attr === 'zero_grad') {
        const stepIdx = block.findIndex((x, j) => j > i && s.optimizerStep.some((o) => o.call.line >= x.line && o.call.endLine <= x.endLine));
        const backwardBetween = block.some((x, j) => j > i && j < stepIdx && callsAttr(x, 'backward'));
        const stepped = stepIdx > i ? s.optimizerStep.filter((o) => o.call.line >= block[stepIdx].line && o.call.endLine <= block[stepIdx].endLine) : [];
        const cleared = st.value.fn.obj;
        const hit = stepped.find((o) => clearsGradsOf(facts, cleared, o.optimizer, st));
        if (hit && !backwardBetween) {
          const optText = facts.textOf(hit.optimizer);
          const first = loop.body.find((x) => !(x.t === 'Expr' && x.value.t === 'Str'));
          const moved = facts.textOf(st);
          const ins = first && first !== st && first.line > loop.line ? insertLineFix(ctx, `Move zero_grad() to the start of the ${where}`, first, moved) : undefined;
          const fix = ins && facts.standsAlone(st)
            ? { title: ins.title, edits: [...ins.edits, { range: { line: st.line, character: 0, endLine: st.line + 1, endCharacter: 0 }, newText: '' }] }
            : undefined;
          ctx.report({
            node: st,
            severity: 'error',
            message: `zero_grad() between backward() and step() clears the gradients before ${optText}.step() uses them: the weights never learn. Clear them before the forward pass.`,
            fix,
          });
        }
      }
    }
  }
}
