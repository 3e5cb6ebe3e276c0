// The lint CLI: folder walking with skips and .gitignore, nearest pyproject.toml, output
// formats (JSON fields, SARIF 2.1.0 validated against the official schema), --fix, exit codes.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { collectPythonFiles, configFor, lintCommand, lintOne, toJson, toSarif, type FileResult } from '../../../src/cli/lint';
import { initParser } from './helpers';
import type { PyParser } from '../../../src/core/python/parser';

const BAD = 'import torch\nimport torch.nn as nn\nm = nn.Linear(2, 2)\nm.eval\nw = torch.zeros(3)\nw.require_grad = True\n';
let parser: PyParser;
let dir: string;

beforeAll(async () => {
  parser = await initParser();
  dir = mkdtempSync(join(tmpdir(), 'tl-lint-'));
  for (const d of ['proj/pkg', 'proj/.venv', 'proj/node_modules/x', 'proj/generated', 'proj/__pycache__']) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'proj/pkg/bad.py'), BAD);
  writeFileSync(join(dir, 'proj/clean.py'), 'import torch\nx = torch.zeros(2)\n');
  for (const d of ['.venv', 'node_modules/x', 'generated', '__pycache__']) writeFileSync(join(dir, 'proj', d, 'bad.py'), BAD);
  writeFileSync(join(dir, 'proj/.gitignore'), '# generated code\ngenerated/\n*.tmp.py\n');
  writeFileSync(join(dir, 'proj/skip.tmp.py'), BAD);
  writeFileSync(join(dir, 'proj/pyproject.toml'), '[tool.tensorlens]\nignore = ["DL118"]\n');
});

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await lintCommand(argv);
    return { code, out };
  } finally {
    spy.mockRestore();
    err.mockRestore();
  }
}

describe('tensorlens lint', () => {
  it('walks folders, skipping tool folders and .gitignore patterns', () => {
    const { files } = collectPythonFiles([join(dir, 'proj')]);
    expect(files.map((f) => f.slice(join(dir, 'proj').length + 1)).sort()).toEqual(['clean.py', 'pkg/bad.py']);
  });

  it('reads the nearest pyproject.toml', () => {
    expect(configFor(join(dir, 'proj/pkg/bad.py')).config.ignore).toEqual(['DL118']);
  });

  it('prints JSON with 1-based positions and exits 1 on findings, 0 when clean, 2 on bad usage', async () => {
    const r = await run([join(dir, 'proj'), '--format', 'json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out) as Array<Record<string, unknown>>;
    expect(json).toHaveLength(1);
    expect(json[0]).toMatchObject({ code: 'DL108', severity: 'error', line: 4, column: 1, endLine: 4, endColumn: 7 });
    expect(json[0].file).toContain('bad.py');
    expect((json[0].fix as { edits: unknown[] }).edits).toEqual([{ line: 4, column: 7, endLine: 4, endColumn: 7, newText: '()' }]);
    expect((await run([join(dir, 'proj/clean.py')])).code).toBe(0);
    expect((await run([])).code).toBe(2);
    expect((await run([join(dir, 'nope.py')])).code).toBe(2);
    expect((await run([join(dir, 'proj'), '--format', 'xml'])).code).toBe(2);
    expect((await run([join(dir, 'proj'), '--select', 'DL1O1'])).code).toBe(2);
  });

  it('emits SARIF 2.1.0 that validates against the official schema', async () => {
    const results: FileResult[] = [lintOne(parser, join(dir, 'proj/pkg/bad.py'), BAD, {}, false)];
    expect(results[0].findings.length).toBe(2);
    const sarif = toSarif(results) as { runs: Array<{ results: Array<{ ruleId: string; locations: unknown[] }> }> };
    const schema = JSON.parse(readFileSync(join(__dirname, '../../fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const ok = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(sarif.runs[0].results.map((r) => r.ruleId)).toEqual(['DL108', 'DL118']);
    // A broken log must fail validation (the validator is really checking).
    expect(validate({ version: '2.1.0', runs: [{ results: [] }] })).toBe(false);
    expect(toJson(results)).toHaveLength(2);
  });

  it('--fix rewrites files with the safe fixes', async () => {
    const f = join(dir, 'fixme.py');
    writeFileSync(f, BAD);
    const r = await run([f, '--fix']);
    expect(r.code).toBe(0);
    expect(readFileSync(f, 'utf8')).toBe(BAD.replace('m.eval\n', 'm.eval()\n').replace('require_grad', 'requires_grad'));
  });
});
