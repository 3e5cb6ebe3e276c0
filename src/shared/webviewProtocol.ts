// The messages between the summary webview (src/webview) and its host
// (src/extension/webview/summaryPanel.ts), declared once and typed for both sides.
// The webview renders what it is sent and never analyses; the host validates every
// message it receives with `isWebviewToHost` (a webview is untrusted input).

import type { SummaryJson } from '../core/summary/json';
import type { SnippetInfo, TargetFramework, TranslateNote } from './protocol';

export type { SummaryJson };
export type SummaryModelJson = SummaryJson['models'][number];
export type SummaryLayerJson = SummaryModelJson['layers'][number];
export type JsonDim = number | string | null;
export type JsonShape = JsonDim[] | null;

/** Concrete input shapes as the user types them; `null` is a None (Keras) batch dim. */
export type InputShapes = Array<Array<number | null>>;

/** The panel's view type: the serializer and `onWebviewPanel:` activation use it. */
export const SUMMARY_VIEW_TYPE = 'tensorlens.summary';

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export type ExportFormat = 'markdown' | 'csv' | 'json' | 'svg';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['markdown', 'csv', 'json', 'svg'];
export type ExportDestination = 'file' | 'clipboard';

/**
 * A dataflow graph of one model. The summary rows only give a chain today; an engine that
 * knows the real edges (residual adds, concatenations, several inputs) sends this instead.
 */
export interface ModelGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface GraphNode {
  /** Unique within the graph. */
  id: string;
  /** `input` / `output` are the model's tensors, `layer` a summary row, `op` a functional op (add, cat, view…). */
  kind: 'input' | 'layer' | 'op' | 'output';
  /** Shown on the node: the layer type (`Conv2d`) or the op (`add`, `cat`). */
  label: string;
  /** The layer's path, for `layer` nodes. */
  path?: string;
  /** Index into the model's `layers` for `layer` nodes (links graph and table). */
  layer?: number;
  output_shape?: JsonShape;
  /** 1-based source line. */
  line?: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** The tensor's shape along this edge, when known. */
  shape?: JsonShape;
}

/** A summary model that may carry its own graph (a later engine field). */
export type SummaryModelWithGraph = SummaryModelJson & { graph?: ModelGraph };

/** What the panel shows: sent whole on `init` (a new document or model) and `update` (same view, new data). */
export interface SummaryView {
  /** The document's URI (kept in the webview state so the serializer can restore the panel). */
  documentUri: string;
  /** Shown in the header; comes from user space, so it is text like any other field. */
  fileName: string;
  summary: SummaryJson;
  /** The selected model's name; null picks the first. */
  model: string | null;
  /** Shapes the user set for this model in the panel; null when the analysis chose them. */
  inputShapes: InputShapes | null;
  /** Where the model's input shapes came from (`directive`, `example-call`, `keras-input`, `given`, `symbolic`…). */
  inputSource: string;
  theme: ThemeKind;
  /** Dataflow of the selected model; without it the webview lays out a chain from the rows. */
  graph?: ModelGraph;
}

export type HostToWebview =
  | ({ type: 'init' } & SummaryView)
  | ({ type: 'update' } & SummaryView)
  /** The host is re-analysing (after an edit or a new input shape). */
  | { type: 'busy'; busy: boolean }
  /** The editor's cursor moved to this 1-based line of the document (null: another document). */
  | { type: 'cursorMoved'; line: number | null }
  | { type: 'theme'; theme: ThemeKind }
  | { type: 'exportResult'; format: ExportFormat; destination: ExportDestination; ok: boolean; message: string }
  | { type: 'error'; message: string };

export type WebviewToHost =
  /** The webview has loaded (first time or after a reload) and wants data. */
  | { type: 'ready' }
  | { type: 'selectModel'; model: string }
  /** A row was activated: reveal its 1-based source line. */
  | { type: 'revealLine'; line: number; preserveFocus: boolean }
  /** Re-run the analysis with these input shapes for the model; null goes back to the automatic ones. */
  | { type: 'setInputShape'; model: string; inputShapes: InputShapes | null }
  | { type: 'export'; format: ExportFormat; destination: ExportDestination; content: string; suggestedName: string };

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const isShapes = (x: unknown): x is InputShapes => Array.isArray(x) && x.length > 0 && x.length <= 16
  && x.every((s) => Array.isArray(s) && s.length <= 16
    && s.every((d) => d === null || (typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)));

/** Validates a message from the webview (the host trusts nothing it receives). */
export function isWebviewToHost(m: unknown): m is WebviewToHost {
  if (!isObj(m)) return false;
  switch (m.type) {
    case 'ready':
      return true;
    case 'selectModel':
      return typeof m.model === 'string';
    case 'revealLine':
      return typeof m.line === 'number' && Number.isInteger(m.line) && m.line >= 1 && typeof m.preserveFocus === 'boolean';
    case 'setInputShape':
      return typeof m.model === 'string' && (m.inputShapes === null || isShapes(m.inputShapes));
    case 'export':
      return EXPORT_FORMATS.includes(m.format as ExportFormat)
        && (m.destination === 'file' || m.destination === 'clipboard')
        && typeof m.content === 'string' && typeof m.suggestedName === 'string';
    default:
      return false;
  }
}

/** Validates a message from the host (the webview ignores anything else posted to its window). */
export function isHostToWebview(m: unknown): m is HostToWebview {
  if (!isObj(m)) return false;
  switch (m.type) {
    case 'init':
    case 'update':
      return isObj(m.summary) && Array.isArray((m.summary as Record<string, unknown>).models) && typeof m.documentUri === 'string';
    case 'busy':
      return typeof m.busy === 'boolean';
    case 'cursorMoved':
      return m.line === null || typeof m.line === 'number';
    case 'theme':
      return typeof m.theme === 'string';
    case 'exportResult':
      return typeof m.message === 'string' && typeof m.ok === 'boolean';
    case 'error':
      return typeof m.message === 'string';
    default:
      return false;
  }
}

/** What the webview keeps with `setState` (restored after a reload and by the panel serializer). */
export interface WebviewState {
  view?: SummaryView;
  collapsed?: string[];
  depth?: number | null;
  tab?: 'table' | 'graph';
}

// --- the translation view and the snippet picker ------------------------------------------
// One browser bundle (src/webview/translate.ts -> dist/translate.js) with two modes, hosted by
// src/extension/webview/translatePanel.ts; the logic behind the buttons lives in
// src/extension/webview/translateController.ts (no vscode import, unit-tested with stubs).

export type { SnippetInfo, TargetFramework, TranslateNote };

export const TRANSLATE_VIEW_TYPE = 'tensorlens.translate';
export const SNIPPETS_VIEW_TYPE = 'tensorlens.snippets';
export const TARGET_FRAMEWORKS: readonly TargetFramework[] = ['pytorch', 'keras', 'tf-keras'];
export const FRAMEWORK_LABELS: Record<TargetFramework, string> = { pytorch: 'PyTorch', keras: 'Keras 3', 'tf-keras': 'tf.keras' };

/** What the translation view shows: the source (left), the translation (right) and the notes. */
export interface TranslationView {
  fileName: string;
  /** `model` (Translate Model To…) or `selection` (Translate Selection To…). */
  origin: 'model' | 'selection';
  /** The translated model's name (origin `model`). */
  model?: string;
  target: TargetFramework;
  /** The source text shown on the left and the 1-based document line of its first line. */
  source: { text: string; firstLine: number };
  /** The translation; null when the server has none for this target (then `message` says why). */
  code: string | null;
  message?: string;
  /** 1-based document lines (0: about the whole model). */
  notes: TranslateNote[];
  /** What Insert does, as the button says it: `Replace selection` / `Insert after model` / `Insert at cursor`. */
  insertLabel: string;
  theme: ThemeKind;
}

/** What the snippet picker shows. */
export interface SnippetsView {
  snippets: SnippetInfo[];
  /** The file snippets go into; null when no Python editor is open. */
  fileName: string | null;
  /** That file's framework from its imports; null when unknown (Insert then asks). */
  framework: TargetFramework | null;
  theme: ThemeKind;
}

export type TranslateHostToWebview =
  | { type: 'translation'; view: TranslationView }
  | { type: 'snippets'; view: SnippetsView }
  /** The snippet picker's target file changed (another Python editor became active). */
  | { type: 'snippetTarget'; fileName: string | null; framework: TargetFramework | null }
  | { type: 'busy'; busy: boolean }
  /** The outcome of a button (copied, inserted, nothing to insert into…). */
  | { type: 'status'; ok: boolean; message: string }
  | { type: 'theme'; theme: ThemeKind };

export type TranslateWebviewToHost =
  | { type: 'ready' }
  /** Translate the same source to another framework. */
  | { type: 'setTarget'; target: TargetFramework }
  /** The buttons act on the host's own copy of the translation (the page sends no code). */
  | { type: 'copy' }
  | { type: 'openAsFile' }
  | { type: 'insert' }
  /** A note was clicked: reveal this 1-based line of the source document. */
  | { type: 'revealLine'; line: number }
  /** Insert snippet `id` in `framework`'s version; null: the file's framework (asked when unknown). */
  | { type: 'insertSnippet'; id: string; framework: TargetFramework | null };

const isTarget = (x: unknown): x is TargetFramework => TARGET_FRAMEWORKS.includes(x as TargetFramework);

/** Validates a message from the translation / snippet page. */
export function isTranslateWebviewToHost(m: unknown): m is TranslateWebviewToHost {
  if (!isObj(m)) return false;
  switch (m.type) {
    case 'ready':
    case 'copy':
    case 'openAsFile':
    case 'insert':
      return true;
    case 'setTarget':
      return isTarget(m.target);
    case 'revealLine':
      return typeof m.line === 'number' && Number.isInteger(m.line) && m.line >= 1;
    case 'insertSnippet':
      return typeof m.id === 'string' && m.id.length <= 200 && (m.framework === null || isTarget(m.framework));
    default:
      return false;
  }
}

/** Validates a message from the host to the translation / snippet page. */
export function isTranslateHostToWebview(m: unknown): m is TranslateHostToWebview {
  if (!isObj(m)) return false;
  switch (m.type) {
    case 'translation':
      return isObj(m.view) && isObj(m.view.source) && typeof m.view.source.text === 'string' && Array.isArray(m.view.notes) && isTarget(m.view.target);
    case 'snippets':
      return isObj(m.view) && Array.isArray(m.view.snippets);
    case 'snippetTarget':
      return m.framework === null || isTarget(m.framework);
    case 'busy':
      return typeof m.busy === 'boolean';
    case 'status':
      return typeof m.ok === 'boolean' && typeof m.message === 'string';
    case 'theme':
      return typeof m.theme === 'string';
    default:
      return false;
  }
}

/** What the translation / snippet page keeps with `setState` (the page reloads when hidden). */
export interface TranslateWebviewState {
  filter?: string;
  selected?: string;
}
