// The layer table: a real <table> with the treegrid pattern (rows carry aria-level and
// aria-expanded), module groups collapsible, one focusable row at a time (roving
// tabindex), arrow keys to move, Left/Right to collapse/expand, Enter to reveal the source.

import type { SummaryModelJson } from '../shared/webviewProtocol';
import { h } from './dom';
import { buildRowTree, formatInt, formatCompact, formatPercent, formatShape, type FrameworkStyle, type RowNode, visibleRows, allRows } from './model';

export interface TableCallbacks {
  /** A row was activated: reveal its line (`preserveFocus` for clicks, not for Enter). */
  reveal(row: RowNode, preserveFocus: boolean): void;
  /** Selection or collapse changed (for state saving and the graph highlight). */
  changed(): void;
}

const COLUMNS = ['Layer', 'Type', 'Output shape', 'Params', '% of total', 'Trainable', 'MACs'] as const;

export class LayerTable {
  readonly table: HTMLTableElement;
  private readonly tbody: HTMLTableSectionElement;
  private model: SummaryModelJson | null = null;
  private style: FrameworkStyle = 'torch';
  private roots: RowNode[] = [];
  private rows: RowNode[] = [];
  private collapsed = new Set<string>();
  private focusKey: string | null = null;
  private cursorLine: number | null = null;
  private rowEls = new Map<string, HTMLTableRowElement>();

  constructor(private readonly cb: TableCallbacks) {
    this.tbody = h('tbody');
    const head = h('tr', {}, ...COLUMNS.map((c, i) => h('th', { text: c, attrs: { scope: 'col', class: i >= 3 && i !== 5 ? 'num' : undefined } })));
    this.table = h('table', { class: 'layers', attrs: { role: 'treegrid', 'aria-label': 'Layers' } }, h('thead', {}, head), this.tbody);
    this.tbody.addEventListener('keydown', (e) => this.onKey(e));
  }

  /** Shows a model; `depth` (when given) collapses the groups below it, else `collapsed` is kept. */
  setModel(model: SummaryModelJson, style: FrameworkStyle, collapsed: Iterable<string>, keepFocus: boolean, depth: number | null = null): void {
    this.model = model;
    this.style = style;
    this.roots = buildRowTree(model);
    const all = allRows(this.roots);
    const keys = new Set(all.map((r) => r.key));
    this.collapsed = depth !== null
      ? new Set(all.filter((r) => r.kind === 'group' && r.depth >= depth - 1).map((r) => r.key))
      : new Set([...collapsed].filter((k) => keys.has(k)));
    if (!keepFocus || !this.focusKey || !keys.has(this.focusKey)) this.focusKey = null;
    this.table.setAttribute('aria-label', `Layers of ${model.name}`);
    this.render();
  }

  get collapsedKeys(): string[] {
    return [...this.collapsed];
  }

  get groupDepths(): number {
    return allRows(this.roots).reduce((m, r) => (r.kind === 'group' ? Math.max(m, r.depth + 1) : m), 0);
  }

  /** Shows groups down to `depth` levels (torchinfo's depth=); null expands everything. */
  setDepth(depth: number | null): void {
    this.collapsed = new Set(allRows(this.roots).filter((r) => r.kind === 'group' && depth !== null && r.depth >= depth - 1).map((r) => r.key));
    this.render();
    this.cb.changed();
  }

  expandAll(): void {
    this.setDepth(null);
  }

  collapseAll(): void {
    this.setDepth(1);
  }

  toggle(row: RowNode, open?: boolean): void {
    if (row.kind !== 'group') return;
    const isOpen = !this.collapsed.has(row.key);
    const want = open ?? !isOpen;
    if (want === isOpen) return;
    if (want) this.collapsed.delete(row.key);
    else this.collapsed.add(row.key);
    this.render();
    this.cb.changed();
  }

  /** Layer indices of the focused row (a group: all its layers). */
  get selectedLayers(): Set<number> {
    const r = this.rows.find((x) => x.key === this.focusKey);
    return r ? leafIndices(r) : new Set();
  }

  /** Highlights the rows built on this 1-based line (the editor's cursor); a hidden row lights its visible group. */
  setCursorLine(line: number | null): Set<number> {
    this.cursorLine = line;
    this.paintCursor(true);
    const hit = new Set<number>();
    if (line !== null) for (const r of allRows(this.roots)) if (r.kind === 'layer' && r.line === line && r.index !== undefined) hit.add(r.index);
    return hit;
  }

  focusRowByLayer(index: number): void {
    const target = allRows(this.roots).find((r) => r.index === index);
    if (!target) return;
    let changed = false;
    for (let p = target.parent; p; p = p.parent) if (this.collapsed.delete(p.key)) changed = true;
    if (changed) this.render();
    this.focus(target.key, true);
  }

  private render(): void {
    const model = this.model;
    if (!model) return;
    this.rows = visibleRows(this.roots, (r) => this.collapsed.has(r.key));
    this.rowEls.clear();
    const total = model.total_params;
    const frag = document.createDocumentFragment();
    const siblings = new Map<RowNode | null, RowNode[]>();
    for (const r of allRows(this.roots)) {
      const list = siblings.get(r.parent) ?? [];
      list.push(r);
      siblings.set(r.parent, list);
    }
    for (const r of this.rows) {
      const sib = siblings.get(r.parent) ?? [];
      const unknown = r.kind === 'layer' && !r.output_shape;
      const error = r.kind === 'layer' && (r.layer as { error?: boolean } | undefined)?.error === true;
      const cls = ['row', `row-${r.kind}`, r.note ? 'has-note' : '', unknown ? 'row-unknown' : '', error ? 'row-error' : ''].filter(Boolean).join(' ');
      const tr = h('tr', {
        class: cls,
        attrs: {
          'data-key': r.key, 'aria-level': r.depth + 1, 'aria-setsize': sib.length, 'aria-posinset': sib.indexOf(r) + 1,
          'aria-expanded': r.kind === 'group' ? String(!this.collapsed.has(r.key)) : undefined,
          'aria-selected': String(r.key === this.focusKey), tabindex: -1, 'data-line': r.line ?? undefined,
        },
      });
      tr.style.setProperty('--depth', String(r.depth));
      // Name cell (the row header): indentation, twisty for groups, the name, and the note under it.
      const twisty = r.kind === 'group'
        ? h('span', { class: 'twisty codicon', attrs: { 'aria-hidden': 'true' }, text: this.collapsed.has(r.key) ? '▸' : '▾', on: { click: (e) => { e.stopPropagation(); this.toggle(r); } } })
        : h('span', { class: 'twisty', attrs: { 'aria-hidden': 'true' } });
      const nameCell = h('th', { class: 'name', attrs: { scope: 'row' } }, h('span', { class: 'indent' }), twisty, h('span', { class: 'layer-name', text: r.name, title: r.path }));
      if (r.note && r.kind === 'layer') nameCell.append(h('div', { class: 'note', attrs: { role: 'note' } }, h('span', { class: 'note-icon', attrs: { 'aria-label': unknown ? 'Unknown:' : 'Note:' }, text: '⚠ ' }), r.note));
      const typeCell = r.kind === 'group'
        ? h('td', { class: 'type dim', text: `${r.leafCount} layer${r.leafCount === 1 ? '' : 's'}` })
        : h('td', { class: 'type', text: r.type });
      const shape = h('td', { class: `shape${r.kind === 'group' ? ' dim' : ''}${unknown ? ' unknown' : ''}`, text: unknown ? '?' : formatShape(r.output_shape, this.style) });
      if (r.kind === 'group') shape.title = 'Output of its last layer';
      const pct = formatPercent(r.params, total);
      const pctCell = h('td', { class: 'num pct' }, h('span', { class: 'pct-text', text: pct }));
      if (r.params !== null && total > 0) {
        const bar = h('span', { class: 'pct-bar', attrs: { 'aria-hidden': 'true' } });
        bar.style.width = `${Math.min(100, (r.params / total) * 100).toFixed(2)}%`;
        pctCell.prepend(bar);
      }
      tr.append(
        nameCell, typeCell, shape,
        h('td', { class: 'num params', text: formatInt(r.params) }),
        pctCell,
        h('td', { class: 'trainable', text: r.trainable === null ? (r.kind === 'group' ? 'mixed' : '—') : r.trainable ? 'yes' : 'no' }),
        h('td', { class: 'num macs', text: r.macs === null ? '—' : formatCompact(r.macs), title: r.macs === null ? undefined : formatInt(r.macs) }),
      );
      tr.addEventListener('click', () => {
        this.focus(r.key, true);
        if (r.line !== null) this.cb.reveal(r, true);
      });
      tr.addEventListener('dblclick', () => this.toggle(r));
      this.rowEls.set(r.key, tr);
      frag.append(tr);
    }
    this.tbody.replaceChildren(frag);
    const fk = this.focusKey && this.rowEls.has(this.focusKey) ? this.focusKey : this.visibleAncestorKey(this.focusKey) ?? this.rows[0]?.key ?? null;
    this.focusKey = fk;
    if (fk) {
      const el = this.rowEls.get(fk)!;
      el.tabIndex = 0;
      el.setAttribute('aria-selected', 'true');
    }
    this.paintCursor(false);
  }

  private visibleAncestorKey(key: string | null): string | null {
    if (!key) return null;
    let r = allRows(this.roots).find((x) => x.key === key) ?? null;
    while (r && !this.rowEls.has(r.key)) r = r.parent;
    return r?.key ?? null;
  }

  private paintCursor(scroll: boolean): void {
    this.tbody.querySelectorAll('.cursor-row').forEach((el) => el.classList.remove('cursor-row'));
    if (this.cursorLine === null) return;
    let first: HTMLTableRowElement | undefined;
    for (const r of allRows(this.roots)) {
      if (r.kind !== 'layer' || r.line !== this.cursorLine) continue;
      const key = this.rowEls.has(r.key) ? r.key : this.visibleAncestorKey(r.key);
      const el = key ? this.rowEls.get(key) : undefined;
      if (el) {
        el.classList.add('cursor-row');
        first ??= el;
      }
    }
    if (scroll && first) first.scrollIntoView({ block: 'nearest' });
  }

  private focus(key: string, moveFocus: boolean): void {
    const prev = this.focusKey ? this.rowEls.get(this.focusKey) : undefined;
    if (prev) {
      prev.tabIndex = -1;
      prev.setAttribute('aria-selected', 'false');
    }
    this.focusKey = key;
    const el = this.rowEls.get(key);
    if (el) {
      el.tabIndex = 0;
      el.setAttribute('aria-selected', 'true');
      if (moveFocus) el.focus({ preventScroll: false });
      el.scrollIntoView({ block: 'nearest' });
    }
    this.cb.changed();
  }

  private onKey(e: KeyboardEvent): void {
    const i = this.rows.findIndex((r) => r.key === this.focusKey);
    if (i < 0) return;
    const row = this.rows[i];
    const go = (j: number): void => this.focus(this.rows[Math.max(0, Math.min(this.rows.length - 1, j))].key, true);
    const page = Math.max(1, Math.floor((this.table.parentElement?.clientHeight ?? 400) / 28) - 1);
    switch (e.key) {
      case 'ArrowDown': go(i + 1); break;
      case 'ArrowUp': go(i - 1); break;
      case 'Home': go(0); break;
      case 'End': go(this.rows.length - 1); break;
      case 'PageDown': go(i + page); break;
      case 'PageUp': go(i - page); break;
      case 'ArrowRight':
        if (row.kind === 'group' && this.collapsed.has(row.key)) this.toggle(row, true);
        else if (row.kind === 'group') go(i + 1);
        break;
      case 'ArrowLeft':
        if (row.kind === 'group' && !this.collapsed.has(row.key)) this.toggle(row, false);
        else if (row.parent) this.focus(row.parent.key, true);
        break;
      case 'Enter':
        if (row.line !== null) this.cb.reveal(row, false);
        break;
      case ' ':
        if (row.kind === 'group') this.toggle(row);
        else if (row.line !== null) this.cb.reveal(row, true);
        break;
      case '*':
        for (const s of this.rows.filter((r) => r.parent === row.parent)) this.collapsed.delete(s.key);
        this.render();
        this.cb.changed();
        break;
      default:
        return;
    }
    e.preventDefault();
    // Toggling re-renders the rows: put the keyboard focus back on the current one.
    const el = this.focusKey ? this.rowEls.get(this.focusKey) : undefined;
    if (el && document.activeElement !== el) el.focus();
  }
}

function leafIndices(r: RowNode): Set<number> {
  const out = new Set<number>();
  const walk = (n: RowNode): void => {
    if (n.index !== undefined) out.add(n.index);
    n.children.forEach(walk);
  };
  walk(r);
  return out;
}
