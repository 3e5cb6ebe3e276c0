// The one place where the language server calls the linter (src/core/lint/engine.ts).
// Its findings are published beside the analysis' own diagnostics (shape errors, DL4xx).

import type { DetailedAnalysis } from '../core/analyze';
import type { Finding } from '../core/lint/types';
import type { LintConfig } from '../core/lint/config';
import { lintFile } from '../core/lint/engine';

/** Lint findings for one analysed document; never throws. */
export function runLint(detailed: DetailedAnalysis, text: string, config: LintConfig): Finding[] {
  if (!detailed.module) return [];
  return lintFile(detailed, text, config);
}

/** Whether the linter is wired in (reported by the server's initialize result). */
export const LINT_AVAILABLE: boolean = true;
