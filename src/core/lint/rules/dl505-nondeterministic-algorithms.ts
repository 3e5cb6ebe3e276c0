// DL505 (reproducibility profile, hint): a seeded script that enables cuDNN autotuning or
// never asks for deterministic kernels (torch), or seeds TF without op determinism.

import type { Rule } from '../types';
import { isConst, replaceEdit, walkAll } from './shared-ast';
import { seedingCalls } from './shared-repro';

export const dl505: Rule = {
  meta: {
    code: 'DL505',
    name: 'nondeterministic-algorithms',
    frameworks: ['pytorch', 'tensorflow'],
    severity: 'hint',
    docs:
      'Seeds alone do not make GPU runs repeatable: cuDNN autotuning (`cudnn.benchmark = True`) and non-deterministic kernels still vary. ' +
      'Use `torch.use_deterministic_algorithms(True)` (TensorFlow: `tf.config.experimental.enable_op_determinism()`).',
    fix: 'offered',
    needs: ['torch', 'tensorflow', 'keras', 'tf_keras'],
  },
  check(ctx) {
    const seeds = seedingCalls(ctx);
    // Opt-in: a file that seeds, or any file under `[tool.tensorlens] profile = "reproducible"`.
    if (!seeds.length && !ctx.settings.profiles?.includes('reproducible')) return;
    let torchDeterministic = false;
    let tfDeterministic = false;
    walkAll(ctx.module.body, (n) => {
      if (n.t === 'Call') {
        const q = ctx.qualifiedName(n.fn);
        if (q === 'torch.use_deterministic_algorithms' && isConst(n.args[0]?.value, true)) torchDeterministic = true;
        if (q === 'tensorflow.config.experimental.enable_op_determinism' || q === 'keras.config.enable_op_determinism') tfDeterministic = true;
      }
      if (n.t === 'Assign' && isConst(n.value, true) && n.targets.some((t) => ctx.qualifiedName(t) === 'torch.backends.cudnn.deterministic')) torchDeterministic = true;
    }, ['Call', 'Assign']);
    walkAll(ctx.module.body, (n) => {
      if (n.t === 'Assign' && isConst(n.value, true) && n.targets.some((t) => ctx.qualifiedName(t) === 'torch.backends.cudnn.benchmark')) {
        ctx.report({ node: n, message: 'cudnn.benchmark = True lets the autotuner pick different convolution kernels per run, so seeded runs still differ. Set it to False for reproducible runs.', fix: { title: 'Disable cuDNN benchmarking', edits: [replaceEdit(n.value, 'False')] } });
      }
    }, ['Assign']);
    const torchSeed = seeds.find((c) => /^torch\./.test(ctx.qualifiedName(c.fn) ?? ''));
    if (torchSeed && !torchDeterministic) {
      ctx.report({ node: torchSeed, message: 'The script is seeded but non-deterministic CUDA kernels can still change results. Call torch.use_deterministic_algorithms(True) for bit-for-bit runs.' });
    }
    const tfSeed = seeds.find((c) => /^(tensorflow\.|keras\.)/.test(ctx.qualifiedName(c.fn) ?? ''));
    if (tfSeed && !tfDeterministic) {
      ctx.report({ node: tfSeed, message: 'The script is seeded but TensorFlow ops may still be non-deterministic on GPU. Call tf.config.experimental.enable_op_determinism() for bit-for-bit runs.' });
    }
  },
};
