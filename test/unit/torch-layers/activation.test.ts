// torch.nn activation classes: shapes, parameter counts and torchinfo MACs compared with values
// recorded from torch 1.13 (see torch113-cases.ts), plus hand-written edge cases.

import { describe, it } from 'vitest';
import { TORCH_CASES } from './torch113-cases';
import { caseLabel, checkCase } from './helpers';

describe('torch activation layers match torch 1.13', () => {
  for (const c of TORCH_CASES.activation) it(caseLabel(c), () => checkCase(c));
});
