// The pipeline: parse -> run module code (with `__name__ == "__main__"`, so example
// calls are seen) -> discover models -> choose input shapes -> call each model with
// abstract tensors while recording leaf calls -> rows, totals, diagnostics.

import { numpyRegistry } from './frameworks/numpy';
import type { PyParser } from './python/parser';
import { type Module, type Node, type NodeOf, statementStartLine, toModule } from './python/ast';
import { parseFast, reparse } from './python/incremental';
import { fastParse } from './python/fastparse';
import { repairMissingColons } from './python/repair';
import { Interp, SKIPPED, STOPPED } from './eval/interp';
import { makeBuiltins } from './eval/builtins';
import { BudgetExceeded } from './eval/budget';
import { type ClassV, type DictV, type InstanceV, type TensorV, type Value, tensor, unknown } from './eval/values';
import { TorchRuntime, flowSources, isModule, modesOf, stampMatches, walkModules, type CallRecord, type ExampleCall, type RecordedRun } from './frameworks/torch/runtime';
import { symbolicInputOf, symbolicTorchInput } from './frameworks/torch/inputs';
import { KerasRuntime, NONE_BATCH, collectTensors, dictValuesFlat, type KerasState } from './frameworks/keras/runtime';
import { TfRuntime } from './frameworks/tf/runtime';
import { discoverTfModels, summarizeTfModel } from './model/tf';
import { type Dim, type Shape, dimsEqual, formatShape, sym } from './shapes/dim';
import { parseInputDirectives, type InputDirective } from './model/directives';
import { assignmentLines, directiveFor, firstShape, outputShapes } from './model/common';
import type { Analysis, AnalyzeOptions, DataflowGraph, Diagnostic, InputSource, LayerRow, ModelSummary, Range, ShapeFact } from './summary/types';
import { countMacs } from './summary/macs';
import { LIBRARY_STUBS } from './frameworks/library/index';
import { ChainRegistry, type RegistryView } from './eval/registry';

interface Candidate {
  framework: 'pytorch' | 'keras' | 'tensorflow';
  name: string;
  kind: ModelSummary['kind'];
  line: number;
  /** A built instance, or the class to build with no arguments. */
  inst?: InstanceV;
  cls?: ClassV;
}

/** Larger files get a clear note instead of a slow analysis (parsing alone is ~1 s per MB). */
const MAX_FILE_BYTES = 3 * 1024 * 1024;
/** Models summarised per file; a generated file with thousands of classes stays bounded. */
const MAX_MODELS = 200;

/** The analysis plus what the linter needs: the AST and the file's imports. */
export interface DetailedAnalysis {
  analysis: Analysis;
  /** Undefined when the file was not parsed (too large, parser failure). */
  module?: Module;
  imports: Map<string, string>;
  /**
   * The model objects behind `analysis.models`, by model name: the IR (module tree, layer
   * specs and bound arguments). Two models of one name (a class built twice with other
   * arguments, in a function) are both in `analysis.models`; this map holds the first, as
   * a lookup by name finds the first summary; `instanceOf` has each.
   */
  instances: Map<string, InstanceV>;
  /** The model object behind each summary of `analysis.models`. */
  instanceOf?: Map<ModelSummary, InstanceV>;
  /** The interpreter after the run (globals, classes); for products that need more than the summary. */
  interp?: Interp;
  /**
   * With options.traceShapes: facts keyed by `line:col` of each assignment target. The last
   * value wins: the summary runs after the module code, so facts describe the summary's input.
   */
  shapeFacts?: Map<string, ShapeFact>;
  /** The framework runtimes used (torch module tree helpers, Keras graph and layer lists). */
  runtimes?: { torch: TorchRuntime; keras: KerasRuntime; tf: TfRuntime };
}

/**
 * Python text to the AST: the hand-written parser first (exact, and an order of magnitude
 * faster), tree-sitter when it declines (syntax errors, half-typed code, rare constructs):
 * tree-sitter recovers from errors and yields the parts that parse.
 */
export function parseText(parser: PyParser, text: string, previous?: { text: string; module: Module }): Module | undefined {
  // After an edit, the statements the edit cannot reach are kept (incremental.ts).
  const fast = (previous && reparse(previous.text, previous.module, text)) || parseFast(text);
  if (fast) return fast;
  const tree = parser.parse(text);
  if (!tree) return undefined;
  let mod: Module;
  try {
    mod = toModule(tree);
  } finally {
    tree.delete();
  }
  // A block header still without its colon: tree-sitter's recovery may lose the rest of the
  // file there. With the colons supplied, the whole file is kept and the errors are placed
  // where the colons are missing.
  if (mod.errors.length) {
    const fix = repairMissingColons(text);
    const repaired = fix && fastParse(fix.text);
    if (repaired) return { ...repaired, errors: fix.at.map((p) => ({ line: p.line, col: p.col, endLine: p.line, endCol: p.col })) };
  }
  return mod;
}

export function analyzeText(parser: PyParser, text: string, options: AnalyzeOptions): Analysis {
  return analyzeDetailed(parser, text, options).analysis;
}

export function analyzeDetailed(parser: PyParser, text: string, options: AnalyzeOptions): DetailedAnalysis {
  const result: DetailedAnalysis = { analysis: undefined as unknown as Analysis, imports: new Map(), instances: new Map() };
  result.analysis = analyzeInto(parser, text, options, result);
  return result;
}

function analyzeInto(parser: PyParser, text: string, options: AnalyzeOptions, out: DetailedAnalysis): Analysis {
  const file = options.fileName ?? '<text>';
  const analysis: Analysis = { file, framework: 'unknown', models: [], diagnostics: [], syntaxErrors: [], notes: [] };
  const maxBytes = options.maxFileBytes ?? MAX_FILE_BYTES;
  if (text.length > maxBytes) {
    analysis.notes.push(`File too large to analyse (${(text.length / 1048576).toFixed(1)} MB; the limit is ${(maxBytes / 1048576).toFixed(1)} MB).`);
    return analysis;
  }
  const mod = parseText(parser, text, options.previous);
  if (!mod) {
    analysis.notes.push('The parser returned no tree.');
    return analysis;
  }
  analysis.syntaxErrors = mod.errors.map(posRange);
  out.module = mod;
  if (mod.errors.length) {
    const first = mod.errors[0];
    analysis.notes.push(`${mod.errors.length} syntax error(s), the first at line ${first.line + 1}, column ${first.col + 1}; the parts that parse were analysed.`);
  }

  // The engine's state after some top-level statements may have been made ahead, on the
  // previous version of the text (prepareRun): used when those statements are unchanged.
  const r = options.resume;
  const resumed = r && (r.bodyEdit ? resumableAfterBodyEdit(r, options, mod, text) : resumable(r, options, mod, text)) ? r : undefined;
  const run = resumed?.state ?? newRun(parser, file, options);
  if (resumed) {
    resumed.used = true;
    run.ip.resumeClock();
  }
  const { torch, keras, tf, ip } = run;
  if (run.facts) out.shapeFacts = run.facts;

  analysis.framework = detectFramework(ip, mod);
  setFileModes(run, mod, analysis.framework);
  torch.recordExamples = exampleRecording(options);
  try {
    runRest(ip, mod, resumed);
  } finally {
    torch.recordExamples = undefined;
  }

  const directives = parseInputDirectives(mod.comments);
  const built = runUncalledBuilders(ip, keras, mod, text);
  const candidates = [...discoverModels(ip, torch, mod, built), ...discoverKerasModels(ip, keras, mod, built), ...discoverTfModels(ip, tf, mod)].sort((a, b) => a.line - b.line);
  let summarised = 0;
  for (const c of candidates) {
    if (options.model && c.name !== options.model) continue;
    if (++summarised > MAX_MODELS) {
      analysis.notes.push(`Only the first ${MAX_MODELS} of ${candidates.length} models were summarised.`);
      break;
    }
    try {
      const summary = c.framework === 'keras' ? summarizeKerasModel(ip, keras, c, options, directives)
        : c.framework === 'tensorflow' ? summarizeTfModel(ip, tf, c, options, directives)
        : summarizeModel(ip, torch, c, options, directives);
      if (summary) {
        analysis.models.push(summary);
        if (c.inst) {
          if (!out.instances.has(summary.name)) out.instances.set(summary.name, c.inst);
          (out.instanceOf ??= new Map()).set(summary, c.inst);
        }
      }
    } catch (e) {
      if (e instanceof BudgetExceeded || e instanceof RangeError) {
        analysis.notes.push(`${c.name}: ${e.message}; summary incomplete.`);
        continue;
      }
      throw e;
    }
  }
  if (options.model && analysis.models.length === 0) {
    analysis.notes.push(`No model named '${options.model}' was found. Models here: ${candidates.map((c) => c.name).join(', ') || 'none'}.`);
  }
  analysis.diagnostics.push(...shapeDiagnostics(ip));
  out.imports = ip.importedPaths;
  out.interp = ip;
  out.runtimes = { torch, keras, tf };
  analysis.notes.push(...ip.notes);
  if (ip.importedFiles.size) analysis.dependencies = [...ip.importedFiles];
  if (analysis.framework === 'unknown' && analysis.models.length) analysis.framework = analysis.models[0].framework;
  return analysis;
}

/** What a module run builds before its first statement: the runtimes, the interpreter, the shape facts. */
interface RunState {
  torch: TorchRuntime;
  keras: KerasRuntime;
  tf: TfRuntime;
  ip: Interp;
  facts?: Map<string, ShapeFact>;
}

/**
 * Python's builtins, made once per process: they hold no state of a run (a native reaches
 * its interpreter through the call's CallCtx), and nothing adds to or changes the map.
 */
let BUILTINS: Map<string, Value> | undefined;

function newRun(parser: PyParser, file: string, options: AnalyzeOptions): RunState {
  const torch = new TorchRuntime();
  const keras = new KerasRuntime();
  const tf = new TfRuntime(keras);
  // One map: plain names (and `__method__.<kind>.<name>`) are the interpreter's builtins;
  // dotted names (`math.sqrt`) are found through the registry view below.
  const builtins = (BUILTINS ??= makeBuiltins());
  // Later runtimes win a shared name, as the merged map did (builtins, then tf, keras, torch).
  const registry = new ChainRegistry([numpyRegistry(), dottedBuiltins(builtins), tf.registry, keras.registry, torch.registry]);
  const parseModule = (src: string): Module | undefined => parseText(parser, src);
  const ip = new Interp([tf, torch, keras], builtins, registry, file, options.maxSteps ? { maxSteps: options.maxSteps } : {}, {
    parse: parseModule, stubs: LIBRARY_STUBS, resolver: options.resolveModule,
  });
  const run: RunState = { torch, keras, tf, ip };
  if (options.traceShapes) {
    const facts = new Map<string, ShapeFact>();
    run.facts = facts;
    ip.onAssign = (target, v) => {
      const shapes = tensorShapes(v);
      if (shapes && ip.currentFile === ip.fileName) facts.set(`${target.line}:${target.col}`, { name: target.id, line: target.line, col: target.col, endCol: target.endCol, shapes });
    };
  }
  return run;
}

/**
 * A module run made ahead of the next edit (the language server, while the user pauses): the
 * engine's state after the first `done` top-level statements of `module`. An analysis given
 * it (AnalyzeOptions.resume) whose text starts with the same statements, at the same places,
 * goes on from there instead of running them again: top-level statements run in order, so
 * the state is the one a run from the start would reach. Used at most once.
 */
export interface PreparedRun {
  readonly module: Module;
  readonly text: string;
  /** Top-level statements run so far. */
  done: number;
  /** The run hit the step budget: a run from the start stops there too. */
  stopped: boolean;
  /** An analysis went on from this state (it cannot be used again). */
  used: boolean;
  readonly state: RunState;
  readonly key: string;
  /** TorchRuntime.recordExamples during the run (exampleRecording). */
  readonly record?: { flow: boolean };
  /** A run that goes on past an edited function definition (BodyEdit); undefined: it stops before the edit. */
  readonly bodyEdit?: BodyEdit;
  /** Of the top-level `if` at `done` (a run past a body edit enters them): its branch, and the branch's statements run. */
  branch?: Node[];
  inner?: number;
  /** The step during which the edited function was called (BodyEdit): this state is not the next text's. */
  called?: RunPosition;
}

/** Where a prepared run stands: `done` top-level statements run, and `inner` statements of the branch of the `if` at `done`. */
export interface RunPosition {
  done: number;
  inner?: number;
}

/**
 * The last edit was inside the body of a function (a method of the class at top-level
 * statement `stmt`, or the statement itself), and the user is likely to go on typing there.
 * A run prepared for that goes on past the statement, with the function as it was, up to
 * the first step that calls it (found by a first run: `limit`). The next text can go on from
 * there when it differs only inside that body: every value the statements made is the same
 * but for the function's code, which is then pointed at the new definition. Top-level `if`
 * statements (`if __name__ == "__main__":`) are entered, so that building a model there is
 * kept and only its call runs again.
 */
export interface BodyEdit {
  stmt: number;
  def: NodeOf<'FunctionDef'>;
  /** Stop before this step (where the function was first called); undefined: run until it is called, or to the end. */
  limit?: RunPosition;
}

/**
 * The function whose body holds lines [first, last] of `module` (changed by the last edit),
 * in top-level statement `stmt`: the statement itself, or a method of the class it defines.
 */
export function bodyEditAt(module: Module, stmt: number, first: number, last: number): BodyEdit | undefined {
  const s = module.body[stmt];
  if (!s || module.errors.length) return undefined;
  const defs = s.t === 'FunctionDef' ? [s] : s.t === 'ClassDef' ? s.body.filter((m): m is NodeOf<'FunctionDef'> => m.t === 'FunctionDef') : [];
  for (const def of defs) {
    if (!def.body.length) continue;
    const start = statementStartLine(def.body[0]);
    // (A body on the `def` line itself is left out: the header would change with it.)
    if (start > def.line && start <= first && last <= def.endLine) return { stmt, def };
  }
  return undefined;
}

/** The lines of `b` that differ from `a`: [first, last] (0-based, in `b`), or undefined when the texts are the same. */
export function changedLines(a: string, b: string): { first: number; last: number } | undefined {
  if (a === b) return undefined;
  const al = a.split('\n');
  const bl = b.split('\n');
  let first = 0;
  while (first < al.length && first < bl.length && al[first] === bl[first]) first++;
  let fromEnd = 0;
  while (fromEnd < al.length - first && fromEnd < bl.length - first && al[al.length - 1 - fromEnd] === bl[bl.length - 1 - fromEnd]) fromEnd++;
  return { first, last: Math.max(first, bl.length - 1 - fromEnd) };
}

/** TorchRuntime.recordExamples while the module runs: the example calls a summary may reuse. */
function exampleRecording(options: AnalyzeOptions): { flow: boolean } | undefined {
  return options.reuseForward !== false ? { flow: options.dataflow !== false } : undefined;
}

/** The options that change what the module's statements do (the others act after the run). */
function runKey(options: AnalyzeOptions): string {
  return JSON.stringify([options.fileName ?? '<text>', !!options.traceShapes, options.dataflow !== false, options.reuseForward !== false, options.maxSteps ?? 0]);
}

/**
 * What the file's imports switch in the runtimes before its statements run: tf.keras 2's
 * naming and input rules, numpy's slices on TF tensors. Set by the analysis and by a run
 * prepared ahead of it alike (its statements run under the same rules).
 */
function setFileModes(run: RunState, mod: Module, framework: Analysis['framework']): void {
  run.keras.names.legacy = tfKerasOnly(mod);
  run.tf.numpySlices = framework === 'keras' || framework === 'tensorflow';
}

/** A run of `module` (the analysed tree of `text`) prepared to go on with `advancePreparedRun`. */
export function prepareRun(parser: PyParser, text: string, module: Module, options: AnalyzeOptions, bodyEdit?: BodyEdit): PreparedRun {
  const state = newRun(parser, options.fileName ?? '<text>', options);
  setFileModes(state, module, detectFramework(state.ip, module));
  state.ip.pauseClock(); // (it runs only while it takes steps)
  if (bodyEdit) state.ip.trap = { def: bodyEdit.def, stmt: module.body[bodyEdit.stmt], called: false, made: [], classes: [] };
  return { module, text, done: 0, stopped: false, used: false, state, key: runKey(options), record: exampleRecording(options), ...(bodyEdit ? { bodyEdit } : {}) };
}

/**
 * Runs the next top-level statement of a prepared run (none past `upTo`); false when there is
 * nothing more to do. A run past a body edit (BodyEdit) takes its own steps instead, to its limit.
 */
export function advancePreparedRun(p: PreparedRun, upTo: number): boolean {
  if (p.bodyEdit) return advancePastBodyEdit(p);
  const end = Math.min(upTo, p.module.body.length);
  if (p.used || p.stopped || p.done >= end) return false;
  const { ip } = p.state;
  preparedStep(p, () => {
    if (ip.runModule(p.module, ip.globals, p.done, p.done + 1)) p.done++;
    else p.stopped = true;
  });
  const more = !p.stopped && p.done < end;
  if (!more && !p.stopped) warm(p);
  return more;
}

/** One step of a prepared run: its clock runs and examples are recorded while it takes it; an engine failure stops the run (its state is not that of a clean run). */
function preparedStep(p: PreparedRun, step: () => void): void {
  const { ip, torch } = p.state;
  torch.recordExamples = p.record;
  ip.resumeClock();
  try {
    step();
  } catch (e) {
    p.stopped = true;
    throw e;
  } finally {
    ip.pauseClock();
    torch.recordExamples = undefined;
  }
}

/** At the end of a prepared run: the layer facts of the models it built, worked out now rather than in the next analysis. */
function warm(p: PreparedRun): void {
  p.state.torch.warmLayerFacts(p.state.ip.globals.vars.values());
}

/** Whether a run past a body edit has reached the step it must stop before (BodyEdit.limit). */
function atLimit(p: PreparedRun): boolean {
  const l = p.bodyEdit?.limit;
  if (!l || p.done !== l.done) return !!l && p.done > l.done;
  return l.inner === undefined || (p.inner !== undefined && p.inner >= l.inner);
}

/**
 * One step of a run past a body edit: a top-level statement; after the edited one, a
 * top-level `if` is taken in steps (its test, then each statement of its branch). Stops after
 * a step that called the edited function (`called`): that state is lost, and the caller
 * prepares again with the limit there.
 */
function advancePastBodyEdit(p: PreparedRun): boolean {
  const mod = p.module;
  if (p.used || p.stopped || p.called || atLimit(p) || p.done >= mod.body.length) return false;
  const { ip } = p.state;
  const at: RunPosition = p.inner === undefined ? { done: p.done } : { done: p.done, inner: p.inner };
  const leave = () => {
    p.done++;
    p.branch = undefined;
    p.inner = undefined;
  };
  preparedStep(p, () => {
    const s = mod.body[p.done];
    if (p.branch && p.inner !== undefined) {
      const r = branchStatement(ip, s, p.branch[p.inner]);
      if (r === 'stopped') p.stopped = true;
      else if (r === 'left' || ++p.inner >= p.branch.length) leave();
    } else if (s.t === 'If' && p.done > p.bodyEdit!.stmt) {
      const r = ip.topStep(s, () => ip.enterIf(s, ip.globals));
      if (r === STOPPED) p.stopped = true;
      else if (r === SKIPPED || r.length === 0) leave();
      else {
        p.branch = r;
        p.inner = 0;
      }
    } else if (ip.runModule(mod, ip.globals, p.done, p.done + 1)) leave();
    else p.stopped = true;
  });
  if (ip.trap?.called) {
    p.called = at;
    return false;
  }
  const more = !p.stopped && !atLimit(p) && p.done < mod.body.length;
  if (!more && !p.stopped) warm(p);
  return more;
}

/**
 * One statement `st` of the branch of the top-level `if` `s`, as exec and runModule run it:
 * 'next' to go on in the branch; 'left' when a signal (a raise) or too deep a nesting ended
 * the branch, as in execBlock; 'stopped' when the step budget ended the file.
 */
function branchStatement(ip: Interp, s: Node, st: Node): 'next' | 'left' | 'stopped' {
  const r = ip.topStep(s, () => ip.exec(st, ip.globals));
  return r === STOPPED ? 'stopped' : r === null ? 'next' : 'left';
}

/** The rest of the module after a prepared run (`p.done` statements and `p.inner` of the next one's branch), or all of it. */
function runRest(ip: Interp, mod: Module, p: PreparedRun | undefined): void {
  let from = p?.done ?? 0;
  if (p?.branch && p.inner !== undefined) {
    const s = mod.body[from];
    for (let j = p.inner; j < p.branch.length; j++) {
      const r = branchStatement(ip, s, p.branch[j]);
      if (r === 'stopped') return;
      if (r === 'left') break;
    }
    from++;
  }
  ip.runModule(mod, ip.globals, from);
}

/** The same kind of statement on the same lines (and, unless it holds the edited body, which may end its last line otherwise, the same columns). */
const sameSpan = (a: Node, b: Node, holdsEdit = false) =>
  a.t === b.t && a.line === b.line && a.col === b.col && a.endLine === b.endLine && (holdsEdit || a.endCol === b.endCol) && statementStartLine(a) === statementStartLine(b);

/**
 * Whether `mod` (the tree of `text`) can go on from a run prepared past a body edit: the
 * same run options, the run got past the edited statement without calling the function, no
 * syntax error, the same number of lines and the same lines outside the function's body,
 * and the same statements at the same places (the function too). The run's statements are
 * then put in the new tree (as `resumable` does), the class keeps its other methods' nodes,
 * and the values made from the function point at its new definition.
 */
function resumableAfterBodyEdit(p: PreparedRun, options: AnalyzeOptions, mod: Module, text: string): boolean {
  const be = p.bodyEdit!;
  const trap = p.state.ip.trap;
  if (p.used || p.stopped || p.called || !trap || trap.called || !trap.made.length || p.key !== runKey(options)) return false;
  if (p.done <= be.stmt || mod.errors.length || p.module.errors.length) return false;
  // The text: lines outside [first line of the body, end of the function] unchanged.
  const r0 = statementStartLine(be.def.body[0]);
  const r1 = be.def.endLine;
  const aLines = new LineOffsets(p.text);
  const bLines = new LineOffsets(text);
  const aFrom = aLines.start(r0);
  const bFrom = bLines.start(r0);
  const aTo = aLines.start(r1 + 1);
  const bTo = bLines.start(r1 + 1);
  if (aFrom !== bFrom || p.text.length - aTo !== text.length - bTo) return false;
  if (!text.startsWith(p.text.slice(0, aFrom)) || !text.endsWith(p.text.slice(aTo))) return false;
  if (p.text.slice(aFrom, aTo).split('\n').length !== text.slice(bFrom, bTo).split('\n').length) return false;
  // The tree: the same statements at the same places.
  const old = p.module.body;
  if (mod.body.length !== old.length) return false;
  for (let i = 0; i < old.length; i++) if (!sameSpan(old[i], mod.body[i], i === be.stmt)) return false;
  const oldStmt = old[be.stmt];
  const newStmt = mod.body[be.stmt];
  let newDef: Node | undefined;
  let member = -1;
  if (oldStmt === be.def) newDef = newStmt;
  else if (oldStmt.t === 'ClassDef' && newStmt.t === 'ClassDef' && oldStmt.body.length === newStmt.body.length) {
    member = oldStmt.body.indexOf(be.def);
    if (!oldStmt.body.every((m, k) => sameSpan(m, newStmt.body[k], k === member))) return false;
    newDef = newStmt.body[member];
  }
  if (!newDef || newDef.t !== 'FunctionDef' || newDef.name !== be.def.name || !sameSpan(newDef, be.def, true)) return false;
  // Go on: the run's nodes in the new tree, but the edited function's.
  const ran = p.inner !== undefined ? p.done + 1 : p.done;
  for (let i = 0; i < ran; i++) if (i !== be.stmt) mod.body[i] = old[i];
  if (member >= 0 && oldStmt.t === 'ClassDef' && newStmt.t === 'ClassDef') {
    for (let k = 0; k < newStmt.body.length; k++) if (k !== member) newStmt.body[k] = oldStmt.body[k];
    for (const c of trap.classes) c.node = newStmt;
  }
  for (const f of trap.made) {
    f.node = newDef;
    f.body = newDef.body;
    f.params = newDef.params;
  }
  p.state.ip.trap = undefined;
  return true;
}

/**
 * Whether `mod` (the tree of `text`) can go on from `p`: the same run options, and its first
 * `p.done` statements are the prepared ones, or statements at the same places with the same
 * lines of text (a re-parse made new nodes for them). Those are put in place of the new
 * nodes, so the values the run made (classes, functions, layers) refer to the tree analysed.
 */
function resumable(p: PreparedRun, options: AnalyzeOptions, mod: Module, text: string): boolean {
  // (Not after the step budget stopped it: the statement it stopped in may have changed.)
  if (p.used || p.stopped || p.done === 0 || p.key !== runKey(options)) return false;
  // A syntax error at or above the prepared statements: the error-recovering parse may read
  // them otherwise than the clean tree they were run from.
  const lastLine = p.module.body[p.done - 1].endLine;
  if (mod.errors.some((e) => e.line <= lastLine)) return false;
  const swaps: number[] = [];
  if (unchangedLead(p, { module: mod, text }, p.done, swaps) < p.done) return false;
  for (const i of swaps) mod.body[i] = p.module.body[i];
  return true;
}

/**
 * How many leading top-level statements (at most `limit`) two versions of a file share: the
 * same node, or a statement at the same place whose lines of text are the same (a re-parse
 * made a new node for it). `swaps` collects the indices of the latter.
 */
export function unchangedLead(a: { module: Module; text: string }, b: { module: Module; text: string }, limit = Infinity, swaps?: number[]): number {
  const n = Math.min(limit, a.module.body.length, b.module.body.length);
  let aLines: LineOffsets | undefined;
  let bLines: LineOffsets | undefined;
  for (let i = 0; i < n; i++) {
    const x = a.module.body[i];
    const y = b.module.body[i];
    if (x === y) continue;
    const start = statementStartLine(x);
    if (start !== statementStartLine(y) || x.col !== y.col || x.endLine !== y.endLine || x.endCol !== y.endCol) return i;
    aLines ??= new LineOffsets(a.text);
    bLines ??= new LineOffsets(b.text);
    if (aLines.lines(start, x.endLine) !== bLines.lines(start, x.endLine)) return i;
    swaps?.push(i);
  }
  return n;
}

/** Lines of a text by number, without splitting it: line starts are found scanning on from the last line asked for. */
class LineOffsets {
  private line = 0;
  private at = 0;

  constructor(private readonly text: string) {}

  /** The offset where line `line` starts (the text's length past its last line). */
  start(line: number): number {
    if (line < this.line) {
      this.line = 0;
      this.at = 0;
    }
    while (this.line < line) {
      const nl = this.text.indexOf('\n', this.at);
      if (nl < 0) return this.text.length;
      this.at = nl + 1;
      this.line++;
    }
    return this.at;
  }

  /** Lines [from, to] with the newlines between them: what joining those lines of the split text gives. */
  lines(from: number, to: number): string {
    const a = this.start(from);
    const nl = this.text.indexOf('\n', this.start(to));
    return this.text.slice(a, nl < 0 ? this.text.length : nl);
  }
}

/** The dotted builtins (`math.sqrt`, not `__method__.*`) of the builtins map, as a registry. */
function dottedBuiltins(m: ReadonlyMap<string, Value>): RegistryView {
  const dotted = (k: string) => k.includes('.') && !k.startsWith('__method__.');
  return {
    get: (p) => (dotted(p) ? m.get(p) : undefined),
    names: () => [...m.keys()].filter(dotted),
  };
}

/**
 * Whether the file reaches Keras only through TensorFlow (`tf.keras`, `from tensorflow
 * import keras`), never as standalone `keras`: its models follow TensorFlow 2's tf.keras
 * naming (KerasNameCounter.legacy).
 */
function tfKerasOnly(mod: Module): boolean {
  let tf = false;
  let standalone = false;
  const visit = (body: readonly Node[]): void => {
    for (const st of body) {
      if (st.t === 'Import') {
        for (const { name } of st.names) {
          if (name === 'keras' || name.startsWith('keras.')) standalone = true;
          else if (name === 'tensorflow' || name.startsWith('tensorflow.')) tf = true;
        }
      } else if (st.t === 'ImportFrom' && st.level === 0) {
        if (st.module === 'keras' || st.module.startsWith('keras.')) standalone = true;
        else if (st.module === 'tensorflow' || st.module.startsWith('tensorflow.')) tf = true;
      } else if (st.t === 'If' || st.t === 'Try') {
        visit(st.body);
        if (st.t === 'If') visit(st.orelse);
        else st.handlers.forEach((h) => visit(h));
      }
    }
  };
  visit(mod.body);
  return tf && !standalone;
}

function detectFramework(ip: Interp, mod: Module): Analysis['framework'] {
  let torch = false;
  let keras = false;
  let tf = false;
  for (const s of mod.body) {
    if (s.t === 'Import') for (const n of s.names) classify(n.name);
    if (s.t === 'ImportFrom') classify(s.module);
  }
  function classify(name: string) {
    if (name === 'torch' || name.startsWith('torch.')) torch = true;
    else if (name === 'keras' || name.startsWith('keras.') || name.startsWith('tensorflow.keras')) keras = true;
    else if (name === 'tensorflow' || name.startsWith('tensorflow.')) tf = true;
  }
  void ip;
  return torch ? 'pytorch' : keras ? 'keras' : tf ? 'tensorflow' : 'unknown';
}

/** Models: top-level module classes of this file (not used as blocks of another), and module-level module objects. */
/** A model a builder function returned when the analysis called it (runUncalledBuilders). */
interface BuiltModel {
  name: string;
  line: number;
  inst: InstanceV;
}

/** Names a builder's body must mention to be called: the model classes it could return. */
const BUILDER_WORDS = new Set(['Sequential', 'Model', 'Functional', 'ModuleList']);

/**
 * The file's model builders that nothing called (`def build_model(input_shape, n=10): ...
 * return keras.Sequential([...])` in a module others import): each top-level function that
 * returns a value and names a model class is called once after the run (parameters without
 * a default are unknown), and the model it returns is summarised under its name, as if the
 * file had called it. Its shape errors are then found too.
 */
function runUncalledBuilders(ip: Interp, keras: KerasRuntime, mod: Module, text: string): BuiltModel[] {
  const out: BuiltModel[] = [];
  let lines: string[] | undefined;
  for (const st of mod.body) {
    if (st.t !== 'FunctionDef' || ip.calledFuncs.has(st)) continue;
    const fn = ip.globals.vars.get(st.name);
    if (!fn || fn.k !== 'func' || fn.node !== st) continue;
    if (!returnsNamedModel(st, (lines ??= text.split('\n')))) continue;
    // A parameter without a default is what a caller elsewhere passes: unknown here (the
    // shapes that depend on it are unknown; the errors that do not, a rank mismatch, are found).
    const kwargs = new Map<string, Value>();
    for (const p of fn.params) if (!p.star && !p.default && p.name !== 'self') kwargs.set(p.name, unknown(`${p.name}, a parameter of ${st.name}(), which the file does not call`));
    const before = keras.models.length;
    let v: Value;
    try {
      v = ip.call(fn, [], kwargs, st);
    } catch (e) {
      if (e instanceof BudgetExceeded) continue;
      throw e;
    }
    const inst = v.k === 'instance' ? v : keras.models.length > before ? keras.models[keras.models.length - 1] : undefined;
    if (inst && (isModule(inst) || (keras.isKeras(inst) && keras.isModel(inst)))) out.push({ name: st.name, line: st.line, inst });
  }
  return out;
}

/** A function whose text has a `return <value>` and names a model class (BUILDER_WORDS). */
function returnsNamedModel(def: NodeOf<'FunctionDef'>, lines: readonly string[]): boolean {
  const body = lines.slice(def.line, def.endLine + 1).join('\n');
  return /\breturn[ \t(]+[^\s#]/.test(body) && BUILDER_RE.test(body);
}

const BUILDER_RE = new RegExp(`\\b(?:${[...BUILDER_WORDS].join('|')})\\b`);

function discoverModels(ip: Interp, torch: TorchRuntime, mod: Module, built: readonly BuiltModel[] = []): Candidate[] {
  const out: Candidate[] = [];
  const fileClasses = new Set<ClassV>();
  for (const [, v] of ip.globals.vars) {
    if (v.k === 'class' && v.file === ip.fileName && v.family === 'torch' && ip.isSubclass(v, 'torch.nn.Module')) fileClasses.add(v);
  }
  const assignLine = assignmentLines(mod);
  // Module-level module objects, in definition order.
  const globalsInst: Array<[string, InstanceV]> = [];
  for (const [name, v] of ip.globals.vars) if (isModule(v)) globalsInst.push([name, v as InstanceV]);
  const childIds = new Set<number>();
  for (const [, inst] of globalsInst) for (const m of walkModules(inst).slice(1)) childIds.add(m.id);
  const covered = new Set<ClassV>();
  const seenIds = new Set<number>();
  // The instance of each class called first: the one its class name goes to, as the oracle names them
  // (`Agent()(x)` then `cont = Agent(12, 2)`: Agent is the first, cont the second).
  const firstCalled = new Map<ClassV, InstanceV>();
  for (const e of torch.exampleCalls) if (isModule(e.inst) && !firstCalled.has(e.inst.cls)) firstCalled.set(e.inst.cls, e.inst);
  for (const [name, inst] of globalsInst) {
    if (childIds.has(inst.id) || seenIds.has(inst.id)) continue;
    seenIds.add(inst.id);
    // A model of a class written in the project (this file or an imported one) is named by its class.
    if (fileClasses.has(inst.cls) || isProjectClass(ip, inst.cls)) {
      const first = firstCalled.get(inst.cls);
      if (!covered.has(inst.cls) && first && first.id !== inst.id && !childIds.has(first.id) && !seenIds.has(first.id)) {
        covered.add(inst.cls);
        seenIds.add(first.id);
        out.push({ framework: 'pytorch', name: inst.cls.name, kind: 'module-class', line: inst.cls.file === ip.fileName ? inst.cls.node?.line ?? 0 : assignLine.get(name) ?? 0, inst: first, cls: inst.cls });
      }
      if (covered.has(inst.cls)) {
        // Another instance of the class, called on an input of its own (`small = MLP(4, 2); big = MLP(16, 8)`):
        // a model too, named by its variable since the class name is taken.
        if (torch.exampleCalls.some((e) => e.inst.id === inst.id)) out.push({ framework: 'pytorch', name, kind: 'module-variable', line: assignLine.get(name) ?? 0, inst });
        continue;
      }
      covered.add(inst.cls);
      const line = inst.cls.file === ip.fileName ? inst.cls.node?.line ?? 0 : assignLine.get(name) ?? 0;
      out.push({ framework: 'pytorch', name: inst.cls.name, kind: 'module-class', line, inst, cls: inst.cls });
    } else if (inst.container || (inst.children && inst.children.size > 0) || inst.cls.file === ip.fileName) {
      out.push({ framework: 'pytorch', name, kind: 'module-variable', line: assignLine.get(name) ?? 0, inst });
    } else if (!inst.cls.name.endsWith('Loss') && torch.exampleCalls.some((e) => e.inst.id === inst.id)) {
      // A single layer the file calls on an input of its own (`rnn = nn.LSTM(10, 20, 2); rnn(x, (h0, c0))`,
      // the documentation's examples): a model of one layer. A loss module is no model.
      out.push({ framework: 'pytorch', name, kind: 'module-variable', line: assignLine.get(name) ?? 0, inst });
    }
  }
  for (const b of built) {
    if (!isModule(b.inst) || seenIds.has(b.inst.id)) continue;
    seenIds.add(b.inst.id);
    covered.add(b.inst.cls);
    out.push({ framework: 'pytorch', name: b.name, kind: 'module-variable', line: b.line, inst: b.inst });
  }
  // Library modules built and called inside a function (`def main(): model = nn.Sequential(...); model(x)`):
  // no module-level name holds them, so they are named by their class, as the oracle names them.
  // (Calls this file makes: not those an imported module makes as it runs, `model(x)` at its top level.)
  const called = torch.exampleCalls.filter((e) => !ip.nodeFile(e.node)).map((e) => e.inst).filter((inst) => isModule(inst) && !seenIds.has(inst.id));
  for (const inst of called) for (const m of walkModules(inst).slice(1)) childIds.add(m.id);
  for (const inst of called) {
    if (childIds.has(inst.id) || seenIds.has(inst.id) || inst.cls.name.endsWith('Loss')) continue;
    if (fileClasses.has(inst.cls) || isProjectClass(ip, inst.cls)) {
      // A project model built and called where no module-level name holds it (a registry's
      // `for name in names: create_model(name)(x)`): named by its class, each instance called.
      seenIds.add(inst.id);
      covered.add(inst.cls);
      const line = inst.cls.file === ip.fileName ? inst.cls.node?.line ?? 0 : inst.node?.line ?? 0;
      out.push({ framework: 'pytorch', name: inst.cls.name, kind: 'module-class', line, inst, cls: inst.cls });
      continue;
    }
    seenIds.add(inst.id);
    out.push({ framework: 'pytorch', name: inst.cls.name, kind: 'module-variable', line: inst.node?.line ?? 0, inst });
  }
  for (const cls of fileClasses) {
    if (covered.has(cls) || torch.childClasses.has(cls)) continue;
    // A base class without forward() (its subclasses have one) is no model of its own.
    const fwd = ip.findAttrWithOwner(cls, 'forward');
    if ((!fwd || fwd.owner === torch.moduleClass) && [...fileClasses].some((c) => c !== cls && ip.mro(c).includes(cls))) continue;
    out.push({ framework: 'pytorch', name: cls.name, kind: 'module-class', line: cls.node?.line ?? 0, cls });
  }
  return out;
}

/** Keras models: module-level variables holding a model (after the __main__ block ran), else Model subclasses of this file. */
function discoverKerasModels(ip: Interp, keras: KerasRuntime, mod: Module, built: readonly BuiltModel[] = []): Candidate[] {
  const out: Candidate[] = [];
  const lines = assignmentLines(mod);
  const seen = new Set<number>();
  const coveredClasses = new Set<ClassV>();
  const add = (name: string, v: InstanceV, line: number): void => {
    seen.add(v.id);
    coveredClasses.add(v.cls);
    const st = keras.state(v);
    const kind = st.kind === 'sequential' ? 'keras-sequential' : st.kind === 'functional' ? 'keras-functional' : 'keras-subclassed';
    out.push({ framework: 'keras', name, kind, line, inst: v });
  };
  for (const [name, v] of ip.globals.vars) {
    if (!keras.isKeras(v) || !keras.isModel(v) || seen.has(v.id)) continue;
    add(name, v, lines.get(name) ?? 0);
  }
  for (const b of built) if (keras.isKeras(b.inst) && !seen.has(b.inst.id)) add(b.name, b.inst, b.line);
  // Models built only inside a function the run called (`def main(): model = build(); model.fit(...)`),
  // named by the local variable that holds them; models used as layers of another model are not models of their own.
  const locals = localModelAssignments(ip, mod);
  if (locals.length) {
    const inner = new Set<number>();
    for (const m of keras.models) {
      for (const l of keras.modelLayers(m)) {
        if (l !== m) inner.add(l.id);
        for (const v of l.layer?.args.values() ?? []) if (v.k === 'instance') inner.add(v.id);
      }
    }
    for (const m of keras.models) {
      if (seen.has(m.id) || inner.has(m.id) || !m.node) continue;
      const a = locals.find((x) => x.value === m.node || (x.callee !== undefined && m.node!.line >= x.callee.line && m.node!.line <= x.callee.endLine));
      if (a) add(a.name, m, a.line);
    }
  }
  for (const [, v] of ip.globals.vars) {
    if (v.k !== 'class' || v.file !== ip.fileName || v.family !== 'keras' || coveredClasses.has(v)) continue;
    if (!ip.isSubclass(v, 'keras.Model')) continue;
    out.push({ framework: 'keras', name: v.name, kind: 'keras-subclassed', line: v.node?.line ?? 0, cls: v });
  }
  return out;
}

/**
 * `name = <call>` statements in the bodies of this file's top-level functions that ran, where
 * the function does not return `name` (a builder's result belongs to its caller): the call
 * itself, and the file's top-level function it calls if any.
 */
function localModelAssignments(ip: Interp, mod: Module): Array<{ name: string; line: number; value: Node; callee?: NodeOf<'FunctionDef'> }> {
  const out: Array<{ name: string; line: number; value: Node; callee?: NodeOf<'FunctionDef'> }> = [];
  const defs = new Map<string, NodeOf<'FunctionDef'>>();
  for (const st of mod.body) if (st.t === 'FunctionDef') defs.set(st.name, st);
  for (const def of defs.values()) {
    if (!ip.calledFuncs.has(def)) continue;
    const assigns: Array<NodeOf<'Assign'>> = [];
    const returned = new Set<string>();
    const visit = (body: Node[], depth: number): void => {
      if (depth > 20) return;
      for (const st of body) {
        if (st.t === 'Assign') assigns.push(st);
        else if (st.t === 'Return' && st.value?.t === 'Name') returned.add(st.value.id);
        else if (st.t === 'If' || st.t === 'For') {
          visit(st.body, depth + 1);
          visit(st.orelse, depth + 1);
        } else if (st.t === 'With') visit(st.body, depth + 1);
        else if (st.t === 'Try') {
          visit(st.body, depth + 1);
          for (const h of st.handlers) visit(h, depth + 1);
          visit(st.orelse, depth + 1);
          visit(st.finalbody, depth + 1);
        }
      }
    };
    visit(def.body, 0);
    for (const a of assigns) {
      const target = a.targets.length === 1 ? a.targets[0] : undefined;
      if (!target || target.t !== 'Name' || returned.has(target.id) || a.value.t !== 'Call') continue;
      const fn = a.value.fn;
      out.push({ name: target.id, line: a.line, value: a.value, callee: fn.t === 'Name' ? defs.get(fn.id) : undefined });
    }
  }
  return out;
}

function summarizeKerasModel(ip: Interp, keras: KerasRuntime, c: Candidate, options: AnalyzeOptions, directives: InputDirective[]): ModelSummary | undefined {
  let inst = c.inst;
  if (!inst && c.cls) {
    const v = ip.call(c.cls, [], new Map(), c.cls.node!);
    if (!keras.isKeras(v)) return undefined;
    inst = v;
    c.inst = v;
  }
  if (!inst) return undefined;
  keras.buildFromContainer(ip, inst, inst.node ?? c.cls?.node ?? ({ t: 'Pass', line: c.line, col: 0, endLine: c.line, endCol: 0 } as Node));
  const st = keras.state(inst);
  const notes: string[] = [];
  const toKerasDim = (d: number | null): Dim => (d === null ? NONE_BATCH : d);
  let inputs: Value[] | undefined;
  let source: InputSource = 'symbolic';
  const directive = directiveFor(directives, c.line);
  if (directive) {
    inputs = directive.shapes.map((s) => tensor(s.map(toKerasDim), directive.dtype ?? 'float32'));
    source = 'directive';
  } else if (options.inputShapes && options.inputShapes.length) {
    inputs = options.inputShapes.map((s) => tensor(s.map(toKerasDim)));
    source = 'given';
  } else if (st.kind === 'functional' && st.graph) {
    inputs = st.graph.inputs;
    source = 'keras-input';
  } else if (st.inputShapes) {
    inputs = st.inputShapes.map((s) => tensor(s));
    source = st.inputSource === 'build-call' ? 'build-call' : st.inputSource === 'keras-input' ? 'keras-input' : 'input-shape-arg';
  } else if (st.exampleInputs) {
    inputs = st.exampleInputs;
    source = 'example-call';
  }
  if (!inputs) {
    inputs = [tensor(null)];
    notes.push('No input shape found: add keras.Input(shape=...), input_shape= on the first layer, or `# tensorlens: input=(None, 28, 28, 1)`.');
  }
  const unbuilt = source === 'given' || source === 'directive' ? resetBuilt(keras, inst) : [];
  const rec = { outputs: new Map<number, Value>() };
  keras.recorder = rec;
  let out: Value;
  const node = inst.node ?? c.cls?.node ?? ({ t: 'Pass', line: c.line, col: 0, endLine: c.line, endCol: 0 } as Node);
  try {
    if (st.kind === 'functional' && st.graph && source === 'keras-input' && options.reuseForward !== false) {
      // On its own inputs the graph's construction was this forward pass: each node kept its
      // output (as Keras' summary shows the shapes recorded when the model was built).
      for (const n of st.graph.nodes) if (!rec.outputs.has(n.layer.id)) rec.outputs.set(n.layer.id, n.output);
      out = st.graph.outputs;
    } else if (st.kind === 'functional' && st.graph) out = keras.replay(ip, st.graph, inputs.length === 1 ? inputs[0] : { k: 'list', items: inputs }, node);
    else {
      // A model first called on a dict of inputs is called on a dict of these inputs, same keys.
      const keys = st.inputKeys?.length === inputs.length ? st.inputKeys : undefined;
      const arg: Value = keys ? { k: 'dict', keys: [...keys], vals: inputs } : inputs.length === 1 ? inputs[0] : { k: 'list', items: inputs };
      // One first called on several positional tensors (`dec(tokens, state)`) is called on them again the same way.
      const spread = source === 'example-call' && st.inputsSpread && !keys && inputs.length > 1;
      out = keras.callLayer(ip, inst, spread ? inputs : [arg], new Map(), node);
    }
  } catch (e) {
    if (!(e instanceof BudgetExceeded)) throw e;
    out = { k: 'unknown', why: e.message };
    notes.push(`Forward pass stopped: ${e.message}`);
  } finally {
    keras.recorder = undefined;
  }
  // A layer the pass on the given input never called (a Dense whose kernel a tied layer only
  // reads) keeps the weights it was built with.
  for (const u of unbuilt) if (!u.st.built) Object.assign(u.st, { built: u.built, params: u.params });
  const rows: LayerRow[] = keras.modelLayers(inst).map((l) => {
    const ls = keras.state(l);
    // A layer the model's call() never used is never built: 0 weights, as Keras' summary says.
    const pc = keras.neverBuilt(inst, l) ? { trainable: 0, nonTrainable: 0 } : keras.layerParams(l);
    const o = rec.outputs.get(l.id);
    // A layer with several outputs shows the first in Keras' flattening order (a dict's by sorted key).
    const shape = o ? kerasOutputShapes(o)[0] ?? null : null;
    const total = pc.trainable === null ? null : pc.trainable + pc.nonTrainable;
    return {
      path: ls.name, type: keras.layerType(l), outputShape: shape, params: total,
      trainableParams: pc.trainable, nonTrainableParams: pc.nonTrainable, trainable: ls.trainable,
      line: ownLine(ip, l.node) ?? c.line, macs: null, depth: 0,
      note: o && o.k === 'unknown' ? o.why : o ? undefined : 'not called in the forward pass',
      error: !!(o && o.k === 'unknown' && o.why.startsWith('shape error')),
    };
  });
  const pc = keras.layerParams(inst);
  if (pc.trainable === null) notes.push('Some parameter counts could not be determined (input shape unknown).');
  // A functional model none of whose layers could be traced from its inputs (they come from
  // something not modelled): its zero is not a count, and the summary says so.
  else if (st.kind === 'functional' && !rows.length && out.k === 'unknown') notes.push('Parameter counts unknown: no layer of the model could be traced from its inputs, so its totals count nothing.');
  const graph = st.kind === 'functional' && st.graph ? kerasGraph(keras, st.graph, rows) : undefined;
  const outputs = kerasOutputShapes(out);
  if (out.k === 'unknown') notes.push(`Output unknown: ${out.why}`);
  // A graph that went on past a layer whose output is not known: the first such row says why.
  else if (out.k === 'tensor' && !out.shape) {
    const why = rows.find((r) => r.outputShape === null && r.note)?.note;
    if (why) notes.push(`Output unknown: ${why}`);
  }
  // A layer whose count is not known (the note says so): the total is what the others hold, as for PyTorch.
  const trainable = pc.trainable ?? rows.reduce((s, r) => s + (r.trainableParams ?? 0), 0);
  return {
    name: c.name, kind: c.kind, framework: 'keras', line: c.line,
    inputShapes: inputs.map((t) => (t.k === 'tensor' && t.shape ? t.shape : [])),
    inputSource: source,
    outputShape: outputs[0] ?? null,
    outputShapes: outputs.length > 1 ? outputs : undefined,
    totalParams: trainable + pc.nonTrainable, trainableParams: trainable, nonTrainableParams: pc.nonTrainable,
    paramBytes: (trainable + pc.nonTrainable) * 4, macs: 0, layers: rows, notes: [...new Set(notes)], graph,
  };
}

/** A functional model's graph from its recorded layer calls (shared layers appear once per call). */
function kerasGraph(keras: KerasRuntime, g: NonNullable<KerasState['graph']>, rows: LayerRow[]): DataflowGraph {
  const nodes: DataflowGraph['nodes'] = [];
  const edges: DataflowGraph['edges'] = [];
  const inputIds = new Map<unknown, string>();
  g.inputs.forEach((t, i) => {
    const id = `in${i}`;
    inputIds.set(t.origin?.input, id);
    nodes.push({ id, kind: 'input', label: t.origin?.name ?? `input ${i}`, outputShape: t.shape });
  });
  const src = (t: { origin?: any }): string | undefined => (t.origin?.node ? `n${t.origin.node.id}` : inputIds.get(t.origin?.input));
  // Row of each layer name (the first, as a search from the top would find) and the edges
  // already drawn: a large model has hundreds of both.
  const rowOfPath = new Map<string, number>();
  rows.forEach((r, i) => {
    if (!rowOfPath.has(r.path)) rowOfPath.set(r.path, i);
  });
  const drawn = new Set<string>();
  for (const n of g.nodes) {
    const name = keras.state(n.layer).name;
    const row = rowOfPath.get(name);
    const out = n.output.k === 'tensor' ? n.output.shape : n.output.k === 'list' && n.output.items[0]?.k === 'tensor' ? n.output.items[0].shape : null;
    const to = `n${n.id}`;
    nodes.push({ id: to, kind: 'layer', label: keras.layerType(n.layer), path: name, layer: row, outputShape: out, line: row !== undefined ? rows[row].line : undefined });
    for (const t of n.inputs) {
      const from = src(t);
      const key = `${from} ${to}`;
      if (from && !drawn.has(key)) {
        drawn.add(key);
        edges.push({ from, to });
      }
    }
  }
  collectTensors([g.outputs]).forEach((t, i) => {
    const from = src(t);
    nodes.push({ id: `out${i}`, kind: 'output', label: 'output', outputShape: t.shape });
    if (from) edges.push({ from, to: `out${i}` });
  });
  return { nodes, edges };
}

function resetBuilt(keras: KerasRuntime, inst: InstanceV, seen = new Set<number>(), saved: ResetLayer[] = []): ResetLayer[] {
  if (seen.has(inst.id)) return saved;
  seen.add(inst.id);
  const st = keras.state(inst);
  if (inst.layer) {
    saved.push({ st, built: st.built, params: st.params });
    st.built = false;
    st.params = undefined;
  }
  for (const l of keras.modelLayers(inst)) resetBuilt(keras, l, seen, saved);
  return saved;
}

/** A built-in layer's build state before resetBuilt, to give back to a layer the new pass did not call. */
type ResetLayer = { st: ReturnType<KerasRuntime['state']>; built: boolean; params: ReturnType<KerasRuntime['state']>['params'] };

/** A class from the project's own source (not a framework class, not a library stub). */
function isProjectClass(ip: Interp, cls: ClassV): boolean {
  return !!cls.node && !!cls.file && !cls.file.startsWith('<') && (cls.file === ip.fileName || ip.importedFiles.has(cls.file));
}

function summarizeModel(ip: Interp, torch: TorchRuntime, c: Candidate, options: AnalyzeOptions, directives: InputDirective[]): ModelSummary | undefined {
  let inst = c.inst;
  // A class the file built and called in one expression (`Net(27)(x)`): that instance, with its arguments.
  if (!inst && c.cls) inst = c.inst = torch.exampleCalls.find((e) => e.inst.cls === c.cls)?.inst;
  if (!inst && c.cls) {
    const v = ip.call(c.cls, [], new Map(), c.cls.node!);
    if (v.k !== 'instance') return undefined;
    inst = v;
    c.inst = v;
  }
  if (!inst) return undefined;
  const notes: string[] = [];

  // Input shapes in DESIGN.md's priority order.
  let inputs: Value[] | undefined;
  let kwInputs: Map<string, Value> | undefined;
  let source: InputSource = 'symbolic';
  const ex = exampleFor(torch, inst, c);
  const exKw = [...(ex?.kwargs?.values() ?? [])];
  const directive = directiveFor(directives, c.line);
  if (directive) {
    inputs = directive.shapes.map((s) => tensor(s.map(toDim), directive.dtype ?? 'float32'));
    source = 'directive';
  } else if (options.inputShapes && options.inputShapes.length) {
    inputs = options.inputShapes.map((s) => tensor(s.map(toDim)));
    source = 'given';
    // The example call's constant positionals (`model(x, 0.5)`) stay where they were, between the given tensors.
    if (ex && ex.inputs.some(isConstantArg) && inputs.length >= ex.inputs.filter(isExampleInput).length) {
      const given = [...inputs];
      inputs = [...ex.inputs.map((v) => (isConstantArg(v) ? v : given.shift() ?? v)), ...given];
    }
    // Fewer shapes than the example call's arguments (the tokens of `txl(data, mems)`, whose
    // memories are a list of tensors): the arguments after them are the example call's.
    if (ex && inputs.length < ex.inputs.length && ex.inputs.slice(inputs.length).every((v) => isExampleInput(v) || isConstantArg(v))) {
      inputs = [...inputs, ...ex.inputs.slice(inputs.length)];
    }
    // Keep the dtype of the example call (token ids) when its shapes agree.
    if (ex) inputs = inputs.map((t, i) => (ex.inputs[i]?.k === 'tensor' && t.k === 'tensor' ? { ...t, dtype: (ex.inputs[i] as { dtype: string }).dtype } : t));
    // As many shapes as the example call's tensors, positional then keyword (the summary's
    // own input list): the ones past the positional arguments go to the same keywords.
    const kwTensors = exKw.filter((v) => v.k === 'tensor').length;
    if (ex && kwTensors && inputs.length === ex.inputs.length + kwTensors) {
      const given = inputs.splice(ex.inputs.length);
      kwInputs = new Map([...ex.kwargs!].map(([k, v]) => [k, v.k === 'tensor' ? { ...(given.shift() as TensorV), dtype: v.dtype } : v]));
    }
  } else if (ex && (ex.inputs.some(isExampleInput) || exKw.some((v) => v.k === 'tensor')) && ex.inputs.every((v) => isExampleInput(v) || isConstantArg(v)) && exKw.every(isKeywordInput)) {
    inputs = ex.inputs;
    kwInputs = ex.kwargs;
    source = 'example-call';
  }
  // The layer the symbolic input was made for: the forward pass must call it first.
  let symbolicFrom: InstanceV | undefined;
  if (!inputs) {
    const t = symbolicTorchInput(inst);
    if (t) {
      inputs = [t.input];
      symbolicFrom = t.from;
    } else {
      inputs = [tensor(null)];
      notes.push('No input shape found: add `# tensorlens: input=(1, 3, 224, 224)` above the model or pass --input-shape.');
    }
  }

  const withFlow = options.dataflow !== false;
  let run = options.reuseForward !== false ? reusableRun(ip, torch, ex, inst, inputs, withFlow) : undefined;
  // What a run again would tell the shape facts (the last values assigned in forward).
  if (run && ip.onAssign) for (const [target, v] of run.assigns ?? []) ip.onAssign(target, v);
  const forward = (given: Value[]): RecordedRun => {
    const r = torch.startRecording(inst, given, withFlow, kwInputs);
    try {
      r.out = ip.call(inst, r.inputs, r.kwargs ?? new Map(), inst.node ?? c.cls?.node ?? ({ t: 'Pass', line: c.line, col: 0, endLine: c.line, endCol: 0 } as Node));
    } catch (e) {
      if (!(e instanceof BudgetExceeded)) throw e;
      r.out = { k: 'unknown', why: e.message };
      notes.push(`Forward pass stopped: ${e.message}`);
    } finally {
      torch.stopRecording();
    }
    return r;
  };
  if (!run) {
    const issuesBefore = ip.shapeIssues.length;
    const unpacksBefore = ip.unpackMismatches;
    run = forward(inputs);
    const first = run.rec.firstLeaf?.inst;
    if (symbolicFrom && first && first !== symbolicFrom) {
      // The layer registered first is not the one forward() calls first (a head declared
      // before the stem): the guess was wrong, and so is what its run found. Guess again
      // from the layer that is called first.
      ip.shapeIssues.length = issuesBefore;
      const again = symbolicInputOf(first);
      inputs = [again ?? tensor(null)];
      run = forward(inputs);
    }
    const lead = run.rec.firstLeaf;
    if (symbolicFrom && lead) {
      // The guess is the first layer's input: what the code did to the input before it
      // (`F.conv2d(x, w)`) proves nothing, and when that layer itself does not take what
      // reached it (the input permuted first), the guess did not fit the code at all.
      if (lead.failed) ip.shapeIssues.length = issuesBefore;
      else ip.shapeIssues.splice(issuesBefore, lead.issuesBefore - issuesBefore);
    }
    // forward() unpacked the guessed input's shape (or another fixed-length sequence) into a
    // different number of names (`b, t, c = x.shape` on a rank-2 guess): Python raises there,
    // so the guess did not fit the code and what its run found proves nothing.
    if (symbolicFrom && ip.unpackMismatches !== unpacksBefore) ip.shapeIssues.length = issuesBefore;
  }
  const { rec, out } = run;
  const flow = run.flow ? { nodes: [...run.flow.nodes], edges: [...run.flow.edges] } : undefined;
  if (flow) {
    flowSources([out]).forEach((src, i) => {
      flow.nodes.push({ id: `out${i}`, kind: 'output', label: 'output' });
      flow.edges.push({ from: src, to: `out${i}` });
    });
  }

  const rows: LayerRow[] = rec.rows.map((r) => rowOf(r, (n) => ownLine(ip, n), c.line));
  for (const n of flow?.nodes ?? []) if (n.layer !== undefined && rows[n.layer]) n.line = rows[n.layer].line;
  for (const r of rec.rows) if (r.output.k === 'unknown' && !r.error) notes.push(`${shortPath(r.path)}: output unknown (${r.output.why})`);
  // Totals over every parameter of the module tree, used or not (as model.parameters()).
  let trainable = 0;
  let nonTrainable = 0;
  let unknownParams = false;
  const modules = walkModules(inst);
  for (const m of modules) {
    const pc = torch.paramCount(m);
    if (pc.trainable === null) unknownParams = true;
    else trainable += pc.trainable - torch.tiedCount(m, modules);
    nonTrainable += pc.nonTrainable;
  }
  if (unknownParams) notes.push('Some parameter counts could not be determined.');
  // A dict a torch model returns keeps the order it was written in (Python dicts do; torchinfo lists it so).
  const outputs = outputShapes(out);
  if (out.k === 'unknown') notes.push(`Output unknown: ${out.why}`);
  else if (out.k === 'dict') notes.push(`Output: a dict (${dictShapes(ip, out)})`);
  const macs = rows.reduce((s, r) => s + (r.macs ?? 0), 0) + (rec.unlistedMacs ?? 0);
  return {
    name: c.name,
    kind: c.kind,
    framework: 'pytorch',
    line: c.line,
    inputShapes: inputShapesOf(inputs, kwInputs),
    inputSource: source,
    outputShape: firstShape(out),
    outputShapes: outputs.length > 1 || out.k === 'dict' ? outputs : undefined,
    totalParams: trainable + nonTrainable,
    trainableParams: trainable,
    nonTrainableParams: nonTrainable,
    paramBytes: (trainable + nonTrainable) * 4,
    macs,
    layers: rows,
    notes: [...new Set(notes)],
    graph: flow ? { nodes: flow.nodes, edges: flow.edges } : undefined,
  };
}

/** The values an input argument holds: a list's, tuple's or dict's items, or itself. */
function argItems(v: Value): Value[] {
  return v.k === 'list' || v.k === 'tuple' ? v.items : v.k === 'dict' ? v.vals : [v];
}

/** An argument of an example call a summary can run on: a tensor of known shape, or a list, tuple or dict of them (`neck([c3, c4, c5])`). */
function isExampleInput(v: Value): boolean {
  const items = argItems(v);
  return items.length > 0 && items.every((x) => x.k === 'tensor' && !!x.shape);
}

/** A plain constant passed positionally beside the tensors (`model(x, 0.5)`, `net(x, t, True)`): the summary passes it on. */
function isConstantArg(v: Value): boolean {
  return v.k !== 'tensor' && isKeywordInput(v);
}

/**
 * A keyword argument of an example call a summary can run with: a tensor of known shape, or
 * a plain constant (`return_dict=False`, `mode="train"`).
 */
function isKeywordInput(v: Value): boolean {
  return (v.k === 'tensor' && !!v.shape) || v.k === 'none' || v.k === 'bool' || v.k === 'int' || v.k === 'float' || v.k === 'str';
}

/**
 * The shapes of a summary's input tensors, those inside a list, tuple or dict argument in
 * order, then the keyword arguments' tensors (as the oracle lists them).
 */
/**
 * A model's input shapes: its tensor arguments, positional then keyword, as torchinfo and the
 * oracle list them (an LSTM's `(h0, c0)` tuple is not one); a model that takes only lists or
 * dicts of tensors (`neck([c3, c4, c5])`) lists their items instead.
 */
function inputShapesOf(inputs: Value[], kwargs?: Map<string, Value>): Shape[] {
  const kw = [...(kwargs?.values() ?? [])].filter((v) => v.k === 'tensor');
  const top = [...inputs.filter((v) => v.k === 'tensor'), ...kw];
  return (top.length ? top : inputs.flatMap(argItems)).map((x) => (x.k === 'tensor' && x.shape ? x.shape : []));
}

/** `logits [1, 5], boxes [1, 4]`: a dict output's tensors by key, for the summary's note. */
function dictShapes(ip: Interp, d: DictV): string {
  return d.keys.map((k, i) => `${ip.toStr(k) ?? '?'} ${formatShape(outputShapes(d.vals[i])[0] ?? null)}`).join(', ');
}

/** A module path for a note: a deep one (a module built inside itself) keeps its two ends. */
function shortPath(path: string): string {
  const parts = path.split('.');
  return parts.length <= 8 ? path : `${parts.slice(0, 3).join('.')}.…(${parts.length - 6} more).${parts.slice(-3).join('.')}`;
}

function tensorShapes(v: Value): Array<Shape | null> | undefined {
  if (v.k === 'tensor') return [v.shape];
  if ((v.k === 'tuple' || v.k === 'list') && v.items.length > 0 && v.items.length <= 8 && v.items.every((x) => x.k === 'tensor')) {
    return v.items.map((x) => (x.k === 'tensor' ? x.shape : null));
  }
  return undefined;
}

/**
 * The example call's recorded forward pass (TorchRuntime.recordExamples), when the summary
 * would repeat it: the same instance and inputs, and nothing it read changed since (the
 * module tree, the file's globals). Parameter counts are read again: freezing after the
 * call changes them without changing the pass.
 */
function reusableRun(ip: Interp, torch: TorchRuntime, ex: ExampleCall | undefined, inst: InstanceV, inputs: Value[], withFlow: boolean): RecordedRun | undefined {
  const r = ex?.recorded;
  if (!r || ex.inst !== inst || !!r.run.flow !== withFlow || !sameInputs(ex.inputs, inputs)) return undefined;
  for (const [name, v] of r.reads) if (ip.globals.vars.get(name) !== v) return undefined;
  if (!ex.stamp || !stampMatches(inst, ex.stamp) || ex.modes !== modesOf(inst)) return undefined;
  for (const row of r.run.rec.rows) {
    if (!row.firstCall) continue;
    const pc = torch.paramCount(row.inst);
    row.params = pc.total;
    row.trainable = pc.trainable;
    row.nonTrainable = pc.nonTrainable;
  }
  return r.run;
}

/** The example call's inputs, or plain tensors of the same shapes and dtypes (a directive or given shape that agrees). */
function sameInputs(ex: Value[], inputs: Value[]): boolean {
  if (ex === inputs) return true;
  return ex.length === inputs.length && ex.every((a, i) => {
    const b = inputs[i];
    return a.k === 'tensor' && b.k === 'tensor' && a.dtype === b.dtype && !a.param && !b.param && !a.origin && !b.origin
      && !!a.shape && !!b.shape && a.shape.length === b.shape.length && a.shape.every((d, j) => dimsEqual(d, b.shape![j]));
  });
}

/**
 * The example call whose inputs the summary runs: the model's first one (as the oracle and
 * torchinfo-style scripts use), unless the module tree changed after it and the model was
 * called again (a layer replaced, then the model called on inputs that fit the new layer):
 * then the last call, the one made on the tree the summary runs.
 */
function exampleFor(torch: TorchRuntime, inst: InstanceV, c: Candidate) {
  let first: ExampleCall | undefined;
  let last: ExampleCall | undefined;
  for (const e of torch.exampleCalls) {
    if (e.inst.id !== inst.id) continue;
    first ??= e;
    last = e;
  }
  if (first) return last !== first && first.stamp && !stampMatches(inst, first.stamp) ? last : first;
  return c.cls ? torch.exampleCalls.find((e) => e.inst.cls === c.cls) : undefined;
}

/**
 * The line of a node in the analysed file; undefined for nodes of other files (a library
 * stub, an imported module): a row built there is placed at the model's own line instead.
 */
function ownLine(ip: Interp, n: Node | undefined): number | undefined {
  return n && ip.nodeFile(n) === undefined ? n.line : undefined;
}

function rowOf(r: CallRecord, own: (n: Node | undefined) => number | undefined, modelLine: number): LayerRow {
  const shape = r.output.k === 'tensor' ? r.output.shape : outputShapes(r.output)[0] ?? null;
  const callLine = own(r.node) ?? modelLine;
  let dots = 0;
  for (let i = r.path.indexOf('.'); i >= 0; i = r.path.indexOf('.', i + 1)) dots++;
  return {
    path: r.path,
    type: r.type,
    outputShape: shape,
    params: r.params,
    trainableParams: r.trainable,
    nonTrainableParams: r.nonTrainable,
    trainable: !r.inst.frozen && (r.trainable ?? 0) >= (r.params ?? 0) ? true : (r.params ?? 0) === 0 ? !r.inst.frozen : false,
    line: own(r.inst.node) ?? callLine,
    callLine,
    macs: countMacs(r),
    depth: dots,
    note: r.error ?? (r.output.k === 'unknown' ? r.output.why : undefined),
    error: !!r.error,
  };
}

function toDim(d: number | null): Dim {
  return d === null ? sym('B') : d;
}

function posRange(p: { line: number; col: number; endLine: number; endCol: number }): Range {
  return { line: p.line, character: p.col, endLine: p.endLine, endCharacter: p.endCol };
}

/** A shape error whose spec gave no DL4xx code: reported as a rank / layout mismatch. */
const SHAPE_FALLBACK_CODE = 'DL406';

function shapeDiagnostics(ip: Interp): Diagnostic[] {
  // One problem, one diagnostic: a layer built and called on one line (`nn.Linear(5, 3)(x)`, a
  // model of one layer) fails at the call and, in its summary's run, at its construction inside it.
  const within = (a: Node, b: Node) => a !== b && (a.line > b.line || (a.line === b.line && a.col >= b.col)) && (a.endLine < b.endLine || (a.endLine === b.endLine && a.endCol <= b.endCol));
  const issues = ip.shapeIssues.filter((s) => !ip.shapeIssues.some((o) => o.file === s.file && o.code === s.code && o.message === s.message && within(s.node, o.node)));
  return issues.map((s) => ({
    ...(s.file !== ip.fileName ? { file: s.file } : {}),
    code: s.code ?? SHAPE_FALLBACK_CODE,
    severity: 'error' as const,
    message: s.message,
    range: posRange(s.node),
    related: s.defNode && s.defNode !== s.node ? [{ message: 'layer defined here', range: posRange(s.defNode) }] : undefined,
  }));
}

/** The shapes of a Keras value's tensors in Keras' flattening order (tree.flatten: a dict's by sorted key), as model.outputs lists them. */
function kerasOutputShapes(v: Value): ReturnType<typeof outputShapes> {
  return outputShapes(v.k === 'dict' ? { k: 'list', items: dictValuesFlat(v) } : v);
}
