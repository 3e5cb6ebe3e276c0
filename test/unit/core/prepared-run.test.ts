// A module run made ahead of an edit (analyze.ts prepareRun / AnalyzeOptions.resume): the
// language server runs the top-level statements before the last edit's place while the user
// pauses, and the next analysis goes on from there when those statements are unchanged.
// It must change nothing but the time: differential over every model file we have, with
// edits after, inside and before the prepared statements, and cases where later code uses or
// changes what the prepared statements made.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { advancePreparedRun, analyzeDetailed, prepareRun, unchangedLead, type DetailedAnalysis, type PreparedRun } from '../../../src/core/analyze';
import { statementStartLine } from '../../../src/core/python/ast';
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

const OPTS: AnalyzeOptions = { fileName: 'm.py', traceShapes: true };

function prepared(before: DetailedAnalysis, text: string, upTo: number, options: AnalyzeOptions = OPTS): PreparedRun {
  const p = prepareRun(parser, text, before.module!, options);
  while (advancePreparedRun(p, upTo));
  return p;
}

/** The analysis of `after` going on from a run prepared on `before`'s first `upTo` statements, and a fresh one. */
function both(before: string, after: string, upTo: number, options: AnalyzeOptions = OPTS) {
  const v1 = analyzeDetailed(parser, before, options);
  const seen = JSON.stringify(visible(v1, before));
  const p = prepared(v1, before, upTo, options);
  const previous = { text: before, module: v1.module! };
  const resumed = analyzeDetailed(parser, after, { ...options, previous, resume: p });
  const fresh = analyzeDetailed(parser, after, { ...options, previous });
  // The prepared run used the first version's tree: that analysis is unchanged by it.
  expect(JSON.stringify(visible(v1, before))).toBe(seen);
  return { resumed, fresh, used: p.used, done: p.done };
}

/** The index of the top-level statement that holds line `line` (or the number of statements, past the end). */
function statementAt(d: DetailedAnalysis, line: number): number {
  const i = d.module!.body.findIndex((s) => s.endLine >= line);
  return i < 0 ? d.module!.body.length : i;
}

describe('a module run prepared ahead of an edit', () => {
  it('gives the results of a fresh run on every model file, for edits after, between and inside the prepared statements', () => {
    const files = [
      ...pyFiles(join(ROOT, '..', 'shared', 'corpus'), { recursive: false }), ...pyFiles(join(ROOT, 'examples'), { recursive: false }),
      ...pyFiles(join(ROOT, 'test', 'oracle', 'models'), { recursive: false }), ...pyFiles(join(ROOT, 'test', 'fixtures')),
    ];
    const texts = [...files.map((f) => readFileSync(f, 'utf8')), generateModel({ lines: 1000, seed: 1 })];
    let resumedRuns = 0;
    let freshFallbacks = 0;
    for (const text of texts) {
      const v1 = analyzeDetailed(parser, text, OPTS);
      if (!v1.module || v1.module.body.length < 2) continue;
      const n = v1.module.body.length;
      const lines = text.split('\n');
      const mid = v1.module.body[n >> 1];
      const edits: Array<{ after: string; upTo: number; name: string }> = [
        // Typing below everything (the prepared run covers the whole file).
        { name: 'append', after: `${text}\n_edited = 1\n`, upTo: n },
        // A line added after the middle statement: later statements move down.
        { name: 'insert', after: [...lines.slice(0, mid.endLine + 1), 'y_extra = 2', ...lines.slice(mid.endLine + 1)].join('\n'), upTo: statementAt(v1, mid.endLine + 1) },
        // The middle statement itself changed (its first line gets a comment): prepared up to it.
        { name: 'inside', after: lines.map((l, i) => (i === mid.line ? `${l}  # edited` : l)).join('\n'), upTo: n >> 1 },
        // A guess that was wrong: the edit is in a statement the prepared run already ran.
        { name: 'wrong guess', after: lines.map((l, i) => (i === mid.line ? `${l}  # edited` : l)).join('\n'), upTo: n },
      ];
      for (const e of edits) {
        const { resumed, fresh, used } = both(text, e.after, e.upTo);
        expect(visible(resumed, e.after), `${e.name} in ${text.slice(0, 60)}`).toEqual(visible(fresh, e.after));
        if (used) resumedRuns++;
        else freshFallbacks++;
        if (e.name === 'wrong guess') expect(used).toBe(false);
      }
    }
    // Not vacuous: most edits went on from a prepared run, and the wrong guesses did not.
    expect(resumedRuns).toBeGreaterThan(300);
    expect(freshFallbacks).toBeGreaterThan(100);
  });

  it('goes on from the prepared objects when later code uses or changes them', () => {
    const base = `${twoLinearNet()}SCALE = 3\n`;
    const tails = [
      'model.fc2 = nn.Linear(16, 10)\nz = model(torch.randn(2, 8))\n', // a prepared child replaced
      'for p in model.fc1.parameters():\n    p.requires_grad = False\n', // prepared parameters frozen
      'Net.extra = 1\nbad = nn.Linear(5, 2)(y)\n', // a prepared class changed; a shape error on a prepared value
      'SCALE = SCALE * 2\nw = torch.randn(SCALE, 8)\nout = model(w)\n', // a prepared global read and rebound
    ];
    const v1Lines = base.split('\n').length;
    for (const tail of tails) {
      const { resumed, fresh, used, done } = both(base, base + tail, 99);
      expect(used).toBe(true);
      expect(done).toBe(6);
      expect(visible(resumed, base + tail)).toEqual(visible(fresh, base + tail));
    }
    // The shape error is found on the prepared layer's output, at the edited line.
    const { resumed } = both(base, `${base}bad = nn.Linear(5, 2)(y)\n`, 99);
    expect(resumed.analysis.diagnostics.some((d) => d.range.line === v1Lines - 1)).toBe(true);
  });

  it('goes on past half-typed code below the prepared statements, not above them', () => {
    const base = 'import torch\nimport torch.nn as nn\nnet = nn.Linear(8, 4)\ny = net(torch.randn(2, 8))\n';
    const below = `${base}z = net(y\n`; // an open call being typed
    const r1 = both(base, below, 99);
    expect(r1.used).toBe(true);
    expect(r1.fresh.analysis.syntaxErrors.length).toBeGreaterThan(0);
    expect(visible(r1.resumed, below)).toEqual(visible(r1.fresh, below));
    const above = base.replace('y = net(', 'y = net((');
    const r2 = both(base, above, 99);
    expect(r2.used).toBe(false);
    expect(visible(r2.resumed, above)).toEqual(visible(r2.fresh, above));
  });

  it('is not used with other run options, twice, or after the step budget stopped it', () => {
    const text = 'import torch\nx = torch.randn(2, 3)\ny = x + 1\n';
    const v1 = analyzeDetailed(parser, text, OPTS);
    const after = `${text}z = y * 2\n`;
    const p = prepared(v1, text, 99);
    expect(analyzeDetailed(parser, after, { ...OPTS, traceShapes: false, resume: p }) && p.used).toBe(false);
    analyzeDetailed(parser, after, { ...OPTS, resume: p });
    expect(p.used).toBe(true);
    const again = analyzeDetailed(parser, after, { ...OPTS, resume: p });
    expect(visible(again, after)).toEqual(visible(analyzeDetailed(parser, after, OPTS), after));
    // A budget that stops the prepared run: the next analysis runs afresh (and stops the same way).
    const loop = 'import torch\nx = 0\nwhile True:\n    x = x + 1\ny = 2\n';
    const small = { ...OPTS, maxSteps: 500 };
    const lv1 = analyzeDetailed(parser, loop, small);
    const lp = prepared(lv1, loop, 99, small);
    expect(lp.stopped).toBe(true);
    const loopAfter = `${loop}z = 3\n`;
    const r = analyzeDetailed(parser, loopAfter, { ...small, resume: lp });
    expect(lp.used).toBe(false);
    expect(visible(r, loopAfter)).toEqual(visible(analyzeDetailed(parser, loopAfter, small), loopAfter));
  });
});

describe('the unchanged first statements of two versions', () => {
  /** unchangedLead by splitting both texts into lines. */
  function reference(a: { module: DetailedAnalysis['module'] & object; text: string }, b: { module: DetailedAnalysis['module'] & object; text: string }): number {
    const al = a.text.split('\n');
    const bl = b.text.split('\n');
    const n = Math.min(a.module.body.length, b.module.body.length);
    for (let i = 0; i < n; i++) {
      const x = a.module.body[i];
      const y = b.module.body[i];
      if (x === y) continue;
      const start = statementStartLine(x);
      if (start !== statementStartLine(y) || x.col !== y.col || x.endLine !== y.endLine || x.endCol !== y.endCol) return i;
      for (let l = start; l <= x.endLine; l++) if (al[l] !== bl[l]) return i;
    }
    return n;
  }

  it('are counted as comparing their lines counts them, on fresh and re-parsed trees, with CRLF and without a final newline', () => {
    const files = [...pyFiles(join(ROOT, '..', 'shared', 'corpus'), { recursive: false }), ...pyFiles(join(ROOT, 'examples'), { recursive: false })];
    let compared = 0;
    for (const file of files) {
      const base = readFileSync(file, 'utf8');
      for (const text of [base, base.replaceAll('\n', '\r\n'), base.trimEnd()]) {
        const v1 = analyzeDetailed(parser, text, OPTS);
        const lines = text.split('\n');
        const body = v1.module!.body;
        // Lines anywhere, and the last lines of statements (where a statement's text ends).
        for (const at of [0, lines.length >> 2, lines.length >> 1, lines.length - 1, ...body.slice(0, 3).map((st) => st.endLine), body[body.length >> 1].endLine, body[body.length >> 1].line]) {
          for (const after of [lines.map((l, i) => (i === at ? `${l} ` : l)).join('\n'), lines.map((l, i) => (i === at ? `${l}  # c` : l)).join('\n')]) {
            const fresh = analyzeDetailed(parser, after, OPTS).module!;
            const reparsed = analyzeDetailed(parser, after, { ...OPTS, previous: { text, module: v1.module! } }).module!;
            for (const m of [fresh, reparsed]) {
              expect(unchangedLead({ module: v1.module!, text }, { module: m, text: after })).toBe(reference({ module: v1.module!, text }, { module: m, text: after }));
              compared++;
            }
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(500);
  });
});

describe('the wall-clock backstop of a prepared run', () => {
  it('counts running time only: a run prepared before a long pause is not stopped by the time limit', () => {
    // The server prepares a run while the user pauses; the next edit may come minutes later.
    const text = `${twoLinearNet()}for i in range(300):\n    y = model(torch.randn(2, 8))\n`;
    const v1 = analyzeDetailed(parser, text, OPTS);
    const p = prepared(v1, text, 4);
    const after = `${text}z = y.sum()\n`;
    const now = Date.now();
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => now + 60_000 + (performance.now() % 1));
    try {
      const resumed = analyzeDetailed(parser, after, { ...OPTS, resume: p });
      expect(p.used).toBe(true);
      expect(resumed.analysis.notes.join('\n')).not.toContain('time limit');
      expect(visible(resumed, after)).toEqual(visible(analyzeDetailed(parser, after, OPTS), after));
    } finally {
      clock.mockRestore();
    }
  });
});
