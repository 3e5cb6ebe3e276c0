// DL506: `.cuda()` and "cuda" device literals in a file that never checks
// torch.cuda.is_available() and has no configurable device: crashes on CPU-only machines.

import type { Node } from '../../python/ast';
import type { Rule } from '../types';
import { argOf, kwArg, methodName, strOf, walkAll } from './shared-ast';

const CUDA = /^cuda(:\d+)?$/;

export const dl506: Rule = {
  meta: {
    code: 'DL506',
    name: 'hardcoded-cuda-device',
    frameworks: ['pytorch'],
    severity: 'information',
    docs:
      '`.cuda()` and `"cuda"` device literals crash on CPU-only and Apple-silicon machines ("Torch not compiled with CUDA enabled") and pin jobs to GPU 0. ' +
      'Pick the device once (`torch.device("cuda" if torch.cuda.is_available() else "cpu")`) and use `.to(device)`.',
    fix: 'no',
    needs: ['cuda', 'to', 'device'],
  },
  check(ctx) {
    if (![...ctx.imports.values()].some((p) => p === 'torch' || p.startsWith('torch.'))) return;
    // Any device check or configurable device: the author handles portability.
    let configurable = false;
    walkAll(ctx.module.body, (n) => {
      if (n.t === 'Attr' && /^(is_available|device_count)$/.test(n.attr)) configurable = true;
      if (n.t === 'FunctionDef' && n.params.some((p) => /device|gpu|cuda/i.test(p.name))) configurable = true;
      if (n.t === 'Str' && /^--?(device|gpu|cuda|no[-_]cuda)/i.test(n.v)) configurable = true;
      if (n.t === 'Attr' && /^(device|gpu|gpus|cuda|use_cuda)$/.test(n.attr) && n.obj.t === 'Name' && /^(args|opt|opts|cfg|config|conf|hparams|flags|FLAGS|params)$/.test(n.obj.id)) configurable = true;
      if (n.t === 'Name' && /^(accelerator|fabric|trainer)$/.test(n.id)) configurable = true;
    }, ['Attr', 'FunctionDef', 'Str', 'Name']);
    if (configurable) return;
    const hits: Node[] = [];
    walkAll(ctx.module.body, (n) => {
      if (n.t !== 'Call') return;
      const m = methodName(n);
      if (m === 'cuda' && n.fn.t === 'Attr' && n.args.length <= 1) hits.push(n);
      else if (m === 'to' && CUDA.test(strOf(argOf(n, 'device', 0)) ?? '')) hits.push(n);
      else if (ctx.qualifiedName(n.fn) === 'torch.device' && CUDA.test(strOf(argOf(n, 'type', 0)) ?? '')) hits.push(n);
      else if (CUDA.test(strOf(kwArg(n, 'device')) ?? '')) hits.push(n);
    }, ['Call']);
    for (const h of hits) {
      ctx.report({ node: h, message: 'Hard-coded CUDA device with no torch.cuda.is_available() check: this crashes on CPU-only machines. Choose the device once and use .to(device).' });
    }
  },
};
