// DL205: `input_shape` / `input_dim` / `batch_input_shape` on a layer that is not the
// first of a Sequential model (or after an explicit Input), or passed to
// `super().__init__()` of a Keras Model subclass, is silently ignored.

import type { Node } from '../../python/ast';
import type { LintContext, Rule } from '../types';
import { type Call, bindingsIn, deleteKwEdit, kwArg, scopesOf, walkLocal } from './shared-ast';
import { isKerasClass, isKerasLayerCtor, modelDef } from './shared-keras';

const SHAPE_KWS = ['input_shape', 'input_dim', 'batch_input_shape'];

const SEQUENTIAL_CTORS = /^keras\.(models\.)?Sequential$/;

export const dl205: Rule = {
  meta: {
    code: 'DL205',
    name: 'input-shape-misplaced',
    frameworks: ['keras'],
    severity: 'warning',
    docs:
      '`input_shape`/`input_dim` on any layer other than the first of a Sequential model, or passed to `super().__init__()` of a ' +
      'Keras Model subclass, is silently ignored: the model does not expect what the code says. Declare the input once, with `keras.Input(shape=...)`.',
    fix: 'yes',
    needs: ['input_shape', 'input_dim', 'batch_input_shape'],
  },
  check(ctx) {
    const seen = new Set<Node>();
    for (const scope of scopesOf(ctx)) {
      for (const b of bindingsIn(scope.body)) {
        if (!b.value || b.value.t !== 'Call' || seen.has(b.value)) continue;
        const def = modelDef(ctx, scope, b.name, Number.MAX_SAFE_INTEGER);
        if (!def || def.kind !== 'sequential' || def.ctor !== b.value || !def.layers) continue;
        seen.add(b.value);
        checkLayers(ctx, def.layers);
      }
      // A Sequential bound to no name (`return keras.Sequential([...])`, an argument): its literal list is all its layers.
      walkLocal(scope.body, (n) => {
        if (n.t !== 'Call' || seen.has(n) || !SEQUENTIAL_CTORS.test(ctx.qualifiedName(n.fn) ?? '')) return;
        seen.add(n);
        if (bindingsIn(scope.body).some((b) => b.value === n)) return;
        const first = n.args.length === 1 && n.args[0].kind === 'pos' ? n.args[0].value : n.args.find((a) => a.kind === 'kw' && a.name === 'layers')?.value;
        if (!first || (first.t !== 'List' && first.t !== 'Tuple') || first.elts.some((e) => e.t === 'Starred')) return;
        checkLayers(ctx, first.elts);
      });
      // super().__init__(input_shape=...) in a Keras model subclass
      if (scope.fn?.name === '__init__' && scope.cls && isKerasClass(ctx, scope.cls)) {
        walkLocal(scope.body, (n) => {
          if (n.t !== 'Call' || n.fn.t !== 'Attr' || n.fn.attr !== '__init__') return;
          const o = n.fn.obj;
          if (!(o.t === 'Call' && o.fn.t === 'Name' && o.fn.id === 'super')) return;
          for (const kw of SHAPE_KWS) report(ctx, n, kw, 'in super().__init__() of a Keras subclass');
        });
      }
    }
  },
};

/** The shape keywords on every layer of a Sequential's layer list but the first. */
function checkLayers(ctx: LintContext, layers: readonly Node[]): void {
  layers.forEach((l, i) => {
    if (i === 0 || !isKerasLayerCtor(ctx, l)) return;
    const first = layers[0];
    const firstIsInput = first.t === 'Call' && /^keras\.(Input|layers\.Input|layers\.InputLayer)$/.test(ctx.qualifiedName(first.fn) ?? '');
    // `Embedding(input_dim=...)` is the vocabulary size, not a shape.
    const isEmbedding = /^keras\.layers\.Embedding$/.test(ctx.qualifiedName(l.fn) ?? '');
    for (const kw of SHAPE_KWS) if (!(isEmbedding && kw === 'input_dim')) report(ctx, l, kw, firstIsInput ? 'after an explicit Input' : 'on a layer that is not the first one');
  });
}

function report(ctx: LintContext, call: Call, kw: string, where: string): void {
  const v = kwArg(call, kw);
  if (!v) return;
  const edit = deleteKwEdit(ctx, call, kw);
  ctx.report({
    node: v,
    message: `\`${kw}\` ${where} is ignored by Keras; the model's input comes from the first layer (or keras.Input). Remove it.`,
    fix: edit ? { title: `Remove the ignored ${kw}`, edits: [edit] } : undefined,
  });
}


