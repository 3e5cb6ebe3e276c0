// Runs the engine for open documents: one cached result per document version, analyses
// scheduled on change (the first change after a quiet spell runs on the next tick, a
// burst of changes is coalesced to one run per debounce window), and skipped when a
// newer version arrived meanwhile. Requests get the current version's result, computing
// it on demand when the scheduled run has not happened yet.

import { analyzeDetailed, type DetailedAnalysis } from '../core/analyze';
import type { PyParser } from '../core/python/parser';
import type { Finding } from '../core/lint/types';
import type { AnalyzeOptions } from '../core/summary/types';
import { parseInputShapes, type InputShape, type TensorLensSettings } from '../shared/protocol';
import { buildIndex, type DocIndex } from './docIndex';
import { runLint } from './lint';
import { mergeLintConfig, projectConfigFor } from './projectConfig';
import { uriBaseName, uriToPath } from './uri';

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
  index: DocIndex;
  findings: Finding[];
  /** Wall time of the run (parse + evaluate + infer + lint). */
  ms: number;
}

export interface ServiceHost {
  document(uri: string): SourceDoc | undefined;
  settings(): TensorLensSettings;
  /** Called after every scheduled run (publish diagnostics, refresh hints). */
  analysed(result: DocAnalysis): void;
  log(message: string): void;
  workspaceRoot?: string;
}

export const DEFAULT_DEBOUNCE_MS = 150;

export class AnalysisService {
  private readonly cache = new Map<string, DocAnalysis>();
  private readonly pending = new Map<string, { cancel(): void }>();
  private readonly lastRun = new Map<string, number>();
  /** The version whose results were last handed to `analysed`. */
  private readonly published = new Map<string, number>();
  /** Input shapes set for a document through tensorlens/setInputShape (session only). */
  private readonly sessionShapes = new Map<string, InputShape[]>();

  constructor(private readonly parser: PyParser, private readonly host: ServiceHost) {}

  /** A document changed: analyse soon, coalescing bursts. */
  schedule(uri: string): void {
    if (this.pending.has(uri)) return; // the pending run will read the newest version
    const debounce = this.host.settings().server?.debounceMs ?? DEFAULT_DEBOUNCE_MS;
    const since = Date.now() - (this.lastRun.get(uri) ?? -Infinity);
    const run = () => {
      this.pending.delete(uri);
      const result = this.get(uri); // may already be cached by a request for this version
      if (!result || this.published.get(uri) === result.version) return;
      this.published.set(uri, result.version);
      this.host.analysed(result);
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
    if (cached && cached.version === doc.version) return cached;
    const result = this.analyse(doc);
    return result;
  }

  /** The cached result whatever its version (cheap, for hints while typing). */
  peek(uri: string): DocAnalysis | undefined {
    return this.cache.get(uri);
  }

  close(uri: string): void {
    this.pending.get(uri)?.cancel();
    this.pending.delete(uri);
    this.cache.delete(uri);
    this.lastRun.delete(uri);
    this.published.delete(uri);
  }

  /** Settings or session shapes changed: forget every result and re-analyse the open documents. */
  invalidate(uris: Iterable<string>): void {
    this.cache.clear();
    this.published.clear();
    for (const u of uris) this.schedule(u);
  }

  setSessionShapes(uri: string, shapes: InputShape[]): void {
    if (shapes.length) this.sessionShapes.set(uri, shapes);
    else this.sessionShapes.delete(uri);
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

  /** A one-off run (custom summary request with its own shapes / model); not cached. */
  analyseWith(doc: SourceDoc, extra: Partial<AnalyzeOptions>): DetailedAnalysis {
    return this.guarded(() => analyzeDetailed(this.parser, doc.getText(), this.options(doc.uri, extra)), doc.uri);
  }

  private analyse(doc: SourceDoc): DocAnalysis {
    const t0 = performance.now();
    const text = doc.getText();
    const detailed = this.guarded(() => analyzeDetailed(this.parser, text, this.options(doc.uri, { traceShapes: true })), doc.uri);
    const facts = detailed.shapeFacts ?? new Map();
    let findings: Finding[] = [];
    try {
      const settings = this.host.settings();
      findings = runLint(detailed, text, mergeLintConfig(settings.lint, projectConfigFor(uriToPath(doc.uri), this.host.workspaceRoot)));
    } catch (e) {
      this.host.log(`lint failed on ${doc.uri}: ${(e as Error).stack ?? e}`);
    }
    const index = buildIndex(detailed, facts);
    const result: DocAnalysis = { uri: doc.uri, version: doc.version, text, detailed, index, findings, ms: performance.now() - t0 };
    this.cache.set(doc.uri, result);
    this.lastRun.set(doc.uri, Date.now());
    return result;
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
