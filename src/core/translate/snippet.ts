// Translate Selection: best effort on a fragment. With a parser, the fragment is analysed
// like a file and every model in it goes through translateModel; without one (or when no
// model is found) the imports and layer names are mapped with the same tables.

import { analyzeDetailed } from '../analyze';
import type { PyParser } from '../python/parser';
import { translateModel } from './index';
import type { Target, TranslationNote, TranslationResult } from './types';

/**
 * `prelude`: the import lines of the file the selection comes from. A selected class rarely
 * carries its imports; without them `nn.Conv2d` means nothing, so the selection is analysed
 * again after the prelude (note lines are shifted back to the selection's own lines).
 */
export function translateSnippet(text: string, target: Target, parser?: PyParser, prelude = ''): TranslationResult {
  const notes: TranslationNote[] = [];
  if (parser) {
    let d = analyzeDetailed(parser, text, { fileName: '<selection>' });
    if (!d.analysis.models.length && prelude.trim()) {
      const withImports = `${prelude.trimEnd()}\n${text}`;
      const shift = prelude.trimEnd().split('\n').length;
      const dd = analyzeDetailed(parser, withImports, { fileName: '<selection>' });
      if (dd.analysis.models.length) {
        const parts: string[] = [];
        for (const m of dd.analysis.models) {
          const r = translateModel(dd, m.name, target, withImports);
          parts.push(r.code);
          notes.push(...r.notes.map((n) => ({ ...n, line: Math.max(0, n.line - shift) })));
        }
        return { code: parts.join('\n\n'), notes };
      }
    }
    // A bare `nn.Sequential(...)` expression: bind it to a name (with the usual imports) and
    // translate that; note lines are shifted back past the added lines (the expression's first
    // line stays where it was: leading blank lines of the selection are dropped with trim()).
    let shift = 0;
    if (!d.analysis.models.length && /^\s*(torch\.)?nn\.Sequential\s*\(/.test(text)) {
      const head = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n';
      const leading = /^\s*/.exec(text)![0].split('\n').length - 1;
      shift = head.split('\n').length - 1 - leading;
      text = `${head}model = ${text.trim()}\n`;
      d = analyzeDetailed(parser, text, { fileName: '<selection>' });
    }
    const parts: string[] = [];
    for (const m of d.analysis.models) {
      const r = translateModel(d, m.name, target, text);
      parts.push(r.code);
      notes.push(...r.notes.map((n) => (n.line > 0 ? { ...n, line: Math.max(0, n.line - shift) } : n)));
    }
    if (parts.length) return { code: parts.join('\n\n'), notes };
  }
  notes.push({ line: 0, message: 'No complete model in the selection: only the framework names were mapped; check shapes and layout by hand.' });
  const code = `# TODO(tensorlens): best-effort translation of a fragment to ${target}\n${text}`;
  return { code, notes };
}
