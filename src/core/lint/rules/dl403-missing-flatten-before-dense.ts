// DL403: a feature map (rank > 2) fed straight into a dense layer. PyTorch: a Linear whose
// in_features is the flattened C·H·W (or any 4-D input it cannot take) crashes; Keras: a
// Dense right after Conv / Pooling layers silently maps the last axis only.

import type { Node } from '../../python/ast';
import type { Fix, LintContext, Rule } from '../types';
import { walkScope } from '../facts';
import { type Call, textOf } from './shared-ast';
import { formatShape } from '../../shapes/dim';
import { callAt, definitionOf, reportShapeDiagnostics, shortCall } from './dl4-shared';

/** Keras layers that keep a spatial map (a Dense after them needs a Flatten / global pooling). */
const SPATIAL = /^(Conv[123]D|Conv[123]DTranspose|SeparableConv[12]D|DepthwiseConv[12]D|(Max|Average)Pooling[123]D|UpSampling[123]D|ZeroPadding[123]D|Cropping[123]D)$/;

export const dl403: Rule = {
  meta: {
    code: 'DL403',
    name: 'missing-flatten-before-dense',
    frameworks: ['pytorch', 'keras'],
    severity: 'error',
    docs:
      'A 4-D feature map fed straight into Linear / Dense is applied to the last axis only: PyTorch usually crashes ' +
      '(in_features is C·H·W, the last axis is W), Keras silently outputs (N, H, W, units). Insert a Flatten (or global pooling) first. ' +
      'Also (warning): `torch.flatten(x)` / `x.flatten()` without start_dim in forward on a conv / pooling output, feeding a layer, flattens the batch axis too.',
    fix: 'yes',
  },
  check(ctx) {
    reportShapeDiagnostics(ctx, 'DL403', (d, def) => {
      const flat = /flattens to (\d+)/.exec(d.message)?.[1];
      const shape = /the (\d)-D input (\[[^\]]*\])/.exec(d.message);
      const who = def ? shortCall(ctx, def) : 'Linear';
      return {
        message: `${who} receives the ${shape ? `${shape[1]}-D feature map ${shape[2]}` : 'unflattened feature map'}${flat ? ` (${flat} values per sample)` : ''}: a Flatten is missing before it.`,
        fix: flattenFix(ctx, callAt(ctx, definitionOf(d))),
      };
    });
    kerasDenseOnFeatureMap(ctx);
    flattenWithoutStartDim(ctx);
  },
};

/** Layers whose output is a batched feature map (N, C, ...): conv, pooling and their norms. */
const FEATURE_MAP_LAYER = /^torch\.nn\.(Conv[123]d|ConvTranspose[123]d|(Max|Avg|AdaptiveAvg|AdaptiveMax|LP)Pool[123]d|BatchNorm[123]d|Sequential)$/;

/**
 * `torch.flatten(x)` / `x.flatten()` with no start_dim in a module's forward, on a conv /
 * pooling output (`self.conv(x)`, `self.features(x)` built as such, or a name bound from one
 * in forward), whose result goes on into a layer (`self.fc(...)`, directly or through a
 * name). It flattens the batch axis too (a warning; the fix keeps dim 0). A flatten that ends
 * the forward (`return self.out(h).flatten()`, (B, 1) to (B,)), or one of the forward's own
 * input (which may be a single sample), is not this.
 */
function flattenWithoutStartDim(ctx: LintContext): void {
  if (!/\bflatten\(/.test(ctx.text)) return;
  const flattenLines: number[] = [];
  ctx.lines.forEach((l, i) => /\bflatten\(/.test(l) && flattenLines.push(i));
  ctx.walk((fn, fnAnc) => {
    if (fn.t !== 'FunctionDef' || fn.name !== 'forward' || fn.params.length < 2 || fn.params[0].name !== 'self') return;
    if (!flattenLines.some((l) => l >= fn.line && l <= fn.endLine)) return;
    // The module's feature-map layers: `self.conv = nn.Conv2d(...)`.
    const cls = fnAnc[fnAnc.length - 1];
    const mapLayers = new Set<string>();
    if (cls?.t === 'ClassDef') {
      for (const [attr, k] of ctx.facts.selfKinds(cls)) if (k.kind === 'Module' && FEATURE_MAP_LAYER.test(k.ctor ?? '')) mapLayers.add(attr);
    }
    if (!mapLayers.size) return;
    const batched = new Set<string>();
    const fromBatch = (e: Node): boolean => {
      if (e.t === 'Name') return batched.has(e.id);
      if (e.t === 'Call') {
        const layer = selfLayer(e);
        if (layer) return mapLayers.has(layer);
        return e.args.some((a) => a.kind === 'pos' && fromBatch(a.value)) || (e.fn.t === 'Attr' && fromBatch(e.fn.obj));
      }
      return false;
    };
    for (const st of fn.body) {
      if (st.t === 'Assign' && st.targets.length === 1 && st.targets[0].t === 'Name' && fromBatch(st.value)) batched.add(st.targets[0].id);
    }
    // Names passed to a layer of the module (`self.fc(x)`).
    const intoLayer = new Set<string>();
    walkScope(fn.body, (c) => {
      if (c.t === 'Call' && selfLayer(c)) for (const a of c.args) if (a.kind === 'pos' && a.value.t === 'Name') intoLayer.add(a.value.id);
    }, ['Call']);
    walkScope(fn.body, (n, anc) => {
      if (n.t !== 'Call') return;
      let x: Node | undefined;
      let at: { line: number; col: number } | undefined;
      if (ctx.qualifiedName(n.fn) === 'torch.flatten' && n.args.length === 1 && n.args[0].kind === 'pos') {
        x = n.args[0].value;
        at = { line: x.endLine, col: x.endCol };
      } else if (n.fn.t === 'Attr' && n.fn.attr === 'flatten' && n.args.length === 0 && !ctx.qualifiedName(n.fn)) {
        x = n.fn.obj;
        at = { line: n.endLine, col: n.endCol - 1 };
      }
      if (!x || !at || !fromBatch(x)) return;
      const parent = anc[anc.length - 1];
      const feedsLayer = (parent?.t === 'Call' && !!selfLayer(parent))
        || fn.body.some((st) => st.t === 'Assign' && st.value === n && st.targets.length === 1 && st.targets[0].t === 'Name' && intoLayer.has(st.targets[0].id));
      if (!feedsLayer) return;
      const first = ctx.qualifiedName(n.fn) === 'torch.flatten';
      ctx.report({
        node: n,
        severity: 'warning',
        message: `${first ? 'torch.flatten(x)' : 'x.flatten()'} without start_dim flattens the batch axis too: the batch becomes one long vector. Use ${first ? 'torch.flatten(x, 1)' : 'x.flatten(1)'}.`,
        fix: { title: 'Keep the batch axis (start_dim=1)', edits: [{ range: { line: at.line, character: at.col, endLine: at.line, endCharacter: at.col }, newText: first ? ', 1' : '1' }] },
      });
    }, ['Call']);
  }, ['FunctionDef']);
}

/** `self.<layer>(...)`: the attribute name of the module's layer it calls. */
function selfLayer(c: Call): string | undefined {
  return c.fn.t === 'Attr' && c.fn.obj.t === 'Name' && c.fn.obj.id === 'self' ? c.fn.attr : undefined;
}

/** Inserts `nn.Flatten(), ` before the layer when it is an element of an nn.Sequential / Keras layer list. */
function flattenFix(ctx: LintContext, found: { call: Call; ancestors: readonly Node[] } | undefined): Fix | undefined {
  if (!found) return undefined;
  const parent = found.ancestors[found.ancestors.length - 1];
  const inSequential = parent?.t === 'Call' && ctx.qualifiedName(parent.fn) === 'torch.nn.Sequential';
  const inList = parent?.t === 'List';
  if (!inSequential && !inList) return undefined;
  const fn = found.call.fn;
  if (fn.t !== 'Attr') return undefined;
  const text = textOf(ctx, fn);
  const dotted = text.slice(0, text.lastIndexOf('.') + 1);
  if (!dotted) return undefined;
  const at = { line: found.call.line, character: found.call.col, endLine: found.call.line, endCharacter: found.call.col };
  return { title: 'Insert a Flatten before the dense layer', edits: [{ range: at, newText: `${dotted}Flatten(), ` }] };
}

/** Keras: a Dense whose input is the rank-4 output of a conv / pooling layer (a warning: Keras does not fail). */
function kerasDenseOnFeatureMap(ctx: LintContext): void {
  for (const m of ctx.analysis.models) {
    if (m.framework !== 'keras') continue;
    for (let i = 1; i < m.layers.length; i++) {
      const row = m.layers[i];
      const prev = m.layers[i - 1];
      // Dense keeps the leading axes: a rank-4 Dense output proves a rank-4 input (row order alone is not data flow).
      if (row.type !== 'Dense' || !SPATIAL.test(prev.type) || !row.outputShape || row.outputShape.length < 4) continue;
      // The map reaches the labels only if the model's output keeps its rank: a Reshape /
      // Flatten / pooling after the Dense (a ViT patch projection into tokens) took it down on purpose.
      const outputs = m.outputShapes ?? (m.outputShape ? [m.outputShape] : []);
      if (!outputs.some((s) => !!s && s.length >= row.outputShape!.length)) continue;
      const call = denseCallOnLine(ctx, row.line);
      if (!call) continue;
      ctx.report({
        node: call.call,
        severity: 'warning',
        message: `Dense after ${prev.type} receives the ${row.outputShape.length}-D feature map and maps its last axis only (output ${formatShape(row.outputShape)}); add layers.Flatten() or a global pooling layer before it.`,
        fix: flattenFix(ctx, call),
      });
    }
  }
}

function denseCallOnLine(ctx: LintContext, line: number): { call: Call; ancestors: readonly Node[] } | undefined {
  let found: { call: Call; ancestors: readonly Node[] } | undefined;
  ctx.walk((n, anc) => {
    if (found || n.t !== 'Call' || n.line !== line) return;
    const q = ctx.qualifiedName(n.fn);
    if (q && /^keras\.layers\.Dense$/.test(q)) found = { call: n, ancestors: [...anc] };
  }, ['Call']);
  return found;
}
