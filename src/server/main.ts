// The TensorLens language server (`tensorlens-lsp --stdio`, or `--node-ipc` from the VS Code
// extension). Wiring only: documents and notebooks in, the analysis service runs the
// engine, and the providers turn its results into LSP replies. A notebook is analysed as
// one program under its own URI; requests for its cells go through cellProviders.ts.

import { resolve } from 'node:path';
import {
  CodeActionKind, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, NotebookDocuments, ProposedFeatures,
  TextDocumentSyncKind, TextDocuments, createConnection, type InitializeResult, type NotebookDocument,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_SECTION, Method, type TensorLensSettings } from '../shared/protocol';
import { AnalysisService, type DocAnalysis } from './analysisService';
import { cellCodeActions, cellCodeLenses, cellHover, cellInlayHints, cellModels, type CellTarget } from './cellProviders';
import { codeActions } from './codeActions';
import { codeLenses } from './codeLens';
import * as custom from './customRequests';
import { documentDiagnostics } from './diagnostics';
import { loadServerParser } from './engine';
import { hoverAt } from './hover';
import { IdleCollector } from './idleGc';
import { inlayHints } from './inlayHints';
import { LINT_AVAILABLE } from './lint';
import { NOTEBOOK_SYNC, NotebookProgramDoc, programCells } from './notebooks';
import { importRootsFor } from './projectConfig';
import { uriToPath } from './uri';
import { WorkspaceFiles } from './workspaceFiles';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const notebooks = new NotebookDocuments(TextDocument);
/** Each open notebook as one program, rebuilt on every change (its version counts those rebuilds). */
const programs = new Map<string, NotebookProgramDoc>();
let programVersion = 0;
/** Open text documents by file-system path: imports read their current text. */
const openByPath = new Map<string, string>();
/** Cells that were last given diagnostics, per notebook (cleared when they leave it). */
const publishedCells = new Map<string, Set<string>>();
/** Documents re-analysed because a file they import changed: clients must re-ask for hints and lenses. */
const importChanged = new Set<string>();

let settings: TensorLensSettings = {};
let canPullConfig = false;
let canRefreshHints = false;
let canRefreshLenses = false;
let canWatchFiles = false;
let workspaceRoot: string | undefined;
let service: AnalysisService | undefined;
/** Young-generation collection while idle after each run, not in the middle of the next one (idleGc.ts). */
const idleGc = new IdleCollector();

connection.onInitialize(async (params): Promise<InitializeResult> => {
  const caps = params.capabilities;
  canPullConfig = !!caps.workspace?.configuration;
  canRefreshHints = !!caps.workspace?.inlayHint?.refreshSupport;
  canRefreshLenses = !!caps.workspace?.codeLens?.refreshSupport;
  canWatchFiles = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
  workspaceRoot = folder ? uriToPath(folder) : undefined;
  const init = params.initializationOptions as { settings?: TensorLensSettings } | undefined;
  if (init?.settings) settings = init.settings;
  const parser = await loadServerParser();
  service = new AnalysisService(parser, {
    document: (uri) => documents.get(uri) ?? programs.get(uri),
    settings: () => settings,
    analysed: publish,
    log: (m) => connection.console.error(m),
    get workspaceRoot() {
      return workspaceRoot;
    },
    files: new WorkspaceFiles((path) => {
      const uri = openByPath.get(path);
      return uri ? documents.get(uri) : undefined;
    }, () => workspaceRoot),
    importRoots: (path) => importRootsFor(path, workspaceRoot),
    prepared: () => idleGc.schedule(),
    traceRuns: process.env.TENSORLENS_TRACE_RUNS === '1',
  });
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      inlayHintProvider: { resolveProvider: false },
      codeLensProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
      notebookDocumentSync: NOTEBOOK_SYNC,
    },
    serverInfo: { name: 'tensorlens-lsp', version: '0.1.0' },
    // Not part of LSP: lets clients and tests see which products are wired in.
    ...({ tensorlens: { lint: LINT_AVAILABLE, translate: true } } as object),
  };
});

connection.onInitialized(async () => {
  // Saved edits to files that are not open reach importers through file events.
  if (canWatchFiles) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.py' }] });
  if (!canPullConfig) return;
  void connection.client.register(DidChangeConfigurationNotification.type, { section: CONFIG_SECTION });
  await pullSettings();
});

/** Diagnostics for a text document, or for each Python cell of a notebook. */
function publish(a: DocAnalysis): void {
  const program = programs.get(a.uri);
  if (!program) {
    void connection.sendDiagnostics({ uri: a.uri, version: a.version, diagnostics: documentDiagnostics(a) });
  } else if (program.version === a.version) {
    const byCell = program.diagnosticsByCell(documentDiagnostics(a));
    for (const old of publishedCells.get(a.uri) ?? []) if (!byCell.has(old)) byCell.set(old, []);
    for (const [uri, diagnostics] of byCell) {
      const version = notebooks.cellTextDocuments.get(uri)?.version;
      void connection.sendDiagnostics({ uri, ...(version !== undefined ? { version } : {}), diagnostics });
    }
    publishedCells.set(a.uri, new Set(program.cellUris));
  }
  // Results changed without an edit in the client's view (another cell, an imported file).
  if (program || importChanged.delete(a.uri)) requestRefresh();
  idleGc.schedule();
}

let refreshQueued = false;
function requestRefresh(): void {
  if (refreshQueued) return;
  refreshQueued = true;
  setImmediate(() => {
    refreshQueued = false;
    if (canRefreshHints) void connection.languages.inlayHint.refresh();
    if (canRefreshLenses) void connection.sendRequest('workspace/codeLens/refresh');
  });
}

/** A document or file changed: analyse it, and its importers (their hints and lenses move too). */
function changed(uri: string, onDisk = false): void {
  for (const importer of service?.changed(uri, onDisk) ?? []) importChanged.add(importer);
}

async function pullSettings(): Promise<void> {
  if (!canPullConfig) return;
  try {
    settings = ((await connection.workspace.getConfiguration(CONFIG_SECTION)) as TensorLensSettings | null) ?? {};
  } catch (e) {
    connection.console.error(`could not read settings: ${(e as Error).message}`);
  }
}

function refreshAll(): void {
  service?.invalidate([...documents.keys(), ...programs.keys()]);
  if (canRefreshHints) void connection.languages.inlayHint.refresh();
  if (canRefreshLenses) void connection.sendRequest('workspace/codeLens/refresh');
}

connection.onDidChangeConfiguration(async (change) => {
  if (canPullConfig) await pullSettings();
  else settings = ((change.settings as Record<string, unknown> | undefined)?.[CONFIG_SECTION] as TensorLensSettings) ?? settings;
  refreshAll();
});

const pathKey = (uri: string) => {
  const p = uriToPath(uri);
  return p ? resolve(p) : undefined;
};
documents.onDidOpen((e) => {
  const p = pathKey(e.document.uri);
  if (p) openByPath.set(p, e.document.uri);
  changed(e.document.uri);
});
documents.onDidChangeContent((e) => changed(e.document.uri));
documents.onDidClose((e) => {
  const p = pathKey(e.document.uri);
  if (p && openByPath.get(p) === e.document.uri) openByPath.delete(p);
  service?.close(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  changed(e.document.uri); // importers now read the file from disk
});
connection.onDidChangeWatchedFiles((p) => {
  for (const c of p.changes) if (!documents.get(c.uri)) changed(c.uri, true);
});

function rebuildProgram(nb: NotebookDocument): void {
  programs.set(nb.uri, new NotebookProgramDoc(nb.uri, ++programVersion, programCells(nb, (u) => notebooks.cellTextDocuments.get(u))));
  changed(nb.uri);
}
notebooks.onDidOpen(rebuildProgram);
notebooks.onDidChange((e) => rebuildProgram(e.notebookDocument));
notebooks.onDidClose((nb) => {
  programs.delete(nb.uri);
  service?.close(nb.uri);
  for (const uri of publishedCells.get(nb.uri) ?? []) void connection.sendDiagnostics({ uri, diagnostics: [] });
  publishedCells.delete(nb.uri);
});

/** The notebook program a cell URI belongs to, with the program's analysis. */
function cellTarget(uri: string): CellTarget | undefined {
  if (documents.get(uri)) return undefined;
  const nb = notebooks.findNotebookDocumentForCell(uri);
  const program = nb && programs.get(nb.uri);
  if (!program || !program.hasCell(uri)) return undefined;
  const a = service?.get(program.uri);
  return a ? { a, nb: program, cell: uri } : undefined;
}

/** A URI a request may name (a document, a notebook, or one of its cells) as the document analysed. */
function analysedUri(uri: string): string {
  if (documents.get(uri) || programs.has(uri)) return uri;
  return notebooks.findNotebookDocumentForCell(uri)?.uri ?? uri;
}

const hoverOptions = () => ({ equivalents: settings.hover?.frameworkEquivalents !== false });
connection.onHover((p) => {
  const cell = cellTarget(p.textDocument.uri);
  if (cell) return cellHover(cell, p.position, hoverOptions());
  const a = service?.get(p.textDocument.uri);
  return a ? hoverAt(a, p.position, hoverOptions()) : null;
});
connection.languages.inlayHint.on((p) => {
  const cell = cellTarget(p.textDocument.uri);
  if (cell) return cellInlayHints(cell, p.range, settings);
  const a = service?.get(p.textDocument.uri);
  return a ? inlayHints(a, p.range, settings) : [];
});
connection.onCodeLens((p) => {
  if (settings.codeLens?.enabled === false) return [];
  const cell = cellTarget(p.textDocument.uri);
  if (cell) return cellCodeLenses(cell);
  const a = service?.get(p.textDocument.uri);
  return a ? codeLenses(a) : [];
});
connection.onCodeAction((p) => {
  const cell = cellTarget(p.textDocument.uri);
  if (cell) return cellCodeActions(cell, p);
  const a = service?.get(p.textDocument.uri);
  return a ? codeActions(a, p) : [];
});

const deps: custom.RequestDeps = {
  get service() {
    if (!service) throw new Error('server not initialised');
    return service;
  },
  document: (uri) => documents.get(uri) ?? programs.get(uri),
  refresh: (uri) => {
    service?.schedule(uri);
    if (canRefreshHints) void connection.languages.inlayHint.refresh();
    if (canRefreshLenses) void connection.sendRequest('workspace/codeLens/refresh');
  },
};
// Custom requests may name a notebook cell: they answer for the cell's notebook program.
const inProgram = <P extends { uri: string }>(p: P): P => ({ ...p, uri: analysedUri(p.uri) });
connection.onRequest(Method.summary, (p: custom.SummaryParamsT) => {
  const r = custom.summary(deps, inProgram(p));
  const cell = r && cellTarget(p.uri);
  return r && cell ? { ...r, cells: cell.nb.cellStarts() } : r;
});
connection.onRequest(Method.models, (p: custom.ModelsParamsT) => {
  const r = custom.models(deps, inProgram(p));
  const cell = r && cellTarget(p.uri);
  return r && cell ? cellModels(cell, r) : r;
});
connection.onRequest(Method.translate, (p: custom.TranslateParamsT) => {
  const cell = p.range ? cellTarget(p.uri) : undefined;
  const range = cell && p.range ? cell.nb.toProgramRange(cell.cell, p.range) : p.range;
  const r = custom.translate(deps, { ...inProgram(p), ...(range ? { range } : {}) });
  // Note lines of a cell's selection come back in program lines: move them to the cell's.
  if (cell && p.range && range && r.noteDetails) {
    const shift = p.range.start.line - range.start.line;
    r.noteDetails = r.noteDetails.map((n) => (n.line > 0 ? { ...n, line: n.line + shift } : n));
  }
  return r;
});
connection.onRequest(Method.snippets, (p: custom.SnippetsParamsT) => custom.snippets(p));
connection.onRequest(Method.setInputShape, (p: custom.SetInputShapeParamsT) => custom.setInputShape(deps, inProgram(p)));

notebooks.listen(connection);

documents.listen(connection);
connection.listen();
