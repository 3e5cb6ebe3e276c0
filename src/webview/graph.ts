// The graph view: a dataflow graph (given by the host, or a chain derived from the summary
// rows) laid out with dagre, drawn as SVG with pan and zoom, and serialised to a standalone
// SVG for export. User strings reach the DOM only through textContent / setAttribute.

import dagre from '@dagrejs/dagre';
import type { GraphNode, ModelGraph, SummaryModelJson } from '../shared/webviewProtocol';
import { formatShape, type FrameworkStyle } from './model';

export interface LaidOutNode extends GraphNode {
  x: number;
  y: number;
  width: number;
  height: number;
  /** The two text lines drawn on the node. */
  title: string;
  subtitle: string;
}

export interface LaidOutGraph {
  nodes: LaidOutNode[];
  edges: Array<{ from: string; to: string; points: Array<{ x: number; y: number }> }>;
  width: number;
  height: number;
}

/** The graph to draw: the host's when it sent one, else input → each row in call order → output. */
export function graphForModel(model: SummaryModelJson, given: ModelGraph | undefined): ModelGraph {
  const own = (model as { graph?: ModelGraph }).graph;
  const g = given ?? own;
  if (g && Array.isArray(g.nodes) && Array.isArray(g.edges) && g.nodes.length) return g;
  const nodes: GraphNode[] = model.input_shapes.map((s, i) => ({
    id: `in${i}`, kind: 'input', label: model.input_shapes.length > 1 ? `input ${i + 1}` : 'input', output_shape: s,
  }));
  const edges: ModelGraph['edges'] = [];
  let prev = nodes.map((n) => n.id);
  model.layers.forEach((l, i) => {
    const id = `l${i}`;
    nodes.push({ id, kind: 'layer', label: l.type, path: l.path, layer: i, output_shape: l.output_shape, line: l.line });
    for (const p of prev) edges.push({ from: p, to: id });
    prev = [id];
  });
  const out = model.output_shape;
  const outShape = Array.isArray(out) && out.every((d) => d === null || typeof d !== 'object') ? (out as GraphNode['output_shape']) : undefined;
  nodes.push({ id: 'out', kind: 'output', label: 'output', output_shape: outShape ?? null });
  for (const p of prev) edges.push({ from: p, to: 'out' });
  return { nodes, edges };
}

/** Width in px of a node's title (bold UI font) or shape line (monospace). */
export type MeasureText = (text: string, line: 'title' | 'shape') => number;

/** Fixed-width estimate, for tests outside a browser. */
export const estimateText: MeasureText = (t, line) => t.length * (line === 'title' ? 7.6 : 7.3);

export function nodeLines(n: GraphNode, style: FrameworkStyle): { title: string; subtitle: string } {
  const shape = n.output_shape === undefined ? '' : formatShape(n.output_shape, style);
  if (n.kind === 'layer') return { title: n.path ? `${n.label}  ${n.path}` : n.label, subtitle: shape };
  return { title: n.label, subtitle: shape };
}

export function layoutGraph(graph: ModelGraph, style: FrameworkStyle, measure: MeasureText = estimateText): LaidOutGraph {
  const g = new dagre.graphlib.Graph();
  // tight-tree ranks a model's mostly-linear graphs as well as network-simplex, at a fraction of the time.
  g.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 22, marginx: 16, marginy: 16, ranker: 'tight-tree' });
  g.setDefaultEdgeLabel(() => ({}));
  const ids = new Set<string>();
  const lines = new Map<string, { title: string; subtitle: string }>();
  for (const n of graph.nodes) {
    if (typeof n.id !== 'string' || ids.has(n.id)) continue;
    ids.add(n.id);
    const l = nodeLines(n, style);
    lines.set(n.id, l);
    const op = n.kind === 'op';
    const width = Math.max(op ? 44 : 90, Math.ceil(Math.max(measure(l.title, 'title'), measure(l.subtitle, 'shape'))) + 24);
    g.setNode(n.id, { width, height: l.subtitle ? 40 : 26 });
  }
  const indeg = new Map<string, number>();
  const outdeg = new Map<string, number>();
  for (const e of graph.edges) {
    if (!ids.has(e.from) || !ids.has(e.to)) continue;
    g.setEdge(e.from, e.to);
    indeg.set(e.to, (indeg.get(e.to) ?? 0) + 1);
    outdeg.set(e.from, (outdeg.get(e.from) ?? 0) + 1);
  }
  // A chain has no crossings to minimise: skip dagre's ordering search (most of its time).
  const chain = [...indeg.values(), ...outdeg.values()].every((d) => d <= 1);
  dagre.layout(g, { disableOptimalOrderHeuristic: chain });
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const nodes: LaidOutNode[] = g.nodes().map((id: string) => {
    const p = g.node(id) as { x: number; y: number; width: number; height: number };
    const src = byId.get(id)!;
    return { ...src, x: p.x, y: p.y, width: p.width, height: p.height, ...lines.get(id)! };
  });
  const edges = g.edges().map((e: { v: string; w: string }) => ({
    from: e.v, to: e.w, points: ((g.edge(e) as { points?: Array<{ x: number; y: number }> }).points ?? []).map((p) => ({ x: p.x, y: p.y })),
  }));
  const gl = g.graph() as { width?: number; height?: number };
  return { nodes, edges, width: gl.width ?? 0, height: gl.height ?? 0 };
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const svgEl = <K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] => {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
};

const pathData = (pts: Array<{ x: number; y: number }>): string =>
  pts.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');

/** Colours for the exported SVG (resolved from the theme's CSS variables at export time). */
export interface SvgColors {
  background: string;
  nodeFill: string;
  nodeStroke: string;
  text: string;
  dimText: string;
  edge: string;
  accent: string;
  error: string;
  font: string;
}

const escXml = (s: string): string => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/** A standalone SVG document of the laid-out graph, every user string escaped. */
export function graphToSvg(lg: LaidOutGraph, c: SvgColors, title: string, errorLayers: ReadonlySet<number> = new Set()): string {
  const w = Math.ceil(lg.width);
  const h = Math.ceil(lg.height);
  const out: string[] = [];
  out.push(`<svg xmlns="${SVG_NS}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="${escXml(c.font)}" font-size="12">`);
  out.push(`<title>${escXml(title)}</title>`);
  out.push(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${escXml(c.edge)}"/></marker></defs>`);
  out.push(`<rect width="100%" height="100%" fill="${escXml(c.background)}"/>`);
  for (const e of lg.edges) {
    out.push(`<path class="edge" d="${pathData(e.points)}" fill="none" stroke="${escXml(c.edge)}" stroke-width="1.2" marker-end="url(#arrow)"/>`);
  }
  for (const n of lg.nodes) {
    const err = n.layer !== undefined && errorLayers.has(n.layer);
    const stroke = err ? c.error : n.kind === 'layer' ? c.nodeStroke : c.accent;
    const x = n.x - n.width / 2;
    const y = n.y - n.height / 2;
    const rx = n.kind === 'op' ? n.height / 2 : n.kind === 'layer' ? 4 : n.height / 2;
    out.push(`<g class="node node-${n.kind}" data-id="${escXml(n.id)}">`);
    out.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${n.width}" height="${n.height}" rx="${rx}" fill="${escXml(c.nodeFill)}" stroke="${escXml(stroke)}"/>`);
    const ty = n.subtitle ? n.y - 4 : n.y + 4;
    out.push(`<text x="${n.x.toFixed(1)}" y="${ty.toFixed(1)}" text-anchor="middle" fill="${escXml(c.text)}" font-weight="600">${escXml(n.title)}</text>`);
    if (n.subtitle) out.push(`<text x="${n.x.toFixed(1)}" y="${(n.y + 12).toFixed(1)}" text-anchor="middle" fill="${escXml(c.dimText)}">${escXml(n.subtitle)}</text>`);
    out.push('</g>');
  }
  out.push('</svg>');
  return out.join('\n');
}

/** The interactive graph: SVG with pan (drag, arrow keys) and zoom (wheel, +/-, 0 to fit). */
export class GraphView {
  readonly svg: SVGSVGElement;
  private readonly root: SVGGElement;
  private layout: LaidOutGraph | null = null;
  private nodeEls = new Map<number, SVGGElement>();
  private view = { x: 0, y: 0, k: 1 };

  constructor(private readonly host: HTMLElement, private readonly onActivate: (layer: number, reveal: boolean) => void) {
    this.svg = svgEl('svg', { class: 'graph-svg', role: 'img', tabindex: 0 });
    const defs = svgEl('defs');
    const marker = svgEl('marker', { id: 'tl-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse' });
    marker.append(svgEl('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow-head' }));
    defs.append(marker);
    this.root = svgEl('g', { class: 'graph-root' });
    this.svg.append(defs, this.root);
    host.append(this.svg);
    this.attachPanZoom();
  }

  render(lg: LaidOutGraph, label: string, errorLayers: ReadonlySet<number>): void {
    this.layout = lg;
    this.root.replaceChildren();
    this.nodeEls.clear();
    this.svg.setAttribute('aria-label', label);
    const edges = svgEl('g', { class: 'edges' });
    for (const e of lg.edges) edges.append(svgEl('path', { class: 'edge', d: pathData(e.points), 'marker-end': 'url(#tl-arrow)' }));
    const nodes = svgEl('g', { class: 'nodes' });
    for (const n of lg.nodes) {
      const err = n.layer !== undefined && errorLayers.has(n.layer);
      const g = svgEl('g', { class: `node node-${n.kind}${err ? ' node-error' : ''}`, 'data-id': n.id });
      const rx = n.kind === 'layer' ? 4 : n.height / 2;
      g.append(svgEl('rect', { x: n.x - n.width / 2, y: n.y - n.height / 2, width: n.width, height: n.height, rx }));
      const t1 = svgEl('text', { x: n.x, y: n.subtitle ? n.y - 4 : n.y + 4, class: 'node-title', 'text-anchor': 'middle' });
      t1.textContent = n.title;
      g.append(t1);
      if (n.subtitle) {
        const t2 = svgEl('text', { x: n.x, y: n.y + 12, class: 'node-shape', 'text-anchor': 'middle' });
        t2.textContent = n.subtitle;
        g.append(t2);
      }
      const tip = svgEl('title');
      tip.textContent = [n.path ?? n.label, n.label, n.subtitle].filter(Boolean).join(' · ');
      g.append(tip);
      if (n.layer !== undefined) {
        const layer = n.layer;
        g.classList.add('clickable');
        g.addEventListener('click', () => this.onActivate(layer, true));
        this.nodeEls.set(layer, g);
      }
      nodes.append(g);
    }
    this.root.append(edges, nodes);
    this.fit();
  }

  /** Marks the node of a layer row (the table's selection or the editor's cursor). */
  highlight(layers: ReadonlySet<number>, className: 'selected' | 'cursor'): void {
    for (const [i, el] of this.nodeEls) el.classList.toggle(className, layers.has(i));
  }

  fit(): void {
    if (!this.layout) return;
    const w = this.host.clientWidth || 800;
    const h = this.host.clientHeight || 500;
    const k = Math.min(2, Math.max(0.05, Math.min(w / (this.layout.width || 1), h / (this.layout.height || 1))));
    // A tall chain would become unreadable when fitted whole: start at a readable scale at the top.
    const kk = Math.max(k, Math.min(1, w / (this.layout.width || 1)), 0.6);
    this.view = { k: kk, x: (w - this.layout.width * kk) / 2, y: kk === k ? (h - this.layout.height * kk) / 2 : 0 };
    this.apply();
  }

  zoomBy(factor: number, cx?: number, cy?: number): void {
    const w = this.host.clientWidth || 800;
    const h = this.host.clientHeight || 500;
    const px = cx ?? w / 2;
    const py = cy ?? h / 2;
    const k = Math.min(4, Math.max(0.05, this.view.k * factor));
    const f = k / this.view.k;
    this.view = { k, x: px - (px - this.view.x) * f, y: py - (py - this.view.y) * f };
    this.apply();
  }

  panBy(dx: number, dy: number): void {
    this.view = { ...this.view, x: this.view.x + dx, y: this.view.y + dy };
    this.apply();
  }

  get scale(): number {
    return this.view.k;
  }

  private apply(): void {
    this.root.setAttribute('transform', `translate(${this.view.x.toFixed(1)},${this.view.y.toFixed(1)}) scale(${this.view.k.toFixed(4)})`);
  }

  private attachPanZoom(): void {
    this.svg.addEventListener('wheel', (e) => {
      e.preventDefault();
      const r = this.svg.getBoundingClientRect();
      // Ctrl/Cmd + wheel (and trackpad pinch, which arrives as ctrl+wheel) zooms; the wheel alone pans.
      if (e.ctrlKey || e.metaKey) this.zoomBy(Math.exp(-e.deltaY * 0.003), e.clientX - r.left, e.clientY - r.top);
      else this.panBy(e.shiftKey ? -e.deltaY : -e.deltaX, e.shiftKey ? 0 : -e.deltaY);
    }, { passive: false });
    let drag: { x: number; y: number; id: number } | null = null;
    this.svg.addEventListener('pointerdown', (e) => {
      if (e.button !== 0 || (e.target as Element).closest('.clickable')) return;
      drag = { x: e.clientX, y: e.clientY, id: e.pointerId };
      this.svg.setPointerCapture(e.pointerId);
      this.svg.classList.add('dragging');
    });
    this.svg.addEventListener('pointermove', (e) => {
      if (!drag || e.pointerId !== drag.id) return;
      this.panBy(e.clientX - drag.x, e.clientY - drag.y);
      drag = { ...drag, x: e.clientX, y: e.clientY };
    });
    const end = (e: PointerEvent): void => {
      if (drag && e.pointerId === drag.id) {
        drag = null;
        this.svg.classList.remove('dragging');
      }
    };
    this.svg.addEventListener('pointerup', end);
    this.svg.addEventListener('pointercancel', end);
    this.svg.addEventListener('keydown', (e) => {
      const step = 40;
      const actions: Record<string, () => void> = {
        '+': () => this.zoomBy(1.25), '=': () => this.zoomBy(1.25), '-': () => this.zoomBy(0.8), '0': () => this.fit(),
        ArrowUp: () => this.panBy(0, step), ArrowDown: () => this.panBy(0, -step),
        ArrowLeft: () => this.panBy(step, 0), ArrowRight: () => this.panBy(-step, 0),
      };
      const act = actions[e.key];
      if (act) {
        e.preventDefault();
        act();
      }
    });
  }
}
