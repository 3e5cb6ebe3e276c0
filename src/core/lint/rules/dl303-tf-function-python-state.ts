// DL303: Python side effects inside a tf.function run only while tracing: `print` fires
// once, appends to outer lists happen once (with symbolic tensors), global writes too.

import type { Rule } from '../types';
import { aliasFor, bindingsIn, nameOf, receiver, replaceEdit, walkLocal } from './shared-ast';
import { isTfFunctionDecorator, tracedFunctions } from './shared-tf';

const MUTATORS = new Set(['append', 'extend', 'insert', 'update', 'pop', 'add', 'clear', 'remove', 'setdefault']);

export const dl303: Rule = {
  meta: {
    code: 'DL303',
    name: 'tf-function-python-state',
    frameworks: ['tensorflow'],
    severity: 'warning',
    docs:
      'The Python body of a tf.function runs only while tracing: `print` fires once, appends to outer lists happen once and store ' +
      'symbolic tensors, and writes to globals are not repeated. Use tf.print, tf.Variable and TensorArray instead.',
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
