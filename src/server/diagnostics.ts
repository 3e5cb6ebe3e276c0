// What the server publishes for a document: the engine's own diagnostics (shape errors,
// DL4xx) and the lint findings, as LSP diagnostics with rule links. One problem, one
// diagnostic: the DL4xx rules restate the engine's shape errors (with a clearer message and
// a fix), so a finding replaces the engine diagnostic of the same code at the same range.
// A shape error located in an imported file is shown at the construction, in this file, of
// the block that holds the failing layer, linked to the place in the imported file; the
// findings that restate it at the imported file's coordinates are left out.

import { basename } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import type { Range } from '../core/summary/types';
import type { DocAnalysis } from './analysisService';
import { diagnosticKey } from './docIndex';
import { fromPos, toLspDiagnostic, type CoreDiagnosticLike } from './lspConvert';
import { pathToUri } from './uri';

const rangeKey = (code: string, r: Range) => `${code}|${r.line}:${r.character}-${r.endLine}:${r.endCharacter}`;

export function documentDiagnostics(a: DocAnalysis): Diagnostic[] {
  const foreign = a.foreign;
  const dropped = new Set<string>();
  const engine: CoreDiagnosticLike[] = [];
  const rehomed: Diagnostic[] = [];
  for (const d of a.detailed.analysis.diagnostics) {
    const elsewhere = foreign.size ? foreign.get(diagnosticKey(d.range.line, d.range.character, d.message)) : undefined;
    if (!elsewhere) {
      engine.push(d);
      continue;
    }
    dropped.add(rangeKey(d.code, d.range));
    if (!elsewhere.anchor) continue;
    const where = elsewhere.file ? ` (in ${basename(elsewhere.file)}, line ${elsewhere.node.line + 1})` : '';
    const lsp = toLspDiagnostic({ ...d, message: `${elsewhere.message ?? d.message}${where}`, related: undefined }, a.uri);
    lsp.range = fromPos(elsewhere.anchor);
    if (elsewhere.file) {
      const uri = pathToUri(elsewhere.file);
      lsp.relatedInformation = [{ location: { uri, range: fromPos(elsewhere.node) }, message: 'fails here' }];
      if (elsewhere.def) lsp.relatedInformation.push({ location: { uri, range: fromPos(elsewhere.def) }, message: 'layer defined here' });
    }
    rehomed.push(lsp);
  }
  const findings = new Map<string, CoreDiagnosticLike>();
  for (const f of a.findings) {
    const k = rangeKey(f.code, f.range);
    if (!dropped.has(k) && !findings.has(k)) findings.set(k, f);
  }
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  const add = (k: string, d: CoreDiagnosticLike) => {
    if (seen.has(k)) return;
    seen.add(k);
    out.push(toLspDiagnostic(d, a.uri));
  };
  for (const d of engine) {
    const k = rangeKey(d.code, d.range);
    add(k, findings.get(k) ?? d);
  }
  for (const [k, f] of findings) add(k, f);
  for (const d of rehomed) {
    const k = `${d.code}|${d.range.start.line}:${d.range.start.character}|${d.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(d);
  }
  return out;
}
