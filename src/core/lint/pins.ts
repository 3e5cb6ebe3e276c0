// Framework versions a project pins, read from the texts of its dependency files
// (requirements*.txt, pyproject.toml, setup.cfg, environment.yml) for the version-dependent
// rules (DL119, DL501, ...). Only exact pins count (`torch==1.13.0`, `torch~=2.1`, conda's
// `pytorch=1.13`): a range says no one version. The host finds the files; this module only
// parses text and never throws.

import { parse as parseToml } from 'smol-toml';
import type { LintConfig } from './config';

export type Versions = NonNullable<LintConfig['versions']>;

/** Distribution names per framework (pip and conda spellings). */
const DISTRIBUTIONS: Record<string, keyof Versions> = {
  torch: 'torch', pytorch: 'torch',
  tensorflow: 'tensorflow', 'tensorflow-cpu': 'tensorflow', 'tensorflow-gpu': 'tensorflow', 'tensorflow-macos': 'tensorflow', 'tensorflow-intel': 'tensorflow',
  keras: 'keras',
};

/**
 * One requirement (`torch==1.13.0+cu117 ; python_version >= "3.8"`, `pytorch=1.13`): the
 * framework and its exact version, or undefined (another package, a range, no version).
 */
export function parseRequirement(line: string): { framework: keyof Versions; version: string } | undefined {
  const spec = line.replace(/#.*/, '').split(';')[0].trim();
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$/.exec(spec);
  if (!m) return undefined;
  const framework = DISTRIBUTIONS[m[1].toLowerCase().replace(/_/g, '-')];
  if (!framework) return undefined;
  const rest = m[3].trim();
  // ==X, ===X, ~=X, conda's =X (one clause: a comma makes it a range).
  // (conda may add a build string: `pytorch=1.13.1=py3.10_cuda11.7`).
  const pin = /^(?:===?|~=|=)\s*v?(\d+(?:\.\d+)*)(?:\.\*)?(?:[+-][A-Za-z0-9.]*)?(?:=\S+)?$/.exec(rest);
  return pin ? { framework, version: pin[1] } : undefined;
}

/** Pins in requirements*.txt text (one requirement a line; `-r`, options and URLs are skipped). */
export function pinsFromRequirements(text: string): Versions {
  return collect(text.split(/\r?\n/).filter((l) => !/^\s*-/.test(l)));
}

/** Pins in environment.yml text: its `dependencies:` entries and their `pip:` list. */
export function pinsFromEnvironmentYml(text: string): Versions {
  const lines = text.split(/\r?\n/).map((l) => /^\s*-\s*(?:[\w.-]+::)?([^:\s#][^#]*)$/.exec(l)?.[1]?.trim()).filter((l): l is string => !!l);
  return collect(lines);
}

/** Pins in setup.cfg text: the lines of `install_requires =`. */
export function pinsFromSetupCfg(text: string): Versions {
  const lines: string[] = [];
  let inside = false;
  for (const raw of text.split(/\r?\n/)) {
    const m = /^install_requires\s*=\s*(.*)$/.exec(raw.trim());
    if (m) {
      inside = true;
      if (m[1]) lines.push(m[1]);
      continue;
    }
    if (inside && /^\s+\S/.test(raw)) lines.push(raw.trim());
    else if (inside && raw.trim()) inside = false;
  }
  return collect(lines);
}

/** Pins in pyproject.toml text: `[project] dependencies`, optional dependencies and Poetry's tables. */
export function pinsFromPyproject(text: string): Versions {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch {
    return {};
  }
  const lines: string[] = [];
  const project = doc.project as Record<string, unknown> | undefined;
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  lines.push(...strings(project?.dependencies));
  const optional = project?.['optional-dependencies'];
  if (optional && typeof optional === 'object') for (const v of Object.values(optional)) lines.push(...strings(v));
  const poetry = ((doc.tool as Record<string, unknown> | undefined)?.poetry ?? {}) as Record<string, unknown>;
  for (const table of [poetry.dependencies, (poetry.group as Record<string, { dependencies?: unknown }> | undefined)?.main?.dependencies]) {
    if (!table || typeof table !== 'object') continue;
    for (const [name, v] of Object.entries(table)) {
      const version = typeof v === 'string' ? v : v && typeof v === 'object' && typeof (v as { version?: unknown }).version === 'string' ? (v as { version: string }).version : undefined;
      // Poetry writes a bare version for an exact pin; ^ and ~ are ranges.
      if (version && /^\d/.test(version)) lines.push(`${name}==${version}`);
      else if (version) lines.push(`${name}${version}`);
    }
  }
  return collect(lines);
}

/** Compares dotted versions (a pin, a rule's version) numerically: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/).map((x) => parseInt(x, 10) || 0);
  const pb = b.split(/[.+-]/).map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

function collect(lines: string[]): Versions {
  const out: Versions = {};
  for (const l of lines) {
    const r = parseRequirement(l);
    if (r && !out[r.framework]) out[r.framework] = r.version;
  }
  return out;
}
