// Answers to the custom requests of src/shared/protocol.ts: summaries and model lists from
// the cached analysis, translations and the Rosetta snippets from src/core/translate.

import { toSummaryJson } from '../core/summary/json';
import { formatOutput } from '../core/summary/text';
import { ROSETTA, translateModel, translateSnippet, type TranslationNote } from '../core/translate/index';
import { Method, NOT_AVAILABLE, type ParamsOf, type ResultOf, type TranslateNote } from '../shared/protocol';
import type { AnalysisService, SourceDoc } from './analysisService';

export interface RequestDeps {
  service: AnalysisService;
  document(uri: string): SourceDoc | undefined;
  /** After the session input shape changed: re-publish and ask clients to refresh hints and lenses. */
  refresh(uri: string): void;
}

export function summary(deps: RequestDeps, p: ParamsOf<typeof Method.summary>): ResultOf<typeof Method.summary> {
  const doc = deps.document(p.uri);
  if (!doc) return null;
  if (p.inputShapes?.length) {
    const detailed = deps.service.analyseWith(doc, { inputShapes: p.inputShapes, ...(p.model ? { model: p.model } : {}) });
    return { version: doc.version, summary: toSummaryJson(detailed.analysis) };
  }
  const a = deps.service.get(p.uri);
  if (!a) return null;
  const json = toSummaryJson(deps.service.withGraphs(a));
  if (p.model) json.models = json.models.filter((m) => m.name === p.model);
  return { version: a.version, summary: json };
}

export function models(deps: RequestDeps, p: ParamsOf<typeof Method.models>): ResultOf<typeof Method.models> {
  const a = deps.service.get(p.uri);
  if (!a) return null;
  return {
    version: a.version,
    models: a.index.models.map((m) => ({
      name: m.summary.name, kind: m.summary.kind, framework: m.summary.framework,
      line: m.start.line, endLine: m.endLine, totalParams: m.summary.totalParams, outputShape: formatOutput(m.summary),
    })),
  };
}

const noteText = (n: TranslationNote | string) => (typeof n === 'string' ? n : n.line > 0 ? `line ${n.line}: ${n.message}` : n.message);

export function translate(deps: RequestDeps, p: ParamsOf<typeof Method.translate>): ResultOf<typeof Method.translate> {
  const doc = deps.document(p.uri);
  if (!doc) return { available: false, message: 'TensorLens: the document is not open.' };
  if (p.range) {
    const text = sliceRange(doc.getText(), p.range);
    const r = translateSnippet(text, p.target, deps.service.parser, importLines(doc.getText())) as { code: string; notes: Array<TranslationNote | string> };
    // Snippet notes count lines from the selection's first line; lines past its end cannot be placed.
    const span = p.range.end.line - p.range.start.line + 1;
    const place = (line: number) => (line > 0 && line <= span ? p.range!.start.line + line : 0);
    return { available: true, code: r.code, notes: r.notes.map(noteText), noteDetails: r.notes.map((n) => noteDetail(n, place)) };
  }
  const a = deps.service.get(p.uri);
  const model = p.model ?? a?.detailed.analysis.models[0]?.name;
  if (!a || !model) return { available: false, message: 'TensorLens: no model found in this file to translate.' };
  const r = translateModel(a.detailed, model, p.target, a.text);
  if (!r.code) return { available: false, message: r.notes.map(noteText).join(' ') || NOT_AVAILABLE };
  return { available: true, code: r.code, notes: r.notes.map(noteText), noteDetails: r.notes.map((n) => noteDetail(n, (l) => Math.max(0, l))) };
}

const noteDetail = (n: TranslationNote | string, place: (line: number) => number): TranslateNote =>
  typeof n === 'string' ? { line: 0, message: n } : { line: place(n.line), message: n.message };

function sliceRange(text: string, r: NonNullable<ParamsOf<typeof Method.translate>['range']>): string {
  const lines = text.split('\n');
  if (r.start.line === r.end.line) return (lines[r.start.line] ?? '').slice(r.start.character, r.end.character);
  const out = [(lines[r.start.line] ?? '').slice(r.start.character), ...lines.slice(r.start.line + 1, r.end.line), (lines[r.end.line] ?? '').slice(0, r.end.character)];
  return out.join('\n');
}

export function snippets(p: ParamsOf<typeof Method.snippets>): ResultOf<typeof Method.snippets> {
  const all = ROSETTA.map((t) => ({ id: t.id, title: t.title, description: t.description, bodies: { pytorch: t.pytorch, keras: t.keras, 'tf-keras': t.tfKeras } }));
  const list = p.framework ? all.filter((s) => s.bodies[p.framework!]) : all;
  return { available: list.length > 0, ...(list.length ? {} : { message: NOT_AVAILABLE }), snippets: list };
}

export function setInputShape(deps: RequestDeps, p: ParamsOf<typeof Method.setInputShape>): ResultOf<typeof Method.setInputShape> {
  const doc = deps.document(p.uri);
  if (!doc) return null;
  deps.service.setSessionShapes(p.uri, p.inputShapes);
  deps.refresh(p.uri);
  return { version: doc.version };
}

export type SummaryParamsT = ParamsOf<typeof Method.summary>;
export type ModelsParamsT = ParamsOf<typeof Method.models>;
export type TranslateParamsT = ParamsOf<typeof Method.translate>;
export type SnippetsParamsT = ParamsOf<typeof Method.snippets>;
export type SetInputShapeParamsT = ParamsOf<typeof Method.setInputShape>;

/** The file's top-level import statements: the context a selected class needs to be analysed. */
function importLines(text: string): string {
  return text.split('\n').filter((l) => /^(import\s|from\s+\S+\s+import\s)/.test(l)).join('\n');
}
