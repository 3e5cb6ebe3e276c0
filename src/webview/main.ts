// The model summary webview (bundled to dist/webview.js as an iife). It renders what the
// host sends (src/shared/webviewProtocol.ts) and posts the user's requests back: it never
// analyses code. State survives reloads through the VS Code webview state API.

import {
  EXPORT_FORMATS, isHostToWebview,
  type ExportDestination, type ExportFormat, type HostToWebview, type InputShapes, type SummaryModelJson, type SummaryView,
  type ThemeKind, type WebviewState, type WebviewToHost,
} from '../shared/webviewProtocol';
import { h } from './dom';
import { exportFileName, toCsv, toJson, toMarkdown, activationText } from './export';
import { GraphView, graphForModel, graphToSvg, layoutGraph, type LaidOutGraph, type MeasureText, type SvgColors } from './graph';
import {
  computeTotals, describeInputSource, formatBytes, formatCompact, formatInt, formatOutput, frameworkStyle, parseShapeInput,
  shapeToInput,
} from './model';
import { LayerTable } from './table';

interface VsCodeApi {
  postMessage(msg: WebviewToHost): void;
  getState(): WebviewState | undefined;
  setState(state: WebviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const FORMAT_LABELS: Record<ExportFormat, string> = { markdown: 'Markdown table', csv: 'CSV', json: 'JSON', svg: 'SVG (graph)' };

class SummaryApp {
  private view: SummaryView | null = null;
  private tab: 'table' | 'graph' = 'table';
  private depth: number | null = null;
  private graphDirty = true;
  private layout: LaidOutGraph | null = null;
  private cursorLayers = new Set<number>();
  private readonly table: LayerTable;
  private readonly graph: GraphView;
  private measureCtx: CanvasRenderingContext2D | null = null;

  private readonly el = {
    file: h('span', { class: 'file-name', id: 'file-name' }),
    picker: h('select', { id: 'model-picker', attrs: { 'aria-label': 'Model' } }),
    kind: h('span', { class: 'badge', id: 'model-kind' }),
    shapes: h('span', { class: 'shape-inputs', id: 'shape-inputs' }),
    source: h('span', { class: 'badge source', id: 'input-source' }),
    inputError: h('span', { class: 'input-error', id: 'input-error', attrs: { role: 'alert' } }),
    banner: h('div', { class: 'banner', id: 'banner', hidden: true, attrs: { role: 'alert' } }),
    totals: h('dl', { class: 'totals', id: 'totals' }),
    status: h('div', { class: 'status', id: 'status', attrs: { role: 'status', 'aria-live': 'polite' } }),
    depth: h('select', { id: 'depth', attrs: { 'aria-label': 'Depth shown' } }),
    format: h('select', { id: 'export-format', attrs: { 'aria-label': 'Export format' } }, ...EXPORT_FORMATS.map((f) => h('option', { text: FORMAT_LABELS[f], attrs: { value: f } }))),
    tabTable: h('button', { id: 'tab-table', class: 'tab', text: 'Table', attrs: { role: 'tab', 'aria-controls': 'panel-table', type: 'button' } }),
    tabGraph: h('button', { id: 'tab-graph', class: 'tab', text: 'Graph', attrs: { role: 'tab', 'aria-controls': 'panel-graph', type: 'button' } }),
    panelTable: h('div', { id: 'panel-table', class: 'panel', attrs: { role: 'tabpanel', 'aria-labelledby': 'tab-table' } }),
    panelGraph: h('div', { id: 'panel-graph', class: 'panel', attrs: { role: 'tabpanel', 'aria-labelledby': 'tab-graph' } }),
    graphHost: h('div', { id: 'graph-host', class: 'graph-host' }),
    notes: h('ul', { class: 'notes', id: 'model-notes', attrs: { 'aria-label': 'Notes' } }),
    output: h('span', { id: 'model-output' }),
  };

  constructor() {
    this.table = new LayerTable({
      reveal: (row, preserveFocus) => { if (row.line !== null) this.post({ type: 'revealLine', line: row.line, preserveFocus }); },
      changed: () => { this.graph.highlight(this.table.selectedLayers, 'selected'); this.saveState(); },
    });
    this.graph = new GraphView(this.el.graphHost, (layer) => {
      const l = this.currentModel()?.layers[layer];
      this.table.focusRowByLayer(layer);
      this.graph.highlight(new Set([layer]), 'selected');
      if (l) this.post({ type: 'revealLine', line: l.line, preserveFocus: true });
    });
    this.buildChrome();
    const saved = vscode.getState();
    if (saved?.view) {
      this.tab = saved.tab ?? 'table';
      this.depth = saved.depth ?? null;
      this.show(saved.view, saved.collapsed ?? [], false);
    } else {
      this.setStatus('Analysing…');
    }
    window.addEventListener('message', (e: MessageEvent) => { if (isHostToWebview(e.data)) this.onMessage(e.data); });
    this.post({ type: 'ready' });
  }

  private post(m: WebviewToHost): void {
    vscode.postMessage(m);
  }

  private buildChrome(): void {
    const e = this.el;
    e.picker.addEventListener('change', () => {
      if (!this.view) return;
      const model = e.picker.value;
      this.view = { ...this.view, model, inputShapes: null, inputSource: '', graph: undefined };
      this.show(this.view, [], false);
      this.post({ type: 'selectModel', model });
    });
    const form = h('form', { class: 'inputs', id: 'input-form', attrs: { 'aria-label': 'Input shapes' } },
      h('span', { class: 'label', text: 'Input' }), e.shapes,
      h('button', { id: 'apply-shape', text: 'Apply', attrs: { type: 'submit' } }),
      h('button', { id: 'reset-shape', class: 'secondary', text: 'Auto', title: 'Use the shapes found in the file', attrs: { type: 'button' } }),
      e.source, e.inputError);
    form.addEventListener('submit', (ev) => { ev.preventDefault(); this.applyShapes(); });
    form.querySelector('#reset-shape')!.addEventListener('click', () => {
      const m = this.currentModel();
      if (!m) return;
      e.inputError.textContent = '';
      this.setBusy(true);
      this.post({ type: 'setInputShape', model: m.name, inputShapes: null });
    });
    const header = h('header', { class: 'toolbar' },
      h('div', { class: 'title-row' }, e.file, h('label', { class: 'picker' }, h('span', { class: 'label', text: 'Model' }), e.picker), e.kind,
        h('span', { class: 'output' }, h('span', { class: 'label', text: 'Output' }), e.output)),
      form);
    e.depth.addEventListener('change', () => {
      this.depth = e.depth.value === 'all' ? null : Number(e.depth.value);
      this.table.setDepth(this.depth);
    });
    const tabs = h('div', { class: 'tabs', attrs: { role: 'tablist', 'aria-label': 'View' } }, e.tabTable, e.tabGraph);
    e.tabTable.addEventListener('click', () => this.selectTab('table'));
    e.tabGraph.addEventListener('click', () => this.selectTab('graph'));
    tabs.addEventListener('keydown', (ev) => {
      if (ev.key === 'ArrowLeft' || ev.key === 'ArrowRight') {
        this.selectTab(this.tab === 'table' ? 'graph' : 'table');
        (this.tab === 'table' ? e.tabTable : e.tabGraph).focus();
      }
    });
    const exportBox = h('div', { class: 'export', attrs: { role: 'group', 'aria-label': 'Export' } },
      h('span', { class: 'label', text: 'Export' }), e.format,
      h('button', { id: 'export-save', text: 'Save…', attrs: { type: 'button' }, on: { click: () => this.exportAs('file') } }),
      h('button', { id: 'export-copy', class: 'secondary', text: 'Copy', attrs: { type: 'button' }, on: { click: () => this.exportAs('clipboard') } }));
    const tableTools = h('div', { class: 'table-tools' },
      h('label', {}, h('span', { class: 'label', text: 'Depth' }), e.depth),
      h('button', { id: 'expand-all', class: 'secondary', text: 'Expand all', attrs: { type: 'button' }, on: { click: () => { this.depth = null; this.table.expandAll(); this.syncDepth(); } } }),
      h('button', { id: 'collapse-all', class: 'secondary', text: 'Collapse all', attrs: { type: 'button' }, on: { click: () => { this.depth = 1; this.table.collapseAll(); this.syncDepth(); } } }));
    const graphTools = h('div', { class: 'graph-tools' },
      h('button', { id: 'zoom-in', class: 'secondary', text: '+', title: 'Zoom in (+)', attrs: { type: 'button', 'aria-label': 'Zoom in' }, on: { click: () => this.graph.zoomBy(1.25) } }),
      h('button', { id: 'zoom-out', class: 'secondary', text: '−', title: 'Zoom out (-)', attrs: { type: 'button', 'aria-label': 'Zoom out' }, on: { click: () => this.graph.zoomBy(0.8) } }),
      h('button', { id: 'zoom-fit', class: 'secondary', text: 'Fit', title: 'Fit (0)', attrs: { type: 'button' }, on: { click: () => this.graph.fit() } }),
      h('span', { class: 'hint', text: 'Drag or scroll to pan, Ctrl + wheel to zoom' }));
    e.panelTable.append(h('div', { class: 'table-scroll' }, this.table.table));
    e.panelGraph.append(graphTools, e.graphHost);
    const viewbar = h('div', { class: 'viewbar' }, tabs, tableTools, exportBox);
    document.body.append(header, e.banner, h('section', { class: 'totals-box', attrs: { 'aria-label': 'Totals' } }, e.totals), viewbar, e.status,
      e.panelTable, e.panelGraph, h('section', { class: 'notes-box', attrs: { 'aria-label': 'Model notes' } }, e.notes));
    this.selectTab(this.tab);
  }

  private onMessage(m: HostToWebview): void {
    switch (m.type) {
      case 'init':
      case 'update': {
        const { type, ...view } = m;
        const sameModel = this.view?.documentUri === view.documentUri && this.resolveModelName(this.view) === this.resolveModelName(view);
        this.setBusy(false);
        this.el.banner.hidden = true;
        this.show(view, type === 'update' || sameModel ? this.table.collapsedKeys : [], type === 'update' || sameModel);
        break;
      }
      case 'busy':
        this.setBusy(m.busy);
        break;
      case 'cursorMoved':
        this.cursorLayers = this.table.setCursorLine(m.line);
        this.graph.highlight(this.cursorLayers, 'cursor');
        break;
      case 'theme':
        document.body.dataset.theme = m.theme;
        if (this.view) this.view = { ...this.view, theme: m.theme };
        break;
      case 'exportResult':
        this.setStatus(m.message);
        break;
      case 'error':
        this.setBusy(false);
        this.el.banner.textContent = m.message;
        this.el.banner.hidden = false;
        break;
    }
  }

  private resolveModelName(v: SummaryView | null): string | undefined {
    if (!v) return undefined;
    return v.summary.models.find((m) => m.name === v.model)?.name ?? v.summary.models[0]?.name;
  }

  private currentModel(): SummaryModelJson | undefined {
    const v = this.view;
    if (!v) return undefined;
    return v.summary.models.find((m) => m.name === v.model) ?? v.summary.models[0];
  }

  private show(view: SummaryView, collapsed: string[], keep: boolean): void {
    const t0 = performance.now();
    this.view = view;
    document.body.dataset.theme = view.theme as ThemeKind;
    const e = this.el;
    e.file.textContent = view.fileName || view.summary.file;
    e.file.title = view.documentUri;
    e.picker.replaceChildren(...view.summary.models.map((m) => h('option', { text: `${m.name}  (line ${m.line})`, attrs: { value: m.name } })));
    e.picker.disabled = view.summary.models.length < 2;
    const model = this.currentModel();
    document.body.classList.toggle('empty', !model);
    if (!model) {
      e.kind.textContent = '';
      e.output.textContent = '';
      e.shapes.replaceChildren();
      e.totals.replaceChildren();
      e.notes.replaceChildren(...[...view.summary.notes, ...(view.summary.syntax_errors.length ? [`${view.summary.syntax_errors.length} syntax error(s)`] : [])]
        .map((n) => h('li', { text: n })));
      this.setStatus('No PyTorch, Keras or TensorFlow model found in this file.');
      this.saveState();
      return;
    }
    e.picker.value = model.name;
    const style = frameworkStyle(view.summary.framework);
    e.kind.textContent = `${view.summary.framework} · ${model.kind}`;
    e.output.textContent = formatOutput(model.output_shape, style);
    this.renderShapeInputs(model, view);
    this.renderTotals(model);
    e.notes.replaceChildren(...[...model.notes, ...view.summary.notes].map((n) => h('li', { text: n })));
    this.table.setModel(model, style, collapsed, keep, keep ? null : this.depth);
    this.syncDepth();
    this.graphDirty = true;
    this.layout = null;
    if (this.tab === 'graph') this.renderGraph();
    this.graph.highlight(this.table.selectedLayers, 'selected');
    if (!this.el.status.textContent?.startsWith('Exported') && !this.el.status.textContent?.startsWith('Copied')) this.setStatus('');
    this.saveState();
    const ms = performance.now() - t0;
    document.body.dataset.renders = String(Number(document.body.dataset.renders ?? 0) + 1);
    window.dispatchEvent(new CustomEvent('tensorlens:rendered', { detail: { ms } }));
  }

  private renderShapeInputs(model: SummaryModelJson, view: SummaryView): void {
    const e = this.el;
    const forThis = view.model === null || view.model === model.name;
    const shapes = forThis && view.inputShapes ? view.inputShapes : model.input_shapes;
    e.shapes.replaceChildren(...shapes.map((s, i) => h('input', {
      class: 'shape-input',
      attrs: {
        type: 'text', spellcheck: 'false', 'aria-label': shapes.length > 1 ? `Input ${i + 1} shape` : 'Input shape',
        'aria-describedby': 'input-source input-error', size: Math.max(12, shapeToInput(s).length + 2), 'data-index': i,
      },
    })));
    e.shapes.querySelectorAll<HTMLInputElement>('input').forEach((inp, i) => { inp.value = shapeToInput(shapes[i]); });
    const source = (forThis && view.inputSource) || model.input_source;
    e.source.textContent = source;
    e.source.dataset.source = source;
    e.source.title = describeInputSource(source);
    e.source.setAttribute('aria-label', `Input source: ${describeInputSource(source)}`);
    e.inputError.textContent = '';
  }

  private renderTotals(model: SummaryModelJson): void {
    const t = computeTotals(model);
    const item = (id: string, label: string, value: string, title?: string): HTMLElement[] => [h('dt', { text: label }), h('dd', { id, text: value, title })];
    this.el.totals.replaceChildren(
      ...item('total-params', 'Total params', formatInt(t.total), formatCompact(t.total)),
      ...item('trainable-params', 'Trainable', formatInt(t.trainable)),
      ...item('non-trainable-params', 'Non-trainable', formatInt(t.nonTrainable)),
      ...item('param-memory', 'Params size', formatBytes(t.paramBytes), `${formatInt(t.paramBytes)} bytes`),
      ...item('activation-memory', 'Activations (fwd, fp32)', activationText(t), `Σ output elements × 4 bytes = ${formatInt(t.activationBytes)} bytes`),
      ...item('total-macs', 'MACs', formatCompact(t.macs), formatInt(t.macs)),
    );
  }

  private syncDepth(): void {
    const n = this.table.groupDepths;
    const opts = [h('option', { text: 'All', attrs: { value: 'all' } })];
    for (let d = 1; d <= n; d++) opts.push(h('option', { text: String(d), attrs: { value: String(d) } }));
    this.el.depth.replaceChildren(...opts);
    this.el.depth.value = this.depth === null || this.depth > n ? 'all' : String(this.depth);
    this.el.depth.disabled = n === 0;
    this.saveState();
  }

  private applyShapes(): void {
    const model = this.currentModel();
    if (!model) return;
    const shapes: InputShapes = [];
    for (const inp of Array.from(this.el.shapes.querySelectorAll<HTMLInputElement>('input'))) {
      const r = parseShapeInput(inp.value);
      if ('error' in r) {
        inp.setAttribute('aria-invalid', 'true');
        this.el.inputError.textContent = r.error;
        inp.focus();
        return;
      }
      inp.removeAttribute('aria-invalid');
      shapes.push(r.shape);
    }
    this.el.inputError.textContent = '';
    this.setBusy(true);
    this.post({ type: 'setInputShape', model: model.name, inputShapes: shapes });
  }

  private selectTab(tab: 'table' | 'graph'): void {
    this.tab = tab;
    const e = this.el;
    e.tabTable.setAttribute('aria-selected', String(tab === 'table'));
    e.tabGraph.setAttribute('aria-selected', String(tab === 'graph'));
    e.tabTable.tabIndex = tab === 'table' ? 0 : -1;
    e.tabGraph.tabIndex = tab === 'graph' ? 0 : -1;
    e.panelTable.hidden = tab !== 'table';
    e.panelGraph.hidden = tab !== 'graph';
    document.body.dataset.tab = tab;
    if (tab === 'graph' && this.graphDirty) this.renderGraph();
    this.saveState();
  }

  private ensureLayout(): LaidOutGraph | null {
    const model = this.currentModel();
    if (!model || !this.view) return null;
    if (!this.layout) {
      const forThis = this.view.model === null || this.view.model === model.name;
      this.layout = layoutGraph(graphForModel(model, forThis ? this.view.graph : undefined), frameworkStyle(this.view.summary.framework), this.measurer());
    }
    return this.layout;
  }

  renderGraph(): void {
    const model = this.currentModel();
    const lg = this.ensureLayout();
    if (!model || !lg) return;
    const errors = new Set(model.layers.flatMap((l, i) => (l.note ? [i] : [])));
    this.graph.render(lg, `Dataflow graph of ${model.name}: ${lg.nodes.length} nodes`, errors);
    this.graph.highlight(this.table.selectedLayers, 'selected');
    this.graph.highlight(this.cursorLayers, 'cursor');
    this.graphDirty = false;
  }

  /** Text widths from a canvas, with the fonts the graph's CSS uses (read once per layout). */
  private measurer(): MeasureText {
    this.measureCtx ??= document.createElement('canvas').getContext('2d');
    const ctx = this.measureCtx;
    if (!ctx) return (text) => text.length * 7.5;
    const cs = getComputedStyle(document.body);
    const mono = cs.getPropertyValue('--vscode-editor-font-family').trim() || 'monospace';
    const fonts = { title: `600 12px ${cs.fontFamily || 'sans-serif'}`, shape: `12px ${mono}` };
    const cache = new Map<string, number>();
    return (text, line) => {
      const key = `${line}\u0000${text}`;
      let w = cache.get(key);
      if (w === undefined) {
        ctx.font = fonts[line];
        w = ctx.measureText(text).width;
        cache.set(key, w);
      }
      return w;
    };
  }

  private svgColors(): SvgColors {
    const cs = getComputedStyle(document.body);
    const v = (name: string, fallback: string): string => cs.getPropertyValue(name).trim() || fallback;
    return {
      background: v('--vscode-editor-background', '#ffffff'),
      nodeFill: v('--vscode-editorWidget-background', '#f3f3f3'),
      nodeStroke: v('--vscode-editorWidget-border', '#c8c8c8'),
      text: v('--vscode-editor-foreground', '#1f1f1f'),
      dimText: v('--vscode-descriptionForeground', '#717171'),
      edge: v('--vscode-editorLineNumber-foreground', '#6e7681'),
      accent: v('--vscode-focusBorder', '#0078d4'),
      error: v('--vscode-errorForeground', '#e51400'),
      font: cs.fontFamily || 'sans-serif',
    };
  }

  /** The export text for a format (also used by the tests through the posted message). */
  private exportContent(format: ExportFormat): string | null {
    const model = this.currentModel();
    if (!model || !this.view) return null;
    const s = this.view.summary;
    switch (format) {
      case 'markdown': return toMarkdown(s, model);
      case 'csv': return toCsv(s, model);
      case 'json': return toJson(s, model);
      case 'svg': {
        const lg = this.ensureLayout();
        const errors = new Set(model.layers.flatMap((l, i) => (l.note ? [i] : [])));
        return lg ? graphToSvg(lg, this.svgColors(), `${model.name} (${s.file})`, errors) : null;
      }
    }
  }

  private exportAs(destination: ExportDestination): void {
    const format = this.el.format.value as ExportFormat;
    const model = this.currentModel();
    const content = this.exportContent(format);
    if (!model || !this.view || content === null) return;
    this.setStatus(destination === 'file' ? `Saving ${FORMAT_LABELS[format]}…` : `Copying ${FORMAT_LABELS[format]}…`);
    this.post({ type: 'export', format, destination, content, suggestedName: exportFileName(this.view.summary, model, format) });
  }

  private setBusy(busy: boolean): void {
    document.body.classList.toggle('busy', busy);
    this.table.table.setAttribute('aria-busy', String(busy));
    if (busy) this.setStatus('Analysing…');
    else if (this.el.status.textContent === 'Analysing…') this.setStatus('');
  }

  private setStatus(text: string): void {
    this.el.status.textContent = text;
  }

  private saveState(): void {
    if (!this.view) return;
    vscode.setState({ view: this.view, collapsed: this.table.collapsedKeys, depth: this.depth, tab: this.tab });
  }
}

new SummaryApp();
