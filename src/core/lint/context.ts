// Builds the LintContext for one rule: qualified names through the file's imports,
// a generic AST walk, ranges, and report collection with the rule's metadata.

import type { Module, Node } from '../python/ast';
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
 * trees many times, and a walk is then a loop instead of a recursion.
 */
interface Preorder {
  nodes: Node[];
  depth: number[];
  /** The index just past each node's subtree. */
  end: number[];
  /** The index of each node's parent (-1 at the top). */
  parent: number[];
  /** Node indices by kind, built on first use. */
  byType?: Map<string, number[]>;
  /** By node: the ancestors of its children (outermost first, ending with it), built on first use and shared by the rules. */
  ancestors?: Array<readonly Node[] | undefined>;
  /** Index of each statement indexed here (see STATEMENT_OF). */
  pos: Map<Node, number>;
  /** Index of every node, built on first use (ancestorsIn). */
  index?: Map<Node, number>;
}
const PREORDER = new WeakMap<readonly Node[], Preorder>();

function preorderOf(body: readonly Node[]): Preorder {
  let p = PREORDER.get(body);
  if (p) return p;
  const nodes: Node[] = [];
  const depth: number[] = [];
  const parent: number[] = [];
  const todo: Node[] = [];
  const todoParent: number[] = [];
  // The children go straight onto the stack and are then put in reverse order there:
  // caching them per node (childrenOf) cost a WeakMap entry and an array per node, more
  // than the walk itself.
  for (let i = body.length - 1; i >= 0; i--) {
    todo.push(body[i]);
    todoParent.push(-1);
  }
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
  p = { nodes, depth, end, parent, pos: new Map() };
  PREORDER.set(body, p);
  // Statements (the elements of every nested body) point back here, so that a walk over a
  // nested body (a method, a loop) reads its ranges instead of building its own pre-order.
  // The newest pre-order wins: statements kept from the previous tree by an incremental
  // re-parse then belong to this file's pre-order, and the previous one can be collected.
  for (let i = 0; i < nodes.length; i++) {
    if (STATEMENTS.has(nodes[i].t)) {
      STATEMENT_OF.set(nodes[i], p);
      p.pos.set(nodes[i], i);
    }
  }
  return p;
}

const STATEMENTS = new Set<string>([
  'Expr', 'Assign', 'AugAssign', 'AnnAssign', 'Return', 'If', 'For', 'While', 'FunctionDef', 'ClassDef', 'Import', 'ImportFrom',
  'Pass', 'Break', 'Continue', 'Raise', 'Try', 'With', 'Global', 'Delete',
]);
/** The pre-order (of an enclosing statement list) each statement was indexed in. */
const STATEMENT_OF = new WeakMap<Node, Preorder>();

/** Where the statements of `body` stand in an enclosing pre-order already built, if they all do. */
function rangesIn(body: readonly Node[]): { p: Preorder; starts: number[] } | undefined {
  if (!body.length || PREORDER.has(body)) return undefined;
  const p = STATEMENT_OF.get(body[0]);
  if (!p) return undefined;
  const starts: number[] = [];
  for (const n of body) {
    const i = p.pos.get(n);
    if (i === undefined) return undefined;
    starts.push(i);
  }
  return { p, starts };
}

function indicesOf(p: Preorder, types: readonly string[]): number[] {
  if (!p.byType) {
    const m = new Map<string, number[]>();
    p.nodes.forEach((n, i) => {
      const l = m.get(n.t);
      if (l) l.push(i);
      else m.set(n.t, [i]);
    });
    p.byType = m;
  }
  if (types.length === 1) return p.byType.get(types[0]) ?? [];
  const out: number[] = [];
  for (const t of types) out.push(...(p.byType.get(t) ?? []));
  return out.sort((a, b) => a - b);
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
  p.index ??= new Map(p.nodes.map((n, i) => [n, i]));
  const i = p.index.get(node);
  return i === undefined ? [] : ancestorsAt(p, i);
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

/** Local names bound by imports, canonicalised (`tf.keras` spells `keras`). */
export function collectImports(mod: Module): Map<string, string> {
  const m = new Map<string, string>();
  const visit = (body: Node[]) => {
    for (const s of body) {
      if (s.t === 'Import') {
        for (const { name, asname } of s.names) {
          if (asname) m.set(asname, canonicalPath(name));
          else m.set(name.split('.')[0], canonicalPath(name.split('.')[0]));
        }
      } else if (s.t === 'ImportFrom') {
        const base = canonicalPath(s.module);
        for (const { name, asname } of s.names) if (name !== '*') m.set(asname ?? name, canonicalPath(base ? `${base}.${name}` : name));
      } else if (s.t === 'If' || s.t === 'Try' || s.t === 'With' || s.t === 'FunctionDef' || s.t === 'ClassDef') {
        for (const c of childrenOf(s)) if (c.t === 'Import' || c.t === 'ImportFrom' || c.t === 'If' || c.t === 'Try') visit([c]);
      }
    }
  };
  visit(mod.body);
  return m;
}

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

export function makeContext(facts: FileFacts, meta: RuleMeta, sink: Finding[]): LintContext {
  return new RuleContext(facts, meta, sink);
}

/** The context of one rule on one file (methods on the prototype: one small object per rule run). */
class RuleContext implements LintContext {
  constructor(private readonly file: FileFacts, private readonly meta: RuleMeta, private readonly sink: Finding[]) {}

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

  qualifiedName(n: Node): string | undefined {
    return qualifiedName(this.file.imports, n);
  }

  walk(visit: (node: Node, ancestors: readonly Node[]) => void, types?: readonly Node['t'][]): void {
    walkTree(this.file.module.body, visit, undefined, undefined, types);
  }

  rangeOf(n: { line: number; col: number; endLine: number; endCol: number }): Range {
    return rangeOf(n);
  }

  report(r: Report): void {
    const range = r.range ?? (r.node ? rangeOf(r.node) : { line: 0, character: 0, endLine: 0, endCharacter: 0 });
    this.sink.push({ code: this.meta.code, severity: r.severity ?? this.meta.severity, message: r.message, range, related: r.related, fix: r.fix });
  }
}
