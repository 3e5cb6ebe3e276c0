// Runs the engine for open documents: one cached result per document version, analyses
// scheduled on change (the first change after a quiet spell runs on the next tick, a
// burst of changes is coalesced to one run per debounce window), and skipped when a
// newer version arrived meanwhile. Requests get the current version's result, computing
// it on demand when the scheduled run has not happened yet. Imports of project files are
// answered from open documents, then the disk (workspaceFiles.ts); a result also goes stale
// when a file it imported changes, and a change to a file re-analyses its importers.

import { resolve as resolvePath } from 'node:path';
import { advancePreparedRun, analyzeDetailed, bodyEditAt, changedLines, prepareRun, unchangedLead, type BodyEdit, type DetailedAnalysis, type PreparedRun } from '../core/analyze';
import type { ModuleResolver } from '../core/eval/modules';
import type { PyParser } from '../core/python/parser';
import { ruleEnabled } from '../core/lint/engine';
import { collectSuppressions, isSuppressed } from '../core/lint/suppression';
import type { Finding } from '../core/lint/types';
import type { Analysis, AnalyzeOptions } from '../core/summary/types';
import { parseInputShapes, type InputShape, type TensorLensSettings } from '../shared/protocol';
import { buildIndex, foreignDiagnostics, type DocIndex, type ForeignIssue } from './docIndex';
import { commentsAfterCommentEdit } from './commentEdits';
import { runLint } from './lint';
import { mergeLintConfig, projectConfigFor } from './projectConfig';
import { uriBaseName, uriToPath } from './uri';
import type { ResolutionRecord, WorkspaceFiles } from './workspaceFiles';
import { pinnedVersionsFor } from '../node/versionPins';

export interface SourceDoc {
  uri: string;
  version: number;
  getText(): string;
}

export interface DocAnalysis {
  uri: string;
  version: number;
  text: string;
  detailed: DetailedAnalysis;
  /** Positions of models, layers and facts for hovers, hints and lenses: built on first use (withIndex), not before diagnostics go out. */
  readonly index: DocIndex;
  /** Engine diagnostics about code in imported files (docIndex.ts foreignDiagnostics), which the published diagnostics need. */
  foreign: Map<string, ForeignIssue>;
  findings: Finding[];
  /** Wall time of the run (parse + evaluate + infer + lint). */
  ms: number;
  /** The project files this run read (or looked for), with their versions then. */
  record?: ResolutionRecord;
  /** The first top-level statement this version changed from the previous one analysed (where the user is editing). */
  editAt?: number;
  /** Top-level statements this run did not run again: it went on from a run prepared ahead (prepareNext). */
  resumedAt?: number;
  /** The text of the version this one was compared with (editAt): prepareNext finds the lines the edit changed. */
  previousText?: string;
}

/** A run of a document's unchanged first statements, made while the user pauses (prepareNext). */
interface Prepared {
  run: PreparedRun;
  resolve?: ModuleResolver;
  record?: ResolutionRecord;
}

export interface ServiceHost {
  document(uri: string): SourceDoc | undefined;
  settings(): TensorLensSettings;
  /** Called after every scheduled run (publish diagnostics, refresh hints). */
  analysed(result: DocAnalysis): void;
  log(message: string): void;
  workspaceRoot?: string;
  /** Open documents and the disk, for imports; absent = single-file analysis. */
  files?: WorkspaceFiles;
  /** Extra import roots from the project's configuration for a file. */
  importRoots?(filePath: string): string[];
  /** A run prepared ahead of the next edit is ready (its garbage can be collected now). */
  prepared?(uri: string): void;
  /** Log every analysis with its time and whether it went on from a prepared run. */
  traceRuns?: boolean;
}

export const DEFAULT_DEBOUNCE_MS = 150;

/**
 * The options of the runs made on every edit (and of the runs prepared for the next one: they
 * must agree). Shapes are traced for hovers and hints; the models' dataflow graphs are left
 * out, as only the summary view shows them: it gets them from `withGraphs`.
 */
const EDIT_RUN: Partial<AnalyzeOptions> = { traceShapes: true, dataflow: false };

/** The result with its `index` made by `build` on first read (hovers, hints and lenses; diagnostics do not wait for it). */
function withIndex(fields: Omit<DocAnalysis, 'index'>, build: () => DocIndex): DocAnalysis {
  let index: DocIndex | undefined;
  return Object.defineProperty(fields, 'index', { get: () => (index ??= build()), enumerable: true }) as DocAnalysis;
}

export class AnalysisService {
  private readonly cache = new Map<string, DocAnalysis>();
  private readonly pending = new Map<string, { cancel(): void }>();
  private readonly lastRun = new Map<string, number>();
  /** The result last handed to `analysed` (a re-run for a changed import is a new result, same version). */
  private readonly published = new Map<string, DocAnalysis>();
  /** Reverse dependencies: a file path -> the documents whose last analysis read (or looked for) it. */
  private readonly importers = new Map<string, Set<string>>();
  private readonly readBy = new Map<string, string[]>();
  /** Input shapes set for a document through tensorlens/setInputShape (session only). */
  private readonly sessionShapes = new Map<string, InputShape[]>();
  /** Runs prepared ahead of each document's next edit (one each, used once). */
  private readonly prepared = new Map<string, Prepared>();
  /** Runs of a result's version with dataflow graphs (withGraphs). */
  private readonly graphRuns = new WeakMap<DocAnalysis, Analysis>();

  constructor(readonly parser: PyParser, private readonly host: ServiceHost) {}

  /** A document changed: analyse soon, coalescing bursts. */
  schedule(uri: string): void {
    if (this.pending.has(uri)) return; // the pending run will read the newest version
    const debounce = this.host.settings().server?.debounceMs ?? DEFAULT_DEBOUNCE_MS;
    const since = Date.now() - (this.lastRun.get(uri) ?? -Infinity);
    const run = () => {
      this.pending.delete(uri);
      const result = this.get(uri); // may already be cached by a request for this version
      if (!result || this.published.get(uri) === result) return;
      this.published.set(uri, result);
      this.host.analysed(result);
      // Prepared on a later turn of the event loop: the diagnostics are written out on the next
      // one (the connection's writer queues them), and setting up a run takes a while.
      setImmediate(() => {
        if (this.cache.get(uri) === result) this.prepareNext(uri, result);
      });
    };
    if (since >= debounce) {
      // setImmediate: messages already read from the pipe (newer versions) are applied first.
      const h = setImmediate(run);
      this.pending.set(uri, { cancel: () => clearImmediate(h) });
    } else {
      const h = setTimeout(run, debounce - since);
      this.pending.set(uri, { cancel: () => clearTimeout(h) });
    }
  }

  /** The result for the document's current version (computed now if needed). */
  get(uri: string): DocAnalysis | undefined {
    const doc = this.host.document(uri);
    if (!doc) return undefined;
    const cached = this.cache.get(uri);
    if (cached && cached.version === doc.version && this.importsCurrent(cached)) return cached;
    const result = this.analyse(doc);
    return result;
  }

  private importsCurrent(a: DocAnalysis): boolean {
    return !a.record || !this.host.files || this.host.files.upToDate(a.record);
  }

  /**
   * The document at `uri` changed (or opened, or closed): analyse it (when open) and every
   * open document that imports it, directly or through other files. `onDisk`: the client
   * reported a saved change (file stamps may be too coarse to show it), so importers re-run
   * and re-read it whatever the stamps say. Returns the importers scheduled.
   */
  changed(uri: string, onDisk = false): string[] {
    if (this.host.document(uri)) this.schedule(uri);
    const changedPath = uriToPath(uri);
    if (onDisk && changedPath) this.host.files?.forget(changedPath);
    const out: string[] = [];
    const seen = new Set<string>([uri]);
    const queue = [uri];
    while (queue.length) {
      const path = uriToPath(queue.shift()!);
      if (!path) continue;
      for (const dep of this.importers.get(path) ?? []) {
        if (seen.has(dep)) continue;
        seen.add(dep);
        queue.push(dep);
        if (!this.host.document(dep)) continue;
        if (onDisk) this.cache.delete(dep);
        out.push(dep);
        this.schedule(dep);
      }
    }
    return out;
  }

  private setReads(uri: string, paths: string[]): void {
    for (const p of this.readBy.get(uri) ?? []) this.importers.get(p)?.delete(uri);
    if (paths.length) this.readBy.set(uri, paths);
    else this.readBy.delete(uri);
    for (const p of paths) {
      let set = this.importers.get(p);
      if (!set) this.importers.set(p, (set = new Set()));
      set.add(uri);
    }
  }

  /** The cached result whatever its version (cheap, for hints while typing). */
  peek(uri: string): DocAnalysis | undefined {
    return this.cache.get(uri);
  }

  close(uri: string): void {
    this.prepared.delete(uri);
    this.pending.get(uri)?.cancel();
    this.pending.delete(uri);
    this.cache.delete(uri);
    this.lastRun.delete(uri);
    this.published.delete(uri);
    this.setReads(uri, []);
  }

  /** Settings or session shapes changed: forget every result and re-analyse the open documents. */
  invalidate(uris: Iterable<string>): void {
    this.prepared.clear();
    this.cache.clear();
    this.published.clear();
    for (const u of uris) this.schedule(u);
  }

  setSessionShapes(uri: string, shapes: InputShape[]): void {
    if (shapes.length) this.sessionShapes.set(uri, shapes);
    else this.sessionShapes.delete(uri);
    this.prepared.delete(uri);
    this.cache.delete(uri);
    this.published.delete(uri);
  }

  /** Engine options for a document: file name and input shapes (session, then settings). */
  options(uri: string, extra: Partial<AnalyzeOptions> = {}): AnalyzeOptions {
    const fileName = uriToPath(uri) ?? uriBaseName(uri);
    const fromSetting = parseInputShapes(this.host.settings().inputShape?.default ?? '');
    const fromProject = projectConfigFor(uriToPath(uri), this.host.workspaceRoot)?.inputShapes?.['*'];
    const inputShapes = extra.inputShapes ?? this.sessionShapes.get(uri) ?? fromProject ?? (fromSetting && fromSetting.length ? fromSetting : undefined);
    return { fileName, ...extra, ...(inputShapes ? { inputShapes } : {}) };
  }

  /** The options plus a resolver for the document's imports (file documents only; untitled ones import nothing). */
  private resolvedOptions(uri: string, extra: Partial<AnalyzeOptions>): { options: AnalyzeOptions; record?: ResolutionRecord } {
    const options = this.options(uri, extra);
    const path = uriToPath(uri);
    const files = this.host.files;
    if (!path || !files) return { options };
    const r = files.resolverFor(path, options.fileName ?? path, this.host.importRoots?.(path) ?? []);
    return { options: { ...options, resolveModule: r.resolve }, record: r.record };
  }

  /**
   * The analysis of `a` with every model's dataflow graph (the summary view's graph). The runs
   * made on each edit leave the PyTorch graphs out (EDIT_RUN; Keras graphs come from the
   * model's own structure either way); the first request for them runs the same version again
   * with graphs, once per result, and puts them on its models.
   */
  withGraphs(a: DocAnalysis): Analysis {
    const analysis = a.detailed.analysis;
    if (analysis.models.every((m) => m.graph || m.framework !== 'pytorch')) return analysis;
    let run = this.graphRuns.get(a);
    if (!run) {
      const { options } = this.resolvedOptions(a.uri, { dataflow: true });
      run = this.guarded(() => analyzeDetailed(this.parser, a.text, options), a.uri).analysis;
      this.graphRuns.set(a, run);
    }
    const graphs = run.models;
    return { ...analysis, models: analysis.models.map((m) => m.graph ? m : { ...m, graph: graphs.find((g) => g.name === m.name && g.line === m.line)?.graph }) };
  }

  /** A one-off run (custom summary request with its own shapes / model); not cached. */
  analyseWith(doc: SourceDoc, extra: Partial<AnalyzeOptions>): DetailedAnalysis {
    const { options } = this.resolvedOptions(doc.uri, extra);
    return this.guarded(() => analyzeDetailed(this.parser, doc.getText(), options), doc.uri);
  }

  private analyse(doc: SourceDoc): DocAnalysis {
    const t0 = performance.now();
    const text = doc.getText();
    const reused = this.reuseAfterCommentEdit(doc, text, t0);
    if (reused) return reused;
    // The previous version's tree: the statements an edit cannot reach are not parsed again.
    const prev = this.cache.get(doc.uri);
    const previous = prev?.detailed.module && prev.version < doc.version ? { text: prev.text, module: prev.detailed.module } : undefined;
    let { options, record } = this.resolvedOptions(doc.uri, { ...EDIT_RUN, ...(previous ? { previous } : {}) });
    // A run of the unchanged first statements made while the user paused: the engine goes on
    // from it when the statements and the project files they read are still the same.
    const ahead = this.prepared.get(doc.uri);
    this.prepared.delete(doc.uri);
    if (ahead && (!ahead.record || !this.host.files || this.host.files.upToDate(ahead.record))) {
      options = { ...options, resume: ahead.run, ...(ahead.resolve ? { resolveModule: ahead.resolve } : {}) };
      record = ahead.record;
    }
    const detailed = this.guarded(() => analyzeDetailed(this.parser, text, options), doc.uri);
    const resumedAt = ahead?.run.used ? ahead.run.done : undefined;
    const editAt = previous && detailed.module ? unchangedLead(previous, { module: detailed.module, text }) : undefined;
    const facts = detailed.shapeFacts ?? new Map();
    let findings: Finding[] = [];
    try {
      const settings = this.host.settings();
      const config = mergeLintConfig(settings.lint, projectConfigFor(uriToPath(doc.uri), this.host.workspaceRoot));
      // Versions pinned in the project's dependency files, under any set in settings or [tool.tensorlens].
      const path = uriToPath(doc.uri);
      if (path) config.versions = { ...pinnedVersionsFor(path, this.host.workspaceRoot), ...config.versions };
      findings = runLint(detailed, text, config);
      // The engine's own shape diagnostics obey the same switches as lint findings: select /
      // ignore / severity "off", `# noqa: DL401` on the line and file-level disables.
      const sup = detailed.module ? collectSuppressions(detailed.module) : undefined;
      detailed.analysis.diagnostics = detailed.analysis.diagnostics.filter((d) => ruleEnabled(d.code, config) && !(sup && isSuppressed(sup, d.code, d.range.line)));
    } catch (e) {
      this.host.log(`lint failed on ${doc.uri}: ${(e as Error).stack ?? e}`);
    }
    const foreign = foreignDiagnostics(detailed);
    const result = withIndex({
      uri: doc.uri, version: doc.version, text, detailed, foreign, findings, ms: performance.now() - t0,
      ...(record ? { record } : {}), ...(editAt !== undefined ? { editAt } : {}), ...(resumedAt !== undefined ? { resumedAt } : {}),
      ...(previous ? { previousText: previous.text } : {}),
    }, () => buildIndex(detailed, facts, text, foreign));
    if (this.host.traceRuns) this.host.log(`analysed ${doc.uri} v${doc.version} in ${result.ms.toFixed(1)} ms${resumedAt !== undefined ? `, going on after ${resumedAt} prepared statements` : ''}`);
    this.cache.set(doc.uri, result);
    // Imported files as the engine reported them, plus every path the resolver looked at
    // (a module that is missing now may be created or opened later).
    const reads = new Set<string>([...(record?.stamps.keys() ?? []), ...(detailed.analysis.dependencies ?? []).map((p) => resolvePath(p))]);
    this.setReads(doc.uri, [...reads]);
    this.lastRun.set(doc.uri, Date.now());
    return result;
  }

  /**
   * An edit that only rewrote free-standing comments (commentEdits.ts) leaves the program,
   * and so every result, as it was: the previous analysis is kept with the new comment list.
   */
  private reuseAfterCommentEdit(doc: SourceDoc, text: string, t0: number): DocAnalysis | undefined {
    const prev = this.cache.get(doc.uri);
    const mod = prev?.detailed.module;
    if (!prev || !mod || prev.version >= doc.version || !this.importsCurrent(prev)) return undefined;
    const comments = commentsAfterCommentEdit(mod, prev.text, text);
    if (!comments) return undefined;
    const detailed: DetailedAnalysis = { ...prev.detailed, module: { ...mod, comments } };
    const { uri, foreign, findings, record } = prev;
    const result = withIndex({ uri, version: doc.version, text, detailed, foreign, findings, ms: performance.now() - t0, ...(record ? { record } : {}) }, () => prev.index);
    this.cache.set(doc.uri, result);
    this.lastRun.set(doc.uri, Date.now());
    return result;
  }

  /**
   * While the user pauses after an edit, runs the top-level statements before the edited one
   * (`editAt`), one per turn of the event loop so that messages are not held up: the next
   * edit, if it leaves them as they are, goes on from there (analyze.ts prepareRun). Typing
   * below a model (a training loop, a test call) then re-runs only what follows.
   *
   * When the edit was inside the body of a function (a model's `forward`), the run goes on
   * past it instead, up to the first step that calls the function (analyze.ts BodyEdit): the
   * next edit inside that body re-runs only the calls, not the model's construction. The first
   * such run finds that step; it is then made again to stop before it.
   */
  private prepareNext(uri: string, a: DocAnalysis): void {
    const mod = a.detailed.module;
    const upTo = a.editAt;
    // (A result kept after a comment edit has no editAt: a run already prepared stays good.)
    if (upTo === undefined) return;
    this.prepared.delete(uri);
    if (!mod || upTo <= 0 || this.host.settings().server?.prepareRuns === false) return;
    const { options, record } = this.resolvedOptions(uri, EDIT_RUN);
    const changed = a.previousText !== undefined ? changedLines(a.previousText, a.text) : undefined;
    const start = (bodyEdit: BodyEdit | undefined) => {
      const entry: Prepared = {
        run: prepareRun(this.parser, a.text, mod, options, bodyEdit),
        ...(options.resolveModule ? { resolve: options.resolveModule } : {}), ...(record ? { record } : {}),
      };
      this.prepared.set(uri, entry);
      const step = () => {
        if (this.prepared.get(uri) !== entry) return; // used, replaced or dropped
        let more = false;
        try {
          more = advancePreparedRun(entry.run, upTo);
        } catch (e) {
          this.prepared.delete(uri);
          this.host.log(`preparing the next run failed on ${uri}: ${(e as Error).stack ?? e}`);
          this.host.prepared?.(uri);
          return;
        }
        if (more) setImmediate(step);
        else if (entry.run.called && bodyEdit && !bodyEdit.limit) start({ ...bodyEdit, limit: entry.run.called });
        else this.host.prepared?.(uri);
      };
      setImmediate(step);
    };
    start(changed ? bodyEditAt(mod, upTo, changed.first, changed.last) : undefined);
  }

  /** The engine must never take the server down: a crash becomes an empty analysis and a log line. */
  private guarded(run: () => DetailedAnalysis, uri: string): DetailedAnalysis {
    try {
      return run();
    } catch (e) {
      this.host.log(`analysis failed on ${uri}: ${(e as Error).stack ?? e}`);
      return {
        analysis: { file: uriBaseName(uri), framework: 'unknown', models: [], diagnostics: [], syntaxErrors: [], notes: [`TensorLens failed on this file: ${(e as Error).message}`] },
        imports: new Map(),
        instances: new Map(),
      };
    }
  }
}
