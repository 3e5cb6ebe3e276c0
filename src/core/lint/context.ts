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

/** Child nodes of any AST node, in source order. */
export function childrenOf(n: Node): Node[] {
  const out: Node[] = [];
  const add = (x: Node | undefined | null) => {
    if (x) out.push(x);
  };
  switch (n.t) {
    case 'Attr': add(n.obj); break;
    case 'Subscript': add(n.obj); add(n.index); break;
    case 'Slice': add(n.start); add(n.stop); add(n.step); break;
    case 'Call': add(n.fn); for (const a of n.args) add(a.value); break;
    case 'BinOp': add(n.left); add(n.right); break;
    case 'UnaryOp': add(n.operand); break;
    case 'BoolOp': add(n.left); add(n.right); break;
    case 'Compare': n.operands.forEach(add); break;
    case 'IfExp': add(n.test); add(n.body); add(n.orelse); break;
    case 'Tuple': case 'List': case 'Set': n.elts.forEach(add); break;
    case 'Dict': n.keys.forEach((k, i) => { add(k); add(n.values[i]); }); break;
    case 'Starred': add(n.value); break;
    case 'Lambda': n.params.forEach((p) => add(p.default)); add(n.body); break;
    case 'Comp': for (const g of n.gens) { add(g.iter); add(g.target); g.ifs.forEach(add); } add(n.key); add(n.elt); break;
    case 'NamedExpr': add(n.target); add(n.value); break;
    case 'FStr': for (const p of n.parts) if (typeof p !== 'string') add(p); break;
    case 'Expr': add(n.value); break;
    case 'Assign': n.targets.forEach(add); add(n.value); break;
    case 'AugAssign': add(n.target); add(n.value); break;
    case 'AnnAssign': add(n.target); add(n.value); break;
    case 'Return': add(n.value); break;
    case 'If': add(n.test); n.body.forEach(add); n.orelse.forEach(add); break;
    case 'For': add(n.target); add(n.iter); n.body.forEach(add); n.orelse.forEach(add); break;
    case 'While': add(n.test); n.body.forEach(add); n.orelse.forEach(add); break;
    case 'FunctionDef': n.decorators.forEach(add); n.params.forEach((p) => add(p.default)); n.body.forEach(add); break;
    case 'ClassDef': n.decorators.forEach(add); for (const a of n.bases) add(a.value); n.body.forEach(add); break;
    case 'Try': n.body.forEach(add); n.handlers.forEach((h) => h.forEach(add)); n.orelse.forEach(add); n.finalbody.forEach(add); break;
    case 'With': for (const it of n.items) { add(it.expr); add(it.target); } n.body.forEach(add); break;
    case 'Delete': n.targets.forEach(add); break;
    default: break;
  }
  return out;
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
  const parts: string[] = [];
  let cur: Node = node;
  while (cur.t === 'Attr') {
    parts.unshift(cur.attr);
    cur = cur.obj;
  }
  if (cur.t !== 'Name') return undefined;
  const base = imports.get(cur.id);
  if (!base) return undefined;
  return canonicalPath([base, ...parts].join('.'));
}

export function makeContext(facts: FileFacts, meta: RuleMeta, sink: Finding[]): LintContext {
  return {
    text: facts.text,
    lines: facts.lines,
    module: facts.module,
    analysis: facts.analysis,
    imports: facts.imports,
    qualifiedName: (n) => qualifiedName(facts.imports, n),
    walk(visit) {
      const stack: Node[] = [];
      const go = (n: Node) => {
        visit(n, stack);
        stack.push(n);
        for (const c of childrenOf(n)) go(c);
        stack.pop();
      };
      for (const s of facts.module.body) go(s);
    },
    rangeOf,
    get facts() {
      facts.facts ??= factsFor(facts.module, facts.text, facts.imports);
      return facts.facts;
    },
    settings: facts.settings ?? { versions: {} },
    report(r: Report) {
      const range = r.range ?? (r.node ? rangeOf(r.node) : { line: 0, character: 0, endLine: 0, endCharacter: 0 });
      sink.push({ code: meta.code, severity: r.severity ?? meta.severity, message: r.message, range, related: r.related, fix: r.fix });
    },
  };
}
