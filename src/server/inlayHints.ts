// Inlay hints: the shape after each assignment in forward / call (`x = self.conv1(x)`
// ▸ `[B, 64, 112, 112]`), and, when switched on, each layer's output shape after its
// construction in __init__.

import { InlayHintKind, type InlayHint, type Range } from 'vscode-languageserver';
import { formatShape, type Shape } from '../core/shapes/dim';
import type { TensorLensSettings } from '../shared/protocol';
import type { DocAnalysis } from './analysisService';

export function shapesLabel(shapes: Array<Shape | null>): string {
  return shapes.length === 1 ? formatShape(shapes[0]) : `(${shapes.map(formatShape).join(', ')})`;
}

function inRange(line: number, r: Range): boolean {
  return line >= r.start.line && line <= r.end.line;
}

export function inlayHints(a: DocAnalysis, range: Range, settings: TensorLensSettings): InlayHint[] {
  const opts = settings.inlayHints ?? {};
  if (opts.enabled === false) return [];
  const out: InlayHint[] = [];
  if (opts.forwardShapes !== false) {
    for (const m of a.index.methods) {
      const endOf = (f: { line: number; col: number; endCol: number }) => m.stmtEnds.get(`${f.line}:${f.col}`) ?? { line: f.line, character: f.endCol };
      const perEnd = new Map<string, number>();
      for (const f of m.facts) {
        const e = endOf(f);
        perEnd.set(`${e.line}:${e.character}`, (perEnd.get(`${e.line}:${e.character}`) ?? 0) + 1);
      }
      for (const f of m.facts) {
        const end = endOf(f);
        if (!inRange(end.line, range)) continue;
        // Several targets of one statement (`h, c = ...`) share an end: each hint names its target.
        const shared = (perEnd.get(`${end.line}:${end.character}`) ?? 1) > 1;
        out.push({ position: end, label: shared ? `${f.name}: ${shapesLabel(f.shapes)}` : shapesLabel(f.shapes), kind: InlayHintKind.Type, paddingLeft: true });
      }
    }
    for (const f of a.index.moduleFacts) {
      if (!inRange(f.line, range)) continue;
      const lineText = a.text.split('\n', f.line + 1)[f.line] ?? '';
      out.push({ position: { line: f.line, character: lineText.trimEnd().length }, label: shapesLabel(f.shapes), kind: InlayHintKind.Type, paddingLeft: true });
    }
  }
  if (opts.layerShapes === true) {
    for (const l of a.index.layers) {
      const row = l.rows[0];
      if (!row || !inRange(l.node.endLine, range)) continue;
      out.push({ position: { line: l.node.endLine, character: l.node.endCol }, label: `→ ${formatShape(row.outputShape)}`, kind: InlayHintKind.Type, paddingLeft: true });
    }
  }
  return dedupe(out);
}

/** Two targets of one statement get one hint each; identical hints at one position collapse. */
function dedupe(hints: InlayHint[]): InlayHint[] {
  const seen = new Set<string>();
  return hints.filter((h) => {
    const k = `${h.position.line}:${h.position.character}:${String(h.label)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
