// paramShapes of the torch.nn layers with parameters: names, order and shapes exactly as
// torch 1.13's named_parameters() lists them, and their sizes add up to the parameter count.

import { describe, expect, it } from 'vitest';
import { prodDims } from '../../../src/core/shapes/dim';
import { type Py, layerArgs, spec } from './helpers';
import { TORCH_PARAM_SHAPES } from './torch113-params';

describe('torch layer paramShapes against named_parameters()', () => {
  for (const c of TORCH_PARAM_SHAPES) {
    it(`${c.layer}(${JSON.stringify(c.args).slice(1, -1)}${Object.keys(c.kwargs).length ? `, ${JSON.stringify(c.kwargs)}` : ''})`, () => {
      const s = spec(c.layer);
      const a = layerArgs(s, c.args as Py[], c.kwargs as Record<string, Py>);
      expect(s.paramShapes, `${c.layer} has paramShapes`).toBeDefined();
      const shapes = s.paramShapes!(a);
      expect(Object.entries(shapes)).toEqual(c.params);
      const total = Object.values(shapes).reduce((n, sh) => n + (prodDims(sh) as number), 0);
      expect(total).toBe(s.params(a).trainable);
    });
  }
});
