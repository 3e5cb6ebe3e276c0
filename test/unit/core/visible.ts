// What a user sees of an analysis, for differential tests (an optimisation must change
// nothing of it): summaries, diagnostics, notes, hover/hint shape facts and lint findings.
import type { DetailedAnalysis } from '../../../src/core/analyze';
import { lintFileDetailed } from '../../../src/core/lint/engine';

export function visible(d: DetailedAnalysis, text: string) {
  return {
    analysis: d.analysis,
    facts: [...(d.shapeFacts ?? new Map())].sort(([a], [b]) => a.localeCompare(b)),
    findings: lintFileDetailed(d, text, {}).findings,
  };
}
