// What the server publishes for a document: the engine's own diagnostics (shape errors,
// DL4xx) and the lint findings, de-duplicated, as LSP diagnostics with rule links.

import type { Diagnostic } from 'vscode-languageserver';
import type { DocAnalysis } from './analysisService';
import { toLspDiagnostic } from './lspConvert';

export function documentDiagnostics(a: DocAnalysis): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of [...a.detailed.analysis.diagnostics, ...a.findings]) {
    const key = `${d.code}|${d.range.line}:${d.range.character}-${d.range.endLine}:${d.range.endCharacter}|${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(toLspDiagnostic(d, a.uri));
  }
  return out;
}
