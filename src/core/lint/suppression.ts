// In-source suppression: `# noqa` (every rule) or `# noqa: DL101,DL102` on the reported
// line, and file-level `# tensorlens: disable=DL503,DL101` (or `disable=all`) anywhere in
// the file. Read from the comments the parser already collected.

import type { Module } from '../python/ast';

export interface Suppressions {
  /** 0-based line -> codes suppressed there ('*' = all). */
  lines: Map<number, Set<string>>;
  /** Codes disabled for the whole file ('*' = all). */
  file: Set<string>;
}

const NOQA = /#\s*noqa(?::\s*([A-Za-z]+\d+(?:[\s,]+[A-Za-z]+\d+)*))?/i;
const DISABLE = /#\s*tensorlens:\s*disable\s*=\s*([A-Za-z0-9,\s]+)/i;

export function collectSuppressions(mod: Module): Suppressions {
  const lines = new Map<number, Set<string>>();
  const file = new Set<string>();
  for (const c of mod.comments) {
    const d = DISABLE.exec(c.text);
    if (d) {
      for (const code of d[1].split(/[\s,]+/).filter(Boolean)) file.add(code.toLowerCase() === 'all' ? '*' : code.toUpperCase());
      continue;
    }
    const m = NOQA.exec(c.text);
    if (!m) continue;
    const set = lines.get(c.line) ?? new Set<string>();
    if (m[1]) for (const code of m[1].split(/[\s,]+/).filter(Boolean)) set.add(code.toUpperCase());
    else set.add('*');
    lines.set(c.line, set);
  }
  return { lines, file };
}

export function isSuppressed(s: Suppressions, code: string, line: number): boolean {
  if (s.file.has('*') || s.file.has(code)) return true;
  const l = s.lines.get(line);
  return !!l && (l.has('*') || l.has(code));
}
