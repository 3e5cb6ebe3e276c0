// Stubs of the extension's Host and Server (src/extension/host.ts) that record what the
// client logic asked for. No `vscode` module is loaded in these tests.

import type { Disposable, EditorState, Host, PickItem, Server, StatusItem } from '../../src/extension/host';
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

  registerCommand(id: string, run: (...args: any[]) => unknown): Disposable {
    this.commands.set(id, run);
    return { dispose: () => this.commands.delete(id) };
  }
  activeEditor() {
    return this.editor;
  }
  onActiveEditorChanged(): Disposable {
    return { dispose() {} };
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
  async insertSnippet() {
    return true;
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
