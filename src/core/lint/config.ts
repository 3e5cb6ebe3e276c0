// Lint configuration: which rules run (select / ignore by code or prefix), severity
// overrides, framework versions and input shapes, read from `[tool.tensorlens]` in
// pyproject.toml text. The host finds the file; this module only parses text and never throws.

import { parse as parseToml } from 'smol-toml';
import type { Severity } from '../summary/types';

export type SeverityOverride = Severity | 'off';

export interface LintConfig {
  /** Codes or prefixes to run (`DL1`, `DL101`); absent = every rule. Selecting a code also enables its hints. */
  select?: string[];
  /** Codes or prefixes to skip; wins over select. */
  ignore?: string[];
  /** Per-code severity (`{ DL107: 'hint' }`); 'off' disables the rule. */
  severity?: Record<string, SeverityOverride>;
  /** Framework versions for version-dependent rules (`torch = "2.3"`). */
  versions?: { torch?: string; tensorflow?: string; keras?: string };
  /** Input shapes by model name (or '*' for all), as in `[tool.tensorlens.input-shapes]`. */
  inputShapes?: Record<string, Array<Array<number | null>>>;
  /**
   * Extra import roots (`roots = ["src", "third_party/lib"]`), searched like sys.path for
   * absolute imports; relative to the pyproject.toml's folder (the host resolves them).
   */
  roots?: string[];
  /** Opt-in rule profiles (`profile = "reproducible"`): their hint-level rules are shown and apply to every file (PROFILE_RULES). */
  profile?: string[];
}

/** The hint-level rules each profile turns on (pitfalls.md: DL505 is the reproducibility profile's). */
export const PROFILE_RULES: Readonly<Record<string, readonly string[]>> = { reproducible: ['DL505'] };

const SEVERITIES: readonly SeverityOverride[] = ['error', 'warning', 'information', 'hint', 'off'];
const CODE = /^DL\d{0,3}$/i;

export const DEFAULT_CONFIG: LintConfig = {};

/** Reads `[tool.tensorlens]` from pyproject.toml text. Malformed input gives errors and the defaults. */
export function parseConfig(tomlText: string): { config: LintConfig; errors: string[] } {
  const errors: string[] = [];
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(tomlText) as Record<string, unknown>;
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    return { config: {}, errors: [`pyproject.toml is not valid TOML: ${msg}`] };
  }
  const tool = doc.tool as Record<string, unknown> | undefined;
  const raw = tool && typeof tool === 'object' ? tool.tensorlens : undefined;
  if (raw === undefined) return { config: {}, errors };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { config: {}, errors: ['[tool.tensorlens] must be a table'] };
  const t = raw as Record<string, unknown>;
  const config: LintConfig = {};
  const codes = (key: string): string[] | undefined => {
    const v = t[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
      errors.push(`[tool.tensorlens] ${key} must be a list of rule codes, e.g. ["DL101"]`);
      return undefined;
    }
    const bad = v.filter((x) => !CODE.test(x));
    if (bad.length) errors.push(`[tool.tensorlens] ${key}: not a rule code or prefix: ${bad.join(', ')}`);
    return v.filter((x) => CODE.test(x)).map((x) => x.toUpperCase());
  };
  config.select = codes('select');
  config.ignore = codes('ignore');
  if (t.severity !== undefined) {
    if (!t.severity || typeof t.severity !== 'object' || Array.isArray(t.severity)) errors.push('[tool.tensorlens] severity must be a table, e.g. severity = { DL107 = "hint" }');
    else {
      config.severity = {};
      for (const [k, v] of Object.entries(t.severity as Record<string, unknown>)) {
        if (!/^DL\d{3}$/i.test(k)) errors.push(`[tool.tensorlens] severity: '${k}' is not a rule code`);
        else if (typeof v !== 'string' || !SEVERITIES.includes(v as SeverityOverride)) errors.push(`[tool.tensorlens] severity.${k} must be one of ${SEVERITIES.join(', ')}`);
        else config.severity[k.toUpperCase()] = v as SeverityOverride;
      }
    }
  }
  for (const fw of ['torch', 'tensorflow', 'keras'] as const) {
    const v = t[fw];
    if (v === undefined) continue;
    if (typeof v !== 'string' || !/^\d+(\.\d+)*/.test(v)) errors.push(`[tool.tensorlens] ${fw} must be a version string, e.g. "2.3"`);
    else (config.versions ??= {})[fw] = v;
  }
  const shapes = t['input-shapes'] ?? t.input_shapes;
  if (shapes !== undefined) {
    if (!shapes || typeof shapes !== 'object' || Array.isArray(shapes)) errors.push('[tool.tensorlens] input-shapes must be a table of model name -> shape list');
    else {
      config.inputShapes = {};
      for (const [model, v] of Object.entries(shapes as Record<string, unknown>)) {
        const list = Array.isArray(v) && v.length && Array.isArray(v[0]) ? v : [v];
        const ok = list.every((s) => Array.isArray(s) && s.every((d) => (typeof d === 'number' && Number.isInteger(d) && d >= 0) || d === 'None' || d === null));
        if (!ok) errors.push(`[tool.tensorlens] input-shapes.${model} must be a shape such as [1, 3, 224, 224] (use "None" for a free batch dim)`);
        else config.inputShapes[model] = (list as unknown[][]).map((s) => s.map((d) => (typeof d === 'number' ? d : null)));
      }
    }
  }
  if (t.profile !== undefined) {
    const v = typeof t.profile === 'string' ? [t.profile] : t.profile;
    const known = Object.keys(PROFILE_RULES);
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && known.includes(x))) {
      errors.push(`[tool.tensorlens] profile must be one of ${known.map((k) => `"${k}"`).join(', ')} (or a list of them)`);
    } else config.profile = v as string[];
  }
  if (t.roots !== undefined) {
    const v = t.roots;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x.trim() !== '')) {
      errors.push('[tool.tensorlens] roots must be a list of folder paths relative to pyproject.toml, e.g. roots = ["src"]');
    } else config.roots = v as string[];
  }
  return { config, errors };
}

/** Whether a code matches a list of codes / prefixes. */
export function matchesCode(code: string, patterns: readonly string[] | undefined): boolean {
  return !!patterns && patterns.some((p) => code.startsWith(p.toUpperCase()));
}

/** Merges configs left to right (later wins per key); lists are replaced, severity maps merged. */
export function mergeConfig(...cs: Array<LintConfig | undefined>): LintConfig {
  const out: LintConfig = {};
  for (const c of cs) {
    if (!c) continue;
    if (c.select) out.select = c.select;
    if (c.ignore) out.ignore = c.ignore;
    if (c.severity) out.severity = { ...out.severity, ...c.severity };
    if (c.versions) out.versions = { ...out.versions, ...c.versions };
    if (c.inputShapes) out.inputShapes = { ...out.inputShapes, ...c.inputShapes };
    if (c.roots) out.roots = c.roots;
    if (c.profile) out.profile = c.profile;
  }
  return out;
}
