// The lint engine: rule isolation, select / ignore / severity, hints, suppressions,
// fix application, and the TOML configuration.
import { beforeAll, describe, expect, it } from 'vitest';
import { applyFixes } from '../../../src/core/lint/engine';
import { parseConfig } from '../../../src/core/lint/config';
import { RULES } from '../../../src/core/lint/registry';
import type { Rule } from '../../../src/core/lint/types';
import { dedent, initParser, lintText } from './helpers';

beforeAll(async () => {
  await initParser();
});

const BAD = dedent(`
  import torch
  import torch.nn as nn
  emb = torch.zeros(100, 16)
  emb.require_grad = True
  model = nn.Linear(2, 2)
  model.eval
`);

describe('lint engine', () => {
  it('runs the registered rules and sorts findings by position', () => {
    const { findings } = lintText(BAD);
    expect(findings.map((f) => [f.code, f.range.line + 1])).toEqual([['DL118', 4], ['DL108', 6]]);
  });

  it('isolates a throwing rule: logged in the notes, the others still report', () => {
    const boom: Rule = { meta: { ...RULES[0].meta, needs: undefined, code: 'DL999', name: 'boom' }, check: () => { throw new Error('kaboom'); } };
    const { findings, notes } = lintText(BAD, {}, [boom, ...RULES]);
    expect(notes.some((n) => n.includes('DL999') && n.includes('kaboom'))).toBe(true);
    expect(findings.map((f) => f.code)).toEqual(['DL118', 'DL108']);
  });

  it('applies select (codes and prefixes), ignore and severity overrides', () => {
    expect(lintText(BAD, { select: ['DL118'] }).findings.map((f) => f.code)).toEqual(['DL118']);
    expect(lintText(BAD, { select: ['DL10'] }).findings.map((f) => f.code)).toEqual(['DL108']);
    expect(lintText(BAD, { ignore: ['DL108'] }).findings.map((f) => f.code)).toEqual(['DL118']);
    expect(lintText(BAD, { severity: { DL108: 'off' } }).findings.map((f) => f.code)).toEqual(['DL118']);
    expect(lintText(BAD, { severity: { DL118: 'information' } }).findings[0].severity).toBe('information');
  });

  it('drops hints unless the rule is selected', () => {
    const text = dedent(`
      import torch.nn as nn
      up = nn.UpsamplingNearest2d(scale_factor=2)
    `);
    expect(lintText(text).findings).toEqual([]);
    expect(lintText(text, { select: ['DL119'] }).findings.map((f) => f.severity)).toEqual(['hint']);
  });

  it('profile = "reproducible" shows DL505 and applies it to files that do not seed', () => {
    const unseeded = dedent(`
      import torch
      torch.backends.cudnn.benchmark = True
    `);
    expect(lintText(unseeded).findings).toEqual([]);
    expect(lintText(unseeded, { select: ['DL505'] }).findings).toEqual([]);
    const { config, errors } = parseConfig('[tool.tensorlens]\nprofile = "reproducible"\n');
    expect(errors).toEqual([]);
    expect(config.profile).toEqual(['reproducible']);
    expect(lintText(unseeded, config).findings.map((f) => [f.code, f.severity, f.range.line])).toEqual([['DL505', 'hint', 1]]);
    // Other hints stay off under the profile.
    expect(lintText('import torch.nn as nn\nup = nn.UpsamplingNearest2d(scale_factor=2)\n', config).findings).toEqual([]);
    expect(parseConfig('[tool.tensorlens]\nprofile = ["reproducible"]\n').config.profile).toEqual(['reproducible']);
    expect(parseConfig('[tool.tensorlens]\nprofile = "fast"\n').errors[0]).toMatch(/profile must be one of "reproducible"/);
  });

  it('honours # noqa, # noqa: CODES and file-level disables', () => {
    const t = BAD.replace('emb.require_grad = True', 'emb.require_grad = True  # noqa: DL118').replace('model.eval', 'model.eval  # noqa');
    expect(lintText(t).findings).toEqual([]);
    const other = BAD.replace('emb.require_grad = True', 'emb.require_grad = True  # noqa: DL101');
    expect(lintText(other).findings.map((f) => f.code)).toEqual(['DL118', 'DL108']);
    expect(lintText('# tensorlens: disable=DL108\n' + BAD).findings.map((f) => f.code)).toEqual(['DL118']);
    expect(lintText('# tensorlens: disable=all\n' + BAD).findings).toEqual([]);
  });

  it('applies safe fixes and skips overlapping edits', () => {
    const { findings } = lintText(BAD);
    const { text, applied } = applyFixes(BAD, findings);
    expect(applied).toBe(2);
    expect(text).toContain('emb.requires_grad = True');
    expect(text).toContain('model.eval()');
    expect(lintText(text).findings).toEqual([]);
    const clash = [findings[0], { ...findings[0], fix: { title: 'x', edits: [{ ...findings[0].fix!.edits[0], newText: 'other' }] } }];
    expect(applyFixes(BAD, clash).applied).toBe(1);
  });

  it('returns nothing for unparsed files', () => {
    expect(lintText('').findings).toEqual([]);
  });
});

describe('parseConfig', () => {
  it('reads [tool.tensorlens] select / ignore / severity / versions / input shapes', () => {
    const { config, errors } = parseConfig(`
[project]
name = "x"

[tool.tensorlens]
select = ["DL1", "dl203"]
ignore = ["DL506"]
severity = { DL107 = "hint", DL104 = "error" }
torch = "2.3"

[tool.tensorlens.input-shapes]
Net = [1, 3, 224, 224]
"*" = [["None", 28, 28, 1]]
`);
    expect(errors).toEqual([]);
    expect(config).toEqual({
      select: ['DL1', 'DL203'], ignore: ['DL506'], severity: { DL107: 'hint', DL104: 'error' }, versions: { torch: '2.3' },
      inputShapes: { Net: [[1, 3, 224, 224]], '*': [[null, 28, 28, 1]] },
    });
  });
  it('reports malformed TOML and bad values with defaults, never throwing', () => {
    const bad = parseConfig('[tool.tensorlens\nselect = [');
    expect(bad.config).toEqual({});
    expect(bad.errors[0]).toMatch(/not valid TOML/);
    const vals = parseConfig('[tool.tensorlens]\nselect = "DL101"\nseverity = { DL101 = "loud", X1 = "hint" }\ntorch = 2');
    expect(vals.errors).toHaveLength(4);
    expect(vals.config.select).toBeUndefined();
    expect(parseConfig('[tool.other]\nx = 1').config).toEqual({});
  });
});
