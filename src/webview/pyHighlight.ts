// A small Python colouring for the read-only code panes: comments, strings (triple-quoted
// ones across lines), numbers, keywords, builtins, decorators and the names after def/class.
// It only classifies text; code.ts turns the pieces into text nodes inside spans.

export type TokenKind = 'kw' | 'str' | 'com' | 'num' | 'builtin' | 'const' | 'deco' | 'def' | 'self' | 'plain';

export interface Token {
  kind: TokenKind;
  text: string;
}

const KEYWORDS = new Set([
  'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally',
  'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try',
  'while', 'with', 'yield', 'match', 'case',
]);
const CONSTANTS = new Set(['True', 'False', 'None', 'Ellipsis', 'NotImplemented']);
const BUILTINS = new Set([
  'abs', 'all', 'any', 'bool', 'dict', 'enumerate', 'float', 'getattr', 'hasattr', 'int', 'isinstance', 'len', 'list', 'map',
  'max', 'min', 'print', 'range', 'reversed', 'round', 'setattr', 'sorted', 'str', 'sum', 'super', 'tuple', 'type', 'zip',
]);

// One alternative per token class, tried at the current position (sticky).
const STRING = /(?:[rRbBuUfF]{1,2})?(?:"""[\s\S]*?(?:"""|$(?![\s\S]))|'''[\s\S]*?(?:'''|$(?![\s\S]))|"(?:[^"\\\n]|\\.)*(?:"|(?=\n)|$)|'(?:[^'\\\n]|\\.)*(?:'|(?=\n)|$))/y;
const COMMENT = /#[^\n]*/y;
const NUMBER = /(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?[jJ]?)/y;
const IDENT = /[A-Za-z_\u00C0-\uFFFF][\w\u00C0-\uFFFF]*/y;
const DECORATOR = /@[A-Za-z_][\w.]*/y;
const OTHER = /[^A-Za-z_\u00C0-\uFFFF0-9"'#@.]+|./y;

function at(re: RegExp, text: string, i: number): string | undefined {
  re.lastIndex = i;
  const m = re.exec(text);
  return m && m[0].length ? m[0] : undefined;
}

/** Splits Python source into coloured tokens; concatenating their texts gives `text` back exactly. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let prevWord = '';
  let lineStart = true;
  const push = (kind: TokenKind, t: string) => {
    const last = out[out.length - 1];
    if (last && last.kind === kind && kind === 'plain') last.text += t;
    else out.push({ kind, text: t });
  };
  while (i < text.length) {
    const ch = text[i];
    let t: string | undefined;
    if (ch === '#' && (t = at(COMMENT, text, i))) push('com', t);
    else if (/[rRbBuUfF"']/.test(ch) && (t = at(STRING, text, i)) && /["']/.test(t)) push('str', t);
    else if (/[0-9.]/.test(ch) && /[0-9]/.test(text[ch === '.' ? i + 1 : i] ?? '') && !/[\w]/.test(text[i - 1] ?? '') && (t = at(NUMBER, text, i))) push('num', t);
    else if (ch === '@' && lineStart && (t = at(DECORATOR, text, i))) push('deco', t);
    else if ((t = at(IDENT, text, i))) {
      const kind: TokenKind = prevWord === 'def' || prevWord === 'class' ? 'def'
        : KEYWORDS.has(t) ? 'kw' : CONSTANTS.has(t) ? 'const' : t === 'self' || t === 'cls' ? 'self'
          : BUILTINS.has(t) && text[i - 1] !== '.' ? 'builtin' : 'plain';
      push(kind, t);
      prevWord = t;
      i += t.length;
      lineStart = false;
      continue;
    } else {
      t = at(OTHER, text, i) ?? ch;
      push('plain', t);
    }
    if (!/^\s+$/.test(t)) prevWord = '';
    i += t.length;
    if (t.includes('\n')) lineStart = /\n[ \t]*$/.test(t);
    else if (!/^[ \t]+$/.test(t)) lineStart = false;
  }
  return out;
}

/** The tokens of `text` split into lines (a token across lines becomes one piece per line). */
export function tokenLines(text: string): Token[][] {
  const lines: Token[][] = [[]];
  for (const tok of tokenize(text)) {
    const parts = tok.text.split('\n');
    parts.forEach((p, k) => {
      if (k > 0) lines.push([]);
      if (p) lines[lines.length - 1].push({ kind: tok.kind, text: p });
    });
  }
  return lines;
}
