// DL113: F.dropout defaults to training=True and knows nothing about model.eval():
// dropout stays active at evaluation and inference.

import type { Rule } from '../types';

const DROPOUTS = new Set(['dropout', 'dropout1d', 'dropout2d', 'dropout3d', 'alpha_dropout', 'feature_alpha_dropout']);

export const dl113: Rule = {
  meta: {
    code: 'DL113',
    name: 'functional-dropout-training-flag',
    frameworks: ['pytorch'],
    severity: 'warning',
    fix: 'yes',
    needs: ['dropout', 'dropout1d', 'dropout2d', 'dropout3d', 'alpha_dropout', 'feature_alpha_dropout'],
    scoped: true,
    docs: '`F.dropout` defaults to `training=True` and ignores `model.eval()`, so dropout stays active at evaluation and inference: random predictions, understated accuracy. Fires in methods of module classes on `F.dropout*` calls without `training` (or with `training=True`, by keyword or as the third positional argument); in free functions as information. The fix adds `training=self.training`. Suppress with `# noqa: DL113` for deliberate Monte-Carlo dropout.',
  },
  check(ctx) {
    const facts = ctx.facts;
    ctx.walk((n, anc) => {
      if (n.t !== 'Call') return;
      const q = facts.qualifiedName(n.fn);
      if (!q || !q.startsWith('torch.nn.functional.') || !DROPOUTS.has(q.slice('torch.nn.functional.'.length))) return;
      if (n.args.some((a) => a.kind === 'star' || a.kind === 'dstar')) return;
      const positional = n.args.filter((a) => a.kind === 'pos');
      // `training` is the third parameter of every F.dropout* (input, p, training, inplace): a
      // literal True there is the same as `training=True`.
      const training = n.args.find((a) => a.kind === 'kw' && a.name === 'training') ?? (positional.length >= 3 ? positional[2] : undefined);
      const literalTrue = !!training && training.value.t === 'Const' && training.value.v === true;
      if (training && !literalTrue) return;
      const lc = facts.contextAt(anc);
      const inModule = !!lc.fn && facts.isTorchModuleClass(lc.cls) && lc.fn.params[0]?.name === 'self';
      const last = n.args[n.args.length - 1];
      let fix;
      if (inModule && literalTrue && training) fix = { title: 'Use training=self.training', edits: [{ range: ctx.rangeOf(training.value), newText: 'self.training' }] };
      else if (inModule && last) fix = { title: 'Add training=self.training', edits: [{ range: { line: last.value.endLine, character: last.value.endCol, endLine: last.value.endLine, endCharacter: last.value.endCol }, newText: ', training=self.training' }] };
      ctx.report({
        node: n,
        severity: inModule ? 'warning' : 'information',
        message: `${facts.textOf(n.fn)}() ${literalTrue ? 'has training=True' : 'defaults to training=True'}: dropout stays active after model.eval().${inModule ? ' Pass training=self.training.' : ' Pass the training flag explicitly.'}`,
        fix,
      });
    }, ['Call']);
  },
};
