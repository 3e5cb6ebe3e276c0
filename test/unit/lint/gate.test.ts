// The rules' trigger-word gate (RuleMeta.needs, engine.ts wordsOf / ruleMayApply) and the
// walks of scoped rules (RuleMeta.scoped: only the top-level statements holding a trigger
// word): the word scan itself, and a differential check that neither changes what lint
// reports: every Python block of the pitfall catalogue (bad and good code) and every model,
// fixture and example file is linted with the gates and with every rule's `needs` removed
// (which also walks the scoped rules over the whole file), and the findings must be identical.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Vocabulary, ruleMayApply, wordsOf } from '../../../src/core/lint/engine';
import { RULES } from '../../../src/core/lint/registry';
import type { Rule } from '../../../src/core/lint/types';
import { initParser, lintText } from './helpers';
import { parseText } from '../../../src/core/analyze';
import { pyFiles } from '../../bench/py-files.mjs';

let parser: Awaited<ReturnType<typeof initParser>>;
beforeAll(async () => {
  parser = await initParser();
});

const ROOT = join(__dirname, '..', '..', '..');

// The catalogue's examples are fragments without imports; each gets the imports of its
// section's framework so that the rules look at it (DL4xx gets both PyTorch and Keras).
const HEADERS: Record<string, string> = {
  1: 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n',
  2: 'import keras\nfrom keras import layers\n',
  3: 'import tensorflow as tf\n',
  4: 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nimport keras\nfrom keras import layers\n',
  5: 'import torch\nimport torch.nn as nn\nimport numpy as np\nimport random\n',
};

function catalogueBlocks(): string[] {
  const md = join(ROOT, '..', 'shared', 'docs', 'pitfalls.md');
  if (!existsSync(md)) return [];
  const out: string[] = [];
  let section = '';
  const text = readFileSync(md, 'utf8');
  for (const m of text.matchAll(/^### DL(\d)\d\d|```python\n([\s\S]*?)```/gm)) {
    if (m[1]) section = m[1];
    else if (section) {
      out.push(m[2]);
      out.push(HEADERS[section] + m[2]);
    }
  }
  return out;
}

const UNGATED: readonly Rule[] = RULES.map((r) => ({ ...r, meta: { ...r.meta, needs: undefined } }));

describe('trigger-word gate', () => {
  it('finds the words of code, strings and comments, not the insides of numbers', () => {
    const w = wordsOf("x = torch.device('cuda:0')  # call backward()\nlr = 1e5 + 0x1f + 3.5e-4\n_ok2 = CrossEntropyLoss()\n");
    for (const word of ['x', 'torch', 'device', 'cuda', 'call', 'backward', 'lr', '_ok2', 'CrossEntropyLoss']) expect(w.set.has(word)).toBe(true);
    for (const word of ['e5', 'x1f', 'e', '0', '_ok']) expect(w.set.has(word)).toBe(false);
  });

  it('applies a rule when any entry matches, a *suffix entry by the end of a word, and always without needs', () => {
    const meta = { ...RULES[0].meta };
    const w = wordsOf('loss_fn = nn.CrossEntropyLoss()\nopt.step()\n');
    expect(ruleMayApply({ ...meta, needs: ['backward', 'step'] }, w)).toBe(true);
    expect(ruleMayApply({ ...meta, needs: ['backward', 'zero_grad'] }, w)).toBe(false);
    expect(ruleMayApply({ ...meta, needs: ['*Loss'] }, w)).toBe(true);
    expect(ruleMayApply({ ...meta, needs: ['*Entropy'] }, w)).toBe(false);
    expect(ruleMayApply({ ...meta, needs: ['Cross'] }, w)).toBe(false);
    expect(ruleMayApply({ ...meta, needs: undefined }, w)).toBe(true);
  });

  it('finds a vocabulary\'s words by hash exactly where the full word scan finds them', () => {
    const vocabulary = [...new Set(RULES.flatMap((r) => r.meta.needs ?? []))];
    // Plus words that share a prefix or end a text, and two words of equal hash (31 * 'A' + 'a' === 31 * 'B' + 'B').
    const extra = ['x', 'x1', 'xx', 'Aa', 'BB', 'end'];
    const vocab = new Vocabulary([...vocabulary, ...extra]);
    const texts = [
      ...catalogueBlocks(),
      ...[join(ROOT, '..', 'shared', 'corpus'), join(ROOT, 'test', 'fixtures')].flatMap((d) => pyFiles(d)).map((f) => readFileSync(f, 'utf8')),
      'Aa = 1e5 + x1 + xx2 # BB\nend', 'Ab BB', '1Aa x_1 _x',
    ];
    let hits = 0;
    for (const text of texts) {
      const full = wordsOf(text);
      const fast = wordsOf(text, vocab);
      for (const w of [...vocabulary, ...extra]) {
        expect(fast.has(w), `${w} in ${text.slice(0, 40)}`).toBe(full.set.has(w));
        if (full.set.has(w)) hits++;
      }
      // A word outside the vocabulary is still answered (from the full scan).
      expect(fast.has('definitely_not_a_trigger')).toBe(false);
    }
    expect(hits).toBeGreaterThan(500);
    expect(wordsOf('Aa', vocab).has('BB')).toBe(false);
    expect(wordsOf('BB', vocab).has('Aa')).toBe(false);
    expect(wordsOf('BB', vocab).has('BB')).toBe(true);
  });

  it('finds the same words statement by statement, on fresh trees, trees kept by incremental re-parses, CRLF text and broken code', () => {
    const vocab = new Vocabulary([...new Set(RULES.flatMap((r) => (r.meta.needs ?? []).filter((w) => !w.startsWith('*'))))]);
    const same = (text: string, module: NonNullable<ReturnType<typeof parseText>>) => {
      const want = [...vocab.occurring(text)].sort();
      const got = [...vocab.occurringByStatement(text, module, text.split('\n'))].sort();
      expect(got, text.slice(0, 60)).toEqual(want);
      return want.length;
    };
    const texts = [
      ...catalogueBlocks(),
      ...[join(ROOT, '..', 'shared', 'corpus'), join(ROOT, 'test', 'fixtures'), join(ROOT, 'examples')].flatMap((d) => pyFiles(d)).map((f) => readFileSync(f, 'utf8')),
    ];
    let words = 0;
    let edits = 0;
    for (const text of texts) {
      const mod = parseText(parser, text);
      if (!mod) continue;
      words += same(text, mod);
      same(text.replace(/\n/g, '\r\n'), parseText(parser, text.replace(/\n/g, '\r\n'))!);
      // An edit inside each compound statement's last line and after it, re-parsed from the
      // previous tree: the kept statements' words come from what was found before.
      const lines = text.split('\n');
      for (const s of mod.body.filter((x) => x.t === 'ClassDef' || x.t === 'FunctionDef').slice(0, 3)) {
        for (const [at, add] of [[s.endLine, '  # zero_grad backward'], [Math.min(lines.length - 1, s.endLine + 1), 'optimizer.step()']] as const) {
          const edited = [...lines];
          edited[at] = edited[at] + add;
          const next = edited.join('\n');
          const again = parseText(parser, next, { text, module: mod });
          if (!again) continue;
          same(next, again);
          edits++;
        }
      }
    }
    expect(words).toBeGreaterThan(1000);
    expect(edits).toBeGreaterThan(100);
    // Broken code (a recovering parse) and a decorated class.
    for (const text of ['class A(nn.Module):\n    def forward(self, x)\n        return x.backward(\n', '@decorate(zero_grad)\nclass B:\n    pass\n# step\n']) {
      const mod = parseText(parser, text);
      if (mod) same(text, mod);
    }
  });

  it('tells the words of each top-level statement, and none for statements sharing a line', () => {
    const text = 'import torch\nx = torch.randn(2, 3); y = x.view(6)\n\n\ndef f(t):\n    return t.view(-1)  # forward\n\nz = 1\n';
    const mod = parseText(parser, text)!;
    const v = new Vocabulary(['view', 'forward', 'torch']);
    const lines = text.split('\n');
    const words = v.wordsByStatement(text, mod, lines).map((w) => (w ? [...w].sort() : undefined));
    expect(words).toEqual([['torch'], ['torch', 'view'], undefined, ['forward', 'view'], []]);
    // A compound statement's set is the one the gate keeps with its node.
    expect(v.wordsByStatement(text, mod, lines)[3]).toBe(v.wordsByStatement(text, mod, lines)[3]);
    expect(RULES.filter((r) => r.meta.scoped).map((r) => r.meta.code)).toEqual(['DL108', 'DL109', 'DL113', 'DL115', 'DL116', 'DL211']);
    for (const r of RULES.filter((x) => x.meta.scoped)) expect(r.meta.needs!.every((w) => !w.startsWith('*'))).toBe(true);
  });

  it('walks every statement of a file that imports a trigger word under another name', () => {
    // `drop` is F.dropout: the call's statement holds no trigger word, the import's does.
    const text = 'import torch.nn as nn\nfrom torch.nn.functional import dropout as drop\n\n\nclass Net(nn.Module):\n    def forward(self, x):\n        return drop(x, 0.5)\n';
    const codes = lintText(text, { select: ['DL'] }).findings.map((f) => `${f.code}:${f.range.line}`);
    expect(codes).toContain('DL113:6');
  });

  it('most rules declare trigger words', () => {
    expect(RULES.filter((r) => r.meta.needs?.length).length).toBeGreaterThan(RULES.length / 2);
  });

  it('never changes the findings: catalogue examples, corpus, models, fixtures and examples', () => {
    const texts = [
      ...catalogueBlocks(),
      ...[join(ROOT, '..', 'shared', 'corpus'), join(ROOT, 'test', 'oracle', 'models'), join(ROOT, 'test', 'fixtures'), join(ROOT, 'examples')]
        .flatMap((d) => pyFiles(d)).map((f) => readFileSync(f, 'utf8')),
    ];
    expect(texts.length).toBeGreaterThan(150);
    let total = 0;
    const codes = new Set<string>();
    for (const text of texts) {
      const gated = lintText(text, { select: ['DL'] }).findings;
      const ungated = lintText(text, { select: ['DL'] }, UNGATED).findings;
      expect(gated).toEqual(ungated);
      total += gated.length;
      for (const f of gated) codes.add(f.code);
    }
    // The comparison means something only if the texts make rules fire (the rule tests'
    // helpers compare gated and ungated runs on every snippet as well).
    expect(total).toBeGreaterThan(80);
    expect(codes.size).toBeGreaterThan(40);
  }, 120_000);
});
