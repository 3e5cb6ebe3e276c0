// Python modules beyond the file being analysed: the project's own files (through a
// resolver the host provides — src/core never reads the file system) and library
// stubs written in Python (torch.nn composites, torchvision.models, keras.applications)
// that are parsed once per process and run lazily, only when a file imports them.

import type { Module, Node } from '../python/ast';

/** Source of a module the host found: its path (for messages and cache keys) and text. */
export interface ResolvedModule {
  path: string;
  text: string;
}

/**
 * The host's resolver: `from .blocks import X` in `models/net.py` asks
 * (fromFile 'models/net.py', dotted 'blocks', level 1). Absolute imports have level 0.
 * Returns undefined when the module is not part of the project (a library we do not model).
 */
export type ModuleResolver = (fromFile: string, dotted: string, level: number) => ResolvedModule | undefined;

/** A library module written as a Python stub, evaluated by the same interpreter. */
export interface StubModule {
  /** Dotted module path it defines, e.g. `torchvision.models`. */
  module: string;
  /** Python source. */
  source: string;
  /** Dotted aliases that name the same module (`torchvision.models.resnet`). */
  aliases?: string[];
}

/** Parses Python text into the AST (bound to the analyzer's parser by the caller). */
export type ParseModule = (text: string) => Module | undefined;

const stubAstCache = new Map<string, Module | undefined>();

/** The file of every node of a stub AST (`<torchvision.models>`); stub ASTs live for the process. */
const stubNodeFiles = new WeakMap<object, string>();

/** Stub ASTs are parsed once per process: their text never changes. */
export function stubAst(stub: StubModule, parse: ParseModule): Module | undefined {
  let mod = stubAstCache.get(stub.module);
  if (!mod) {
    // (A parser that gave no tree is not remembered: a later parser may.)
    mod = parse(stub.source);
    if (mod) {
      markNodes(mod, stubFileName(stub), stubNodeFiles);
      stubAstCache.set(stub.module, mod);
    }
  }
  return mod;
}

/** The pseudo file name of a stub module, as the interpreter's `currentFile` shows it. */
export function stubFileName(stub: StubModule): string {
  return `<${stub.module}>`;
}

/** The stub file a node belongs to, or undefined when it is not a stub's node. */
export function stubNodeFile(node: Node): string | undefined {
  return stubNodeFiles.get(node);
}

/** Records `file` for every node of `mod` (a module other than the analysed file). */
export function markNodes(mod: Module, file: string, into: WeakMap<object, string>): void {
  const stack: unknown[] = [...mod.body];
  let guard = 0;
  while (stack.length && ++guard < 5_000_000) {
    const v = stack.pop();
    if (!v || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (const x of v) if (x && typeof x === 'object') stack.push(x);
      continue;
    }
    const o = v as Record<string, unknown>;
    if (typeof o.t === 'string') into.set(o, file);
    for (const k in o) {
      const x = o[k];
      if (x && typeof x === 'object') stack.push(x);
    }
  }
}
