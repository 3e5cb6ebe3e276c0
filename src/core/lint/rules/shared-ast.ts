// Syntax-tree helpers shared by the DL2xx / DL3xx / DL5xx rules: call arguments, literal
// values, lexical scopes walked in source order, reaching assignments, and the small text
// edits the quick fixes need (insert a keyword, delete a keyword, rename a keyword).

import type { Arg, Node, NodeOf } from '../../python/ast';
import { walkTree } from '../context';
import { walkAll } from '../facts';
import type { LintContext, TextEdit } from '../types';
import type { Range } from '../../summary/types';

export type Call = NodeOf<'Call'>;
export type FunctionDef = NodeOf<'FunctionDef'>;
export type ClassDef = NodeOf<'ClassDef'>;

/** A function body or the module body: the unit of flow for the rules. */
export interface Scope {
  body: Node[];
  fn?: FunctionDef;
  /** The class a method belongs to. */
  cls?: ClassDef;
}

export function kwArg(call: Call, name: string): Node | undefined {
  for (const a of call.args) if (a.kind === 'kw' && a.name === name) return a.value;
  return undefined;
}

export function posArg(call: Call, i: number): Node | undefined {
  let k = 0;
  for (const a of call.args) {
    if (a.kind === 'star') return undefined;
    if (a.kind === 'pos') {
      if (k === i) return a.value;
      k++;
    }
  }
  return undefined;
}

/** The argument given by keyword `name` or else at position `i`. */
export function argOf(call: Call, name: string, i: number): Node | undefined {
  return kwArg(call, name) ?? (i >= 0 ? posArg(call, i) : undefined);
}

/** `*args` / `**kwargs` present: any keyword may be hidden in them. */
export function hasSplat(call: Call): boolean {
  return call.args.some((a) => a.kind === 'star' || a.kind === 'dstar');
}

export function strOf(n: Node | undefined): string | undefined {
  return n && n.t === 'Str' ? n.v : undefined;
}

export function numOf(n: Node | undefined): number | undefined {
  if (!n) return undefined;
  if (n.t === 'Num') return n.v;
  if (n.t === 'UnaryOp' && n.op === '-' && n.operand.t === 'Num') return -n.operand.v;
  return undefined;
}

/**
 * A number the code fixes: a literal, or a name bound once at module level to one
 * (`EMBED = 256`, `E, H = 100, 8`), folded through + - * // and /. Undefined when `fn` (the
 * function the use is in) binds the name itself, or when any part is not such a number.
 */
export function constNumber(ctx: LintContext, n: Node | undefined, fn?: Node, depth = 0): number | undefined {
  const lit = numOf(n);
  if (lit !== undefined || !n || depth > 8) return lit;
  if (n.t === 'Name') {
    const local = fn ? ctx.facts.bindingsOf(fn).get(n.id) : undefined;
    if (local) {
      // A parameter the function never rebinds: its default (`def __init__(self, d_model=300)`),
      // read in the enclosing scope, is the value the catalogue checks (callers may pass others).
      if (local.length !== 1 || local[0].how !== 'param' || fn!.t !== 'FunctionDef') return undefined;
      const p = fn!.params.find((x) => x.name === n.id);
      return p?.default && !p.star ? constNumber(ctx, p.default, undefined, depth + 1) : undefined;
    }
    const b = ctx.facts.soleBinding(n.id, undefined);
    if (!b || b.how !== 'assign') return undefined;
    if (b.value) return constNumber(ctx, b.value, undefined, depth + 1);
    const st = b.stmt;
    if (st.t !== 'Assign' || st.targets.length !== 1) return undefined;
    const t = st.targets[0];
    const v = st.value;
    if ((t.t !== 'Tuple' && t.t !== 'List') || (v.t !== 'Tuple' && v.t !== 'List') || t.elts.length !== v.elts.length) return undefined;
    const i = t.elts.findIndex((e) => e.t === 'Name' && e.id === n.id);
    return i >= 0 ? constNumber(ctx, v.elts[i], undefined, depth + 1) : undefined;
  }
  if (n.t === 'Subscript' && n.index.t === 'Str') {
    // `CFG["dim"]`: a key of a dict literal bound once at top level and never changed in place
    // (read directly, or through a parameter whose default names it).
    const d = constDict(ctx, n.obj, fn);
    const key = n.index.v;
    if (!d) return undefined;
    const hits = d.keys.map((k, i) => (k && k.t === 'Str' && k.v === key ? i : -1)).filter((i) => i >= 0);
    // A `**other` entry might override the key.
    if (hits.length !== 1 || d.keys.some((k) => k === null)) return undefined;
    return constNumber(ctx, d.values[hits[0]], undefined, depth + 1);
  }
  if (n.t === 'BinOp') {
    const a = constNumber(ctx, n.left, fn, depth + 1);
    const b = constNumber(ctx, n.right, fn, depth + 1);
    if (a === undefined || b === undefined) return undefined;
    switch (n.op) {
      case '+': return a + b;
      case '-': return a - b;
      case '*': return a * b;
      case '//': return b === 0 ? undefined : Math.floor(a / b);
      case '/': return b === 0 ? undefined : a / b;
      default: return undefined;
    }
  }
  return undefined;
}

/** The dict literal a name holds: bound once at top level (or a parameter's default naming it), and nowhere subscript-assigned, deleted from or changed by a method. */
function constDict(ctx: LintContext, n: Node, fn?: Node): NodeOf<'Dict'> | undefined {
  if (n.t !== 'Name') return undefined;
  let name = n.id;
  const local = fn ? ctx.facts.bindingsOf(fn).get(name) : undefined;
  if (local) {
    if (local.length !== 1 || local[0].how !== 'param' || fn!.t !== 'FunctionDef') return undefined;
    const p = fn!.params.find((x) => x.name === name);
    if (!p?.default || p.star || p.default.t !== 'Name') return undefined;
    name = p.default.id;
  }
  const b = ctx.facts.soleBinding(name, undefined);
  if (!b || b.how !== 'assign' || !b.value || b.value.t !== 'Dict') return undefined;
  let changed = false;
  walkAll(ctx.module.body, (x) => {
    const targets = x.t === 'Assign' ? x.targets : x.t === 'AugAssign' || x.t === 'AnnAssign' ? [x.target] : x.t === 'Delete' ? x.targets : [];
    for (const t of targets) if (t.t === 'Subscript' && t.obj.t === 'Name' && t.obj.id === name) changed = true;
    if (x.t === 'Call' && x.fn.t === 'Attr' && x.fn.obj.t === 'Name' && x.fn.obj.id === name && /^(update|pop|setdefault|clear|popitem)$/.test(x.fn.attr)) changed = true;
  });
  return changed ? undefined : b.value;
}

export function isConst(n: Node | undefined, v: boolean | null): boolean {
  return !!n && n.t === 'Const' && n.v === v;
}

/** The method name of `recv.method(...)`. */
export function methodName(call: Call): string | undefined {
  return call.fn.t === 'Attr' ? call.fn.attr : undefined;
}

export function receiver(call: Call): Node | undefined {
  return call.fn.t === 'Attr' ? call.fn.obj : undefined;
}

export function nameOf(n: Node | undefined): string | undefined {
  return n && n.t === 'Name' ? n.id : undefined;
}

/** Walks nodes depth-first (with ancestors) without entering nested functions or classes. */
export function walkLocal(nodes: readonly Node[], visit: (n: Node, ancestors: readonly Node[]) => void, ancestors: Node[] = []): void {
  walkTree(nodes, visit, isDefinition, ancestors);
}

const isDefinition = (n: Node): boolean => n.t === 'FunctionDef' || n.t === 'ClassDef';

/** Walks everything under the nodes, nested definitions included (the lint facts' walker). */
export { walkAll };

/** The module scope and every function (methods and nested functions included). */
export function scopesOf(ctx: LintContext): Scope[] {
  const out: Scope[] = [{ body: ctx.module.body }];
  const visit = (body: Node[], cls?: ClassDef) => {
    walkLocal(body, (n) => {
      if (n.t === 'FunctionDef') {
        out.push({ body: n.body, fn: n, cls });
        visit(n.body);
      } else if (n.t === 'ClassDef') visit(n.body, n);
    });
  };
  visit(ctx.module.body);
  return out;
}

/** Names bound by an assignment target (tuples unpacked). */
export function targetNames(t: Node): string[] {
  if (t.t === 'Name') return [t.id];
  if (t.t === 'Tuple' || t.t === 'List') return t.elts.flatMap(targetNames);
  if (t.t === 'Starred') return targetNames(t.value);
  return [];
}

export interface Binding {
  name: string;
  /** The assigned expression; undefined when bound by unpacking, a loop, a with-item or an import. */
  value?: Node;
  /** The statement (or expression) that binds. */
  stmt: Node;
  line: number;
  /** For unpacking: the position of the name inside the target tuple (flattened, one level). */
  unpackIndex?: number[];
}

/** bindingsIn's result per body (the tree is never changed; a re-parse makes new bodies). */
const BINDINGS = new WeakMap<readonly Node[], readonly Binding[]>();

/** Every binding of a local name in a scope, in source order (worked out once per body). */
export function bindingsIn(body: readonly Node[]): readonly Binding[] {
  const cached = BINDINGS.get(body);
  if (cached) return cached;
  const out: Binding[] = [];
  BINDINGS.set(body, out);
  const bindTarget = (t: Node, stmt: Node, value: Node | undefined, path: number[] = []) => {
    if (t.t === 'Name') out.push({ name: t.id, value: path.length ? undefined : value, stmt, line: stmt.line, unpackIndex: path.length ? path : undefined });
    else if (t.t === 'Tuple' || t.t === 'List') t.elts.forEach((e, i) => bindTarget(e, stmt, value, [...path, i]));
    else if (t.t === 'Starred') bindTarget(t.value, stmt, undefined, [...path, -1]);
  };
  walkLocal(body, (n) => {
    if (n.t === 'Assign') {
      for (const t of n.targets) bindTarget(t, n, n.value);
    }
    else if (n.t === 'AnnAssign' && n.value) bindTarget(n.target, n, n.value);
    else if (n.t === 'AugAssign') bindTarget(n.target, n, undefined, [-2]);
    else if (n.t === 'For') bindTarget(n.target, n, undefined, [-3]);
    else if (n.t === 'With') {
      for (const it of n.items) if (it.target) bindTarget(it.target, n, undefined, [-4]);
    }
    else if (n.t === 'NamedExpr') bindTarget(n.target, n, n.value);
    else if (n.t === 'Comp') {
      for (const g of n.gens) bindTarget(g.target, n, undefined, [-5]);
    }
    else if (n.t === 'FunctionDef' || n.t === 'ClassDef') out.push({ name: n.name, stmt: n, line: n.line });
    else if (n.t === 'Import' || n.t === 'ImportFrom') {
      for (const x of n.names) out.push({ name: x.asname ?? x.name.split('.')[0], stmt: n, line: n.line });
    }
  });
  return out;
}

/** The last binding of `name` that starts before `line` (the reaching definition in straight-line code). */
export function lastBindingBefore(bindings: readonly Binding[], name: string, line: number): Binding | undefined {
  let best: Binding | undefined;
  for (const b of bindings) if (b.name === name && b.line < line && (!best || b.line >= best.line)) best = b;
  return best;
}

/** The value bound to `name` just before `line`: looked up in the scope, then at module level for globals. */
export function valueBefore(ctx: LintContext, scope: Scope, name: string, line: number): Node | undefined {
  const local = bindingsIn(scope.body);
  const b = lastBindingBefore(local, name, line);
  if (b) return b.value;
  if (!scope.fn) return undefined;
  if (scope.fn.params.some((p) => p.name === name)) return undefined;
  if (local.some((x) => x.name === name)) return undefined;
  const global = bindingsIn(ctx.module.body).filter((x) => x.name === name && x.stmt.t !== 'FunctionDef');
  // A global read inside a function: only trust a name bound exactly once at module level.
  return global.length === 1 ? global[0].value : undefined;
}

export function isInside(n: Node, outer: Node): boolean {
  return (n.line > outer.line || (n.line === outer.line && n.col >= outer.col)) && (n.endLine < outer.endLine || (n.endLine === outer.endLine && n.endCol <= outer.endCol));
}

/** Names read anywhere in an expression. */
export function namesIn(n: Node): Set<string> {
  const out = new Set<string>();
  walkAll([n], (x) => {
    if (x.t === 'Name') out.add(x.id);
  });
  return out;
}

/** The local name the file uses for a canonical module path (`tf` for `tensorflow`), if imported. */
export function aliasFor(ctx: LintContext, canonical: string): string | undefined {
  for (const [local, path] of ctx.imports) if (path === canonical) return local;
  return undefined;
}

/** A spelling of `keras.<rest>` valid in this file (`keras.losses.X`, `tf.keras.losses.X`, `losses.X`). */
export function kerasSpelling(ctx: LintContext, rest: string): string | undefined {
  const parts = rest.split('.');
  for (let i = parts.length - 1; i >= 1; i--) {
    const a = aliasFor(ctx, ['keras', ...parts.slice(0, i)].join('.'));
    if (a) return [a, ...parts.slice(i)].join('.');
  }
  const k = aliasFor(ctx, 'keras');
  if (k) return `${k}.${rest}`;
  const tf = aliasFor(ctx, 'tensorflow');
  if (tf) return `${tf}.keras.${rest}`;
  return undefined;
}

/** Text of a node as written. */
export function textOf(ctx: LintContext, n: Node): string {
  if (n.line === n.endLine) return ctx.lines[n.line]?.slice(n.col, n.endCol) ?? '';
  const parts = [ctx.lines[n.line]?.slice(n.col) ?? ''];
  for (let l = n.line + 1; l < n.endLine; l++) parts.push(ctx.lines[l] ?? '');
  parts.push(ctx.lines[n.endLine]?.slice(0, n.endCol) ?? '');
  return parts.join('\n');
}

export function replaceEdit(n: { line: number; col: number; endLine: number; endCol: number }, newText: string): TextEdit {
  return { range: { line: n.line, character: n.col, endLine: n.endLine, endCharacter: n.endCol }, newText };
}

/** Inserts `text` (e.g. `training=True`) as the last argument of a call; undefined if the closing paren is not where expected. */
export function insertArgEdit(ctx: LintContext, call: Call, text: string): TextEdit | undefined {
  const line = ctx.lines[call.endLine] ?? '';
  if (line[call.endCol - 1] !== ')') return undefined;
  const at = { line: call.endLine, character: call.endCol - 1, endLine: call.endLine, endCharacter: call.endCol - 1 };
  if (!call.args.length) return { range: at, newText: text };
  const last = call.args[call.args.length - 1].value;
  // Keep a trailing comma layout intact: `f(a, b,)` -> `f(a, b, text,)` is avoided by inserting after the last value.
  return { range: { line: last.endLine, character: last.endCol, endLine: last.endLine, endCharacter: last.endCol }, newText: `, ${text}` };
}

/** The range of the keyword name in `name=value` (found just before the value). */
export function kwNameRange(ctx: LintContext, call: Call, name: string): { line: number; col: number; endLine: number; endCol: number } | undefined {
  const v = kwArg(call, name);
  if (!v) return undefined;
  const line = ctx.lines[v.line] ?? '';
  const before = line.slice(0, v.col);
  const m = new RegExp(`\\b${name}\\s*=\\s*$`).exec(before);
  if (!m) return undefined;
  return { line: v.line, col: m.index, endLine: v.line, endCol: m.index + name.length };
}

/** Deletes the keyword argument `name=value` together with its separating comma. */
export function deleteKwEdit(ctx: LintContext, call: Call, name: string): TextEdit | undefined {
  const idx = call.args.findIndex((a) => a.kind === 'kw' && a.name === name);
  if (idx < 0) return undefined;
  const nameR = kwNameRange(ctx, call, name);
  if (!nameR) return undefined;
  const arg = call.args[idx] as Extract<Arg, { kind: 'kw' }>;
  if (idx > 0) {
    const prev = call.args[idx - 1].value;
    return { range: { line: prev.endLine, character: prev.endCol, endLine: arg.value.endLine, endCharacter: arg.value.endCol }, newText: '' };
  }
  if (call.args.length > 1) {
    const next = call.args[1];
    const start = next.kind === 'kw' ? kwNameRange(ctx, call, next.name) : next.value;
    if (!start) return undefined;
    return { range: { line: nameR.line, character: nameR.col, endLine: start.line, endCharacter: start.col }, newText: '' };
  }
  return { range: { line: nameR.line, character: nameR.col, endLine: arg.value.endLine, endCharacter: arg.value.endCol }, newText: '' };
}

/** Whether a node sits in the body of a loop (for / while / comprehension) that is itself inside `within`. */
export function loopAncestor(ancestors: readonly Node[]): Node | undefined {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i];
    if (a.t === 'FunctionDef' || a.t === 'ClassDef' || a.t === 'Lambda') return undefined;
    if (a.t === 'For' || a.t === 'While' || a.t === 'Comp') return a;
  }
  return undefined;
}

/** The qualified callee of a call, or undefined. */
export function calleeOf(ctx: LintContext, n: Node): string | undefined {
  return n.t === 'Call' ? ctx.qualifiedName(n.fn) : undefined;
}

/** Whether the file imports anything from the named top-level packages. */
export function importsAny(ctx: LintContext, roots: readonly string[]): boolean {
  for (const p of ctx.imports.values()) if (roots.some((r) => p === r || p.startsWith(`${r}.`))) return true;
  return false;
}

/** Formats a number the way it would be written in Python source. */
export function pyNumber(v: number): string {
  const r = Number(v.toFixed(10));
  return Number.isInteger(r) ? `${r}.0` : String(r);
}

/**
 * The range of a method call from its name to its end: in a chain written over several lines
 * (`tf.data.Dataset.from_tensor_slices(x)\n    .batch(32)\n    .shuffle(256)`) the call's own
 * range starts at the chain's first line, the method's at its own. The whole call when the
 * name is not found after the receiver.
 */
export function methodRange(ctx: LintContext, call: Call): Range {
  const whole = ctx.rangeOf(call);
  const fn = call.fn;
  if (fn.t !== 'Attr') return whole;
  let line = fn.obj.endLine;
  let col = fn.obj.endCol;
  let dot = false;
  for (let guard = 0; guard < 10_000; guard++) {
    const text = ctx.lines[line];
    if (text === undefined) return whole;
    if (col >= text.length || text[col] === '#') {
      line++;
      col = 0;
      continue;
    }
    const c = text[col];
    if (c === ' ' || c === '\t' || c === '\\' || c === '\r') col++;
    else if (c === '.' && !dot) {
      dot = true;
      col++;
    } else if (dot && text.startsWith(fn.attr, col)) return { line, character: col, endLine: whole.endLine, endCharacter: whole.endCharacter };
    else return whole;
  }
  return whole;
}
