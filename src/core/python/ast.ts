// A compact Python AST built once from the tree-sitter tree. The interpreter walks
// these plain objects (fast, no WASM calls); ERROR and unsupported nodes become
// `Unsupported` so that a half-typed file still yields the parts that parse.
// Positions are 0-based (line, column), the core's one coordinate system.

import type { Node as TSNode, Tree } from 'web-tree-sitter';

export interface Pos {
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

export type Arg =
  | { kind: 'pos'; value: Node }
  | { kind: 'star'; value: Node }
  | { kind: 'kw'; name: string; value: Node }
  | { kind: 'dstar'; value: Node };

export interface Param {
  name: string;
  default?: Node;
  star?: '*' | '**';
  kwOnly?: boolean;
}

/** A `case` pattern. Values (literals, dotted names, negative numbers) are expressions compared with ==. */
export type Pattern =
  | { p: 'wild' }
  | { p: 'capture'; name: string }
  | { p: 'value'; value: Node }
  | { p: 'seq'; items: Pattern[]; star?: { at: number; name: string | null } }
  | { p: 'map'; keys: Node[]; vals: Pattern[]; rest?: string }
  | { p: 'class'; cls: Node; args: Pattern[]; kw: Array<{ name: string; pat: Pattern }> }
  | { p: 'or'; alts: Pattern[] }
  | { p: 'as'; pat: Pattern; name: string }
  | { p: 'bad'; what: string };

export interface Comprehension {
  target: Node;
  iter: Node;
  ifs: Node[];
}

export type Node = Pos &
  (
    | { t: 'Name'; id: string }
    | { t: 'Num'; v: number; isInt: boolean }
    | { t: 'Str'; v: string }
    | { t: 'FStr'; parts: Array<string | Node> }
    | { t: 'Const'; v: boolean | null }
    | { t: 'Ellipsis' }
    | { t: 'Attr'; obj: Node; attr: string; attrPos: Pos }
    | { t: 'Subscript'; obj: Node; index: Node }
    | { t: 'Slice'; start?: Node; stop?: Node; step?: Node }
    | { t: 'Call'; fn: Node; args: Arg[] }
    | { t: 'BinOp'; op: string; left: Node; right: Node }
    | { t: 'UnaryOp'; op: string; operand: Node }
    | { t: 'BoolOp'; op: 'and' | 'or'; left: Node; right: Node }
    | { t: 'Compare'; ops: string[]; operands: Node[] }
    | { t: 'IfExp'; test: Node; body: Node; orelse: Node }
    | { t: 'Tuple'; elts: Node[] }
    | { t: 'List'; elts: Node[] }
    | { t: 'Set'; elts: Node[] }
    | { t: 'Dict'; keys: Array<Node | null>; values: Node[] }
    | { t: 'Starred'; value: Node }
    | { t: 'Lambda'; params: Param[]; body: Node }
    | { t: 'Comp'; kind: 'list' | 'gen' | 'set' | 'dict'; elt: Node; key?: Node; gens: Comprehension[] }
    | { t: 'NamedExpr'; target: Node; value: Node }
    // `yield x` / `yield` / `yield from xs` (a generator function's body; Interp runs it to the end, collecting)
    | { t: 'Yield'; value?: Node; from: boolean }
    // A `match` statement's case (`if <MatchTest> [and guard]` chain): the subject (evaluated by the first case and kept
    // under `store`, read back by the others) matched against a pattern, binding its capture names.
    | { t: 'MatchTest'; subject: Node; pat: Pattern; store: string; reuse?: boolean }
    // statements
    | { t: 'Expr'; value: Node }
    | { t: 'Assign'; targets: Node[]; value: Node }
    | { t: 'AugAssign'; target: Node; op: string; value: Node }
    | { t: 'AnnAssign'; target: Node; value?: Node }
    | { t: 'Return'; value?: Node }
    | { t: 'If'; test: Node; body: Node[]; orelse: Node[] }
    | { t: 'For'; target: Node; iter: Node; body: Node[]; orelse: Node[] }
    | { t: 'While'; test: Node; body: Node[]; orelse: Node[] }
    | { t: 'FunctionDef'; name: string; params: Param[]; body: Node[]; decorators: Node[]; namePos: Pos }
    | { t: 'ClassDef'; name: string; bases: Arg[]; body: Node[]; decorators: Node[]; namePos: Pos }
    | { t: 'Import'; names: Array<{ name: string; asname?: string }> }
    | { t: 'ImportFrom'; module: string; level: number; names: Array<{ name: string; asname?: string }> }
    | { t: 'Pass' }
    | { t: 'Break' }
    | { t: 'Continue' }
    | { t: 'Raise' }
    | { t: 'Try'; body: Node[]; handlers: Node[][]; orelse: Node[]; finalbody: Node[] }
    | { t: 'With'; items: Array<{ expr: Node; target?: Node }>; body: Node[] }
    | { t: 'Global'; names: string[]; nonlocal?: boolean }
    | { t: 'Delete'; targets: Node[] }
    | { t: 'Unsupported'; what: string }
  );

export type NodeOf<T extends Node['t']> = Extract<Node, { t: T }>;

export interface Module {
  body: Node[];
  /** Ranges of ERROR / MISSING nodes. */
  errors: Pos[];
  /** Comments with their 0-based line, for directives and `# noqa`. */
  comments: Array<{ line: number; col: number; text: string }>;
}

/** The first line of a statement, its decorators included. */
export function statementStartLine(n: Node): number {
  let line = n.line;
  if (n.t === 'FunctionDef' || n.t === 'ClassDef') for (const d of n.decorators) line = Math.min(line, d.line);
  return line;
}

function pos(n: TSNode): Pos {
  return { line: n.startPosition.row, col: n.startPosition.column, endLine: n.endPosition.row, endCol: n.endPosition.column };
}

const MAX_DEPTH = 400;

/** Converts a tree-sitter tree to the AST. Never throws; deep nesting past MAX_DEPTH becomes Unsupported. */
export function toModule(tree: Tree): Module {
  const errors: Pos[] = [];
  const comments: Module['comments'] = [];
  const conv = new Converter();
  const root = tree.rootNode;
  const body = conv.block(root);
  // Comments and errors anywhere in the file (the converter only visits statements).
  collectExtras(root, errors, comments);
  return { body, errors, comments };
}

function collectExtras(root: TSNode, errors: Pos[], comments: Module['comments']): void {
  for (const c of root.descendantsOfType('comment')) if (c) comments.push({ line: c.startPosition.row, col: c.startPosition.column, text: c.text });
  if (!root.hasError) return;
  // Only subtrees that contain an error are walked, looking for ERROR and MISSING nodes.
  const stack: TSNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'ERROR' || n.isMissing) {
      errors.push(pos(n));
      continue;
    }
    for (const c of n.children) if (c && c.hasError) stack.push(c);
    for (const c of n.children) if (c && c.isMissing) errors.push(pos(c));
  }
  errors.sort((x, y) => x.line - y.line || x.col - y.col);
}

class Converter {
  private depth = 0;

  block(n: TSNode | null): Node[] {
    if (!n) return [];
    const out: Node[] = [];
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (c.type === 'comment') continue;
      const s = this.stmt(c);
      if (s) out.push(s);
    }
    return out;
  }

  private un(n: TSNode, what: string): Node {
    return { t: 'Unsupported', what, ...pos(n) };
  }

  stmt(n: TSNode): Node | null {
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      return this.un(n, 'nesting too deep');
    }
    try {
      return this.stmtInner(n);
    } finally {
      this.depth--;
    }
  }

  private stmtInner(n: TSNode): Node | null {
    const p = pos(n);
    switch (n.type) {
      case 'expression_statement': {
        const c = n.namedChild(0);
        if (!c) return null;
        if (c.type === 'assignment') return this.assignment(c, p);
        if (c.type === 'augmented_assignment') {
          const op = c.childForFieldName('operator')?.type ?? '+=';
          return { t: 'AugAssign', target: this.expr(c.childForFieldName('left')), op: op.slice(0, -1), value: this.expr(c.childForFieldName('right')), ...p };
        }
        const kids = n.namedChildren.filter(nn);
        if (kids.length > 1) return { t: 'Expr', value: { t: 'Tuple', elts: kids.map((x) => this.expr(x)), ...p }, ...p };
        return { t: 'Expr', value: this.expr(c), ...p };
      }
      case 'return_statement': {
        const c = n.namedChildren.find((x) => nn(x) && x.type !== 'comment') ?? null;
        return { t: 'Return', value: c ? this.expr(c) : undefined, ...p };
      }
      case 'if_statement': {
        const test = this.expr(n.childForFieldName('condition'));
        const body = this.block(n.childForFieldName('consequence'));
        const alts = n.childrenForFieldName('alternative').filter(nn);
        return { t: 'If', test, body, orelse: this.elseChain(alts, 0), ...p };
      }
      case 'for_statement':
        return {
          t: 'For', target: this.expr(n.childForFieldName('left')), iter: this.expr(n.childForFieldName('right')),
          body: this.block(n.childForFieldName('body')), orelse: this.block(n.childForFieldName('alternative')?.childForFieldName('body') ?? null), ...p,
        };
      case 'while_statement':
        return {
          t: 'While', test: this.expr(n.childForFieldName('condition')), body: this.block(n.childForFieldName('body')),
          orelse: this.block(n.childForFieldName('alternative')?.childForFieldName('body') ?? null), ...p,
        };
      case 'function_definition':
        return this.funcDef(n, []);
      case 'class_definition':
        return this.classDef(n, []);
      case 'decorated_definition': {
        const decorators = n.namedChildren.filter((c): c is TSNode => !!c && c.type === 'decorator').map((d) => this.expr(d.namedChild(0)));
        const def = n.childForFieldName('definition');
        if (!def) return null;
        if (def.type === 'class_definition') return this.classDef(def, decorators);
        return this.funcDef(def, decorators);
      }
      case 'import_statement': {
        const names = n.childrenForFieldName('name').filter(nn).map((c) =>
          c.type === 'aliased_import' ? { name: c.childForFieldName('name')?.text ?? '', asname: c.childForFieldName('alias')?.text } : { name: c.text });
        return { t: 'Import', names, ...p };
      }
      case 'import_from_statement': {
        const modNode = n.childForFieldName('module_name');
        let level = 0;
        let module = '';
        if (modNode) {
          if (modNode.type === 'relative_import') {
            const prefix = modNode.namedChildren.find((c) => c?.type === 'import_prefix');
            level = prefix ? prefix.text.length : 0;
            module = modNode.namedChildren.find((c) => c?.type === 'dotted_name')?.text ?? '';
          } else module = modNode.text;
        }
        const names: Array<{ name: string; asname?: string }> = [];
        if (n.namedChildren.some((c) => c?.type === 'wildcard_import')) names.push({ name: '*' });
        for (const c of n.childrenForFieldName('name')) {
          if (!c) continue;
          if (c.type === 'aliased_import') names.push({ name: c.childForFieldName('name')?.text ?? '', asname: c.childForFieldName('alias')?.text });
          else names.push({ name: c.text });
        }
        return { t: 'ImportFrom', module, level, names, ...p };
      }
      case 'pass_statement':
        return { t: 'Pass', ...p };
      case 'break_statement':
        return { t: 'Break', ...p };
      case 'continue_statement':
        return { t: 'Continue', ...p };
      case 'raise_statement':
        return { t: 'Raise', ...p };
      case 'try_statement': {
        const handlers: Node[][] = [];
        let orelse: Node[] = [];
        let finalbody: Node[] = [];
        for (const c of n.namedChildren) {
          if (!c) continue;
          if (c.type === 'except_clause' || c.type === 'except_group_clause') handlers.push(this.block(c.namedChildren.find((x) => x?.type === 'block') ?? null));
          else if (c.type === 'else_clause') orelse = this.block(c.childForFieldName('body'));
          else if (c.type === 'finally_clause') finalbody = this.block(c.namedChildren.find((x) => x?.type === 'block') ?? null);
        }
        return { t: 'Try', body: this.block(n.childForFieldName('body')), handlers, orelse, finalbody, ...p };
      }
      case 'with_statement': {
        const items: Array<{ expr: Node; target?: Node }> = [];
        const clause = n.namedChildren.find((c) => c?.type === 'with_clause');
        for (const item of clause?.namedChildren ?? []) {
          if (!item || item.type !== 'with_item') continue;
          const v = item.childForFieldName('value');
          if (v && v.type === 'as_pattern') {
            const target = v.namedChildren.find((c) => c?.type === 'as_pattern_target');
            items.push({ expr: this.expr(v.namedChild(0)), target: target ? this.expr(target.namedChild(0)) : undefined });
          } else items.push({ expr: this.expr(v) });
        }
        return { t: 'With', items, body: this.block(n.childForFieldName('body')), ...p };
      }
      case 'global_statement':
        return { t: 'Global', names: n.namedChildren.filter(nn).map((c) => c.text), ...p };
      case 'nonlocal_statement':
        return { t: 'Global', names: n.namedChildren.filter(nn).map((c) => c.text), nonlocal: true, ...p };
      case 'delete_statement':
        return { t: 'Delete', targets: n.namedChildren.filter(nn).map((c) => this.expr(c)), ...p };
      case 'assert_statement':
      case 'print_statement':
      case 'exec_statement':
      case 'future_import_statement':
      case 'type_alias_statement':
        return { t: 'Pass', ...p };
      case 'match_statement':
        return this.matchStmt(n, p);
      case 'ERROR':
        return null;
      default:
        return this.un(n, n.type);
    }
  }

  /**
   * `match subject: case ...` as an if / elif chain of MatchTest conditions (the subject
   * evaluated once, by the first), each `and` its guard: the interpreter, the lint walkers
   * and the rest see an ordinary `if`.
   */
  private matchStmt(n: TSNode, p: Pos): Node {
    const subject = this.expr(n.childForFieldName('subject'));
    const store = `__match_${p.line}_${p.col}`;
    const clauses = (n.childForFieldName('body')?.namedChildren ?? []).filter((c): c is TSNode => !!c && c.type === 'case_clause');
    let chain: Node[] = [];
    for (let i = clauses.length - 1; i >= 0; i--) {
      const c = clauses[i];
      const cp = pos(c);
      const pats = c.namedChildren.filter((x): x is TSNode => !!x && x.type === 'case_pattern');
      const pat: Pattern = pats.length === 1 ? this.pattern(pats[0]) : { p: 'seq', ...this.seqItems(pats) };
      let test: Node = { t: 'MatchTest', subject: i === 0 ? subject : { t: 'Name', id: store, ...cp }, pat, store, reuse: i > 0, ...cp };
      const guard = c.childForFieldName('guard');
      if (guard) test = { t: 'BoolOp', op: 'and', left: test, right: this.expr(guard.namedChildren.find(nn) ?? null), ...cp };
      chain = [{ t: 'If', test, body: this.block(c.childForFieldName('consequence')), orelse: chain, ...cp }];
    }
    return chain[0] ?? { t: 'Pass', ...p };
  }

  private seqItems(kids: TSNode[]): { items: Pattern[]; star?: { at: number; name: string | null } } {
    const items: Pattern[] = [];
    let star: { at: number; name: string | null } | undefined;
    for (const k of kids) {
      const inner = k.type === 'case_pattern' && k.namedChildCount === 1 ? k.namedChild(0)! : k;
      if (inner.type === 'splat_pattern') {
        const id = inner.namedChildren.find((x) => x?.type === 'identifier')?.text ?? null;
        star = { at: items.length, name: id === '_' ? null : id };
      } else items.push(this.pattern(k));
    }
    return { items, star };
  }

  /** A case pattern (tree-sitter's shapes: case_pattern wrappers, `-` and a number as siblings in a union). */
  private pattern(n: TSNode | null): Pattern {
    if (!n) return { p: 'bad', what: 'missing pattern' };
    switch (n.type) {
      case 'case_pattern': {
        const kids = n.children.filter((x): x is TSNode => !!x);
        if (kids.length === 1 && kids[0].type === '_') return { p: 'wild' };
        if (kids.length === 1) return this.pattern(kids[0]);
        if (kids.length === 2 && kids[0].type === '-') return { p: 'value', value: { t: 'UnaryOp', op: '-', operand: this.expr(kids[1]), ...pos(n) } };
        return { p: 'bad', what: n.text };
      }
      case '_':
        return { p: 'wild' };
      case 'dotted_name': {
        const ids = n.namedChildren.filter(nn);
        if (ids.length === 1) return ids[0].text === '_' ? { p: 'wild' } : { p: 'capture', name: ids[0].text };
        let e: Node = { t: 'Name', id: ids[0].text, ...pos(ids[0]) };
        for (const id of ids.slice(1)) e = { t: 'Attr', obj: e, attr: id.text, attrPos: pos(id), ...pos(n) };
        return { p: 'value', value: e };
      }
      case 'string': case 'concatenated_string': case 'integer': case 'float': case 'none': case 'true': case 'false':
        return { p: 'value', value: this.expr(n) };
      case 'tuple_pattern': case 'list_pattern':
        return { p: 'seq', ...this.seqItems(n.namedChildren.filter(nn)) };
      case 'union_pattern': {
        const alts: Pattern[] = [];
        const kids = n.children.filter((x): x is TSNode => !!x && x.type !== '|');
        for (let i = 0; i < kids.length; i++) {
          if (kids[i].type === '-' && kids[i + 1]) {
            alts.push({ p: 'value', value: { t: 'UnaryOp', op: '-', operand: this.expr(kids[i + 1]), ...pos(kids[i + 1]) } });
            i++;
          } else alts.push(this.pattern(kids[i]));
        }
        return { p: 'or', alts };
      }
      case 'as_pattern': {
        const inner = n.namedChildren.find((x) => x?.type === 'case_pattern') ?? null;
        const name = n.namedChildren.filter(nn).filter((x) => x.type === 'identifier').pop()?.text;
        return name ? { p: 'as', pat: this.pattern(inner), name } : { p: 'bad', what: n.text };
      }
      case 'dict_pattern': {
        const keys: Node[] = [];
        const vals: Pattern[] = [];
        let rest: string | undefined;
        const ks = n.childrenForFieldName('key');
        const vs = n.childrenForFieldName('value');
        for (let i = 0; i < ks.length; i++) {
          const k = ks[i];
          if (!k) continue;
          keys.push(k.type === 'case_pattern' ? (this.pattern(k) as { value?: Node }).value ?? this.un(k, k.text) : this.expr(k));
          vals.push(this.pattern(vs[i] ?? null));
        }
        const splat = n.namedChildren.find((x) => x?.type === 'splat_pattern');
        if (splat) rest = splat.namedChildren.find((x) => x?.type === 'identifier')?.text;
        return { p: 'map', keys, vals, rest };
      }
      case 'class_pattern': {
        const kids = n.namedChildren.filter(nn);
        const cls = this.pattern(kids[0]);
        const clsNode: Node = cls.p === 'value' ? cls.value : cls.p === 'capture' ? { t: 'Name', id: cls.name, ...pos(kids[0]) } : this.un(kids[0], kids[0].text);
        const args: Pattern[] = [];
        const kw: Array<{ name: string; pat: Pattern }> = [];
        for (const k of kids.slice(1)) {
          const inner = k.type === 'case_pattern' && k.namedChildCount === 1 ? k.namedChild(0)! : k;
          if (inner.type === 'keyword_pattern') {
            const parts = inner.namedChildren.filter(nn);
            kw.push({ name: parts[0].text, pat: this.pattern(parts[1] ?? null) });
          } else args.push(this.pattern(k));
        }
        return { p: 'class', cls: clsNode, args, kw };
      }
      default:
        return { p: 'bad', what: n.type };
    }
  }

  private elseChain(alts: TSNode[], i: number): Node[] {
    const a = alts[i];
    if (!a) return [];
    if (a.type === 'else_clause') return this.block(a.childForFieldName('body'));
    // elif_clause
    return [{ t: 'If', test: this.expr(a.childForFieldName('condition')), body: this.block(a.childForFieldName('consequence')), orelse: this.elseChain(alts, i + 1), ...pos(a) }];
  }

  private assignment(c: TSNode, p: Pos): Node {
    const targets: Node[] = [];
    let cur: TSNode | null = c;
    let value: Node | undefined;
    let annotated = false;
    while (cur && cur.type === 'assignment') {
      targets.push(this.expr(cur.childForFieldName('left')));
      if (cur.childForFieldName('type')) annotated = true;
      const right: TSNode | null = cur.childForFieldName('right');
      if (!right) {
        cur = null;
        break;
      }
      if (right.type === 'assignment') cur = right;
      else {
        value = this.expr(right);
        cur = null;
      }
    }
    if (!value) return { t: 'AnnAssign', target: targets[0], ...p };
    if (annotated && targets.length === 1) return { t: 'AnnAssign', target: targets[0], value, ...p };
    return { t: 'Assign', targets, value, ...p };
  }

  private funcDef(n: TSNode, decorators: Node[]): Node {
    const nameNode = n.childForFieldName('name');
    return {
      t: 'FunctionDef', name: nameNode?.text ?? '<anon>', params: this.params(n.childForFieldName('parameters')),
      body: this.block(n.childForFieldName('body')), decorators, namePos: nameNode ? pos(nameNode) : pos(n), ...pos(n),
    };
  }

  private classDef(n: TSNode, decorators: Node[]): Node {
    const nameNode = n.childForFieldName('name');
    return {
      t: 'ClassDef', name: nameNode?.text ?? '<anon>', bases: this.args(n.childForFieldName('superclasses')),
      body: this.block(n.childForFieldName('body')), decorators, namePos: nameNode ? pos(nameNode) : pos(n), ...pos(n),
    };
  }

  private params(n: TSNode | null): Param[] {
    const out: Param[] = [];
    if (!n) return out;
    let kwOnly = false;
    for (const c of n.namedChildren) {
      if (!c) continue;
      switch (c.type) {
        case 'identifier':
          out.push({ name: c.text, kwOnly });
          break;
        case 'typed_parameter': {
          const inner = c.namedChild(0);
          if (inner?.type === 'list_splat_pattern') {
            out.push({ name: inner.namedChild(0)?.text ?? 'args', star: '*' });
            kwOnly = true;
          } else if (inner?.type === 'dictionary_splat_pattern') out.push({ name: inner.namedChild(0)?.text ?? 'kwargs', star: '**' });
          else out.push({ name: inner?.text ?? '_', kwOnly });
          break;
        }
        case 'default_parameter':
        case 'typed_default_parameter':
          out.push({ name: c.childForFieldName('name')?.text ?? '_', default: this.expr(c.childForFieldName('value')), kwOnly });
          break;
        case 'list_splat_pattern':
          out.push({ name: c.namedChild(0)?.text ?? 'args', star: '*' });
          kwOnly = true;
          break;
        case 'dictionary_splat_pattern':
          out.push({ name: c.namedChild(0)?.text ?? 'kwargs', star: '**' });
          break;
        case 'keyword_separator':
          kwOnly = true;
          break;
        default:
          break;
      }
    }
    return out;
  }

  args(n: TSNode | null): Arg[] {
    const out: Arg[] = [];
    if (!n) return out;
    if (n.type === 'generator_expression') return [{ kind: 'pos', value: this.expr(n) }];
    for (const c of n.namedChildren) {
      if (!c || c.type === 'comment' || c.type === 'line_continuation') continue;
      if (c.type === 'keyword_argument') out.push({ kind: 'kw', name: c.childForFieldName('name')?.text ?? '_', value: this.expr(c.childForFieldName('value')) });
      else if (c.type === 'list_splat') out.push({ kind: 'star', value: this.expr(c.namedChild(0)) });
      else if (c.type === 'dictionary_splat') out.push({ kind: 'dstar', value: this.expr(c.namedChild(0)) });
      else out.push({ kind: 'pos', value: this.expr(c) });
    }
    return out;
  }

  expr(n: TSNode | null | undefined): Node {
    if (!n) return { t: 'Unsupported', what: 'missing', line: 0, col: 0, endLine: 0, endCol: 0 };
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      return this.un(n, 'nesting too deep');
    }
    try {
      return this.exprInner(n);
    } finally {
      this.depth--;
    }
  }

  private exprInner(n: TSNode): Node {
    const p = pos(n);
    switch (n.type) {
      case 'identifier':
        return { t: 'Name', id: n.text, ...p };
      case 'integer': {
        const txt = n.text.replace(/_/g, '').toLowerCase().replace(/l$/, '');
        const v = txt.startsWith('0x') || txt.startsWith('0o') || txt.startsWith('0b') ? Number(txt) : parseInt(txt, 10);
        return { t: 'Num', v, isInt: true, ...p };
      }
      case 'float': {
        const txt = n.text.replace(/_/g, '');
        if (/j$/i.test(txt)) return this.un(n, 'complex');
        return { t: 'Num', v: parseFloat(txt), isInt: false, ...p };
      }
      case 'string':
        return this.string(n);
      case 'concatenated_string': {
        const parts: Array<string | Node> = [];
        for (const c of n.namedChildren) {
          if (!c) continue;
          const s = this.string(c);
          if (s.t === 'Str') parts.push(s.v);
          else if (s.t === 'FStr') parts.push(...s.parts);
        }
        return parts.every((x) => typeof x === 'string') ? { t: 'Str', v: parts.join(''), ...p } : { t: 'FStr', parts, ...p };
      }
      case 'true':
        return { t: 'Const', v: true, ...p };
      case 'false':
        return { t: 'Const', v: false, ...p };
      case 'none':
        return { t: 'Const', v: null, ...p };
      case 'ellipsis':
        return { t: 'Ellipsis', ...p };
      case 'attribute': {
        const a = n.childForFieldName('attribute');
        return { t: 'Attr', obj: this.expr(n.childForFieldName('object')), attr: a?.text ?? '', attrPos: a ? pos(a) : p, ...p };
      }
      case 'subscript': {
        const subs = n.childrenForFieldName('subscript').filter(nn);
        const index = subs.length === 1 ? this.expr(subs[0]) : { t: 'Tuple' as const, elts: subs.map((s) => this.expr(s)), ...p };
        return { t: 'Subscript', obj: this.expr(n.childForFieldName('value')), index, ...p };
      }
      case 'slice': {
        const parts: Array<Node | undefined> = [undefined, undefined, undefined];
        let i = 0;
        for (let k = 0; k < n.childCount; k++) {
          const c = n.child(k);
          if (!c) continue;
          if (c.type === ':') i++;
          else if (c.isNamed && c.type !== 'comment') parts[i] = this.expr(c);
        }
        return { t: 'Slice', start: parts[0], stop: parts[1], step: parts[2], ...p };
      }
      case 'call':
        return { t: 'Call', fn: this.expr(n.childForFieldName('function')), args: this.args(n.childForFieldName('arguments')), ...p };
      case 'binary_operator':
        return { t: 'BinOp', op: n.childForFieldName('operator')?.type ?? '+', left: this.expr(n.childForFieldName('left')), right: this.expr(n.childForFieldName('right')), ...p };
      case 'unary_operator':
        return { t: 'UnaryOp', op: n.childForFieldName('operator')?.type ?? '-', operand: this.expr(n.childForFieldName('argument')), ...p };
      case 'not_operator':
        return { t: 'UnaryOp', op: 'not', operand: this.expr(n.childForFieldName('argument')), ...p };
      case 'boolean_operator':
        return { t: 'BoolOp', op: n.childForFieldName('operator')?.type === 'or' ? 'or' : 'and', left: this.expr(n.childForFieldName('left')), right: this.expr(n.childForFieldName('right')), ...p };
      case 'comparison_operator': {
        const operands: Node[] = [];
        const ops: string[] = [];
        for (let k = 0; k < n.childCount; k++) {
          const c = n.child(k);
          if (!c) continue;
          if (n.fieldNameForChild(k) === 'operators') ops.push(c.type);
          else if (c.isNamed && c.type !== 'comment' && c.type !== 'line_continuation') operands.push(this.expr(c));
        }
        return { t: 'Compare', ops, operands, ...p };
      }
      case 'conditional_expression': {
        const cs = n.namedChildren.filter(nn).filter((c) => c.type !== 'comment');
        return { t: 'IfExp', body: this.expr(cs[0]), test: this.expr(cs[1]), orelse: this.expr(cs[2]), ...p };
      }
      case 'parenthesized_expression': {
        const c = n.namedChildren.find((x) => x && x.type !== 'comment');
        return this.expr(c);
      }
      case 'tuple':
      case 'expression_list':
      case 'pattern_list':
      case 'tuple_pattern':
        return { t: 'Tuple', elts: n.namedChildren.filter(nn).filter((c) => c.type !== 'comment').map((c) => this.expr(c)), ...p };
      case 'list':
      case 'list_pattern':
        return { t: 'List', elts: n.namedChildren.filter(nn).filter((c) => c.type !== 'comment').map((c) => this.expr(c)), ...p };
      case 'set':
        return { t: 'Set', elts: n.namedChildren.filter(nn).filter((c) => c.type !== 'comment').map((c) => this.expr(c)), ...p };
      case 'dictionary': {
        const keys: Array<Node | null> = [];
        const values: Node[] = [];
        for (const c of n.namedChildren) {
          if (!c) continue;
          if (c.type === 'pair') {
            keys.push(this.expr(c.childForFieldName('key')));
            values.push(this.expr(c.childForFieldName('value')));
          } else if (c.type === 'dictionary_splat') {
            keys.push(null);
            values.push(this.expr(c.namedChild(0)));
          }
        }
        return { t: 'Dict', keys, values, ...p };
      }
      case 'list_splat':
      case 'list_splat_pattern':
        return { t: 'Starred', value: this.expr(n.namedChild(0)), ...p };
      case 'lambda':
        return { t: 'Lambda', params: this.params(n.childForFieldName('parameters')), body: this.expr(n.childForFieldName('body')), ...p };
      case 'list_comprehension':
      case 'generator_expression':
      case 'set_comprehension':
      case 'dictionary_comprehension': {
        const kind = n.type === 'list_comprehension' ? 'list' : n.type === 'generator_expression' ? 'gen' : n.type === 'set_comprehension' ? 'set' : 'dict';
        const bodyNode = n.childForFieldName('body');
        const gens: Comprehension[] = [];
        for (const c of n.namedChildren) {
          if (!c) continue;
          if (c.type === 'for_in_clause') {
            const rights = c.childrenForFieldName('right').filter(nn);
            const iter = rights.length > 1 ? { t: 'Tuple' as const, elts: rights.map((r) => this.expr(r)), ...pos(c) } : this.expr(rights[0]);
            gens.push({ target: this.expr(c.childForFieldName('left')), iter, ifs: [] });
          } else if (c.type === 'if_clause' && gens.length) gens[gens.length - 1].ifs.push(this.expr(c.namedChild(0)));
        }
        if (kind === 'dict' && bodyNode?.type === 'pair') {
          return { t: 'Comp', kind, key: this.expr(bodyNode.childForFieldName('key')), elt: this.expr(bodyNode.childForFieldName('value')), gens, ...p };
        }
        return { t: 'Comp', kind, elt: this.expr(bodyNode), gens, ...p };
      }
      case 'yield': {
        const v = n.namedChild(0);
        const from = n.children.some((c) => c?.type === 'from');
        return { t: 'Yield', ...(v ? { value: this.expr(v) } : {}), from, ...p };
      }
      case 'named_expression':
        return { t: 'NamedExpr', target: this.expr(n.childForFieldName('name')), value: this.expr(n.childForFieldName('value')), ...p };
      case 'keyword_argument':
        return this.expr(n.childForFieldName('value'));
      case 'type':
        return this.expr(n.namedChild(0));
      case 'as_pattern':
        return this.expr(n.namedChild(0));
      default:
        return this.un(n, n.type);
    }
  }

  /** An f-string field, with its conversion and format spec (formattedField). */
  private interpolation(c: TSNode): Node {
    const e = this.expr(c.childForFieldName('expression'));
    const conv = c.namedChildren.find((x) => x?.type === 'type_conversion')?.text.replace(/^!/, '');
    const specNode = c.namedChildren.find((x) => x?.type === 'format_specifier');
    let spec: Array<string | Node> | undefined;
    if (specNode) {
      spec = [];
      // The specifier's text runs from after the ':' to its end; nested fields are its named children.
      let at = specNode.startIndex;
      const text = specNode.text;
      const base = specNode.startIndex;
      for (const f of specNode.namedChildren) {
        if (!f || f.type !== 'format_expression') continue;
        if (f.startIndex > at) spec.push(text.slice(at - base, f.startIndex - base));
        const inner = f.childForFieldName('expression') ?? f.namedChild(0);
        spec.push(this.expr(inner));
        at = f.endIndex;
      }
      if (base + text.length > at) spec.push(text.slice(at - base));
      if (typeof spec[0] === 'string') {
        spec[0] = spec[0].replace(/^:/, '');
        if (spec[0] === '') spec.shift();
      }
    }
    return formattedField(e, conv, spec);
  }

  private string(n: TSNode): Node {
    const p = pos(n);
    if (n.type !== 'string') return this.expr(n);
    const start = n.namedChildren.find((c) => c?.type === 'string_start')?.text ?? '"';
    const raw = /r/i.test(start);
    const fstring = /f/i.test(start);
    const parts: Array<string | Node> = [];
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (c.type === 'string_content') parts.push(fstringBraces(raw ? c.text : unescape(c.text), fstring));
      else if (c.type === 'escape_sequence') parts.push(unescape(c.text));
      else if (c.type === 'interpolation') parts.push(this.interpolation(c));
    }
    if (parts.every((x) => typeof x === 'string')) return { t: 'Str', v: (parts as string[]).join(''), ...p };
    return { t: 'FStr', parts, ...p };
  }
}

/** A child that is there and is not a `\` line continuation (tree-sitter gives those as named children anywhere). */
function nn(x: TSNode | null): x is TSNode {
  return x !== null && x.type !== 'line_continuation';
}

function unescape(s: string): string {
  return s.replace(/\\(n|t|r|\\|'|"|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})/g, (_m, e: string) => {
    switch (e[0]) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'x':
      case 'u':
        return String.fromCharCode(parseInt(e.slice(1), 16));
      default:
        return e;
    }
  });
}

/** An f-string's literal text as Python reads it: `{{` and `}}` stand for one brace. */
export function fstringBraces(text: string, fstring: boolean): string {
  return fstring && (text.includes('{{') || text.includes('}}')) ? text.replace(/\{\{/g, '{').replace(/\}\}/g, '}') : text;
}

/**
 * An f-string field `{e!c:spec}` as the expression Python evaluates for it: `format(e, spec)`,
 * after `repr(e)` / `str(e)` / `ascii(e)` for a conversion; the bare expression when the field
 * has neither. Both parsers build it, so the evaluator formats `{alpha:0.2f}` and `{i:02d}`.
 */
export function formattedField(e: Node, conversion?: string, spec?: Array<string | Node>): Node {
  const at: Pos = { line: e.line, col: e.col, endLine: e.endLine, endCol: e.endCol };
  let v = e;
  if (conversion) v = { t: 'Call', fn: { t: 'Name', id: conversion === 'r' ? 'repr' : conversion === 'a' ? 'ascii' : 'str', ...at }, args: [{ kind: 'pos', value: v }], ...at };
  if (!spec || spec.length === 0) return v;
  const specNode: Node = spec.every((x) => typeof x === 'string') ? { t: 'Str', v: spec.join(''), ...at } : { t: 'FStr', parts: spec, ...at };
  return { t: 'Call', fn: { t: 'Name', id: 'format', ...at }, args: [{ kind: 'pos', value: v }, { kind: 'pos', value: specNode }], ...at };
}
