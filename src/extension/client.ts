// Starts the language server out of process (dist/server.js over Node IPC) with
// vscode-languageclient, and adapts the client to the small `Server` interface.

import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { Server } from './host';

export const CLIENT_ID = 'tensorlens';
export const CLIENT_NAME = 'TensorLens';

export function createClient(context: vscode.ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'python' },
      { scheme: 'untitled', language: 'python' },
      { notebook: 'jupyter-notebook', language: 'python' },
    ],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/pyproject.toml') },
    outputChannelName: CLIENT_NAME,
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}

export function asServer(client: LanguageClient): Server {
  return {
    request: (method, params) => client.sendRequest(method, params),
    restart: () => client.restart(),
  };
}
