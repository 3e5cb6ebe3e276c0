// Incremental re-parsing (src/core/python/incremental.ts) must give exactly the tree a
// whole-file parse gives, or decline (null). Differential over random edits of the corpus,
// the examples, the fixtures, the oracle models and standard-library files; the edits are
// the ones typing makes: a changed line, an inserted or deleted line, a new statement,
// an indented line after a block, a half-typed bracket, a decorator, a comment.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fastParse } from '../../../src/core/python/fastparse';
import { parseFast, reparse } from '../../../src/core/python/incremental';
import { makeRng } from '../../bench/gen-model.mjs';
import { pyFiles } from '../../bench/py-files.mjs';

const UP_TO_200KB = { maxBytes: 200_000 };

const ROOT = resolve(__dirname, '../../..');

const EDITS: Array<(lines: string[], i: number, r: () => number) => void> = [
  (l, i) => { l[i] = l[i].replace(/\d+/, (d) => String(Number(d) + 1)); }, // change a number
  (l, i) => { l[i] = `${l[i]}  # note`; }, // trailing comment
  (l, i) => { l.splice(i, 0, ''); }, // blank line
  (l, i) => { l.splice(i, 1); }, // delete a line
  (l, i) => { l.splice(i, 0, l[i]); }, // duplicate a line
  (l, i) => { l.splice(i, 0, '_edit = 1'); }, // new top-level statement
  (l, i) => { l.splice(i, 0, '        y = x + 1'); }, // indented line (continues a block, or an indentation error)
  (l, i) => { l.splice(i, 0, '    z = 2'); },
  (l, i) => { l[i] = `${l[i]}(`; }, // half-typed call
  (l, i) => { l.splice(i, 0, '@decorator'); },
  (l, i) => { l.splice(i, 0, '# comment only'); },
  (l, i) => { l.splice(i, 0, 'def added(a, b):', '    return a + b'); },
  (l, i) => { l[i] = l[i].replace(/\S/, ''); }, // delete a character
  (l, i) => { l.splice(i, 0, '"""'); }, // opens a string
  (l, i, r) => { l[i] = l[i].slice(0, Math.floor(r() * l[i].length)); }, // truncate
];

describe('incremental re-parse', () => {
  it('gives the whole-file tree on random edits, or declines', () => {
    const files = [
      ...pyFiles(join(ROOT, '..', 'shared', 'corpus'), UP_TO_200KB), ...pyFiles(join(ROOT, 'examples'), UP_TO_200KB), ...pyFiles(join(ROOT, 'test', 'fixtures'), UP_TO_200KB),
      ...pyFiles(join(ROOT, 'test', 'oracle', 'models'), UP_TO_200KB), ...pyFiles('/usr/lib/python3.11/json', UP_TO_200KB), ...pyFiles('/usr/lib/python3.11/email', UP_TO_200KB).slice(0, 12),
    ];
    expect(files.length).toBeGreaterThan(150);
    const r = makeRng(12345);
    let reused = 0;
    let declined = 0;
    let checked = 0;
    for (const f of files) {
      let text = readFileSync(f, 'utf8');
      let mod = parseFast(text);
      if (!mod) continue;
      // A chain of edits, each from the previous version (as a language server sees them).
      for (let k = 0; k < 10; k++) {
        const lines = text.split('\n');
        const i = Math.floor(r() * lines.length);
        EDITS[Math.floor(r() * EDITS.length)](lines, Math.min(i, lines.length - 1), r);
        const next = lines.join('\n');
        const whole = fastParse(next);
        const inc = reparse(text, mod, next);
        checked++;
        if (inc) {
          reused++;
          if (!isDeepStrictEqual(inc, whole)) throw new Error(`${f}: edit ${k} (line ${i + 1}) gave a different tree than a whole parse`);
        } else declined++;
        if (!whole) continue; // a broken text goes to tree-sitter; the next edit starts from the last good one
        text = next;
        mod = inc ?? parseFast(next)!;
      }
    }
    expect(checked).toBeGreaterThan(1500);
    // Most edits keep most statements: the reuse path must be the usual one.
    expect(reused).toBeGreaterThan(checked / 2);
    expect(declined).toBeGreaterThan(0);
  }, 60_000);

  it('keeps the statements around the edit (the same objects) and re-parses the rest', () => {
    const text = ['import torch', '', 'class A:', '    x = 1', '', 'def f():', '    return 2', '', 'y = 3', 'z = 4', ''].join('\n');
    const mod = parseFast(text)!;
    // Same number of lines: the class before and `z` after are kept; `f` (before the edit, with a body) is parsed again.
    const next = text.replace('y = 3', 'y = 30');
    const inc = reparse(text, mod, next)!;
    expect(inc.body[0]).toBe(mod.body[0]);
    expect(inc.body[1]).toBe(mod.body[1]);
    expect(inc.body[2]).not.toBe(mod.body[2]);
    expect(inc.body[4]).toBe(mod.body[4]);
    expect(inc).toEqual(fastParse(next));
    // An indented line after the function extends it: the function is parsed again, not kept.
    const extended = text.replace('\ny = 3', '    q = 5\ny = 3');
    expect(reparse(text, mod, extended)).toEqual(fastParse(extended));
    // An edit inside a block that starts after an earlier block: the statement starting in
    // between closed the earlier block, which is kept.
    const text2 = ['class A:', '    x = 1', '', 'class B:', '    def f(self):', '        return 2', ''].join('\n');
    const mod2 = parseFast(text2)!;
    const next2 = text2.replace('return 2', 'return 20');
    const inc2 = reparse(text2, mod2, next2)!;
    expect(inc2.body[0]).toBe(mod2.body[0]);
    expect(inc2.body[1]).not.toBe(mod2.body[1]);
    expect(inc2).toEqual(fastParse(next2));
    // A trees from the fallback parser (or with errors) is never the base of a re-parse.
    expect(reparse(text, { ...mod }, next)).toBeNull();
  });

  it('re-parses only the method an edit is in, on every line of every method body of the model files', () => {
    const files = [...pyFiles(join(ROOT, '..', 'shared', 'corpus'), UP_TO_200KB), ...pyFiles(join(ROOT, 'examples'), UP_TO_200KB)];
    let methods = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const mod = parseFast(text);
      if (!mod) continue;
      const lines = text.split('\n');
      mod.body.forEach((cls, at) => {
        if (cls.t !== 'ClassDef') return;
        cls.body.forEach((m, k) => {
          if (m.t !== 'FunctionDef' || !m.body.length || m.body[0].line <= m.line) return;
          methods++;
          for (let line = m.body[0].line; line <= m.endLine; line++) {
            // Edits that keep the method's shape (a comment, a number), then ones that may not
            // (a line moved to the left margin, a half-typed call): the same tree as a whole parse.
            const keeping = [(l: string) => `${l}  # typed`, (l: string) => l.replace(/\d+/, (d) => `${d}0`)];
            for (const edit of [...keeping, (l: string) => l.trimStart(), (l: string) => `${l}(`]) {
              const next = lines.map((l, i) => (i === line ? edit(l) : l)).join('\n');
              if (next === text) continue;
              const inc = reparse(text, mod, next);
              const whole = fastParse(next);
              if (keeping.includes(edit) && lines[line].trim() && !lines[line].trim().startsWith('#') && !/["']/.test(lines[line])) {
                // Only the method was parsed again: the other statements and members are the same objects.
                expect(inc, `${f}: line ${line + 1}`).not.toBeNull();
                inc!.body.forEach((st, i) => { if (i !== at) expect(st).toBe(mod.body[i]); });
                const edited = inc!.body[at] as typeof cls;
                cls.body.forEach((other, j) => { if (j !== k) expect(edited.body[j]).toBe(other); });
              }
              if (inc) expect(isDeepStrictEqual(inc, whole), `${f}: line ${line + 1}`).toBe(true);
            }
          }
        });
      });
    }
    expect(methods).toBeGreaterThan(30);
  });
});
