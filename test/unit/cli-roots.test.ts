// `[tool.tensorlens] roots` in the CLI (the built dist/cli.js): extra folders searched for
// absolute imports, relative to the pyproject.toml. test/fixtures/multifile/roots keeps
// `mylib` under third_party/lib/, which neither the file's folder (app/) nor the project
// root can reach: the model only resolves through the setting. Run `npm run build` first.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const FIXTURE = join(root, 'test', 'fixtures', 'multifile', 'roots');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: root });

/** Block(3, 16): conv 3*16*9 + BN 2*16; Block(16, 32): conv 16*32*9 + BN 2*32; Linear(32, 10). */
const NET_PARAMS = 3 * 16 * 9 + 2 * 16 + (16 * 32 * 9 + 2 * 32) + (32 * 10 + 10);

let tmp: string;
/** A copy of the fixture with its pyproject.toml replaced by `toml` (or removed when undefined). */
function copyWith(toml: string | undefined): string {
  const dir = mkdtempSync(join(tmp, 'p-'));
  cpSync(FIXTURE, dir, { recursive: true });
  if (toml === undefined) rmSync(join(dir, 'pyproject.toml'));
  else writeFileSync(join(dir, 'pyproject.toml'), toml);
  return dir;
}

beforeAll(() => {
  expect(existsSync(cli), 'dist/cli.js exists (run npm run build)').toBe(true);
  tmp = mkdtempSync(join(tmpdir(), 'tensorlens-roots-'));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('tensorlens summary with [tool.tensorlens] roots', () => {
  it('resolves `from mylib.blocks import Block` through the configured root', () => {
    const r = run('summary', 'test/fixtures/multifile/roots/app/train.py', '--json');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const [m] = JSON.parse(r.stdout).models;
    expect(m.name).toBe('Net');
    expect(m.total_params).toBe(NET_PARAMS);
    expect(m.output_shape).toEqual([2, 10]);
    expect(m.layers.map((l: { path: string }) => l.path)).toEqual(
      ['stem.conv', 'stem.bn', 'stem.act', 'body.conv', 'body.bn', 'body.act', 'pool', 'head']);
    expect(m.layers.find((l: { path: string }) => l.path === 'body.conv')).toMatchObject({ output_shape: [2, 32, 32, 32], params: 4608 });
  });

  it('finds the shape error that only the imported class reveals', () => {
    const r = run('summary', 'test/fixtures/multifile/roots/app/mismatch.py');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/mismatch\.py:17:\d+: error DL401: Linear expected in_features=48 but the input has 32/);
  });

  it('without the setting the import is not found (the root is what makes it resolve)', () => {
    const dir = copyWith(undefined);
    const r = run('summary', join(dir, 'app', 'train.py'), '--json');
    expect(r.status).toBe(0);
    const [m] = JSON.parse(r.stdout).models;
    expect(m.total_params).toBe(32 * 10 + 10);
    expect(m.output_shape).toBeNull();
    expect(run('summary', join(dir, 'app', 'train.py')).stdout).toMatch(/mylib\.blocks\.Block\(\) is not modelled/);
  });

  it('roots are relative to the pyproject.toml, not to the working folder', () => {
    const dir = copyWith('[tool.tensorlens]\nroots = ["third_party/lib"]\n');
    const r = spawnSync(process.execPath, [cli, 'summary', join(dir, 'app', 'train.py'), '--json'], { encoding: 'utf8', cwd: tmpdir() });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).models[0].total_params).toBe(NET_PARAMS);
  });

  it.each([
    ['a string', 'roots = "third_party/lib"'],
    ['a list with a number', 'roots = ["third_party/lib", 3]'],
    ['a table', 'roots = { lib = "third_party/lib" }'],
  ])('a malformed setting (%s) is reported and the defaults kept', (_what, line) => {
    const dir = copyWith(`[tool.tensorlens]\n${line}\n`);
    const r = run('summary', join(dir, 'app', 'train.py'), '--json');
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/pyproject\.toml: \[tool\.tensorlens\] roots must be a list of folder paths relative to pyproject\.toml/);
    expect(JSON.parse(r.stdout).models[0].total_params).toBe(32 * 10 + 10);
  });
});
