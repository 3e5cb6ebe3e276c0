// fastParse (src/core/python/fastparse.ts) must build exactly the Module that tree-sitter +
// toModule builds, or return null. Differential over the Python standard library, the corpus,
// the fixtures and the oracle models, plus hand-written cases.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { toModule, type Module } from '../../../src/core/python/ast';
import { fastParse } from '../../../src/core/python/fastparse';
import type { PyParser } from '../../../src/core/python/parser';
import { getParser, REAL_PYTHON } from '../translate/harness';
import { pyFiles } from '../../bench/py-files.mjs';

const UP_TO_1MB = { maxBytes: 1 << 20 };

const ROOT = resolve(__dirname, '../../..');
const STDLIB = '/usr/lib/python3.11';

let parser: PyParser;
beforeAll(async () => {
  parser = await getParser();
});

/** tree-sitter's Module (null when tree-sitter reports an error). */
function tsModule(text: string): Module | null {
  const t = parser.parse(text)!;
  try {
    return t.rootNode.hasError ? null : toModule(t);
  } finally {
    t.delete();
  }
}

/** Normalises `undefined` fields away, as the JSON the consumers see. */
const plain = (m: unknown): unknown => JSON.parse(JSON.stringify(m));

function pythonAccepts(text: string): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'tl-fastparse-'));
  const file = join(dir, 'x.py');
  writeFileSync(file, text);
  try {
    execFileSync(REAL_PYTHON, ['-c', 'import ast,sys; ast.parse(open(sys.argv[1]).read())', file], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

interface Tally {
  files: number;
  tsOk: number;
  equal: number;
  nulls: string[];
  mismatches: string[];
  tsErr: number;
  tsErrButModule: string[];
  tsErrButValidPython: string[];
}

function differential(files: string[]): Tally {
  const t: Tally = { files: files.length, tsOk: 0, equal: 0, nulls: [], mismatches: [], tsErr: 0, tsErrButModule: [], tsErrButValidPython: [] };
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const tree = parser.parse(text)!;
    const fast = fastParse(text);
    if (tree.rootNode.hasError) {
      tree.delete();
      t.tsErr++;
      if (fast) {
        // Only acceptable when the file really is valid Python (tree-sitter rejected it).
        if (pythonAccepts(text)) t.tsErrButValidPython.push(f);
        else t.tsErrButModule.push(f);
      }
      continue;
    }
    const ref = toModule(tree);
    tree.delete();
    t.tsOk++;
    if (!fast) t.nulls.push(f);
    else if (isDeepStrictEqual(plain(fast), plain(ref))) t.equal++;
    else t.mismatches.push(f);
  }
  return t;
}

describe('fastParse differential against tree-sitter + toModule', () => {
  it('Python standard library: equal or null (< 1% null)', () => {
    const files = pyFiles(STDLIB, UP_TO_1MB);
    if (!files.length) return; // no standard library on this machine
    const t = differential(files);
    console.log(`stdlib: ${t.files} files, ${t.tsOk} error-free, ${t.equal} equal, ${t.nulls.length} null (${((100 * t.nulls.length) / t.tsOk).toFixed(2)}%): ${t.nulls.map((f) => f.slice(STDLIB.length + 1)).join(', ')}; tree-sitter errors ${t.tsErr}, of them valid Python with a fastParse module: ${t.tsErrButValidPython.join(', ') || 'none'}`);
    expect(t.mismatches).toEqual([]);
    expect(t.tsErrButModule).toEqual([]);
    expect(t.tsOk).toBeGreaterThan(600);
    expect(t.nulls.length / t.tsOk).toBeLessThan(0.01);
  }, 120_000);

  it('deep-learning corpus, fixtures and oracle models: all equal, no null', () => {
    const files = [...pyFiles('/work/shared/corpus', UP_TO_1MB), ...pyFiles(join(ROOT, 'test/fixtures'), UP_TO_1MB), ...pyFiles(join(ROOT, 'test/oracle'), UP_TO_1MB)];
    expect(files.length).toBeGreaterThan(100);
    const t = differential(files);
    console.log(`corpus/fixtures/oracle: ${t.files} files, ${t.tsOk} error-free, ${t.equal} equal, ${t.nulls.length} null; tree-sitter errors ${t.tsErr}`);
    expect(t.mismatches).toEqual([]);
    expect(t.tsErrButModule).toEqual([]);
    expect(t.nulls).toEqual([]);
  }, 60_000);

  it('mutated corpus files (half-typed code): equal, or null when tree-sitter sees an error', () => {
    const files = [...pyFiles(join(ROOT, 'test/fixtures'), UP_TO_1MB)].slice(0, 60);
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const inserts = ['(', ')', ':', ',', '\n', '"', '\\\n', '*', '=', '[', 'if ', 'lambda', '\t', 'print >>f, x\n'];
    let errors = 0, equal = 0;
    const wrong: string[] = [];
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (let k = 0; k < 4; k++) {
        const i = rnd(text.length + 1);
        const m = k === 0 ? text.slice(0, i) : k === 1 ? text.slice(0, i) + text.slice(i + 1 + rnd(3)) : text.slice(0, i) + inserts[rnd(inserts.length)] + text.slice(i);
        const ref = tsModule(m);
        const fast = fastParse(m);
        if (!ref) {
          errors++;
          if (fast && !pythonAccepts(m)) wrong.push(`${f}@${i}/${k}: module for invalid Python`);
        } else if (fast) {
          if (isDeepStrictEqual(plain(fast), plain(ref))) equal++;
          else wrong.push(`${f}@${i}/${k}: mismatch`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(errors).toBeGreaterThan(20);
    expect(equal).toBeGreaterThan(20);
  }, 60_000);
});

describe('fastParse hand cases', () => {
  /** Must parse, and equal tree-sitter's Module. */
  const same = (src: string): Module => {
    const ref = tsModule(src);
    expect(ref, 'tree-sitter parses it').not.toBeNull();
    const fast = fastParse(src);
    expect(fast, 'fastParse parses it').not.toBeNull();
    expect(plain(fast)).toEqual(plain(ref));
    return fast!;
  };

  it('returns null for half-typed code, Python 2, and valid constructs it does not reproduce (\\N{...}, match)', () => {
    for (const src of ['x = (', 'def f(:', 'self.fc = nn.Linear(', 'self.fc = nn.Linear(3,\n', 'print >>f, x\n', 'print "x"\n', 'if x:\n', 'class A(\n    pass\n', 'x = [1, 2\ny = 3\n', 'f(**k, *a)\n', 'f(a=1, b)\n', 'x = 0777\n', 'x = 10L\n', 'a = "abc\n', 'def f(a=1, b): pass\n', 'exec "code"\n', 'x <> y\n', 'x = "\\N{EM DASH}"\n', 'match x:\n    case 1:\n        pass\n', 'if x:\n  a\n    b\n', 'if x:\n    a\n  b\n']) {
      expect(fastParse(src), JSON.stringify(src)).toBeNull();
    }
  });

  it('builds the expected nodes for a small module', () => {
    const m = same('import torch.nn as nn  # c\nx: int = 5\nclass A(nn.Module):\n    def f(self, a, *b, c=1, **d):\n        return a[1:2, ::3]\n');
    expect(m.comments).toEqual([{ line: 0, col: 23, text: '# c' }]);
    expect(m.errors).toEqual([]);
    expect(m.body[0]).toMatchObject({ t: 'Import', names: [{ name: 'torch.nn', asname: 'nn' }], line: 0, col: 0, endLine: 0, endCol: 21 });
    expect(m.body[1]).toMatchObject({ t: 'AnnAssign', target: { t: 'Name', id: 'x' }, value: { t: 'Num', v: 5, isInt: true } });
    const cls = m.body[2] as Extract<Module['body'][number], { t: 'ClassDef' }>;
    expect(cls.t).toBe('ClassDef');
    const fn = cls.body[0] as Extract<Module['body'][number], { t: 'FunctionDef' }>;
    expect(fn.params.map((p) => [p.name, p.star ?? '', !!p.kwOnly, !!p.default])).toEqual([
      ['self', '', false, false], ['a', '', false, false], ['b', '*', false, false], ['c', '', true, true], ['d', '**', false, false],
    ]);
    // the subscript with two indices: a Tuple with the subscript's position
    expect(fn.body[0]).toMatchObject({ t: 'Return', value: { t: 'Subscript', index: { t: 'Tuple', line: 4, col: 15, endLine: 4, endCol: 26 } } });
  });

  it('indentation: tabs, spaces, comments at block ends, line continuations, CRLF', () => {
    same('if x:\n\ty = 1\n\tif z:\n\t\tpass\n\t# trailing\nelse:\n\tpass\n');
    same('def f():\n    if a:\n        b = 1\n        # in inner block\n    # in outer block\n# outside\nz = 2\n');
    same('def f():\n    return x  # c\ny\nif x: pass  # c\n');
    same('x = 1 + \\\n    2\nif a and \\\n   b:\n    pass\ny = a, \\\n    b\nz = a if b \\\n  else c\nw = a < \\\n  b\n');
    same('x = 1  # c\r\nif a:\r\n    b = 2, 3,  \r\n    # d\r\nz = """a\r\nb"""\r\n');
    // A `\\` continuation is layout only: no node of its own in a conditional, a call, a list or a return.
    const m = same('x = 1 \\\n    if a else 2\ny = f(1, \\\n      2)\nz = [1, \\\n     2]\nw = 3 < \\\n    4\ndef g():\n    return \\\n        5\n');
    const text = JSON.stringify(m);
    expect(text).not.toContain('line_continuation');
    const [x, y, z] = m.body as Array<{ value: any }>;
    expect(x.value).toMatchObject({ t: 'IfExp', body: { t: 'Num', v: 1 }, test: { t: 'Name', id: 'a' }, orelse: { t: 'Num', v: 2 } });
    expect(y.value.args).toHaveLength(2);
    expect(z.value.elts).toHaveLength(2);
    expect(fastParse('if x:\n\ty = 1\n        z = 2\n')).toBeNull(); // tab then 8 spaces: inconsistent
  });

  it('strings: f-strings (nested), bytes, raw, triple-quoted, concatenation', () => {
    const m = same('a = f"x{y!r:>{w}}z\\n" "q"\nb = rb"\\n" b"\\x41"\nc = """multi\nline"""\nd = f"{f\'{y}\'}" f"{x=}"\ne = r"\\\\"\nf = u"\\u00e9" if 0 else 1\ng = "a\\\nb"\nh = f"{a:{b}.{c}}{{lit}}"\n');
    expect(m.body[0]).toMatchObject({ t: 'Assign', value: { t: 'FStr' } });
    same("s = 'it\\'s'\nt = r'\\d+' '\\t'\nu = f'''{\n  x\n}'''\n");
  });

  it('expressions: walrus, lambda defaults, star-args, comprehensions, precedence quirks', () => {
    same('if (n := len(a)) > 10:\n    pass\nf = lambda x, y=2, *a, k=1, **kw: x + y\ng(*args, **kwargs)\n[x for x, y in z if x if y]\n{k: v for k, v in d.items()}\n{x for x in y}\n(x for x in y)\nh(x for x in y)\n');
    same('a & b ^ c | d\n-x ** 2\nnot a == b\na not in b is not c < d\nx = *a, b\n(a) = 1\nfor (i) in r: pass\nx[1:2, ::3]\nx[b,]\n1j; 1.5j; 0x1F; 1_000; 1e3\n');
    same('@dec\n@dec2(a)\ndef f(a, /, b, *, c): pass\n@d\nclass B: pass\nasync def g():\n    await x\n    async with a as b, c: pass\n    async for i in y: pass\n');
    same('try:\n    pass\nexcept (A, B) as e:\n    raise X from e\nexcept C:\n    pass\nelse:\n    pass\nfinally:\n    pass\nwith (open(a) as f, open(b) as g):\n    pass\nglobal q\ndel a, b\nassert x, "m"\nfrom __future__ import annotations\nfrom . import y\nfrom ..a.b import (c as d, e,)\ntype X = int\nwhile x:\n    break\nelse:\n    continue\n');
    same('def f():\n    x = yield\n    y = yield from g()\n    z = (yield a, b)\n');
  });

  it('edge cases: empty files, comments at block ends and inside brackets, semicolons, odd statements', () => {
    const cases = ['', '\n', '# only\n', '# only', 'x = 1', 'def f():\n    pass\n    # tail', 'def f():\n    pass\n    \n   \n', 'class A:\n    def f(self):\n        pass\n\n    # between\n\n    def g(self):\n        pass\n  # odd\n# top\n', 'if a:\n    pass\n        # deeper\nx', 'for i in range(3):\n    pass\nelse:  # c\n    pass  # d\n', 'x = [\n    1,  # one\n    2,\n]\n', 'f(a, # c\n  b)\n', 'd = {  # c\n  "a": 1,  # c\n  **e,\n}\n', 'try:\n    pass\n# c\nexcept E:\n    pass\n', 'x = (  # c\n    a\n)\n', 'with a:\n    pass\n\n\n# end', 'x = 1;\n', 'x = 1; y = 2  # c\n', 'if x:\n    pass\n\t# tab comment\n', '@a.b\n# c\ndef f(): pass\n', 'lambda: (yield)\n', 'x = [i async for i in a]\n', 'f(a)(b)[c].d\n', 'x = not not a\n', 'a = b = c = d\n', 'a: "T"\n', 'print((a, b))\n', 'x = a if b else lambda: c\n', 'x = [*a, *b]\n', 'x = {**a, "b": 1}\n', 'del x[0], y.z\n', 'raise\n', 'return\n', 'x = -1 ** -2\n', 'x = a[1:2:3]\n', 'x = a[:, None]\n', 'x = a[...]\n', 'nonlocal a, b\n', 'x = 1 if 2 else 3 if 4 else 5\n', 'x = "a" "b" f"c{d}" "e"\n', 'x = b"a" b"b"\n'];
    for (const c of cases) same(c);
  });

  it('non-ASCII columns are UTF-16 code units, as web-tree-sitter reports them', () => {
    const m = same('x = "😀中" + é  # 😀\n');
    expect(m.body[0]).toMatchObject({ endCol: 13, value: { right: { t: 'Name', id: 'é', col: 12, endCol: 13 } } });
    expect(m.comments).toEqual([{ line: 0, col: 15, text: '# 😀' }]);
  });

  it('never throws or hangs on deep nesting and garbage', () => {
    expect(fastParse('x = ' + '('.repeat(2000) + '1' + ')'.repeat(2000) + '\n')).toBeNull();
    expect(fastParse('x = ' + 'a.'.repeat(5000) + 'b\n')).toBeNull();
    for (const src of ['\u0000', '\\', '"""', "f'{", "f'{x!'", '\x0c\n', '@', 'lambda', '(((', ')))', '\t\t\tx', '\ufeffx = 1', 'x = 1 \\']) {
      expect(() => fastParse(src)).not.toThrow();
    }
    // moderately deep but fine
    same('x = ' + '['.repeat(50) + '1' + ']'.repeat(50) + '\n');
  });
});
