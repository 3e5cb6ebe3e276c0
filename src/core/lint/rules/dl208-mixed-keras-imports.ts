// DL208: standalone `keras` and `tensorflow.keras` (or the private `tensorflow.python.keras`,
// or `tf_keras`) used in the same file: they can be different implementations.

import type { Node } from '../../python/ast';
import type { Rule } from '../types';
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
      'implementations: mixing their layers, tensors and models gives untracked weights and type errors. Use one namespace throughout.',
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
  },
};
