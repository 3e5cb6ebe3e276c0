// Code actions: the linter's quick fixes (Finding.fix edits), a `# noqa: DL###` suppression
// for each TensorLens diagnostic, and "Insert input-shape directive" above the model under
// the cursor when its input shape does not come from a directive already.

import { CodeActionKind, type CodeAction, type CodeActionParams, type TextEdit } from 'vscode-languageserver';
import { isConcrete, type Shape } from '../core/shapes/dim';
import type { DocAnalysis } from './analysisService';
import { modelAtLine } from './docIndex';
import { rangesOverlap, sameRange, toLspRange } from './lspConvert';

const NOQA_RE = /#\s*noqa\s*:\s*([A-Z]+\d+(?:\s*,\s*[A-Z]+\d+)*)/i;

function lines(text: string): string[] {
  return text.split('\n').map((l) => l.replace(/\r$/, ''));
}

export function codeActions(a: DocAnalysis, params: CodeActionParams): CodeAction[] {
  const out: CodeAction[] = [];
  const uri = a.uri;
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
  const src = lines(a.text);

  if (wants(CodeActionKind.QuickFix)) {
    for (const f of a.findings) {
      const range = toLspRange(f.range);
      if (!f.fix || !rangesOverlap(range, params.range)) continue;
      const diag = params.context.diagnostics.find((d) => d.code === f.code && sameRange(d.range, range));
      out.push({
        title: f.fix.title,
        kind: CodeActionKind.QuickFix,
        isPreferred: true,
        diagnostics: diag ? [diag] : undefined,
        edit: { changes: { [uri]: f.fix.edits.map((e): TextEdit => ({ range: toLspRange(e.range), newText: e.newText })) } },
      });
    }
    for (const d of params.context.diagnostics) {
      if (d.source !== 'TensorLens' || typeof d.code !== 'string') continue;
      const line = d.range.start.line;
      const text = src[line] ?? '';
      const m = NOQA_RE.exec(text);
      const edit: TextEdit = m
        ? { range: { start: { line, character: m.index }, end: { line, character: m.index + m[0].length } }, newText: `# noqa: ${m[1]}, ${d.code}` }
        : { range: { start: { line, character: text.length }, end: { line, character: text.length } }, newText: `  # noqa: ${d.code}` };
      out.push({ title: `Suppress ${d.code} on this line`, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: { changes: { [uri]: [edit] } } });
    }
  }

  if (wants(CodeActionKind.Refactor) || wants(CodeActionKind.RefactorRewrite) || wants(CodeActionKind.QuickFix)) {
    const model = modelAtLine(a.index, params.range.start.line);
    if (model && model.summary.inputSource !== 'directive') {
      const line = model.start.line;
      const indent = /^\s*/.exec(src[line] ?? '')?.[0] ?? '';
      const directive = `# tensorlens: input=${directiveShapes(model.summary.inputShapes, model.summary.framework)}`;
      out.push({
        title: `Insert input-shape directive for ${model.summary.name}`,
        kind: CodeActionKind.RefactorRewrite,
        edit: { changes: { [uri]: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}${directive}\n` }] } },
      });
    }
  }
  return out;
}

/** `(1, 3, 224, 224)`: concrete dims kept, a symbolic batch becomes 1 (None for Keras), other unknowns a placeholder 32. */
export function directiveShapes(shapes: Shape[], framework: string): string {
  const list = shapes.length ? shapes : [[]];
  return list
    .map((s) => {
      const dims = s.map((d, i) => (isConcrete(d) ? String(d) : i === 0 ? (framework === 'keras' ? 'None' : '1') : '32'));
      return `(${dims.length ? dims.join(', ') : '1, 3, 224, 224'})`;
    })
    .join(', ');
}
