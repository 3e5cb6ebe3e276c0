// The extension's view of VS Code and of the language client, as two small interfaces.
// Client logic (commands, status bar, exports) takes a `Host` and a `Server`; the only
// module that implements them against the real `vscode` API is vscodeHost.ts, so tests
// can hand in stubs (rust-analyzer's habit). Positions are 0-based LSP-style numbers.

import type { ParamsOf, RequestMethod, ResultOf } from '../shared/protocol';

export interface Disposable {
  dispose(): void;
}

export interface EditorState {
  uri: string;
  languageId: string;
  version: number;
  /** 0-based line of the primary cursor. */
  cursorLine: number;
  /** The primary selection, empty when nothing is selected. */
  selection: { start: { line: number; character: number }; end: { line: number; character: number } };
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
  insertSnippet(uri: string, body: string): Promise<boolean>;
  saveAs(defaultName: string, filters: Record<string, string[]>): Promise<string | undefined>;
  writeFile(path: string, content: string): Promise<void>;
  /** Python files of the workspace (excluding environments and caches), at most `max`. */
  findPythonFiles(max: number): Promise<string[]>;
  /** Opens (loads, without showing) a document so the language server analyses it. */
  openDocument(uri: string): Promise<void>;
  setStatus(item: StatusItem): void;
}

/** The language client, as far as the extension's logic needs it. */
export interface Server {
  request<M extends RequestMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  restart(): Promise<void>;
}
