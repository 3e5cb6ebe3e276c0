// Host side of the model summary webview: one panel beside the editor that shows a
// document's models, follows its edits (debounced re-requests), reveals layer lines,
// highlights the row under the editor cursor, remembers input shapes per model in
// workspaceState, saves or copies exports, and comes back after a reload (serializer).

import * as vscode from 'vscode';
import {
  SUMMARY_VIEW_TYPE, isWebviewToHost,
  type ExportFormat, type HostToWebview, type InputShapes, type SummaryJson, type SummaryModelWithGraph, type ThemeKind,
  type WebviewState, type WebviewToHost,
} from '../../shared/webviewProtocol';
import { makeNonce, renderSummaryHtml } from './html';
import type { NotebookCellStart } from '../../shared/protocol';
import { cellLineToProgram, programLineToCell } from '../../shared/notebookCells';

export interface SummaryClient {
  requestSummary(uri: string, model?: string, inputShapes?: Array<Array<number | null>>): Promise<SummaryJson & { cells?: NotebookCellStart[] }>;
}

/** workspaceState key: `{ "<document uri>#<model name>": InputShapes }`. */
export const INPUT_SHAPES_KEY = 'tensorlens.summary.inputShapes';
const EDIT_DEBOUNCE_MS = 300;
const FILTERS: Record<ExportFormat, Record<string, string[]>> = {
  markdown: { Markdown: ['md'] }, csv: { CSV: ['csv'] }, json: { JSON: ['json'] }, svg: { SVG: ['svg'] },
};
const FORMAT_NAMES: Record<ExportFormat, string> = { markdown: 'Markdown table', csv: 'CSV', json: 'JSON', svg: 'SVG graph' };

/** Opens the summary of `uri` (and `model`) beside the editor, or retargets and reveals the open panel. */
export function showSummaryPanel(context: vscode.ExtensionContext, client: SummaryClient, uri: vscode.Uri, model?: string): void {
  if (SummaryPanel.current) {
    SummaryPanel.current.retarget(uri, model);
    SummaryPanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
    return;
  }
  const panel = vscode.window.createWebviewPanel(SUMMARY_VIEW_TYPE, titleFor(uri), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, panelOptions(context));
  SummaryPanel.current = new SummaryPanel(panel, context, client, uri, model);
}

/** Restores the panel after a window reload from the state the webview saved. Call once on activation. */
export function registerSummaryPanelSerializer(context: vscode.ExtensionContext, client: SummaryClient): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(SUMMARY_VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
      const view = (state as WebviewState | undefined)?.view;
      if (!view || typeof view.documentUri !== 'string') {
        panel.dispose();
        return;
      }
      panel.webview.options = panelOptions(context);
      SummaryPanel.current?.panel.dispose();
      SummaryPanel.current = new SummaryPanel(panel, context, client, vscode.Uri.parse(view.documentUri), view.model ?? undefined);
    },
  });
}

function panelOptions(context: vscode.ExtensionContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableFindWidget: true,
    localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'media'), vscode.Uri.joinPath(context.extensionUri, 'dist')],
  };
}

function titleFor(uri: vscode.Uri): string {
  return `Summary: ${uri.path.split('/').pop() ?? uri.path}`;
}

/** VS Code's colour theme kind as the webviews name it. */
export function themeKind(kind: vscode.ColorThemeKind): ThemeKind {
  switch (kind) {
    case vscode.ColorThemeKind.Light: return 'light';
    case vscode.ColorThemeKind.HighContrast: return 'high-contrast';
    case vscode.ColorThemeKind.HighContrastLight: return 'high-contrast-light';
    default: return 'dark';
  }
}

export class SummaryPanel {
  static current: SummaryPanel | undefined;
  /** For a notebook: where each cell starts in the program the summary's lines refer to. */
  private cells: NotebookCellStart[] | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private debounce: ReturnType<typeof setTimeout> | undefined;
  /** Answers to older requests are dropped. */
  private seq = 0;
  private ready = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly client: SummaryClient,
    private uri: vscode.Uri,
    private model: string | undefined,
  ) {
    const webview = panel.webview;
    webview.html = renderSummaryHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce((n) => crypto.getRandomValues(new Uint8Array(n))),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'media', 'webview.css')).toString(),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((m: unknown) => { if (isWebviewToHost(m)) void this.onMessage(m); }),
      panel.onDidDispose(() => this.dispose()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.programLine(e.document.uri.toString(), 1) === undefined || !e.contentChanges.length) return;
        clearTimeout(this.debounce);
        this.debounce = setTimeout(() => void this.refresh('update'), EDIT_DEBOUNCE_MS);
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        const line = this.programLine(e.textEditor.document.uri.toString(), e.selections[0].active.line + 1);
        if (line !== undefined) this.post({ type: 'cursorMoved', line });
      }),
      vscode.window.onDidChangeActiveColorTheme((t) => this.post({ type: 'theme', theme: themeKind(t.kind) })),
    );
  }

  retarget(uri: vscode.Uri, model: string | undefined): void {
    this.uri = uri;
    this.model = model;
    this.panel.title = titleFor(uri);
    if (this.ready) void this.refresh('init');
  }

  private post(m: HostToWebview): void {
    if (this.ready) void this.panel.webview.postMessage(m);
  }

  private async onMessage(m: WebviewToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        await this.refresh('init');
        break;
      case 'selectModel':
        this.model = m.model;
        await this.refresh('init');
        break;
      case 'revealLine':
        await this.reveal(m.line, m.preserveFocus);
        break;
      case 'setInputShape':
        await this.rememberShapes(m.model, m.inputShapes);
        this.model = m.model;
        await this.refresh('update');
        break;
      case 'export':
        await this.export(m.format, m.destination, m.content, m.suggestedName);
        break;
    }
  }

  private shapesKey(model: string): string {
    return `${this.uri.toString()}#${model}`;
  }

  private storedShapes(model: string): InputShapes | undefined {
    return this.context.workspaceState.get<Record<string, InputShapes>>(INPUT_SHAPES_KEY, {})[this.shapesKey(model)];
  }

  private async rememberShapes(model: string, shapes: InputShapes | null): Promise<void> {
    const all = { ...this.context.workspaceState.get<Record<string, InputShapes>>(INPUT_SHAPES_KEY, {}) };
    if (shapes) all[this.shapesKey(model)] = shapes;
    else delete all[this.shapesKey(model)];
    await this.context.workspaceState.update(INPUT_SHAPES_KEY, all);
  }

  /** Requests the file's summary (all models, for the picker) and, when the user set shapes, the selected model again with them. */
  async refresh(type: 'init' | 'update'): Promise<void> {
    const seq = ++this.seq;
    const uri = this.uri.toString();
    this.post({ type: 'busy', busy: true });
    try {
      const summary = await this.client.requestSummary(uri);
      this.cells = summary.cells;
      const name = summary.models.some((m) => m.name === this.model) ? this.model! : summary.models[0]?.name;
      const shapes = name ? this.storedShapes(name) : undefined;
      let error: string | undefined;
      if (name && shapes) {
        try {
          const one = await this.client.requestSummary(uri, name, shapes);
          const m = one.models.find((x) => x.name === name);
          if (m) summary.models = summary.models.map((x) => (x.name === name ? m : x));
        } catch (e) {
          error = `Input shape ${JSON.stringify(shapes)} could not be used: ${(e as Error).message}`;
        }
      }
      if (seq !== this.seq) return;
      const model = summary.models.find((m) => m.name === name) as SummaryModelWithGraph | undefined;
      this.post({
        type, documentUri: uri, fileName: this.uri.path.split('/').pop() ?? summary.file, summary, model: name ?? null,
        inputShapes: shapes ?? null, inputSource: model?.input_source ?? '', theme: themeKind(vscode.window.activeColorTheme.kind),
        ...(model?.graph ? { graph: model.graph } : {}),
      });
      if (error) this.post({ type: 'error', message: error });
      const editor = vscode.window.activeTextEditor;
      const cursor = editor && this.programLine(editor.document.uri.toString(), editor.selection.active.line + 1);
      if (cursor !== undefined) this.post({ type: 'cursorMoved', line: cursor });
    } catch (e) {
      if (seq !== this.seq) return;
      this.post({ type: 'busy', busy: false });
      this.post({ type: 'error', message: `TensorLens could not analyse ${this.uri.path.split('/').pop()}: ${(e as Error).message}` });
    }
  }

  /**
   * A 1-based line of an editor document as a line of the summary: the same line in the
   * summarised document, or (notebooks) the program line of a line in one of its cells.
   */
  private programLine(docUri: string, line: number): number | undefined {
    if (this.cells) return cellLineToProgram(this.cells, docUri, line);
    return docUri === this.uri.toString() ? line : undefined;
  }

  private async reveal(programLine: number, preserveFocus: boolean): Promise<void> {
    // In a notebook the summary's lines run through all cells: reveal the line in its cell.
    const inCell = this.cells ? programLineToCell(this.cells, programLine) : undefined;
    const target = inCell ? vscode.Uri.parse(inCell.uri) : this.uri;
    const line = inCell ? inCell.line : programLine;
    const existing = vscode.window.visibleTextEditors.find((ed) => ed.document.uri.toString() === target.toString());
    const pos = new vscode.Position(Math.max(0, line - 1), 0);
    const range = new vscode.Range(pos, pos);
    const editor = await vscode.window.showTextDocument(target, {
      viewColumn: existing?.viewColumn ?? vscode.ViewColumn.One, preserveFocus, selection: range,
    });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private async export(format: ExportFormat, destination: 'file' | 'clipboard', content: string, suggestedName: string): Promise<void> {
    const what = FORMAT_NAMES[format];
    try {
      if (destination === 'clipboard') {
        await vscode.env.clipboard.writeText(content);
        this.post({ type: 'exportResult', format, destination, ok: true, message: `Copied the ${what} to the clipboard.` });
        return;
      }
      // The name comes from the webview: keep only a plain file name.
      const safeName = suggestedName.split(/[\\/]/).pop()!.replace(/[^\w.-]+/g, '_') || `summary.${Object.values(FILTERS[format])[0][0]}`;
      const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(this.uri, '..', safeName), filters: FILTERS[format] });
      if (!target) {
        this.post({ type: 'exportResult', format, destination, ok: false, message: 'Export cancelled.' });
        return;
      }
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(content));
      this.post({ type: 'exportResult', format, destination, ok: true, message: `Exported the ${what} to ${target.path.split('/').pop()}.` });
    } catch (e) {
      this.post({ type: 'exportResult', format, destination, ok: false, message: `Export failed: ${(e as Error).message}` });
    }
  }

  dispose(): void {
    clearTimeout(this.debounce);
    if (SummaryPanel.current === this) SummaryPanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
