// The providers for a notebook cell: the request moves into the notebook's program
// (notebooks.ts), the ordinary provider answers on the program's analysis, and the answer
// moves back, keeping only what lies in the cell that asked.

import type { CodeAction, CodeActionParams, CodeLens, Hover, InlayHint, Position, Range } from 'vscode-languageserver';
import type { ModelsResult, TensorLensSettings } from '../shared/protocol';
import type { DocAnalysis } from './analysisService';
import { codeActions } from './codeActions';
import { codeLenses } from './codeLens';
import { hoverAt, type HoverOptions } from './hover';
import { inlayHints } from './inlayHints';
import type { NotebookProgramDoc } from './notebooks';

export interface CellTarget {
  a: DocAnalysis;
  nb: NotebookProgramDoc;
  cell: string;
}

export function cellHover(t: CellTarget, pos: Position, opts: HoverOptions): Hover | null {
  const p = t.nb.toProgram(t.cell, pos);
  const h = p ? hoverAt(t.a, p, opts) : null;
  if (!h) return null;
  const at = h.range ? t.nb.toCellRange(h.range) : undefined;
  const { range: _, ...rest } = h;
  return at && at.uri === t.cell ? { ...rest, range: at.range } : rest;
}

export function cellInlayHints(t: CellTarget, range: Range, settings: TensorLensSettings): InlayHint[] {
  const r = t.nb.toProgramRange(t.cell, range);
  if (!r) return [];
  const out: InlayHint[] = [];
  for (const h of inlayHints(t.a, r, settings)) {
    const at = t.nb.toCell(h.position);
    if (at && at.uri === t.cell) out.push({ ...h, position: at.position });
  }
  return out;
}

export function cellCodeLenses(t: CellTarget): CodeLens[] {
  const out: CodeLens[] = [];
  for (const l of codeLenses(t.a)) {
    const at = t.nb.toCellRange(l.range);
    if (!at || at.uri !== t.cell) continue;
    // The summary command names the cell: requests for a cell answer for its notebook.
    const command = l.command ? { ...l.command, arguments: [t.cell, ...(l.command.arguments ?? []).slice(1)] } : undefined;
    out.push({ ...l, range: at.range, ...(command ? { command } : {}) });
  }
  return out;
}

export function cellCodeActions(t: CellTarget, params: CodeActionParams): CodeAction[] {
  const range = t.nb.toProgramRange(t.cell, params.range);
  if (!range) return [];
  const programParams: CodeActionParams = {
    ...params,
    textDocument: { uri: t.nb.uri },
    range,
    context: { ...params.context, diagnostics: params.context.diagnostics.map((d) => t.nb.diagnosticToProgram(t.cell, d)) },
  };
  return codeActions(t.a, programParams).flatMap((a) => {
    const moved = t.nb.actionToCells(a);
    return moved ? [moved] : [];
  });
}

/** Models defined in the cell, with lines in the cell (the status bar's model under the cursor). */
export function cellModels(t: CellTarget, r: ModelsResult): ModelsResult {
  const models: ModelsResult['models'] = [];
  for (const m of r.models) {
    const start = t.nb.toCell({ line: m.line, character: 0 });
    if (!start || start.uri !== t.cell) continue;
    const end = t.nb.toCellRange({ start: { line: m.line, character: 0 }, end: { line: m.endLine, character: 0 } });
    models.push({ ...m, line: start.position.line, endLine: end?.range.end.line ?? start.position.line });
  }
  return { ...r, models };
}
