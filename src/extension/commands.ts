// The TensorLens commands. Each is a plain async function over the Host and Server
// interfaces (host.ts); `registerCommands` binds them to the ids of src/shared/protocol.ts.

import {
  COMMAND_TITLES, Command, Method, formatInputShape, parseInputShapes, type CommandId, type ModelInfo, type TargetFramework,
} from '../shared/protocol';
import type { Disposable, EditorState, Host, Server, ViewKind, ViewPort } from './host';
import { summaryCsv, summaryMarkdown, summaryText } from './summaryFormat';
import { SnippetController, TranslationController, detectFramework, type TranslationSource } from './webview/translateController';

export interface CommandDeps {
  host: Host;
  server: Server;
  /** The summary webview (src/extension/webview), when it is built in; else the text summary is shown. */
  openPanel?: (uri: string, model?: string) => unknown;
  /**
   * Creates the translation view / snippet picker panel (src/extension/webview/translatePanel.ts).
   * Without it translations open as untitled editors and snippets are picked in a quick pick.
   */
  openView?: (kind: ViewKind, title: string) => ViewPort;
}

const TARGETS: Array<{ label: string; value: TargetFramework }> = [
  { label: 'PyTorch', value: 'pytorch' },
  { label: 'Keras 3', value: 'keras' },
  { label: 'tf.keras (TensorFlow 2)', value: 'tf-keras' },
];

/** Largest number of files Lint Workspace opens. */
export const LINT_WORKSPACE_MAX_FILES = 500;

function activePythonUri(host: Host, given?: unknown): string | undefined {
  if (typeof given === 'string') return given;
  const ed = host.activeEditor();
  if (ed && ed.languageId === 'python') return ed.uri;
  host.warn('TensorLens: open a Python file first.');
  return undefined;
}

/** The model the command is about: given, under the cursor, the only one, or picked. */
async function chooseModel(d: CommandDeps, uri: string, given?: unknown): Promise<{ model?: string; models: ModelInfo[] } | undefined> {
  const res = await d.server.request(Method.models, { uri });
  const models = res?.models ?? [];
  if (typeof given === 'string') return { model: given, models };
  if (models.length <= 1) return { model: models[0]?.name, models };
  const ed = d.host.activeEditor();
  const here = ed && ed.uri === uri ? models.find((m) => ed.cursorLine >= m.line && ed.cursorLine <= m.endLine) : undefined;
  if (here) return { model: here.name, models };
  const picked = await d.host.pick(
    models.map((m) => ({ label: m.name, description: `${m.framework} · ${m.totalParams.toLocaleString('en-US')} params`, detail: `line ${m.line + 1} · → ${m.outputShape}`, value: m.name })),
    'Which model?',
  );
  return picked === undefined ? undefined : { model: picked, models };
}

export async function showSummary(d: CommandDeps, uriArg?: unknown, modelArg?: unknown): Promise<void> {
  const uri = activePythonUri(d.host, uriArg);
  if (!uri) return;
  const chosen = await chooseModel(d, uri, modelArg);
  if (!chosen) return;
  if (d.openPanel) {
    await d.openPanel(uri, chosen.model);
    return;
  }
  const res = await d.server.request(Method.summary, { uri, ...(chosen.model ? { model: chosen.model } : {}) });
  if (!res) {
    d.host.warn('TensorLens: no analysis for this document.');
    return;
  }
  d.host.showOutput(summaryText(res.summary), { clear: true });
}

export async function exportSummary(d: CommandDeps, uriArg?: unknown): Promise<void> {
  const uri = activePythonUri(d.host, uriArg);
  if (!uri) return;
  const format = await d.host.pick(
    [
      { label: 'Markdown', value: 'md' as const },
      { label: 'CSV', value: 'csv' as const },
      { label: 'JSON (tensorlens summary --json)', value: 'json' as const },
    ],
    'Export the summary as…',
  );
  if (!format) return;
  const res = await d.server.request(Method.summary, { uri });
  if (!res) return;
  const base = (uri.split('/').pop() ?? 'model').replace(/\.py$/, '');
  const path = await d.host.saveAs(`${base}.summary.${format}`, { [format.toUpperCase()]: [format] });
  if (!path) return;
  const content = format === 'md' ? summaryMarkdown(res.summary) : format === 'csv' ? summaryCsv(res.summary) : `${JSON.stringify(res.summary, null, 2)}\n`;
  await d.host.writeFile(path, content);
  d.host.info(`TensorLens: summary written to ${path}`);
}

export async function setInputShape(d: CommandDeps, uriArg?: unknown): Promise<void> {
  const uri = activePythonUri(d.host, uriArg);
  if (!uri) return;
  const text = await d.host.input(
    'Input shape(s) for the models of this file, e.g. 1, 3, 224, 224 or (1, 3, 64, 64), (1, 10). Empty to clear.',
    '',
    (t) => (parseInputShapes(t) === undefined ? 'Dims are whole numbers or None, separated by commas; several inputs in parentheses.' : undefined),
  );
  if (text === undefined) return;
  const shapes = parseInputShapes(text) ?? [];
  await d.server.request(Method.setInputShape, { uri, inputShapes: shapes });
  d.host.info(shapes.length ? `TensorLens: input ${shapes.map(formatInputShape).join(', ')} (this session; a \`# tensorlens: input=\` directive keeps it in the file).` : 'TensorLens: input shape cleared.');
}

async function translate(d: CommandDeps, selection: boolean): Promise<void> {
  const uri = activePythonUri(d.host);
  if (!uri) return;
  const ed = d.host.activeEditor();
  if (selection && (!ed || !ed.selectedText.trim())) {
    d.host.warn('TensorLens: select the code to translate first.');
    return;
  }
  const chosen = selection ? { model: undefined, models: [] } : await chooseModel(d, uri);
  if (!chosen) return;
  const target = await d.host.pick(TARGETS, 'Translate to…');
  if (!target) return;
  const res = await d.server.request(Method.translate, { uri, target, ...(selection && ed ? { range: ed.selection } : chosen.model ? { model: chosen.model } : {}) });
  if (!res.available || res.code === undefined) {
    d.host.info(res.message ?? 'TensorLens: translation is not available.');
    return;
  }
  if (d.openView) {
    const { openView } = d;
    TranslationController.show({ host: d.host, server: d.server, openView }, await translationSource(d.host, uri, selection ? ed : undefined, chosen), target, res);
    return;
  }
  await d.host.openBeside(res.code, 'python');
  if (res.notes?.length) d.host.showOutput(`Translation notes (${target}):\n${res.notes.map((n) => `- ${n}`).join('\n')}\n`, { clear: true });
}

/** The left pane and the Insert position of a translation: the selection, else the model's lines (Insert goes after them). */
async function translationSource(host: Host, uri: string, sel: EditorState | undefined, chosen: { model?: string; models: ModelInfo[] }): Promise<TranslationSource> {
  const fileName = decodeURIComponent(uri.split('/').pop() ?? uri);
  if (sel) {
    return {
      uri, fileName, origin: 'selection', range: sel.selection, selectedText: sel.selectedText,
      source: { text: sel.selectedText, firstLine: sel.selection.start.line + 1 }, insertAt: sel.selection.start, insertLabel: 'Replace selection',
    };
  }
  const text = (await host.documentText(uri)) ?? '';
  const lines = text.split('\n');
  const info = chosen.models.find((m) => m.name === chosen.model);
  const ed = host.activeEditor();
  if (info && info.endLine >= info.line && info.line < lines.length) {
    return {
      uri, fileName, origin: 'model', ...(chosen.model ? { model: chosen.model } : {}),
      source: { text: lines.slice(info.line, info.endLine + 1).join('\n'), firstLine: info.line + 1 },
      insertAt: { line: info.endLine + 1, character: 0 }, insertLabel: 'Insert after model',
    };
  }
  return {
    uri, fileName, origin: 'model', ...(chosen.model ? { model: chosen.model } : {}), source: { text, firstLine: 1 },
    insertAt: { line: ed && ed.uri === uri ? ed.cursorLine : lines.length, character: 0 }, insertLabel: 'Insert at cursor',
  };
}

export async function insertSnippet(d: CommandDeps): Promise<void> {
  const uri = activePythonUri(d.host);
  if (!uri) return;
  const res = await d.server.request(Method.snippets, {});
  if (!res.available || !res.snippets.length) {
    d.host.info(res.message ?? 'TensorLens: no snippets available.');
    return;
  }
  if (d.openView) {
    const { openView } = d;
    await SnippetController.show({ host: d.host, server: d.server, openView }, res.snippets, uri);
    return;
  }
  const framework = detectFramework((await d.host.documentText(uri)) ?? '') ?? (await d.host.pick(TARGETS, 'Framework of this file'));
  if (!framework) return;
  const items = res.snippets.filter((s) => s.bodies[framework]).map((s) => ({ label: s.title, value: s.bodies[framework]! }));
  const body = await d.host.pick(items, 'Insert which snippet?');
  if (body !== undefined) await d.host.insertSnippet(uri, body);
}

export async function lintWorkspace(d: CommandDeps): Promise<void> {
  const files = await d.host.findPythonFiles(LINT_WORKSPACE_MAX_FILES + 1);
  if (!files.length) {
    d.host.info('TensorLens: no Python files in the workspace.');
    return;
  }
  const some = files.slice(0, LINT_WORKSPACE_MAX_FILES);
  for (const f of some) await d.host.openDocument(f);
  d.host.info(
    `TensorLens: checking ${some.length} Python file(s); findings appear in the Problems panel.` +
      (files.length > some.length ? ` Only the first ${LINT_WORKSPACE_MAX_FILES} were opened; run \`tensorlens lint\` for the rest.` : ''),
  );
}

export async function restartServer(d: CommandDeps): Promise<void> {
  await d.server.restart();
  d.host.info('TensorLens: language server restarted.');
}

/** Every command with its implementation; ids and titles come from the shared protocol. */
export function commandTable(d: CommandDeps): Record<CommandId, (...args: unknown[]) => Promise<void>> {
  return {
    [Command.showSummary]: (uri, model) => showSummary(d, uri, model),
    [Command.translateModel]: () => translate(d, false),
    [Command.translateSelection]: () => translate(d, true),
    [Command.insertSnippet]: () => insertSnippet(d),
    [Command.lintWorkspace]: () => lintWorkspace(d),
    [Command.exportSummary]: (uri) => exportSummary(d, uri),
    [Command.setInputShape]: (uri) => setInputShape(d, uri),
    [Command.restartServer]: () => restartServer(d),
  };
}

export function registerCommands(d: CommandDeps): Disposable[] {
  return Object.entries(commandTable(d)).map(([id, run]) =>
    d.host.registerCommand(id, async (...args: unknown[]) => {
      try {
        await run(...args);
      } catch (e) {
        d.host.error(`TensorLens: ${COMMAND_TITLES[id as CommandId]} failed: ${(e as Error).message}`);
      }
    }),
  );
}
