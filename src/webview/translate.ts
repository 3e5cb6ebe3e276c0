// The translation view and the snippet picker (bundled to dist/translate.js with translate.css).
// The host (src/extension/webview/translateController.ts) sends what to show; the page posts
// the user's requests back (src/shared/webviewProtocol.ts). It never sends code to insert: the
// host acts on its own copy. All user text is rendered as text nodes (dom.ts, code.ts).

import './translate.css';
import {
  FRAMEWORK_LABELS, TARGET_FRAMEWORKS, isTranslateHostToWebview,
  type SnippetInfo, type SnippetsView, type TargetFramework, type TranslateHostToWebview, type TranslateWebviewState,
  type TranslateWebviewToHost, type TranslationView,
} from '../shared/webviewProtocol';
import { codePane, flashLine, snippetText } from './code';
import { h } from './dom';

interface VsCodeApi {
  postMessage(msg: TranslateWebviewToHost): void;
  getState(): TranslateWebviewState | undefined;
  setState(state: TranslateWebviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const post = (m: TranslateWebviewToHost): void => vscode.postMessage(m);
let renders = 0;

/** Tells the tests a message has been rendered. */
function rendered(): void {
  document.body.dataset.renders = String(++renders);
  window.dispatchEvent(new CustomEvent('tensorlens:rendered'));
}

function clear(el: Element): void {
  while (el.firstChild) el.firstChild.remove();
}

const status = h('div', { class: 'status', id: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
function setStatus(ok: boolean, message: string): void {
  status.textContent = message;
  status.classList.toggle('error', !ok);
}

// --- translation view ---------------------------------------------------------------------

class TranslationPage {
  private view: TranslationView | null = null;
  readonly root = h('div', { class: 'translate-page', id: 'translate-page' });
  private readonly title = h('h1', { class: 'title', id: 'title' });
  private readonly targets = h('div', { class: 'targets', id: 'targets', attrs: { role: 'group', 'aria-label': 'Translate to' } });
  private readonly copy = h('button', { id: 'copy', text: 'Copy', title: 'Copy the translation to the clipboard', attrs: { type: 'button' } });
  private readonly open = h('button', { id: 'open-file', class: 'secondary', text: 'Open as File', title: 'Open the translation in a new untitled Python editor', attrs: { type: 'button' } });
  private readonly insert = h('button', { id: 'insert', class: 'secondary', text: 'Insert', attrs: { type: 'button' } });
  private readonly sourceHead = h('h2', { id: 'source-heading' });
  private readonly targetHead = h('h2', { id: 'translation-heading' });
  private readonly sourceBox = h('div', { class: 'pane-body' });
  private readonly targetBox = h('div', { class: 'pane-body' });
  private readonly notesHead = h('h2', { id: 'notes-heading' });
  private readonly notes = h('ul', { class: 'notes', id: 'notes', attrs: { 'aria-labelledby': 'notes-heading' } });

  constructor() {
    for (const f of TARGET_FRAMEWORKS) {
      this.targets.append(h('button', {
        class: 'target', id: `target-${f}`, text: FRAMEWORK_LABELS[f], attrs: { type: 'button', 'data-target': f, 'aria-pressed': 'false' },
        on: { click: () => this.switchTarget(f) },
      }));
    }
    this.copy.addEventListener('click', () => post({ type: 'copy' }));
    this.open.addEventListener('click', () => post({ type: 'openAsFile' }));
    this.insert.addEventListener('click', () => post({ type: 'insert' }));
    this.root.append(
      h('header', { class: 'toolbar' }, this.title,
        h('div', { class: 'target-group' }, h('span', { class: 'label', text: 'To' }), this.targets),
        h('div', { class: 'actions' }, this.copy, this.open, this.insert)),
      status,
      h('div', { class: 'panes' },
        h('section', { class: 'pane', id: 'source-pane', attrs: { 'aria-labelledby': 'source-heading' } }, this.sourceHead, this.sourceBox),
        h('section', { class: 'pane', id: 'translation-pane', attrs: { 'aria-labelledby': 'translation-heading' } }, this.targetHead, this.targetBox)),
      h('section', { class: 'notes-section', id: 'notes-section' }, this.notesHead, this.notes),
    );
  }

  private switchTarget(f: TargetFramework): void {
    if (!this.view || this.root.dataset.busy === 'true') return;
    if (f === this.view.target) return;
    this.markTarget(f);
    setStatus(true, `Translating to ${FRAMEWORK_LABELS[f]}…`);
    post({ type: 'setTarget', target: f });
  }

  private markTarget(f: TargetFramework): void {
    this.targets.querySelectorAll<HTMLButtonElement>('button.target').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.target === f)));
  }

  setBusy(busy: boolean): void {
    this.root.dataset.busy = String(busy);
    this.targets.querySelectorAll<HTMLButtonElement>('button.target').forEach((b) => { b.disabled = busy; });
  }

  show(v: TranslationView): void {
    this.view = v;
    const what = v.origin === 'selection' ? 'selection' : v.model ?? 'model';
    this.title.textContent = `${v.fileName} · ${what} → ${FRAMEWORK_LABELS[v.target]}`;
    this.markTarget(v.target);
    const last = v.source.firstLine + Math.max(0, v.source.text.replace(/\n$/, '').split('\n').length - 1);
    this.sourceHead.textContent = `Source · ${v.fileName}, lines ${v.source.firstLine}–${last}`;
    clear(this.sourceBox);
    this.sourceBox.append(codePane(v.source.text, { id: 'source-code', label: 'Source code', firstLine: v.source.firstLine }));
    this.targetHead.textContent = `${FRAMEWORK_LABELS[v.target]} translation`;
    clear(this.targetBox);
    if (v.code === null) {
      this.targetBox.append(h('p', { class: 'message', id: 'translation-message', text: v.message ?? 'No translation.' }));
    } else {
      this.targetBox.append(codePane(v.code, { id: 'translation-code', label: `${FRAMEWORK_LABELS[v.target]} translation` }));
    }
    for (const b of [this.copy, this.open, this.insert]) b.disabled = v.code === null;
    this.insert.textContent = v.insertLabel;
    this.insert.title = v.origin === 'selection' ? 'Replace the selected code with the translation' : `${v.insertLabel} in ${v.fileName}`;
    this.renderNotes(v);
    this.setBusy(false);
  }

  private renderNotes(v: TranslationView): void {
    this.notesHead.textContent = v.notes.length ? `Notes (${v.notes.length})` : 'Notes';
    clear(this.notes);
    if (!v.notes.length) {
      this.notes.append(h('li', { class: 'empty', text: 'No semantic differences noted.' }));
      return;
    }
    for (const n of v.notes) {
      const li = h('li', { class: 'note' });
      if (n.line > 0) {
        li.append(h('button', {
          class: 'note-line link', text: `line ${n.line}`, title: `Show line ${n.line} of ${v.fileName}`,
          attrs: { type: 'button', 'data-line': n.line },
          on: { click: () => this.reveal(n.line) },
        }));
      }
      li.append(h('span', { class: 'note-text', text: n.message }));
      this.notes.append(li);
    }
  }

  private reveal(line: number): void {
    const pane = this.sourceBox.querySelector<HTMLElement>('#source-code');
    if (pane) flashLine(pane, line);
    post({ type: 'revealLine', line });
  }
}

// --- snippet picker -----------------------------------------------------------------------

class SnippetPage {
  private view: SnippetsView | null = null;
  private selected: string | null;
  private filterText: string;
  readonly root = h('div', { class: 'snippet-page', id: 'snippet-page' });
  private readonly target = h('span', { class: 'snippet-target', id: 'snippet-target' });
  private readonly filter = h('input', { id: 'filter', attrs: { type: 'search', placeholder: 'Filter snippets', 'aria-label': 'Filter snippets', spellcheck: 'false' } });
  private readonly list = h('ul', { class: 'snippet-list', id: 'snippet-list', attrs: { role: 'listbox', 'aria-label': 'Snippets', tabindex: 0 } });
  private readonly noMatch = h('p', { class: 'message', id: 'no-match', text: 'No snippet matches the filter.', hidden: true });
  private readonly detail = h('section', { class: 'snippet-detail', id: 'snippet-detail' });

  constructor() {
    const saved = vscode.getState();
    this.selected = saved?.selected ?? null;
    this.filterText = saved?.filter ?? '';
    this.filter.value = this.filterText;
    this.filter.addEventListener('input', () => {
      this.filterText = this.filter.value;
      this.renderList();
      this.save();
    });
    const keys = (e: KeyboardEvent) => {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        this.move(e.key === 'ArrowDown' ? 1 : -1);
      } else if (e.key === 'Enter' && this.selected) {
        e.preventDefault();
        this.insertFor(null);
      }
    };
    this.filter.addEventListener('keydown', keys);
    this.list.addEventListener('keydown', keys);
    this.root.append(
      h('header', { class: 'toolbar' }, h('h1', { class: 'title', text: 'Snippets' }), this.target),
      status,
      h('div', { class: 'snippet-layout' },
        h('aside', { class: 'snippet-aside' }, this.filter, this.list, this.noMatch),
        this.detail),
    );
  }

  private save(): void {
    vscode.setState({ filter: this.filterText, ...(this.selected ? { selected: this.selected } : {}) });
  }

  private visible(): SnippetInfo[] {
    const q = this.filterText.trim().toLowerCase();
    const all = this.view?.snippets ?? [];
    if (!q) return all;
    const words = q.split(/\s+/);
    return all.filter((s) => {
      const hay = `${s.title} ${s.id} ${s.description ?? ''}`.toLowerCase();
      return words.every((w) => hay.includes(w));
    });
  }

  show(v: SnippetsView): void {
    this.view = v;
    this.renderTarget();
    this.renderList();
  }

  setTarget(fileName: string | null, framework: TargetFramework | null): void {
    if (!this.view) return;
    this.view = { ...this.view, fileName, framework };
    this.renderTarget();
    this.renderDetail();
  }

  private renderTarget(): void {
    const v = this.view!;
    this.target.textContent = !v.fileName ? 'No Python file to insert into'
      : v.framework ? `Inserts into ${v.fileName} (${FRAMEWORK_LABELS[v.framework]})` : `Inserts into ${v.fileName} (framework not detected: Insert asks)`;
    this.root.dataset.framework = v.framework ?? '';
  }

  private renderList(): void {
    const items = this.visible();
    if (!items.some((s) => s.id === this.selected)) this.selected = items[0]?.id ?? null;
    clear(this.list);
    for (const s of items) {
      const sel = s.id === this.selected;
      this.list.append(h('li', {
        class: sel ? 'snippet-item selected' : 'snippet-item', id: `snippet-${s.id}`, text: s.title, title: s.description ?? s.title,
        attrs: { role: 'option', 'aria-selected': String(sel), 'data-id': s.id },
        on: { click: () => this.select(s.id), dblclick: () => { this.select(s.id); this.insertFor(null); } },
      }));
    }
    this.list.setAttribute('aria-activedescendant', this.selected ? `snippet-${this.selected}` : '');
    this.noMatch.hidden = items.length > 0;
    this.renderDetail();
  }

  private select(id: string): void {
    this.selected = id;
    this.list.querySelectorAll<HTMLElement>('li').forEach((li) => {
      const on = li.dataset.id === id;
      li.classList.toggle('selected', on);
      li.setAttribute('aria-selected', String(on));
      if (on) li.scrollIntoView({ block: 'nearest' });
    });
    this.list.setAttribute('aria-activedescendant', `snippet-${id}`);
    this.renderDetail();
    this.save();
  }

  private move(step: number): void {
    const items = this.visible();
    if (!items.length) return;
    const i = items.findIndex((s) => s.id === this.selected);
    this.select(items[Math.min(items.length - 1, Math.max(0, (i < 0 ? -step : i) + step))].id);
  }

  private insertFor(framework: TargetFramework | null): void {
    if (this.selected) post({ type: 'insertSnippet', id: this.selected, framework });
  }

  private renderDetail(): void {
    clear(this.detail);
    const v = this.view;
    const s = v?.snippets.find((x) => x.id === this.selected);
    if (!v || !s) {
      this.detail.append(h('p', { class: 'message', text: v?.snippets.length ? 'Choose a snippet.' : 'No snippets.' }));
      rendered();
      return;
    }
    const fileFw = v.framework;
    const main = h('button', {
      id: 'insert-snippet', text: fileFw ? `Insert ${FRAMEWORK_LABELS[fileFw]} version` : 'Insert…',
      title: fileFw ? `Insert the ${FRAMEWORK_LABELS[fileFw]} version into ${v.fileName}` : 'Asks which framework the file uses',
      attrs: { type: 'button', ...(v.fileName && (!fileFw || s.bodies[fileFw]) ? {} : { disabled: true }) },
      on: { click: () => this.insertFor(null) },
    });
    this.detail.append(
      h('div', { class: 'detail-head' }, h('h2', { id: 'snippet-title', text: s.title }), main),
    );
    if (s.description) this.detail.append(h('p', { class: 'description', id: 'snippet-description', text: s.description }));
    const cols = h('div', { class: 'columns', id: 'columns' });
    for (const f of TARGET_FRAMEWORKS) {
      const body = s.bodies[f];
      const mine = f === fileFw;
      cols.append(h('section', { class: mine ? 'column for-file' : 'column', attrs: { 'data-framework': f, 'aria-label': FRAMEWORK_LABELS[f] } },
        h('div', { class: 'column-head' },
          h('h3', { text: FRAMEWORK_LABELS[f] }),
          mine ? h('span', { class: 'badge', text: 'this file' }) : null,
          h('button', {
            class: 'insert-column secondary', text: 'Insert', title: `Insert the ${FRAMEWORK_LABELS[f]} version`,
            attrs: { type: 'button', 'data-framework': f, ...(body && v.fileName ? {} : { disabled: true }) },
            on: { click: () => this.insertFor(f) },
          })),
        body ? codePane(snippetText(body), { id: `snippet-code-${f}`, label: `${FRAMEWORK_LABELS[f]} version` })
          : h('p', { class: 'message', text: `No ${FRAMEWORK_LABELS[f]} version.` })));
    }
    this.detail.append(cols);
    rendered();
  }
}

// --- messages -----------------------------------------------------------------------------

let translation: TranslationPage | null = null;
let snippets: SnippetPage | null = null;

function mount(page: { root: HTMLElement }): void {
  Array.from(document.body.children).forEach((el) => { if (el.tagName !== 'SCRIPT') el.remove(); });
  document.body.append(page.root);
}

function onMessage(m: TranslateHostToWebview): void {
  switch (m.type) {
    case 'translation':
      if (!translation) mount((translation = new TranslationPage()));
      setStatus(true, '');
      translation.show(m.view);
      document.body.dataset.theme = m.view.theme;
      rendered();
      break;
    case 'snippets':
      if (!snippets) mount((snippets = new SnippetPage()));
      document.body.dataset.theme = m.view.theme;
      snippets.show(m.view);
      break;
    case 'snippetTarget':
      snippets?.setTarget(m.fileName, m.framework);
      break;
    case 'busy':
      translation?.setBusy(m.busy);
      break;
    case 'status':
      setStatus(m.ok, m.message);
      break;
    case 'theme':
      document.body.dataset.theme = m.theme;
      break;
  }
}

document.body.append(h('p', { class: 'message', id: 'loading', text: 'Loading…' }));
window.addEventListener('message', (e: MessageEvent) => { if (isTranslateHostToWebview(e.data)) onMessage(e.data); });
post({ type: 'ready' });
