// The torch.nn layer registry: one sorted explicit array, and every constructor signature
// equal to torch 1.13's inspect.signature (names, order, defaults, keyword-only markers).

import { describe, expect, it } from 'vitest';
import { TORCH_LAYERS } from '../../../src/core/frameworks/torch/layers';
import { TORCH_SIGNATURES } from './torch113-cases';

describe('TORCH_LAYERS registry', () => {
  it('is sorted by name, without duplicates', () => {
    const names = TORCH_LAYERS.map((s) => s.name);
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(names.length);
  });

  it('holds torch specs with a one-line doc and a MACs rule', () => {
    for (const s of TORCH_LAYERS) {
      expect(s.framework, s.name).toBe('torch');
      expect(s.doc.length, s.name).toBeGreaterThan(10);
      expect(s.doc, s.name).not.toContain('\n');
      expect(typeof s.macs, s.name).toBe('function');
    }
  });

  it('covers every class whose signature was recorded from torch', () => {
    const names = new Set(TORCH_LAYERS.map((s) => s.name));
    expect(Object.keys(TORCH_SIGNATURES).filter((n) => !names.has(n))).toEqual([]);
    expect([...names].filter((n) => !(n in TORCH_SIGNATURES))).toEqual([]);
  });

  for (const s of TORCH_LAYERS) {
    it(`${s.name} has torch 1.13's constructor signature`, () => {
      const torchSig = TORCH_SIGNATURES[s.name];
      const ours = s.signature.map((p) => {
        const o: Record<string, unknown> = { name: p.name };
        if (p.star) o.star = p.star;
        if ('default' in p) o.default = p.default;
        if (p.kwOnly) o.kwOnly = true;
        return o;
      });
      expect(ours).toEqual(torchSig);
    });
  }
});
