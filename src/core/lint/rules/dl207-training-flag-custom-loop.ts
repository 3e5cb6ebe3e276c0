// DL207: in a GradientTape training step the model is called without `training=True`
// (Dropout off, BatchNorm in inference mode), or a Keras `call` hard-codes
// `training=True` on a dropout / noise / batch-norm sublayer.

import type { Node } from '../../python/ast';
import type { LintContext, Rule } from '../types';
import { type Call, type ClassDef, type Scope, bindingsIn, hasSplat, insertArgEdit, isConst, kwArg, methodName, nameOf, numOf, receiver, scopesOf, valueBefore, walkLocal } from './shared-ast';
import { isKerasClass, isKerasModelClass, isKerasModelExpr, layerClass, modelDef } from './shared-keras';
import { tapesIn } from './shared-tf';

const TRAINING_DEPENDENT = /^keras\.layers\.(Dropout|SpatialDropout[123]D|GaussianDropout|GaussianNoise|AlphaDropout|BatchNormalization)$/;

// Layers that compute the same thing with training=True and training=False. A model built
// only from these (and visible in the file) gives the same result either way, so the
// missing flag is a hint, not a bug. Recurrent and attention layers count only without a
// dropout argument; everything else (Lambda, applications, preprocessing Random*, unknown
// factories) is treated as training-dependent.
const MODE_FREE = new RegExp(
  '^(Input|InputLayer|Dense|EinsumDense|Conv[123]D|Conv[123]DTranspose|SeparableConv[12]D|DepthwiseConv[12]D|' +
    '(Max|Average)Pooling[123]D|Global(Max|Average)Pooling[123]D|Flatten|Reshape|Permute|RepeatVector|' +
    'Activation|ReLU|LeakyReLU|PReLU|ELU|Softmax|LayerNormalization|Embedding|Concatenate|Add|Subtract|Multiply|Average|' +
    'Maximum|Minimum|Dot|ZeroPadding[123]D|Cropping[123]D|UpSampling[123]D|Rescaling|Resizing|CenterCrop|Normalization|' +
    'concatenate|add|subtract|multiply|average|maximum|minimum|dot)$',
);
const RNN_LIKE = /^(LSTM|GRU|SimpleRNN|MultiHeadAttention|Attention|AdditiveAttention)$/;

export const dl207: Rule = {
  meta: {
    code: 'DL207',
    name: 'training-flag-custom-loop',
    frameworks: ['keras', 'tensorflow'],
    severity: 'warning',
    docs:
      'Calling a Keras model directly runs it in inference mode unless `training=True` is passed: in a GradientTape loop Dropout is off ' +
      'and BatchNorm never updates its statistics. When the model is visible (a `Sequential` list or a Keras model class of the file) and built only from layers that behave the same in both modes (no Dropout, BatchNorm, noise, recurrent dropout, preprocessing or opaque sublayers), the finding is a hint. Conversely a hard-coded `training=True` inside `call` keeps dropout active at predict time.',
    fix: 'yes',
    needs: ['GradientTape', 'training'],
  },
  check(ctx) {
    for (const scope of scopesOf(ctx)) {
      checkTapes(ctx, scope);
      if (scope.fn?.name === 'call' && scope.cls && isKerasClass(ctx, scope.cls)) checkCall(ctx, scope);
    }
  },
};

function isKerasModelName(ctx: LintContext, scope: Scope, name: string, line: number): boolean {
  if (name === 'self') return !!scope.cls && isKerasModelClass(ctx, scope.cls);
  return isKerasModelExpr(ctx, valueBefore(ctx, scope, name, line));
}

function checkTapes(ctx: LintContext, scope: Scope): void {
  for (const tape of tapesIn(ctx, scope)) {
    // Models whose trainable variables this tape differentiates.
    const models = new Set<string>();
    walkLocal(scope.body, (n) => {
      if (n.t !== 'Call' || methodName(n) !== 'gradient' || nameOf(receiver(n)) !== tape.name || n.line < tape.with.line) return;
      const src = n.args[1]?.value;
      if (src && src.t === 'Attr' && (src.attr === 'trainable_variables' || src.attr === 'trainable_weights')) {
        const m = nameOf(src.obj);
        if (m) models.add(m);
      }
    });
    for (const m of models) {
      if (!isKerasModelName(ctx, scope, m, tape.with.line)) continue;
      const modeFree = modelIsModeFree(ctx, scope, m, tape.with.line);
      walkLocal(tape.with.body, (n) => {
        if (n.t !== 'Call' || nameOf(n.fn) !== m) return;
        if (kwArg(n, 'training') || hasSplat(n)) return;
        // `model(x, True)`: the second positional argument of call(inputs, training=None) is the flag.
        if (n.args.filter((a) => a.kind === 'pos').length >= 2) return;
        const e = insertArgEdit(ctx, n, 'training=True');
        ctx.report({
          node: n,
          message: modeFree
            ? `\`${m}(...)\` inside the GradientTape is called without training=True; its layers behave the same either way today, but a Dropout or BatchNorm added later would run in inference mode.`
            : `\`${m}(...)\` inside the GradientTape runs in inference mode (Dropout off, BatchNorm not updated). Pass training=True.`,
          severity: modeFree ? 'hint' : undefined,
          fix: e ? { title: 'Pass training=True', edits: [e] } : undefined,
        });
      });
    }
  }
}

function checkCall(ctx: LintContext, scope: Scope): void {
  // self.X = <training-dependent layer> in __init__ / build
  const layers = new Set<string>();
  for (const s of scope.cls!.body) {
    if (s.t !== 'FunctionDef' || (s.name !== '__init__' && s.name !== 'build')) continue;
    walkLocal(s.body, (n) => {
      if (n.t !== 'Assign' || n.value.t !== 'Call' || !TRAINING_DEPENDENT.test(ctx.qualifiedName(n.value.fn) ?? '')) return;
      for (const t of n.targets) if (t.t === 'Attr' && t.obj.t === 'Name' && t.obj.id === 'self') layers.add(t.attr);
    });
  }
  const localLayers = new Set(bindingsIn(scope.body).filter((b) => b.value?.t === 'Call' && TRAINING_DEPENDENT.test(ctx.qualifiedName((b.value as Call).fn) ?? '')).map((b) => b.name));
  walkLocal(scope.body, (n: Node) => {
    if (n.t !== 'Call') return;
    const fn = n.fn;
    const isSub = (fn.t === 'Attr' && fn.obj.t === 'Name' && fn.obj.id === 'self' && layers.has(fn.attr)) || (fn.t === 'Name' && localLayers.has(fn.id));
    if (!isSub) return;
    const tr = kwArg(n, 'training');
    if (!isConst(tr, true)) return;
    ctx.report({
      node: tr!,
      message: 'A hard-coded training=True keeps this layer in training mode at evaluate()/predict() time too. Accept a `training=None` argument in `call` and forward it.',
    });
  });
}

/** A Keras layer constructor that behaves the same in training and inference. */
function isModeFreeLayer(ctx: LintContext, c: Call): boolean {
  const cls = layerClass(ctx, c);
  if (!cls || hasSplat(c)) return false;
  if (MODE_FREE.test(cls)) return true;
  if (RNN_LIKE.test(cls)) {
    for (const k of ['dropout', 'recurrent_dropout']) {
      const a = kwArg(c, k);
      if (a && numOf(a) !== 0) return false;
    }
    return true;
  }
  return false;
}

/**
 * Whether the model held by `name` is visible and provably free of training-dependent layers:
 * a Sequential list of mode-free layers, or an instance of a Keras model class of this file whose
 * sublayers (built in its methods, recursively through Keras classes of this file) are all mode-free.
 */
function modelIsModeFree(ctx: LintContext, scope: Scope, name: string, line: number): boolean {
  if (name === 'self') return !!scope.cls && classIsModeFree(ctx, scope.cls, 0);
  const def = modelDef(ctx, scope, name, line);
  if (def) {
    if (def.kind !== 'sequential' || !def.layers) return false;
    return def.layers.length > 0 && def.layers.every((l) => l.t === 'Call' && isModeFreeLayer(ctx, l));
  }
  const v = valueBefore(ctx, scope, name, line);
  if (!v || v.t !== 'Call' || v.fn.t !== 'Name' || ctx.qualifiedName(v.fn)) return false;
  const id = v.fn.id;
  const cls = ctx.module.body.find((s): s is ClassDef => s.t === 'ClassDef' && s.name === id);
  return !!cls && classIsModeFree(ctx, cls, 0);
}

function classIsModeFree(ctx: LintContext, cls: ClassDef, depth: number): boolean {
  if (depth > 4) return false;
  for (const b of cls.bases) {
    if (b.kind !== 'pos') return false;
    const q = ctx.qualifiedName(b.value);
    if (q === 'keras.Model' || q === 'keras.models.Model' || q === 'keras.layers.Layer') continue;
    const local = b.value.t === 'Name' ? ctx.module.body.find((s): s is ClassDef => s.t === 'ClassDef' && s.name === (b.value as { id: string }).id) : undefined;
    if (!local || local === cls || !classIsModeFree(ctx, local, depth + 1)) return false;
  }
  let ok = true;
  for (const st of cls.body) {
    if (st.t !== 'FunctionDef') continue;
    walkLocal(st.body, (n) => {
      if (!ok || n.t !== 'Call') return;
      const q = ctx.qualifiedName(n.fn);
      if (q) {
        if (q.startsWith('keras.layers.')) {
          if (!isModeFreeLayer(ctx, n)) ok = false;
        } else if (q.startsWith('keras.')) {
          // Sequential / Model containers are checked through their (walked) arguments; anything
          // else from Keras (applications, saved models) may hold BatchNorm or Dropout.
          if (!/^keras\.(models\.)?(Sequential|Model|Input)$/.test(q) && !q.startsWith('keras.activations.') && !q.startsWith('keras.ops.')) ok = false;
        }
        return;
      }
      // self.attr = SomeCall(...): a sublayer built by something this rule cannot see through.
      if (n.fn.t === 'Name') {
        const id = n.fn.id;
        const local = ctx.module.body.find((s): s is ClassDef => s.t === 'ClassDef' && s.name === id);
        if (local) {
          if (!isKerasClass(ctx, local) || !classIsModeFree(ctx, local, depth + 1)) ok = false;
        } else if (!BUILTINS.has(id)) ok = false;
      }
    });
    if (!ok) return false;
  }
  return ok;
}

const BUILTINS = new Set(['super', 'len', 'range', 'int', 'float', 'str', 'list', 'tuple', 'dict', 'zip', 'enumerate', 'min', 'max', 'sum', 'abs', 'isinstance', 'print']);
