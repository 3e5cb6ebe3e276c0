// DL204: binary cross-entropy on a multi-class softmax head scores each class as an
// independent yes/no, and "accuracy" then becomes binary accuracy over all outputs.

import type { Rule } from '../types';
import { argOf, replaceEdit, scopesOf, strOf, textOf } from './shared-ast';
import { compileCalls, compileLoss, modelDef, outputHead } from './shared-keras';

export const dl204: Rule = {
  meta: {
    code: 'DL204',
    name: 'binary-ce-on-softmax-multiclass',
    frameworks: ['keras'],
    severity: 'warning',
    docs:
      '`binary_crossentropy` on a multi-class softmax output treats each class as an independent yes/no, and `metrics=["accuracy"]` ' +
      'then resolves to binary accuracy averaged over the outputs (a 10-class model predicting nothing scores ~90%). ' +
      'Use categorical cross-entropy; sigmoid multi-label heads are not flagged.',
    fix: 'yes',
    needs: ['compile'],
  },
  check(ctx) {
    for (const scope of scopesOf(ctx)) {
      for (const { call, model } of compileCalls(scope)) {
        const def = modelDef(ctx, scope, model, call.line);
        if (!def) continue;
        const head = outputHead(ctx, scope, def, call.line);
        const loss = compileLoss(ctx, scope, call);
        if (!head || !loss || loss.family !== 'binary' || head.activation !== 'softmax') continue;
        // Units not written as a number (`Dense(n_classes, activation="softmax")`): the catalogue counts them as more than one class.
        if (head.units === undefined ? !head.unitsLayer : head.units <= 2) continue;
        const output = head.units !== undefined ? `a ${head.units}-class softmax output` : `a softmax output of ${textOf(ctx, argOf(head.unitsLayer!, 'units', 0) ?? head.unitsLayer!)} units`;
        const metrics = argOf(call, 'metrics', 2);
        const inflated = !!metrics && (metrics.t === 'List' || metrics.t === 'Tuple') && metrics.elts.some((e) => strOf(e) === 'accuracy' || strOf(e) === 'acc');
        const s = strOf(loss.node);
        const q = ctx.lines[loss.node.line]?.[loss.node.col] === "'" ? "'" : '"';
        ctx.report({
          node: loss.node,
          message:
            `binary_crossentropy on ${output} treats every class as an independent yes/no` +
            (inflated ? '; the requested "accuracy" becomes binary accuracy over the outputs and is inflated.' : '.') +
            ' Use categorical cross-entropy (or a sigmoid head for multi-label problems).',
          related: [{ message: 'softmax output layer', range: ctx.rangeOf(head.activationLayer) }],
          fix: s !== undefined ? { title: 'Use "categorical_crossentropy"', edits: [replaceEdit(loss.node, `${q}categorical_crossentropy${q}`)] } : undefined,
        });
      }
    }
  },
};
