// The analysis result: models with their layer rows and totals, plus diagnostics.
// Internal shapes keep Dim values; `toSummaryJson` turns them into the JSON contract
// of `tensorlens summary --json` (DESIGN.md).

import type { Shape } from '../shapes/dim';

export type InputSource = 'directive' | 'given' | 'setting' | 'example-call' | 'keras-input' | 'input-shape-arg' | 'build-call' | 'input-signature' | 'symbolic';

export interface LayerRow {
  /** `named_modules()` path for PyTorch, the Keras layer name for Keras. */
  path: string;
  type: string;
  outputShape: Shape | null;
  /** Params counted on this row (0 on a repeated call of the same layer). */
  params: number | null;
  trainableParams: number | null;
  nonTrainableParams: number;
  trainable: boolean;
  /** 0-based line of the layer's construction. */
  line: number;
  /** 0-based line of the call that produced this row, when known. */
  callLine?: number;
  macs: number | null;
  /** Module nesting depth (0 = direct child of the model). */
  depth: number;
  /** Why the output is Unknown, or the shape error at this layer. */
  note?: string;
  error?: boolean;
}

/** The model's dataflow: inputs, leaf-layer calls, merging ops (add, cat...) and outputs. */
export interface DataflowGraph {
  nodes: Array<{ id: string; kind: 'input' | 'layer' | 'op' | 'output'; label: string; path?: string; layer?: number; outputShape?: Shape | null; line?: number }>;
  edges: Array<{ from: string; to: string }>;
}

export interface ModelSummary {
  name: string;
  kind: 'module-class' | 'module-variable' | 'factory' | 'keras-sequential' | 'keras-functional' | 'keras-subclassed' | 'tf-module';
  framework: 'pytorch' | 'keras' | 'tensorflow';
  /** 0-based line of the class / assignment. */
  line: number;
  inputShapes: Shape[];
  inputSource: InputSource;
  outputShape: Shape | null;
  /** All output shapes when the model returns several. */
  outputShapes?: Array<Shape | null>;
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
  paramBytes: number;
  macs: number;
  layers: LayerRow[];
  notes: string[];
  graph?: DataflowGraph;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface Range {
  /** 0-based line and character. */
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
}

export interface Diagnostic {
  /** Set when the problem is in an imported project file (its path as the resolver gave it); absent = this file. */
  file?: string;
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  related?: Array<{ message: string; range: Range }>;
}

export interface Analysis {
  file: string;
  framework: 'pytorch' | 'keras' | 'tensorflow' | 'unknown';
  models: ModelSummary[];
  diagnostics: Diagnostic[];
  /** Syntax errors found by the parser (the rest of the file is still analysed). */
  syntaxErrors: Range[];
  /** Messages about what could not be followed (budgets, unsupported constructs). */
  notes: string[];
  /** Project files this analysis imported (paths as the resolver gave them): re-analyse when they change. */
  dependencies?: string[];
}

export interface AnalyzeOptions {
  fileName?: string;
  /** Only this model (class / variable name). */
  model?: string;
  /** Input shapes handed in (CLI `--input-shape`, webview box, settings); null = None batch. */
  inputShapes?: Array<Array<number | null>>;
  /** Evaluator budgets (defaults in src/core/eval/budget.ts). */
  maxSteps?: number;
  /** Files longer than this (characters) are not analysed; default 3 MiB. */
  maxFileBytes?: number;
  /** Record the shape each name holds after every assignment (DetailedAnalysis.shapeFacts), for hovers and inlay hints. */
  traceShapes?: boolean;
  /** Finds the project's own modules for imports (the host reads files; the core never does). */
  resolveModule?: import('../eval/modules').ModuleResolver;
  /** The previous version of the text and its tree (language server edits): the top-level statements an edit cannot reach are not parsed again. */
  previous?: { text: string; module: import('../python/ast').Module };
  /** Build each PyTorch model's dataflow graph (ModelSummary.graph, the summary's graph view); default true. Lint does not need it. */
  dataflow?: boolean;
  /**
   * Let a summary use a forward pass the file itself already ran: a PyTorch model's example
   * call (when nothing it read changed since), a Keras functional model's construction on its
   * own inputs. Default true; false runs every summary afresh (the differential tests compare both).
   */
  reuseForward?: boolean;
  /** The engine's state after the unchanged first statements, made ahead of this edit (analyze.ts prepareRun). */
  resume?: import('../analyze').PreparedRun;
}

/** The shape(s) a name holds right after an assignment (`x = self.conv1(x)`): hover and inlay-hint facts. */
export interface ShapeFact {
  name: string;
  /** 0-based position of the assignment target. */
  line: number;
  col: number;
  endCol: number;
  /** One shape per tensor (a tuple of tensors gives several). */
  shapes: Array<Shape | null>;
}
