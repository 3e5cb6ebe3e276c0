// The lint rule contract: metadata (code, name, frameworks, severity, docs, fixability)
// plus a check that reports findings through the context. Rules never throw out of the
// engine: each runs in its own guard.

import type { Module, Node, NodeOf, Pos } from '../python/ast';
import type { Analysis, Range, Severity } from '../summary/types';
import type { LintFacts } from './facts';

export type RuleFramework = 'pytorch' | 'keras' | 'tensorflow' | 'any';

export interface RuleMeta {
  /** Stable id, never reused: `DL101`. */
  code: string;
  /** kebab-case name: `softmax-before-cross-entropy`. */
  name: string;
  frameworks: RuleFramework[];
  severity: Severity;
  /** One paragraph for the generated docs and hovers. */
  docs: string;
  /** 'yes' = safe quick fix; 'offered' = a fix the user should review; 'no' = none. */
  fix: 'yes' | 'offered' | 'no';
  /**
   * Words of which at least one must occur in the file (anywhere: code, strings or comments)
   * for the rule to be able to fire; the engine skips the rule on a file without any of them.
   * An entry is a whole identifier (`backward`) or, with a leading `*`, the end of one
   * (`*Loss` matches `CrossEntropyLoss`). Omitted when the rule can fire on any file. The
   * rule tests check that every finding's file passes this gate.
   */
  needs?: readonly string[];
  /**
   * Every finding is made at a node that the rule's walk (`ctx.walk`) visits and that spells
   * one of `needs` itself (the method name of `x.view(...)`, the last name of `F.dropout(...)`),
   * and is decided from that node, its ancestors and the file's facts. The walk then skips the
   * top-level statements whose lines hold none of `needs` (engine.ts), unless the file imports
   * one of those names under another name (`from torch.nn.functional import dropout as drop`).
   * `needs` entries must be whole words.
   */
  scoped?: true;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** False for a fix the user should review (never applied by fix-all / `--fix`); default: safe when the rule's meta.fix is 'yes'. */
  safe?: boolean;
}

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  related?: Array<{ message: string; range: Range }>;
  fix?: Fix;
}

/** What a rule reports; severity defaults to the rule's own. */
export interface Report {
  node?: Node;
  range?: Range;
  message: string;
  severity?: Severity;
  related?: Array<{ message: string; range: Range }>;
  fix?: Fix;
}

export interface LintContext {
  readonly text: string;
  readonly lines: string[];
  readonly module: Module;
  readonly analysis: Analysis;
  /** Local name -> canonical dotted path for every import (`nn` -> `torch.nn`, `F` -> `torch.nn.functional`). */
  readonly imports: ReadonlyMap<string, string>;
  /** The canonical dotted name of a Name / Attribute chain resolved through the imports (`nn.Linear` -> `torch.nn.Linear`), or undefined. */
  qualifiedName(node: Node): string | undefined;
  /** Visits every node (statements and expressions) depth-first with its ancestors. */
  /**
   * Visits every node of the file in source order with its ancestors (outermost first).
   * With `types`, only nodes of those kinds are visited (much cheaper: most rules look at calls).
   */
  walk(visit: (node: Node, ancestors: readonly Node[]) => void, types?: readonly Node['t'][]): void;
  /** The 0-based range of a node. */
  rangeOf(node: Pos): Range;
  report(r: Report): void;
  /** Shared per-file facts (pitfalls.md §0.2): class roles, value kinds, lexical contexts, step summaries. Built once per file. */
  readonly facts: LintFacts;
  /** Settings that rules may consult (framework versions). */
  readonly settings: LintSettings;
  /**
   * `.view()` calls the evaluator ran on a tensor whose non-contiguous layout it knew (a
   * transpose's result with known sizes), by call node: true when every run could take the
   * view, false when torch would raise (the analysis then has a DL115 diagnostic there).
   */
  readonly viewChecks: ReadonlyMap<Node, boolean>;
  /**
   * Runs `check`, the rule's look at one class, or reports again what it found the last time:
   * when `cls` is a top-level class kept from the previous tree (the language server's
   * incremental re-parse) and nothing outside the classes changed (LintFacts.outsideClasses).
   * For checks that read only the class itself and what that key covers: imports, class
   * headers, top-level functions and the other top-level statements, settings.
   */
  byClass(cls: NodeOf<'ClassDef'>, check: () => void): void;
}

/** What rules may read from the configuration (not select/ignore, which the engine applies). */
export interface LintSettings {
  /** Framework versions (`[tool.tensorlens] torch = "2.3"`); absent = assume the latest. */
  versions: { torch?: string; tensorflow?: string; keras?: string };
  /** Opt-in profiles from `[tool.tensorlens] profile` (`reproducible`). */
  profiles?: readonly string[];
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: LintContext): void;
}
