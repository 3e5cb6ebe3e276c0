// `tensorlens lint` follows project imports as `tensorlens summary` does (same folders, same
// [tool.tensorlens] roots), so shape rules see models whose blocks live in other files.
// test/fixtures/multifile/lintproj: models/blocks.py ends its Encoder in Linear(784, 300);
// train.py chains Linear(200, 10) after it — a DL401 that only the imported file reveals.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { lintCommand, lintOne } from '../../../src/cli/lint';
import { projectResolver } from '../../../src/node/resolver';
import { initParser } from './helpers';
import type { PyParser } from '../../../src/core/python/parser';

const root = join(__dirname, '..', '..', '..');
const LINTPROJ = join(root, 'test', 'fixtures', 'multifile', 'lintproj');
const ROOTS = join(root, 'test', 'fixtures', 'multifile', 'roots');

interface JsonFinding { file: string; code: string; line: number; column: number; message: string }

let parser: PyParser;
let tmp: string;

beforeAll(async () => {
  parser = await initParser();
  tmp = mkdtempSync(join(tmpdir(), 'tl-lint-imports-'));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function lint(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err += String(s);
    return true;
  });
  try {
    return { code: await lintCommand(argv), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const findings = async (...argv: string[]) => {
  const r = await lint([...argv, '--format', 'json']);
  return { ...r, json: JSON.parse(r.out) as JsonFinding[] };
};

/** A copy of `fixture` in a fresh folder, with `edit(relPath, text)` rewriting files. */
function copyOf(fixture: string): { dir: string; edit: (rel: string, f: (t: string) => string) => void } {
  const dir = mkdtempSync(join(tmp, 'p-'));
  cpSync(fixture, dir, { recursive: true });
  return { dir, edit: (rel, f) => writeFileSync(join(dir, rel), f(readFileSync(join(dir, rel), 'utf8'))) };
}

describe('tensorlens lint resolves project imports', () => {
  it('DL401 fires in train.py through the Encoder imported from models/blocks.py', async () => {
    const r = await findings(LINTPROJ);
    expect(r.code).toBe(1);
    expect(r.err).toBe('');
    // At the call and at the head's definition (pitfalls.md: DL4xx go on both).
    expect(r.json.map((f) => [f.code, f.line, f.column])).toEqual([['DL401', 12, 21], ['DL401', 15, 16]]);
    expect(r.json[1].file).toBe(join(LINTPROJ, 'train.py'));
    expect(r.json[1].message).toMatch(/Linear\(200, 10\) expects in_features=200 but receives 300 features/);
    expect(r.json[0].message).toMatch(/receives 300 features.*\(called at line 15\)$/);
  });

  it('the same file linted alone (no resolver) cannot see it: the import is what reveals the error', () => {
    const file = join(LINTPROJ, 'train.py');
    const text = readFileSync(file, 'utf8');
    expect(lintOne(parser, file, text, {}, false).findings.map((f) => f.code)).not.toContain('DL401');
    const resolved = lintOne(parser, file, text, {}, false, projectResolver(file, file).resolve);
    expect(resolved.findings.map((f) => f.code)).toEqual(['DL401', 'DL401']);
  });

  it('no DL401 once the head matches the imported block (300 features)', async () => {
    const p = copyOf(LINTPROJ);
    p.edit('train.py', (t) => t.replace('nn.Linear(200, 10)', 'nn.Linear(300, 10)'));
    const r = await findings(p.dir);
    expect(r.json).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('the error moves with the imported file: a block ending in Linear(784, 200) makes train.py correct', async () => {
    const p = copyOf(LINTPROJ);
    p.edit('models/blocks.py', (t) => t.replace('nn.Linear(784, 300)', 'nn.Linear(784, 200)'));
    expect((await findings(join(p.dir, 'train.py'))).json).toEqual([]);
    p.edit('models/blocks.py', (t) => t.replace('nn.Linear(784, 200)', 'nn.Linear(784, 128)'));
    const r = await findings(join(p.dir, 'train.py'));
    expect(r.json.map((f) => [f.code, f.line])).toEqual([['DL401', 12], ['DL401', 15]]);
    expect(r.json[1].message).toMatch(/receives 128 features/);
  });

  it('uses the [tool.tensorlens] roots of the nearest pyproject.toml, as summary does', async () => {
    const r = await findings(join(ROOTS, 'app', 'mismatch.py'));
    expect(r.json.map((f) => [f.code, f.line])).toEqual([['DL401', 13], ['DL401', 17]]);
    expect(r.json[1].message).toMatch(/in_features=48 but receives 32 features/);
    // Without the setting mylib is not found, and the shape error stays invisible.
    const p = copyOf(ROOTS);
    rmSync(join(p.dir, 'pyproject.toml'));
    expect((await findings(join(p.dir, 'app', 'mismatch.py'))).json.filter((f) => f.code === 'DL401')).toEqual([]);
  });

  it('a malformed roots setting is reported once for the folder and linting goes on', async () => {
    const p = copyOf(ROOTS);
    writeFileSync(join(p.dir, 'pyproject.toml'), '[tool.tensorlens]\nroots = "third_party/lib"\n');
    const r = await findings(join(p.dir, 'app'));
    expect(r.err.split('\n').filter((l) => l.includes('pyproject.toml'))).toHaveLength(1);
    expect(r.code).toBe(0);
  });

  it('circular and self imports between project files end without a crash', async () => {
    const p = copyOf(LINTPROJ);
    writeFileSync(join(p.dir, 'models', 'a.py'), 'import torch.nn as nn\nfrom models.b import B\nfrom models.a import A\n\n\nclass A(nn.Module):\n    pass\n');
    writeFileSync(join(p.dir, 'models', 'b.py'), 'import torch.nn as nn\nfrom models.a import A\n\n\nclass B(A):\n    pass\n\n\nB()(1)\n');
    const r = await findings(p.dir);
    expect(r.json.map((f) => [f.file.slice(p.dir.length + 1), f.code])).toEqual([['train.py', 'DL401'], ['train.py', 'DL401']]);
  });
});

describe('the built CLI (dist/cli.js)', () => {
  it('`tensorlens lint` reports the cross-file DL401 in text form', () => {
    const cli = join(root, 'dist', 'cli.js');
    expect(existsSync(cli), 'dist/cli.js exists (run npm run build)').toBe(true);
    const r = spawnSync(process.execPath, [cli, 'lint', 'test/fixtures/multifile/lintproj'], { encoding: 'utf8', cwd: root });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/lintproj\/train\.py:15:16: DL401 error: Linear\(200, 10\) expects in_features=200 but receives 300 features/);
    expect(r.stdout).toMatch(/lintproj\/train\.py:12:21: DL401 error: .*\(called at line 15\)/);
    expect(r.stdout).toMatch(/2 findings in 1 file\(s\)\./);
  });
});
