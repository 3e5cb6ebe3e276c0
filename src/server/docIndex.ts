// Position index over one analysed document: where each model, layer construction and
// forward/call method is, joined with the summary rows and the recorded shape facts.
// Hover, inlay hints, code lenses and the status bar all read positions from here.
// Only positions in this document count: layers built and facts recorded while running an
// imported project file carry that file's coordinates and are left out.

import type { DetailedAnalysis } from '../core/analyze';
import type { Module, Node, NodeOf, Pos } from '../core/python/ast';
import type { InstanceV } from '../core/eval/values';
import type { LayerRow, ModelSummary } from '../core/summary/types';
import { isModule } from '../core/frameworks/torch/runtime';
import type { ShapeFact, ShapeFacts } from './shapeTrace';

export interface ModelEntry {
  summary: ModelSummary;
  /** The class or assignment statement that defines the model. */
  start: Pos;
  endLine: number;
  /** The class / variable name's own range, when known. */
  namePos?: Pos;
}

export interface LayerEntry {
  model: string;
  path: string;
  inst: InstanceV;
  /** The construction call. */
  node: Pos;
  /** Summary rows of this layer (one per call). */
  rows: LayerRow[];
  /** Rows of the sub-tree (for containers and user blocks). */
  subtreeRows: LayerRow[];
}

export interface MethodEntry {
  className: string;
  name: string;
  node: NodeOf<'FunctionDef'>;
  /** Facts inside this method, in source order. */
  facts: ShapeFact[];
  /** End of the assignment statement of each target (`line:col` of the target), for hint placement. */
  stmtEnds: Map<string, { line: number; character: number }>;
}

export interface DocIndex {
  models: ModelEntry[];
  layers: LayerEntry[];
  /** forward / call / __call__ methods of classes in the file. */
  methods: MethodEntry[];
  /** Facts at module level that describe Keras functional graph tensors. */
  moduleFacts: ShapeFact[];
  /** Engine diagnostics (by `line:col|message`) about code in an imported file, not this one. */
  foreignDiagnostics: Map<string, ForeignIssue>;
}

/** A shape error inside an imported file, and where this document is responsible for it. */
export interface ForeignIssue {
  /** The construction in this document of the block that holds the failing layer. */
  anchor?: Pos;
  /** The imported file (as the resolver named it) and the failing call / layer definition there. */
  file?: string;
  node: Pos;
  def?: Pos;
  /** The problem as found there (without the call-site prefix of the engine's diagnostic). */
  message?: string;
}

const SHAPE_METHODS = new Set(['forward', 'call', '__call__']);

export function contains(p: Pos, line: number, character: number): boolean {
  if (line < p.line || line > p.endLine) return false;
  if (line === p.line && character < p.col) return false;
  if (line === p.endLine && character > p.endCol) return false;
  return true;
}

function span(p: Pos): number {
  return (p.endLine - p.line) * 10000 + (p.endCol - p.col);
}

/** Every syntax node of the document's own AST (imported files have their own node objects). */
function ownNodes(mod: Module): Set<object> {
  const out = new Set<object>();
  const stack: unknown[] = [mod.body];
  while (stack.length) {
    const v = stack.pop();
    if (!v || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
      continue;
    }
    if (out.has(v)) continue;
    if ('t' in v) out.add(v);
    for (const x of Object.values(v)) if (x && typeof x === 'object') stack.push(x);
  }
  return out;
}

/** The key documentDiagnostics uses to recognise an engine diagnostic. */
export function diagnosticKey(line: number, character: number, message: string): string {
  return `${line}:${character}|${message}`;
}

/**
 * Engine diagnostics (by `line:col|message`) about code in an imported file, not this one:
 * what the published diagnostics need of the index, computed without the rest of it.
 */
export function foreignDiagnostics(d: DetailedAnalysis, own = d.module && d.analysis.dependencies?.length ? ownNodes(d.module) : undefined): Map<string, ForeignIssue> {
  const out = new Map<string, ForeignIssue>();
  if (own) {
    for (const s of d.interp?.shapeIssues ?? []) {
      // Reported at this file's call into another project file: shown instead at the
      // construction here of the block that failed, linked to the line in that file.
      const o = s.origin;
      if (o && !o.file.startsWith('<')) {
        const placed = o.defNode ? placeForeign(d, o.defNode, own) : {};
        if (placed.anchor) {
          out.set(diagnosticKey(s.node.line, s.node.col, s.message), {
            node: o.node, message: o.message, def: o.defNode, anchor: placed.anchor, file: placed.file ?? o.file,
          });
        }
        continue;
      }
      if (own.has(s.node)) continue;
      out.set(diagnosticKey(s.node.line, s.node.col, s.message), { node: s.node, ...(s.defNode ? { def: s.defNode, ...placeForeign(d, s.defNode, own) } : {}) });
    }
  }
  return out;
}

/** Models, layers, shape methods and facts by position, for hovers, hints and lenses. `foreign`: foreignDiagnostics(d), when already made. */
export function buildIndex(d: DetailedAnalysis, facts: ShapeFacts, text?: string, foreign?: Map<string, ForeignIssue>): DocIndex {
  const mod = d.module;
  const imported = !!mod && !!d.analysis.dependencies?.length;
  const own = mod && imported ? ownNodes(mod) : undefined;
  const index: DocIndex = { models: [], layers: [], methods: [], moduleFacts: [], foreignDiagnostics: foreign ?? foreignDiagnostics(d, own) };
  if (!mod) return index;
  const classes = collectClasses(mod);
  // A fact is this file's when its target name is written at its position here (facts carry no file).
  const lines = imported && text !== undefined ? text.split('\n') : undefined;
  const isOwnFact = (f: ShapeFact) => !lines || (lines[f.line] ?? '').slice(f.col, f.endCol) === f.name;
  const factList = [...facts.values()].filter(isOwnFact).sort((a, b) => a.line - b.line || a.col - b.col);

  for (const m of d.analysis.models) {
    const cls = m.kind === 'module-class' || m.kind === 'keras-subclassed' ? classes.find((c) => c.name === m.name && c.line === m.line) ?? classes.find((c) => c.name === m.name) : undefined;
    if (cls) index.models.push({ summary: m, start: cls, endLine: cls.endLine, namePos: cls.namePos });
    else {
      const stmt = mod.body.find((s) => s.line === m.line) ?? mod.body.find((s) => s.t === 'Assign' && s.targets.some((t) => t.t === 'Name' && t.id === m.name));
      const target = stmt && stmt.t === 'Assign' ? stmt.targets.find((t) => t.t === 'Name' && t.id === m.name) : undefined;
      index.models.push({ summary: m, start: stmt ?? { line: m.line, col: 0, endLine: m.line, endCol: 0 }, endLine: stmt?.endLine ?? m.line, namePos: target });
    }
    const inst = d.instanceOf?.get(m) ?? d.instances.get(m.name);
    if (inst) index.layers.push(...layersOf(d, m, inst, own));
  }

  for (const c of classes) {
    for (const s of c.body) {
      if (s.t !== 'FunctionDef' || !SHAPE_METHODS.has(s.name)) continue;
      index.methods.push({ className: c.name, name: s.name, node: s, facts: factList.filter((f) => contains(s, f.line, f.col)), stmtEnds: assignmentEnds(s.body) });
    }
  }
  const inClass = (f: ShapeFact) => classes.some((c) => contains(c, f.line, f.col));
  index.moduleFacts = factList.filter((f) => !inClass(f) && d.analysis.framework !== 'pytorch');
  return index;
}

function assignmentEnds(body: Node[]): Map<string, { line: number; character: number }> {
  const out = new Map<string, { line: number; character: number }>();
  const targets = (t: Node, end: { line: number; character: number }) => {
    if (t.t === 'Name') out.set(`${t.line}:${t.col}`, end);
    else if (t.t === 'Tuple' || t.t === 'List') t.elts.forEach((e) => targets(e, end));
    else if (t.t === 'Starred') targets(t.value, end);
  };
  const visit = (stmts: Node[]) => {
    for (const s of stmts) {
      const end = { line: s.endLine, character: s.endCol };
      if (s.t === 'Assign') s.targets.forEach((t) => targets(t, end));
      else if (s.t === 'AugAssign' || s.t === 'AnnAssign') targets(s.target, end);
      else if (s.t === 'If' || s.t === 'For' || s.t === 'While') {
        visit(s.body);
        visit(s.orelse);
      } else if (s.t === 'With') visit(s.body);
      else if (s.t === 'Try') {
        visit(s.body);
        s.handlers.forEach(visit);
        visit(s.orelse);
        visit(s.finalbody);
      }
    }
  };
  visit(body);
  return out;
}

function collectClasses(mod: Module): Array<NodeOf<'ClassDef'>> {
  const out: Array<NodeOf<'ClassDef'>> = [];
  const visit = (body: Node[]) => {
    for (const s of body) {
      if (s.t === 'ClassDef') {
        out.push(s);
        visit(s.body);
      } else if (s.t === 'If' || s.t === 'Try') {
        visit(s.body);
        if (s.t === 'If') visit(s.orelse);
      }
    }
  };
  visit(mod.body);
  return out;
}

/** Layers of one model whose construction is in this file (nothing built inside the torch stubs). */
function layersOf(d: DetailedAnalysis, m: ModelSummary, root: InstanceV, own: Set<object> | undefined): LayerEntry[] {
  const out: LayerEntry[] = [];
  const rowsByPath = new Map<string, LayerRow[]>();
  for (const r of m.layers) {
    const list = rowsByPath.get(r.path) ?? [];
    list.push(r);
    rowsByPath.set(r.path, list);
  }
  const subtree = (path: string) => m.layers.filter((r) => r.path === path || r.path.startsWith(`${path}.`));
  const add = (inst: InstanceV, path: string) => {
    const node = inst.layer?.node ?? inst.node;
    if (!node || node === root.node || (own && !own.has(node))) return;
    let sub: LayerRow[] | undefined;
    out.push({
      model: m.name, path, inst, node, rows: rowsByPath.get(path) ?? [],
      // Only hovers need it: computed on first use (a full scan per layer would be quadratic).
      get subtreeRows() {
        return (sub ??= subtree(path));
      },
    });
  };
  if (m.framework === 'keras') {
    const keras = d.runtimes?.keras;
    if (!keras) return out;
    for (const l of keras.modelLayers(root)) add(l, keras.state(l).name);
    return out;
  }
  const seen = new Set<number>();
  const visit = (inst: InstanceV, path: string, depth: number) => {
    if (seen.has(inst.id) || depth > 64) return;
    seen.add(inst.id);
    if (path) add(inst, path);
    // Children built inside the torch stubs have nodes in the stub text, not in this file.
    if (inst.cls.file && inst.cls.file !== d.analysis.file && inst.cls.file.startsWith('<')) return;
    for (const [name, c] of inst.children ?? []) if (isModule(c)) visit(c as InstanceV, path ? `${path}.${name}` : name, depth + 1);
  };
  visit(root, '', 0);
  return out;
}

/**
 * For a layer built in an imported file: the nearest enclosing block built in this document
 * (`self.block = Block(16)`), and the file of the class that built the layer.
 */
function placeForeign(d: DetailedAnalysis, def: Node, own: Set<object>): { anchor?: Pos; file?: string } {
  for (const root of d.instances.values()) {
    const chain: InstanceV[] = [];
    const seen = new Set<number>();
    const find = (inst: InstanceV): boolean => {
      if (seen.has(inst.id) || chain.length > 64) return false;
      seen.add(inst.id);
      chain.push(inst);
      if ((inst.layer?.node ?? inst.node) === def) return true;
      for (const c of inst.children?.values() ?? []) if (c.k === 'instance' && find(c)) return true;
      chain.pop();
      return false;
    };
    if (!find(root)) continue;
    const parent = chain[chain.length - 2];
    const file = parent?.cls.file && !parent.cls.file.startsWith('<') ? parent.cls.file : undefined;
    for (let i = chain.length - 2; i >= 0; i--) {
      const n = chain[i].layer?.node ?? chain[i].node;
      if (n && own.has(n)) return { anchor: n, ...(file ? { file } : {}) };
    }
    return file ? { file } : {};
  }
  return {};
}

/** The innermost layer whose construction call contains the position. */
export function layerAt(index: DocIndex, line: number, character: number): LayerEntry | undefined {
  let best: LayerEntry | undefined;
  for (const l of index.layers) if (contains(l.node, line, character) && (!best || span(l.node) < span(best.node))) best = l;
  return best;
}

/** The model whose definition contains the line (the status bar's "model under the cursor"). */
export function modelAtLine(index: DocIndex, line: number): ModelEntry | undefined {
  let best: ModelEntry | undefined;
  for (const m of index.models) if (line >= m.start.line && line <= m.endLine && (!best || m.endLine - m.start.line < best.endLine - best.start.line)) best = m;
  return best;
}

export function methodAt(index: DocIndex, line: number, character: number): MethodEntry | undefined {
  return index.methods.find((m) => contains(m.node, line, character));
}
