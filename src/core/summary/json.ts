// The JSON contract of `tensorlens summary --json` (DESIGN.md): snake_case fields,
// dims as numbers, Keras' None batch as null, symbolic dims as strings, 1-based lines.

import { shapeToJson } from '../shapes/dim';
import type { Analysis } from './types';

type JsonShape = Array<number | string | null> | null;

export interface SummaryJson {
  file: string;
  framework: string;
  models: Array<{
    name: string;
    kind: string;
    /** 1-based; in a notebook, the line inside the cell named by `cell` (1-based code-cell index). */
    line: number;
    cell?: number;
    input_shapes: JsonShape[];
    input_source: string;
    /** One shape; for a Keras model with several outputs, the list of shapes (as Keras' model.output_shape). */
    output_shape: JsonShape | JsonShape[];
    output_shapes?: JsonShape[];
    total_params: number;
    trainable_params: number;
    non_trainable_params: number;
    param_bytes: number;
    macs: number;
    layers: Array<{ path: string; type: string; output_shape: JsonShape; params: number | null; trainable: boolean; line: number; cell?: number; macs: number | null; depth: number; note?: string; error?: boolean }>;
    notes: string[];
    /** Dataflow: input, layer (index into `layers`), op (add, cat, ...) and output nodes with their edges. */
    graph?: {
      nodes: Array<{ id: string; kind: string; label: string; path?: string; layer?: number; output_shape?: JsonShape; line?: number }>;
      edges: Array<{ from: string; to: string }>;
    };
  }>;
  diagnostics: Array<{ code: string; severity: string; message: string; line: number; cell?: number; column: number; endLine: number; endColumn: number }>;
  syntax_errors: Array<{ line: number; cell?: number; column: number }>;
  notes: string[];
}

/** Maps a 0-based program line to what the JSON reports (notebooks: the line inside its cell, plus the cell). */
export type LineMapper = (line0: number) => { line: number; cell?: number };

const identityLines: LineMapper = (l) => ({ line: l + 1 });

export function toSummaryJson(a: Analysis, mapLine: LineMapper = identityLines): SummaryJson {
  const at = (l: number) => {
    const m = mapLine(l);
    return m.cell === undefined ? { line: m.line } : { line: m.line, cell: m.cell };
  };
  return {
    file: a.file,
    framework: a.framework,
    models: a.models.map((m) => ({
      name: m.name,
      kind: m.kind,
      ...at(m.line),
      input_shapes: m.inputShapes.map(shapeToJson),
      input_source: m.inputSource,
      // Keras and tf.Module models with several outputs list them all; a PyTorch model gives its first (torchinfo).
      output_shape: m.framework !== 'pytorch' && m.outputShapes ? m.outputShapes.map(shapeToJson) : shapeToJson(m.outputShape),
      ...(m.outputShapes ? { output_shapes: m.outputShapes.map(shapeToJson) } : {}),
      total_params: m.totalParams,
      trainable_params: m.trainableParams,
      non_trainable_params: m.nonTrainableParams,
      param_bytes: m.paramBytes,
      macs: m.macs,
      layers: m.layers.map((l) => ({
        path: l.path,
        type: l.type,
        output_shape: shapeToJson(l.outputShape),
        params: l.params,
        trainable: l.trainable,
        ...at(l.line),
        macs: l.macs,
        depth: l.depth,
        ...(l.note ? { note: l.note } : {}),
        ...(l.error ? { error: true } : {}),
      })),
      notes: m.notes,
      ...(m.graph ? {
        graph: {
          nodes: m.graph.nodes.map((n) => ({
            id: n.id, kind: n.kind, label: n.label,
            ...(n.path !== undefined ? { path: n.path } : {}),
            ...(n.layer !== undefined ? { layer: n.layer } : {}),
            ...(n.outputShape !== undefined ? { output_shape: shapeToJson(n.outputShape) } : {}),
            ...(n.line !== undefined ? { line: mapLine(n.line).line } : {}),
          })),
          edges: m.graph.edges,
        },
      } : {}),
    })),
    diagnostics: a.diagnostics.map((d) => ({
      code: d.code, severity: d.severity, message: d.message,
      ...at(d.range.line), column: d.range.character + 1, endLine: mapLine(d.range.endLine).line, endColumn: d.range.endCharacter + 1,
    })),
    syntax_errors: a.syntaxErrors.map((r) => ({ ...at(r.line), column: r.character + 1 })),
    notes: a.notes,
  };
}
