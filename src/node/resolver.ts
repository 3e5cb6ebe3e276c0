// The CLI's module resolver: project imports are looked up on the file system, relative
// ones from the importing file's folder, absolute ones from the file's folder up to the
// project root (the nearest folder with pyproject.toml, setup.py, setup.cfg or .git) and
// any extra roots from [tool.tensorlens]. Libraries are never read from site-packages.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ModuleResolver, ResolvedModule } from '../core/eval/modules';

const ROOT_MARKERS = ['pyproject.toml', 'setup.py', 'setup.cfg', '.git'];

export function findProjectRoot(start: string): string {
  let dir = resolve(start);
  for (;;) {
    if (ROOT_MARKERS.some((m) => existsSync(join(dir, m)))) return dir;
    const up = dirname(dir);
    if (up === dir) return resolve(start);
    dir = up;
  }
}

function readModule(base: string, dotted: string): ResolvedModule | undefined {
  const rel = dotted ? dotted.split('.').join('/') : '';
  const file = join(base, `${rel}.py`);
  if (rel && existsSync(file) && statSync(file).isFile()) return { path: file, text: readFileSync(file, 'utf8') };
  const dir = join(base, rel);
  if (existsSync(dir) && statSync(dir).isDirectory()) {
    const init = join(dir, '__init__.py');
    if (existsSync(init)) return { path: init, text: readFileSync(init, 'utf8') };
    // A namespace package: no code of its own, submodules resolve beneath it.
    if (rel) return { path: join(dir, '__init__.py'), text: '' };
  }
  return undefined;
}

/**
 * `mainName` is how the analysed file is named to the engine (options.fileName); `mainPath`
 * its path on disk. Other importers are passed as the paths this resolver returned.
 */
export function fileSystemResolver(mainPath: string, mainName: string, extraRoots: string[] = []): ModuleResolver {
  const absMain = resolve(mainPath);
  const root = findProjectRoot(dirname(absMain));
  return (fromFile, dotted, level) => {
    const from = fromFile === mainName ? absMain : fromFile;
    if (level > 0) {
      let base = dirname(from);
      for (let i = 1; i < level; i++) base = dirname(base);
      return readModule(base, dotted);
    }
    const roots: string[] = [];
    for (let dir = dirname(absMain); ; dir = dirname(dir)) {
      roots.push(dir);
      if (dir === root || dirname(dir) === dir) break;
    }
    roots.push(...extraRoots.map((r) => resolve(root, r)));
    for (const base of roots) {
      const m = readModule(base, dotted);
      if (m) return m;
    }
    return undefined;
  };
}
