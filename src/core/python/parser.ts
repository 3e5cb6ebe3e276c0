// Loads tree-sitter-python (WASM) from bytes the host provides and parses text.
// Error-tolerant: tree-sitter always returns a tree; ERROR nodes are skipped later.

import { Language, Parser, type Tree } from 'web-tree-sitter';

export interface ParserWasm {
  /** web-tree-sitter's runtime (tree-sitter.wasm). */
  treeSitter: Uint8Array;
  /** The Python grammar (tree-sitter-python.wasm). */
  python: Uint8Array;
}

export interface PyParser {
  parse(text: string, old?: Tree): Tree | null;
}

let runtime: Promise<void> | undefined;

export async function loadParser(wasm: ParserWasm): Promise<PyParser> {
  runtime ??= Parser.init({ wasmBinary: wasm.treeSitter } as object);
  await runtime;
  const lang = await Language.load(wasm.python);
  const parser = new Parser();
  parser.setLanguage(lang);
  return {
    parse: (text, old) => parser.parse(text, old ?? null),
  };
}
