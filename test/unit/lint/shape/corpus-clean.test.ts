// Precision: the DL4xx rules report nothing on the project's correct model corpora (torch
// oracle models checked against torch 1.13, Keras golden fixtures, the shared corpus).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHAPE_RULES } from './rules';
import { lint } from './helpers';

const root = join(__dirname, '..', '..', '..', '..');
const dirs = [join(root, 'test', 'oracle', 'models'), join(root, 'test', 'fixtures', 'keras'), '/work/shared/corpus'];
const files = dirs.filter((d) => existsSync(d)).flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.py')).sort().map((f) => join(d, f)));

describe('DL4xx rules stay quiet on correct models', () => {
  it('has models to check', () => {
    expect(files.length).toBeGreaterThan(40);
  });
  for (const file of files) {
    it(file.replace(root, '').replace('/work/shared/', ''), async () => {
      const text = readFileSync(file, 'utf8');
      const found: string[] = [];
      for (const rule of SHAPE_RULES) for (const f of await lint(rule, text, { fileName: file })) found.push(`${f.code} ${f.range.line + 1}: ${f.message}`);
      expect(found).toEqual([]);
    });
  }
});
