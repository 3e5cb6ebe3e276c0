// Lines of a notebook summary: the language server analyses a notebook's code cells as one
// program, so the summary's lines are program lines; these map them to cells and back.

import type { NotebookCellStart } from './protocol';

/**
 * A notebook summary's lines are lines of the program its cells form: the cell holding a
 * 1-based program line and the 1-based line inside it, and back (cells sorted by start).
 */
export function programLineToCell(cells: readonly NotebookCellStart[], line: number): { uri: string; line: number } | undefined {
  let hit: NotebookCellStart | undefined;
  for (const c of cells) if (c.line <= line) hit = c;
  return hit ? { uri: hit.uri, line: line - hit.line + 1 } : undefined;
}

export function cellLineToProgram(cells: readonly NotebookCellStart[], uri: string, line: number): number | undefined {
  const c = cells.find((x) => x.uri === uri);
  return c ? c.line + line - 1 : undefined;
}
