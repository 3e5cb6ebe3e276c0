// DL407: nn.LSTM / GRU / RNN return (output, state); passing that tuple on to the next
// layer (or placing the RNN inside nn.Sequential) fails with a tuple where a tensor was
// expected. The fix unpacks the result where it is bound: `h = self.lstm(x)` -> `h, _ = ...`.

import type { Node } from '../../python/ast';
import type { Fix, LintContext, Rule } from '../types';
import { childrenOf } from '../context';
import { callAt, definitionOf, nodeAt, reportShapeDiagnostics, shortCall } from './dl4-shared';
import type { Range } from '../../summary/types';
import { replaceEdit } from './shared-ast';

export const dl407: Rule = {
  meta: {
    code: 'DL407',
    name: 'rnn-output-tuple-not-unpacked',
    frameworks: ['pytorch'],
    severity: 'error',
    docs:
      'nn.LSTM, nn.GRU and nn.RNN return a tuple (output, hidden), so feeding the result straight into the next layer, ' +
      'indexing it like a tensor (`h[:, -1]`), reading a tensor attribute of it (`h.shape`, `h.view(...)`), ' +
      'or placing the RNN inside nn.Sequential, fails. Unpack it: `out, _ = self.lstm(x)`.',
    fix: 'yes',
  },
  check(ctx) {
    reportShapeDiagnostics(ctx, 'DL407', (d, def) => {
      // The tuple indexed or read like a tensor (`h[:, -1]`, `h.shape`): the engine's message says how.
      if (d.message.startsWith('the (output')) return { message: `The${d.message.slice(3)}.`, fix: unpackFix(ctx, d.range) };
      const rnn = /returned by (\w+)/.exec(d.message)?.[1] ?? 'the RNN';
      const who = def ? shortCall(ctx, def) : 'the next layer';
      const inSequential = !!def && insideSequential(ctx, d.range);
      return {
        message: `${who} receives the ${rnn === 'LSTM' ? '(output, (h_n, c_n))' : '(output, h_n)'} tuple that ${rnn} returns; unpack it first (\`out, _ = ${rnn.toLowerCase()}(x)\`)${inSequential ? ' (an RNN cannot sit inside nn.Sequential)' : ''}.`,
        fix: unpackFix(ctx, d.range),
        // In a Sequential the RNN is what cannot sit there: the finding goes on it.
        range: inSequential ? rnnBefore(ctx, definitionOf(d)) : undefined,
      };
    });
  },
};

/** The RNN constructor written before the layer at `def` in the same container list. */
function rnnBefore(ctx: LintContext, def: Parameters<typeof callAt>[1]): Range | undefined {
  const found = callAt(ctx, def);
  if (!found) return undefined;
  const parent = found.ancestors[found.ancestors.length - 1];
  const items = parent?.t === 'Call' ? parent.args.map((a) => a.value) : parent && (parent.t === 'List' || parent.t === 'Tuple') ? parent.elts : [];
  const at = items.indexOf(found.call);
  for (let i = at - 1; i >= 0; i--) {
    const it = items[i];
    if (it.t === 'Call' && /^torch\.nn\.(LSTM|GRU|RNN)$/.test(ctx.qualifiedName(it.fn) ?? '')) return ctx.rangeOf(it);
  }
  return undefined;
}

function insideSequential(ctx: LintContext, range: Parameters<typeof callAt>[1]): boolean {
  const c = callAt(ctx, range);
  return !!c && ctx.qualifiedName(c.call.fn) === 'torch.nn.Sequential';
}

/**
 * The consuming call's first argument is a name bound once by `name = <call>` in the same
 * function and never used as a tuple: bind `name, _ = <call>` instead.
 */
function unpackFix(ctx: LintContext, range: Parameters<typeof callAt>[1]): Fix | undefined {
  // The consuming call, or the subscript / attribute read that used the tuple (`h[:, -1]`, `h.shape`).
  const used = callAt(ctx, range) ?? nodeAt(ctx, range, ['Subscript', 'Attr']);
  if (!used) return undefined;
  const arg = 'call' in used ? used.call.args[0] : { kind: 'pos', value: used.node.obj };
  if (!arg || arg.kind !== 'pos' || arg.value.t !== 'Name') return undefined;
  const name = arg.value.id;
  const fn = [...used.ancestors].reverse().find((a) => a.t === 'FunctionDef');
  if (!fn || fn.t !== 'FunctionDef') return undefined;
  const binds: Node[] = [];
  let tupleUse = false;
  const visit = (n: Node, parent?: Node) => {
    if (n.t === 'Assign') {
      for (const t of n.targets) {
        if (t.t === 'Name' && t.id === name) binds.push(t);
        if ((t.t === 'Tuple' || t.t === 'List') && t.elts.some((e) => e.t === 'Name' && e.id === name)) tupleUse = true;
      }
    }
    // `h[0]`, `*h` use the tuple; `h[:, -1]` is a tensor's index.
    if (n.t === 'Name' && n.id === name && parent && ((parent.t === 'Subscript' && parent.obj === n && parent.index.t !== 'Tuple') || parent.t === 'Starred')) tupleUse = true;
    if (n.t === 'For' && n.iter.t === 'Name' && n.iter.id === name) tupleUse = true;
    for (const c of childrenOf(n)) visit(c, n);
  };
  for (const s of fn.body) visit(s);
  if (binds.length !== 1 || tupleUse) return undefined;
  return { title: `Unpack the RNN result: ${name}, _ = ...`, edits: [replaceEdit(binds[0], `${name}, _`)] };
}
