// Renders a summary (the `tensorlens summary --json` contract) as text for the output
// channel, and as Markdown / CSV / JSON for Export Summary. Plain functions over JSON, so
// the extension does not bundle the engine.

import type { SummaryJson } from '../core/summary/json';
import type { ModelSummaryJson } from '../shared/protocol';

type JsonShape = ModelSummaryJson['layers'][number]['output_shape'];

export function shapeText(s: JsonShape | JsonShape[] | undefined): string {
  if (!s) return 'Unknown';
  if (s.length && Array.isArray(s[0])) return (s as JsonShape[]).map(shapeText).join(', ');
  return `[${(s as Array<number | string | null>).map((d) => (d === null ? 'None' : String(d))).join(', ')}]`;
}

const count = (n: number | null) => (n === null ? '?' : n.toLocaleString('en-US'));

export function modelText(m: ModelSummaryJson): string {
  const head = ['Layer (type)', 'Output Shape', 'Param #'];
  const rows = m.layers.map((l) => [`${l.path} (${l.type})`, l.note && !l.output_shape ? `? ${l.note}` : shapeText(l.output_shape), count(l.params)]);
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 2 ? c.padStart(w[i]) : c.padEnd(w[i]))).join('   ');
  const sep = '='.repeat(w[0] + w[1] + w[2] + 6);
  return [
    `${m.name}  (${m.kind}, line ${m.line})`,
    `Input: ${m.input_shapes.map((s) => shapeText(s)).join(', ')}  [${m.input_source}]`,
    sep, line(head), sep.replace(/=/g, '-'), ...rows.map(line), sep,
    `Output: ${shapeText(m.output_shape)}`,
    `Total params: ${count(m.total_params)}`,
    `Trainable params: ${count(m.trainable_params)}`,
    `Non-trainable params: ${count(m.non_trainable_params)}`,
    `Params size (MB): ${(m.param_bytes / 1024 / 1024).toFixed(2)}`,
    ...(m.macs ? [`Mult-adds: ${count(m.macs)}`] : []),
    ...m.notes.map((n) => `note: ${n}`),
  ].join('\n');
}

export function summaryText(s: SummaryJson): string {
  const parts = s.models.map(modelText);
  if (!parts.length) parts.push(`No model found in ${s.file}.`);
  for (const n of s.notes) parts.push(`note: ${n}`);
  return parts.join('\n\n') + '\n';
}

const mdCell = (t: string) => t.replace(/\|/g, '\\|');

export function summaryMarkdown(s: SummaryJson): string {
  const out: string[] = [];
  for (const m of s.models) {
    out.push(`## ${m.name}`, '', `Input: \`${m.input_shapes.map((x) => shapeText(x)).join(', ')}\` (${m.input_source}) · Output: \`${shapeText(m.output_shape)}\``, '');
    out.push('| Layer | Type | Output shape | Params |', '|---|---|---|---:|');
    for (const l of m.layers) out.push(`| ${mdCell(l.path)} | ${mdCell(l.type)} | \`${shapeText(l.output_shape)}\` | ${count(l.params)} |`);
    out.push('', `Total params: ${count(m.total_params)} (trainable ${count(m.trainable_params)}, non-trainable ${count(m.non_trainable_params)})`, '');
  }
  return out.join('\n');
}

const csvCell = (t: string) => (/[",\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t);

export function summaryCsv(s: SummaryJson): string {
  const rows = [['model', 'path', 'type', 'output_shape', 'params', 'trainable', 'line']];
  for (const m of s.models) for (const l of m.layers) rows.push([m.name, l.path, l.type, shapeText(l.output_shape), l.params === null ? '' : String(l.params), String(l.trainable), String(l.line)]);
  return rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}
