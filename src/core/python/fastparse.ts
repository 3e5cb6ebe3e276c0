// A hand-written tokenizer + recursive-descent parser for Python 3 that builds directly the
// same `Module` that `toModule(tree)` (ast.ts) builds from a tree-sitter tree: same node
// kinds, field values and positions (0-based line, column in UTF-16 code units, as
// web-tree-sitter reports them for JS strings), same comments, errors = [].
// It is a fast path only: `fastParse` returns null (never throws) for any syntax error and
// for any construct whose tree-sitter rendering it is not sure to reproduce; the caller then
// falls back to tree-sitter. Pure TypeScript, no Node APIs.
//
// Deliberately null (valid Python that tree-sitter renders in ways not reproduced here):
// match statements, `\N{...}` escapes, `print >>f` / `type (x).y = 1` (tree-sitter makes them
// print / type-alias statements), `*f()` where tree-sitter's GLR may build `(*f)()`, PEP 701
// f-strings (reused quotes, backslashes or comments inside replacement fields), line
// continuations at spots whose rendering is not mirrored, a lone CR, tab/space-inconsistent
// indentation, and nesting deeper than MAX_NEST (well below ast.ts's MAX_DEPTH).

import type { Arg, Comprehension, Module, Node, Param, Pos } from './ast';
import { formattedField, fstringBraces } from './ast';

// ---------------------------------------------------------------------------------------
// Token kinds

const EOF = 0, NEWLINE = 1, INDENT = 2, DEDENT = 3, NAME = 4, NUMBER = 5, STRING = 6;
const FSTART = 7, FMID = 8, FEND = 9, FLBRACE = 10, FRBRACE = 11, FCOLON = 12, FBANG = 13;
const LPAR = 20, RPAR = 21, LSQB = 22, RSQB = 23, LBRACE = 24, RBRACE = 25, COMMA = 26, COLON = 27, SEMI = 28;
const DOT = 29, ELLIPSIS = 30, AT = 31, EQ = 32, ARROW = 33, AUGASSIGN = 34, WALRUS = 35;
const PLUS = 36, MINUS = 37, STAR = 38, SLASH = 39, DSLASH = 40, PERCENT = 41, DSTAR = 42;
const LSHIFT = 43, RSHIFT = 44, AMP = 45, PIPE = 46, CARET = 47, TILDE = 48;
const LT = 49, GT = 50, LE = 51, GE = 52, EQEQ = 53, NE = 54;
// keywords
const K_FALSE = 60, K_NONE = 61, K_TRUE = 62, K_AND = 63, K_AS = 64, K_ASSERT = 65, K_ASYNC = 66, K_AWAIT = 67;
const K_BREAK = 68, K_CLASS = 69, K_CONTINUE = 70, K_DEF = 71, K_DEL = 72, K_ELIF = 73, K_ELSE = 74, K_EXCEPT = 75;
const K_FINALLY = 76, K_FOR = 77, K_FROM = 78, K_GLOBAL = 79, K_IF = 80, K_IMPORT = 81, K_IN = 82, K_IS = 83;
const K_LAMBDA = 84, K_NONLOCAL = 85, K_NOT = 86, K_OR = 87, K_PASS = 88, K_RAISE = 89, K_RETURN = 90, K_TRY = 91;
const K_WHILE = 92, K_WITH = 93, K_YIELD = 94;

const KEYWORDS = new Map<string, number>([
  ['False', K_FALSE], ['None', K_NONE], ['True', K_TRUE], ['and', K_AND], ['as', K_AS], ['assert', K_ASSERT],
  ['async', K_ASYNC], ['await', K_AWAIT], ['break', K_BREAK], ['class', K_CLASS], ['continue', K_CONTINUE],
  ['def', K_DEF], ['del', K_DEL], ['elif', K_ELIF], ['else', K_ELSE], ['except', K_EXCEPT], ['finally', K_FINALLY],
  ['for', K_FOR], ['from', K_FROM], ['global', K_GLOBAL], ['if', K_IF], ['import', K_IMPORT], ['in', K_IN],
  ['is', K_IS], ['lambda', K_LAMBDA], ['nonlocal', K_NONLOCAL], ['not', K_NOT], ['or', K_OR], ['pass', K_PASS],
  ['raise', K_RAISE], ['return', K_RETURN], ['try', K_TRY], ['while', K_WHILE], ['with', K_WITH], ['yield', K_YIELD],
]);

/** Thrown (and caught in fastParse) whenever the input is not certainly reproduced. */
class Bail {}
const BAIL = new Bail();
function bail(): never {
  throw BAIL;
}

// Character classes for ASCII.
const CH_ID_START = 1, CH_ID = 2, CH_DIGIT = 4;
const CHARS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) CHARS[c] = CH_ID_START | CH_ID;
  else if (c >= 48 && c <= 57) CHARS[c] = CH_ID | CH_DIGIT;
}
const ID_START_RE = /[_\p{XID_Start}]/u;
const ID_CONT_RE = /\p{XID_Continue}/u;

interface FFrame {
  /** 0: string literal part, 1: replacement field expression, 2: format spec */
  kind: 0 | 1 | 2;
  quote: number;
  triple: boolean;
  raw: boolean;
  /** bracket depth inside the field (kind 1/2) */
  depth: number;
}

// ---------------------------------------------------------------------------------------
// Tokenizer: fills parallel arrays.

class Tokens {
  n = 0;
  cap: number;
  kind: Uint8Array;
  start: Int32Array;
  end: Int32Array;
  line: Int32Array;
  col: Int32Array;
  eline: Int32Array;
  ecol: Int32Array;
  /** per token: 1 = a comment precedes it (inside brackets), 2 = a line continuation precedes it */
  extra: Uint8Array;
  /** Reused arrays (tokensFor): entries up to here may hold a former parse's token kinds. */
  stale = 0;
  /** NAME: the identifier; AUGASSIGN: the operator */
  str: Array<string | undefined> = [];
  /** NUMBER: 1 = float; STRING / FSTART: flags, prefix length, triple */
  aux: Int32Array;

  constructor(textLength: number) {
    const cap = (this.cap = Math.max(64, textLength >> 2));
    this.kind = new Uint8Array(cap);
    this.start = new Int32Array(cap);
    this.end = new Int32Array(cap);
    this.line = new Int32Array(cap);
    this.col = new Int32Array(cap);
    this.eline = new Int32Array(cap);
    this.ecol = new Int32Array(cap);
    this.extra = new Uint8Array(cap);
    this.aux = new Int32Array(cap);
  }

  grow(): void {
    const cap = this.cap * 2;
    const g8 = (a: Uint8Array) => {
      const b = new Uint8Array(cap);
      b.set(a);
      return b;
    };
    const g32 = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.kind = g8(this.kind);
    this.extra = g8(this.extra);
    this.start = g32(this.start);
    this.end = g32(this.end);
    this.line = g32(this.line);
    this.col = g32(this.col);
    this.eline = g32(this.eline);
    this.ecol = g32(this.ecol);
    this.aux = g32(this.aux);
    this.cap = cap;
  }
}

const STR_RAW = 1, STR_BYTES = 2, STR_F = 4;

/**
 * The token arrays of the last parse, kept for the next: a parse reads its tokens only while
 * it runs (the tree keeps none of them), and typed arrays are slow to allocate. fastParse
 * takes them and gives them back; a parse started during another (none is) makes its own.
 */
let spareTokens: Tokens | undefined;

function tokensFor(textLength: number): Tokens {
  const T = spareTokens;
  spareTokens = undefined;
  if (!T || T.cap < textLength >> 2) return new Tokens(textLength);
  T.stale = Math.max(T.stale, T.n);
  T.n = 0;
  return T;
}

function releaseTokens(T: Tokens): void {
  // A very large file's arrays are not kept (memory).
  if (T.cap <= 1 << 18) spareTokens = T;
}

function tokenize(text: string, comments: Module['comments']): Tokens {
  const T = tokensFor(text.length);
  const len = text.length;
  let pos = 0;
  let line = 0;
  let lineStart = 0;
  let depth = 0; // bracket depth (including f-string fields)
  const indents: number[] = [0];
  const altIndents: number[] = [0];
  let atLineStart = true;
  // End of the last token or same-line trailing comment (for NEWLINE / block ends).
  let lastLine = 0, lastCol = 0;
  let pendingExtra = 0;
  /** A `\\` continuation seen since the last token (a second one before the next token: not handled). */
  let pendingLc = false;
  let lineHasTokens = false; // the current logical line has tokens (a NEWLINE is due)
  const fstack: FFrame[] = [];
  // comment-only lines seen since the last logical line: indent, end line, end col
  const pendIndent: number[] = [];
  const pendLine: number[] = [];
  const pendCol: number[] = [];

  const push = (kind: number, s: number, e: number, l: number, c: number, el: number, ec: number): number => {
    if (T.n === T.cap) T.grow();
    const i = T.n++;
    T.kind[i] = kind;
    T.start[i] = s;
    T.end[i] = e;
    T.line[i] = l;
    T.col[i] = c;
    T.eline[i] = el;
    T.ecol[i] = ec;
    T.extra[i] = pendingExtra;
    // (The arrays may be a former parse's: no field of a token is left as it found it.)
    T.aux[i] = 0;
    T.str[i] = undefined;
    pendingLc = false;
    pendingExtra = 0;
    return i;
  };
  const pushSimple = (kind: number, s: number, e: number): number => {
    lastLine = line;
    lastCol = e - lineStart;
    lineHasTokens = true;
    return push(kind, s, e, line, s - lineStart, line, e - lineStart);
  };

  /** Emits DEDENTs down to indent k (tree-sitter's comment placement decides each block's end). */
  const dedentTo = (k: number, altK: number): void => {
    let curL = lastLine, curC = lastCol;
    for (let j = 0; j < pendIndent.length; j++) {
      const c = pendIndent[j];
      while (indents.length > 1 && indents[indents.length - 1] > c && indents[indents.length - 1] > k) {
        indents.pop();
        altIndents.pop();
        push(DEDENT, 0, 0, curL, curC, curL, curC);
      }
      curL = pendLine[j];
      curC = pendCol[j];
    }
    while (indents[indents.length - 1] > k) {
      indents.pop();
      altIndents.pop();
      push(DEDENT, 0, 0, curL, curC, curL, curC);
    }
    if (indents[indents.length - 1] !== k || altIndents[altIndents.length - 1] !== altK) bail();
    if (pendIndent.length) {
      pendIndent.length = 0;
      pendLine.length = 0;
      pendCol.length = 0;
    }
  };

  const newlineToken = (): void => {
    if (lineHasTokens) {
      push(NEWLINE, 0, 0, lastLine, lastCol, lastLine, lastCol);
      lineHasTokens = false;
    }
  };

  /** Scans a (non-f) string or the start of an f-string at pos (prefix already measured). */
  const scanString = (s: number, prefixEnd: number, flags: number): void => {
    const q = text.charCodeAt(prefixEnd);
    let p = prefixEnd + 1;
    let triple = false;
    if (text.charCodeAt(p) === q && text.charCodeAt(p + 1) === q) {
      triple = true;
      p += 2;
    }
    for (const f of fstack) if (f.kind === 0 && f.quote === q) bail(); // PEP 701 quote reuse
    if (flags & STR_F) {
      const l = line, c = s - lineStart;
      const i = push(FSTART, s, p, l, c, line, p - lineStart);
      T.aux[i] = flags;
      lastLine = line;
      lastCol = p - lineStart;
      lineHasTokens = true;
      fstack.push({ kind: 0, quote: q, triple, raw: (flags & STR_RAW) !== 0, depth: 0 });
      pos = p;
      return;
    }
    const sl = line, sc = s - lineStart;
    const raw = (flags & STR_RAW) !== 0;
    const bytes = (flags & STR_BYTES) !== 0;
    for (;;) {
      if (p >= len) bail();
      const ch = text.charCodeAt(p);
      if (ch === q) {
        if (!triple) {
          p++;
          break;
        }
        if (text.charCodeAt(p + 1) === q && text.charCodeAt(p + 2) === q) {
          p += 3;
          break;
        }
        p++;
        continue;
      }
      if (ch === 92) {
        // backslash
        const nx = text.charCodeAt(p + 1);
        if (nx === 10) {
          p += 2;
          line++;
          lineStart = p;
          continue;
        }
        if (nx === 13) bail();
        if (!raw) checkEscape(text, p, bytes);
        if (p + 1 >= len) bail();
        p += 2;
        continue;
      }
      if (ch === 10) {
        if (!triple) bail();
        p++;
        line++;
        lineStart = p;
        continue;
      }
      if (ch === 13) {
        if (text.charCodeAt(p + 1) !== 10) bail();
        p++;
        continue;
      }
      if (bytes && ch > 127) bail();
      p++;
    }
    const i = push(STRING, s, p, sl, sc, line, p - lineStart);
    T.aux[i] = flags | ((prefixEnd - s) << 8) | (triple ? 1 << 16 : 0);
    lastLine = line;
    lastCol = p - lineStart;
    lineHasTokens = true;
    pos = p;
  };

  /** Scans literal text of the f-string on top of the stack (kind 0 or 2). */
  const scanFLiteral = (): void => {
    const f = fstack[fstack.length - 1];
    const s = pos;
    const sl = line, sc = s - lineStart;
    let p = pos;
    for (;;) {
      if (p >= len) bail();
      const ch = text.charCodeAt(p);
      if (ch === f.quote && f.kind === 0) {
        if (!f.triple) break;
        if (text.charCodeAt(p + 1) === f.quote && text.charCodeAt(p + 2) === f.quote) break;
        p++;
        continue;
      }
      if (ch === 123) {
        // {
        if (f.kind === 0 && text.charCodeAt(p + 1) === 123) {
          p += 2;
          continue;
        }
        break;
      }
      if (ch === 125) {
        // }
        if (f.kind === 2) break;
        if (text.charCodeAt(p + 1) === 125) {
          p += 2;
          continue;
        }
        bail();
      }
      if (ch === 92) {
        if (f.kind === 2) bail();
        const nx = text.charCodeAt(p + 1);
        if (nx === 10) {
          p += 2;
          line++;
          lineStart = p;
          continue;
        }
        if (nx === 123 || nx === 125 || nx === 13) bail();
        if (!f.raw) checkEscape(text, p, false);
        p += 2;
        continue;
      }
      if (ch === 10) {
        if (!f.triple || f.kind === 2) bail();
        p++;
        line++;
        lineStart = p;
        continue;
      }
      if (ch === 13) bail();
      if (f.kind === 2 && (ch === f.quote || ch === 39 || ch === 34)) bail();
      p++;
    }
    if (p > s) {
      push(FMID, s, p, sl, sc, line, p - lineStart);
      lastLine = line;
      lastCol = p - lineStart;
    }
    pos = p;
    const ch = text.charCodeAt(p);
    if (ch === 123) {
      push(FLBRACE, p, p + 1, line, p - lineStart, line, p + 1 - lineStart);
      depth++;
      fstack.push({ kind: 1, quote: 0, triple: false, raw: false, depth });
      pos = p + 1;
    } else if (ch === 125) {
      // end of a format spec: closes the field
      fstack.pop();
      fstack.pop();
      depth--;
      push(FRBRACE, p, p + 1, line, p - lineStart, line, p + 1 - lineStart);
      pos = p + 1;
    } else {
      // closing quote
      const e = p + (f.triple ? 3 : 1);
      push(FEND, p, e, line, p - lineStart, line, e - lineStart);
      fstack.pop();
      pos = e;
    }
    lastLine = line;
    lastCol = pos - lineStart;
  };

  while (true) {
    if (fstack.length) {
      const top = fstack[fstack.length - 1];
      if (top.kind !== 1) {
        scanFLiteral();
        continue;
      }
    }
    if (atLineStart) {
      atLineStart = false;
      // Measure indentation; skip blank and comment-only lines.
      let ind = 0, alt = 0;
      let p = pos;
      let sawSpace = false, sawTab = false;
      for (;;) {
        const ch = p < len ? text.charCodeAt(p) : -1;
        if (ch === 32) {
          ind++;
          alt++;
          sawSpace = true;
          p++;
        } else if (ch === 9) {
          ind += 8;
          alt++;
          sawTab = true;
          p++;
        } else if (ch === 12) {
          ind = 0;
          alt = 0;
          p++;
        } else if (ch === 10 || ch === 13) {
          if (ch === 13) {
            if (text.charCodeAt(p + 1) !== 10) bail();
            p++;
          }
          p++;
          line++;
          lineStart = p;
          ind = alt = 0;
          sawSpace = sawTab = false;
        } else if (ch === 35) {
          // comment-only line
          let e = p;
          while (e < len && text.charCodeAt(e) !== 10) e++;
          comments.push({ line, col: p - lineStart, text: text.slice(p, e) });
          pendIndent.push(ind);
          pendLine.push(line);
          pendCol.push(e - lineStart);
          p = e;
          ind = alt = 0;
          sawSpace = sawTab = false;
        } else if (ch === -1) {
          pos = p;
          break;
        } else {
          if (ch === 92) bail(); // backslash at line start
          pos = p;
          if (sawSpace && sawTab) bail();
          const top = indents[indents.length - 1];
          if (ind > top) {
            if (alt <= altIndents[altIndents.length - 1]) bail();
            // comments before an indented block stay in the enclosing construct; no dedent happens
            if (pendIndent.length) {
              pendIndent.length = 0;
              pendLine.length = 0;
              pendCol.length = 0;
            }
            indents.push(ind);
            altIndents.push(alt);
            push(INDENT, p, p, line, p - lineStart, line, p - lineStart);
          } else if (ind < top) {
            dedentTo(ind, alt);
          } else {
            if (alt !== altIndents[altIndents.length - 1]) bail();
            if (pendIndent.length) {
              pendIndent.length = 0;
              pendLine.length = 0;
              pendCol.length = 0;
            }
          }
          break;
        }
      }
      if (pos >= len) break;
    }
    if (pos >= len) break;
    const ch = text.charCodeAt(pos);
    // whitespace
    if (ch === 32 || ch === 9 || ch === 12) {
      pos++;
      continue;
    }
    if (ch === 10 || ch === 13) {
      if (ch === 13) {
        if (text.charCodeAt(pos + 1) !== 10) bail();
        pos++;
      }
      pos++;
      line++;
      lineStart = pos;
      if (depth === 0) {
        newlineToken();
        atLineStart = true;
      } else if (fstack.length) {
        // newline inside an f-string replacement field
        let triple = false;
        for (const f of fstack) if (f.kind === 0 && f.triple) triple = true;
        if (!triple) bail();
      }
      continue;
    }
    if (ch === 35) {
      // comment
      if (fstack.length) bail();
      let e = pos;
      while (e < len && text.charCodeAt(e) !== 10) e++;
      comments.push({ line, col: pos - lineStart, text: text.slice(pos, e) });
      if (depth > 0) pendingExtra |= 1;
      else {
        lastLine = line;
        lastCol = e - lineStart;
      }
      pos = e;
      continue;
    }
    if (ch === 92) {
      // line continuation
      if (fstack.length) bail();
      let p = pos + 1;
      if (text.charCodeAt(p) === 13) p++;
      if (text.charCodeAt(p) !== 10) bail();
      if (pendingLc) bail();
      pendingLc = true;
      pendingExtra |= 2;
      pos = p + 1;
      line++;
      lineStart = pos;
      // the next line must have a token on it
      let q = pos;
      while (q < len && (text.charCodeAt(q) === 32 || text.charCodeAt(q) === 9)) q++;
      if (q >= len) bail();
      const c2 = text.charCodeAt(q);
      if (c2 === 10 || c2 === 13 || c2 === 35 || c2 === 92) bail();
      continue;
    }
    const s = pos;
    if (ch < 128) {
      const cls = CHARS[ch];
      if (cls & CH_ID_START) {
        let p = pos + 1;
        while (p < len) {
          const c = text.charCodeAt(p);
          if (c < 128 ? (CHARS[c] & CH_ID) === 0 : !ID_CONT_RE.test(text[p])) break;
          p++;
        }
        // string prefix?
        const q = p < len ? text.charCodeAt(p) : 0;
        if ((q === 34 || q === 39) && p - s <= 2) {
          const flags = stringPrefix(text, s, p);
          if (flags >= 0) {
            scanString(s, p, flags);
            continue;
          }
          bail();
        }
        const word = text.slice(s, p);
        const kw = KEYWORDS.get(word);
        const i = pushSimple(kw ?? NAME, s, p);
        if (kw === undefined) T.str[i] = word;
        pos = p;
        continue;
      }
      if (cls & CH_DIGIT || (ch === 46 && (CHARS[text.charCodeAt(pos + 1)] & CH_DIGIT) !== 0)) {
        const e = scanNumber(text, pos);
        const i = pushSimple(NUMBER, s, e);
        T.aux[i] = numberIsFloat(text, s, e) ? 1 : 0;
        pos = e;
        continue;
      }
      if (ch === 34 || ch === 39) {
        scanString(s, s, 0);
        continue;
      }
      // operators
      const c1 = text.charCodeAt(pos + 1);
      const c2 = text.charCodeAt(pos + 2);
      let k = 0;
      let n = 1;
      switch (ch) {
        case 40:
          k = LPAR;
          depth++;
          break;
        case 41:
          k = RPAR;
          depth--;
          break;
        case 91:
          k = LSQB;
          depth++;
          break;
        case 93:
          k = RSQB;
          depth--;
          break;
        case 123:
          k = LBRACE;
          depth++;
          break;
        case 125: {
          const top = fstack.length ? fstack[fstack.length - 1] : undefined;
          if (top && top.kind === 1 && depth === top.depth) {
            fstack.pop();
            depth--;
            k = FRBRACE;
          } else {
            k = RBRACE;
            depth--;
          }
          break;
        }
        case 44:
          k = COMMA;
          break;
        case 58: {
          if (c1 === 61) {
            k = WALRUS;
            n = 2;
            break;
          }
          const top = fstack.length ? fstack[fstack.length - 1] : undefined;
          if (top && top.kind === 1 && depth === top.depth) {
            fstack.push({ kind: 2, quote: 0, triple: false, raw: false, depth });
            k = FCOLON;
          } else k = COLON;
          break;
        }
        case 59:
          k = SEMI;
          break;
        case 46:
          if (c1 === 46 && c2 === 46) {
            k = ELLIPSIS;
            n = 3;
          } else k = DOT;
          break;
        case 64:
          if (c1 === 61) {
            k = AUGASSIGN;
            n = 2;
          } else k = AT;
          break;
        case 61:
          if (c1 === 61) {
            k = EQEQ;
            n = 2;
          } else k = EQ;
          break;
        case 33:
          if (c1 === 61) {
            k = NE;
            n = 2;
          } else {
            const top = fstack.length ? fstack[fstack.length - 1] : undefined;
            if (top && top.kind === 1 && depth === top.depth) k = FBANG;
            else bail();
          }
          break;
        case 45:
          if (c1 === 62) {
            k = ARROW;
            n = 2;
          } else if (c1 === 61) {
            k = AUGASSIGN;
            n = 2;
          } else k = MINUS;
          break;
        case 43:
          if (c1 === 61) {
            k = AUGASSIGN;
            n = 2;
          } else k = PLUS;
          break;
        case 42:
          if (c1 === 42) {
            if (c2 === 61) {
              k = AUGASSIGN;
              n = 3;
            } else {
              k = DSTAR;
              n = 2;
            }
          } else if (c1 === 61) {
            k = AUGASSIGN;
            n = 2;
          } else k = STAR;
          break;
        case 47:
          if (c1 === 47) {
            if (c2 === 61) {
              k = AUGASSIGN;
              n = 3;
            } else {
              k = DSLASH;
              n = 2;
            }
          } else if (c1 === 61) {
            k = AUGASSIGN;
            n = 2;
          } else k = SLASH;
          break;
        case 37:
          if (c1 === 61) {
            k = AUGASSIGN;
            n = 2;
          } else k = PERCENT;
          break;
        case 60:
          if (c1 === 60) {
            if (c2 === 61) {
              k = AUGASSIGN;
              n = 3;
            } else {
              k = LSHIFT;
              n = 2;
            }
          } else if (c1 === 61) {
            k = LE;
            n = 2;
          } else if (c1 === 62) bail();
          else k = LT;
          break;
        case 62:
          if (c1 === 62) {
            if (c2 === 61) {
              k = AUGASSIGN;
              n = 3;
            } else {
              k = RSHIFT;
              n = 2;
            }
          } else if (c1 === 61) {
            k = GE;
            n = 2;
          } else k = GT;
          break;
        case 38:
          if (c1 === 61) {
            k = AUGASSIGN;
            n = 2;
          } else k = AMP;
          break;
        case 124:
          if (c1 === 61) {
            k = AUGASSIGN;
            n = 2;
          } else k = PIPE;
          break;
        case 94:
          if (c1 === 61) {
            k = AUGASSIGN;
            n = 2;
          } else k = CARET;
          break;
        case 126:
          k = TILDE;
          break;
        default:
          bail();
      }
      if (depth < 0) bail();
      const i = pushSimple(k, s, s + n);
      if (k === AUGASSIGN) T.str[i] = text.slice(s, s + n - 1);
      pos = s + n;
      continue;
    }
    // non-ASCII: identifier?
    const cp = text.codePointAt(pos)!;
    const chs = String.fromCodePoint(cp);
    if (!ID_START_RE.test(chs)) bail();
    let p = pos + chs.length;
    while (p < len) {
      const c = text.charCodeAt(p);
      if (c < 128) {
        if ((CHARS[c] & CH_ID) === 0) break;
        p++;
      } else {
        const cp2 = text.codePointAt(p)!;
        const s2 = String.fromCodePoint(cp2);
        if (!ID_CONT_RE.test(s2)) break;
        p += s2.length;
      }
    }
    const i = pushSimple(NAME, s, p);
    T.str[i] = text.slice(s, p);
    pos = p;
  }
  if (fstack.length || depth !== 0) bail();
  newlineToken();
  dedentTo(0, 0);
  push(EOF, len, len, line, pos - lineStart, line, pos - lineStart);
  // Past the end reads as EOF (0), as in fresh arrays: the kinds a former parse left there are cleared.
  if (T.stale > T.n) T.kind.fill(EOF, T.n, T.stale);
  T.stale = 0;
  return T;
}

/** Flags of a string prefix text[s, e) (before a quote), or -1 if not a valid prefix. */
function stringPrefix(text: string, s: number, e: number): number {
  let flags = 0;
  for (let p = s; p < e; p++) {
    const c = text.charCodeAt(p) | 32;
    if (c === 114) {
      if (flags & STR_RAW) return -1;
      flags |= STR_RAW;
    } else if (c === 98) {
      if (flags & (STR_BYTES | STR_F)) return -1;
      flags |= STR_BYTES;
    } else if (c === 102) {
      if (flags & (STR_BYTES | STR_F)) return -1;
      flags |= STR_F;
    } else if (c === 117) {
      if (e - s !== 1) return -1;
    } else return -1;
  }
  return flags;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** Python rejects truncated \x / \u / \U escapes; \N{...} names cannot be checked here. */
function checkEscape(text: string, p: number, bytes: boolean): void {
  const nx = text.charCodeAt(p + 1);
  let need = 0;
  if (nx === 120) need = 2;
  else if (!bytes && nx === 117) need = 4;
  else if (!bytes && nx === 85) need = 8;
  else if (!bytes && nx === 78) bail();
  for (let k = 0; k < need; k++) if (!isHex(text.charCodeAt(p + 2 + k))) bail();
}

function scanNumber(text: string, p: number): number {
  const len = text.length;
  const c0 = text.charCodeAt(p);
  const c1 = text.charCodeAt(p + 1) | 32;
  const digitsRun = (q: number, ok: (c: number) => boolean): number => {
    // digits with single underscores between digits; requires at least one digit
    if (!ok(text.charCodeAt(q))) bail();
    q++;
    for (;;) {
      const c = text.charCodeAt(q);
      if (ok(c)) q++;
      else if (c === 95) {
        if (!ok(text.charCodeAt(q + 1))) bail();
        q += 2;
      } else return q;
    }
  };
  const dec = (c: number) => c >= 48 && c <= 57;
  let q: number;
  if (c0 === 48 && (c1 === 120 || c1 === 111 || c1 === 98)) {
    const ok = c1 === 120 ? isHex : c1 === 111 ? (c: number) => c >= 48 && c <= 55 : (c: number) => c === 48 || c === 49;
    q = p + 2;
    if (text.charCodeAt(q) === 95) q++;
    q = digitsRun(q, ok);
  } else {
    let intPart = false;
    q = p;
    if (c0 !== 46) {
      q = digitsRun(q, dec);
      intPart = true;
    }
    let isFloat = false;
    if (text.charCodeAt(q) === 46) {
      isFloat = true;
      q++;
      if (dec(text.charCodeAt(q))) q = digitsRun(q, dec);
      else if (!intPart) bail();
    }
    const e = text.charCodeAt(q) | 32;
    if (e === 101) {
      let r = q + 1;
      const sg = text.charCodeAt(r);
      if (sg === 43 || sg === 45) r++;
      if (!dec(text.charCodeAt(r))) bail();
      q = digitsRun(r, dec);
      isFloat = true;
    }
    if ((text.charCodeAt(q) | 32) === 106) q++;
    else if (!isFloat && intPart) {
      // leading zeros are only allowed for zero
      if (c0 === 48) for (let r = p; r < q; r++) if (text.charCodeAt(r) !== 48 && text.charCodeAt(r) !== 95) bail();
    }
  }
  if (q < len) {
    const c = text.charCodeAt(q);
    if (c >= 128 || (CHARS[c] & CH_ID) !== 0 || c === 46) bail();
  }
  return q;
}

function numberIsFloat(text: string, s: number, e: number): boolean {
  const c1 = text.charCodeAt(s + 1) | 32;
  if (text.charCodeAt(s) === 48 && (c1 === 120 || c1 === 111 || c1 === 98)) return false;
  for (let p = s; p < e; p++) {
    const c = text.charCodeAt(p) | 32;
    if (c === 46 || c === 101) return true;
  }
  return false;
}

/**
 * tree-sitter folds a raw string's last literal segment into string_end when it consists
 * only of `\\` / `\<quote>` pairs; such a segment contributes nothing.
 */
function rawTail(c: string, quote: number): string {
  if (c.length % 2) return c;
  for (let j = 0; j < c.length; j += 2) {
    if (c.charCodeAt(j) !== 92) return c;
    const d = c.charCodeAt(j + 1);
    if (d !== 92 && d !== quote) {
      if (d === 34 || d === 39) bail();
      return c;
    }
  }
  return '';
}

function unescape(s: string): string {
  let i = s.indexOf('\\');
  if (i < 0) return s;
  let out = s.slice(0, i);
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c !== 92) {
      out += s[i];
      i++;
      continue;
    }
    const e = s.charCodeAt(i + 1);
    switch (e) {
      case 110:
        out += '\n';
        i += 2;
        continue;
      case 116:
        out += '\t';
        i += 2;
        continue;
      case 114:
        out += '\r';
        i += 2;
        continue;
      case 92:
      case 39:
      case 34:
        out += s[i + 1];
        i += 2;
        continue;
      case 120:
        if (isHex(s.charCodeAt(i + 2)) && isHex(s.charCodeAt(i + 3))) {
          out += String.fromCharCode(parseInt(s.slice(i + 2, i + 4), 16));
          i += 4;
          continue;
        }
        break;
      case 117:
        if (isHex(s.charCodeAt(i + 2)) && isHex(s.charCodeAt(i + 3)) && isHex(s.charCodeAt(i + 4)) && isHex(s.charCodeAt(i + 5))) {
          out += String.fromCharCode(parseInt(s.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        break;
      default:
        break;
    }
    out += '\\';
    i++;
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Parser

/** tree-sitter-python's binary operator precedences (note: ^ binds tighter than &). */
const BIN_PREC = new Int8Array(64);
const BIN_OP: string[] = [];
BIN_PREC[PIPE] = 14; BIN_OP[PIPE] = '|';
BIN_PREC[AMP] = 15; BIN_OP[AMP] = '&';
BIN_PREC[CARET] = 16; BIN_OP[CARET] = '^';
BIN_PREC[LSHIFT] = 17; BIN_OP[LSHIFT] = '<<';
BIN_PREC[RSHIFT] = 17; BIN_OP[RSHIFT] = '>>';
BIN_PREC[PLUS] = 18; BIN_OP[PLUS] = '+';
BIN_PREC[MINUS] = 18; BIN_OP[MINUS] = '-';
BIN_PREC[STAR] = 19; BIN_OP[STAR] = '*';
BIN_PREC[AT] = 19; BIN_OP[AT] = '@';
BIN_PREC[SLASH] = 19; BIN_OP[SLASH] = '/';
BIN_PREC[PERCENT] = 19; BIN_OP[PERCENT] = '%';
BIN_PREC[DSLASH] = 19; BIN_OP[DSLASH] = '//';
BIN_PREC[DSTAR] = 21; BIN_OP[DSTAR] = '**';

const MAX_NEST = 120;

class Parser {
  i = 0;
  nest = 0;
  /** parenthesized Name/Attr/Subscript -> [open, close] tokens (-1: doubly parenthesized) */
  private parenSpan = new Map<Node, number[]>();
  /** the current simple statement starts with `print` / `exec` (extra GLR ambiguity in tree-sitter) */
  private printStmt = false;
  private readonly k: Uint8Array;
  private readonly ex: Uint8Array;
  private readonly L: Int32Array;
  private readonly C: Int32Array;
  private readonly EL: Int32Array;
  private readonly EC: Int32Array;

  constructor(private readonly text: string, private readonly T: Tokens) {
    this.k = T.kind;
    this.ex = T.extra;
    this.L = T.line;
    this.C = T.col;
    this.EL = T.eline;
    this.EC = T.ecol;
  }

  // ---- helpers
  private expect(kind: number): number {
    if (this.k[this.i] !== kind) bail();
    return this.i++;
  }
  private pos(a: number, b: number): Pos {
    const T = this.T;
    return { line: T.line[a], col: T.col[a], endLine: T.eline[b], endCol: T.ecol[b] };
  }
  private name(tok: number): string {
    return this.T.str[tok]!;
  }
  private enter(): void {
    if (++this.nest > MAX_NEST) bail();
  }
  /** Was the expression starting at token a parenthesized (its node starts later than a)? */
  private parenthesized(node: Node, a: number): boolean {
    return node.line !== this.T.line[a] || node.col !== this.T.col[a];
  }

  // ---- module / blocks
  file(): Node[] {
    const out: Node[] = [];
    while (this.k[this.i] !== EOF) this.statement(out);
    return out;
  }

  /** end position of the last parsed suite */
  private suiteEndLine = 0;
  private suiteEndCol = 0;

  private suite(): Node[] {
    this.expect(COLON);
    const out: Node[] = [];
    if (this.k[this.i] === NEWLINE) {
      this.i++;
      this.expect(INDENT);
      this.enter();
      while (this.k[this.i] !== DEDENT) {
        if (this.k[this.i] === EOF) bail();
        this.statement(out);
      }
      this.nest--;
      const d = this.i++;
      this.suiteEndLine = this.T.eline[d];
      this.suiteEndCol = this.T.ecol[d];
      return out;
    }
    this.simpleStatements(out);
    const nl = this.i - 1; // the NEWLINE token
    this.suiteEndLine = this.T.eline[nl];
    this.suiteEndCol = this.T.ecol[nl];
    return out;
  }

  private statement(out: Node[]): void {
    const k = this.k[this.i];
    if (this.ex[this.i] & 2) bail();
    switch (k) {
      case K_IF:
        out.push(this.ifStmt());
        return;
      case K_WHILE:
        out.push(this.whileStmt());
        return;
      case K_FOR:
        out.push(this.forStmt(this.i));
        return;
      case K_TRY:
        out.push(this.tryStmt());
        return;
      case K_WITH:
        out.push(this.withStmt(this.i));
        return;
      case K_DEF:
        out.push(this.funcDef(this.i, []));
        return;
      case K_CLASS:
        out.push(this.classDef([]));
        return;
      case AT:
        out.push(this.decorated());
        return;
      case K_ASYNC: {
        const a = this.i;
        const n = this.k[a + 1];
        this.i++;
        if (n === K_DEF) out.push(this.funcDef(a, []));
        else if (n === K_FOR) out.push(this.forStmt(a));
        else if (n === K_WITH) out.push(this.withStmt(a));
        else bail();
        return;
      }
      case NAME: {
        const w = this.name(this.i);
        if (w === 'match') this.checkNotMatch();
        break;
      }
      case INDENT:
      case DEDENT:
      case NEWLINE:
        bail();
    }
    this.simpleStatements(out);
  }

  private checkNotMatch(): void {
    const n = this.k[this.i + 1];
    if (n === EQ || n === AUGASSIGN || n === COLON || n === DOT || n === NEWLINE || n === SEMI || n === COMMA) return;
    // a logical line ending with ':' is a match statement
    let j = this.i + 1;
    while (this.k[j] !== NEWLINE && this.k[j] !== EOF) j++;
    if (this.k[j - 1] === COLON) bail();
  }

  private simpleStatements(out: Node[]): void {
    for (;;) {
      out.push(this.simpleStatement());
      if (this.k[this.i] === SEMI) {
        this.i++;
        if (this.k[this.i] === NEWLINE) break;
        continue;
      }
      break;
    }
    this.expect(NEWLINE);
  }

  private simpleStatement(): Node {
    const a = this.i;
    const k = this.k[a];
    this.printStmt = k === NAME && (this.T.str[a] === 'print' || this.T.str[a] === 'exec');
    switch (k) {
      case K_PASS:
        this.i++;
        return { t: 'Pass', line: this.L[a], col: this.C[a], endLine: this.EL[a], endCol: this.EC[a] };
      case K_BREAK:
        this.i++;
        return { t: 'Break', line: this.L[a], col: this.C[a], endLine: this.EL[a], endCol: this.EC[a] };
      case K_CONTINUE:
        this.i++;
        return { t: 'Continue', line: this.L[a], col: this.C[a], endLine: this.EL[a], endCol: this.EC[a] };
      case K_RETURN: {
        this.i++;
        let value: Node | undefined;
        if (!this.atStmtEnd()) value = this.starExpressions(true);
        return { t: 'Return', value, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
      }
      case K_RAISE:
        this.i++;
        if (!this.atStmtEnd()) {
          this.test();
          if (this.k[this.i] === K_FROM) {
            this.i++;
            this.test();
          }
        }
        return { t: 'Raise', line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
      case K_GLOBAL:
      case K_NONLOCAL: {
        const nonlocal = this.k[this.i] === K_NONLOCAL;
        this.i++;
        const names: string[] = [];
        for (;;) {
          if (this.ex[this.i] & 2) bail();
          names.push(this.name(this.expect(NAME)));
          if (this.k[this.i] !== COMMA) break;
          if (this.ex[this.i] & 2) bail();
          this.i++;
        }
        return { t: 'Global', names, ...(nonlocal ? { nonlocal } : {}), line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
      }
      case K_DEL: {
        this.i++;
        const b = this.i;
        const elts: Node[] = [];
        let comma = false;
        for (;;) {
          if (this.ex[this.i] & 2) bail();
          const b1 = this.i;
          const e = this.binary(14);
          this.checkTarget(e, b1, true);
          elts.push(e);
          if (this.k[this.i] !== COMMA) break;
          if (this.ex[this.i] & 2) bail();
          comma = true;
          this.i++;
          if (this.atStmtEnd()) break;
        }
        const targets = comma ? [{ t: 'Tuple' as const, elts, line: this.L[b], col: this.C[b], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] }] : elts;
        return { t: 'Delete', targets, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
      }
      case K_ASSERT:
        this.i++;
        this.test();
        if (this.k[this.i] === COMMA) {
          this.i++;
          this.test();
        }
        return { t: 'Pass', line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
      case K_IMPORT:
        return this.importStmt();
      case K_FROM:
        return this.fromImport();
      case NAME: {
        const w = this.name(a);
        if (w === 'type') {
          const n = this.k[a + 1];
          if (n !== NAME && n !== EQ && n !== DOT && n !== AUGASSIGN && n !== COLON && n !== NEWLINE && n !== SEMI && n !== COMMA) {
            // `type (x).y = 1` may become a type_alias_statement in tree-sitter
            for (let j = a + 1; this.k[j] !== NEWLINE && this.k[j] !== EOF; j++) if (this.k[j] === EQ) bail();
          }
        }
        if (w === 'type' && this.k[a + 1] === NAME) {
          this.i += 2;
          if (this.k[this.i] === LSQB) this.typeParams();
          this.expect(EQ);
          this.test();
          return { t: 'Pass', line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
        }
        if ((w === 'print' || w === 'exec') && this.k[a + 1] === RSHIFT) bail();
        break;
      }
    }
    return this.exprStatement();
  }

  private atStmtEnd(): boolean {
    const k = this.k[this.i];
    return k === NEWLINE || k === SEMI || k === EOF;
  }

  private exprStatement(): Node {
    const a = this.i;
    // first element list (targets or value)
    const first = this.starExprList(a);
    const k = this.k[this.i];
    if (k === EQ) {
      const targets: Node[] = [];
      let cur = first;
      let value: Node | undefined;
      for (;;) {
        if (cur.yld) bail();
        this.checkTarget(cur.node, cur.start, false);
        targets.push(this.tgt(cur.node));
        this.i++; // '='
        const b = this.i;
        cur = this.starExprList(b);
        if (this.k[this.i] !== EQ) {
          value = cur.node;
          break;
        }
      }
      return { t: 'Assign', targets, value, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
    }
    if (k === COLON || k === AUGASSIGN) {
      if (first.comma || first.yld) bail();
      const t0 = first.node;
      if (t0.t !== 'Name' && t0.t !== 'Attr' && t0.t !== 'Subscript') bail();
      const tgt = this.tgt(t0);
      if (k === COLON) {
        this.i++;
        this.test();
        if (this.k[this.i] === EQ) {
          this.i++;
          const value = this.starExprList(this.i).node;
          return { t: 'AnnAssign', target: tgt, value, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
        }
        return { t: 'AnnAssign', target: tgt, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
      }
      const op = this.T.str[this.i]!;
      this.i++;
      const value = this.starExprList(this.i).node;
      return { t: 'AugAssign', target: tgt, op, value, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
    }
    const b = this.i - 1;
    const L = this.L[a], C = this.C[a], EL = this.EL[b], EC = this.EC[b];
    if (first.comma && first.elts.length > 1) return { t: 'Expr', value: { t: 'Tuple', elts: first.elts, line: L, col: C, endLine: EL, endCol: EC }, line: L, col: C, endLine: EL, endCol: EC };
    return { t: 'Expr', value: first.elts[0], line: L, col: C, endLine: EL, endCol: EC };
  }

  /**
   * star_expressions at statement level (or a yield). `node` is the expression (a Tuple
   * spanning the list when there is a comma); `elts` are the expression_statement's named
   * children.
   */
  private starExprList(a: number): { node: Node; comma: boolean; start: number; elts: Node[]; yld: boolean } {
    if (this.k[this.i] === K_YIELD) {
      const y = this.yieldExpr();
      return { node: y, comma: false, start: a, elts: [y], yld: true };
    }
    const elts: Node[] = [];
    let comma = false;
    for (;;) {
      elts.push(this.starOrTest());
      if (this.k[this.i] !== COMMA) break;
      comma = true;
      this.i++;
      const k = this.k[this.i];
      if (k === NEWLINE || k === SEMI || k === EQ || k === EOF || k === COLON || k === AUGASSIGN) break;
    }
    if (!comma) {
      if (elts[0].t === 'Starred') bail();
      return { node: elts[0], comma: false, start: a, elts, yld: false };
    }
    const node: Node = { t: 'Tuple', elts, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
    return { node, comma: true, start: a, elts, yld: false };
  }

  private starOrTest(): Node {
    if (this.k[this.i] === STAR) {
      const a = this.i++;
      if (this.ex[this.i]) bail();
      const v = this.binary(14);
      if (v.t === 'Call') bail();
      return { t: 'Starred', value: v, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
    }
    return this.test();
  }

  /** star_expressions used by return / for-iter: single expression or a Tuple (expression_list). */
  private starExpressions(allowTrailing: boolean): Node {
    const a = this.i;
    const elts: Node[] = [];
    let comma = false;
    for (;;) {
      elts.push(this.starOrTest());
      if (this.k[this.i] !== COMMA) break;
      comma = true;
      this.i++;
      const k = this.k[this.i];
      if (allowTrailing && (k === NEWLINE || k === SEMI || k === EOF || k === COLON)) break;
    }
    if (!comma) {
      if (elts[0].t === 'Starred') bail();
      return elts[0];
    }
    return { t: 'Tuple', elts, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
  }

  private yieldExpr(): Node {
    const a = this.expect(K_YIELD);
    let value: Node | undefined;
    let from = false;
    if (this.k[this.i] === K_FROM) {
      this.i++;
      from = true;
      value = this.test();
    } else {
      const k = this.k[this.i];
      if (k !== NEWLINE && k !== SEMI && k !== RPAR && k !== EOF && k !== EQ && k !== FRBRACE) value = this.starExpressions(false);
    }
    return { t: 'Yield', ...(value ? { value } : {}), from, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
  }

  /** Python assignment / del / for targets. */
  private checkTarget(n: Node, a: number, del: boolean): void {
    switch (n.t) {
      case 'Name':
      case 'Attr':
      case 'Subscript':
        return;
      case 'Tuple':
      case 'List':
        for (const e of n.elts) this.checkTarget2(e, del);
        return;
      case 'Starred':
        if (del) bail();
        this.checkTarget2(n.value, del);
        return;
      default:
        bail();
    }
  }
  /** tree-sitter renders a parenthesized single target `(x)` as a one-element tuple_pattern. */
  private tgt(n: Node): Node {
    switch (n.t) {
      case 'Name':
      case 'Attr':
      case 'Subscript': {
        const ps = this.parenSpan.get(n);
        if (!ps) return n;
        if (ps[0] < 0) bail();
        return { t: 'Tuple', elts: [n], line: this.L[ps[0]], col: this.C[ps[0]], endLine: this.EL[ps[1]], endCol: this.EC[ps[1]] };
      }
      case 'Tuple':
      case 'List':
        for (let j = 0; j < n.elts.length; j++) {
          const e = n.elts[j];
          if (e.t !== 'Unsupported') n.elts[j] = this.tgt(e);
        }
        return n;
      case 'Starred':
        if (this.parenSpan.has(n.value)) bail();
        n.value = this.tgt(n.value);
        return n;
      default:
        bail();
    }
  }

  private checkTarget2(n: Node, del: boolean): void {
    switch (n.t) {
      case 'Name':
      case 'Attr':
      case 'Subscript':
        return;
      case 'Tuple':
      case 'List':
        for (const e of n.elts) this.checkTarget2(e, del);
        return;
      case 'Starred':
        if (del) bail();
        this.checkTarget2(n.value, del);
        return;
      default:
        bail();
    }
  }

  private importStmt(): Node {
    const a = this.i++;
    const names: Array<{ name: string; asname?: string }> = [];
    for (;;) {
      const b = this.i;
      this.dottedName();
      const name = this.text.slice(this.T.start[b], this.T.end[this.i - 1]);
      if (this.k[this.i] === K_AS) {
        this.i++;
        names.push({ name, asname: this.name(this.expect(NAME)) });
      } else names.push({ name });
      if (this.k[this.i] !== COMMA) break;
      this.i++;
    }
    return { t: 'Import', names, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
  }

  private dottedName(): void {
    if (this.ex[this.i]) bail();
    this.expect(NAME);
    while (this.k[this.i] === DOT) {
      if (this.ex[this.i] || this.ex[this.i + 1]) bail();
      this.i++;
      this.expect(NAME);
    }
  }

  private fromImport(): Node {
    const a = this.i++;
    let level = 0;
    let module = '';
    const d0 = this.i;
    while (this.k[this.i] === DOT || this.k[this.i] === ELLIPSIS) {
      if (this.ex[this.i]) bail();
      this.i++;
    }
    if (this.i > d0) level = this.T.end[this.i - 1] - this.T.start[d0];
    if (this.k[this.i] === NAME) {
      const b = this.i;
      this.dottedName();
      module = this.text.slice(this.T.start[b], this.T.end[this.i - 1]);
    } else if (level === 0) bail();
    this.expect(K_IMPORT);
    const future = level === 0 && module === '__future__';
    const names: Array<{ name: string; asname?: string }> = [];
    if (this.k[this.i] === STAR) {
      if (future) bail();
      this.i++;
      names.push({ name: '*' });
    } else {
      const paren = this.k[this.i] === LPAR;
      if (paren) this.i++;
      for (;;) {
        const n = this.name(this.expect(NAME));
        if (this.k[this.i] === K_AS) {
          this.i++;
          names.push({ name: n, asname: this.name(this.expect(NAME)) });
        } else names.push({ name: n });
        if (this.k[this.i] !== COMMA) break;
        this.i++;
        if (paren && this.k[this.i] === RPAR) break;
      }
      if (paren) this.expect(RPAR);
    }
    if (future) return { t: 'Pass', line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
    return { t: 'ImportFrom', module, level, names, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
  }

  private ifStmt(): Node {
    const a = this.i++;
    const test = this.namedExpr();
    const body = this.suite();
    const res: Node = { t: 'If', test, body, orelse: [], line: this.T.line[a], col: this.T.col[a], endLine: 0, endCol: 0 };
    const chain: Array<Node & { t: 'If' }> = [res as Node & { t: 'If' }];
    let endL = this.suiteEndLine, endC = this.suiteEndCol;
    while (this.k[this.i] === K_ELIF) {
      const e = this.i++;
      const t2 = this.namedExpr();
      const b2 = this.suite();
      const node = { t: 'If' as const, test: t2, body: b2, orelse: [] as Node[], line: this.L[e], col: this.C[e], endLine: this.suiteEndLine, endCol: this.suiteEndCol };
      chain[chain.length - 1].orelse = [node];
      chain.push(node);
      endL = this.suiteEndLine;
      endC = this.suiteEndCol;
    }
    if (this.k[this.i] === K_ELSE) {
      this.i++;
      chain[chain.length - 1].orelse = this.suite();
      endL = this.suiteEndLine;
      endC = this.suiteEndCol;
    }
    res.endLine = endL;
    res.endCol = endC;
    return res;
  }

  private whileStmt(): Node {
    const a = this.i++;
    const test = this.namedExpr();
    const body = this.suite();
    let orelse: Node[] = [];
    if (this.k[this.i] === K_ELSE) {
      this.i++;
      orelse = this.suite();
    }
    return { t: 'While', test, body, orelse, line: this.T.line[a], col: this.T.col[a], endLine: this.suiteEndLine, endCol: this.suiteEndCol };
  }

  private targetList(): Node {
    const a = this.i;
    const elts: Node[] = [];
    let comma = false;
    for (;;) {
      if (this.ex[this.i] & 2 && elts.length) bail();
      elts.push(this.starOrBit());
      if (this.k[this.i] !== COMMA) break;
      if (this.ex[this.i] & 2) bail();
      comma = true;
      this.i++;
      if (this.k[this.i] === K_IN) break;
    }
    const node: Node = comma ? { t: 'Tuple', elts, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] } : elts[0];
    this.checkTarget(node, a, false);
    return this.tgt(node);
  }

  /**
   * A display element `*x` (or an expression). `inDisplay`: 0 = not in a bracketed display,
   * 1 = first element of [...], (...), {...}, 2 = a later element.
   */
  private starOrOr(inDisplay = 0): Node {
    if (this.k[this.i] === STAR) {
      const a = this.i++;
      if (this.ex[this.i]) bail();
      const v = this.binary(14);
      // tree-sitter's GLR may render `*a()` as `(*a)()`; observed only without a following comma
      if (v.t === 'Call' && !(inDisplay === 2 || (inDisplay === 1 && this.k[this.i] === COMMA))) bail();
      return { t: 'Starred', value: v, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
    }
    return this.orExpr();
  }

  /** A target element: '*'? bitwise_or */
  private starOrBit(): Node {
    if (this.k[this.i] === STAR) {
      const a = this.i++;
      if (this.ex[this.i]) bail();
      const v = this.binary(14);
      if (v.t === 'Call') bail(); // tree-sitter may parse `*a.b()` as `(*a.b)()`
      return { t: 'Starred', value: v, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
    }
    return this.binary(14);
  }

  private forStmt(a: number): Node {
    this.expect(K_FOR);
    const target = this.targetList();
    this.expect(K_IN);
    const iter = this.starExpressions(true);
    const body = this.suite();
    let orelse: Node[] = [];
    if (this.k[this.i] === K_ELSE) {
      this.i++;
      orelse = this.suite();
    }
    return { t: 'For', target, iter, body, orelse, line: this.T.line[a], col: this.T.col[a], endLine: this.suiteEndLine, endCol: this.suiteEndCol };
  }

  private tryStmt(): Node {
    const a = this.i++;
    const body = this.suite();
    const handlers: Node[][] = [];
    let orelse: Node[] = [];
    let finalbody: Node[] = [];
    let bare = false;
    let star = -1;
    while (this.k[this.i] === K_EXCEPT) {
      if (bare) bail();
      this.i++;
      let isStar = 0;
      if (this.k[this.i] === STAR) {
        this.i++;
        isStar = 1;
      }
      if (star >= 0 && star !== isStar) bail();
      star = isStar;
      if (this.k[this.i] === COLON) {
        if (isStar) bail();
        bare = true;
      } else {
        this.test();
        if (this.k[this.i] === K_AS) {
          this.i++;
          this.expect(NAME);
        }
      }
      handlers.push(this.suite());
    }
    if (this.k[this.i] === K_ELSE) {
      if (!handlers.length) bail();
      this.i++;
      orelse = this.suite();
    }
    if (this.k[this.i] === K_FINALLY) {
      this.i++;
      finalbody = this.suite();
    } else if (!handlers.length) bail();
    return { t: 'Try', body, handlers, orelse, finalbody, line: this.T.line[a], col: this.T.col[a], endLine: this.suiteEndLine, endCol: this.suiteEndCol };
  }

  private withStmt(a: number): Node {
    this.expect(K_WITH);
    const items: Array<{ expr: Node; target?: Node }> = [];
    let parenForm = false;
    if (this.k[this.i] === LPAR) {
      // find the matching ')' and check whether ':' follows
      let d = 0;
      let j = this.i;
      let commas = 0;
      let hasAs = false;
      for (; ; j++) {
        const k = this.k[j];
        if (k === LPAR || k === LSQB || k === LBRACE || k === FLBRACE) d++;
        else if (k === RPAR || k === RSQB || k === RBRACE || k === FRBRACE) {
          d--;
          if (d === 0) break;
        } else if (d === 1 && k === COMMA) commas++;
        else if (d === 1 && k === K_AS) hasAs = true;
        else if (k === EOF || k === NEWLINE) bail();
      }
      if (this.k[j + 1] === COLON && (commas > 0 || hasAs)) {
        if (this.k[j - 1] === COMMA) bail();
        parenForm = true;
      }
    }
    if (parenForm) this.i++;
    for (;;) {
      const expr = this.test();
      if (this.k[this.i] === K_AS) {
        this.i++;
        const b = this.i;
        const target = this.starOrBit();
        this.checkTarget(target, b, false);
        if (target.t === 'Starred') bail();
        items.push({ expr, target });
      } else items.push({ expr });
      if (this.k[this.i] !== COMMA) break;
      this.i++;
    }
    if (parenForm) this.expect(RPAR);
    const body = this.suite();
    return { t: 'With', items, body, line: this.T.line[a], col: this.T.col[a], endLine: this.suiteEndLine, endCol: this.suiteEndCol };
  }

  private decorated(): Node {
    const decorators: Node[] = [];
    while (this.k[this.i] === AT) {
      this.i++;
      if (this.ex[this.i]) bail();
      decorators.push(this.namedExpr());
      this.expect(NEWLINE);
    }
    const a = this.i;
    if (this.k[a] === K_CLASS) return this.classDef(decorators);
    if (this.k[a] === K_DEF) return this.funcDef(a, decorators);
    if (this.k[a] === K_ASYNC && this.k[a + 1] === K_DEF) {
      this.i++;
      return this.funcDef(a, decorators);
    }
    bail();
  }

  private typeParams(): void {
    this.expect(LSQB);
    for (;;) {
      if (this.k[this.i] === STAR || this.k[this.i] === DSTAR) this.i++;
      this.expect(NAME);
      if (this.k[this.i] === COLON) {
        this.i++;
        this.test();
      }
      if (this.k[this.i] !== COMMA) break;
      this.i++;
      if (this.k[this.i] === RSQB) break;
    }
    this.expect(RSQB);
  }

  private funcDef(a: number, decorators: Node[]): Node {
    this.expect(K_DEF);
    const nt = this.expect(NAME);
    if (this.k[this.i] === LSQB) this.typeParams();
    this.expect(LPAR);
    const params = this.params(RPAR, true);
    this.expect(RPAR);
    if (this.k[this.i] === ARROW) {
      this.i++;
      this.test();
    }
    const body = this.suite();
    return {
      t: 'FunctionDef', name: this.name(nt), params, body, decorators, namePos: this.pos(nt, nt),
      line: this.T.line[a], col: this.T.col[a], endLine: this.suiteEndLine, endCol: this.suiteEndCol,
    };
  }

  private classDef(decorators: Node[]): Node {
    const a = this.expect(K_CLASS);
    const nt = this.expect(NAME);
    if (this.k[this.i] === LSQB) this.typeParams();
    let bases: Arg[] = [];
    if (this.k[this.i] === LPAR) bases = this.callArgs(false).args;
    const body = this.suite();
    return {
      t: 'ClassDef', name: this.name(nt), bases, body, decorators, namePos: this.pos(nt, nt),
      line: this.T.line[a], col: this.T.col[a], endLine: this.suiteEndLine, endCol: this.suiteEndCol,
    };
  }

  /** def / lambda parameters up to the closing token (not consumed). */
  private params(close: number, typed: boolean): Param[] {
    const out: Param[] = [];
    let kwOnly = false;
    let sawDefault = false;
    let sawStar = false;
    let sawSlash = false;
    let sawDstar = false;
    let bareStar = false;
    while (this.k[this.i] !== close) {
      if (sawDstar) bail();
      const k = this.k[this.i];
      if (k === SLASH) {
        if (sawSlash || sawStar || out.length === 0) bail();
        sawSlash = true;
        this.i++;
      } else if (k === STAR) {
        if (sawStar) bail();
        sawStar = true;
        this.i++;
        if (this.k[this.i] === COMMA) {
          bareStar = true;
          kwOnly = true;
        } else {
          if (this.ex[this.i]) bail();
          const n = this.name(this.expect(NAME));
          if (typed && this.k[this.i] === COLON) {
            this.i++;
            if (this.k[this.i] === STAR) {
              this.i++;
              this.orExpr();
            } else this.test();
          }
          out.push({ name: n, star: '*' });
          kwOnly = true;
        }
      } else if (k === DSTAR) {
        this.i++;
        if (this.ex[this.i]) bail();
        const n = this.name(this.expect(NAME));
        if (typed && this.k[this.i] === COLON) {
          this.i++;
          this.test();
        }
        out.push({ name: n, star: '**' });
        sawDstar = true;
      } else {
        const n = this.name(this.expect(NAME));
        if (typed && this.k[this.i] === COLON) {
          this.i++;
          this.test();
        }
        if (this.k[this.i] === EQ) {
          this.i++;
          const d = this.test();
          out.push({ name: n, default: d, kwOnly });
          if (!sawStar) sawDefault = true;
        } else {
          if (sawDefault && !sawStar) bail();
          out.push({ name: n, kwOnly });
        }
        if (bareStar) bareStar = false;
      }
      if (this.k[this.i] !== COMMA) break;
      this.i++;
    }
    if (bareStar) bail();
    return out;
  }

  // ---- expressions

  /** named_expression: NAME ':=' test | test */
  private namedExpr(): Node {
    if (this.k[this.i] === NAME && this.k[this.i + 1] === WALRUS) {
      const a = this.i;
      const target: Node = { t: 'Name', id: this.name(a), line: this.L[a], col: this.C[a], endLine: this.EL[a], endCol: this.EC[a] };
      this.i += 2;
      const value = this.test();
      return { t: 'NamedExpr', target, value, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
    }
    return this.test();
  }

  /** Python `expression`: conditional / lambda / disjunction */
  private test(): Node {
    const a = this.i;
    if (this.k[a] === K_LAMBDA) return this.lambda();
    const body = this.orExpr();
    if (this.k[this.i] !== K_IF) return body;
    // the converter takes the first three named children, line continuations included
    const cs: Node[] = [body];
    this.i++;
    cs.push(this.orExpr());
    this.expect(K_ELSE);
    this.enter();
    cs.push(this.test());
    this.nest--;
    return { t: 'IfExp', body: cs[0], test: cs[1], orelse: cs[2], line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
  }

  private lambda(): Node {
    const a = this.i++;
    const params = this.k[this.i] === COLON ? [] : this.params(COLON, false);
    this.expect(COLON);
    this.enter();
    const body = this.test();
    this.nest--;
    return { t: 'Lambda', params, body, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
  }

  private orExpr(): Node {
    const a = this.i;
    let left = this.andExpr();
    let chain = 0;
    while (this.k[this.i] === K_OR) {
      this.i++;
      if (++chain + this.nest > MAX_NEST) bail();
      const right = this.andExpr();
      left = { t: 'BoolOp', op: 'or', left, right, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
    }
    return left;
  }

  private andExpr(): Node {
    const a = this.i;
    let left = this.notExpr();
    let chain = 0;
    while (this.k[this.i] === K_AND) {
      this.i++;
      if (++chain + this.nest > MAX_NEST) bail();
      const right = this.notExpr();
      left = { t: 'BoolOp', op: 'and', left, right, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
    }
    return left;
  }

  private notExpr(): Node {
    if (this.k[this.i] === K_NOT) {
      const a = this.i++;
      this.enter();
      const operand = this.notExpr();
      this.nest--;
      return { t: 'UnaryOp', op: 'not', operand, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
    }
    return this.comparison();
  }

  private comparison(): Node {
    const a = this.i;
    const first = this.binary(14);
    let k = this.k[this.i];
    let ops: string[] | undefined;
    let operands: Node[] | undefined;
    for (;;) {
      let op: string;
      switch (k) {
        case LT:
          op = '<';
          break;
        case GT:
          op = '>';
          break;
        case LE:
          op = '<=';
          break;
        case GE:
          op = '>=';
          break;
        case EQEQ:
          op = '==';
          break;
        case NE:
          op = '!=';
          break;
        case K_IN:
          op = 'in';
          break;
        case K_NOT:
          if (this.k[this.i + 1] !== K_IN) bail();
          if (this.ex[this.i + 1]) bail();
          op = 'not in';
          this.i++;
          break;
        case K_IS:
          if (this.k[this.i + 1] === K_NOT) {
            if (this.ex[this.i + 1]) bail();
            op = 'is not';
            this.i++;
          } else op = 'is';
          break;
        default:
          if (!ops) return first;
          return { t: 'Compare', ops, operands: operands!, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
      }
      if (!ops) {
        ops = [];
        operands = [first];
      }
      ops.push(op);
      this.i++;
      operands!.push(this.binary(14));
      k = this.k[this.i];
    }
  }

  /** Precedence climbing over tree-sitter's binary operator table. */
  private binary(minPrec: number): Node {
    const a = this.i;
    let left = this.unary();
    let chain = 0;
    for (;;) {
      const k = this.k[this.i];
      const p = k < 64 ? BIN_PREC[k] : 0;
      if (p === 0 || p < minPrec) return left;
      this.i++;
      if (++chain + this.nest > MAX_NEST) bail();
      let right: Node;
      if (k === DSTAR) {
        this.enter();
        right = this.binary(21);
        this.nest--;
      } else right = this.binary(p + 1);
      left = { t: 'BinOp', op: BIN_OP[k], left, right, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
    }
  }

  private unary(): Node {
    const k = this.k[this.i];
    if (k === MINUS || k === PLUS || k === TILDE) {
      const a = this.i++;
      this.enter();
      const operand = this.binary(21);
      this.nest--;
      return { t: 'UnaryOp', op: k === MINUS ? '-' : k === PLUS ? '+' : '~', operand, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
    }
    if (k === K_AWAIT) {
      const a = this.i++;
      this.enter();
      this.binary(21);
      this.nest--;
      return { t: 'Unsupported', what: 'await', line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
    }
    return this.primary();
  }

  private primary(): Node {
    const a = this.i;
    let node = this.atom();
    let chain = 0;
    for (;;) {
      const k = this.k[this.i];
      if (k === DOT) {
        this.i++;
        const nt = this.expect(NAME);
        node = { t: 'Attr', obj: node, attr: this.name(nt), attrPos: this.pos(nt, nt), line: this.L[a], col: this.C[a], endLine: this.EL[nt], endCol: this.EC[nt] };
      } else if (k === LPAR) {
        const r = this.callArgs(true);
        node = { t: 'Call', fn: node, args: r.args, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
      } else if (k === LSQB) {
        node = this.subscript(node, a);
      } else return node;
      if (++chain + this.nest > MAX_NEST) bail();
    }
  }

  private callArgs(allowGen: boolean): { args: Arg[] } {
    const open = this.expect(LPAR);
    this.enter();
    const args: Arg[] = [];
    let sawKw = false;
    let sawDstar = false;
    while (this.k[this.i] !== RPAR) {
      const k = this.k[this.i];
      if (k === STAR) {
        if (sawDstar) bail();
        this.i++;
        if (this.ex[this.i]) bail();
        const v = this.test();
        // GLR ambiguity: `*a.b()` may become `(*a.b)()`; seen with print/exec statements only
        if (v.t === 'Call' && this.printStmt) bail();
        args.push({ kind: 'star', value: v });
      } else if (k === DSTAR) {
        this.i++;
        if (this.ex[this.i]) bail();
        args.push({ kind: 'dstar', value: this.test() });
        sawDstar = true;
      } else if (k === NAME && this.k[this.i + 1] === EQ) {
        const nt = this.i;
        this.i += 2;
        args.push({ kind: 'kw', name: this.name(nt), value: this.test() });
        sawKw = true;
      } else {
        if (sawKw || sawDstar) bail();
        const e = this.namedExpr();
        const k2 = this.k[this.i];
        if (k2 === K_FOR || k2 === K_ASYNC) {
          if (!allowGen || args.length) bail();
          const gens = this.compFor();
          if (this.ex[this.i] & 2) bail();
          this.expect(RPAR);
          this.nest--;
          return { args: [{ kind: 'pos', value: { t: 'Comp', kind: 'gen', elt: e, gens, line: this.L[open], col: this.C[open], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] } }] };
        }
        args.push({ kind: 'pos', value: e });
      }
      if (this.k[this.i] !== COMMA) break;
      this.i++;
    }
    this.expect(RPAR);
    this.nest--;
    return { args };
  }

  private subscript(obj: Node, a: number): Node {
    this.i++; // [
    this.enter();
    const subs: Node[] = [];
    for (;;) {
      if (this.ex[this.i] & 2) bail();
      subs.push(this.sliceOrExpr());
      if (this.ex[this.i] & 2) bail();
      if (this.k[this.i] !== COMMA) break;
      this.i++;
      if (this.k[this.i] === RSQB) break;
    }
    this.expect(RSQB);
    this.nest--;
    const b = this.i - 1;
    const L = this.L[a], C = this.C[a], EL = this.EL[b], EC = this.EC[b];
    const index: Node = subs.length === 1 ? subs[0] : { t: 'Tuple', elts: subs, line: L, col: C, endLine: EL, endCol: EC };
    return { t: 'Subscript', obj, index, line: L, col: C, endLine: EL, endCol: EC };
  }

  private sliceOrExpr(): Node {
    const a = this.i;
    const parts: Array<Node | undefined> = [undefined, undefined, undefined];
    let k = this.k[this.i];
    if (k === STAR) return this.starOrOr();
    if (k !== COLON) {
      parts[0] = this.namedExpr();
      k = this.k[this.i];
      if (k !== COLON) return parts[0];
    }
    // slice
    this.i++;
    k = this.k[this.i];
    if (k !== COLON && k !== COMMA && k !== RSQB) parts[1] = this.test();
    if (this.k[this.i] === COLON) {
      this.i++;
      k = this.k[this.i];
      if (k !== COMMA && k !== RSQB) parts[2] = this.test();
    }
    return { t: 'Slice', start: parts[0], stop: parts[1], step: parts[2], line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
  }

  /** for_in_clause / if_clause sequence of a comprehension. */
  private compFor(): Comprehension[] {
    const gens: Comprehension[] = [];
    for (;;) {
      const k = this.k[this.i];
      if (k === K_ASYNC) {
        this.i++;
        if (this.k[this.i] !== K_FOR) bail();
        continue;
      }
      if (k === K_FOR) {
        this.i++;
        const target = this.targetList();
        this.expect(K_IN);
        if (this.ex[this.i] & 2) bail();
        const iter = this.orExpr();
        if (this.k[this.i] === COMMA) bail();
        gens.push({ target, iter, ifs: [] });
      } else if (k === K_IF) {
        this.i++;
        if (this.ex[this.i]) bail();
        gens[gens.length - 1].ifs.push(this.orExpr());
      } else return gens;
    }
  }

  private atom(): Node {
    const a = this.i;
    const k = this.k[a];
    switch (k) {
      case NAME:
        this.i++;
        return { t: 'Name', id: this.name(a), line: this.L[a], col: this.C[a], endLine: this.EL[a], endCol: this.EC[a] };
      case NUMBER:
        this.i++;
        return this.number(a);
      case STRING:
      case FSTART:
        return this.strings();
      case K_TRUE:
        this.i++;
        return { t: 'Const', v: true, line: this.L[a], col: this.C[a], endLine: this.EL[a], endCol: this.EC[a] };
      case K_FALSE:
        this.i++;
        return { t: 'Const', v: false, line: this.L[a], col: this.C[a], endLine: this.EL[a], endCol: this.EC[a] };
      case K_NONE:
        this.i++;
        return { t: 'Const', v: null, line: this.L[a], col: this.C[a], endLine: this.EL[a], endCol: this.EC[a] };
      case ELLIPSIS:
        this.i++;
        return { t: 'Ellipsis', line: this.L[a], col: this.C[a], endLine: this.EL[a], endCol: this.EC[a] };
      case LPAR:
        return this.paren();
      case LSQB:
        return this.listDisplay();
      case LBRACE:
        return this.braceDisplay();
      default:
        bail();
    }
  }

  private number(a: number): Node {
    const T = this.T;
    const txt0 = this.text.slice(T.start[a], T.end[a]);
    if (T.aux[a] === 1) {
      const txt = txt0.indexOf('_') >= 0 ? txt0.replace(/_/g, '') : txt0;
      const last = txt.charCodeAt(txt.length - 1) | 32;
      if (last === 106) return { t: 'Unsupported', what: 'complex', line: this.L[a], col: this.C[a], endLine: this.EL[a], endCol: this.EC[a] };
      return { t: 'Num', v: parseFloat(txt), isInt: false, line: this.L[a], col: this.C[a], endLine: this.EL[a], endCol: this.EC[a] };
    }
    let txt = txt0.indexOf('_') >= 0 ? txt0.replace(/_/g, '') : txt0;
    txt = txt.toLowerCase();
    const v = txt.startsWith('0x') || txt.startsWith('0o') || txt.startsWith('0b') ? Number(txt) : parseInt(txt, 10);
    return { t: 'Num', v, isInt: true, line: this.L[a], col: this.C[a], endLine: this.EL[a], endCol: this.EC[a] };
  }

  /** One string or a concatenation. */
  private strings(): Node {
    const a = this.i;
    let bytes = -1;
    const first = this.oneString();
    if (this.k[this.i] !== STRING && this.k[this.i] !== FSTART) return first.node;
    bytes = first.bytes ? 1 : 0;
    const parts: Array<string | Node> = [];
    let allStr = true;
    const add = (s: Node) => {
      if (s.t === 'Str') parts.push(s.v);
      else if (s.t === 'FStr') {
        for (const x of s.parts) {
          parts.push(x);
          if (typeof x !== 'string') allStr = false;
        }
      }
    };
    add(first.node);
    while (this.k[this.i] === STRING || this.k[this.i] === FSTART) {
      const s = this.oneString();
      if ((s.bytes ? 1 : 0) !== bytes) bail();
      add(s.node);
    }
    const p = this.pos(a, this.i - 1);
    if (allStr) return { t: 'Str', v: (parts as string[]).join(''), ...p };
    return { t: 'FStr', parts, ...p };
  }

  private oneString(): { node: Node; bytes: boolean } {
    const T = this.T;
    const a = this.i++;
    const flags = T.aux[a];
    if (T.kind[a] === STRING) {
      const pre = (flags >> 8) & 0xff;
      const q = flags & (1 << 16) ? 3 : 1;
      let content = this.text.slice(T.start[a] + pre + q, T.end[a] - q);
      if (flags & STR_RAW && content.charCodeAt(content.length - 1) === 92) content = rawTail(content, this.text.charCodeAt(T.end[a] - 1));
      const v = flags & STR_RAW ? content : unescape(content);
      return { node: { t: 'Str', v, line: this.L[a], col: this.C[a], endLine: this.EL[a], endCol: this.EC[a] }, bytes: (flags & STR_BYTES) !== 0 };
    }
    // f-string
    const raw = (flags & STR_RAW) !== 0;
    const parts: Array<string | Node> = [];
    let allStr = true;
    for (;;) {
      const k = this.k[this.i];
      if (k === FMID) {
        let c = this.text.slice(T.start[this.i], T.end[this.i]);
        if (raw && this.k[this.i + 1] === FEND && c.charCodeAt(c.length - 1) === 92) c = rawTail(c, this.text.charCodeAt(T.end[this.i + 1] - 1));
        if (c.length) parts.push(fstringBraces(raw ? c : unescape(c), true));
        this.i++;
      } else if (k === FLBRACE) {
        parts.push(this.fField());
        allStr = false;
      } else if (k === FEND) {
        this.i++;
        break;
      } else bail();
    }
    const p = this.pos(a, this.i - 1);
    if (allStr) return { node: { t: 'Str', v: (parts as string[]).join(''), ...p }, bytes: false };
    return { node: { t: 'FStr', parts, ...p }, bytes: false };
  }

  /** A replacement field `{expr[=][!c][:spec]}`; returns the expression, formatted as the field says (formattedField). */
  private fField(): Node {
    this.expect(FLBRACE);
    this.enter();
    let e: Node;
    if (this.k[this.i] === K_YIELD) e = this.yieldExpr();
    else e = this.starExpressions(false);
    if (this.k[this.i] === EQ) this.i++;
    let conversion: string | undefined;
    if (this.k[this.i] === FBANG) {
      this.i++;
      const n = this.expect(NAME);
      const c = this.name(n);
      if (c !== 'r' && c !== 's' && c !== 'a') bail();
      if (this.T.start[n] !== this.T.end[n - 1]) bail();
      conversion = c;
    }
    let spec: Array<string | Node> | undefined;
    if (this.k[this.i] === FCOLON) {
      this.i++;
      spec = [];
      for (;;) {
        const k = this.k[this.i];
        if (k === FMID) spec.push(this.text.slice(this.T.start[this.i], this.T.end[this.i++]));
        else if (k === FLBRACE) spec.push(this.fField());
        else break;
      }
    }
    this.expect(FRBRACE);
    this.nest--;
    return formattedField(e, conversion, spec);
  }

  private paren(): Node {
    const a = this.i++;
    this.enter();
    if (this.k[this.i] === RPAR) {
      this.i++;
      this.nest--;
      return { t: 'Tuple', elts: [], line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
    }
    if (this.ex[this.i] & 2) bail();
    if (this.k[this.i] === K_YIELD) {
      const y = this.yieldExpr();
      this.expect(RPAR);
      this.nest--;
      return y;
    }
    const first = this.k[this.i] === STAR ? this.starOrOr(1) : this.namedExpr();
    let k = this.k[this.i];
    if ((k === K_FOR || k === K_ASYNC) && first.t !== 'Starred') {
      const gens = this.compFor();
      if (this.ex[this.i] & 2) bail();
      this.expect(RPAR);
      this.nest--;
      return { t: 'Comp', kind: 'gen', elt: first, gens, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
    }
    if (k === RPAR) {
      if (first.t === 'Starred') bail();
      if (this.ex[this.i] & 2) bail();
      this.i++;
      this.nest--;
      if (first.t === 'Name' || first.t === 'Attr' || first.t === 'Subscript') {
        this.parenSpan.set(first, this.parenSpan.has(first) ? [-1, -1] : [a, this.i - 1]);
      }
      return first;
    }
    // tuple
    const elts: Node[] = [first];
    while (k === COMMA) {
      this.i++;
      if (this.k[this.i] === RPAR) break;
      elts.push(this.k[this.i] === STAR ? this.starOrOr(2) : this.namedExpr());
      k = this.k[this.i];
    }
    this.expect(RPAR);
    this.nest--;
    return { t: 'Tuple', elts, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
  }

  private listDisplay(): Node {
    const a = this.i++;
    this.enter();
    const elts: Node[] = [];
    if (this.k[this.i] !== RSQB) {
      const first = this.k[this.i] === STAR ? this.starOrOr(1) : this.namedExpr();
      let k = this.k[this.i];
      if ((k === K_FOR || k === K_ASYNC) && first.t !== 'Starred') {
        if (elts.length) bail();
        const gens = this.compFor();
        if (this.ex[this.i] & 2) bail();
        this.expect(RSQB);
        this.nest--;
        return { t: 'Comp', kind: 'list', elt: first, gens, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
      }
      elts.push(first);
      while (k === COMMA) {
        this.i++;
        if (this.k[this.i] === RSQB) break;
        elts.push(this.k[this.i] === STAR ? this.starOrOr(2) : this.namedExpr());
        k = this.k[this.i];
      }
    }
    this.expect(RSQB);
    this.nest--;
    return { t: 'List', elts, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
  }

  private braceDisplay(): Node {
    const a = this.i++;
    this.enter();
    if (this.k[this.i] === RBRACE) {
      this.i++;
      this.nest--;
      return { t: 'Dict', keys: [], values: [], line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
    }
    if (this.ex[this.i] & 2) bail();
    const k0 = this.k[this.i];
    // dict?
    let isDict = false;
    let key: Node | null = null;
    let value: Node | undefined;
    let first: Node | undefined;
    if (k0 === DSTAR) {
      this.i++;
      if (this.ex[this.i]) bail();
      value = this.binary(14);
      isDict = true;
    } else if (k0 === STAR) {
      first = this.starOrOr(1);
    } else {
      const e = this.namedExpr();
      if (this.k[this.i] === COLON) {
        if (e.t === 'NamedExpr' && !this.parenthesized(e, a + 1)) bail();
        this.i++;
        key = e;
        value = this.test();
        isDict = true;
      } else first = e;
    }
    let k = this.k[this.i];
    if (isDict) {
      if ((k === K_FOR || k === K_ASYNC) && key) {
        const gens = this.compFor();
        if (this.ex[this.i] & 2) bail();
        this.expect(RBRACE);
        this.nest--;
        return { t: 'Comp', kind: 'dict', key, elt: value!, gens, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
      }
      const keys: Array<Node | null> = [key];
      const values: Node[] = [value!];
      while (k === COMMA) {
        this.i++;
        if (this.k[this.i] === RBRACE) break;
        if (this.ex[this.i] & 2) bail();
        if (this.k[this.i] === DSTAR) {
          this.i++;
          if (this.ex[this.i]) bail();
          keys.push(null);
          values.push(this.binary(14));
        } else {
          keys.push(this.test());
          this.expect(COLON);
          values.push(this.test());
        }
        k = this.k[this.i];
      }
      if (this.ex[this.i] & 2) bail();
      this.expect(RBRACE);
      this.nest--;
      return { t: 'Dict', keys, values, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
    }
    if ((k === K_FOR || k === K_ASYNC) && first!.t !== 'Starred') {
      const gens = this.compFor();
      if (this.ex[this.i] & 2) bail();
      this.expect(RBRACE);
      this.nest--;
      return { t: 'Comp', kind: 'set', elt: first!, gens, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
    }
    const elts: Node[] = [first!];
    while (k === COMMA) {
      this.i++;
      if (this.k[this.i] === RBRACE) break;
      elts.push(this.k[this.i] === STAR ? this.starOrOr(2) : this.namedExpr());
      k = this.k[this.i];
    }
    this.expect(RBRACE);
    this.nest--;
    return { t: 'Set', elts, line: this.L[a], col: this.C[a], endLine: this.EL[this.i - 1], endCol: this.EC[this.i - 1] };
  }
}

/**
 * Parses Python source into the same Module as `toModule(treeSitterParse(text))`, or returns
 * null when the text has a syntax error or a construct this parser does not reproduce
 * exactly. Never throws.
 */
export function fastParse(text: string): Module | null {
  try {
    const comments: Module['comments'] = [];
    const T = tokenize(text, comments);
    const p = new Parser(text, T);
    const body = p.file();
    releaseTokens(T);
    return { body, errors: [], comments };
  } catch {
    return null;
  }
}
