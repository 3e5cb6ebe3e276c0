// The readable table of `tensorlens summary` (torchinfo's layout): one row per leaf
// layer with its output shape and parameters, then totals and memory.

import { formatShape } from '../shapes/dim';
import type { Analysis, ModelSummary } from './types';

/**
 * A model's output for one line of text: its shape, or, when it has none (a dict of tensors),
 * the shapes it holds.
 */
export function formatOutput(m: Pick<ModelSummary, 'outputShape' | 'outputShapes'>): string {
  return !m.outputShape && m.outputShapes?.length ? m.outputShapes.map(formatShape).join(', ') : formatShape(m.outputShape);
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function humanCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return String(n);
}

export function renderModelText(m: ModelSummary): string {
  const head = ['Layer (type)', 'Output Shape', 'Param #'];
  const rows = m.layers.map((l) => [
    `${'  '.repeat(l.depth)}${l.path || '(model)'} (${l.type})`,
    l.error ? `! ${l.note ?? 'shape error'}` : l.outputShape ? formatShape(l.outputShape) : 'Unknown',
    l.params === null ? '?' : formatCount(l.params),
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 2 ? c.padStart(w[i]) : c.padEnd(w[i]))).join('   ');
  const sep = '='.repeat(w.reduce((a, b) => a + b, 0) + 6);
  const out: string[] = [];
  out.push(`${m.name}  (${m.framework}, line ${m.line + 1})`);
  out.push(`Input: ${m.inputShapes.map(formatShape).join(', ')}  [${m.inputSource}]`);
  out.push(sep, line(head), sep.replace(/=/g, '-'));
  for (const r of rows) out.push(line(r));
  out.push(sep);
  out.push(`Output: ${formatOutput(m)}`);
  out.push(`Total params: ${formatCount(m.totalParams)}`);
  out.push(`Trainable params: ${formatCount(m.trainableParams)}`);
  out.push(`Non-trainable params: ${formatCount(m.nonTrainableParams)}`);
  out.push(`Params size (MB): ${(m.paramBytes / 1024 / 1024).toFixed(2)}`);
  if (m.macs) out.push(`Mult-adds: ${humanCount(m.macs)}`);
  for (const n of m.notes) out.push(`note: ${n}`);
  return out.join('\n');
}

export function renderAnalysisText(a: Analysis): string {
  const parts = a.models.map(renderModelText);
  if (!parts.length) parts.push(`No model found in ${a.file}.`);
  for (const d of a.diagnostics) parts.push(`${a.file}:${d.range.line + 1}:${d.range.character + 1}: ${d.severity} ${d.code}: ${d.message}`);
  for (const n of a.notes) parts.push(`note: ${n}`);
  return parts.join('\n\n') + '\n';
}
