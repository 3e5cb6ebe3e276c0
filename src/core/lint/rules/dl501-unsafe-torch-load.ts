// DL501: torch.load unpickles arbitrary objects; without `weights_only=True` (the default
// only from PyTorch 2.6) a checkpoint from an untrusted source can execute code.

import type { Rule } from '../types';
import { hasSplat, insertArgEdit, isConst, kwArg } from './shared-ast';
import { compareVersions } from '../pins';

export const dl501: Rule = {
  meta: {
    code: 'DL501',
    name: 'unsafe-torch-load',
    frameworks: ['pytorch'],
    severity: 'warning',
    docs:
      '`torch.load` unpickles arbitrary Python objects, so loading an untrusted checkpoint can execute code. Pass `weights_only=True` ' +
      '(the default only from PyTorch 2.6); `weights_only=False` re-opens the hole. With torch pinned at 2.6 or later the missing argument is information only.',
    fix: 'yes',
    needs: ['load'],
  },
  check(ctx) {
    // From PyTorch 2.6 weights_only=True is the default: a project pinned there is safe as
    // written (information: the file may still run on an older torch elsewhere).
    const torch = ctx.settings.versions.torch;
    const safeDefault = !!torch && compareVersions(torch, '2.6') >= 0;
    ctx.walk((n) => {
      if (n.t !== 'Call' || ctx.qualifiedName(n.fn) !== 'torch.load') return;
      const wo = kwArg(n, 'weights_only');
      if (!wo) {
        if (hasSplat(n)) return;
        const e = kwArg(n, 'pickle_module') ? undefined : insertArgEdit(ctx, n, 'weights_only=True');
        ctx.report({
          node: n,
          ...(safeDefault ? { severity: 'information' as const } : {}),
          message: safeDefault
            ? `\`torch.load\` without \`weights_only\` is safe on the pinned torch ${torch} (weights_only=True by default from 2.6), not on an older one. Pass weights_only=True to keep it safe everywhere.`
            : '`torch.load` without `weights_only` unpickles arbitrary objects before PyTorch 2.6: a malicious checkpoint can run code. Pass weights_only=True.',
          fix: e ? { title: 'Pass weights_only=True', edits: [e] } : undefined,
        });
      } else if (isConst(wo, false)) {
        ctx.report({ node: wo, message: '`weights_only=False` lets `torch.load` unpickle arbitrary objects: only load checkpoints you produced yourself.' });
      }
    }, ['Call']);
  },
};
