// DL119: removed (error) and deprecated (warning) PyTorch APIs, from a data table in the
// spirit of TorchFix's deprecated_symbols.yaml; exact rewrites are offered as fixes.

import type { Node } from '../../python/ast';
import { kwArg, posArgs, type Call, type LintFacts } from '../facts';
import type { Fix, LintContext, Rule } from '../types';
import { compareVersions } from '../pins';

interface Entry {
  /** Qualified name. */
  name: string;
  /** torch version the entry applies from (deprecated since / removed in). */
  since: string;
  removedIn?: string;
  replacement: string;
  /** 'hint' for documentation-only deprecations that still work without a runtime warning (modernisation). */
  hint?: boolean;
  /** Builds an exact rewrite of a call, when one exists. */
  rewrite?: (call: Call, facts: LintFacts, torch: string) => string | undefined;
}

const onlyPositional = (call: Call, n?: number) => call.args.every((a) => a.kind === 'pos') && (n === undefined || call.args.length === n);

const TABLE: Entry[] = [
  { name: 'torch.solve', since: '1.9', removedIn: '2.0', replacement: 'torch.linalg.solve(A, B) (arguments swapped)' },
  { name: 'torch.symeig', since: '1.9', removedIn: '2.0', replacement: 'torch.linalg.eigh' },
  { name: 'torch.lstsq', since: '1.9', removedIn: '2.0', replacement: 'torch.linalg.lstsq (arguments swapped)' },
  { name: 'torch.eig', since: '1.9', removedIn: '2.0', replacement: 'torch.linalg.eig' },
  { name: 'torch.matrix_rank', since: '1.9', removedIn: '2.0', replacement: 'torch.linalg.matrix_rank' },
  { name: 'torch.qr', since: '1.9', replacement: 'torch.linalg.qr' },
  { name: 'torch.cholesky', since: '1.9', replacement: 'torch.linalg.cholesky',
    rewrite: (c, f, t) => (onlyPositional(c, 1) ? `${t}.linalg.cholesky(${f.textOf(c.args[0].value)})` : undefined) },
  { name: 'torch.chain_matmul', since: '1.9', replacement: 'torch.linalg.multi_dot([...])',
    rewrite: (c, f, t) => (onlyPositional(c) && c.args.length >= 2 ? `${t}.linalg.multi_dot([${c.args.map((a) => f.textOf(a.value)).join(', ')}])` : undefined) },
  { name: 'torch.ger', since: '1.9', replacement: 'torch.outer',
    rewrite: (c, f, t) => (onlyPositional(c, 2) ? `${t}.outer(${c.args.map((a) => f.textOf(a.value)).join(', ')})` : undefined) },
  { name: 'torch.range', since: '0.4', replacement: 'torch.arange (end-exclusive)',
    rewrite: (c, f, t) => {
      const ps = posArgs(c);
      if (!onlyPositional(c, 2) || ps.some((p) => p.t !== 'Num' || !p.isInt)) return undefined;
      return `${t}.arange(${f.textOf(ps[0])}, ${(ps[1] as Node & { v: number }).v + 1})`;
    } },
  { name: 'torch.lu', since: '1.13', replacement: 'torch.linalg.lu_factor' },
  { name: 'torch.lu_solve', since: '1.13', replacement: 'torch.linalg.lu_solve' },
  { name: 'torch.nn.utils.weight_norm', since: '2.1', replacement: 'torch.nn.utils.parametrizations.weight_norm' },
  { name: 'torch.backends.cuda.sdp_kernel', since: '2.2', replacement: 'torch.nn.attention.sdpa_kernel' },
  { name: 'torch.cuda.amp.autocast', since: '2.4', replacement: 'torch.autocast("cuda", ...)',
    rewrite: (c, f, t) => (c.args.every((a) => a.kind === 'kw') ? `${t}.autocast(${['"cuda"', ...c.args.map((a) => `${(a as { name: string }).name}=${f.textOf(a.value)}`)].join(', ')})` : undefined) },
  { name: 'torch.cpu.amp.autocast', since: '2.4', replacement: 'torch.autocast("cpu", ...)',
    rewrite: (c, f, t) => (c.args.every((a) => a.kind === 'kw') ? `${t}.autocast(${['"cpu"', ...c.args.map((a) => `${(a as { name: string }).name}=${f.textOf(a.value)}`)].join(', ')})` : undefined) },
  { name: 'torch.cuda.amp.custom_fwd', since: '2.4', replacement: 'torch.amp.custom_fwd(device_type="cuda")' },
  { name: 'torch.cuda.amp.custom_bwd', since: '2.4', replacement: 'torch.amp.custom_bwd(device_type="cuda")' },
  { name: 'torch.nn.UpsamplingNearest2d', since: '0.4', hint: true, replacement: 'nn.Upsample(mode="nearest")' },
  { name: 'torch.nn.UpsamplingBilinear2d', since: '0.4', hint: true, replacement: 'nn.Upsample(mode="bilinear", align_corners=True)' },
  { name: 'torch.norm', since: '1.7', hint: true, replacement: 'torch.linalg.vector_norm / torch.linalg.matrix_norm' },
  { name: 'torch.testing.assert_allclose', since: '1.12', replacement: 'torch.testing.assert_close' },
];
const BY_NAME = new Map(TABLE.map((e) => [e.name, e]));


function reportEntry(ctx: LintContext, e: Entry, node: Node, fix: Fix | undefined, torchVersion: string | undefined, imported: boolean): void {
  if (torchVersion && compareVersions(torchVersion, e.since) < 0) return;
  const removed = !!e.removedIn && (!torchVersion || compareVersions(torchVersion, e.removedIn) >= 0);
  ctx.report({
    node,
    severity: removed ? 'error' : e.hint ? 'hint' : 'warning',
    message: removed
      ? `${e.name} was removed in torch ${e.removedIn}${imported ? ' (imported here)' : ''}: AttributeError after an upgrade. Use ${e.replacement}.`
      : `${e.name} is deprecated${imported ? ' (imported here)' : ''}; use ${e.replacement}.`,
    fix,
  });
}

export const dl119: Rule = {
  meta: {
    code: 'DL119',
    name: 'deprecated-torch-api',
    frameworks: ['pytorch'],
    severity: 'warning',
    fix: 'yes',
    needs: [
      'solve', 'symeig', 'lstsq', 'eig', 'matrix_rank', 'qr', 'cholesky', 'chain_matmul', 'ger', 'range', 'lu', 'lu_solve', 'weight_norm', 'norm',
      'sdp_kernel', 'autocast', 'custom_fwd', 'custom_bwd', 'UpsamplingNearest2d', 'UpsamplingBilinear2d', 'assert_allclose', 'functorch',
      'checkpoint', 'pretrained',
    ],
    docs: 'Removed PyTorch functions (`torch.solve`, `torch.symeig`, `torch.lstsq`, `torch.eig`, `torch.matrix_rank`) crash with `AttributeError` after an upgrade (error); deprecated ones (`torch.cuda.amp.autocast`, `torch.range`, `torch.chain_matmul`, `torch.cholesky`, `torch.qr`, `torch.ger`, `torch.lu`, `nn.utils.weight_norm`, `sdp_kernel`, `torch.testing.assert_allclose`, `functorch.*`) warn and some changed semantics (warning); `UpsamplingNearest2d/Bilinear2d` and `torch.norm`, deprecated in the docs only, are hints. Also: `torch.utils.checkpoint.checkpoint` without `use_reentrant`, and torchvision builders called with `pretrained=`. Each entry carries the version it applies from; with an older torch pinned (an exact pin in requirements*.txt, pyproject.toml, setup.cfg or environment.yml, or `[tool.tensorlens] torch = "x.y"`, which wins) it stays quiet. Exact rewrites only: autocast with keyword arguments, `cholesky(A)`, `chain_matmul(...)`, `ger(a, b)`, `torch.range` with integer literals.',
  },
  check(ctx) {
    const facts = ctx.facts;
    const torch = facts.localAlias('torch');
    const version = ctx.settings.versions.torch;
    ctx.walk((n) => {
      if (n.t === 'ImportFrom') {
        for (const x of n.names) {
          const e = BY_NAME.get(`${n.module}.${x.name}`);
          if (e) reportEntry(ctx, e, n, undefined, version, true);
          else if (n.module === 'functorch' || n.module.startsWith('functorch.')) {
            ctx.report({ node: n, message: `functorch is deprecated; use torch.func (${x.name}).` });
            break;
          }
        }
        return;
      }
      if (n.t !== 'Call') return;
      const q = facts.qualifiedName(n.fn);
      if (!q) return;
      const e = BY_NAME.get(q);
      if (e) {
        const text = torch && e.rewrite ? e.rewrite(n, facts, torch) : undefined;
        reportEntry(ctx, e, n, text ? { title: `Use ${e.replacement.split(' ')[0]}`, edits: [{ range: ctx.rangeOf(n), newText: text }] } : undefined, version, false);
        return;
      }
      if (q === 'torch.utils.checkpoint.checkpoint' && !kwArg(n, 'use_reentrant') && !n.args.some((a) => a.kind === 'dstar')) {
        if (version && compareVersions(version, '2.1') < 0) return;
        ctx.report({ node: n, message: 'checkpoint() without use_reentrant: the default is changing and torch warns; pass use_reentrant=False (recommended) or True explicitly.' });
        return;
      }
      // `import functorch` then functorch.vmap(...): the call is the use (the import alone may be for torch.func's fallback).
      if (q.startsWith('functorch.')) {
        ctx.report({ node: n, message: `functorch is deprecated; use torch.func (${q.slice('functorch.'.length)}).` });
        return;
      }
      if (/^torchvision\.models\.[a-z]\w*$/.test(q) && kwArg(n, 'pretrained')) {
        ctx.report({ node: kwArg(n, 'pretrained')!, message: 'torchvision\'s pretrained= is deprecated since 0.13; use weights= (e.g. weights="DEFAULT").' });
      }
    }, ['ImportFrom', 'Call']);
  },
};
