// The `tensorlens` command as users run it (the built dist/cli.js): exit codes, JSON,
// notebooks, multi-file projects. Run `npm run build` first (npm test's pretest does).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: root });

beforeAll(() => {
  expect(existsSync(cli), 'dist/cli.js exists (run npm run build)').toBe(true);
});

describe('tensorlens summary', () => {
  it('prints a table and exits 0', () => {
    const r = run('summary', 'examples/resnet50.py');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Total params: 25,557,032/);
  });
  it('prints the JSON contract with --json and honours --model and --input-shape', () => {
    const r = run('summary', 'examples/resnet50.py', '--json', '--input-shape', '2,3,64,64');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.models[0].input_shapes).toEqual([[2, 3, 64, 64]]);
    expect(j.models[0].input_source).toBe('given');
    expect(j.models[0].output_shape).toEqual([2, 1000]);
  });
  it('exits 2 with a clear message for a missing file, an unknown flag and a bad shape', () => {
    const missing = run('summary', 'nope.py');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/no such file: nope.py/);
    expect(run('summary', 'examples/resnet50.py', '--bogus').status).toBe(2);
    const bad = run('summary', 'examples/resnet50.py', '--input-shape', '1,big,3');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/'big' is not a whole number/);
    expect(run().status).toBe(2);
  });
  it('exits 1 when the named model does not exist, listing the ones that do', () => {
    const r = run('summary', 'examples/resnet50.py', '--model', 'Nope');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/No model named 'Nope'/);
  });
  it('reads notebooks: cells form one program, lines map back to cells', () => {
    const r = run('summary', 'test/fixtures/notebooks/mnist_mlp.ipynb', '--json');
    expect(r.status).toBe(0);
    const m = JSON.parse(r.stdout).models[0];
    expect(m.name).toBe('MLP');
    expect(m.input_shapes).toEqual([[8, 1, 28, 28]]);
    expect(m.output_shape).toEqual([8, 10]);
    expect(m.total_params).toBe(784 * 128 + 128 + 128 * 10 + 10);
    // fc1 is built on line 6 of the second code cell
    expect(m.layers[0]).toMatchObject({ path: 'fc1', cell: 2, line: 6 });
  });
  it('follows imports across a project', () => {
    const r = run('summary', 'test/fixtures/multifile/proj/train.py', '--json', '--model', 'Net');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).models[0].total_params).toBe(38279);
  });
});

describe('tensorlens lint on worker threads (--jobs)', () => {
  const BAD = 'import torch\nimport torch.nn as nn\nm = nn.Linear(2, 2)\nm.eval\nw = torch.zeros(3)\nw.require_grad = True\n';
  const FIXABLE = 'import torch\nstate = torch.load("ckpt.pt")\n';
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tl-jobs-'));
    mkdirSync(join(dir, 'sub'));
    for (let i = 0; i < 12; i++) writeFileSync(join(dir, `m${String(i).padStart(2, '0')}.py`), i % 3 === 0 ? BAD : i % 3 === 1 ? FIXABLE : 'import torch\nx = torch.zeros(2)\n');
    // A malformed pyproject.toml in one folder: reported once, its files linted with defaults.
    writeFileSync(join(dir, 'sub', 'pyproject.toml'), '[tool.tensorlens\n');
    writeFileSync(join(dir, 'sub', 'a.py'), BAD);
  });
  const lint = (jobs: string, ...more: string[]) => spawnSync(process.execPath, [cli, 'lint', dir, '--format', 'json', '--jobs', jobs, ...more],
    { encoding: 'utf8', cwd: root, env: { ...process.env, TENSORLENS_DEBUG: 'pool' } });

  it('gives the same findings, order, messages and exit status as one thread', () => {
    const one = lint('1');
    const two = lint('2');
    expect(one.stderr).toMatch(/13 file\(s\) on the main thread/);
    expect(two.stderr).toMatch(/13 file\(s\) on 2 worker threads/);
    expect(one.status).toBe(1);
    expect(two.status).toBe(one.status);
    const findings = JSON.parse(two.stdout) as Array<{ file: string; code: string }>;
    expect(findings.map((f) => f.code)).toContain('DL501');
    expect(new Set(findings.map((f) => f.file)).size).toBe(9);
    expect(two.stdout).toBe(one.stdout);
    // The config error is reported once, by the main thread, either way.
    const configErrors = (s: string) => s.split('\n').filter((l) => l.includes('pyproject.toml')).length;
    expect(configErrors(two.stderr)).toBe(1);
    expect(configErrors(one.stderr)).toBe(1);
  });

  it('applies --fix from the workers as on one thread', () => {
    const fixWith = (jobs: string) => {
      const copy = mkdtempSync(join(tmpdir(), 'tl-jobs-fix-'));
      for (const name of readdirSync(dir).filter((f) => f.endsWith('.py'))) writeFileSync(join(copy, name), readFileSync(join(dir, name), 'utf8'));
      const r = spawnSync(process.execPath, [cli, 'lint', copy, '--fix', '--jobs', jobs], { encoding: 'utf8', cwd: root, env: { ...process.env, TENSORLENS_DEBUG: 'pool' } });
      return { r, texts: readdirSync(copy).sort().map((f) => readFileSync(join(copy, f), 'utf8')) };
    };
    const one = fixWith('1');
    const three = fixWith('3');
    expect(three.r.stderr).toMatch(/12 file\(s\) on 3 worker threads/);
    expect(three.r.stdout.replace(/\/tmp\/tl-jobs-fix-\w+/g, '')).toBe(one.r.stdout.replace(/\/tmp\/tl-jobs-fix-\w+/g, ''));
    expect(three.texts).toEqual(one.texts);
    expect(three.texts[1]).toContain('torch.load("ckpt.pt", weights_only=True)');
    expect(three.texts[0]).toContain('m.eval()\n');
  });

  it('takes auto, keeps small runs on one thread and refuses a bad count', () => {
    expect(spawnSync(process.execPath, [cli, 'lint', join(dir, 'm00.py'), '--jobs', 'auto'], { encoding: 'utf8', env: { ...process.env, TENSORLENS_DEBUG: 'pool' } }).stderr).toMatch(/1 file\(s\) on the main thread/);
    for (const bad of ['0', '1.5', 'many']) {
      const r = lint(bad);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/--jobs must be a whole number/);
    }
  });
});
