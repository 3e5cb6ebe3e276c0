// Precision: every registered rule over real, correct deep-learning code (the shared
// corpus, the oracle models, the Keras fixtures and the known-good lint fixtures) must
// report no warning or error. A false positive costs more trust than a missed warning.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lintText } from './helpers';

const root = join(__dirname, '..', '..', '..');
const dirs = ['/work/shared/corpus', join(root, 'test/oracle/models'), join(root, 'test/fixtures/keras'), join(root, 'test/fixtures/lint/good')];
const files = dirs.filter((d) => existsSync(d)).flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.py')).sort().map((f) => join(d, f)));

beforeAll(async () => {
  await initParser();
});

describe('lint precision on correct code', () => {
  it('has the good fixtures (at least 7 PyTorch scripts)', () => {
    const good = readdirSync(join(root, 'test/fixtures/lint/good')).filter((f) => f.endsWith('.py'));
    expect(good.filter((f) => /import torch/.test(readFileSync(join(root, 'test/fixtures/lint/good', f), 'utf8'))).length).toBeGreaterThanOrEqual(7);
  });
  for (const file of files) {
    it(file.replace(root + '/', ''), () => {
      const { findings, notes } = lintText(readFileSync(file, 'utf8'));
      const bad = findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => `${f.code}@${f.range.line + 1}: ${f.message}`);
      expect(bad).toEqual([]);
      expect(notes.filter((n) => n.startsWith('lint rule'))).toEqual([]);
    });
  }
});
