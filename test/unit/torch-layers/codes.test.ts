// Every ShapeError the torch and Keras layer specs throw carries its DL4xx code (the
// source is scanned), and each code is thrown where pitfalls.md §4 says it belongs.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../../src/core/frameworks/spec';
import { tensor, tuple } from '../../../src/core/eval/values';
import { type Py, run } from './helpers';

const ROOT = join(__dirname, '..', '..', '..', 'src', 'core', 'frameworks');
const FOLDERS = [join(ROOT, 'torch', 'layers'), join(ROOT, 'keras', 'layers')];
const CODES = new Set(Array.from({ length: 12 }, (_, i) => `DL4${String(i + 1).padStart(2, '0')}`));

/** The top-level arguments of each `new ShapeError(...)` in a source text (strings and nesting skipped). */
function shapeErrorCalls(text: string): Array<{ line: number; args: string[] }> {
  const out: Array<{ line: number; args: string[] }> = [];
  const re = /new ShapeError\(/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let depth = 1;
    let i = m.index + m[0].length;
    let cur = '';
    const args: string[] = [];
    let quote: string | null = null;
    let tmplDepth = 0;
    for (; i < text.length && depth > 0; i++) {
      const c = text[i];
      if (quote) {
        cur += c;
        if (c === '\\') cur += text[++i];
        else if (quote === '`' && c === '$' && text[i + 1] === '{') tmplDepth++;
        else if (quote === '`' && c === '}' && tmplDepth > 0) tmplDepth--;
        else if (c === quote && tmplDepth === 0) quote = null;
        continue;
      }
      if (c === "'" || c === '"' || c === '`') quote = c;
      if (c === '(' || c === '[' || c === '{') depth++;
      if (c === ')' || c === ']' || c === '}') depth--;
      if (depth === 0) break;
      if (c === ',' && depth === 1) {
        args.push(cur.trim());
        cur = '';
      } else cur += c;
    }
    if (cur.trim()) args.push(cur.trim());
    out.push({ line: text.slice(0, m.index).split('\n').length, args });
  }
  return out;
}

describe('ShapeError codes in the layer specs', () => {
  const files = FOLDERS.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.ts')).map((f) => join(d, f)));

  it('scans a real number of throws', () => {
    const n = files.reduce((s, f) => s + shapeErrorCalls(readFileSync(f, 'utf8')).length, 0);
    expect(n).toBeGreaterThan(80);
  });

  for (const f of files) {
    it(`every new ShapeError in ${f.slice(ROOT.length + 1)} has a DL4xx code`, () => {
      const bad: string[] = [];
      for (const c of shapeErrorCalls(readFileSync(f, 'utf8'))) {
        const code = c.args[1];
        // A literal code must be one of the twelve; otherwise a variable that carries one (`code`, `e.code ?? 'DL406'`),
        // or UNPROVEN_SHAPE (an input not known: an Unknown result, no diagnostic).
        const literal = code?.match(/^'(DL\d+)'$/)?.[1];
        if (!code || (literal ? !CODES.has(literal) : !/code|^UNPROVEN_SHAPE$/.test(code))) bad.push(`line ${c.line}: ${c.args[0]?.slice(0, 60)}`);
      }
      expect(bad).toEqual([]);
    });
  }
});

function codeOf(layer: string, args: Py[], kwargs: Record<string, Py>, inputs: Parameters<typeof run>[3]): string | undefined {
  try {
    run(layer, args, kwargs, inputs);
  } catch (e) {
    if (e instanceof ShapeError) return e.code;
    throw e;
  }
  return undefined;
}

describe('torch spec codes per rule', () => {
  it('DL401: Linear / RNN / MultiheadAttention feature sizes', () => {
    expect(codeOf('Linear', [200, 10], {}, [[4, 300]])).toBe('DL401');
    expect(codeOf('LSTM', [32, 64], {}, [[5, 4, 16]])).toBe('DL401');
    expect(codeOf('MultiheadAttention', [32, 4], {}, [[5, 2, 16], [5, 2, 16], [5, 2, 16]])).toBe('DL401');
  });

  it('DL402: conv in_channels, norm widths, groups, PReLU', () => {
    expect(codeOf('Conv2d', [64, 8, 3], {}, [[1, 32, 9, 9]])).toBe('DL402');
    expect(codeOf('BatchNorm2d', [32], {}, [[1, 64, 9, 9]])).toBe('DL402');
    expect(codeOf('GroupNorm', [4, 30], {}, [[1, 30, 9]])).toBe('DL402');
    expect(codeOf('LayerNorm', [[16]], {}, [[2, 8]])).toBe('DL402');
    expect(codeOf('Conv2d', [6, 8, 3], { groups: 4 }, [[1, 6, 9, 9]])).toBe('DL402');
    expect(codeOf('PReLU', [8], {}, [[2, 4, 5]])).toBe('DL402');
  });

  it('DL403: a 4-D map into Linear(C·H·W), concrete and symbolic', () => {
    expect(codeOf('Linear', [8 * 13 * 13, 10], {}, [[4, 8, 13, 13]])).toBe('DL403');
    expect(codeOf('Linear', [100, 10], {}, [[4, 8, 13, 13]])).toBe('DL403');
    expect(codeOf('Linear', [60, 10], {}, [[4, 3, 20]])).toBe('DL403');
    expect(codeOf('Linear', [64, 10], {}, [[4, 3, 20]])).toBe('DL401');
    expect(codeOf('Linear', [13, 10], {}, [[4, 8, 13, 13]])).toBeUndefined();
    // in_features is the last dim: size-1 leading dims (x.unsqueeze(1), x[:, None]) are fine
    // though the per-sample count then equals in_features too (torch 1.13: [2, 1, 6] -> [2, 1, 3]).
    expect(codeOf('Linear', [6, 3], {}, [[2, 1, 6]])).toBeUndefined();
    expect(codeOf('Linear', [6, 3], {}, [[2, 1, 1, 6]])).toBeUndefined();
  });

  it('DL404: a Flatten output of another size, Unflatten, Fold', () => {
    const flat = run('Flatten', [], {}, [[50, 16, 4, 4]]).output;
    expect(codeOf('Linear', [400, 10], {}, [flat])).toBe('DL404');
    const dropped = run('Dropout', [], {}, [flat]).output;
    expect(codeOf('Linear', [400, 10], {}, [dropped])).toBe('DL404');
    expect(codeOf('Unflatten', [1, [5, 2]], {}, [[3, 12]])).toBe('DL404');
    expect(codeOf('Fold', [[8, 8], 2], { stride: 2 }, [[1, 12, 15]])).toBe('DL404');
  });

  it('DL405: spatial sizes that collapse', () => {
    expect(codeOf('Conv2d', [3, 8, 5], {}, [[1, 3, 4, 4]])).toBe('DL405');
    expect(codeOf('MaxPool2d', [3], {}, [[1, 3, 2, 2]])).toBe('DL405');
    expect(codeOf('ReflectionPad1d', [4], {}, [[1, 2, 3]])).toBe('DL405');
  });

  it('DL406: ranks', () => {
    expect(codeOf('BatchNorm1d', [16], {}, [[1, 16, 4, 4]])).toBe('DL406');
    expect(codeOf('Conv2d', [3, 8, 3], {}, [[3, 8]])).toBe('DL406');
    expect(codeOf('LSTM', [8, 16], {}, [[1, 2, 3, 8]])).toBe('DL406');
  });

  it('DL407: the tuple of an LSTM / GRU passed on; other tuples are DL406', () => {
    const lstm = run('LSTM', [8, 16], {}, [[5, 2, 8]]).output;
    expect(codeOf('Linear', [16, 4], {}, [lstm])).toBe('DL407');
    const gru = run('GRU', [8, 16], {}, [[5, 2, 8]]).output;
    expect(codeOf('Dropout', [], {}, [gru])).toBe('DL407');
    expect(codeOf('Linear', [16, 4], {}, [tuple([tensor([2, 16]), tensor([2, 16])])])).toBe('DL406');
  });

  it('DL409: heads not dividing embed_dim', () => {
    expect(codeOf('MultiheadAttention', [100, 8], {}, [[5, 2, 100], [5, 2, 100], [5, 2, 100]])).toBe('DL409');
  });

  it('DL410 / DL411: loss targets', () => {
    expect(codeOf('MSELoss', [], {}, [[32, 1], [32]])).toBe('DL410');
    expect(codeOf('CrossEntropyLoss', [], {}, [[8, 2], [8, 10]])).toBe('DL411');
  });

  it('DL412: an NHWC tensor into Conv2d', () => {
    expect(codeOf('Conv2d', [3, 16, 3], {}, [[8, 64, 64, 3]])).toBe('DL412');
    expect(codeOf('Conv2d', [3, 16, 3], {}, [[8, 64, 64, 5]])).toBe('DL402');
  });
});
