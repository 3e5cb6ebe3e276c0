// walkScope with node kinds (facts.ts, context.ts walkTypedTree) reads the kinds from the
// file's index instead of stepping through every node. A differential check: on every body
// (module, class, function, loop, branch, with, try) of every model, fixture and example
// file and of a slice of the standard library, the typed walk must visit exactly the nodes,
// in the same order and with the same ancestors, as the full scope walk filtered to those
// kinds — on a fresh tree, after the file's own pre-order was built, and on a re-parsed tree
// whose index starts from the previous version's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseText } from '../../../src/core/analyze';
import { walkTree } from '../../../src/core/lint/context';
import { walkScope } from '../../../src/core/lint/facts';
import type { Module, Node } from '../../../src/core/python/ast';
import type { PyParser } from '../../../src/core/python/parser';
import { pyFiles } from '../../bench/py-files.mjs';
import { initParser } from './helpers';

let parser: PyParser;
beforeAll(async () => {
  parser = await initParser();
});

const ROOT = join(__dirname, '..', '..', '..');

const KIND_LISTS: ReadonlyArray<readonly Node['t'][]> = [
  ['Call'], ['Assign'], ['Return'], ['Attr'], ['Name'],
  ['FunctionDef'], ['Lambda'], ['ClassDef', 'Call'],
  ['AugAssign', 'Assign', 'Expr'], ['For', 'While'], ['Call', 'Attr', 'Assign'],
  ['Assign', 'AnnAssign', 'AugAssign', 'For', 'With', 'NamedExpr', 'Import', 'ImportFrom', 'FunctionDef', 'ClassDef', 'Global', 'Comp'],
];

/** Every statement list of the tree (the module's, and each nested body), outermost first. */
function bodiesOf(mod: Module): Array<readonly Node[]> {
  const out: Array<readonly Node[]> = [mod.body];
  walkTree(mod.body, (n) => {
    for (const v of Object.values(n)) {
      if (Array.isArray(v) && v.length && v.every((x) => x && typeof x === 'object' && 't' in x && typeof x.line === 'number') && v.some((x) => 'endLine' in x)) {
        // statement lists only: a list whose first element is a statement kind
        const first = (v[0] as Node).t;
        if (STATEMENT_KINDS.has(first)) out.push(v as Node[]);
      }
    }
    if (n.t === 'Try') for (const h of n.handlers) if (h.length) out.push(h);
  });
  return out;
}

const STATEMENT_KINDS = new Set<string>([
  'Expr', 'Assign', 'AugAssign', 'AnnAssign', 'Return', 'If', 'For', 'While', 'FunctionDef', 'ClassDef', 'Import', 'ImportFrom',
  'Pass', 'Break', 'Continue', 'Raise', 'Try', 'With', 'Global', 'Delete',
]);

type Visit = Array<{ node: Node; ancestors: Node[] }>;

function reference(body: readonly Node[], kinds: readonly Node['t'][]): Visit {
  const out: Visit = [];
  walkScope(body, (n, anc) => {
    if (kinds.includes(n.t)) out.push({ node: n, ancestors: [...anc] });
  });
  return out;
}

function typed(body: readonly Node[], kinds: readonly Node['t'][]): { withAncestors: Visit; nodes: Node[] } {
  const withAncestors: Visit = [];
  walkScope(body, (n, anc) => withAncestors.push({ node: n, ancestors: [...anc] }), kinds);
  const nodes: Node[] = [];
  walkScope(body, (n) => nodes.push(n), kinds);
  return { withAncestors, nodes };
}

function sameVisits(a: Visit, b: Visit): boolean {
  return a.length === b.length && a.every((x, i) => x.node === b[i].node && x.ancestors.length === b[i].ancestors.length && x.ancestors.every((y, j) => y === b[i].ancestors[j]));
}

function files(): string[] {
  return [
    ...pyFiles(join(ROOT, '..', 'shared', 'corpus')),
    ...pyFiles(join(ROOT, 'test', 'oracle')),
    ...pyFiles(join(ROOT, 'test', 'fixtures')),
    ...pyFiles(join(ROOT, 'examples')),
    // Nested functions, lambdas and classes inside functions are common there.
    ...pyFiles('/usr/lib/python3.11/json', { recursive: false }),
    ...pyFiles('/usr/lib/python3.11/asyncio', { recursive: false }).slice(0, 12),
    ...['/usr/lib/python3.11/functools.py', '/usr/lib/python3.11/dataclasses.py', '/usr/lib/python3.11/argparse.py'],
  ];
}

describe('walkScope restricted to node kinds', () => {
  it('visits what the full scope walk visits, in order and with the same ancestors, on fresh, indexed and re-parsed trees', () => {
    let bodies = 0;
    let visits = 0;
    let boundaries = 0;
    const failures: string[] = [];
    for (const file of files()) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      for (const mode of ['fresh', 'indexed', 'reparsed'] as const) {
        let mod = parseText(parser, text);
        if (!mod) continue;
        if (mode === 'indexed') walkTree(mod.body, () => undefined);
        if (mode === 'reparsed') {
          // The previous version indexed by kind, then a statement typed at the end: the new
          // tree keeps the first statements, and its index starts from the previous one's.
          for (const kinds of KIND_LISTS) walkTree(mod.body, () => undefined, undefined, undefined, kinds);
          const edited = parseText(parser, `${text}\n_typed_at_the_end = 1\n`, { text, module: mod });
          if (!edited) continue;
          mod = edited;
        }
        for (const body of bodiesOf(mod)) {
          bodies++;
          for (const kinds of KIND_LISTS) {
            const want = reference(body, kinds);
            const got = typed(body, kinds);
            visits += want.length;
            if (kinds.includes('Lambda') || kinds.includes('FunctionDef')) boundaries += want.length;
            if (!sameVisits(want, got.withAncestors) || got.nodes.length !== want.length || got.nodes.some((n, i) => n !== want[i].node)) {
              failures.push(`${file} (${mode}) body at line ${body[0].line + 1}, kinds ${kinds.join(',')}: ${want.length} vs ${got.withAncestors.length}`);
            }
          }
        }
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
    // The check saw real work: many bodies, visits, and nested definitions visited as such.
    expect(bodies).toBeGreaterThan(2000);
    expect(visits).toBeGreaterThan(50000);
    expect(boundaries).toBeGreaterThan(500);
  });

  it('does not descend into nested functions, classes or lambdas, and visits them when asked', () => {
    const mod = parseText(parser, [
      'def outer(x):',
      '    y = f(x)',
      '    def inner():',
      '        return g(y)',
      '    class C:',
      '        z = h(1)',
      '    k = lambda a: q(a)',
      '    return [m(v) for v in y]',
      '',
    ].join('\n'))!;
    const fn = mod.body[0] as Node & { t: 'FunctionDef' };
    const calls: string[] = [];
    walkScope(fn.body, (n) => {
      if (n.t === 'Call' && n.fn.t === 'Name') calls.push(n.fn.id);
    }, ['Call']);
    expect(calls).toEqual(['f', 'm']);
    const defs: string[] = [];
    walkScope(fn.body, (n) => defs.push(n.t), ['FunctionDef', 'ClassDef', 'Lambda']);
    expect(defs).toEqual(['FunctionDef', 'ClassDef', 'Lambda']);
    const anc: string[][] = [];
    walkScope(fn.body, (_n, a) => anc.push(a.map((x) => x.t)), ['Call']);
    expect(anc).toEqual([['Assign'], ['Return', 'Comp']]);
  });
});
