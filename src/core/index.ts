// The engine's one entry point: text in, Analysis out. The CLI, the language server
// and the tests all call `createAnalyzer(...).analyze(text, options)`.
// The host hands over the parser's WASM bytes: src/core never touches the file system.

import type { Analysis, AnalyzeOptions } from './summary/types';
import { loadParser, type ParserWasm, type PyParser } from './python/parser';
import { analyzeText } from './analyze';

export type { Analysis, AnalyzeOptions, ModelSummary, LayerRow, Diagnostic } from './summary/types';
export { toSummaryJson, type SummaryJson } from './summary/json';
export type { ParserWasm, PyParser } from './python/parser';

export interface Analyzer {
  analyze(text: string, options?: AnalyzeOptions): Analysis;
}

export async function createAnalyzer(wasm: ParserWasm): Promise<Analyzer> {
  return analyzerFor(await loadParser(wasm));
}

/** An analyzer over a parser the host already loaded (one parser per process). */
export function analyzerFor(parser: PyParser): Analyzer {
  return {
    analyze: (text, options = {}) => analyzeText(parser, text, options),
  };
}
