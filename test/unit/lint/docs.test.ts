// One source of truth for rule codes: RULES, docs/rules.md and the package.json settings
// schema must agree (regenerate both with `npm run docs:rules`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintSettingsSchema, renderRulesMarkdown } from '../../../src/core/lint/docs';
import { NOT_IMPLEMENTED, RULES } from '../../../src/core/lint/registry';

const root = join(__dirname, '..', '..', '..');
const codes = RULES.map((r) => r.meta.code);

describe('rule codes, docs and settings agree', () => {
  it('RULES is sorted, unique, and every code is DLnnn with a kebab-case name', () => {
    expect([...codes].sort()).toEqual(codes);
    expect(new Set(codes).size).toBe(codes.length);
    for (const r of RULES) {
      expect(r.meta.code).toMatch(/^DL\d{3}$/);
      expect(r.meta.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(r.meta.docs.length).toBeGreaterThan(80);
    }
    expect(codes).toEqual(expect.arrayContaining(Array.from({ length: 21 }, (_, i) => `DL1${String(i + 1).padStart(2, '0')}`)));
  });

  it('docs/rules.md is generated from the metadata and lists every code', () => {
    const md = readFileSync(join(root, 'docs/rules.md'), 'utf8');
    expect(md).toBe(renderRulesMarkdown());
    const documented = [...md.matchAll(/^## (DL\d{3})$/gm)].map((m) => m[1]);
    expect(documented).toEqual(codes);
    for (const n of NOT_IMPLEMENTED) expect(md).toContain(`| ${n.code} |`);
  });

  it('package.json lint settings list exactly the registered codes', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes: { configuration: Array<{ properties: Record<string, unknown> }> } };
    const props = Object.assign({}, ...pkg.contributes.configuration.map((s) => s.properties)) as Record<string, { properties?: Record<string, { enum: string[] }>; markdownDescription?: string }>;
    for (const key of ['tensorlens.lint.select', 'tensorlens.lint.ignore', 'tensorlens.lint.severity']) {
      expect(props[key]?.markdownDescription, key).toBeTruthy();
    }
    const sev = props['tensorlens.lint.severity'].properties!;
    expect(Object.keys(sev).sort()).toEqual([...codes].sort());
    for (const c of codes) expect(sev[c].enum).toEqual(['error', 'warning', 'information', 'hint', 'off']);
    expect(props['tensorlens.lint.severity']).toEqual(lintSettingsSchema()['tensorlens.lint.severity']);
  });
});
