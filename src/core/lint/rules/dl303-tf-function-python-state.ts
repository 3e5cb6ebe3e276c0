// DL303: Python side effects inside a tf.function run only while tracing: `print` fires
// once, appends to outer lists happen once (with symbolic tensors), global writes too.

import type { Node, NodeOf } from '../../python/ast';
import type { LintContext, Rule } from '../types';
import { aliasFor, argOf, bindingsIn, nameOf, receiver, replaceEdit, walkLocal } from './shared-ast';
import { isTfFunctionDecorator, tracedFunctions } from './shared-tf';

/**
 * Module-level names a traced module-level function reads that the module re-binds after the
 * function has run: a binding on a later line than a module-level call of the function, or one in
 * a loop (or the loop's own target) that also calls it. The graph keeps the value seen while
 * tracing, so the new value is ignored. Names bound to a tf.Variable, a def, a class or an import
 * are skipped. Answers: for each read, the name and the line of the ignored re-binding.
 */
function staleGlobalReads(ctx: LintContext, fn: NodeOf<'FunctionDef'>, locals: ReadonlySet<string>, globals: ReadonlySet<string>): Array<{ node: Node; name: string; line: number }> {
  if (!ctx.module.body.includes(fn)) return [];
  // Ancestors (module level, definitions not entered) of every statement and call.
  const parents = new Map<Node, readonly Node[]>();
  walkLocal(ctx.module.body, (n, anc) => {
    if (!parents.has(n)) parents.set(n, [...anc]);
  });
  // Names that call fn: its own and `g = tf.function(fn)`.
  const callers = new Set([fn.name]);
  for (const b of bindingsIn(ctx.module.body)) {
    const v = b.value;
    if (v && v.t === 'Call' && ctx.qualifiedName(v.fn) === 'tensorflow.function' && nameOf(argOf(v, 'func', 0)) === fn.name) callers.add(b.name);
  }
  const calls: Node[] = [];
  walkLocal(ctx.module.body, (n) => {
    if (n.t === 'Call' && n.fn.t === 'Name' && callers.has(n.fn.id)) calls.push(n);
  });
  if (!calls.length) return [];
  const loopsOf = (n: Node, self: boolean): Node[] => [...(parents.get(n) ?? []), ...(self ? [n] : [])].filter((a) => a.t === 'For' || a.t === 'While');
  const out: Array<{ node: Node; name: string; line: number }> = [];
  const seen = new Set<string>();
  walkLocal(fn.body, (x) => {
    if (x.t !== 'Name' || locals.has(x.id) || globals.has(x.id) || seen.has(x.id)) return;
    seen.add(x.id);
    const bs = bindingsIn(ctx.module.body).filter((b) => b.name === x.id);
    if (bs.length < 2) return;
    const fixedKind = (b: typeof bs[number]) => b.stmt.t === 'FunctionDef' || b.stmt.t === 'ClassDef' || b.stmt.t === 'Import' || b.stmt.t === 'ImportFrom'
      || (b.value?.t === 'Call' && ctx.qualifiedName(b.value.fn) === 'tensorflow.Variable');
    if (bs.some(fixedKind)) return;
    for (const b of bs) {
      const bLoops = loopsOf(b.stmt, b.stmt.t === 'For');
      const late = calls.some((c) => b.line > c.line || loopsOf(c, false).some((l) => bLoops.includes(l)));
      if (late) {
        out.push({ node: x, name: x.id, line: b.line });
        return;
      }
    }
  });
  return out;
}

const MUTATORS = new Set(['append', 'extend', 'insert', 'update', 'pop', 'add', 'clear', 'remove', 'setdefault']);

export const dl303: Rule = {
  meta: {
    code: 'DL303',
    name: 'tf-function-python-state',
    frameworks: ['tensorflow'],
    severity: 'warning',
    docs:
      'The Python body of a tf.function runs only while tracing: `print` fires once, appends to outer lists happen once and store ' +
      'symbolic tensors, writes to globals are not repeated, and Python globals read inside are frozen at trace time (reported when the module ' +
      're-binds them after calling the function). Use tf.print, tf.Variable and TensorArray instead.',
    fix: 'yes',
    needs: ['function'],
  },
  check(ctx) {
    const tf = aliasFor(ctx, 'tensorflow');
    // Module-level containers: names bound at module level to a list/dict/set display or constructor.
    const containers = new Set<string>();
    for (const b of bindingsIn(ctx.module.body)) {
      const v = b.value;
      if (v && (v.t === 'List' || v.t === 'Dict' || v.t === 'Set' || (v.t === 'Call' && v.fn.t === 'Name' && ['list', 'dict', 'set'].includes(v.fn.id)))) containers.add(b.name);
    }
    // Functions made traced by `name = tf.function(f)` as well as decorated ones.
    const wrapped = new Set(tracedFunctions(ctx).filter((t) => t.kind === 'tf.function').map((t) => t.fn));
    const visitFns = (body: typeof ctx.module.body) => {
      walkLocal(body, (n) => {
        if (n.t === 'ClassDef') visitFns(n.body);
        if (n.t !== 'FunctionDef') return;
        if (!n.decorators.some((d) => isTfFunctionDecorator(ctx, d)) && !wrapped.has(n)) {
          visitFns(n.body);
          return;
        }
        const locals = new Set([...n.params.map((p) => p.name), ...bindingsIn(n.body).map((b) => b.name)]);
        const globals = new Set<string>();
        walkLocal(n.body, (s) => {
          if (s.t === 'Global') s.names.forEach((x) => globals.add(x));
        });
        for (const r of staleGlobalReads(ctx, n, locals, globals)) {
          ctx.report({
            node: r.node,
            message: `\`${r.name}\` is a Python global read inside a tf.function: its value is frozen into the graph while tracing, so the re-binding on line ${r.line + 1}, after the function has run, is ignored. Pass it as a tensor argument or keep it in a tf.Variable.`,
          });
        }
        walkLocal(n.body, (x) => {
          if (x.t === 'Call' && x.fn.t === 'Name' && x.fn.id === 'print' && !locals.has('print') && !ctx.imports.has('print')) {
            ctx.report({
              node: x,
              severity: 'information',
              message: '`print` inside a tf.function runs only while tracing (once), and shows symbolic tensors. Use tf.print to print on every call.',
              fix: tf ? { title: 'Use tf.print', edits: [replaceEdit(x.fn, `${tf}.print`)] } : undefined,
            });
          }
          if (x.t === 'Call' && x.fn.t === 'Attr' && MUTATORS.has(x.fn.attr)) {
            const r = nameOf(receiver(x));
            if (r && containers.has(r) && !locals.has(r)) {
              ctx.report({ node: x, message: `\`${r}.${x.fn.attr}(...)\` mutates a Python object outside the tf.function: it happens once, at trace time, with symbolic tensors. Use a tf.Variable or tf.TensorArray, or return the value.` });
            }
          }
          // `log["last"] = x`: item assignment on a module-level container.
          if (x.t === 'Assign' || x.t === 'AugAssign') {
            for (const t of x.t === 'Assign' ? x.targets : [x.target]) {
              const r = t.t === 'Subscript' ? nameOf(t.obj) : undefined;
              if (r && containers.has(r) && !locals.has(r)) {
                ctx.report({ node: t, message: `\`${r}[...] = ...\` mutates a Python object outside the tf.function: it happens once, at trace time, with symbolic tensors. Use a tf.Variable or tf.TensorArray, or return the value.` });
              }
            }
          }
          if ((x.t === 'Assign' || x.t === 'AugAssign') && globals.size) {
            const targets = x.t === 'Assign' ? x.targets : [x.target];
            for (const t of targets) {
              if (t.t === 'Name' && globals.has(t.id)) {
                ctx.report({ node: t, message: `Writing the global \`${t.id}\` inside a tf.function happens only while tracing, not on every call. Use a tf.Variable and assign().` });
              }
            }
          }
        });
      });
    };
    visitFns(ctx.module.body);
  },
};
