// The core's coordinates and severities become LSP ones here (one place, STYLE.md habit 6).
// The core is 0-based line/character like LSP, so ranges copy across; columns are
// tree-sitter columns, which match UTF-16 code units for the ASCII that model code is.

import { DiagnosticSeverity, DiagnosticTag, type Diagnostic, type Range } from 'vscode-languageserver';
import type { Range as CoreRange, Severity } from '../core/summary/types';
import { RULES_DOC_URL } from '../shared/protocol';

export function toLspRange(r: CoreRange): Range {
  return { start: { line: r.line, character: r.character }, end: { line: r.endLine, character: r.endCharacter } };
}

export function fromPos(p: { line: number; col: number; endLine: number; endCol: number }): Range {
  return { start: { line: p.line, character: p.col }, end: { line: p.endLine, character: p.endCol } };
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Rules about deprecated or removed APIs are shown struck through. */
const DEPRECATED_CODES = new Set(['DL119', 'DL209']);

export interface CoreDiagnosticLike {
  code: string;
  severity: Severity;
  message: string;
  range: CoreRange;
  related?: Array<{ message: string; range: CoreRange }>;
}

export function toLspDiagnostic(d: CoreDiagnosticLike, uri: string): Diagnostic {
  const out: Diagnostic = {
    range: toLspRange(d.range),
    severity: SEVERITY[d.severity] ?? DiagnosticSeverity.Warning,
    code: d.code,
    codeDescription: { href: `${RULES_DOC_URL}#${d.code.toLowerCase()}` },
    source: 'TensorLens',
    message: d.message,
  };
  if (d.related?.length) out.relatedInformation = d.related.map((r) => ({ location: { uri, range: toLspRange(r.range) }, message: r.message }));
  if (DEPRECATED_CODES.has(d.code)) out.tags = [DiagnosticTag.Deprecated];
  return out;
}

export function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

export function rangesOverlap(a: Range, b: Range): boolean {
  const before = (p: { line: number; character: number }, q: { line: number; character: number }) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}
