// Per-line shape facts for hovers and inlay hints come from the core
// (AnalyzeOptions.traceShapes -> DetailedAnalysis.shapeFacts); re-exported under the names
// the server's index uses.

export type { ShapeFact } from '../core/summary/types';
export type ShapeFacts = Map<string, import('../core/summary/types').ShapeFact>;
