// Module resolvers for Node hosts: project imports are looked up relative ones from the
// importing file's folder, absolute ones from the analysed file's folder up to the project
// root (the nearest folder with pyproject.toml, setup.py, setup.cfg or .git) and any extra
// roots from [tool.tensorlens]. Libraries are never read from site-packages. The CLI reads
// the file system; the language server layers its open documents over it (`source`).

import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ModuleResolver, ResolvedModule } from '../core/eval/modules';
import { parseConfig } from '../core/lint/config';

const ROOT_MARKERS = ['pyproject.toml', 'setup.py', 'setup.cfg', '.git'];

/** The nearest folder at or above `start` holding a project marker; `start` itself when none. */
export function findProjectRoot(start: string, stopAt?: string): string {
  let dir = resolve(start);
  const stop = stopAt ? resolve(stopAt) : undefined;
  for (;;) {
    if (ROOT_MARKERS.some((m) => existsSync(join(dir, m)))) return dir;
    if (stop && dir === stop) return dir;
    const up = dirname(dir);
    if (up === dir) return resolve(start);
    dir = up;
  }
}

/** Where module text comes from: the file system (CLI) or open documents over it (server). */
export interface ModuleSource {
  /** The text of a file, or undefined when there is none. */
  readFile(path: string): string | undefined;
  isDirectory(path: string): boolean;
}

export const diskSource: ModuleSource = {
  readFile(path) {
    try {
      return existsSync(path) && statSync(path).isFile() ? readFileSync(path, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  },
  isDirectory(path) {
    try {
      return existsSync(path) && statSync(path).isDirectory();
    } catch {
      return false;
    }
  },
};

function readModule(src: ModuleSource, base: string, dotted: string): ResolvedModule | undefined {
  const rel = dotted ? dotted.split('.').join('/') : '';
  if (rel) {
    const file = join(base, `${rel}.py`);
    const text = src.readFile(file);
    if (text !== undefined) return { path: file, text };
  }
  const dir = join(base, rel);
  const init = join(dir, '__init__.py');
  const initText = src.readFile(init);
  if (initText !== undefined) return { path: init, text: initText };
  // A namespace package: no code of its own, submodules resolve beneath it.
  if (rel && src.isDirectory(dir)) return { path: init, text: '' };
  return undefined;
}

/** The nearest pyproject.toml at or above `dir` (stopping after `stopAt` when given). */
export function nearestPyproject(dir: string, stopAt?: string): string | undefined {
  let cur = resolve(dir);
  const stop = stopAt ? resolve(stopAt) : undefined;
  for (;;) {
    const p = join(cur, 'pyproject.toml');
    if (diskSource.readFile(p) !== undefined) return p;
    const up = dirname(cur);
    if (cur === stop || up === cur) return undefined;
    cur = up;
  }
}

/**
 * `[tool.tensorlens] roots` of a pyproject.toml's text as absolute folders (each relative
 * to the pyproject.toml's own folder), with the table's messages (defaults kept on bad input).
 */
export function rootsFromPyproject(pyprojectPath: string, text: string): { roots: string[]; errors: string[] } {
  const { config, errors } = parseConfig(text);
  const base = dirname(resolve(pyprojectPath));
  return { roots: (config.roots ?? []).map((r) => resolve(base, r)), errors };
}

/** The extra import roots configured for the file at `filePath` (nearest pyproject.toml above it). */
export function importRootsOf(filePath: string, stopAt?: string): { roots: string[]; errors: string[]; pyproject?: string } {
  const pyproject = nearestPyproject(dirname(resolve(filePath)), stopAt);
  if (!pyproject) return { roots: [], errors: [] };
  return { ...rootsFromPyproject(pyproject, diskSource.readFile(pyproject) ?? ''), pyproject };
}

export interface ResolverOptions {
  /** Extra roots for absolute imports (absolute, or relative to the project root), from [tool.tensorlens]. */
  extraRoots?: string[];
  /** Where absolute imports stop climbing; default: the nearest project marker above the file. */
  root?: string;
  source?: ModuleSource;
}

/**
 * `mainName` is how the analysed file is named to the engine (options.fileName); `mainPath`
 * its path on disk. Other importers are passed as the paths this resolver returned.
 */
export function fileSystemResolver(mainPath: string, mainName: string, extraRootsOrOptions: string[] | ResolverOptions = []): ModuleResolver {
  const opts: ResolverOptions = Array.isArray(extraRootsOrOptions) ? { extraRoots: extraRootsOrOptions } : extraRootsOrOptions;
  const src = opts.source ?? diskSource;
  const absMain = resolve(mainPath);
  const root = opts.root ? resolve(opts.root) : findProjectRoot(dirname(absMain));
  const roots: string[] = [];
  for (let dir = dirname(absMain); ; dir = dirname(dir)) {
    roots.push(dir);
    if (dir === root || dirname(dir) === dir) break;
  }
  roots.push(...(opts.extraRoots ?? []).map((r) => resolve(root, r)));
  return (fromFile, dotted, level) => {
    const from = fromFile === mainName ? absMain : fromFile;
    if (level > 0) {
      let base = dirname(from);
      for (let i = 1; i < level; i++) base = dirname(base);
      return readModule(src, base, dotted);
    }
    for (const base of roots) {
      const m = readModule(src, base, dotted);
      if (m) return m;
    }
    return undefined;
  };
}

/**
 * How the CLI commands resolve the imports of the file at `filePath` (named `fileName` to the
 * engine): its folders up to the project root, then the nearest pyproject.toml's
 * `[tool.tensorlens] roots`. `errors` are that table's messages, for the caller to report.
 */
export function projectResolver(filePath: string, fileName: string): { resolve: ModuleResolver; errors: string[]; pyproject?: string } {
  const { roots, errors, pyproject } = importRootsOf(filePath);
  return { resolve: fileSystemResolver(filePath, fileName, roots), errors, pyproject };
}
