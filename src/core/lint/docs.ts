// Renders the rule reference (docs/rules.md) from the rule metadata, so the docs can
// never drift from the code. Used by scripts/gen-rule-docs.mjs and the docs test.

import { NOT_IMPLEMENTED, RULES } from './registry';
import type { Rule } from './types';

const FIX_TEXT: Record<Rule['meta']['fix'], string> = { yes: 'yes (safe)', offered: 'offered (review)', no: 'no' };

export function renderRulesMarkdown(rules: readonly Rule[] = RULES, notImplemented = NOT_IMPLEMENTED): string {
  const sorted = [...rules].sort((a, b) => a.meta.code.localeCompare(b.meta.code));
  const out: string[] = [
    '# TensorLens lint rules',
    '',
    '<!-- Generated from the rule metadata by `npm run docs:rules` (scripts/gen-rule-docs.mjs). Do not edit by hand. -->',
    '',
    'Configure with `[tool.tensorlens]` in `pyproject.toml` (`select`, `ignore`, `severity = { DL107 = "hint" }`) or the',
    '`tensorlens.lint.*` settings; suppress one line with `# noqa: DL101` (or `# noqa`), a whole file with',
    '`# tensorlens: disable=DL503`. Hints are shown only for selected rules.',
    '',
    '| code | name | frameworks | default severity | quick fix |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const r of sorted) out.push(`| [${r.meta.code}](#${r.meta.code.toLowerCase()}) | \`${r.meta.name}\` | ${r.meta.frameworks.join(', ')} | ${r.meta.severity} | ${FIX_TEXT[r.meta.fix]} |`);
  for (const r of sorted) {
    out.push('', `## ${r.meta.code}`, '', `**\`${r.meta.name}\`** · ${r.meta.severity} · ${r.meta.frameworks.join(', ')} · quick fix: ${FIX_TEXT[r.meta.fix]}`, '', r.meta.docs);
  }
  if (notImplemented.length) {
    out.push('', '## Not implemented', '', '| code | name | reason |', '| --- | --- | --- |');
    for (const n of notImplemented) out.push(`| ${n.code} | \`${n.name}\` | not implemented: ${n.reason} |`);
  }
  return out.join('\n') + '\n';
}

/** The `tensorlens.lint.*` settings of package.json `contributes.configuration`, generated from the rules. */
export function lintSettingsSchema(rules: readonly Rule[] = RULES): Record<string, unknown> {
  const codes = [...rules].map((r) => r.meta.code).sort();
  const levels = ['error', 'warning', 'information', 'hint', 'off'];
  const properties: Record<string, unknown> = {};
  for (const r of [...rules].sort((a, b) => a.meta.code.localeCompare(b.meta.code))) {
    properties[r.meta.code] = { type: 'string', enum: levels, markdownDescription: `\`${r.meta.name}\` (default: ${r.meta.severity}).` };
  }
  return {
    'tensorlens.lint.select': {
      type: 'array', items: { type: 'string', pattern: '^DL\\d{0,3}$' }, default: [], scope: 'resource',
      markdownDescription: `Rule codes or prefixes to run (\`DL1\` = all PyTorch rules, \`DL101\` = one rule). Empty: every rule. Selecting a rule also shows its hints. \`[tool.tensorlens] select\` in \`pyproject.toml\` takes precedence. Codes: ${codes.map((c) => `\`${c}\``).join(', ')}; see docs/rules.md.`,
    },
    'tensorlens.lint.ignore': {
      type: 'array', items: { type: 'string', pattern: '^DL\\d{0,3}$' }, default: [], scope: 'resource',
      markdownDescription: 'Rule codes or prefixes never to run (wins over `#tensorlens.lint.select#`), e.g. `["DL506", "DL5"]`. Suppress a single line with `# noqa: DL101`.',
    },
    'tensorlens.lint.severity': {
      type: 'object', default: {}, scope: 'resource', additionalProperties: false, properties,
      markdownDescription: 'Severity per rule code, overriding the default: `error`, `warning`, `information`, `hint` (shown only for selected rules) or `off`. Example: `{ "DL107": "hint" }`.',
    },
  };
}
