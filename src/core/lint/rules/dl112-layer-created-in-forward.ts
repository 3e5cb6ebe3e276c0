// DL112: a layer constructed inside forward(): fresh random weights every call that the
// optimizer never sees, and a Dropout that model.eval() cannot reach.

import type { Node } from '../../python/ast';
import { posArgs, walkScope } from '../facts';
import type { Fix, Rule } from '../types';
import { isKerasClass } from './shared-keras';

/** Layers without parameters, buffers or train/eval behaviour. */
const STATELESS = new Set([
  'Identity', 'ReLU', 'ReLU6', 'LeakyReLU', 'ELU', 'SELU', 'CELU', 'GELU', 'SiLU', 'Mish', 'Sigmoid', 'Tanh', 'Softmax', 'LogSoftmax', 'Softmin',
  'Softplus', 'Softsign', 'Hardtanh', 'Hardsigmoid', 'Hardswish', 'Hardshrink', 'Softshrink', 'Tanhshrink', 'Threshold', 'GLU', 'LogSigmoid',
  'Flatten', 'Unflatten', 'MaxPool1d', 'MaxPool2d', 'MaxPool3d', 'AvgPool1d', 'AvgPool2d', 'AvgPool3d', 'AdaptiveAvgPool1d', 'AdaptiveAvgPool2d',
  'AdaptiveAvgPool3d', 'AdaptiveMaxPool1d', 'AdaptiveMaxPool2d', 'AdaptiveMaxPool3d', 'LPPool1d', 'LPPool2d', 'Upsample', 'UpsamplingNearest2d',
  'UpsamplingBilinear2d', 'PixelShuffle', 'PixelUnshuffle', 'ZeroPad1d', 'ZeroPad2d', 'ZeroPad3d', 'ConstantPad1d', 'ConstantPad2d', 'ConstantPad3d',
  'ReflectionPad1d', 'ReflectionPad2d', 'ReflectionPad3d', 'ReplicationPad1d', 'ReplicationPad2d', 'ReplicationPad3d', 'ChannelShuffle', 'Fold', 'Unfold',
  'CosineSimilarity', 'PairwiseDistance',
]);

/** Stateless layers with an exact functional spelling: layer -> (F name, how the constructor argument maps). */
const FUNCTIONAL: Record<string, { fn: string; dimArg?: boolean }> = {
  ReLU: { fn: 'relu' }, GELU: { fn: 'gelu' }, SiLU: { fn: 'silu' }, Mish: { fn: 'mish' }, ELU: { fn: 'elu' }, SELU: { fn: 'selu' },
  Softsign: { fn: 'softsign' }, Tanhshrink: { fn: 'tanhshrink' }, LogSigmoid: { fn: 'logsigmoid' },
  Softmax: { fn: 'softmax', dimArg: true }, LogSoftmax: { fn: 'log_softmax', dimArg: true }, Softmin: { fn: 'softmin', dimArg: true },
};

export const dl112: Rule = {
  meta: {
    code: 'DL112',
    name: 'layer-created-in-forward',
    frameworks: ['pytorch', 'keras'],
    severity: 'error',
    fix: 'yes',
    needs: ['forward', 'call'],
    docs: 'A layer constructed inside `forward` gets fresh random weights on every call that the optimizer never sees (and that stay on the CPU); a `nn.Dropout()` created there ignores `model.eval()`. Error for layers with parameters, buffers or train/eval behaviour, and for `self.x = <layer>` inside `forward`; warning for stateless layers (activations, pooling, `Flatten`), where the fix rewrites `nn.ReLU()(x)` to `F.relu(x)` and `nn.Softmax(dim=d)(x)` to `F.softmax(x, dim=d)`. `torch.nn.functional` calls are never flagged. The same in the `call()` of a Keras layer or model: a `keras.layers` layer built there (error when it has weights or a training behaviour, warning otherwise); `build()` is the place for them.',
  },
  check(ctx) {
    kerasLayersInCall(ctx);
    const facts = ctx.facts;
    const F = facts.localAlias('torch.nn.functional');
    ctx.walk((cls) => {
      if (cls.t !== 'ClassDef' || !facts.isTorchModuleClass(cls)) return;
      // (It reads the class, class headers and imports only: kept classes are not looked at again.)
      ctx.byClass(cls, () => {
        for (const m of facts.methodsOf(cls)) {
          if (m.name !== 'forward') continue;
          const lc = { noGrad: false, gradientTape: false, tfFunction: false, compiled: false, fn: m, cls };
          const selfAssigned = new Set<Node>();
          walkScope(m.body, (n) => {
            if (n.t === 'Assign' && n.value.t === 'Call' && n.targets.some((t) => t.t === 'Attr' && t.obj.t === 'Name' && t.obj.id === 'self')) {
              const k = facts.kindOfCall(n.value, lc);
              if (k.kind === 'Module' && k.ctor?.startsWith('torch.nn.')) {
                selfAssigned.add(n.value);
                ctx.report({ node: n, message: `A layer is created and attached in forward(): it is built after the optimizer took the parameters, so it is never trained. Create it in __init__.` });
              }
            }
          }, ['Assign']);
          walkScope(m.body, (n) => {
            if (n.t !== 'Call' || selfAssigned.has(n)) return;
            const q = facts.qualifiedName(n.fn);
            if (!q || !q.startsWith('torch.nn.') || q.split('.').length !== 3) return;
            const k = facts.kindOfCall(n, lc);
            const name = q.slice('torch.nn.'.length);
            if (k.kind !== 'Module' || ['Sequential', 'ModuleList', 'ModuleDict', 'Module'].includes(name)) return;
            const stateless = STATELESS.has(name);
            let fix: Fix | undefined;
            const parent = facts.ancestorsOf(n).at(-1);
            const fm = FUNCTIONAL[name];
            if (stateless && fm && F && parent && parent.t === 'Call' && parent.fn === n && parent.args.length === 1 && parent.args[0].kind === 'pos') {
              const ctorArgs = n.args;
              const input = facts.textOf(parent.args[0].value);
              let ok = false;
              let extra = '';
              if (ctorArgs.length === 0) ok = !fm.dimArg;
              else if (fm.dimArg && ctorArgs.length === 1) {
                const a = ctorArgs[0];
                if (a.kind === 'pos' || (a.kind === 'kw' && a.name === 'dim')) {
                  ok = true;
                  extra = `, dim=${facts.textOf(a.value)}`;
                }
              }
              if (ok && posArgs(n).length <= 1) fix = { title: `Use ${F}.${fm.fn}`, edits: [{ range: ctx.rangeOf(parent), newText: `${F}.${fm.fn}(${input}${extra})` }] };
            }
            ctx.report({
              node: n,
              severity: stateless ? 'warning' : 'error',
              message: stateless
                ? `nn.${name} is constructed on every forward() call; use the functional form or create it once in __init__.`
                : `nn.${name} created inside forward() gets new random ${name.includes('Dropout') ? 'state' : 'weights'} on every call that the optimizer never sees${name.includes('Dropout') || name.includes('Norm') ? ', and model.eval() cannot reach it' : ''}. Create it in __init__.`,
              fix,
            });
          }, ['Call']);
        }
      });
    }, ['ClassDef']);
  },
};

/** Keras layers without weights or a training / inference difference. */
const KERAS_STATELESS = /^(Activation|ReLU|LeakyReLU|ELU|Softmax|Flatten|Reshape|Permute|RepeatVector|Lambda|(Max|Average)Pooling[123]D|Global(Max|Average)Pooling[123]D|UpSampling[123]D|ZeroPadding[123]D|Cropping[123]D|Concatenate|Add|Subtract|Multiply|Average|Maximum|Minimum|Dot)$/;

/** DL112 for Keras: a `keras.layers` layer constructed inside the `call()` of a Keras layer / model class. */
function kerasLayersInCall(ctx: Parameters<Rule['check']>[0]): void {
  ctx.walk((cls) => {
    if (cls.t !== 'ClassDef' || !isKerasClass(ctx, cls)) return;
    for (const m of ctx.facts.methodsOf(cls)) {
      if (m.name !== 'call') continue;
      walkScope(m.body, (n) => {
        if (n.t !== 'Call') return;
        const q = ctx.qualifiedName(n.fn);
        const m2 = q ? /^keras\.layers\.([A-Z]\w*)$/.exec(q) : null;
        if (!m2 || m2[1] === 'Layer' || m2[1] === 'InputSpec') return;
        const stateless = KERAS_STATELESS.test(m2[1]);
        ctx.report({
          node: n,
          severity: stateless ? 'warning' : 'error',
          message: stateless
            ? `layers.${m2[1]} is constructed on every call(); create it once in __init__ (or use the keras.ops function).`
            : `layers.${m2[1]} created inside call() gets new ${/Dropout|Noise/.test(m2[1]) ? 'state' : 'weights'} on every call that training never updates (and fails inside tf.function). Create it in __init__ or build().`,
        });
      }, ['Call']);
    }
  }, ['ClassDef']);
}
