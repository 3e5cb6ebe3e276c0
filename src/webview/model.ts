// Pure data for the summary webview: the row tree derived from dotted layer paths,
// totals and activation memory, number and shape formatting, and parsing of the
// input-shape box. No DOM here, so the exporters and tests share it.

import type { InputShapes, JsonShape, SummaryLayerJson, SummaryModelJson } from '../shared/webviewProtocol';

/** One row of the table: a leaf layer from the summary, or a module group derived from paths. */
export interface RowNode {
  /** Unique per row: `g:` + group path + occurrence for groups, `l:` + layer index for layers. */
  key: string;
  kind: 'group' | 'layer';
  /** Last path segment (`conv1`, `0`). */
  name: string;
  path: string;
  /** 0 = direct child of the model. */
  depth: number;
  parent: RowNode | null;
  children: RowNode[];
  /** For layers: index in `model.layers`. */
  index?: number;
  layer?: SummaryLayerJson;
  type: string;
  output_shape: JsonShape;
  params: number | null;
  macs: number | null;
  trainable: boolean | null;
  line: number | null;
  note?: string;
  /** Number of leaf layers under a group. */
  leafCount: number;
}

/**
 * Builds the module tree from the rows' dotted paths. Rows are in call order, so a group is a
 * run of consecutive rows sharing a prefix; a module called again later starts a new group
 * (as torchinfo shows a repeated container twice).
 */
export function buildRowTree(model: SummaryModelJson): RowNode[] {
  const roots: RowNode[] = [];
  const stack: RowNode[] = [];
  const seen = new Map<string, number>();
  model.layers.forEach((layer, index) => {
    const parts = layer.path.split('.');
    const prefixes = parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('.'));
    let keep = 0;
    while (keep < stack.length && keep < prefixes.length && stack[keep].path === prefixes[keep]) keep++;
    stack.length = keep;
    for (let d = keep; d < prefixes.length; d++) {
      const path = prefixes[d];
      const n = (seen.get(path) ?? 0) + 1;
      seen.set(path, n);
      const group: RowNode = {
        key: `g:${path}#${n}`, kind: 'group', name: parts[d], path, depth: d, parent: stack[d - 1] ?? null, children: [],
        type: '', output_shape: null, params: 0, macs: 0, trainable: null, line: null, leafCount: 0,
      };
      (group.parent ? group.parent.children : roots).push(group);
      stack.push(group);
    }
    const parent = stack[stack.length - 1] ?? null;
    const leaf: RowNode = {
      key: `l:${index}`, kind: 'layer', name: parts[parts.length - 1], path: layer.path, depth: prefixes.length, parent,
      children: [], index, layer, type: layer.type, output_shape: layer.output_shape, params: layer.params, macs: layer.macs,
      trainable: layer.trainable, line: layer.line, note: layer.note, leafCount: 1,
    };
    (parent ? parent.children : roots).push(leaf);
    for (let g: RowNode | null = parent; g; g = g.parent) {
      g.leafCount++;
      g.params = g.params === null || layer.params === null ? null : g.params + layer.params;
      g.macs = g.macs === null || layer.macs === null ? null : g.macs + layer.macs;
      g.output_shape = layer.output_shape;
      g.trainable = g.trainable === null && g.leafCount === 1 ? layer.trainable : g.trainable === layer.trainable ? g.trainable : null;
      if (g.line === null) g.line = layer.line;
      if (layer.note && !g.note) g.note = `${layer.path}: ${layer.note}`;
    }
  });
  return roots;
}

/** Rows in display order (pre-order), skipping the children of collapsed groups. */
export function visibleRows(roots: RowNode[], isCollapsed: (r: RowNode) => boolean): RowNode[] {
  const out: RowNode[] = [];
  const walk = (rows: RowNode[]): void => {
    for (const r of rows) {
      out.push(r);
      if (r.kind === 'group' && !isCollapsed(r)) walk(r.children);
    }
  };
  walk(roots);
  return out;
}

export function allRows(roots: RowNode[]): RowNode[] {
  return visibleRows(roots, () => false);
}

export function maxDepth(roots: RowNode[]): number {
  return allRows(roots).reduce((m, r) => Math.max(m, r.depth), 0);
}

export interface Totals {
  total: number;
  trainable: number;
  nonTrainable: number;
  paramBytes: number;
  macs: number;
  /** Σ output numel × 4 bytes over the rows whose shapes are concrete. */
  activationBytes: number;
  /** Rows left out of `activationBytes` (unknown or symbolic shapes). */
  activationUnknownRows: number;
  /** A None batch was counted as 1. */
  perSample: boolean;
}

export function computeTotals(model: SummaryModelJson): Totals {
  let activationBytes = 0;
  let unknown = 0;
  let perSample = false;
  for (const l of model.layers) {
    const n = numel(l.output_shape);
    if (n === null) unknown++;
    else activationBytes += n.numel * 4;
    if (n?.noneBatch) perSample = true;
  }
  return {
    total: model.total_params, trainable: model.trainable_params, nonTrainable: model.non_trainable_params,
    paramBytes: model.param_bytes, macs: model.macs, activationBytes, activationUnknownRows: unknown, perSample,
  };
}

/** Elements of a shape; a None batch (first dim) counts as 1; null when any dim is unknown or symbolic. */
export function numel(shape: JsonShape): { numel: number; noneBatch: boolean } | null {
  if (!shape) return null;
  let p = 1;
  let noneBatch = false;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (d === null && i === 0) noneBatch = true;
    else if (typeof d === 'number') p *= d;
    else return null;
  }
  return { numel: p, noneBatch };
}

export type FrameworkStyle = 'torch' | 'keras';
export const frameworkStyle = (framework: string): FrameworkStyle =>
  framework === 'keras' || framework === 'tensorflow' ? 'keras' : 'torch';

/** `[1, 64, 112, 112]` for PyTorch, `(None, 28, 28, 1)` for Keras; `?` when unknown. */
export function formatShape(shape: JsonShape | undefined, style: FrameworkStyle = 'torch', escapeDim: (d: string) => string = (d) => d): string {
  if (!shape) return '?';
  const dims = shape.map((d) => (d === null ? 'None' : escapeDim(String(d))));
  if (style === 'keras') return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
  return `[${dims.join(', ')}]`;
}

/** A model output: one shape, or the list of shapes of a multi-output Keras model. */
export function formatOutput(out: SummaryModelJson['output_shape'], style: FrameworkStyle, escapeDim?: (d: string) => string): string {
  if (Array.isArray(out) && out.length > 0 && out.every((s) => Array.isArray(s) || s === null)) {
    return (out as JsonShape[]).map((s) => formatShape(s, style, escapeDim)).join(', ');
  }
  return formatShape(out as JsonShape, style, escapeDim);
}

export function formatInt(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return INT_FORMAT.format(Math.round(n));
}

const INT_FORMAT = new Intl.NumberFormat('en-US');

/** 25.56 M, 4.09 G, 1.2 K: torchinfo-style magnitudes. */
export function formatCompact(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const units: Array<[number, string]> = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'K']];
  for (const [v, u] of units) if (Math.abs(n) >= v) return `${trim(n / v)} ${u}`;
  return String(n);
}

/** Bytes in MB (10^6, as torchinfo prints them), KB below 1 MB. */
export function formatBytes(b: number): string {
  if (b >= 1e9) return `${trim(b / 1e9)} GB`;
  if (b >= 1e6) return `${trim(b / 1e6)} MB`;
  if (b >= 1e3) return `${trim(b / 1e3)} KB`;
  return `${b} B`;
}

function trim(x: number): string {
  return x >= 100 ? x.toFixed(1) : x.toFixed(2);
}

export function formatPercent(part: number | null, total: number): string {
  if (part === null || !total) return '';
  const p = (part / total) * 100;
  if (p === 0) return '0%';
  if (p < 0.01) return '<0.01%';
  return `${p < 10 ? p.toFixed(2) : p.toFixed(1)}%`;
}

/** A shape as the input box shows it: `1, 3, 224, 224`, `None, 28, 28, 1`, or `B, 3, H, W` when symbolic. */
export function shapeToInput(shape: JsonShape | Array<number | null>): string {
  return shape ? shape.map((d) => (d === null ? 'None' : String(d))).join(', ') : '';
}

/** Parses the input box the way `tensorlens summary --input-shape` does: dims by comma or x, None/null/B for a free batch. */
export function parseShapeInput(text: string): { shape: Array<number | null> } | { error: string } {
  const parts = text.replace(/[()[\]\s]/g, '').split(/[,x×]/).filter(Boolean);
  if (!parts.length) return { error: 'Enter dims separated by commas, e.g. 1, 3, 224, 224' };
  if (parts.length > 16) return { error: 'At most 16 dims' };
  const shape: Array<number | null> = [];
  for (const p of parts) {
    if (/^(none|null|b)$/i.test(p)) shape.push(null);
    else if (/^\d{1,9}$/.test(p)) shape.push(parseInt(p, 10));
    else return { error: `'${p}' is not a whole number or None` };
  }
  return { shape };
}

export function sameShapes(a: InputShapes | null, b: InputShapes | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Human words for `input_source`. */
export function describeInputSource(source: string): string {
  switch (source) {
    case 'directive': return 'from a # tensorlens: input= directive';
    case 'given': return 'set here';
    case 'setting': return 'from settings';
    case 'example-call': return 'from an example call in the file';
    case 'keras-input': return 'from keras.Input';
    case 'input-shape-arg': return 'from input_shape=';
    case 'build-call': return 'from model.build()';
    case 'input-signature': return 'from an input signature';
    case 'symbolic': return 'symbolic: no input found, set one';
    default: return source;
  }
}
