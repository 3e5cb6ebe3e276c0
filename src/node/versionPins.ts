// Finds the dependency files of the project a Python file belongs to and reads the framework
// versions they pin (src/core/lint/pins.ts parses): the nearest folder at or above the file
// that has any of them wins, up to `root` or the repository root. Used by the CLI and the
// language server; `[tool.tensorlens] torch = "..."` still takes precedence.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pinsFromEnvironmentYml, pinsFromPyproject, pinsFromRequirements, pinsFromSetupCfg, type Versions } from '../core/lint/pins';

const READERS: Array<[RegExp, (text: string) => Versions]> = [
  [/^requirements[\w.-]*\.txt$/i, pinsFromRequirements],
  [/^pyproject\.toml$/, pinsFromPyproject],
  [/^setup\.cfg$/, pinsFromSetupCfg],
  [/^environment\.ya?ml$/, pinsFromEnvironmentYml],
];

/** Entries older than this are read again (the language server sees files change). */
const FRESH_MS = 5000;
const cache = new Map<string, { at: number; pins: Versions | undefined }>();

/** The pins of one folder's dependency files, or undefined when it has none. */
function pinsIn(dir: string): Versions | undefined {
  const hit = cache.get(dir);
  if (hit && Date.now() - hit.at < FRESH_MS) return hit.pins;
  let pins: Versions | undefined;
  try {
    for (const name of readdirSync(dir).sort()) {
      const reader = READERS.find(([re]) => re.test(name))?.[1];
      if (!reader) continue;
      let found: Versions;
      try {
        found = reader(readFileSync(join(dir, name), 'utf8'));
      } catch {
        continue;
      }
      pins ??= {};
      for (const [k, v] of Object.entries(found) as Array<[keyof Versions, string]>) pins[k] ??= v;
    }
  } catch {
    pins = undefined;
  }
  cache.set(dir, { at: Date.now(), pins });
  return pins;
}

/** The framework versions pinned for `filePath`'s project (empty when none are pinned). */
export function pinnedVersionsFor(filePath: string, root?: string): Versions {
  let dir = dirname(resolve(filePath));
  const stop = root ? resolve(root) : undefined;
  for (let i = 0; i < 64; i++) {
    const pins = pinsIn(dir);
    if (pins && Object.keys(pins).length) return pins;
    if (dir === stop || existsSync(join(dir, '.git'))) break;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return {};
}
