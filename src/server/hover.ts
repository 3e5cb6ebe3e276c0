// Hovers: on a layer constructor or call (resolved arguments, output shape, params with
// the spec's formula, MACs, the doc line, the equivalents in the other frameworks), on a
// tensor variable inside forward / call (its shape there) and on a model's name (totals).

import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import { formatDim, formatShape } from '../core/shapes/dim';
import { formatCount, humanCount } from '../core/summary/text';
import { fromJs, type Value } from '../core/eval/values';
import { valuesEqual } from '../core/eval/interp';
import type { LayerSpec } from '../core/frameworks/spec';
import type { DocAnalysis } from './analysisService';
import { contains, layerAt, methodAt, type LayerEntry, type ModelEntry } from './docIndex';
import { shapesLabel } from './inlayHints';
import { fromPos } from './lspConvert';

const FRAMEWORK_LABEL: Record<string, string> = { torch: 'PyTorch', keras: 'Keras', tf: 'TensorFlow' };
const MODULE_PREFIX: Record<string, string> = { torch: 'nn.', keras: 'layers.', tf: 'tf.' };

export interface HoverOptions {
  equivalents: boolean;
}

/** The identifier under the position, with its range on the line. */
export function wordAt(text: string, pos: Position): { word: string; start: number; end: number } | undefined {
  const line = lineOf(text, pos.line);
  const re = /[A-Za-z_][A-Za-z0-9_]*/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    if (pos.character >= m.index && pos.character <= m.index + m[0].length) return { word: m[0], start: m.index, end: m.index + m[0].length };
  }
  return undefined;
}

function lineOf(text: string, line: number): string {
  let start = 0;
  for (let i = 0; i < line; i++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return '';
    start = nl + 1;
  }
  const end = text.indexOf('\n', start);
  return (end < 0 ? text.slice(start) : text.slice(start, end)).replace(/\r$/, '');
}

export function hoverAt(a: DocAnalysis, pos: Position, opts: HoverOptions): Hover | null {
  const w = wordAt(a.text, pos);
  if (!w) return null;
  const range = { start: { line: pos.line, character: w.start }, end: { line: pos.line, character: w.end } };
  const md = (value: string): Hover => ({ contents: { kind: MarkupKind.Markdown, value }, range });

  const model = a.index.models.find((m) => m.summary.name === w.word);
  if (model && (!model.namePos || !isInsideLayer(a, pos) || contains(model.namePos, pos.line, pos.character))) return md(modelHover(model));

  // A call of a child layer: `self.conv1(x)` with the cursor on `conv1`.
  const named = a.index.layers.filter((l) => l.path.split('.').pop() === w.word);
  const called = named.find((l) => l.rows.some((r) => r.callLine === pos.line));
  if (called) return md(layerHover(called, opts, pos.line));
  // The attribute it is assigned to: `self.conv1 = nn.Conv2d(...)` with the cursor on `conv1`.
  const assigned = named.find((l) => l.node.line === pos.line && w.end <= l.node.col);
  if (assigned) return md(layerHover(assigned, opts));

  const method = methodAt(a.index, pos.line, pos.character);
  if (method) {
    const v = tensorVariableHover(a, method, w.word, pos);
    if (v) return md(v);
  }

  const layer = layerAt(a.index, pos.line, pos.character);
  if (layer) return { ...md(layerHover(layer, opts)), range: fromPos(layer.node) };
  return null;
}

function isInsideLayer(a: DocAnalysis, pos: Position): boolean {
  return !!layerAt(a.index, pos.line, pos.character);
}

function modelHover(m: ModelEntry): string {
  const s = m.summary;
  const lines = [`**${s.name}** · ${s.framework} model (${s.kind})`, ''];
  lines.push(`| | |`, `|---|---|`);
  lines.push(`| Input | \`${s.inputShapes.map(formatShape).join(', ') || 'unknown'}\` (${s.inputSource}) |`);
  lines.push(`| Output | \`${s.outputShapes ? s.outputShapes.map(formatShape).join(', ') : formatShape(s.outputShape)}\` |`);
  lines.push(`| Total params | ${formatCount(s.totalParams)} |`);
  lines.push(`| Trainable | ${formatCount(s.trainableParams)} |`);
  lines.push(`| Non-trainable | ${formatCount(s.nonTrainableParams)} |`);
  lines.push(`| Param memory | ${(s.paramBytes / 1024 / 1024).toFixed(2)} MB |`);
  if (s.macs) lines.push(`| Mult-adds | ${humanCount(s.macs)} |`);
  lines.push(`| Layers | ${s.layers.length} |`);
  if (s.notes.length) lines.push('', ...s.notes.slice(0, 3).map((n) => `_${n}_`));
  return lines.join('\n');
}

function layerHover(l: LayerEntry, opts: HoverOptions, callLine?: number): string {
  const spec = l.inst.layer?.spec;
  const row = (callLine !== undefined ? l.rows.find((r) => r.callLine === callLine) : undefined) ?? l.rows[0];
  const type = spec?.name ?? l.inst.cls.name;
  const out: string[] = [];
  out.push(`**${type}** \`${l.path}\`${spec ? ` · ${FRAMEWORK_LABEL[spec.framework] ?? spec.framework}` : ''}`);
  if (spec && l.inst.layer) out.push('', '```python', `${MODULE_PREFIX[spec.framework] ?? ''}${spec.name}(${formatArgs(spec, l.inst.layer.args)})`, '```');
  const facts: string[] = [];
  if (row) facts.push(`Output: \`${row.error ? `error: ${row.note ?? 'shape error'}` : formatShape(row.outputShape)}\``);
  else if (!spec) {
    const sub = l.subtreeRows;
    const last = sub[sub.length - 1];
    if (last) facts.push(`Output: \`${formatShape(last.outputShape)}\``);
  }
  const params = row?.params ?? (spec ? null : sumParams(l));
  if (params !== null && params !== undefined) facts.push(`Params: ${formatCount(params)}${spec?.paramFormula ? ` = ${spec.paramFormula}` : ''}`);
  else if (spec?.paramFormula) facts.push(`Params: ${spec.paramFormula}`);
  const macs = row?.macs ?? null;
  if (macs) facts.push(`MACs: ${humanCount(macs)}`);
  if (l.rows.length > 1) facts.push(`Called ${l.rows.length} times`);
  if (!row && spec) facts.push('_Not called in the forward pass._');
  if (facts.length) out.push('', facts.join('  \n'));
  if (spec?.doc) out.push('', spec.doc);
  if (opts.equivalents && spec?.equivalents?.length) {
    out.push('', 'In the other frameworks:', ...spec.equivalents.map((e) => `- ${FRAMEWORK_LABEL[e.framework] ?? e.framework}: \`${e.call}\``));
  }
  return out.join('\n');
}

function sumParams(l: LayerEntry): number | null {
  let n = 0;
  for (const r of l.subtreeRows) {
    if (r.params === null) return null;
    n += r.params;
  }
  return l.subtreeRows.length ? n : null;
}

/** Arguments that were given or differ from the default, keyword style, in signature order. */
function formatArgs(spec: LayerSpec, args: Map<string, Value>): string {
  const parts: string[] = [];
  for (const p of spec.signature) {
    if (p.star) continue;
    const v = args.get(p.name);
    if (!v) continue;
    if ('default' in p && valuesEqual(v, fromJs(p.default)) === true) continue;
    parts.push(`${p.name}=${formatValue(v)}`);
  }
  return parts.join(', ');
}

export function formatValue(v: Value, depth = 0): string {
  switch (v.k) {
    case 'none': return 'None';
    case 'bool': return v.v ? 'True' : 'False';
    case 'int': return formatDim(v.v);
    case 'float': return Number.isInteger(v.v) ? `${v.v}.0` : String(v.v);
    case 'str': return JSON.stringify(v.v).replace(/^"|"$/g, "'");
    case 'tuple':
    case 'list': {
      if (depth > 2 || v.items.length > 8) return v.k === 'tuple' ? '(…)' : '[…]';
      const inner = v.items.map((x) => formatValue(x, depth + 1)).join(', ');
      return v.k === 'tuple' ? `(${inner}${v.items.length === 1 ? ',' : ''})` : `[${inner}]`;
    }
    case 'tensor': return `Tensor${formatShape(v.shape)}`;
    case 'unknown': return '?';
    case 'instance': return v.layer ? `${v.layer.spec.name}(…)` : `${v.cls.name}(…)`;
    case 'func': return v.name;
    case 'builtin': return v.name;
    case 'class': return v.name;
    case 'modref': return v.path;
    default: return '…';
  }
}

function tensorVariableHover(a: DocAnalysis, method: NonNullable<ReturnType<typeof methodAt>>, name: string, pos: Position): string | undefined {
  const exact = method.facts.find((f) => f.name === name && f.line === pos.line && pos.character >= f.col && pos.character <= f.endCol);
  let fact = exact;
  if (!fact) for (const f of method.facts) if (f.name === name && f.line < pos.line) fact = f;
  if (fact) return `\`${name}\`: \`${shapesLabel(fact.shapes)}\` _(after line ${fact.line + 1}, in ${method.className}.${method.name})_`;
  // A parameter of forward/call: the model's input shape.
  const params = method.node.params.filter((p) => p.name !== 'self' && !p.star);
  const i = params.findIndex((p) => p.name === name);
  if (i < 0) return undefined;
  const model = a.index.models.find((m) => m.summary.name === method.className);
  const shape = model?.summary.inputShapes[i];
  if (!shape) return undefined;
  return `\`${name}\`: \`${formatShape(shape)}\` _(input of ${method.className}.${method.name}, ${model!.summary.inputSource})_`;
}
