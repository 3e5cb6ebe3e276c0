// Findings of class checks kept with the class (RuleContext.byClass): after an edit, a
// top-level class the incremental re-parse kept, in a file whose outside-the-classes key
// (imports, class headers, other top-level statements) is unchanged, is not looked at again.
// Differential: every model, fixture and example file, edited the ways a user edits it, is
// linted on the re-parsed tree (with kept classes) and on a fresh parse (no class kept), and
// the findings must be identical.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeDetailed } from '../../../src/core/analyze';
import { classMemo } from '../../../src/core/lint/context';
import { lintFileDetailed } from '../../../src/core/lint/engine';
import type { Module, NodeOf } from '../../../src/core/python/ast';
import { statementStartLine } from '../../../src/core/python/ast';
import type { PyParser } from '../../../src/core/python/parser';
import { nodeParser } from '../../../src/node/wasm';
import { generateModel } from '../../bench/gen-model.mjs';
import { pyFiles } from '../../bench/py-files.mjs';

const ROOT = join(__dirname, '..', '..', '..');
let parser: PyParser;
beforeAll(async () => {
  parser = await nodeParser();
});

const OPTS = { fileName: 'm.py', dataflow: false };

/** Classes the class checks fire on (DL110, DL111, DL112), and a last one the edits go into. */
const PITFALLS = `import torch
import torch.nn as nn
import torch.nn.functional as F


class Plain(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = [nn.Linear(4, 4) for _ in range(3)]
        self.later = [Last() for _ in range(2)]
        self.extra = []
        self.extra.append(nn.Linear(4, 4))

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


class NoSuper(nn.Module):
    def __init__(self):
        self.fc = nn.Linear(4, 4)

    def forward(self, x):
        return self.fc(x)


class Typo(nn.Module):
    def _init_(self):
        self.fc = nn.Linear(4, 4)


class Fresh(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x):
        self.made = nn.Linear(4, 4)
        h = nn.Linear(4, 4)(x)
        return nn.ReLU()(h)


class Uses(Fresh):
    def __init__(self):
        super().__init__()
        self.blocks = [Plain(), NoSuper()]


class Last(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        y = self.fc(x)
        return y
`;
const withLine = (text: string, line: number, edit: (l: string) => string) => text.split('\n').map((l, i) => (i === line ? edit(l) : l)).join('\n');
const indentOf = (l: string) => /^\s*/.exec(l)![0];

/** A one-line statement in the body of the last top-level class's last method with one. */
function lastMethodLine(mod: Module): number | undefined {
  const classes = mod.body.filter((s): s is NodeOf<'ClassDef'> => s.t === 'ClassDef');
  for (const cls of classes.reverse()) {
    for (const m of [...cls.body].reverse()) {
      if (m.t !== 'FunctionDef') continue;
      const st = [...m.body].reverse().find((x) => x.line === x.endLine && statementStartLine(x) === x.line && x.line > m.line);
      if (st) return st.line;
    }
  }
  return undefined;
}

/** The text with the last top-level class's `(nn.Module)` base made `(object)`, when it has one. */
function lastHeader(mod: Module, text: string): string[] | undefined {
  const last = mod.body.filter((s) => s.t === 'ClassDef').at(-1);
  if (!last) return undefined;
  const lines = text.split('\n');
  return lines[last.line].includes('(nn.Module)') ? [withLine(text, last.line, (l) => l.replace('(nn.Module)', '(object)'))] : undefined;
}

describe('class findings kept with the class', () => {
  it('are what a fresh lint finds, after edits inside a class, below the classes, in a class header and in the imports', () => {
    const texts = [
      ...[join(ROOT, '..', 'shared', 'corpus'), join(ROOT, 'test', 'oracle', 'models'), join(ROOT, 'test', 'fixtures'), join(ROOT, 'examples')]
        .flatMap((d) => pyFiles(d)).map((f) => readFileSync(f, 'utf8')),
      generateModel({ lines: 1000, seed: 1 }),
      PITFALLS,
      // Fresh is no module class any more when its base changes: Uses' findings must go too.
      PITFALLS.replace('class Fresh(nn.Module):', 'class Fresh(object):'),
    ];
    const before = classMemo.replayed;
    let compared = 0;
    let findings = 0;
    for (const text of texts) {
      const prev = analyzeDetailed(parser, text, OPTS);
      if (!prev.module || !prev.module.body.some((s) => s.t === 'ClassDef')) continue;
      lintFileDetailed(prev, text, {});
      const line = lastMethodLine(prev.module);
      const firstClass = prev.module.body.find((s) => s.t === 'ClassDef')!;
      const edits = [
        ...(line !== undefined ? [withLine(text, line, (l) => `${indentOf(l)}pass`), withLine(text, line, (l) => `${indentOf(l)}import torch.nn.functional as F2`)] : []),
        `${text}\nextra_ = 1\n`,
        withLine(text, firstClass.line, (l) => `${l}  # header`),
        // The last class no longer a module: classes above it that hold it in a list change too.
        ...(lastHeader(prev.module, text) ?? []),
        // The imports changed above every class: nothing is kept.
        `import torch.nn as nn2\n${text}`,
      ];
      for (const after of edits) {
        // Each edit made to the first version, as the server sees it: its tree is the previous one.
        const d = analyzeDetailed(parser, after, { ...OPTS, previous: { text, module: prev.module } });
        const kept = lintFileDetailed(d, after, {}).findings;
        const fresh = lintFileDetailed(analyzeDetailed(parser, after, OPTS), after, {}).findings;
        expect(kept, after.slice(0, 80)).toEqual(fresh);
        compared++;
        findings += kept.length;
      }
    }
    // Not vacuous: kept classes were answered from their findings, and there were findings to compare.
    expect(compared).toBeGreaterThan(400);
    expect(classMemo.replayed - before).toBeGreaterThan(500);
    expect(findings).toBeGreaterThan(80);
  }, 120_000);
});
