// `# tensorlens: input=(1, 3, 224, 224)` directives: the input shape(s) of the model
// defined below the comment. Several inputs: `input=(1, 3, 64, 64), (1, 10)`;
// a batch dim may be `None` or `B`; an optional `dtype=int64` for token ids.

export interface InputDirective {
  /** 0-based line of the comment. */
  line: number;
  shapes: Array<Array<number | null>>;
  dtype?: string;
}

const RE = /#\s*tensorlens:\s*input\s*=\s*(.+)$/i;

export function parseInputDirectives(comments: Array<{ line: number; text: string }>): InputDirective[] {
  const out: InputDirective[] = [];
  for (const c of comments) {
    const m = RE.exec(c.text);
    if (!m) continue;
    let body = m[1].trim();
    let dtype: string | undefined;
    const dm = /\bdtype\s*=\s*([A-Za-z0-9_.]+)/.exec(body);
    if (dm) {
      dtype = dm[1].replace(/^torch\./, '').replace(/^long$/, 'int64');
      body = body.slice(0, dm.index).replace(/[,;\s]+$/, '');
    }
    const shapes: Array<Array<number | null>> = [];
    const groups = body.match(/[([][^()[\]]*[)\]]/g) ?? [body];
    for (const g of groups) {
      const dims = g.replace(/[()[\]]/g, '').split(/[,x×]/).map((s) => s.trim()).filter(Boolean);
      const shape = dims.map((d) => (/^(none|b|batch)$/i.test(d) ? null : /^\d+$/.test(d) ? parseInt(d, 10) : NaN));
      if (shape.length && shape.every((d) => d === null || Number.isFinite(d))) shapes.push(shape as Array<number | null>);
    }
    if (shapes.length) out.push({ line: c.line, shapes, dtype });
  }
  return out;
}
