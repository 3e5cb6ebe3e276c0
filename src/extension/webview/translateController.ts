// The logic behind the translation view and the snippet picker: what the page is sent and
// what its buttons do (copy, open as file, insert, reveal a note's line, switch the target,
// insert a snippet for the file's framework). Only Host / Server / ViewPort (../host.ts), no
// vscode import: the unit tests drive it with stubs; translatePanel.ts provides real panels.

import { Method, type SnippetInfo, type TargetFramework, type TranslateNote, type TranslateResult } from '../../shared/protocol';
import {
  FRAMEWORK_LABELS, TARGET_FRAMEWORKS, isTranslateWebviewToHost,
  type SnippetsView, type TranslateHostToWebview, type TranslateWebviewToHost, type TranslationView,
} from '../../shared/webviewProtocol';
import type { Disposable, Host, Position, Range, Server, ViewKind, ViewPort } from '../host';

export interface ViewDeps {
  host: Host;
  server: Server;
  /** Creates a panel (translatePanel.ts in VS Code, a stub in tests). */
  openView: (kind: ViewKind, title: string) => ViewPort;
}

/** Everything needed to translate the same source again and to insert the result. */
export interface TranslationSource {
  uri: string;
  fileName: string;
  origin: 'model' | 'selection';
  model?: string;
  /** The selection (origin `selection`): re-requests and Replace use it. */
  range?: Range;
  /** The text of `range` when the command ran: Replace refuses when the document no longer has it there. */
  selectedText?: string;
  /** What the left pane shows and the 1-based document line of its first line. */
  source: { text: string; firstLine: number };
  /** Where Insert puts the translation when there is no selection (after the model, else the cursor). */
  insertAt: Position;
  insertLabel: string;
}

const fileNameOf = (uri: string): string => decodeURIComponent(uri.split('/').pop() ?? uri);

/** The notes of a result with their lines; old servers send only `line N: message` strings. */
export function notesOf(res: TranslateResult): TranslateNote[] {
  if (res.noteDetails) return res.noteDetails;
  return (res.notes ?? []).map((n) => {
    const m = /^line (\d+): ([\s\S]*)$/.exec(n);
    return m ? { line: Number(m[1]), message: m[2] } : { line: 0, message: n };
  });
}

/** The translation panel: one at a time, retargeted by the next Translate command. */
export class TranslationController {
  static current: TranslationController | undefined;
  private ready = false;
  private seq = 0;
  private replaced = false;
  private code: string | null = null;
  private view: TranslationView | undefined;
  private readonly subs: Disposable[] = [];

  private constructor(private readonly d: ViewDeps, readonly port: ViewPort, private src: TranslationSource) {
    this.subs.push(
      port.onMessage((m) => { if (isTranslateWebviewToHost(m)) void this.onMessage(m); }),
      port.onDidDispose(() => this.dispose()),
    );
  }

  /** Shows `res` (a translation of `src` to `target`) in the panel, creating it or reusing the open one. */
  static show(d: ViewDeps, src: TranslationSource, target: TargetFramework, res: TranslateResult): TranslationController {
    let c = TranslationController.current;
    if (c) {
      c.src = src;
      c.replaced = false;
      c.port.reveal();
    } else {
      c = new TranslationController(d, d.openView('translate', titleFor(src, target)), src);
      TranslationController.current = c;
    }
    c.setResult(target, res);
    return c;
  }

  /** For tests (and the e2e suite through the extension's exports): what the panel shows now. */
  state(): { ready: boolean; view: TranslationView | undefined; replaced: boolean } {
    return { ready: this.ready, view: this.view, replaced: this.replaced };
  }

  /** Feeds a message as if the page had posted it (validated the same way). */
  receive(m: unknown): Promise<void> {
    return isTranslateWebviewToHost(m) ? this.onMessage(m) : Promise.resolve();
  }

  private setResult(target: TargetFramework, res: TranslateResult): void {
    const ok = res.available && typeof res.code === 'string';
    this.code = ok ? res.code! : null;
    this.view = {
      fileName: this.src.fileName, origin: this.src.origin, ...(this.src.model ? { model: this.src.model } : {}), target,
      source: this.src.source, code: this.code,
      ...(ok ? {} : { message: res.message ?? 'TensorLens: translation is not available.' }),
      notes: notesOf(res), insertLabel: this.src.insertLabel, theme: this.port.theme(),
    };
    this.port.setTitle(titleFor(this.src, target));
    this.post({ type: 'translation', view: this.view });
  }

  private post(m: TranslateHostToWebview): void {
    if (this.ready) this.port.post(m);
  }

  private status(ok: boolean, message: string): void {
    this.post({ type: 'status', ok, message });
  }

  private async onMessage(m: TranslateWebviewToHost): Promise<void> {
    try {
      switch (m.type) {
        case 'ready':
          this.ready = true;
          if (this.view) this.post({ type: 'translation', view: this.view });
          break;
        case 'setTarget':
          await this.retranslate(m.target);
          break;
        case 'copy':
          if (this.code === null) return this.status(false, 'Nothing to copy.');
          await this.d.host.copyText(this.code);
          this.status(true, `Copied the ${FRAMEWORK_LABELS[this.view!.target]} translation (${lineCount(this.code)} lines) to the clipboard.`);
          break;
        case 'openAsFile':
          if (this.code === null) return this.status(false, 'Nothing to open.');
          await this.d.host.openBeside(this.code, 'python');
          this.status(true, 'Opened the translation in a new untitled editor.');
          break;
        case 'insert':
          await this.insert();
          break;
        case 'revealLine':
          await this.d.host.revealLine(this.src.uri, m.line - 1);
          break;
        case 'insertSnippet':
          break;
      }
    } catch (e) {
      this.status(false, `TensorLens: ${(e as Error).message}`);
    }
  }

  private async retranslate(target: TargetFramework): Promise<void> {
    if (this.replaced) {
      this.status(false, 'The selection was replaced by the translation; run Translate Selection To… again to translate it anew.');
      return;
    }
    const seq = ++this.seq;
    this.post({ type: 'busy', busy: true });
    const s = this.src;
    try {
      const res = await this.d.server.request(Method.translate, {
        uri: s.uri, target, ...(s.origin === 'selection' && s.range ? { range: s.range } : s.model ? { model: s.model } : {}),
      });
      if (seq === this.seq) this.setResult(target, res);
    } finally {
      if (seq === this.seq) this.post({ type: 'busy', busy: false });
    }
  }

  private async insert(): Promise<void> {
    const s = this.src;
    if (this.code === null) return this.status(false, 'Nothing to insert.');
    if (this.replaced) return this.status(false, 'The selection was already replaced by the translation.');
    const text = await this.d.host.documentText(s.uri);
    if (text === undefined) return this.status(false, `${s.fileName} cannot be read any more.`);
    if (s.origin === 'selection' && s.range) {
      if (sliceRange(text, s.range) !== s.selectedText) {
        return this.status(false, `The selected code in ${s.fileName} has changed since; use Copy, or translate the selection again.`);
      }
      const ok = await this.d.host.editText(s.uri, s.range, this.code);
      if (ok) this.replaced = true;
      return this.status(ok, ok ? `Replaced the selection in ${s.fileName} with the translation.` : 'The edit was refused.');
    }
    const lines = text.split('\n');
    const code = this.code.endsWith('\n') ? this.code : `${this.code}\n`;
    let at = s.insertAt;
    let insert = `\n${code}`;
    if (at.line >= lines.length) {
      // After the last line: start a new line first.
      at = { line: lines.length - 1, character: lines[lines.length - 1].length };
      insert = `${lines[lines.length - 1].length ? '\n' : ''}\n${code}`;
    }
    const ok = await this.d.host.editText(s.uri, { start: at, end: at }, insert);
    this.status(ok, ok ? `Inserted the translation into ${s.fileName} at line ${at.line + 1}.` : 'The edit was refused.');
  }

  dispose(): void {
    if (TranslationController.current === this) TranslationController.current = undefined;
    for (const s of this.subs.splice(0)) s.dispose();
  }
}

function titleFor(src: TranslationSource, target: TargetFramework): string {
  return `${src.model ?? (src.origin === 'selection' ? 'Selection' : src.fileName)} → ${FRAMEWORK_LABELS[target]}`;
}

const lineCount = (s: string): number => s.replace(/\n$/, '').split('\n').length;

/** The text of a 0-based range (the server slices the same way). */
export function sliceRange(text: string, r: Range): string {
  const lines = text.split('\n');
  if (r.start.line === r.end.line) return (lines[r.start.line] ?? '').slice(r.start.character, r.end.character);
  return [(lines[r.start.line] ?? '').slice(r.start.character), ...lines.slice(r.start.line + 1, r.end.line), (lines[r.end.line] ?? '').slice(0, r.end.character)].join('\n');
}

/**
 * The framework a file is written for, from its imports: torch -> pytorch, `import keras` /
 * `from keras` -> keras, tensorflow -> tf-keras. Undefined when there is none, or when torch
 * is imported together with Keras or TensorFlow (then the user is asked).
 */
export function detectFramework(text: string): TargetFramework | undefined {
  let torch = false;
  let keras = false;
  let tf = false;
  for (const raw of text.split('\n')) {
    const l = raw.trim();
    if (!/^(import|from)\s/.test(l)) continue;
    const mods = l.startsWith('from') ? [l.split(/\s+/)[1] ?? ''] : l.slice(6).split(',').map((p) => p.trim().split(/\s+/)[0]);
    for (const mod of mods) {
      const root = mod.split('.')[0];
      if (root === 'torch' || root === 'torchvision') torch = true;
      else if (root === 'keras') keras = true;
      else if (root === 'tensorflow' || root === 'tf_keras') tf = true;
    }
  }
  if (torch) return keras || tf ? undefined : 'pytorch';
  if (keras) return 'keras';
  if (tf) return 'tf-keras';
  return undefined;
}

/** The snippet picker: one at a time; inserts into the last active Python editor. */
export class SnippetController {
  static current: SnippetController | undefined;
  private ready = false;
  private readonly subs: Disposable[] = [];
  private view: SnippetsView;

  private constructor(private readonly d: ViewDeps, readonly port: ViewPort, private snippets: SnippetInfo[], private uri: string | undefined, framework: TargetFramework | undefined) {
    this.view = { snippets, fileName: uri ? fileNameOf(uri) : null, framework: framework ?? null, theme: port.theme() };
    this.subs.push(
      port.onMessage((m) => { if (isTranslateWebviewToHost(m)) void this.onMessage(m); }),
      port.onDidDispose(() => this.dispose()),
      d.host.onActiveEditorChanged(() => void this.followEditor()),
    );
  }

  static async show(d: ViewDeps, snippets: SnippetInfo[], uri: string): Promise<SnippetController> {
    const framework = detectFramework((await d.host.documentText(uri)) ?? '');
    let c = SnippetController.current;
    if (c) {
      c.snippets = snippets;
      c.retarget(uri, framework);
      c.view = { ...c.view, snippets };
      c.post({ type: 'snippets', view: c.view });
      c.port.reveal();
      return c;
    }
    c = new SnippetController(d, d.openView('snippets', 'TensorLens Snippets'), snippets, uri, framework);
    SnippetController.current = c;
    return c;
  }

  state(): { ready: boolean; view: SnippetsView; uri: string | undefined } {
    return { ready: this.ready, view: this.view, uri: this.uri };
  }

  receive(m: unknown): Promise<void> {
    return isTranslateWebviewToHost(m) ? this.onMessage(m) : Promise.resolve();
  }

  private post(m: TranslateHostToWebview): void {
    if (this.ready) this.port.post(m);
  }

  private retarget(uri: string, framework: TargetFramework | undefined): void {
    this.uri = uri;
    this.view = { ...this.view, fileName: fileNameOf(uri), framework: framework ?? null };
    this.post({ type: 'snippetTarget', fileName: this.view.fileName, framework: this.view.framework });
  }

  /** Another Python editor became active: snippets now go there. */
  private async followEditor(): Promise<void> {
    const ed = this.d.host.activeEditor();
    if (!ed || ed.languageId !== 'python' || ed.uri === this.uri) return;
    this.retarget(ed.uri, detectFramework((await this.d.host.documentText(ed.uri)) ?? ''));
  }

  private async onMessage(m: TranslateWebviewToHost): Promise<void> {
    try {
      if (m.type === 'ready') {
        this.ready = true;
        this.post({ type: 'snippets', view: this.view });
      } else if (m.type === 'insertSnippet') {
        await this.insert(m.id, m.framework);
      }
    } catch (e) {
      this.post({ type: 'status', ok: false, message: `TensorLens: ${(e as Error).message}` });
    }
  }

  private async insert(id: string, asked: TargetFramework | null): Promise<void> {
    const snip = this.snippets.find((s) => s.id === id);
    if (!snip) return this.post({ type: 'status', ok: false, message: `No snippet '${id}'.` });
    if (!this.uri) return this.post({ type: 'status', ok: false, message: 'Open a Python file to insert into first.' });
    let fw = asked ?? this.view.framework ?? undefined;
    if (!fw) {
      fw = await this.d.host.pick(
        TARGET_FRAMEWORKS.filter((f) => snip.bodies[f]).map((f) => ({ label: FRAMEWORK_LABELS[f], value: f })),
        `Framework of ${this.view.fileName ?? 'this file'}`,
      );
      if (!fw) return;
    }
    const body = snip.bodies[fw];
    if (!body) return this.post({ type: 'status', ok: false, message: `'${snip.title}' has no ${FRAMEWORK_LABELS[fw]} version.` });
    const ok = await this.d.host.insertSnippet(this.uri, body);
    this.post({
      type: 'status', ok,
      message: ok ? `Inserted the ${FRAMEWORK_LABELS[fw]} version of '${snip.title}' into ${this.view.fileName}.` : `${this.view.fileName} is not open in an editor; open it and try again.`,
    });
  }

  dispose(): void {
    if (SnippetController.current === this) SnippetController.current = undefined;
    for (const s of this.subs.splice(0)) s.dispose();
  }
}

/** What the extension exports for its e2e tests: the open panels' state and a way to press their buttons. */
export const viewsForTests = {
  translate: () => TranslationController.current?.state(),
  snippets: () => SnippetController.current?.state(),
  receive: (kind: ViewKind, message: unknown): Promise<void> =>
    (kind === 'translate' ? TranslationController.current : SnippetController.current)?.receive(message) ?? Promise.resolve(),
};
