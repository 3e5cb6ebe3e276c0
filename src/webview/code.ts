// Read-only code panes for the translation view and the snippet picker: monospaced, one row per
// line with its line number (not selectable, so copying the text copies code only), Python
// coloured by pyHighlight. Every piece of code becomes a text node: nothing is parsed as HTML.

import { h } from './dom';
import { tokenLines } from './pyHighlight';

export interface CodePaneOptions {
  id: string;
  label: string;
  /** The number shown for the first line (document lines for the source pane). */
  firstLine?: number;
}

export function codePane(text: string, o: CodePaneOptions): HTMLElement {
  const first = o.firstLine ?? 1;
  const lines = tokenLines(text.replace(/\r\n?/g, '\n').replace(/\n$/, ''));
  const width = String(first + lines.length - 1).length;
  const pane = h('div', { class: 'code', id: o.id, attrs: { role: 'region', 'aria-label': o.label, tabindex: 0, 'data-first-line': first } });
  pane.style.setProperty('--tl-gutter', `${width + 1}ch`);
  lines.forEach((toks, i) => {
    const n = first + i;
    const src = h('span', { class: 'src' }, ...toks.map((t) => (t.kind === 'plain' ? t.text : h('span', { class: `tok-${t.kind}`, text: t.text }))));
    pane.append(h('div', { class: 'line', attrs: { 'data-line': n } }, h('span', { class: 'ln', text: String(n), attrs: { 'aria-hidden': 'true' } }), src));
  });
  return pane;
}

/** Marks a line of a pane (a clicked note) and scrolls it into view; false when the pane does not show it. */
export function flashLine(pane: HTMLElement, line: number): boolean {
  pane.querySelectorAll('.line.flash').forEach((el) => el.classList.remove('flash'));
  const row = pane.querySelector<HTMLElement>(`.line[data-line="${line}"]`);
  if (!row) return false;
  row.classList.add('flash');
  row.scrollIntoView({ block: 'nearest' });
  return true;
}

/**
 * The text a VS Code snippet body inserts when every tab stop keeps its default:
 * `${1:name}` -> `name`, `${1|a,b|}` -> `a`, `$1` / `${0}` -> nothing, `\$` -> `$`.
 */
export function snippetText(body: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\' && i + 1 < body.length && '$}\\'.includes(body[i + 1])) {
      out += body[++i];
    } else if (c === '$' && /\d/.test(body[i + 1] ?? '')) {
      while (/\d/.test(body[i + 1] ?? '')) i++;
    } else if (c === '$' && body[i + 1] === '{' && /\d/.test(body[i + 2] ?? '')) {
      let j = i + 2;
      while (/\d/.test(body[j] ?? '')) j++;
      if (body[j] === ':') {
        depth++;
        i = j;
      } else if (body[j] === '|') {
        const end = body.indexOf('|}', j + 1);
        const choices = body.slice(j + 1, end < 0 ? body.length : end).split(',');
        out += choices[0] ?? '';
        i = end < 0 ? body.length : end + 1;
      } else if (body[j] === '}') {
        i = j;
      } else {
        out += c;
      }
    } else if (c === '}' && depth > 0) {
      depth--;
    } else {
      out += c;
    }
  }
  return out;
}
