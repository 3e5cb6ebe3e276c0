// Stubs of the extension's Host and Server (src/extension/host.ts) that record what the
// client logic asked for. No `vscode` module is loaded in these tests.

import type { Disposable, EditorState, Host, PickItem, Range, Server, StatusItem, ViewKind, ViewPort } from '../../src/extension/host';
import type { ParamsOf, RequestMethod, ResultOf } from '../../src/shared/protocol';

export class FakeHost implements Host {
  commands = new Map<string, (...args: any[]) => unknown>();
  editor: EditorState | undefined;
  settings = new Map<string, unknown>();
  messages: Array<{ level: 'info' | 'warn' | 'error'; text: string }> = [];
  output = '';
  /** Answers to pick(): a function of the items (default: cancel). */
  pickAnswer: (items: PickItem<any>[], placeholder: string) => unknown = () => undefined;
  picks: string[] = [];
  inputAnswer: string | undefined;
  inputValidation: ((t: string) => string | undefined) | undefined;
  saveAnswer: string | undefined;
  written = new Map<string, string>();
  pythonFiles: string[] = [];
  opened: string[] = [];
  beside: Array<{ content: string; language: string }> = [];
  status: StatusItem = { text: '', tooltip: '', visible: false };
  /** Document texts by uri (documentText / editText work on these). */
  docs = new Map<string, string>();
  snippetsInserted: Array<{ uri: string; body: string }> = [];
  /** insertSnippet's answer (false: no editor shows the document). */
  snippetResult = true;
  edits: Array<{ uri: string; range: Range; text: string }> = [];
  clipboard: string | undefined;
  revealed: Array<{ uri: string; line: number }> = [];
  private editorListeners: Array<() => void> = [];

  registerCommand(id: string, run: (...args: any[]) => unknown): Disposable {
    this.commands.set(id, run);
    return { dispose: () => this.commands.delete(id) };
  }
  activeEditor() {
    return this.editor;
  }
  onActiveEditorChanged(l: () => void): Disposable {
    this.editorListeners.push(l);
    return { dispose: () => { this.editorListeners = this.editorListeners.filter((x) => x !== l); } };
  }
  /** Makes `e` the active editor and tells the listeners. */
  activate(e: EditorState | undefined) {
    this.editor = e;
    for (const l of this.editorListeners) l();
  }
  onSelectionChanged(): Disposable {
    return { dispose() {} };
  }
  onConfigurationChanged(): Disposable {
    return { dispose() {} };
  }
  getSetting<T>(key: string, fallback: T): T {
    return (this.settings.has(key) ? this.settings.get(key) : fallback) as T;
  }
  info(text: string) {
    this.messages.push({ level: 'info', text });
  }
  warn(text: string) {
    this.messages.push({ level: 'warn', text });
  }
  error(text: string) {
    this.messages.push({ level: 'error', text });
  }
  async pick<T>(items: PickItem<T>[], placeholder: string): Promise<T | undefined> {
    this.picks.push(placeholder);
    return this.pickAnswer(items, placeholder) as T | undefined;
  }
  async input(_prompt: string, _value: string, validate: (t: string) => string | undefined) {
    this.inputValidation = validate;
    return this.inputAnswer;
  }
  showOutput(text: string, opts?: { clear?: boolean }) {
    this.output = opts?.clear ? text : this.output + text;
  }
  async openBeside(content: string, language: string) {
    this.beside.push({ content, language });
  }
  async insertSnippet(uri: string, body: string) {
    if (this.snippetResult) this.snippetsInserted.push({ uri, body });
    return this.snippetResult;
  }
  async documentText(uri: string) {
    return this.docs.get(uri);
  }
  async editText(uri: string, range: Range, text: string) {
    const doc = this.docs.get(uri);
    if (doc === undefined) return false;
    this.edits.push({ uri, range, text });
    const lines = doc.split('\n');
    const offset = (p: Range['start']) => lines.slice(0, p.line).reduce((a, l) => a + l.length + 1, 0) + p.character;
    this.docs.set(uri, doc.slice(0, offset(range.start)) + text + doc.slice(offset(range.end)));
    return true;
  }
  async copyText(text: string) {
    this.clipboard = text;
  }
  async revealLine(uri: string, line: number) {
    this.revealed.push({ uri, line });
  }
  async saveAs() {
    return this.saveAnswer;
  }
  async writeFile(path: string, content: string) {
    this.written.set(path, content);
  }
  async findPythonFiles(max: number) {
    return this.pythonFiles.slice(0, max);
  }
  async openDocument(uri: string) {
    this.opened.push(uri);
  }
  setStatus(item: StatusItem) {
    this.status = item;
  }
}

/** A webview panel stub: records what the host posts; `send` plays the page. */
export class FakeView implements ViewPort {
  posted: any[] = [];
  titles: string[] = [];
  reveals = 0;
  disposed = false;
  private listeners: Array<(m: unknown) => void> = [];
  private disposeListeners: Array<() => void> = [];
  constructor(readonly kind: ViewKind, title: string) {
    this.titles.push(title);
  }
  post(m: unknown) {
    this.posted.push(m);
  }
  onMessage(l: (m: unknown) => void): Disposable {
    this.listeners.push(l);
    return { dispose: () => { this.listeners = this.listeners.filter((x) => x !== l); } };
  }
  onDidDispose(l: () => void): Disposable {
    this.disposeListeners.push(l);
    return { dispose() {} };
  }
  reveal() {
    this.reveals++;
  }
  setTitle(t: string) {
    this.titles.push(t);
  }
  theme() {
    return 'dark' as const;
  }
  dispose() {
    this.disposed = true;
    for (const l of this.disposeListeners) l();
  }
  /** The page posts `m`; resolves after the host's handlers have run (they are async). */
  async send(m: unknown) {
    for (const l of this.listeners) l(m);
    for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
  }
  last(type: string) {
    return [...this.posted].reverse().find((m) => m.type === type);
  }
}

type Handlers = { [M in RequestMethod]?: (p: ParamsOf<M>) => ResultOf<M> };

export class FakeServer implements Server {
  calls: Array<{ method: string; params: unknown }> = [];
  restarts = 0;
  constructor(public handlers: Handlers = {}) {}
  async request<M extends RequestMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    this.calls.push({ method, params });
    const h = this.handlers[method] as ((p: ParamsOf<M>) => ResultOf<M>) | undefined;
    if (!h) throw new Error(`no handler for ${method}`);
    return h(params);
  }
  async restart() {
    this.restarts++;
  }
}

export function editor(uri: string, cursorLine = 0, extra: Partial<EditorState> = {}): EditorState {
  return {
    uri, languageId: 'python', version: 1, cursorLine,
    selection: { start: { line: cursorLine, character: 0 }, end: { line: cursorLine, character: 0 } }, selectedText: '', ...extra,
  };
}
