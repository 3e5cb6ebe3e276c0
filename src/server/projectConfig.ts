// `[tool.tensorlens]` from the nearest pyproject.toml above a file, merged over the editor
// settings (the project's file is what the CLI and CI read, so it wins). Parsing belongs
// to the linter (src/core/lint/config.ts `parseConfig`); this module only finds and
// caches the file.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { mergeConfig, parseConfig, type LintConfig } from '../core/lint/config';

interface Cached {
  mtimeMs: number;
  config: LintConfig | undefined;
}
const cache = new Map<string, Cached>();

/** The nearest pyproject.toml at or above `dir`, stopping at `root` (inclusive) when given. */
export function findPyproject(dir: string, root?: string): string | undefined {
  let cur = dir;
  for (let i = 0; i < 64; i++) {
    const p = join(cur, 'pyproject.toml');
    if (existsSync(p)) return p;
    if (root && cur === root) return undefined;
    const up = dirname(cur);
    if (up === cur) return undefined;
    cur = up;
  }
  return undefined;
}

function parseToolSection(text: string): LintConfig | undefined {
  return parseConfig(text).config;
}

/** The parsed `[tool.tensorlens]` table for a file, or undefined (none, unreadable, or no parser yet). */
export function projectConfigFor(filePath: string | undefined, root?: string): LintConfig | undefined {
  if (!filePath) return undefined;
  const p = findPyproject(dirname(filePath), root);
  if (!p) return undefined;
  try {
    const mtimeMs = statSync(p).mtimeMs;
    const hit = cache.get(p);
    if (hit && hit.mtimeMs === mtimeMs) return hit.config;
    const config = parseToolSection(readFileSync(p, 'utf8'));
    cache.set(p, { mtimeMs, config });
    return config;
  } catch {
    return undefined;
  }
}

/**
 * Extra roots for absolute imports from `[tool.tensorlens] roots = ["src"]`, as absolute
 * folders: each entry is relative to the folder of the pyproject.toml that sets it. A
 * malformed setting gives none (parseConfig reports it).
 */
export function importRootsFor(filePath: string, root?: string): string[] {
  const p = findPyproject(dirname(filePath), root);
  if (!p) return [];
  const roots = projectConfigFor(filePath, root)?.roots ?? [];
  return roots.map((r) => resolve(dirname(p), r));
}

/** The `tensorlens.lint.*` settings as a LintConfig: only the known keys, with the right types. */
export function editorLintConfig(lint: Record<string, unknown> | undefined): LintConfig {
  if (!lint) return {};
  const strings = (v: unknown) => (Array.isArray(v) && v.every((x) => typeof x === 'string') && v.length ? (v as string[]) : undefined);
  const out: LintConfig = {};
  const select = strings(lint.select);
  const ignore = strings(lint.ignore);
  if (select) out.select = select;
  if (ignore) out.ignore = ignore;
  if (lint.severity && typeof lint.severity === 'object') out.severity = lint.severity as LintConfig['severity'];
  if (lint.versions && typeof lint.versions === 'object') out.versions = lint.versions as LintConfig['versions'];
  return out;
}

/** Editor lint settings with the project's table on top. */
export function mergeLintConfig(editor: Record<string, unknown> | undefined, project: LintConfig | undefined): LintConfig {
  return mergeConfig(editorLintConfig(editor), project);
}
