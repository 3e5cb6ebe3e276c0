// DL409: nn.MultiheadAttention (and the Transformer layers built on it) split embed_dim
// evenly across the heads and assert `embed_dim must be divisible by num_heads` when built.
// Found from the evaluated constructor arguments (propagation) and from literal arguments.

import type { Rule } from '../types';
import { definitionOf, diagnosticsOf, relatedFor, shortCall, callAt } from './dl4-shared';
import { argOf, constNumber } from './shared-ast';

/** Constructor -> (embed dim argument, heads argument) with their positions. */
const CTORS: Record<string, [string, string]> = {
  'torch.nn.MultiheadAttention': ['embed_dim', 'num_heads'],
  'torch.nn.TransformerEncoderLayer': ['d_model', 'nhead'],
  'torch.nn.TransformerDecoderLayer': ['d_model', 'nhead'],
  'torch.nn.Transformer': ['d_model', 'nhead'],
};

export const dl409: Rule = {
  meta: {
    code: 'DL409',
    name: 'attention-heads-not-divisible',
    frameworks: ['pytorch'],
    severity: 'error',
    docs:
      'PyTorch multi-head attention splits embed_dim evenly across the heads and asserts "embed_dim must be divisible by ' +
      'num_heads" at construction time: nn.MultiheadAttention, nn.TransformerEncoderLayer / DecoderLayer and nn.Transformer.',
    fix: 'no',
  },
  check(ctx) {
    const reported = new Set<string>();
    const key = (r: { line: number; character: number }) => `${r.line}:${r.character}`;
    ctx.walk((n, anc) => {
      if (n.t !== 'Call') return;
      const q = ctx.qualifiedName(n.fn);
      const names = q ? CTORS[q] : undefined;
      if (!names) return;
      // Literals, or module constants (`EMBED, HEADS = 100, 8`).
      const fn = ctx.facts.contextAt(anc).fn;
      const e = constNumber(ctx, argOf(n, names[0], 0), fn);
      const h = constNumber(ctx, argOf(n, names[1], 1), fn);
      if (e === undefined || h === undefined || !Number.isInteger(e) || !Number.isInteger(h) || h <= 0 || e % h === 0) return;
      const range = ctx.rangeOf(n);
      reported.add(key(range));
      ctx.report({ node: n, message: `${shortCall(ctx, n)}: ${names[0]}=${e} is not divisible by ${names[1]}=${h} (AssertionError when built); pick ${names[0]} as a multiple of ${h}.` });
    }, ['Call']);
    for (const d of diagnosticsOf(ctx, 'DL409')) {
      const def = definitionOf(d);
      if (def && reported.has(key(def))) continue;
      const dc = callAt(ctx, def)?.call;
      // A layer built inside a library block (Transformer stubs) has no range in this file.
      if (!dc) continue;
      const m = /embed_dim=(\d+) must be divisible by num_heads=(\d+)/.exec(d.message);
      reported.add(key(def ?? d.range));
      ctx.report({
        range: ctx.rangeOf(dc),
        message: `${shortCall(ctx, dc)}: ${m ? `embed_dim=${m[1]} is not divisible by num_heads=${m[2]}` : d.message} (AssertionError when built).`,
        related: relatedFor(d, shortCall(ctx, dc)),
      });
    }
  },
};
