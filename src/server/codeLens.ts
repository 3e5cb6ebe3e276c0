// Code lenses above each model: `Σ 11.7 M params · → [1, 1000] · Show summary`, running
// the Show Model Summary command for that model.

import type { CodeLens } from 'vscode-languageserver';
import { formatOutput } from '../core/summary/text';
import type { ModelSummary } from '../core/summary/types';
import { Command, formatParamsShort, type ShowSummaryArgs } from '../shared/protocol';
import type { DocAnalysis } from './analysisService';

export function modelLensTitle(m: Pick<ModelSummary, 'totalParams' | 'outputShape' | 'outputShapes'>): string {
  return `Σ ${formatParamsShort(m.totalParams)} params · → ${formatOutput(m)} · Show summary`;
}

export function codeLenses(a: DocAnalysis): CodeLens[] {
  return a.index.models.map((m) => {
    const line = m.start.line;
    const args: ShowSummaryArgs = [a.uri, m.summary.name];
    return {
      range: { start: { line, character: m.start.col }, end: { line, character: m.start.col } },
      command: { title: modelLensTitle(m.summary), command: Command.showSummary, arguments: args },
    };
  });
}
