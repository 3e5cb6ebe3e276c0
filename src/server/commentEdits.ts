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

/** The 0-based lines that differ, or undefined when the line count changed. */
function changedLines(before: readonly string[], after: readonly string[]): number[] | undefined {
  if (before.length !== after.length) return undefined;
  const out: number[] = [];
  for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) out.push(i);
  return out;
}

/**
 * The comment list of `mod` after the edit from `before` to `after`, when the edit touches
 * only free-standing comments (see above); undefined otherwise.
 */
export function commentsAfterCommentEdit(mod: Module, before: string, after: string): Module['comments'] | undefined {
  const oldLines = before.split('\n');
  const newLines = after.split('\n');
  const lines = changedLines(oldLines, newLines);
  if (!lines || !lines.length) return undefined;
  const byLine = new Map(mod.comments.map((c, i) => [c.line, i]));
  const comments = mod.comments.slice();
  const spans = multiLineSpans(mod.body);
  for (const l of lines) {
    const i = byLine.get(l);
    if (i === undefined) return undefined;
    const oldText = oldLines[l];
    const newText = newLines[l];
    const oldCol = oldText.length - oldText.trimStart().length;
    const newCol = newText.length - newText.trimStart().length;
    if (comments[i].col !== oldCol || !oldText.trimStart().startsWith('#') || !newText.trimStart().startsWith('#')) return undefined;
    if (MEANINGFUL.test(oldText) || MEANINGFUL.test(newText)) return undefined;
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
