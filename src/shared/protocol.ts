// The one place where TensorLens ids are declared: custom LSP requests (with their typed
// params and results), command ids and setting keys. The server, the extension and the
// tests import them from here; a test checks them against package.json.
// No runtime dependency on vscode or on the LSP libraries: plain strings and types.

import type { SummaryJson } from '../core/summary/json';

/** A dim in an input shape the user gives: a number, or null for a free batch (`None`). */
export type InputShape = Array<number | null>;

/** The model part of a JSON summary (one entry of `SummaryJson.models`). */
export type ModelSummaryJson = SummaryJson['models'][number];

// --- tensorlens/summary -------------------------------------------------------------------

export interface SummaryParams {
  uri: string;
  /** Only this model (class or variable name); all models when absent. */
  model?: string;
  /** Input shapes to use instead of the file's own (webview box); overrides settings, not directives. */
  inputShapes?: InputShape[];
}
/** The `tensorlens summary --json` contract for the document (1-based lines), plus the document version analysed. */
export interface SummaryResult {
  version: number;
  summary: SummaryJson;
  /**
   * For a notebook (asked with a cell's URI): each program cell's URI and the 1-based program
   * line it starts at. The summary's lines are program lines; the client maps them to cells.
   */
  cells?: NotebookCellStart[];
}

export interface NotebookCellStart {
  uri: string;
  line: number;
}

// --- tensorlens/models --------------------------------------------------------------------

export interface ModelsParams {
  uri: string;
}
export interface ModelInfo {
  name: string;
  kind: string;
  framework: string;
  /** 0-based line of the class / assignment (LSP coordinates). */
  line: number;
  /** 0-based last line of the class body (the model "under the cursor" test). */
  endLine: number;
  totalParams: number;
  /** Formatted output shape, `[1, 1000]`. */
  outputShape: string;
}
export interface ModelsResult {
  version: number;
  models: ModelInfo[];
}

// --- tensorlens/translate and tensorlens/snippets ----------------------------------------

/** The translation targets, spelled as src/core/translate spells them. */
export type TargetFramework = 'pytorch' | 'keras' | 'tf-keras';

export interface TranslateParams {
  uri: string;
  target: TargetFramework;
  /** The model to translate; the file's first model when absent. */
  model?: string;
  /** Translate only this 0-based range (Translate Selection). */
  range?: { start: { line: number; character: number }; end: { line: number; character: number } };
}
export interface TranslateResult {
  available: boolean;
  /** Why not, when `available` is false. */
  message?: string;
  code?: string;
  /** One line per semantic difference, `line N: message` when it comes from a source line. */
  notes?: string[];
  /** The same notes with their source line: 1-based line of the document (0 = about the whole model). */
  noteDetails?: TranslateNote[];
}
export interface TranslateNote {
  /** 1-based line of the translated document (selections are mapped back to it); 0 when about the whole model. */
  line: number;
  message: string;
}

export interface SnippetsParams {
  /** Filter by the file's framework; all when absent. */
  framework?: TargetFramework;
}
export interface SnippetInfo {
  id: string;
  title: string;
  /** One sentence on what differs between the frameworks. */
  description?: string;
  /** Body per framework (VS Code snippet syntax). */
  bodies: Partial<Record<TargetFramework, string>>;
}
export interface SnippetsResult {
  available: boolean;
  message?: string;
  snippets: SnippetInfo[];
}

// --- tensorlens/setInputShape -------------------------------------------------------------

export interface SetInputShapeParams {
  uri: string;
  /** Applies to every model of the document without a directive; empty list = forget it. */
  inputShapes: InputShape[];
}
export interface SetInputShapeResult {
  version: number;
}

/** Custom request methods, declared once. `Requests[m]` types both sides. */
export const Method = {
  summary: 'tensorlens/summary',
  models: 'tensorlens/models',
  translate: 'tensorlens/translate',
  snippets: 'tensorlens/snippets',
  setInputShape: 'tensorlens/setInputShape',
} as const;

export interface Requests {
  [Method.summary]: { params: SummaryParams; result: SummaryResult | null };
  [Method.models]: { params: ModelsParams; result: ModelsResult | null };
  [Method.translate]: { params: TranslateParams; result: TranslateResult };
  [Method.snippets]: { params: SnippetsParams; result: SnippetsResult };
  [Method.setInputShape]: { params: SetInputShapeParams; result: SetInputShapeResult | null };
}
export type RequestMethod = keyof Requests;
export type ParamsOf<M extends RequestMethod> = Requests[M]['params'];
export type ResultOf<M extends RequestMethod> = Requests[M]['result'];

/** The message the not-yet-built products answer with. */
export const NOT_AVAILABLE = 'Translation is not available yet in this build of TensorLens.';


// --- commands -----------------------------------------------------------------------------

/** Command ids contributed in package.json (`contributes.commands`), category "TensorLens". */
export const Command = {
  showSummary: 'tensorlens.showSummary',
  translateModel: 'tensorlens.translateModel',
  translateSelection: 'tensorlens.translateSelection',
  insertSnippet: 'tensorlens.insertSnippet',
  lintWorkspace: 'tensorlens.lintWorkspace',
  exportSummary: 'tensorlens.exportSummary',
  setInputShape: 'tensorlens.setInputShape',
  restartServer: 'tensorlens.restartServer',
} as const;
export type CommandId = (typeof Command)[keyof typeof Command];

/** Titles as shown in the palette (`TensorLens: <title>`). */
export const COMMAND_TITLES: Record<CommandId, string> = {
  [Command.showSummary]: 'Show Model Summary',
  [Command.translateModel]: 'Translate Model To…',
  [Command.translateSelection]: 'Translate Selection To…',
  [Command.insertSnippet]: 'Insert Snippet…',
  [Command.lintWorkspace]: 'Lint Workspace',
  [Command.exportSummary]: 'Export Summary',
  [Command.setInputShape]: 'Set Input Shape…',
  [Command.restartServer]: 'Restart Server',
};

// --- settings -----------------------------------------------------------------------------

/** The configuration section the server asks for (`workspace/configuration`). */
export const CONFIG_SECTION = 'tensorlens';

/** Setting keys this module owns (the `tensorlens.lint.*` keys belong to the linter). */
export const Setting = {
  defaultInputShape: 'tensorlens.inputShape.default',
  inlayHintsEnabled: 'tensorlens.inlayHints.enabled',
  inlayHintsForwardShapes: 'tensorlens.inlayHints.forwardShapes',
  inlayHintsLayerShapes: 'tensorlens.inlayHints.layerShapes',
  codeLensEnabled: 'tensorlens.codeLens.enabled',
  frameworkHints: 'tensorlens.hover.frameworkEquivalents',
  statusBarEnabled: 'tensorlens.statusBar.enabled',
  debounceMs: 'tensorlens.server.debounceMs',
  prepareRuns: 'tensorlens.server.prepareRuns',
  traceServer: 'tensorlens.trace.server',
} as const;

/** The `tensorlens` section as the server sees it (every key optional: clients may send less). */
export interface TensorLensSettings {
  inputShape?: { default?: string };
  inlayHints?: { enabled?: boolean; forwardShapes?: boolean; layerShapes?: boolean };
  codeLens?: { enabled?: boolean };
  hover?: { frameworkEquivalents?: boolean };
  statusBar?: { enabled?: boolean };
  server?: { debounceMs?: number; prepareRuns?: boolean };
  /** Owned by the linter (`tensorlens.lint.*`); passed through untouched. */
  lint?: Record<string, unknown>;
}

/** Where the rule docs live; a diagnostic links to `${RULES_DOC_URL}#dl101`. */
export const RULES_DOC_URL = 'https://github.com/tensorlens/tensorlens/blob/main/docs/rules.md';

/** The code lens command argument list: `[uri, modelName]`. */
export type ShowSummaryArgs = [uri?: string, model?: string];

/** Parses `1, 3, 224, 224` / `(1,3,224,224), (1,10)` / `None x 28 x 28 x 1` into shapes; undefined when malformed. */
export function parseInputShapes(text: string): InputShape[] | undefined {
  const t = text.trim();
  if (!t) return [];
  const groups = /[([]/.test(t) ? t.match(/[([][^()[\]]*[)\]]/g) ?? [] : [t];
  const out: InputShape[] = [];
  for (const g of groups) {
    const dims = g.replace(/[()[\]]/g, '').replace(/(?<=\d)\s*[x×]\s*(?=\d)/g, ',').split(',').map((s) => s.trim()).filter(Boolean);
    if (!dims.length) return undefined;
    const shape: InputShape = [];
    for (const d of dims) {
      if (/^(none|null|b|batch)$/i.test(d)) shape.push(null);
      else if (/^\d+$/.test(d)) shape.push(parseInt(d, 10));
      else return undefined;
    }
    out.push(shape);
  }
  return out.length ? out : undefined;
}

/** `(1, 3, 224, 224)`, as written in a directive. */
export function formatInputShape(s: InputShape): string {
  return `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;
}

/** Short parameter counts for lenses and the status bar: 9408 -> `9.4 k`, 11689512 -> `11.7 M`. */
export function formatParamsShort(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return String(n);
}
