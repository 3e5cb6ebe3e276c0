// Shared by the DL4xx shape rules: they turn the propagation findings of the analysis
// (`analysis.diagnostics`, each with the DL4xx code of the ShapeError a layer spec threw)
// into lint findings at the call site, with the layer's definition and the call as
// related information, and find the constructor call behind a diagnostic for quick fixes.

import type { Node, NodeOf } from '../../python/ast';
import type { Diagnostic, Range, Severity } from '../../summary/types';
import type { Fix, LintContext } from '../types';
import { type Call, argOf, replaceEdit, textOf } from './shared-ast';

/** The quick-fix facts a layer's shape error states in its message: `<Layer> expected <arg>=<n> but the input has <m>`. */
export interface ArgMismatch {
  layer: string;
  arg: string;
  expected: number;
  actual: number;
}

export function parseArgMismatch(message: string): ArgMismatch | undefined {
  const m = /^(\w+) expected (\w+)=(-?\d+) but the input has (-?\d+)/.exec(message);
  if (!m) return undefined;
  return { layer: m[1], arg: m[2], expected: Number(m[3]), actual: Number(m[4]) };
}

/** Position of a constructor argument in torch's signatures (for `Linear(784, 10)` style calls). */
const ARG_POSITION: Record<string, number> = {
  in_features: 0,
  in1_features: 0,
  in2_features: 1,
  input_size: 0,
  embed_dim: 0,
  kdim: 6,
  vdim: 7,
  in_channels: 0,
  num_features: 0,
  num_channels: 1,
  num_parameters: 0,
};

export function diagnosticsOf(ctx: LintContext, code: string): Diagnostic[] {
  // (A diagnostic placed in another file, `file` set, has no range in this one.)
  return ctx.analysis.diagnostics.filter((d) => d.code === code && !d.file);
}

const sameRange = (a: Range, n: Node) => a.line === n.line && a.character === n.col && a.endLine === n.endLine && a.endCharacter === n.endCol;

/** The node of one of `types` exactly at `range`, with its ancestors (outermost first). */
export function nodeAt<T extends Node['t']>(ctx: LintContext, range: Range | undefined, types: readonly T[]): { node: NodeOf<T>; ancestors: readonly Node[] } | undefined {
  if (!range) return undefined;
  let found: { node: NodeOf<T>; ancestors: readonly Node[] } | undefined;
  ctx.walk((n, anc) => {
    if (!found && (types as readonly Node['t'][]).includes(n.t) && sameRange(range, n)) found = { node: n as NodeOf<T>, ancestors: [...anc] };
  }, types);
  return found;
}

/** The call expression exactly at `range`, with its ancestors (outermost first). */
export function callAt(ctx: LintContext, range: Range | undefined): { call: Call; ancestors: readonly Node[] } | undefined {
  const found = nodeAt(ctx, range, ['Call']);
  return found && { call: found.node, ancestors: found.ancestors };
}

/** The definition range of the layer behind a diagnostic (the constructor call), when it differs from the call site. */
export function definitionOf(d: Diagnostic): Range | undefined {
  return d.related?.find((r) => r.message === 'layer defined here')?.range;
}

/** Related information: the layer's definition and the call that fed it. */
export function relatedFor(d: Diagnostic, defText?: string): Array<{ message: string; range: Range }> {
  const def = definitionOf(d);
  const out: Array<{ message: string; range: Range }> = [];
  if (def) out.push({ message: defText ? `${defText} is defined here` : 'layer defined here', range: def });
  out.push({ message: 'called here', range: d.range });
  return out;
}

/** A fix that sets a constructor argument to the propagated value (`in_features=300`). */
export function setArgFix(ctx: LintContext, d: Diagnostic, mm: ArgMismatch): Fix | undefined {
  const def = callAt(ctx, definitionOf(d));
  if (!def) return undefined;
  const pos = ARG_POSITION[mm.arg];
  const node = argOf(def.call, mm.arg, pos ?? -1);
  // A literal or constant arithmetic (`16 * 5 * 5`, `C * 4`) is replaced; calls and the like are left to the user.
  if (!node || !['Num', 'BinOp', 'Name'].includes(node.t)) return undefined;
  return { title: `Set ${mm.arg} to ${mm.actual}`, edits: [replaceEdit(node, String(mm.actual))], safe: false };
}

export interface ShapeReport {
  message: string;
  severity?: Severity;
  fix?: Fix;
  /** Where to report instead of the call (or the layer in a container list). */
  range?: Range;
  /**
   * Report it at the layer's definition too, when that is a line of its own in this file
   * (pitfalls.md: DL4xx findings go on the call site and on the definition): for the rules
   * whose fix is a constructor argument (in_features, in_channels, the flattened size).
   */
  atDefinition?: boolean;
}

/**
 * Reports every diagnostic of `code` at its call site; `describe` words the message and
 * adds a fix (return undefined to skip a diagnostic).
 */
export function reportShapeDiagnostics(ctx: LintContext, code: string, describe: (d: Diagnostic, def: Call | undefined) => ShapeReport | undefined): void {
  const seen = new Set<string>();
  for (const d of diagnosticsOf(ctx, code)) {
    // The same layer failing the same way from the example call and from the summary run is one finding.
    const at = definitionOf(d) ?? d.range;
    const key = `${at.line}:${at.character}:${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const found = callAt(ctx, definitionOf(d));
    const def = found?.call;
    const r = describe(d, def);
    if (!r) continue;
    // A layer written in a Sequential's list is called by the container, not by a line of its
    // own: the finding goes on the layer (where the fix is), the container's call is related.
    const range = r.range ?? (found && inContainerList(ctx, found.ancestors) ? ctx.rangeOf(found.call) : d.range);
    const related = relatedFor(d, def ? shortCall(ctx, def) : undefined);
    ctx.report({ range, message: r.message, severity: r.severity, related, fix: r.fix });
    // The definition gets the finding too (ShapeReport.atDefinition); the fix stays with the call site's.
    if (found && r.atDefinition && !r.range && found.call.line !== range.line) {
      ctx.report({ range: ctx.rangeOf(found.call), message: `${r.message} (called at line ${range.line + 1})`, severity: r.severity, related });
    }
  }
}

/** Containers whose constructor (or add / append) takes the layers they call in order. */
const CONTAINERS = new Set(['torch.nn.Sequential', 'torch.nn.ModuleList', 'keras.Sequential', 'keras.models.Sequential']);
const CONTAINER_METHODS = new Set(['add', 'append', 'extend', 'insert']);

/** Whether a layer constructor (with these ancestors) is an element of a container's constructor or add / append call. */
function inContainerList(ctx: LintContext, ancestors: readonly Node[]): boolean {
  let i = ancestors.length - 1;
  if (i >= 0 && (ancestors[i].t === 'List' || ancestors[i].t === 'Tuple')) i--;
  const parent = ancestors[i];
  if (!parent || parent.t !== 'Call') return false;
  const q = ctx.qualifiedName(parent.fn);
  if (q && CONTAINERS.has(q)) return true;
  return parent.fn.t === 'Attr' && CONTAINER_METHODS.has(parent.fn.attr);
}

/** `Linear(200, 100)`: the constructor as written, without the module prefix, shortened when long. */
export function shortCall(ctx: LintContext, call: Call): string {
  const t = textOf(ctx, call).replace(/\s+/g, ' ');
  const short = t.replace(/^[\w.]*\.(?=\w+\()/, '');
  return short.length > 60 ? `${short.slice(0, 57)}...` : short;
}
