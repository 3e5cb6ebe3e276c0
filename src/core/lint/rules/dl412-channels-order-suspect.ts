// DL412: an image shape written in the other channel order. Keras is channels-last, so
// Input(shape=(3, 224, 224)) makes Conv2D treat the height as channels; the PyTorch mirror
// image is an NHWC tensor fed to Conv2d (its last dim equals in_channels).

import type { Node, NodeOf } from '../../python/ast';
import type { LintContext, Rule } from '../types';
import { reportShapeDiagnostics, shortCall } from './dl4-shared';
import { constNumber, replaceEdit, textOf } from './shared-ast';

const KERAS_SPATIAL_2D = /^(Conv2D|Conv2DTranspose|SeparableConv2D|DepthwiseConv2D|MaxPooling2D|AveragePooling2D)$/;

export const dl412: Rule = {
  meta: {
    code: 'DL412',
    name: 'channels-order-suspect',
    frameworks: ['keras', 'pytorch'],
    severity: 'warning',
    docs:
      'Keras defaults to channels-last, so an image shape written channels-first ((3, 224, 224)) makes Conv2D slide over ' +
      'the wrong axes; in PyTorch, an NHWC tensor fed to Conv2d fails on its channel count. Reorder the shape or permute the tensor.',
    fix: 'offered',
  },
  check(ctx) {
    // PyTorch: the conv spec recognised an NHWC input (a crash: error).
    reportShapeDiagnostics(ctx, 'DL412', (d, def) => ({ message: `${def ? `${shortCall(ctx, def)}: ` : ''}${d.message.replace(/^\w+ (?=expected)/, '')}`, severity: 'error' }));
    kerasChannelsFirstInput(ctx);
  },
};

function kerasChannelsFirstInput(ctx: LintContext): void {
  // Any mention of channels_first (data_format=, set_image_data_format, keras.json) keeps the rule quiet.
  if (/channels_first/.test(ctx.text)) return;
  const done = new Set<string>();
  for (const m of ctx.analysis.models) {
    if (m.framework !== 'keras' || m.inputShapes.length !== 1) continue;
    const s = m.inputShapes[0];
    if (s.length !== 4 || !s.slice(1).every((d) => typeof d === 'number')) continue;
    const [c, h, w] = s.slice(1) as number[];
    if (![1, 3, 4].includes(c) || h <= 4 || w <= 4) continue;
    const first = m.layers.find((l) => !/^(InputLayer|Rescaling|Normalization|Resizing)$/.test(l.type));
    if (!first || !KERAS_SPATIAL_2D.test(first.type)) continue;
    const tuple = shapeLiteral(ctx, [c, h, w]);
    if (!tuple || done.has(`${tuple.line}:${tuple.col}`)) continue;
    done.add(`${tuple.line}:${tuple.col}`);
    const q = tuple.t === 'List' ? ['[', ']'] : ['(', ')'];
    // The elements as written (`(3, IMG, IMG)` becomes `(IMG, IMG, 3)`; `build((None, 3, H, W))` keeps its batch dim).
    const texts = (tuple as NodeOf<'Tuple'>).elts.map((e) => textOf(ctx, e));
    const batch = texts.length === 4 ? `${texts.shift()}, ` : '';
    const [ct, ht, wt] = texts;
    ctx.report({
      node: tuple,
      message: `The input shape (${c}, ${h}, ${w}) looks channels-first, but Keras is channels-last: ${first.type} will treat ${h} as the channel count and slide over the (${w}, ${c}) axes. Use (${h}, ${w}, ${c}) or data_format="channels_first".`,
      fix: { title: `Reorder the shape to (${batch}${ht}, ${wt}, ${ct})`, edits: [replaceEdit(tuple, `${q[0]}${batch}${ht}, ${wt}, ${ct}${q[1]}`)], safe: false },
    });
  }
}

/**
 * The first tuple / list literal in the file that spells these three numbers (literals or constants:
 * `(3, IMG, IMG)`), or the full shape given to `model.build((None, 3, H, W))` / `build(input_shape=...)`.
 */
function shapeLiteral(ctx: LintContext, dims: number[]): Node | undefined {
  let found: Node | undefined;
  ctx.walk((n, anc) => {
    if (found || (n.t !== 'Tuple' && n.t !== 'List')) return;
    let elts = n.elts;
    if (elts.length === 4) {
      const parent = anc[anc.length - 1];
      const inBuild = parent && parent.t === 'Call' && parent.fn.t === 'Attr' && parent.fn.attr === 'build' && parent.args.some((a) => a.value === n && (a.kind === 'pos' || (a.kind === 'kw' && a.name === 'input_shape')));
      if (!inBuild || !(elts[0].t === 'Const' && elts[0].v === null)) return;
      elts = elts.slice(1);
    }
    if (elts.length !== 3) return;
    if (elts.every((e, i) => e.t === 'Num' && e.v === dims[i])) found = n;
    else if (elts.some((e) => e.t === 'Name' || e.t === 'BinOp')) {
      const fn = ctx.facts.contextAt(anc).fn;
      if (elts.every((e, i) => constNumber(ctx, e, fn) === dims[i])) found = n;
    }
  }, ['Tuple', 'List']);
  return found;
}
