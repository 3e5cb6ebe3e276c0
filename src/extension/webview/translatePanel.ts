// Host side of the translation view and the snippet picker: a webview panel beside the editor
// running dist/translate.js, wrapped as a ViewPort (../host.ts). What the buttons do is decided
// in translateController.ts; this file only creates the panel, its HTML and forwards messages.

import * as vscode from 'vscode';
import { SNIPPETS_VIEW_TYPE, TRANSLATE_VIEW_TYPE } from '../../shared/webviewProtocol';
import type { ViewKind, ViewPort } from '../host';
import { makeNonce, renderWebviewHtml } from './html';
import { themeKind } from './summaryPanel';

/** Opens a translation view or snippet picker panel beside the active editor. */
export function openTranslateView(context: vscode.ExtensionContext, kind: ViewKind, title: string): ViewPort {
  const dist = vscode.Uri.joinPath(context.extensionUri, 'dist');
  const panel = vscode.window.createWebviewPanel(
    kind === 'translate' ? TRANSLATE_VIEW_TYPE : SNIPPETS_VIEW_TYPE, title,
    { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
    { enableScripts: true, enableFindWidget: true, localResourceRoots: [dist] },
  );
  const webview = panel.webview;
  webview.html = renderWebviewHtml({
    cspSource: webview.cspSource,
    nonce: makeNonce((n) => crypto.getRandomValues(new Uint8Array(n))),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'translate.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'translate.css')).toString(),
    title: kind === 'translate' ? 'Translation' : 'Snippets',
  });
  const post = (m: unknown) => void webview.postMessage(m);
  const themeSub = vscode.window.onDidChangeActiveColorTheme((t) => post({ type: 'theme', theme: themeKind(t.kind) }));
  panel.onDidDispose(() => themeSub.dispose());
  return {
    post,
    onMessage: (l) => webview.onDidReceiveMessage(l),
    onDidDispose: (l) => panel.onDidDispose(l),
    reveal: () => panel.reveal(undefined, false),
    setTitle: (t) => { panel.title = t; },
    theme: () => themeKind(vscode.window.activeColorTheme.kind),
    dispose: () => panel.dispose(),
  };
}
