// The `tensorlens` command: loads the CLI bundle (dist/cli-main.js) with V8's code cache.
//
// Compiling the 1 MB bundle is a fixed cost of every run (about a sixth of a summary of a
// 1,000-line model). Node 22 keeps compiled code between runs by itself
// (module.enableCompileCache); Node 20 does not, so this does the same: the first run
// compiles and, on exit, writes V8's cached data for the bundle (including the functions that
// run used); later runs hand it to V8, which checks that it belongs to this source and this
// V8 and otherwise ignores it (the file is then written anew). The cache lives in
// $TENSORLENS_CACHE_DIR, else $XDG_CACHE_HOME/tensorlens, else ~/.cache/tensorlens, else the
// temporary folder; TENSORLENS_CACHE_DIR=off turns it off. A cache that cannot be read or
// written only costs the time it would have saved.

import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

declare const __dirname: string;

function cacheDir(): string | undefined {
  const set = process.env.TENSORLENS_CACHE_DIR;
  if (set === 'off') return undefined;
  if (set) return set;
  if (process.env.XDG_CACHE_HOME) return join(process.env.XDG_CACHE_HOME, 'tensorlens');
  try {
    return join(homedir(), '.cache', 'tensorlens');
  } catch {
    return join(tmpdir(), 'tensorlens-cache');
  }
}

/** Runs a CommonJS file as `require` would, with `cached` as V8's cached data; returns the script. */
function runWithCache(file: string, source: string, cached: Buffer | undefined): Script {
  const script = new Script((Module as unknown as { wrap(s: string): string }).wrap(source), {
    filename: file,
    ...(cached ? { cachedData: cached } : {}),
    importModuleDynamically: ((specifier: string) => import(specifier)) as never,
  });
  const mod = new Module(file, module) as Module & { filename: string; paths: string[]; loaded: boolean };
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(file));
  const run = script.runInThisContext() as (exports: unknown, require: NodeRequire, module: unknown, filename: string, dirname: string) => void;
  run.call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
  mod.loaded = true;
  return script;
}

function main(): void {
  const file = join(__dirname, 'cli-main.js');
  // (The bundle starts with a `#!` line, which is valid only at the very start of a script:
  // commented out, keeping the line numbers.)
  let source = readFileSync(file, 'utf8');
  if (source.startsWith('#!')) source = `//${source.slice(2)}`;
  const dir = cacheDir();
  let cacheFile: string | undefined;
  let cached: Buffer | undefined;
  if (dir) {
    try {
      const st = statSync(file);
      // One file per bundle build and Node version: V8 rejects data made for other code anyway.
      cacheFile = join(dir, `cli-${process.version}-${st.size}-${Math.floor(st.mtimeMs)}.v8cache`);
      cached = readFileSync(cacheFile);
    } catch {
      cached = undefined;
    }
  }
  const script = runWithCache(file, source, cached);
  if (!cacheFile || (cached && !script.cachedDataRejected)) return;
  const path = cacheFile;
  // On exit, so that the data holds the functions this run compiled as well.
  process.once('exit', () => {
    try {
      const data = script.createCachedData();
      mkdirSync(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, data);
      renameSync(tmp, path);
      // Caches of earlier builds (each build and Node version writes its own file) are dropped.
      const own = basename(path);
      for (const f of readdirSync(dirname(path))) if (f !== own && /^cli-.*\.v8cache$/.test(f)) rmSync(join(dirname(path), f), { force: true });
    } catch {
      // A read-only or missing cache folder: the next run compiles again.
    }
  });
}

main();
