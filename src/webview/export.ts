// Exports of the selected model: a Markdown table, CSV, the summary JSON (the CLI's
// contract, filtered to one model). Pure functions over the summary; the SVG export
// lives with the graph (graph.ts). Every user string is escaped for its format.

import type { ExportFormat, SummaryJson, SummaryModelJson } from '../shared/webviewProtocol';
import { computeTotals, formatBytes, formatInt, formatOutput, formatPercent, formatShape, frameworkStyle, shapeToInput } from './model';

/** Markdown inline text: HTML as entities, table / emphasis / link syntax backslash-escaped, one line. */
export function escapeMarkdown(s: string): string {
  return s.replace(/\r?\n|\r/g, ' ')
    .replace(/[\\`*_[\]|#!~]/g, (c) => `\\${c}`)
    .replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!);
}

export function toMarkdown(summary: SummaryJson, model: SummaryModelJson): string {
  const style = frameworkStyle(summary.framework);
  const t = computeTotals(model);
  const lines: string[] = [];
  lines.push(`### ${escapeMarkdown(model.name)} (${escapeMarkdown(summary.file)})`, '');
  lines.push(`Input: ${model.input_shapes.map((s) => formatShape(s, style, escapeMarkdown)).join(', ')} (${escapeMarkdown(model.input_source)})  `);
  lines.push(`Output: ${formatOutput(model.output_shape, style, escapeMarkdown)}`, '');
  lines.push('| Layer | Type | Output Shape | Param # | % | Trainable | MACs |');
  lines.push('| --- | --- | --- | ---: | ---: | :---: | ---: |');
  for (const l of model.layers) {
    const note = l.note ? ` ⚠ ${escapeMarkdown(l.note)}` : '';
    lines.push(`| ${escapeMarkdown(l.path)} | ${escapeMarkdown(l.type)}${note} | ${formatShape(l.output_shape, style, escapeMarkdown)} | ${formatInt(l.params)} | ${formatPercent(l.params, t.total)} | ${l.trainable ? 'yes' : 'no'} | ${formatInt(l.macs)} |`);
  }
  lines.push('');
  lines.push(`Total params: ${formatInt(t.total)}  `);
  lines.push(`Trainable params: ${formatInt(t.trainable)}  `);
  lines.push(`Non-trainable params: ${formatInt(t.nonTrainable)}  `);
  lines.push(`Total MACs: ${formatInt(t.macs)}  `);
  lines.push(`Params size: ${formatBytes(t.paramBytes)}  `);
  lines.push(`Activations (forward, float32): ${activationText(t)}`);
  for (const n of model.notes) lines.push('', `> ${escapeMarkdown(n)}`);
  return lines.join('\n') + '\n';
}

export function activationText(t: ReturnType<typeof computeTotals>): string {
  const base = `${t.activationUnknownRows ? '≥ ' : ''}${formatBytes(t.activationBytes)}`;
  const extra = [t.perSample ? 'per sample' : '', t.activationUnknownRows ? `${t.activationUnknownRows} rows without a concrete shape` : '']
    .filter(Boolean).join('; ');
  return extra ? `${base} (${extra})` : base;
}

/** One CSV field (RFC 4180); text that a spreadsheet would run as a formula is prefixed with '. */
export function csvField(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(_summary: SummaryJson, model: SummaryModelJson): string {
  const rows: Array<Array<string | number | boolean | null>> = [
    ['path', 'type', 'output_shape', 'params', 'params_percent', 'trainable', 'macs', 'line', 'note'],
  ];
  for (const l of model.layers) {
    const pct = l.params !== null && model.total_params ? Number(((l.params / model.total_params) * 100).toFixed(4)) : null;
    rows.push([l.path, l.type, l.output_shape ? shapeToInput(l.output_shape) : null, l.params, pct, l.trainable, l.macs, l.line, l.note ?? null]);
  }
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function toJson(summary: SummaryJson, model: SummaryModelJson): string {
  return JSON.stringify({ file: summary.file, framework: summary.framework, models: [model] }, null, 2) + '\n';
}

const EXT: Record<ExportFormat, string> = { markdown: 'md', csv: 'csv', json: 'json', svg: 'svg' };

/** `resnet18.ResNet18.md`; characters a file name cannot hold become `_`. */
export function exportFileName(summary: SummaryJson, model: SummaryModelJson, format: ExportFormat): string {
  const base = `${summary.file.replace(/\.py$/, '')}.${model.name}`.replace(/[^\w.-]+/g, '_').slice(0, 120);
  return `${base}.${EXT[format]}`;
}
