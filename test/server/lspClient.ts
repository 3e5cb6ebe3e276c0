// A minimal LSP client for tests and the benchmark's TypeScript twin: spawns
// `node dist/server.js --stdio` and speaks JSON-RPC to it through vscode-jsonrpc.
// Diagnostics are awaited by version (polling the stream, never sleeping).

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
// Direct dependencies only: vscode-languageserver/node re-exports the JSON-RPC transport.
import {
  StreamMessageReader, StreamMessageWriter, createMessageConnection,
  type InitializeResult, type MessageConnection, type PublishDiagnosticsParams,
} from 'vscode-languageserver/node';

export const SERVER_JS = join(__dirname, '..', '..', 'dist', 'server.js');

export interface TestServer {
  conn: MessageConnection;
  proc: ChildProcess;
  init: InitializeResult;
  /** Settings answered to workspace/configuration (mutable). */
  settings: Record<string, unknown>;
  /** Resolves with the first diagnostics for `uri` whose version is `version` (or later). */
  diagnostics(uri: string, version: number): Promise<PublishDiagnosticsParams>;
  /**
   * Resolves with the next diagnostics published for `uri` after this call, whatever their
   * version (a re-analysis because an imported file changed keeps the document's version).
   */
  nextDiagnostics(uri: string): Promise<PublishDiagnosticsParams>;
  /** Every server->client request method seen, in order. */
  serverRequests: string[];
  /** Resolves at the next server->client request of this method. */
  nextServerRequest(method: string): Promise<void>;
  stderr: () => string;
  /** window/logMessage messages, in order. */
  logs: string[];
  stop(): Promise<void>;
}

export async function startServer(settings: Record<string, unknown> = {}, env: Record<string, string> = {}): Promise<TestServer> {
  if (!existsSync(SERVER_JS)) throw new Error(`${SERVER_JS} is missing: run \`npm run build\` first`);
  const proc = spawn(process.execPath, [SERVER_JS, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let err = '';
  proc.stderr!.on('data', (d) => (err += String(d)));
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const latest = new Map<string, PublishDiagnosticsParams>();
  const waiters: Array<{ uri: string; version: number; resolve: (p: PublishDiagnosticsParams) => void }> = [];
  const nextWaiters: Array<{ uri: string; resolve: (p: PublishDiagnosticsParams) => void }> = [];
  const serverRequests: string[] = [];
  const requestWaiters: Array<{ method: string; resolve: () => void }> = [];
  const seen = (method: string) => {
    serverRequests.push(method);
    for (let i = requestWaiters.length - 1; i >= 0; i--) {
      if (requestWaiters[i].method === method) requestWaiters.splice(i, 1)[0].resolve();
    }
  };
  const state = { settings };
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    latest.set(p.uri, p);
    for (let i = nextWaiters.length - 1; i >= 0; i--) {
      if (nextWaiters[i].uri === p.uri) nextWaiters.splice(i, 1)[0].resolve(p);
    }
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i];
      if (w.uri === p.uri && (p.version ?? -1) >= w.version) {
        waiters.splice(i, 1);
        w.resolve(p);
      }
    }
  });
  conn.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) => {
    seen('workspace/configuration');
    return p.items.map((it) => (it.section === 'tensorlens' ? state.settings : null));
  });
  conn.onRequest('client/registerCapability', () => {
    seen('client/registerCapability');
    return null;
  });
  conn.onRequest('workspace/inlayHint/refresh', () => {
    seen('workspace/inlayHint/refresh');
    return null;
  });
  conn.onRequest('workspace/codeLens/refresh', () => {
    seen('workspace/codeLens/refresh');
    return null;
  });
  const logs: string[] = [];
  conn.onNotification('window/logMessage', (p: { message: string }) => logs.push(p.message));
  conn.listen();
  const init = (await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    workspaceFolders: null,
    capabilities: {
      workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, inlayHint: { refreshSupport: true }, codeLens: { refreshSupport: true } },
      textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, tagSupport: { valueSet: [1, 2] } } },
    },
  })) as InitializeResult;
  await conn.sendNotification('initialized', {});
  return {
    conn,
    proc,
    init,
    get settings() {
      return state.settings;
    },
    set settings(s) {
      state.settings = s;
    },
    serverRequests,
    nextServerRequest: (method) => new Promise<void>((resolve) => requestWaiters.push({ method, resolve })),
    diagnostics(uri, version) {
      const have = latest.get(uri);
      if (have && (have.version ?? -1) >= version) return Promise.resolve(have);
      return new Promise((resolve) => waiters.push({ uri, version, resolve }));
    },
    nextDiagnostics: (uri) => new Promise((resolve) => nextWaiters.push({ uri, resolve })),
    stderr: () => err,
    logs,
    async stop() {
      try {
        await conn.sendRequest('shutdown');
        await conn.sendNotification('exit');
      } catch {
        // already gone
      }
      conn.dispose();
      if (proc.exitCode === null) await new Promise((r) => proc.once('exit', r));
    },
  } as TestServer;
}
