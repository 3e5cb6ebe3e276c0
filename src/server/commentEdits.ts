// Edits that only rewrite comments between statements (typing a note, commenting on a layer)
// leave the program unchanged: the previous analysis stays exact, with only the comment
// list updated. The conditions, all checked here:
//  - same number of lines, and every changed line is a whole-line comment in both versions;
//  - that comment was a real comment before (in the module's comment list, so not text
//    inside a triple-quoted string; the lines before it are unchanged, so it still is one);
//  - neither version of a changed line means anything to TensorLens (`# noqa`,
//    `# tensorlens: ...`, `# type:`), so suppressions and input directives are unchanged;
//  - the line is not inside a statement or an expression that spans lines (messages and
//    fixes quote the source text of nodes, which would then contain the comment).
// Anything else is a full re-analysis.

import type { Module, Node } from '../core/python/ast';

const MEANINGFUL = /noqa|tensorlens\s*:|type\s*:/i;

/**
 * The lines an edit changed, without splitting either text: the first changed line and both
 * versions of the changed lines (from the first to the last line that differs). Undefined when
 * the texts are the same or the edit changed the number of lines.
 */
export function changedLineBlock(before: string, after: string): { first: number; old: string[]; new: string[] } | undefined {
  if (before === after) return undefined;
  const n = Math.min(before.length, after.length);
  const p = commonPrefix(before, after, n);
  const s = commonSuffix(before, after, n - p);
  // Out to whole lines: the same prefix and suffix in both texts.
  const start = p === 0 ? 0 : before.lastIndexOf('\n', p - 1) + 1;
  const lineEnd = before.indexOf('\n', before.length - s);
  const tail = lineEnd < 0 ? 0 : before.length - lineEnd;
  const oldBlock = before.slice(start, before.length - tail).split('\n');
  const newBlock = after.slice(start, after.length - tail).split('\n');
  if (oldBlock.length !== newBlock.length) return undefined;
  let first = 0;
  for (let at = before.indexOf('\n'); at >= 0 && at < start; at = before.indexOf('\n', at + 1)) first++;
  return { first, old: oldBlock, new: newBlock };
}

/** Chunks compared at once (as substrings: V8 compares those natively) before the characters of the one that differs. */
const CHUNK = 512;

/** The length of the common start of `a` and `b` (at most `n`). */
function commonPrefix(a: string, b: string, n: number): number {
  let p = 0;
  while (p + CHUNK <= n && a.substring(p, p + CHUNK) === b.substring(p, p + CHUNK)) p += CHUNK;
  while (p < n && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  return p;
}

/** The length of the common end of `a` and `b` (at most `n`). */
function commonSuffix(a: string, b: string, n: number): number {
  let s = 0;
  while (s + CHUNK <= n && a.substring(a.length - s - CHUNK, a.length - s) === b.substring(b.length - s - CHUNK, b.length - s)) s += CHUNK;
  while (s < n && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  return s;
}

const isComment = (line: string) => line.trimStart().startsWith('#');

/**
 * The comment list of `mod` after the edit from `before` to `after`, when the edit touches
 * only free-standing comments (see above); undefined otherwise. An edit to code is turned
 * down from the changed lines alone, before the comment list and the tree are looked at.
 */
export function commentsAfterCommentEdit(mod: Module, before: string, after: string): Module['comments'] | undefined {
  const block = changedLineBlock(before, after);
  if (!block) return undefined;
  const lines: number[] = [];
  for (let k = 0; k < block.old.length; k++) {
    const oldText = block.old[k];
    const newText = block.new[k];
    if (oldText === newText) continue;
    if (!isComment(oldText) || !isComment(newText) || MEANINGFUL.test(oldText) || MEANINGFUL.test(newText)) return undefined;
    lines.push(block.first + k);
  }
  if (!lines.length) return undefined;
  const byLine = new Map(mod.comments.map((c, i) => [c.line, i]));
  const comments = mod.comments.slice();
  const spans = multiLineSpans(mod.body);
  for (const l of lines) {
    const i = byLine.get(l);
    if (i === undefined) return undefined;
    const oldText = block.old[l - block.first];
    const newText = block.new[l - block.first];
    const oldCol = oldText.length - oldText.trimStart().length;
    const newCol = newText.length - newText.trimStart().length;
    if (comments[i].col !== oldCol) return undefined;
    if (insideSpan(spans, l)) return undefined;
    comments[i] = { line: l, col: newCol, text: newText.trimStart().replace(/\r$/, '') };
  }
  return comments;
}

/** [start, end] line ranges of simple statements and of compound statements' header parts. */
function multiLineSpans(body: readonly Node[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const add = (n: Node | undefined) => {
    if (n && n.endLine > n.line) out.push([n.line, n.endLine]);
  };
  const visit = (stmts: readonly Node[]) => {
    for (const s of stmts) {
      switch (s.t) {
        case 'If': case 'While':
          add(s.test);
          visit(s.body);
          visit(s.orelse);
          break;
        case 'For':
          add(s.target);
          add(s.iter);
          visit(s.body);
          visit(s.orelse);
          break;
        case 'With':
          for (const it of s.items) {
            add(it.expr);
            add(it.target);
          }
          visit(s.body);
          break;
        case 'Try':
          visit(s.body);
          for (const h of s.handlers) visit(h);
          visit(s.orelse);
          visit(s.finalbody);
          break;
        case 'FunctionDef':
          // The signature: from the def to the first body statement.
          if (s.body.length && s.body[0].line > s.namePos.line + 1) out.push([s.namePos.line, s.body[0].line - 1]);
          s.decorators.forEach(add);
          visit(s.body);
          break;
        case 'ClassDef':
          if (s.body.length && s.body[0].line > s.namePos.line + 1) out.push([s.namePos.line, s.body[0].line - 1]);
          s.decorators.forEach(add);
          visit(s.body);
          break;
        default:
          add(s);
      }
    }
  };
  visit(body);
  return out;
}

function insideSpan(spans: ReadonlyArray<[number, number]>, line: number): boolean {
  for (const [a, b] of spans) if (line > a && line < b) return true;
  return false;
}
