// A run prepared past an edited function body (analyze.ts BodyEdit): after an edit inside a
// function (a model's forward), the language server runs the file on past it while the user
// pauses, up to the first step that calls the function, and the next edit inside that body
// goes on from there with the function pointed at its new code. It must change nothing but
// the time: differential over every model file we have, with edits inside and outside the
// body, and cases where the function is called early, kept elsewhere or decorated.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { advancePreparedRun, analyzeDetailed, bodyEditAt, changedLines, prepareRun, type BodyEdit, type DetailedAnalysis, type PreparedRun } from '../../../src/core/analyze';
import { statementStartLine, type Node, type NodeOf } from '../../../src/core/python/ast';
import type { PyParser } from '../../../src/core/python/parser';
import type { AnalyzeOptions } from '../../../src/core/summary/types';
import { nodeParser } from '../../../src/node/wasm';
import { generateModel } from '../../bench/gen-model.mjs';
import { pyFiles } from '../../bench/py-files.mjs';
import { twoLinearNet } from './two-linear-net';
import { visible } from './visible';

const ROOT = resolve(__dirname, '../../..');
let parser: PyParser;
beforeAll(async () => {
  parser = await nodeParser();
});

const OPTS: AnalyzeOptions = { fileName: 'm.py', traceShapes: true, dataflow: false };

/** As the language server prepares it: a first run finds the step that calls the function, a second stops before it. */
function preparedPast(v1: DetailedAnalysis, text: string, be: BodyEdit): PreparedRun {
  let p = prepareRun(parser, text, v1.module!, OPTS, be);
  while (advancePreparedRun(p, be.stmt));
  if (p.called) {
    p = prepareRun(parser, text, v1.module!, OPTS, { ...be, limit: p.called });
    while (advancePreparedRun(p, be.stmt));
  }
  return p;
}

/**
 * The analysis of `after` going on from a run prepared on `before` past the body edit the
 * server would find (or the one `pick` names in the first version's tree), and a fresh one.
 */
function both(before: string, after: string, pick?: (v1: DetailedAnalysis) => BodyEdit) {
  const v1 = analyzeDetailed(parser, before, OPTS);
  const seen = JSON.stringify(visible(v1, before));
  const edit = pick ? pick(v1) : guessed(v1, before, after);
  const p = preparedPast(v1, before, edit);
  const previous = { text: before, module: v1.module! };
  const resumed = analyzeDetailed(parser, after, { ...OPTS, previous, resume: p });
  const fresh = analyzeDetailed(parser, after, { ...OPTS, previous });
  expect(JSON.stringify(visible(v1, before))).toBe(seen);
  return { resumed, fresh, p };
}

/** The body edit the server would find for the edit that made `after` (the function holding the changed lines). */
function guessed(v1: DetailedAnalysis, before: string, after: string): BodyEdit {
  const ch = changedLines(before, after)!;
  const stmt = v1.module!.body.findIndex((s) => s.endLine >= ch.first);
  const be = bodyEditAt(v1.module!, stmt, ch.first, ch.last);
  if (!be) throw new Error(`no function body holds lines ${ch.first}-${ch.last}`);
  return be;
}

/** Functions of the file whose bodies start below their `def` line: top-level ones and methods of top-level classes. */
function bodies(d: DetailedAnalysis): Array<{ stmt: number; def: NodeOf<'FunctionDef'> }> {
  const out: Array<{ stmt: number; def: NodeOf<'FunctionDef'> }> = [];
  d.module!.body.forEach((s, stmt) => {
    const defs = s.t === 'FunctionDef' ? [s] : s.t === 'ClassDef' ? s.body.filter((m): m is NodeOf<'FunctionDef'> => m.t === 'FunctionDef') : [];
    for (const def of defs) if (def.body.length && statementStartLine(def.body[0]) > def.line) out.push({ stmt, def });
  });
  return out;
}

/** The last statement of a body (nested blocks included) that sits on one line. */
function lastOneLiner(body: Node[]): Node | undefined {
  let found: Node | undefined;
  const visit = (list: Node[]) => {
    for (const s of list) {
      if (s.line === s.endLine && statementStartLine(s) === s.line) found = s;
      for (const k of ['body', 'orelse', 'finalbody'] as const) {
        const inner = (s as unknown as Record<string, unknown>)[k];
        if (Array.isArray(inner) && inner.length && typeof inner[0] === 'object' && inner[0] && 't' in inner[0]) visit(inner as Node[]);
      }
    }
  };
  visit(body);
  return found;
}

const withLine = (text: string, line: number, edit: (l: string) => string) => text.split('\n').map((l, i) => (i === line ? edit(l) : l)).join('\n');
const indentOf = (l: string) => /^\s*/.exec(l)![0];

describe('a run prepared past an edited function body', () => {
  it('gives the results of a fresh run on every model file, for edits inside the body and outside it', () => {
    const files = [
      ...pyFiles(join(ROOT, '..', 'shared', 'corpus'), { recursive: false }), ...pyFiles(join(ROOT, 'examples'), { recursive: false }),
      ...pyFiles(join(ROOT, 'test', 'oracle', 'models'), { recursive: false }), ...pyFiles(join(ROOT, 'test', 'fixtures')),
    ];
    const texts = [...files.map((f) => readFileSync(f, 'utf8')), generateModel({ lines: 1000, seed: 1 })];
    const counts = { used: 0, fellBack: 0, calledEarly: 0, bodies: 0 };
    for (const text of texts) {
      const v1 = analyzeDetailed(parser, text, OPTS);
      if (!v1.module || v1.module.errors.length) continue;
      // The last forward/call (the model's, in a file of blocks), the first, and one other
      // method: every file, without running all of its functions.
      const all = bodies(v1);
      const calls = all.filter((b) => b.def.name === 'forward' || b.def.name === 'call');
      const picked = [...new Set([calls[calls.length - 1], calls[0], all.find((b) => !calls.includes(b))])].filter((b) => b !== undefined);
      for (const { stmt, def } of picked) {
        const target = lastOneLiner(def.body);
        if (!target) continue;
        counts.bodies++;
        const line = target.line;
        const inside = [
          { name: 'comment', after: withLine(text, line, (l) => `${l}  # edited`) },
          { name: 'pass', after: withLine(text, line, (l) => `${indentOf(l)}pass`) },
        ];
        for (const e of inside) {
          const { resumed, fresh, p } = both(text, e.after);
          expect(visible(resumed, e.after), `${e.name} in ${def.name} of ${text.slice(0, 60)}`).toEqual(visible(fresh, e.after));
          if (p.used) counts.used++;
          else counts.fellBack++;
          if (p.bodyEdit?.limit) counts.calledEarly++;
        }
        // Not inside the body: a changed header line (checked against a fresh run), a body with
        // a syntax error and a line added (both only checked to run afresh).
        const header = withLine(text, def.line, (l) => `${l}  # edited`);
        const k = v1.module.body[stmt].t === 'ClassDef' ? (v1.module.body[stmt] as NodeOf<'ClassDef'>).body.indexOf(def) : -1;
        const h = both(text, header, (v) => ({ stmt, def: (k < 0 ? v.module!.body[stmt] : (v.module!.body[stmt] as NodeOf<'ClassDef'>).body[k]) as NodeOf<'FunctionDef'> }));
        expect(h.p.used, `header of ${def.name}`).toBe(false);
        expect(visible(h.resumed, header), `header of ${def.name} in ${text.slice(0, 60)}`).toEqual(visible(h.fresh, header));
        for (const after of [withLine(text, line, (l) => `${indentOf(l)}x = )`), withLine(text, line, (l) => `${l}\n${indentOf(l)}pass`)]) {
          const p = preparedPast(v1, text, { stmt, def });
          analyzeDetailed(parser, after, { ...OPTS, previous: { text, module: v1.module! }, resume: p });
          expect(p.used, after.split('\n')[line]).toBe(false);
        }
      }
    }
    // Not vacuous: most edits inside bodies went on from the prepared run; many of those runs stopped before a call.
    expect(counts.bodies).toBeGreaterThan(150);
    expect(counts.used).toBeGreaterThan(1.8 * counts.bodies);
    expect(counts.calledEarly).toBeGreaterThan(200);
  });

  it('re-runs only the calls: the new forward() is what runs, and the model is the one built ahead', () => {
    const before = `import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 16)
        self.fc2 = nn.Linear(16, 4)

    def forward(self, x):
        h = torch.relu(self.fc1(x))
        return self.fc2(h)


if __name__ == "__main__":
    model = Net()
    y = model(torch.randn(2, 8))
    print(y.shape)
`;
    const after = before.replace('        return self.fc2(h)', '        return self.fc2(h).sum(1)');
    const { resumed, fresh, p } = both(before, after);
    expect(p.used).toBe(true);
    // Stopped before `y = model(...)`: the `if` entered, `model = Net()` run.
    expect(p.bodyEdit!.limit).toEqual({ done: 3, inner: 1 });
    expect(resumed.analysis.models[0].outputShape).toEqual([2]);
    expect(visible(resumed, after)).toEqual(visible(fresh, after));
    // The values refer to the tree analysed: the class to its statement, each method to its definition there.
    const cls = resumed.interp!.globals.vars.get('Net');
    const stmt = resumed.module!.body[2];
    expect(cls?.k === 'class' && cls.node).toBe(stmt);
    const defs = stmt.t === 'ClassDef' ? stmt.body : [];
    for (const name of ['__init__', 'forward']) {
      const f = cls?.k === 'class' ? cls.attrs.get(name) : undefined;
      expect(f?.k === 'func' && defs.includes(f.node), name).toBe(true);
    }
    const model = resumed.interp!.globals.vars.get('model');
    expect(model?.k === 'instance' && model.node && resumed.module!.body[3].t === 'If' && resumed.module!.body[3].body[0].t === 'Assign' && (resumed.module!.body[3].body[0] as { value: unknown }).value === model.node).toBe(true);
  });

  it('stops before the first call, wherever it is: in the constructor, through a stored reference, in a top-level function', () => {
    const cases: Array<{ before: string; from: string; to: string }> = [
      // forward() called by __init__: nothing past the class can be kept.
      {
        before: twoLinearNet().replace('        self.fc2 = nn.Linear(16, 4)\n', '        self.fc2 = nn.Linear(16, 4)\n        self.probe = self.forward(torch.randn(1, 8))\n'),
        from: '        return self.fc2(torch.relu(self.fc1(x)))', to: '        return self.fc2(self.fc1(x))',
      },
      // A reference kept at top level, called later.
      {
        before: `${twoLinearNet()}fwd = Net.forward\nz = fwd(model, torch.randn(3, 8))\n`,
        from: '        return self.fc2(torch.relu(self.fc1(x)))', to: '        return self.fc2(self.fc1(x)).t()',
      },
      // A top-level builder function.
      {
        before: 'import torch\nimport torch.nn as nn\n\n\ndef build(width):\n    layers = [nn.Linear(8, width), nn.ReLU()]\n    return nn.Sequential(*layers, nn.Linear(width, 2))\n\n\nx = torch.randn(4, 8)\nmodel = build(16)\ny = model(x)\n',
        from: '    return nn.Sequential(*layers, nn.Linear(width, 2))', to: '    return nn.Sequential(*layers, nn.Linear(width, 3))',
      },
      // A static method and a property.
      {
        before: twoLinearNet().replace('    def forward(self, x):', '    @staticmethod\n    def width():\n        return 8\n\n    @property\n    def depth(self):\n        return 2\n\n    def forward(self, x):') + 'w = torch.randn(Net.width(), model.depth)\n',
        from: '        return 8', to: '        return 5',
      },
    ];
    for (const c of cases) {
      const after = c.before.replace(c.from, c.to);
      expect(after).not.toBe(c.before);
      const { resumed, fresh, p } = both(c.before, after);
      expect(visible(resumed, after), c.to).toEqual(visible(fresh, after));
      expect(p.bodyEdit!.limit, c.to).toBeDefined();
    }
  });

  it('is not used with other options, twice, after the step budget stopped it, or when the body raised in the entered branch', () => {
    const base = twoLinearNet().replace('model = Net()\ny = model(torch.randn(2, 8))\n', 'if __name__ == "__main__":\n    model = Net()\n    y = model(torch.randn(2, 8))\n');
    const after = base.replace('return self.fc2(torch.relu(self.fc1(x)))', 'return self.fc2(self.fc1(x))');
    const v1 = analyzeDetailed(parser, base, OPTS);
    const be = guessed(v1, base, after);
    const other = preparedPast(v1, base, be);
    expect(analyzeDetailed(parser, after, { ...OPTS, traceShapes: false, resume: other }) && other.used).toBe(false);
    const once = preparedPast(v1, base, be);
    analyzeDetailed(parser, after, { ...OPTS, resume: once });
    expect(once.used).toBe(true);
    expect(visible(analyzeDetailed(parser, after, { ...OPTS, resume: once }), after)).toEqual(visible(analyzeDetailed(parser, after, OPTS), after));
    // A budget that runs out in the entered branch: the prepared run stops, the next analysis runs afresh.
    const looping = base.replace('    model = Net()\n', '    model = Net()\n    while True:\n        pass\n');
    const loopAfter = looping.replace('return self.fc2(torch.relu(self.fc1(x)))', 'return self.fc2(self.fc1(x))');
    const small = { ...OPTS, maxSteps: 2000 };
    const lv1 = analyzeDetailed(parser, looping, small);
    const lbe = guessed(lv1, looping, loopAfter);
    const lp = prepareRun(parser, looping, lv1.module!, small, lbe);
    while (advancePreparedRun(lp, lbe.stmt));
    expect(lp.stopped).toBe(true);
    const r = analyzeDetailed(parser, loopAfter, { ...small, resume: lp });
    expect(lp.used).toBe(false);
    expect(visible(r, loopAfter)).toEqual(visible(analyzeDetailed(parser, loopAfter, small), loopAfter));
    // A raise in the branch ends it, in the prepared steps as in a run from the start.
    const raising = base.replace('    model = Net()\n', '    model = Net()\n    raise SystemExit(0)\n');
    const raisingAfter = raising.replace('return self.fc2(torch.relu(self.fc1(x)))', 'return self.fc2(self.fc1(x))');
    const rr = both(raising, raisingAfter);
    expect(rr.p.used).toBe(true);
    expect(rr.p.bodyEdit!.limit).toBeUndefined(); // forward() is never called
    expect(visible(rr.resumed, raisingAfter)).toEqual(visible(rr.fresh, raisingAfter));
  });
});
