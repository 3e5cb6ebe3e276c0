// The `tensorlens` command as users run it (the built dist/cli.js): exit codes, JSON,
// notebooks, multi-file projects. Run `npm run build` first (npm test's pretest does).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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
