// Jupyter notebooks in the language server: the Python code cells of an open notebook form
// one program in cell order (the core's notebookProgram), analysed as one document under
// the notebook's URI. Positions cross between the program and the cells here and nowhere
// else: requests for a cell map into the program, results map back to the cell that holds
// them (a range spanning cells is cut at the end of its first cell).

import { NotebookCellKind, type CodeAction, type Diagnostic, type NotebookDocument, type Position, type Range, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { notebookProgram, type NotebookCell } from '../core/notebook';
import type { SourceDoc } from './analysisService';

export const NOTEBOOK_TYPE = 'jupyter-notebook';
export const CELL_LANGUAGE = 'python';

/** One notebook as a program: its text, and where every program line lives. */
export class NotebookProgramDoc implements SourceDoc {
  readonly text: string;
  /** URIs of the cells that are program text, in order (index = the core's cell number). */
  readonly cellUris: string[];
  /** Program line of each program cell's first line. */
  private readonly cellStart: number[];
  private readonly lineMap: Array<{ cell: number; line: number }>;
  private readonly cellLines: string[][];

  constructor(readonly uri: string, readonly version: number, cells: Array<{ uri: string; text: string }>) {
    const program = notebookProgram(cells.map((c): NotebookCell => ({ source: c.text, kind: 'code' })));
    this.text = program.text;
    this.lineMap = program.lineMap;
    this.cellUris = cells.map((c) => c.uri);
    this.cellLines = cells.map((c) => c.text.replace(/\r\n?/g, '\n').split('\n'));
    this.cellStart = [];
    program.lineMap.forEach((m, i) => {
      if (m.line === 0) this.cellStart[m.cell] = i;
    });
  }

  getText(): string {
    return this.text;
  }

  hasCell(cellUri: string): boolean {
    return this.cellUris.includes(cellUri);
  }

  /** Each program cell's URI and the 1-based program line it starts at (cells with no program text left out). */
  cellStarts(): Array<{ uri: string; line: number }> {
    return this.cellUris.flatMap((uri, i) => (this.cellStart[i] === undefined ? [] : [{ uri, line: this.cellStart[i] + 1 }]));
  }

  /** A position in a cell as a program position (undefined for a cell that is not program text). */
  toProgram(cellUri: string, pos: Position): Position | undefined {
    const i = this.cellUris.indexOf(cellUri);
    if (i < 0 || this.cellStart[i] === undefined) return undefined;
    return { line: this.cellStart[i] + pos.line, character: pos.character };
  }

  toProgramRange(cellUri: string, r: Range): Range | undefined {
    const start = this.toProgram(cellUri, r.start);
    const end = this.toProgram(cellUri, r.end);
    return start && end ? { start, end } : undefined;
  }

  /** A program position in its cell. */
  toCell(pos: Position): { uri: string; position: Position } | undefined {
    const m = this.lineMap[pos.line];
    if (!m) return undefined;
    return { uri: this.cellUris[m.cell], position: { line: m.line, character: pos.character } };
  }

  /** A program range in the cell of its start; an end in a later cell is cut to the end of the start cell. */
  toCellRange(r: Range): { uri: string; range: Range } | undefined {
    const start = this.toCell(r.start);
    if (!start) return undefined;
    const end = this.toCell(r.end);
    if (end && end.uri === start.uri) return { uri: start.uri, range: { start: start.position, end: end.position } };
    const lines = this.cellLines[this.cellUris.indexOf(start.uri)] ?? [''];
    const last = Math.max(0, lines.length - 1);
    return { uri: start.uri, range: { start: start.position, end: { line: last, character: lines[last]?.length ?? 0 } } };
  }

  /** Program diagnostics grouped by cell; every program cell gets an entry (empty clears it). */
  diagnosticsByCell(diags: Diagnostic[]): Map<string, Diagnostic[]> {
    const out = new Map<string, Diagnostic[]>(this.cellUris.map((u) => [u, []]));
    for (const d of diags) {
      const at = this.toCellRange(d.range);
      if (!at) continue;
      const related = d.relatedInformation?.flatMap((ri) => {
        if (ri.location.uri !== this.uri) return [ri];
        const loc = this.toCellRange(ri.location.range);
        return loc ? [{ ...ri, location: loc }] : [];
      });
      out.get(at.uri)!.push({ ...d, range: at.range, ...(related ? { relatedInformation: related } : {}) });
    }
    return out;
  }

  /** A diagnostic a client sent for a cell, in program coordinates (for code actions). */
  diagnosticToProgram(cellUri: string, d: Diagnostic): Diagnostic {
    const range = this.toProgramRange(cellUri, d.range);
    return range ? { ...d, range } : d;
  }

  /** A code action computed on the program: its edits and diagnostics moved to their cells. */
  actionToCells(action: CodeAction): CodeAction | undefined {
    const out: CodeAction = { ...action };
    if (action.diagnostics) {
      out.diagnostics = action.diagnostics.flatMap((d) => {
        const at = this.toCellRange(d.range);
        return at ? [{ ...d, range: at.range }] : [];
      });
    }
    const edits = action.edit?.changes?.[this.uri];
    if (edits) {
      const changes: Record<string, TextEdit[]> = {};
      for (const e of edits) {
        const at = this.toCellRange(e.range);
        if (!at) return undefined; // an edit we cannot place: better no action than a wrong one
        (changes[at.uri] ??= []).push({ range: at.range, newText: e.newText });
      }
      out.edit = { changes };
    }
    return out;
  }
}

/** The program cells of a notebook: code cells whose text document is Python. */
export function programCells(nb: NotebookDocument, cellDoc: (uri: string) => TextDocument | undefined): Array<{ uri: string; text: string }> {
  const out: Array<{ uri: string; text: string }> = [];
  for (const c of nb.cells) {
    if (c.kind !== NotebookCellKind.Code) continue;
    const doc = cellDoc(c.document);
    if (!doc || (doc.languageId && doc.languageId !== CELL_LANGUAGE)) continue;
    out.push({ uri: c.document, text: doc.getText() });
  }
  return out;
}

/** The notebookDocumentSync capability: Jupyter notebooks, Python cells. */
export const NOTEBOOK_SYNC = {
  notebookSelector: [{ notebook: { notebookType: NOTEBOOK_TYPE }, cells: [{ language: CELL_LANGUAGE }] }],
};
