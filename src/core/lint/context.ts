// Builds the LintContext for one rule: qualified names through the file's imports,
// a generic AST walk, ranges, and report collection with the rule's metadata.

import type { Module, Node, NodeOf } from '../python/ast';
import { canonicalPath } from '../eval/interp';
import type { Analysis, Range } from '../summary/types';
import type { Finding, LintContext, LintSettings, Report, RuleMeta } from './types';
import { type LintFacts, factsFor } from './facts';

export interface FileFacts {
  text: string;
  lines: string[];
  module: Module;
  analysis: Analysis;
  imports: ReadonlyMap<string, string>;
  /** Shared facts; built on first use when absent. */
  facts?: LintFacts;
  settings?: LintSettings;
  /** The key of RuleContext.byClass (made on first use). */
  classKey?: string;
  /** TorchRuntime.viewChecks of the analysis: `.view()` calls the evaluator ran on a known non-contiguous layout. */
  viewChecks?: ReadonlyMap<Node, boolean>;
}

export function rangeOf(n: { line: number; col: number; endLine: number; endCol: number }): Range {
  return { line: n.line, character: n.col, endLine: n.endLine, endCharacter: n.endCol };
}

/** Child nodes of any AST node, in source order. Computed once per node (rules walk the tree many times). */
export function childrenOf(n: Node): readonly Node[] {
  let out = CHILDREN.get(n);
  if (!out) {
    out = [];
    pushChildren(n, out);
    CHILDREN.set(n, out);
  }
  return out;
}

const CHILDREN = new WeakMap<Node, Node[]>();

function pushAll(xs: ReadonlyArray<Node | null | undefined>, out: Node[]): void {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (x) out.push(x);
  }
}

function addTo(out: Node[], x: Node | undefined | null): void {
  if (x) out.push(x);
}

function pushChildren(n: Node, out: Node[]): void {
  switch (n.t) {
    case 'Attr': out.push(n.obj); break;
    case 'Subscript': out.push(n.obj, n.index); break;
    case 'Slice': addTo(out, n.start); addTo(out, n.stop); addTo(out, n.step); break;
    case 'Call': out.push(n.fn); for (const a of n.args) out.push(a.value); break;
    case 'BinOp': out.push(n.left, n.right); break;
    case 'UnaryOp': out.push(n.operand); break;
    case 'BoolOp': out.push(n.left, n.right); break;
    case 'Compare': pushAll(n.operands, out); break;
    case 'IfExp': out.push(n.test, n.body, n.orelse); break;
    case 'Tuple': case 'List': case 'Set': pushAll(n.elts, out); break;
    case 'Dict': n.keys.forEach((k, i) => { addTo(out, k); addTo(out, n.values[i]); }); break;
    case 'Starred': out.push(n.value); break;
    case 'Lambda': for (const p of n.params) addTo(out, p.default); out.push(n.body); break;
    case 'Comp': for (const g of n.gens) { out.push(g.iter, g.target); pushAll(g.ifs, out); } addTo(out, n.key); out.push(n.elt); break;
    case 'NamedExpr': out.push(n.target, n.value); break;
    case 'Yield': addTo(out, n.value); break;
    case 'FStr': for (const p of n.parts) if (typeof p !== 'string') out.push(p); break;
    case 'Expr': out.push(n.value); break;
    case 'Assign': pushAll(n.targets, out); out.push(n.value); break;
    case 'AugAssign': out.push(n.target, n.value); break;
    case 'AnnAssign': out.push(n.target); addTo(out, n.value); break;
    case 'Return': addTo(out, n.value); break;
    case 'If': out.push(n.test); pushAll(n.body, out); pushAll(n.orelse, out); break;
    case 'For': out.push(n.target, n.iter); pushAll(n.body, out); pushAll(n.orelse, out); break;
    case 'While': out.push(n.test); pushAll(n.body, out); pushAll(n.orelse, out); break;
    case 'FunctionDef': pushAll(n.decorators, out); for (const p of n.params) addTo(out, p.default); pushAll(n.body, out); break;
    case 'ClassDef': pushAll(n.decorators, out); for (const a of n.bases) out.push(a.value); pushAll(n.body, out); break;
    case 'Try': pushAll(n.body, out); for (const h of n.handlers) pushAll(h, out); pushAll(n.orelse, out); pushAll(n.finalbody, out); break;
    case 'With': for (const it of n.items) { out.push(it.expr); addTo(out, it.target); } pushAll(n.body, out); break;
    case 'Delete': pushAll(n.targets, out); break;
    default: break;
  }
}

/**
 * The nodes under a statement list in pre-order, with each one's depth and the index just
 * past its subtree; built once per list (cached by the array): the rules walk the same
 * trees many times, and a walk is then a loop instead of a recursion. It is put together
 * from one Segment per statement of the list, which stays with the statement: after an
 * incremental re-parse (the language server), the statements it kept are not walked again.
 */
interface Preorder {
  nodes: Node[];
  depth: number[];
  /** The index just past each node's subtree. */
  end: number[];
  /** The index of each node's parent (-1 at the top). */
  parent: number[];
  /** The list's statements' segments, and where each starts here. */
  segments: Segment[];
  starts: number[];
  /** Node indices by kind, built per kind on first use. */
  byType: Map<string, number[]>;
  /** By node: the ancestors of its children (outermost first, ending with it), built on first use and shared by the rules. */
  ancestors?: Array<readonly Node[] | undefined>;
  /**
   * When this list starts with the same segments as the previous version's pre-order (an
   * incremental re-parse kept the first statements): that one's per-kind lists, whose
   * entries below `prefix` are this one's too.
   */
  shared?: { lists: ReadonlyMap<string, number[]>; prefix: number };
}

/** One statement's subtree in pre-order, indices relative to the statement. */
interface Segment {
  nodes: Node[];
  depth: number[];
  end: number[];
  /** -1 for the statement itself. */
  parent: number[];
  /** Node indices by kind (built on first use). */
  byType?: Map<string, number[]>;
  /** Index of every node (built on first use, ancestorsIn). */
  index?: Map<Node, number>;
  /** The newest pre-order holding this segment, and where the segment starts there. */
  owner?: Preorder;
  offset: number;
}

const PREORDER = new WeakMap<readonly Node[], Preorder>();
const SEGMENT = new WeakMap<Node, Segment>();

function segmentOf(root: Node): Segment {
  let seg = SEGMENT.get(root);
  if (seg) return seg;
  const nodes: Node[] = [];
  const depth: number[] = [];
  const parent: number[] = [];
  const todo: Node[] = [root];
  const todoParent: number[] = [-1];
  // The children go straight onto the stack and are then put in reverse order there:
  // caching them per node (childrenOf) cost a WeakMap entry and an array per node, more
  // than the walk itself.
  while (todo.length) {
    const n = todo.pop()!;
    const par = todoParent.pop()!;
    const me = nodes.length;
    nodes.push(n);
    parent.push(par);
    depth.push(par < 0 ? 0 : depth[par] + 1);
    const first = todo.length;
    pushChildren(n, todo);
    for (let a = first, b = todo.length - 1; a < b; a++, b--) {
      const t = todo[a];
      todo[a] = todo[b];
      todo[b] = t;
    }
    for (let i = first; i < todo.length; i++) todoParent.push(me);
  }
  const end = new Array<number>(nodes.length).fill(nodes.length);
  const open: number[] = [];
  for (let i = 0; i < nodes.length; i++) {
    while (open.length && depth[open[open.length - 1]] >= depth[i]) end[open.pop()!] = i;
    open.push(i);
  }
  seg = { nodes, depth, end, parent, offset: 0 };
  SEGMENT.set(root, seg);
  // Statements (the elements of every nested body) point back here, so that a walk over a
  // nested body (a method, a loop) reads its ranges instead of building its own pre-order.
  for (let i = 0; i < nodes.length; i++) if (STATEMENTS.has(nodes[i].t)) STATEMENT_AT.set(nodes[i], { seg, i });
  return seg;
}

function preorderOf(body: readonly Node[]): Preorder {
  let p = PREORDER.get(body);
  if (p) return p;
  const segments = body.map(segmentOf);
  const starts: number[] = [];
  let total = 0;
  for (const seg of segments) {
    starts.push(total);
    total += seg.nodes.length;
  }
  // The first segments may be those of the previous version's pre-order, in the same places
  // (the statements an incremental re-parse kept): its arrays are copied up to there.
  const prev = segments[0]?.owner;
  let same = 0;
  if (prev) while (same < segments.length && same < prev.segments.length && prev.segments[same] === segments[same]) same++;
  const prefix = same ? starts[same - 1] + segments[same - 1].nodes.length : 0;
  const nodes = prefix ? prev!.nodes.slice(0, prefix) : [];
  const depth = prefix ? prev!.depth.slice(0, prefix) : [];
  const end = prefix ? prev!.end.slice(0, prefix) : [];
  const parent = prefix ? prev!.parent.slice(0, prefix) : [];
  for (let k = same; k < segments.length; k++) {
    const seg = segments[k];
    const at = starts[k];
    for (let i = 0; i < seg.nodes.length; i++) {
      nodes.push(seg.nodes[i]);
      depth.push(seg.depth[i]);
      end.push(seg.end[i] + at);
      parent.push(seg.parent[i] < 0 ? -1 : seg.parent[i] + at);
    }
  }
  p = { nodes, depth, end, parent, segments, starts, byType: new Map() };
  if (prefix) p.shared = { lists: prev!.byType, prefix };
  PREORDER.set(body, p);
  // The newest pre-order wins: statements kept from the previous tree by an incremental
  // re-parse then belong to this file's pre-order, and the previous one can be collected.
  segments.forEach((seg, k) => {
    seg.owner = p;
    seg.offset = starts[k];
  });
  return p;
}

const STATEMENTS = new Set<string>([
  'Expr', 'Assign', 'AugAssign', 'AnnAssign', 'Return', 'If', 'For', 'While', 'FunctionDef', 'ClassDef', 'Import', 'ImportFrom',
  'Pass', 'Break', 'Continue', 'Raise', 'Try', 'With', 'Global', 'Delete',
]);
/** The segment each statement was indexed in, and its index there. */
const STATEMENT_AT = new WeakMap<Node, { seg: Segment; i: number }>();

/** Where the statements of `body` stand in an enclosing pre-order already built, if they all do. */
function rangesIn(body: readonly Node[]): { p: Preorder; starts: number[] } | undefined {
  if (!body.length || PREORDER.has(body)) return undefined;
  const p = STATEMENT_AT.get(body[0])?.seg.owner;
  if (!p) return undefined;
  const starts: number[] = [];
  for (const n of body) {
    const at = STATEMENT_AT.get(n);
    if (!at || at.seg.owner !== p) return undefined;
    starts.push(at.seg.offset + at.i);
  }
  return { p, starts };
}

function indicesOf(p: Preorder, types: readonly string[]): number[] {
  if (!types.length) return [];
  let out = indicesOfType(p, types[0]);
  // Each kind's list is sorted: merged pairwise (in linear time) rather than sorted again.
  for (let k = 1; k < types.length; k++) out = mergeSorted(out, indicesOfType(p, types[k]));
  return out;
}

function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i] <= b[j] ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}

function indicesOfType(p: Preorder, type: string): number[] {
  let out = p.byType.get(type);
  if (out) return out;
  // The previous version's list up to the shared prefix, when it has one for this kind.
  const shared = p.shared;
  const before = shared?.lists.get(type);
  let from = 0;
  if (shared && before) {
    out = before.slice(0, lowerBound(before, shared.prefix));
    while (from < p.segments.length && p.starts[from] < shared.prefix) from++;
  } else out = [];
  for (let k = from; k < p.segments.length; k++) {
    const seg = p.segments[k];
    if (!seg.byType) {
      const m = new Map<string, number[]>();
      seg.nodes.forEach((n, i) => {
        const l = m.get(n.t);
        if (l) l.push(i);
        else m.set(n.t, [i]);
      });
      seg.byType = m;
    }
    const at = p.starts[k];
    for (const i of seg.byType.get(type) ?? []) out.push(at + i);
  }
  p.byType.set(type, out);
  return out;
}

function ancestorsAt(p: Preorder, i: number): readonly Node[] {
  const par = p.parent[i];
  return par < 0 ? NO_ANCESTORS : below(p, par);
}

const NO_ANCESTORS: readonly Node[] = [];

/** The ancestors of every child of node `i`: one shared list per parent (siblings have the same). */
function below(p: Preorder, i: number): readonly Node[] {
  const cache = (p.ancestors ??= new Array(p.nodes.length));
  const hit = cache[i];
  if (hit) return hit;
  const up = ancestorsAt(p, i);
  const a = new Array<Node>(up.length + 1);
  for (let k = 0; k < up.length; k++) a[k] = up[k];
  a[up.length] = p.nodes[i];
  cache[i] = a;
  return a;
}

/** The ancestors of `node` under `body` (outermost first); empty for a node not under it. */
export function ancestorsIn(body: readonly Node[], node: Node): readonly Node[] {
  const p = preorderOf(body);
  for (let k = 0; k < p.segments.length; k++) {
    const seg = p.segments[k];
    seg.index ??= new Map(seg.nodes.map((n, i) => [n, i]));
    const i = seg.index.get(node);
    if (i !== undefined) return ancestorsAt(p, p.starts[k] + i);
  }
  return [];
}

/**
 * Visits every node under `body` in source order with its ancestors (outermost first, after
 * `ancestors`); the children of a node for which `prune` is true are not visited. With
 * `types`, only nodes of those kinds are visited (their ancestors are rebuilt from parent
 * links, and only when the visitor takes them).
 */
export function walkTree(
  body: readonly Node[], visit: (n: Node, ancestors: readonly Node[]) => void, prune?: (n: Node) => boolean, ancestors: Node[] = [],
  types?: readonly Node['t'][],
): void {
  const wantsAncestors = visit.length >= 2;
  const within = rangesIn(body);
  if (within) {
    // A nested body of an indexed file: its statements' subtrees, read from the file's pre-order.
    for (const start of within.starts) walkRange(within.p, start, within.p.end[start], visit, prune, ancestors, types, wantsAncestors);
    return;
  }
  const p = preorderOf(body);
  const { nodes } = p;
  if (types && !prune) {
    for (const i of indicesOf(p, types)) {
      if (!wantsAncestors) {
        visit(nodes[i], ancestors);
        continue;
      }
      const chain = ancestorsAt(p, i);
      visit(nodes[i], ancestors.length ? [...ancestors, ...chain] : chain);
    }
    return;
  }
  if (!wantsAncestors && !prune) {
    for (let i = 0; i < nodes.length; i++) visit(nodes[i], ancestors);
    return;
  }
  walkRange(p, 0, nodes.length, visit, prune, ancestors, types, wantsAncestors);
}

/** Visits nodes[start, stop) of a pre-order (whole subtrees), keeping `ancestors` relative to the first one's depth. */
function walkRange(
  p: Preorder, start: number, stop: number, visit: (n: Node, ancestors: readonly Node[]) => void, prune: ((n: Node) => boolean) | undefined,
  ancestors: Node[], types: readonly Node['t'][] | undefined, wantsAncestors: boolean,
): void {
  const { nodes, depth, end } = p;
  const base = ancestors.length;
  const d0 = depth[start];
  for (let i = start; i < stop;) {
    const want = base + depth[i] - d0;
    while (ancestors.length > want) ancestors.pop(); // (setting .length is a slow path in V8)
    const n = nodes[i];
    if (!types || types.includes(n.t)) visit(n, ancestors);
    if (prune && prune(n)) i = end[i];
    else {
      if (wantsAncestors) ancestors.push(n);
      i++;
    }
  }
  while (ancestors.length > base) ancestors.pop();
}

/**
 * ctx.walk over some top-level statements of `module` (`statements`: their indices in order),
 * visiting the nodes of `types` from the module's per-kind index, with their ancestors from
 * the top, as a walk of the whole module visits them.
 */
function walkStatements(module: Module, statements: readonly number[], visit: (node: Node, ancestors: readonly Node[]) => void, types: readonly string[]): void {
  const wantsAncestors = visit.length >= 2;
  const p = preorderOf(module.body);
  for (const k of statements) {
    const start = p.starts[k];
    for (const i of indicesWithin(p, types, start, p.end[start])) visit(p.nodes[i], wantsAncestors ? ancestorsAt(p, i) : NO_ANCESTORS);
  }
}

/**
 * Visits the nodes of kinds `types` under `body` in source order, not looking below a node of
 * kinds `boundaries` (which is itself visited when it is of a wanted kind): the walk of
 * `walkTree(body, visit, n => boundaries.includes(n.t))` restricted to `types`, read from
 * the pre-order's per-kind indices instead of stepping through every node. Ancestors, when
 * the visitor takes them, are relative to `body` as there.
 */
export function walkTypedTree(
  body: readonly Node[], types: readonly Node['t'][], boundaries: readonly Node['t'][], visit: (n: Node, ancestors: readonly Node[]) => void,
): void {
  const wantsAncestors = visit.length >= 2;
  const within = rangesIn(body);
  const p = within ? within.p : preorderOf(body);
  const roots = within ? within.starts : p.starts;
  if (!roots.length) return;
  const { nodes, end, depth } = p;
  // The statements of a body are siblings: their subtrees lie side by side in the pre-order.
  const from = roots[0];
  const stop = end[roots[roots.length - 1]];
  // The subtrees not looked into: below each outermost boundary node of the range (usually none).
  const cuts = indicesWithin(p, boundaries, from, stop);
  const picked = indicesWithin(p, types, from, stop);
  const d0 = depth[from];
  let c = 0;
  let skipFrom = cuts.length ? cuts[0] : stop;
  let skipTo = cuts.length ? end[cuts[0]] : stop;
  for (const i of picked) {
    // Past a cut subtree: the next outermost cut (one nested in the last is inside it).
    while (i >= skipTo) {
      while (++c < cuts.length && cuts[c] < skipTo);
      skipFrom = c < cuts.length ? cuts[c] : stop;
      skipTo = c < cuts.length ? end[cuts[c]] : stop;
    }
    if (i > skipFrom && i < skipTo) continue;
    const n = nodes[i];
    if (!wantsAncestors) visit(n, NO_ANCESTORS);
    else {
      const chain = ancestorsAt(p, i);
      visit(n, d0 ? chain.slice(d0) : chain);
    }
  }
}

/** The indices in [from, stop) of the nodes of kinds `kinds`, in order. */
function indicesWithin(p: Preorder, kinds: readonly string[], from: number, stop: number): number[] {
  const out: number[] = [];
  for (const kind of kinds) {
    const list = indicesOfType(p, kind);
    for (let k = lowerBound(list, from); k < list.length && list[k] < stop; k++) out.push(list[k]);
  }
  if (kinds.length > 1) out.sort((x, y) => x - y);
  return out;
}

/** The first position in a sorted list whose value is at least `x`. */
function lowerBound(list: readonly number[], x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Local names bound by imports, canonicalised (`tf.keras` spells `keras`). */
export function collectImports(mod: Module): Map<string, string> {
  const m = new Map<string, string>();
  // In source order, without recursion (an `elif` chain thousands long nests as deep).
  const todo: Node[] = [...mod.body].reverse();
  while (todo.length) {
    const s = todo.pop()!;
    if (s.t === 'Import') {
      for (const { name, asname } of s.names) {
        if (asname) m.set(asname, canonicalPath(name));
        else m.set(name.split('.')[0], canonicalPath(name.split('.')[0]));
      }
    } else if (s.t === 'ImportFrom') {
      const base = canonicalPath(s.module);
      for (const { name, asname } of s.names) if (name !== '*') m.set(asname ?? name, canonicalPath(base ? `${base}.${name}` : name));
    } else if (s.t === 'If' || s.t === 'Try' || s.t === 'With' || s.t === 'FunctionDef' || s.t === 'ClassDef') {
      // Below the top level, imports inside `if` / `try` blocks only.
      const inner = childrenOf(s).filter((c) => c.t === 'Import' || c.t === 'ImportFrom' || c.t === 'If' || c.t === 'Try');
      for (let i = inner.length - 1; i >= 0; i--) todo.push(inner[i]);
    }
  }
  // The same imports as the last file linted (the language server re-linting an edited
  // document) give the same map object, so the qualified names cached per node still apply.
  if (lastImports && lastImports.size === m.size && [...m].every(([k, v]) => lastImports!.get(k) === v)) return lastImports;
  lastImports = m;
  return m;
}

let lastImports: Map<string, string> | undefined;

export function qualifiedName(imports: ReadonlyMap<string, string>, node: Node): string | undefined {
  // Rules ask for the same call targets many times; the answer depends only on the node and
  // the file's imports (one map per module), so it is cached per node and imports map.
  const hit = QUALIFIED.get(node);
  if (hit && hit.imports === imports) return hit.name;
  let name: string | undefined;
  let cur: Node = node;
  let suffix = '';
  while (cur.t === 'Attr') {
    suffix = `.${cur.attr}${suffix}`;
    cur = cur.obj;
  }
  if (cur.t === 'Name') {
    const base = imports.get(cur.id);
    if (base) name = canonicalPath(base + suffix);
  }
  QUALIFIED.set(node, { imports, name });
  return name;
}

const QUALIFIED = new WeakMap<Node, { imports: ReadonlyMap<string, string>; name: string | undefined }>();

/** `statements`: the indices of the top-level statements `walk` visits (RuleMeta.scoped); all of them when omitted. */
const NO_VIEW_CHECKS: ReadonlyMap<Node, boolean> = new Map();

export function makeContext(facts: FileFacts, meta: RuleMeta, sink: Finding[], statements?: readonly number[]): LintContext {
  return new RuleContext(facts, meta, sink, statements);
}

/** Findings of RuleContext.byClass by class node and rule code, with the key they were made under. */
const CLASS_FINDINGS = new WeakMap<Node, Map<string, { key: string; findings: Finding[] }>>();
let lastClassKey: string | undefined;
/** How many class checks were answered from CLASS_FINDINGS (tests read it). */
export const classMemo = { replayed: 0 };

/** The context of one rule on one file (methods on the prototype: one small object per rule run). */
class RuleContext implements LintContext {
  constructor(private readonly file: FileFacts, private readonly meta: RuleMeta, private readonly sink: Finding[], private readonly statements?: readonly number[]) {}

  get text(): string {
    return this.file.text;
  }

  get lines(): string[] {
    return this.file.lines;
  }

  get module(): Module {
    return this.file.module;
  }

  get analysis(): Analysis {
    return this.file.analysis;
  }

  get imports(): ReadonlyMap<string, string> {
    return this.file.imports;
  }

  get facts(): LintFacts {
    this.file.facts ??= factsFor(this.file.module, this.file.text, this.file.imports);
    return this.file.facts;
  }

  get settings(): LintSettings {
    return this.file.settings ?? { versions: {} };
  }

  get viewChecks(): ReadonlyMap<Node, boolean> {
    return this.file.viewChecks ?? NO_VIEW_CHECKS;
  }

  qualifiedName(n: Node): string | undefined {
    return qualifiedName(this.file.imports, n);
  }

  walk(visit: (node: Node, ancestors: readonly Node[]) => void, types?: readonly Node['t'][]): void {
    if (!this.statements) walkTree(this.file.module.body, visit, undefined, undefined, types);
    else if (types) walkStatements(this.file.module, this.statements, visit, types);
    else walkTree(this.statements.map((k) => this.file.module.body[k]), visit, undefined, undefined, types);
  }

  byClass(cls: NodeOf<'ClassDef'>, check: () => void): void {
    const key = this.classKey();
    const topLevel = this.file.module.body.includes(cls);
    const kept = topLevel ? CLASS_FINDINGS.get(cls) : undefined;
    const hit = kept?.get(this.meta.code);
    if (hit && hit.key === key) {
      for (const f of hit.findings) this.sink.push(f);
      classMemo.replayed++;
      return;
    }
    const start = this.sink.length;
    check();
    if (!topLevel) return;
    let perRule = CLASS_FINDINGS.get(cls);
    if (!perRule) CLASS_FINDINGS.set(cls, (perRule = new Map()));
    perRule.set(this.meta.code, { key, findings: this.sink.slice(start) });
  }

  /** LintFacts.outsideClasses plus the settings, once per file; the same string object as the last file's when equal (compared once, then by identity). */
  private classKey(): string {
    if (this.file.classKey !== undefined) return this.file.classKey;
    let key = `${JSON.stringify(this.settings)}\n${this.facts.outsideClasses}`;
    if (key === lastClassKey) key = lastClassKey;
    lastClassKey = key;
    return (this.file.classKey = key);
  }

  rangeOf(n: { line: number; col: number; endLine: number; endCol: number }): Range {
    return rangeOf(n);
  }

  report(r: Report): void {
    const range = r.range ?? (r.node ? rangeOf(r.node) : { line: 0, character: 0, endLine: 0, endCharacter: 0 });
    this.sink.push({ code: this.meta.code, severity: r.severity ?? this.meta.severity, message: r.message, range, related: r.related, fix: r.fix });
  }
}
