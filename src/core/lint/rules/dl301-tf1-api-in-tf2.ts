// DL301: TF1 graph-mode APIs on the top-level `tensorflow` module (tf.Session,
// tf.placeholder, tf.get_variable, tf.contrib, ...), which do not exist in TF 2.

import type { Node } from '../../python/ast';
import type { Rule } from '../types';
import { replaceEdit, walkAll } from './shared-ast';

/** First attribute after `tensorflow.` that is TF1-only (value: a TF2 rename, or '' for compat.v1 only). */
const TF1: Record<string, string> = {
  Session: '', InteractiveSession: '', placeholder: '', placeholder_with_default: '', get_variable: '', variable_scope: '',
  global_variables_initializer: '', local_variables_initializer: '', initialize_all_variables: '', ConfigProto: '', GPUOptions: '',
  get_default_graph: '', reset_default_graph: '', get_collection: '', add_to_collection: '', GraphKeys: '', trainable_variables: '',
  global_variables: '', contrib: '', Print: 'print', log: 'math.log', to_float: '', to_int32: '', random_normal: 'random.normal',
  random_uniform: 'random.uniform', truncated_normal: 'random.truncated_normal', set_random_seed: 'random.set_seed',
  logging: '', app: '', layers: '', train: '', summary: '', py_func: '', assign: '', sparse_to_dense: '',
};
/** For `tf.train.X`, `tf.layers.X`, `tf.summary.X`, `tf.app.X`: which X are TF1-only. */
const SUB: Record<string, RegExp> = {
  train: /^(\w+Optimizer|Saver|get_or_create_global_step|get_global_step|exponential_decay|string_input_producer|batch|shuffle_batch|MonitoredTrainingSession|SessionRunHook|Coordinator|start_queue_runners|import_meta_graph|write_graph)$/,
  layers: /^(dense|conv1d|conv2d|conv3d|conv2d_transpose|max_pooling1d|max_pooling2d|average_pooling2d|batch_normalization|dropout|flatten)$/,
  summary: /^(FileWriter|merge_all|merge|scalar_summary)$/,
  app: /^(flags|run)$/,
};

export const dl301: Rule = {
  meta: {
    code: 'DL301',
    name: 'tf1-api-in-tf2',
    frameworks: ['tensorflow'],
    severity: 'error',
    docs:
      'TF1 graph-mode APIs (`tf.Session`, `tf.placeholder`, `tf.get_variable`, `tf.contrib`, `tf.train.*Optimizer`, …) do not exist at the top ' +
      'level of TensorFlow 2 and fail with AttributeError. Use the TF2 API, or `tf.compat.v1` with v2 behaviour disabled.',
    fix: 'yes',
    needs: ['tensorflow'],
  },
  check(ctx) {
    const tfAliases = new Set([...ctx.imports].filter(([, p]) => p === 'tensorflow').map(([l]) => l));
    if (!tfAliases.size) return;
    let v1Mode = false;
    let tf2Evidence = false;
    walkAll(ctx.module.body, (n) => {
      if (n.t === 'Call' && /^tensorflow\.compat\.v1\.(disable_v2_behavior|disable_eager_execution)$/.test(ctx.qualifiedName(n.fn) ?? '')) v1Mode = true;
      if (n.t === 'Attr') {
        const q = ctx.qualifiedName(n);
        if (q === 'tensorflow.function' || q === 'tensorflow.GradientTape' || q === 'tensorflow.keras' || q === 'keras' || q === 'tensorflow.data') tf2Evidence = true;
      }
    });
    if (v1Mode) return;
    walkAll(ctx.module.body, (n: Node, anc) => {
      if (n.t !== 'Attr' || n.obj.t !== 'Name' || !tfAliases.has(n.obj.id)) return;
      const parent = anc[anc.length - 1];
      const rename = TF1[n.attr];
      if (rename === undefined) return;
      let sub: string | undefined;
      if (SUB[n.attr]) {
        sub = parent && parent.t === 'Attr' && parent.obj === n ? parent.attr : undefined;
        if (!sub || !SUB[n.attr].test(sub)) return;
      }
      const alias = n.obj.id;
      const shown = `${alias}.${n.attr}${sub ? `.${sub}` : ''}`;
      const ap = n.attrPos;
      const fix = rename
        ? { title: `Use ${alias}.${rename}`, edits: [replaceEdit(ap, rename)] }
        : { title: `Use ${alias}.compat.v1.${n.attr}`, edits: [replaceEdit(ap, `compat.v1.${n.attr}`)] };
      ctx.report({
        node: sub ? (parent as Node) : n,
        severity: tf2Evidence ? 'error' : 'warning',
        message: rename
          ? `\`${shown}\` is TensorFlow 1 API, removed in TF 2: use \`${alias}.${rename}\`.`
          : `\`${shown}\` is TensorFlow 1 graph-mode API and does not exist in TF 2 (AttributeError). Rewrite it with the TF 2 API, or use \`${alias}.compat.v1.${n.attr}\` with v2 behaviour disabled.`,
        fix,
      });
    }, ['Attr']);
  },
};
