// The `tensorlens` command's code cache (src/cli/bin.ts): dist/cli.js runs the CLI bundle
// with V8's cached data, written by the first run. The output must be the same with a fresh
// cache, a used one, a corrupt one (rejected by V8 and written anew), an unwritable folder
// and the cache turned off.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function run(cacheDir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: root, env: { ...process.env, TENSORLENS_CACHE_DIR: cacheDir } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const cacheFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.v8cache')) : []);

describe('tensorlens code cache', () => {
  it('writes the cache on the first run and gives the same output with it, with a corrupt one and without one', () => {
    expect(existsSync(cli), 'dist/cli.js exists (run npm run build)').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'tl-cache-'));
    dirs.push(dir);
    const args = ['summary', 'examples/small_cnn.py', '--json'];
    const plain = run('off', ...args);
    expect(plain.status).toBe(0);
    expect(JSON.parse(plain.stdout).models[0].total_params).toBeGreaterThan(0);
    expect(cacheFiles(dir)).toEqual([]);

    const first = run(dir, ...args);
    expect(first).toEqual(plain);
    const [file] = cacheFiles(dir);
    expect(file).toMatch(/^cli-v\d+\.\d+\.\d+-\d+-\d+\.v8cache$/);
    const made = statSync(join(dir, file)).mtimeMs;
    expect(statSync(join(dir, file)).size).toBeGreaterThan(100_000);

    // Accepted: used as it is, not written again.
    const second = run(dir, ...args);
    expect(second).toEqual(plain);
    expect(statSync(join(dir, file)).mtimeMs).toBe(made);

    // Corrupt: V8 rejects it, the run is unaffected, and a good one replaces it.
    writeFileSync(join(dir, file), Buffer.from('not a V8 code cache'.repeat(100)));
    const third = run(dir, ...args);
    expect(third).toEqual(plain);
    expect(readFileSync(join(dir, file)).subarray(0, 19).toString()).not.toBe('not a V8 code cache');
    expect(run(dir, ...args)).toEqual(plain);

    // A cache of an earlier build is dropped when this build writes its own.
    const stale = join(dir, 'cli-v0.0.0-1-1.v8cache');
    writeFileSync(stale, 'old');
    rmSync(join(dir, file));
    expect(run(dir, ...args)).toEqual(plain);
    expect(cacheFiles(dir)).toEqual([file]);
  });

  it('runs unchanged where the cache cannot be written, and keeps exit codes and errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-cache-'));
    dirs.push(dir);
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'x');
    // A "folder" below a file: mkdir fails, the run does not.
    const r = run(join(blocker, 'sub'), 'summary', 'examples/small_cnn.py');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Total params');
    const bad = run(dir, 'summary', 'no/such/file.py');
    expect(bad.status).not.toBe(0);
    expect(bad.status).toBe(run('off', 'summary', 'no/such/file.py').status);
    expect(run(dir, 'frobnicate').status).toBe(2);
  });
});
