// The one module that calls the `vscode` API for the extension's logic (host.ts describes
// what it offers). Everything else takes a Host, so unit tests never load `vscode`.

import * as vscode from 'vscode';
import type { EditorState, Host, PickItem, StatusItem } from './host';

const EXCLUDE = '{**/node_modules/**,**/.venv/**,**/venv/**,**/.git/**,**/__pycache__/**,**/site-packages/**,**/.tox/**}';

/** The one string -> vscode.Uri conversion of the client (the panel API takes Uris). */
export function toVscodeUri(uri: string): vscode.Uri {
  return vscode.Uri.parse(uri);
}

export function createVscodeHost(context: vscode.ExtensionContext): Host {
  let channel: vscode.OutputChannel | undefined;
  let status: vscode.StatusBarItem | undefined;
  const out = () => (channel ??= vscode.window.createOutputChannel('TensorLens Summary'));
  const track = <T extends vscode.Disposable>(d: T): T => {
    context.subscriptions.push(d);
    return d;
  };

  return {
    registerCommand: (id, run) => track(vscode.commands.registerCommand(id, run)),
    activeEditor(): EditorState | undefined {
      const ed = vscode.window.activeTextEditor;
      if (!ed) return undefined;
      const s = ed.selection;
      return {
        uri: ed.document.uri.toString(),
        languageId: ed.document.languageId,
        version: ed.document.version,
        cursorLine: s.active.line,
        selection: { start: { line: s.start.line, character: s.start.character }, end: { line: s.end.line, character: s.end.character } },
        selectedText: ed.document.getText(s),
      };
    },
    onActiveEditorChanged: (l) => track(vscode.window.onDidChangeActiveTextEditor(() => l())),
    onSelectionChanged: (l) => track(vscode.window.onDidChangeTextEditorSelection(() => l())),
    onConfigurationChanged: (section, l) => track(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(section) && l())),
    getSetting: <T>(key: string, fallback: T): T => {
      const i = key.indexOf('.');
      return vscode.workspace.getConfiguration(key.slice(0, i)).get<T>(key.slice(i + 1), fallback);
    },
    info: (m) => void vscode.window.showInformationMessage(m),
    warn: (m) => void vscode.window.showWarningMessage(m),
    error: (m) => void vscode.window.showErrorMessage(m),
    async pick<T>(items: PickItem<T>[], placeholder: string) {
      const p = await vscode.window.showQuickPick(items, { placeHolder: placeholder, matchOnDescription: true });
      return p?.value;
    },
    input: (prompt, value, validate) => Promise.resolve(vscode.window.showInputBox({ prompt, value, validateInput: (t) => validate(t) ?? null })),
    showOutput(text, opts) {
      const c = out();
      if (opts?.clear) c.clear();
      c.append(text);
      c.show(true);
    },
    async openBeside(content, language) {
      const doc = await vscode.workspace.openTextDocument({ content, language });
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    },
    async insertSnippet(uri, body) {
      const ed = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri);
      if (!ed) return false;
      // Focus the editor first: the tab stops of a snippet session follow the focused editor.
      const shown = await vscode.window.showTextDocument(ed.document, { viewColumn: ed.viewColumn, preserveFocus: false, selection: ed.selection });
      return shown.insertSnippet(new vscode.SnippetString(body));
    },
    async documentText(uri) {
      try {
        return (await vscode.workspace.openTextDocument(vscode.Uri.parse(uri))).getText();
      } catch {
        return undefined;
      }
    },
    async editText(uri, range, text) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(vscode.Uri.parse(uri), new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character), text);
      return vscode.workspace.applyEdit(edit);
    },
    copyText: (text) => Promise.resolve(vscode.env.clipboard.writeText(text)),
    async revealLine(uri, line) {
      const u = vscode.Uri.parse(uri);
      const existing = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri);
      const pos = new vscode.Position(Math.max(0, line), 0);
      const ed = await vscode.window.showTextDocument(u, { viewColumn: existing?.viewColumn ?? vscode.ViewColumn.One, preserveFocus: false, selection: new vscode.Range(pos, pos) });
      ed.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    },
    async saveAs(defaultName, filters) {
      const base = vscode.workspace.workspaceFolders?.[0]?.uri;
      const target = await vscode.window.showSaveDialog({ filters, defaultUri: base ? vscode.Uri.joinPath(base, defaultName) : undefined });
      return target?.fsPath;
    },
    writeFile: (path, content) => Promise.resolve(vscode.workspace.fs.writeFile(vscode.Uri.file(path), new TextEncoder().encode(content))),
    async findPythonFiles(max) {
      return (await vscode.workspace.findFiles('**/*.py', EXCLUDE, max)).map((u) => u.toString());
    },
    async openDocument(uri) {
      await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
    },
    setStatus(item: StatusItem) {
      if (!item.visible) {
        status?.hide();
        return;
      }
      status ??= track(vscode.window.createStatusBarItem('tensorlens.model', vscode.StatusBarAlignment.Right, 100));
      status.name = 'TensorLens model';
      status.text = item.text;
      status.tooltip = item.tooltip;
      status.command = item.command;
      status.show();
    },
  };
}
