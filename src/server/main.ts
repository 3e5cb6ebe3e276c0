// The TensorLens language server (`tensorlens-lsp --stdio`, or `--node-ipc` from the VS Code
// extension). Wiring only: documents in, the analysis service runs the engine, and the
// providers turn its results into LSP replies.

import {
  CodeActionKind, DidChangeConfigurationNotification, ProposedFeatures, TextDocumentSyncKind, TextDocuments,
  createConnection, type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_SECTION, Method, type TensorLensSettings } from '../shared/protocol';
import { AnalysisService } from './analysisService';
import { codeActions } from './codeActions';
import { codeLenses } from './codeLens';
import * as custom from './customRequests';
import { documentDiagnostics } from './diagnostics';
import { loadServerParser } from './engine';
import { hoverAt } from './hover';
import { inlayHints } from './inlayHints';
import { LINT_AVAILABLE } from './lint';
import { uriToPath } from './uri';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

let settings: TensorLensSettings = {};
let canPullConfig = false;
let canRefreshHints = false;
let canRefreshLenses = false;
let workspaceRoot: string | undefined;
let service: AnalysisService | undefined;

connection.onInitialize(async (params): Promise<InitializeResult> => {
  const caps = params.capabilities;
  canPullConfig = !!caps.workspace?.configuration;
  canRefreshHints = !!caps.workspace?.inlayHint?.refreshSupport;
  canRefreshLenses = !!caps.workspace?.codeLens?.refreshSupport;
  const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
  workspaceRoot = folder ? uriToPath(folder) : undefined;
  const init = params.initializationOptions as { settings?: TensorLensSettings } | undefined;
  if (init?.settings) settings = init.settings;
  const parser = await loadServerParser();
  service = new AnalysisService(parser, {
    document: (uri) => documents.get(uri),
    settings: () => settings,
    analysed: (a) => void connection.sendDiagnostics({ uri: a.uri, version: a.version, diagnostics: documentDiagnostics(a) }),
    log: (m) => connection.console.error(m),
    get workspaceRoot() {
      return workspaceRoot;
    },
  });
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      inlayHintProvider: { resolveProvider: false },
      codeLensProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
    },
    serverInfo: { name: 'tensorlens-lsp', version: '0.1.0' },
    // Not part of LSP: lets clients and tests see which products are wired in.
    ...({ tensorlens: { lint: LINT_AVAILABLE, translate: true } } as object),
  };
});

connection.onInitialized(async () => {
  if (!canPullConfig) return;
  void connection.client.register(DidChangeConfigurationNotification.type, { section: CONFIG_SECTION });
  await pullSettings();
});

async function pullSettings(): Promise<void> {
  if (!canPullConfig) return;
  try {
    settings = ((await connection.workspace.getConfiguration(CONFIG_SECTION)) as TensorLensSettings | null) ?? {};
  } catch (e) {
    connection.console.error(`could not read settings: ${(e as Error).message}`);
  }
}

function refreshAll(): void {
  service?.invalidate(documents.keys());
  if (canRefreshHints) void connection.languages.inlayHint.refresh();
  if (canRefreshLenses) void connection.sendRequest('workspace/codeLens/refresh');
}

connection.onDidChangeConfiguration(async (change) => {
  if (canPullConfig) await pullSettings();
  else settings = ((change.settings as Record<string, unknown> | undefined)?.[CONFIG_SECTION] as TensorLensSettings) ?? settings;
  refreshAll();
});

documents.onDidOpen((e) => service?.schedule(e.document.uri));
documents.onDidChangeContent((e) => service?.schedule(e.document.uri));
documents.onDidClose((e) => {
  service?.close(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

connection.onHover((p) => {
  const a = service?.get(p.textDocument.uri);
  return a ? hoverAt(a, p.position, { equivalents: settings.hover?.frameworkEquivalents !== false }) : null;
});
connection.languages.inlayHint.on((p) => {
  const a = service?.get(p.textDocument.uri);
  return a ? inlayHints(a, p.range, settings) : [];
});
connection.onCodeLens((p) => {
  if (settings.codeLens?.enabled === false) return [];
  const a = service?.get(p.textDocument.uri);
  return a ? codeLenses(a) : [];
});
connection.onCodeAction((p) => {
  const a = service?.get(p.textDocument.uri);
  return a ? codeActions(a, p) : [];
});

const deps: custom.RequestDeps = {
  get service() {
    if (!service) throw new Error('server not initialised');
    return service;
  },
  document: (uri) => documents.get(uri),
  refresh: (uri) => {
    service?.schedule(uri);
    if (canRefreshHints) void connection.languages.inlayHint.refresh();
    if (canRefreshLenses) void connection.sendRequest('workspace/codeLens/refresh');
  },
};
connection.onRequest(Method.summary, (p: custom.SummaryParamsT) => custom.summary(deps, p));
connection.onRequest(Method.models, (p: custom.ModelsParamsT) => custom.models(deps, p));
connection.onRequest(Method.translate, (p: custom.TranslateParamsT) => custom.translate(deps, p));
connection.onRequest(Method.snippets, (p: custom.SnippetsParamsT) => custom.snippets(p));
connection.onRequest(Method.setInputShape, (p: custom.SetInputShapeParamsT) => custom.setInputShape(deps, p));

documents.listen(connection);
connection.listen();
