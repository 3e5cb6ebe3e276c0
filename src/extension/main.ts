// The VS Code extension: activates on Python files and notebooks, starts the language
// server, registers the TensorLens commands and the status bar item. The server does the
// work; this side only asks for results and shows them.

import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Method, Setting } from '../shared/protocol';
import { asServer, createClient } from './client';
import { registerCommands } from './commands';
import type { Server } from './host';
import { ModelStatus } from './statusBar';
import { createVscodeHost, toVscodeUri } from './vscodeHost';
import { registerSummaryPanelSerializer, showSummaryPanel, type SummaryClient } from './webview/summaryPanel';
import { viewsForTests } from './webview/translateController';
import { openTranslateView } from './webview/translatePanel';

let client: LanguageClient | undefined;

/** The extension's exports: the translation / snippet panels' state, for the e2e suite. */
export interface TensorLensApi {
  views: typeof viewsForTests;
}

export async function activate(context: vscode.ExtensionContext): Promise<TensorLensApi> {
  const host = createVscodeHost(context);
  client = createClient(context);
  const server = asServer(client);
  const panelClient = summaryClient(server);
  context.subscriptions.push(registerSummaryPanelSerializer(context, panelClient));
  registerCommands({
    host, server,
    openPanel: (uri, model) => showSummaryPanel(context, panelClient, toVscodeUri(uri), model),
    openView: (kind, title) => openTranslateView(context, kind, title),
  });

  const status = new ModelStatus(host, server);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const refresh = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void status.update(), 200);
  };
  host.onActiveEditorChanged(refresh);
  host.onSelectionChanged(refresh);
  host.onConfigurationChanged(Setting.statusBarEnabled, refresh);
  context.subscriptions.push({ dispose: () => timer && clearTimeout(timer) });

  // Activation returns at once; the server starts in the background.
  void client.start().then(refresh, (e: Error) => host.error(`TensorLens: the language server failed to start: ${e.message}`));
  return { views: viewsForTests };
}

/** The summary panel's view of the server: the tensorlens/summary request. */
function summaryClient(server: Server): SummaryClient {
  return {
    async requestSummary(uri, model, inputShapes) {
      const res = await server.request(Method.summary, { uri, ...(model ? { model } : {}), ...(inputShapes?.length ? { inputShapes } : {}) });
      if (!res) throw new Error('no analysis for this document');
      return res.cells ? { ...res.summary, cells: res.cells } : res.summary;
    },
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
