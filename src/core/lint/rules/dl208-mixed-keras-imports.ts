// DL208: standalone `keras` and `tensorflow.keras` (or the private `tensorflow.python.keras`,
// or `tf_keras`) used in the same file: they can be different implementations.

import type { Node } from '../../python/ast';
import { compareVersions } from '../pins';
import type { LintContext, Rule } from '../types';
import { walkAll } from './shared-ast';

type Family = 'keras' | 'tensorflow.keras' | 'tensorflow.python.keras' | 'tf_keras';

function familyOf(mod: string): Family | undefined {
  if (mod === 'keras' || mod.startsWith('keras.')) return 'keras';
  if (mod.startsWith('tensorflow.python.keras')) return 'tensorflow.python.keras';
  if (mod === 'tensorflow.keras' || mod.startsWith('tensorflow.keras.')) return 'tensorflow.keras';
  if (mod === 'tf_keras' || mod.startsWith('tf_keras.')) return 'tf_keras';
  return undefined;
}

export const dl208: Rule = {
  meta: {
    code: 'DL208',
    name: 'mixed-keras-imports',
    frameworks: ['keras'],
    severity: 'warning',
    docs:
      'Standalone `keras` and `tensorflow.keras` (or `tensorflow.python.keras`, `tf_keras`) in one file can be different ' +
      'implementations: mixing their layers, tensors and models gives untracked weights and type errors. Use one namespace throughout. ' +
      'An object of one passed to the other (a layer list to its Sequential, a layer applied to its Input) is an error when the two are ' +
      'different implementations: `tensorflow.python.keras` or `tf_keras` on one side, or `keras` and `tf.keras` with TF < 2.16 pinned.',
    fix: 'no',
    needs: ['keras'],
  },
  check(ctx) {
    // Raw module paths (the context canonicalises tf.keras to keras, which is exactly what this rule must not do).
    const uses: Array<{ family: Family; node: Node }> = [];
    const tfAliases = new Set<string>();
    // Imports under try/except or if are version fallbacks (`try: import keras except: from tensorflow import keras`).
    for (const s of ctx.module.body) {
      if (s.t === 'Import') {
        for (const { name, asname } of s.names) {
          if (name === 'tensorflow') tfAliases.add(asname ?? 'tensorflow');
          const f = familyOf(name);
          if (f) uses.push({ family: f, node: s });
        }
      } else if (s.t === 'ImportFrom' && s.level === 0) {
        for (const { name } of s.names) {
          const f = familyOf(s.module === 'tensorflow' && name === 'keras' ? 'tensorflow.keras' : s.module);
          if (f) uses.push({ family: f, node: s });
        }
      }
    }
    // `tf.keras.X` attribute uses, anywhere in the file.
    walkAll(ctx.module.body, (n) => {
      if (n.t === 'Attr' && n.attr === 'keras' && n.obj.t === 'Name' && tfAliases.has(n.obj.id)) uses.push({ family: 'tensorflow.keras', node: n });
    });
    const all = [...uses].sort((a, b) => a.node.line - b.node.line || a.node.col - b.node.col);
    if (!all.length) return;
    const first = all[0].family;
    const other = all.find((u) => u.family !== first);
    if (!other) return;
    ctx.report({
      node: other.node,
      message: `This file uses both \`${first}\` and \`${other.family}\`: they may be different Keras implementations, and mixing their objects breaks weight tracking. Use one namespace.`,
      related: [{ message: `${first} used here`, range: ctx.rangeOf(all[0].node) }],
    });
    crossings(ctx, tfAliases);
  },
};

/**
 * Objects crossing namespaces (error): a layer list given to the other Keras's Sequential /
 * Model, a layer applied to the other's Input. `keras` and `tensorflow.keras` are the same
 * Keras 3 from TF 2.16 on (assumed when no TF version is pinned), so their crossings stay the
 * file-level warning; with TF < 2.16 pinned, or with `tensorflow.python.keras` / `tf_keras` on
 * one side, the objects are of different implementations.
 */
function crossings(ctx: LintContext, tfAliases: ReadonlySet<string>): void {
  const tf = ctx.settings.versions.tensorflow;
  const oldTf = !!tf && compareVersions(tf, '2.16') < 0;
  const distinct = (a: Family, b: Family) => a !== b && (oldTf || ![a, b].every((f) => f === 'keras' || f === 'tensorflow.keras'));
  // Names bound by imports to a Keras namespace (`from keras import layers`, `from tensorflow import keras`).
  const named = new Map<string, Family | null>();
  const bind = (name: string, f: Family | undefined) => {
    if (!f) return;
    const had = named.get(name);
    named.set(name, had === undefined || had === f ? f : null);
  };
  for (const s of ctx.module.body) {
    if (s.t === 'Import') {
      for (const { name, asname } of s.names) if (asname || !name.includes('.')) bind(asname ?? name, familyOf(name));
    } else if (s.t === 'ImportFrom' && s.level === 0) {
      for (const { name, asname } of s.names) bind(asname ?? name, familyOf(s.module === 'tensorflow' && name === 'keras' ? 'tensorflow.keras' : `${s.module}.${name}`));
    }
  }
  // Names bound once (or always) to an object of one namespace: `inputs = tf.keras.Input(...)`.
  const objects = new Map<string, Family | null>();
  const familyOfExpr = (e: Node): Family | undefined => {
    if (e.t === 'Name') return named.get(e.id) ?? objects.get(e.id) ?? undefined;
    if (e.t === 'Attr') {
      if (e.attr === 'keras' && e.obj.t === 'Name' && tfAliases.has(e.obj.id)) return 'tensorflow.keras';
      return familyOfExpr(e.obj);
    }
    if (e.t === 'Call') return familyOfExpr(e.fn);
    return undefined;
  };
  const bindObject = (name: string, f: Family) => {
    const had = objects.get(name);
    objects.set(name, had === undefined || had === f ? f : null);
  };
  walkAll(ctx.module.body, (n) => {
    if (n.t === 'Assign' && n.targets.length === 1 && n.targets[0].t === 'Name' && n.value.t === 'Call' && !named.has(n.targets[0].id)) {
      const f = familyOfExpr(n.value);
      if (f) bindObject(n.targets[0].id, f);
    }
  });
  const reported = new Set<Node>();
  walkAll(ctx.module.body, (n) => {
    if (n.t !== 'Call') return;
    const callee = familyOfExpr(n.fn);
    if (!callee) return;
    for (const a of n.args) {
      if (a.kind !== 'pos' && a.kind !== 'kw') continue;
      const values = a.value.t === 'List' || a.value.t === 'Tuple' ? a.value.elts : [a.value];
      for (const v of values) {
        const f = familyOfExpr(v);
        if (!f || !distinct(f, callee) || reported.has(v)) continue;
        reported.add(v);
        ctx.report({
          node: v,
          severity: 'error',
          message: `An object of \`${f}\` is passed to \`${callee}\`: they are different Keras implementations, so its weights are not tracked (or the call fails with a type error). Build everything from one namespace.`,
        });
      }
    }
  });
}
