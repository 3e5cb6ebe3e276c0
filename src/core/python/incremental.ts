// Re-parsing after an edit (language server): the top-level statements the edit cannot
// reach are kept from the previous tree, and only the lines between them are parsed again.
// The result is the tree a whole-file parse gives (the differential test in
// test/unit/core/incremental.test.ts checks that on random edits); whenever that cannot be
// guaranteed cheaply this returns null and the caller parses the whole file.
//
// Kept: statements that end before the first changed line, except the last of them when it
// has a body that new indented lines may extend (no statement starts between it and the
// change); and, when the edit did not change the number of lines, statements that start
// after the last changed line (their positions are the same). A node is never moved: a tree
// shared with the previous analysis is not mutated.

import { fastParse } from './fastparse';
import { statementStartLine, type Module, type Node } from './ast';

/** A tree the hand-written parser built whole (incremental re-parsing starts only from those). */
const FAST = new WeakSet<Module>();

/** fastParse, remembering that the tree is its own. */
export function parseFast(text: string): Module | null {
  const m = fastParse(text);
  if (m) FAST.add(m);
  return m;
}

export function reparse(prevText: string, prev: Module, text: string): Module | null {
  if (!FAST.has(prev) || prev.errors.length) return null;
  const a = prevText.split('\n');
  const b = text.split('\n');
  const min = Math.min(a.length, b.length);
  let p = 0;
  while (p < min && a[p] === b[p]) p++;
  if (p === a.length && p === b.length) return fast({ body: prev.body.slice(), errors: [], comments: prev.comments.slice() });
  let s = 0;
  while (s < min - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  const lastChangedOld = a.length - 1 - s; // may be p - 1 when lines were only inserted
  const delta = b.length - a.length;

  const body = prev.body;
  let before = 0; // statements [0, before) are kept
  while (before < body.length && body[before].endLine < p) before++;
  // A block may go on in the changed lines, unless a statement that starts before them (at the
  // top level, so at column 0) closed it: the lines up to there are the same as before.
  if (before > 0 && hasBody(body[before - 1]) && !(before < body.length && statementStartLine(body[before]) < p)) before--;
  let after = body.length; // statements [after, end) are kept
  if (delta === 0) {
    while (after > before && statementStartLine(body[after - 1]) > lastChangedOld) after--;
  }
  if (before === 0 && after === body.length) return null; // nothing to keep: parse the whole text

  // Typing inside one method of a class: only that method is parsed again.
  if (delta === 0 && after === before + 1) {
    const inner = reparseMethod(prev, before, b, p, lastChangedOld);
    if (inner) return inner;
  }

  // The region: every line between the kept statements (new numbering).
  const from = before > 0 ? body[before - 1].endLine + 1 : 0;
  const toOld = after < body.length ? statementStartLine(body[after]) - 1 : a.length - 1;
  const to = toOld + delta;
  if (to < from - 1) return null;
  // Padding keeps the positions: the region is parsed where it stands in the file.
  const region = fastParse('\n'.repeat(from) + b.slice(from, to + 1).join('\n'));
  if (!region) return null;
  for (const st of region.body) if (statementStartLine(st) < from || st.endLine > to) return null;

  const comments = [
    ...prev.comments.filter((c) => c.line < from),
    ...region.comments,
    ...prev.comments.filter((c) => c.line > toOld),
  ];
  return fast({ body: [...body.slice(0, before), ...region.body, ...body.slice(after)], errors: [], comments });
}

/**
 * The tree after an edit of lines [first, last] (the number of lines unchanged) when they lie
 * inside the body of one method of the class at top-level statement `at`: the method is
 * parsed again under the class's header lines (its indentation context), at its place, and
 * the class gets a new node with the new method; its other members are kept. Null when the
 * edit is elsewhere in the class, or the method's new lines do not parse as one method.
 */
function reparseMethod(prev: Module, at: number, b: readonly string[], first: number, last: number): Module | null {
  const cls = prev.body[at];
  if (cls.t !== 'ClassDef' || !cls.body.length) return null;
  const k = cls.body.findIndex((m) => m.t === 'FunctionDef' && m.body.length > 0 && statementStartLine(m.body[0]) > m.line && statementStartLine(m.body[0]) <= first && last <= m.endLine);
  if (k < 0) return null;
  const method = cls.body[k];
  const header = statementStartLine(cls);
  const bodyStart = statementStartLine(cls.body[0]);
  const start = statementStartLine(method);
  if (bodyStart <= header) return null; // (a class body on its header line)
  const text = '\n'.repeat(header) + b.slice(header, bodyStart).join('\n') + '\n'.repeat(start - bodyStart + 1) + b.slice(start, method.endLine + 1).join('\n');
  const region = fastParse(text);
  if (!region || region.errors.length || region.body.length !== 1) return null;
  const wrapper = region.body[0];
  if (wrapper.t !== 'ClassDef' || wrapper.body.length !== 1) return null;
  const fresh = wrapper.body[0];
  if (fresh.t !== 'FunctionDef' || statementStartLine(fresh) !== start || fresh.endLine > method.endLine) return null;
  const isLast = k === cls.body.length - 1;
  const edited: Node = { ...cls, body: cls.body.map((m, i) => (i === k ? fresh : m)), ...(isLast ? { endLine: fresh.endLine, endCol: fresh.endCol } : {}) };
  const comments = [
    ...prev.comments.filter((c) => c.line < start),
    ...region.comments.filter((c) => c.line >= start),
    ...prev.comments.filter((c) => c.line > method.endLine),
  ];
  return fast({ body: prev.body.map((st, i) => (i === at ? edited : st)), errors: [], comments });
}

function fast(m: Module): Module {
  FAST.add(m);
  return m;
}

/** Statements whose last lines are a block that following indented lines would continue. */
function hasBody(n: Node): boolean {
  switch (n.t) {
    case 'If': case 'For': case 'While': case 'With': case 'Try': case 'FunctionDef': case 'ClassDef':
      return true;
    default:
      return false;
  }
}

