// Jupyter notebooks as one program: code cells in order, joined; IPython magics and shell
// escapes become comments so the rest still parses; every program line maps back to its
// cell and line there. Pure text in, text out (the host reads the file).

export interface NotebookProgram {
  text: string;
  /** For each program line (0-based): its cell (0-based, counting code cells only) and line in the cell. */
  lineMap: Array<{ cell: number; line: number }>;
  /** Number of code cells. */
  cells: number;
}

export interface NotebookCell {
  source: string;
  /** Only code cells become program text. */
  kind: 'code' | 'markdown' | 'raw';
}

/** Parses .ipynb JSON (nbformat 4); returns undefined for text that is not a notebook. */
export function parseNotebook(json: string): NotebookCell[] | undefined {
  let nb: unknown;
  try {
    nb = JSON.parse(json);
  } catch {
    return undefined;
  }
  const cells = (nb as { cells?: unknown }).cells;
  if (!Array.isArray(cells)) return undefined;
  return cells.map((c) => {
    const src = (c as { source?: unknown }).source;
    const text = Array.isArray(src) ? src.join('') : typeof src === 'string' ? src : '';
    const t = (c as { cell_type?: unknown }).cell_type;
    return { source: text, kind: t === 'code' ? 'code' : t === 'markdown' ? 'markdown' : 'raw' };
  });
}

const MAGIC = /^(\s*)([%!?]|%%)/;

export function notebookProgram(cells: NotebookCell[]): NotebookProgram {
  const lines: string[] = [];
  const lineMap: NotebookProgram['lineMap'] = [];
  let cellIndex = 0;
  for (const c of cells) {
    if (c.kind !== 'code') continue;
    const src = c.source.replace(/\r\n?/g, '\n').split('\n');
    // A cell magic (%%time, %%capture) applies to the whole cell: the rest is still Python unless it is %%bash etc.
    const cellMagic = /^%%(\w+)/.exec(src[0] ?? '');
    const pythonBody = !cellMagic || ['time', 'timeit', 'capture', 'prun'].includes(cellMagic[1]);
    src.forEach((l, i) => {
      let line = l;
      if (i === 0 && cellMagic) line = `# ${l}`;
      else if (!pythonBody) line = `# ${l}`;
      else if (MAGIC.test(l)) line = l.replace(MAGIC, '$1pass  # ');
      lines.push(line);
      lineMap.push({ cell: cellIndex, line: i });
    });
    cellIndex++;
  }
  return { text: lines.join('\n') + '\n', lineMap, cells: cellIndex };
}
