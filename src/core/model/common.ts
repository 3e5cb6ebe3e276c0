// Helpers every framework's model discovery and summary share: where module-level names
// are assigned, which directive applies to a model, and the shapes of a call's result.

import type { Module, Node } from '../python/ast';
import { NONE, type Value } from '../eval/values';
import type { Shape } from '../shapes/dim';
import type { InputDirective } from './directives';

/** Names bound by an assignment target (`a`, `a, (b, c)`). */
export function collectNames(t: Node): string[] {
  if (t.t === 'Name') return [t.id];
  if (t.t === 'Tuple' || t.t === 'List') return t.elts.flatMap(collectNames);
  return [];
}

/** 0-based line of the first module-level assignment of each name (also inside `if __name__ == ...`). */
export function assignmentLines(mod: Module): Map<string, number> {
  const lines = new Map<string, number>();
  const visit = (body: Node[]) => {
    for (const s of body) {
      if (s.t === 'Assign') for (const t of s.targets) collectNames(t).forEach((n) => lines.has(n) || lines.set(n, s.line));
      if (s.t === 'If') {
        visit(s.body);
        visit(s.orelse);
      }
    }
  };
  visit(mod.body);
  return lines;
}

/** The nearest directive above the model's line; a file-level one (before any code) applies to all. */
export function directiveFor(ds: InputDirective[], modelLine: number): InputDirective | undefined {
  let best: InputDirective | undefined;
  for (const d of ds) if (d.line <= modelLine && (!best || d.line > best.line)) best = d;
  return best;
}

/**
 * The shape a PyTorch summary gives a model's output, as torchinfo and the oracle take it: a
 * tensor's, or that of a tuple's or list's first item (LSTM, attention, a namedtuple); a dict
 * (`{"logits": ..., "boxes": ...}`, Hugging Face's ModelOutput) or any other object has none.
 */
export function firstShape(v: Value): Shape | null {
  if (v.k === 'tensor') return v.shape;
  if (v.k === 'tuple' || v.k === 'list') return v.items[0] ? firstShape(v.items[0]) : null;
  if (v.k === 'instance' && v.cls.tupleRecord && v.cls.fields) return firstShape(v.attrs.get(v.cls.fields[0]?.name ?? '') ?? NONE);
  return null;
}

/** Shapes of a call's result: a tensor, or the first tensor of a tuple (LSTM, attention). */
export function outputShapes(v: Value): Array<Shape | null> {
  if (v.k === 'tensor') return [v.shape];
  if (v.k === 'tuple' || v.k === 'list') {
    const first = v.items[0];
    if (!first) return [];
    if (first.k === 'tensor') return v.items.map((x) => (x.k === 'tensor' ? x.shape : null));
    return outputShapes(first);
  }
  if (v.k === 'dict') return v.vals.map((x) => (x.k === 'tensor' ? x.shape : null));
  // A namedtuple is a tuple of its fields (torchvision's GoogLeNetOutputs, InceptionOutputs).
  if (v.k === 'instance' && v.cls.tupleRecord && v.cls.fields) return outputShapes({ k: 'tuple', items: v.cls.fields.map((f) => v.attrs.get(f.name) ?? NONE) });
  return [null];
}
