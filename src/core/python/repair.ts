// Repairs for the half-typed code an editor shows most: a block header whose colon is not
// typed yet (`def forward(self, x)` above an indented body). tree-sitter's recovery can
// wrap the rest of the file in one error there and lose every class after it; with the
// colon supplied, the file parses and the error is reported where the colon is missing.

/** Keywords that open a block: a header line starting with one ends with `:`. */
const BLOCK_HEADER = /^(?:async\s+)?(?:def|class|if|elif|else|for|while|with|try|except|finally)\b/;

export interface ColonRepair {
  /** The text with the colons put in (at the end of each header's code, before any comment). */
  text: string;
  /** Where each colon went: 0-based line and UTF-16 column. */
  at: Array<{ line: number; col: number }>;
}

/**
 * Supplies the colon of each block header that lacks one and is followed by an indented
 * line: the header's logical line (brackets balanced, no backslash continuation) starts
 * with a block keyword and its code does not end with `:`. Undefined when there is none.
 */
export function repairMissingColons(text: string): ColonRepair | undefined {
  const lines = text.split('\n');
  const at: ColonRepair['at'] = [];
  let depth = 0;
  let start = -1;
  let inString: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (depth === 0 && !inString) start = i;
    const { code, depth: d, inString: s } = scanLine(line, depth, inString);
    depth = Math.max(0, d);
    inString = s;
    if (depth > 0 || inString || /\\\s*$/.test(code)) continue;
    const head = lines[start].trimStart();
    const end = code.trimEnd();
    if (!BLOCK_HEADER.test(head) || end.endsWith(':') || end.length === 0) continue;
    const next = nextCodeLine(lines, i + 1);
    if (next === undefined || indentOf(lines[next]) <= indentOf(lines[start])) continue;
    lines[i] = line.slice(0, end.length) + ':' + line.slice(end.length);
    at.push({ line: i, col: end.length });
  }
  return at.length ? { text: lines.join('\n'), at } : undefined;
}

/** The code part of a line (before a comment), and the bracket depth and open triple-quoted string after it. */
function scanLine(line: string, depth: number, inString: string | undefined): { code: string; depth: number; inString: string | undefined } {
  let quote = inString;
  for (let k = 0; k < line.length; k++) {
    const ch = line[k];
    if (quote) {
      if (ch === '\\') k++;
      else if (line.startsWith(quote, k)) {
        k += quote.length - 1;
        quote = undefined;
      }
      continue;
    }
    if (ch === '#') return { code: line.slice(0, k), depth, inString: undefined };
    if (ch === '"' || ch === "'") quote = line.startsWith(ch.repeat(3), k) ? ch.repeat(3) : ch;
    if (quote && quote.length === 3) k += 2;
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
  }
  // A one-quote string does not run past its line.
  return { code: line, depth, inString: quote && quote.length === 3 ? quote : undefined };
}

function nextCodeLine(lines: string[], from: number): number | undefined {
  for (let i = from; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t && !t.startsWith('#')) return i;
  }
  return undefined;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}
