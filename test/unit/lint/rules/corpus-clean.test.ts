// Precision check: the DL2xx / DL3xx / DL5xx rules report nothing on the project's model
// corpora (shared corpus, Keras golden fixtures, torch oracle models) nor on the correct
// Keras / TF training scripts of test/fixtures/lint/good.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES_2_3_5 } from './dl2-3-5-rules';
import { runRule } from './run-rule';

const root = join(__dirname, '..', '..', '..', '..');
const dirs = [join(root, 'test', 'fixtures', 'lint', 'good'), join(root, 'test', 'fixtures', 'keras'), join(root, 'test', 'oracle', 'models'), '/work/shared/corpus'];
// In lint/good only the Keras / TF scripts belong to these rules (the PyTorch ones there are unseeded on purpose of other rules' tests).
const files = dirs
  .filter((d) => existsSync(d))
  .flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.py') && (d !== dirs[0] || /^(keras|tf)_/.test(f))).sort().map((f) => join(d, f)));

describe('DL2xx/DL3xx/DL5xx rules stay quiet on correct code', () => {
  it('has good fixtures to check', () => {
    expect(files.filter((f) => f.startsWith(dirs[0])).length).toBeGreaterThanOrEqual(8);
  });
  for (const file of files) {
    it(file.slice(root.length + 1), async () => {
      const text = readFileSync(file, 'utf8');
      const found: string[] = [];
      // Hint rules (DL505) belong to the opt-in reproducibility profile and are off by default.
      for (const rule of RULES_2_3_5.filter((r) => r.meta.severity !== 'hint')) {
        for (const f of await runRule(rule, text, file)) found.push(`${f.code} ${f.range.line + 1}: ${f.message}`);
      }
      expect(found).toEqual([]);
    });
  }
});
