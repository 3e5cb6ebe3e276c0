// Python modules beyond the file being analysed: the project's own files (through a
// resolver the host provides — src/core never reads the file system) and library
// stubs written in Python (torch.nn composites, torchvision.models, keras.applications)
// that are parsed once per process and run lazily, only when a file imports them.

import type { Module } from '../python/ast';

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

/** Stub ASTs are parsed once per process: their text never changes. */
export function stubAst(stub: StubModule, parse: ParseModule): Module | undefined {
  if (!stubAstCache.has(stub.module)) stubAstCache.set(stub.module, parse(stub.source));
  return stubAstCache.get(stub.module);
}
