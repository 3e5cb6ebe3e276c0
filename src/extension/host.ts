// The extension's view of VS Code and of the language client, as two small interfaces.
// Client logic (commands, status bar, exports) takes a `Host` and a `Server`; the only
// module that implements them against the real `vscode` API is vscodeHost.ts, so tests
// can hand in stubs (rust-analyzer's habit). Positions are 0-based LSP-style numbers.

import type { ParamsOf, RequestMethod, ResultOf } from '../shared/protocol';

export interface Disposable {
  dispose(): void;
}

export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}

export interface EditorState {
  uri: string;
  languageId: string;
  version: number;
  /** 0-based line of the primary cursor. */
  cursorLine: number;
  /** The primary selection, empty when nothing is selected. */
  selection: Range;
  selectedText: string;
}

export interface PickItem<T> {
  label: string;
  description?: string;
  detail?: string;
  value: T;
}

export interface StatusItem {
  text: string;
  tooltip: string;
  command?: string;
  visible: boolean;
}

export interface Host {
  registerCommand(id: string, run: (...args: any[]) => unknown): Disposable;
  activeEditor(): EditorState | undefined;
  onActiveEditorChanged(listener: () => void): Disposable;
  onSelectionChanged(listener: () => void): Disposable;
  onConfigurationChanged(section: string, listener: () => void): Disposable;
  getSetting<T>(key: string, fallback: T): T;

  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  pick<T>(items: PickItem<T>[], placeholder: string): Promise<T | undefined>;
  input(prompt: string, value: string, validate: (text: string) => string | undefined): Promise<string | undefined>;
  /** Appends to the TensorLens output channel and shows it. */
  showOutput(text: string, opts?: { clear?: boolean }): void;
  /** Opens a new untitled editor beside the active one. */
  openBeside(content: string, language: string): Promise<void>;
  /** Inserts a snippet (tab stops live) at the cursor of the editor showing `uri`, focusing it; false when none shows it. */
  insertSnippet(uri: string, body: string): Promise<boolean>;
  /** The current text of a document (open or on disk); undefined when it cannot be read. */
  documentText(uri: string): Promise<string | undefined>;
  /** Replaces `range` of the document with `text` (an empty range inserts); false when the edit was refused. */
  editText(uri: string, range: Range, text: string): Promise<boolean>;
  copyText(text: string): Promise<void>;
  /** Shows the document with the cursor on this 0-based line, in the editor group already showing it. */
  revealLine(uri: string, line: number): Promise<void>;
  saveAs(defaultName: string, filters: Record<string, string[]>): Promise<string | undefined>;
  writeFile(path: string, content: string): Promise<void>;
  /** Python files of the workspace (excluding environments and caches), at most `max`. */
  findPythonFiles(max: number): Promise<string[]>;
  /** Opens (loads, without showing) a document so the language server analyses it. */
  openDocument(uri: string): Promise<void>;
  setStatus(item: StatusItem): void;
}

/**
 * One webview panel as the extension's logic sees it (src/extension/webview/translatePanel.ts
 * implements it over vscode.WebviewPanel). Messages from the page are untrusted: validate them.
 */
export interface ViewPort {
  post(message: unknown): void;
  onMessage(listener: (message: unknown) => void): Disposable;
  onDidDispose(listener: () => void): Disposable;
  /** Brings the panel to the front (it stays in its editor group). */
  reveal(): void;
  setTitle(title: string): void;
  /** `light` / `dark` / `high-contrast` / `high-contrast-light`. */
  theme(): 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';
  dispose(): void;
}
export type ViewKind = 'translate' | 'snippets';

/** The language client, as far as the extension's logic needs it. */
export interface Server {
  request<M extends RequestMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  restart(): Promise<void>;
}
