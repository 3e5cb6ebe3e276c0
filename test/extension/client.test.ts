// The extension's client logic (commands, status bar, exports) against stubbed VS Code
// and language-client interfaces, plus the check that ids declared in
// src/shared/protocol.ts agree with package.json.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LINT_WORKSPACE_MAX_FILES, registerCommands, type CommandDeps } from '../../src/extension/commands';
import { ModelStatus } from '../../src/extension/statusBar';
import { summaryCsv, summaryMarkdown, summaryText } from '../../src/extension/summaryFormat';
import { COMMAND_TITLES, Command, Method, NOT_AVAILABLE, Setting, parseInputShapes, type ModelInfo, type SummaryResult } from '../../src/shared/protocol';
import { FakeHost, FakeServer, editor } from './fakes';

const URI = 'file:///ws/nets.py';

const MODELS: ModelInfo[] = [
  { name: 'Encoder', kind: 'module-class', framework: 'pytorch', line: 4, endLine: 20, totalParams: 11689512, outputShape: '[1, 512]' },
  { name: 'Head', kind: 'module-class', framework: 'pytorch', line: 23, endLine: 30, totalParams: 5130, outputShape: '[1, 10]' },
];

function summaryFor(model?: string): SummaryResult {
  const all = MODELS.map((m) => ({
    name: m.name, kind: m.kind, line: m.line + 1, input_shapes: [[1, 3, 224, 224]], input_source: 'directive', output_shape: [1, m.name === 'Head' ? 10 : 512],
    total_params: m.totalParams, trainable_params: m.totalParams, non_trainable_params: 0, param_bytes: m.totalParams * 4, macs: 0,
    layers: [{ path: 'fc', type: 'Linear', output_shape: ['B', 10], params: 5130, trainable: true, line: 7, macs: null, depth: 0 }], notes: [],
  }));
  return { version: 1, summary: { file: 'nets.py', framework: 'pytorch', models: all.filter((m) => !model || m.name === model), diagnostics: [], syntax_errors: [], notes: [] } };
}

function setup(extra: Partial<CommandDeps> = {}) {
  const host = new FakeHost();
  const server = new FakeServer({
    [Method.models]: () => ({ version: 1, models: MODELS }),
    [Method.summary]: (p) => summaryFor(p.model),
    [Method.setInputShape]: () => ({ version: 2 }),
    [Method.translate]: () => ({ available: false, message: NOT_AVAILABLE }),
    [Method.snippets]: () => ({ available: false, message: NOT_AVAILABLE, snippets: [] }),
  });
  registerCommands({ host, server, ...extra });
  const run = (id: string, ...args: unknown[]) => host.commands.get(id)!(...args) as Promise<void>;
  return { host, server, run };
}

describe('commands', () => {
  it('registers every command of the protocol', () => {
    const { host } = setup();
    expect([...host.commands.keys()].sort()).toEqual(Object.values(Command).sort());
  });

  it('Show Model Summary picks the model under the cursor and prints its table without the webview', async () => {
    const { host, server, run } = setup();
    host.editor = editor(URI, 25);
    await run(Command.showSummary);
    expect(server.calls.map((c) => c.method)).toEqual([Method.models, Method.summary]);
    expect(server.calls[1].params).toEqual({ uri: URI, model: 'Head' });
    expect(host.output).toContain('Head  (module-class, line 24)');
    expect(host.output).toContain('fc (Linear)');
    expect(host.output).toContain('[B, 10]');
    expect(host.output).not.toContain('Encoder');
  });

  it('Show Model Summary asks which model when the cursor is outside all of them, and stops on cancel', async () => {
    const { host, server, run } = setup();
    host.editor = editor(URI, 40);
    await run(Command.showSummary);
    expect(host.picks).toEqual(['Which model?']);
    expect(server.calls.map((c) => c.method)).toEqual([Method.models]);
  });

  it('Show Model Summary from a code lens opens the webview panel when there is one', async () => {
    const opened: unknown[] = [];
    const { host, server, run } = setup({ openPanel: (uri, model) => opened.push([uri, model]) });
    await run(Command.showSummary, URI, 'Encoder');
    expect(opened).toEqual([[URI, 'Encoder']]);
    expect(server.calls.map((c) => c.method)).toEqual([Method.models]);
    expect(host.output).toBe('');
  });

  it('warns instead of failing when no Python editor is active', async () => {
    const { host, server, run } = setup();
    await run(Command.showSummary);
    expect(host.messages).toEqual([{ level: 'warn', text: 'TensorLens: open a Python file first.' }]);
    expect(server.calls).toEqual([]);
  });

  it('Set Input Shape… validates the text and sends the parsed shapes', async () => {
    const { host, server, run } = setup();
    host.editor = editor(URI);
    host.inputAnswer = '(1, 3, 64, 64), (None, 10)';
    await run(Command.setInputShape);
    expect(host.inputValidation!('1, a, 3')).toMatch(/whole numbers/);
    expect(host.inputValidation!('1, 3, 224, 224')).toBeUndefined();
    expect(server.calls).toEqual([{ method: Method.setInputShape, params: { uri: URI, inputShapes: [[1, 3, 64, 64], [null, 10]] } }]);
    expect(host.messages[0].text).toContain('(1, 3, 64, 64), (None, 10)');
  });

  it('Translate Model To… reports that translation is not available yet', async () => {
    const { host, server, run } = setup();
    host.editor = editor(URI);
    host.pickAnswer = (items, placeholder) => (placeholder === 'Which model?' ? 'Head' : items.find((i) => i.value === 'keras')?.value);
    await run(Command.translateModel);
    expect(host.picks).toEqual(['Which model?', 'Translate to…']);
    expect(server.calls[1]).toEqual({ method: Method.translate, params: { uri: URI, target: 'keras', model: 'Head' } });
    expect(host.messages).toEqual([{ level: 'info', text: NOT_AVAILABLE }]);
    expect(host.beside).toEqual([]);
  });

  it('Translate Selection To… opens the translation beside the source once the server has one', async () => {
    const { host, server, run } = setup();
    server.handlers[Method.translate] = () => ({ available: true, code: 'layers.Dense(10)\n', notes: ['NHWC'] });
    const sel = { start: { line: 2, character: 0 }, end: { line: 3, character: 5 } };
    host.editor = editor(URI, 2, { selection: sel, selectedText: 'nn.Linear(5, 10)' });
    host.pickAnswer = (items) => items[1].value;
    await run(Command.translateSelection);
    expect(server.calls[0].params).toEqual({ uri: URI, target: 'keras', range: sel });
    expect(host.beside).toEqual([{ content: 'layers.Dense(10)\n', language: 'python' }]);
    expect(host.output).toContain('- NHWC');
  });

  it('Export Summary writes Markdown to the chosen path', async () => {
    const { host, run } = setup();
    host.editor = editor(URI);
    host.pickAnswer = (items) => items[0].value;
    host.saveAnswer = '/tmp/out/nets.summary.md';
    await run(Command.exportSummary);
    const md = host.written.get('/tmp/out/nets.summary.md')!;
    expect(md).toContain('## Encoder');
    expect(md).toContain('| fc | Linear | `[B, 10]` | 5,130 |');
  });

  it('Lint Workspace opens the Python files (capped) so the server checks them', async () => {
    const { host, run } = setup();
    host.pythonFiles = Array.from({ length: LINT_WORKSPACE_MAX_FILES + 5 }, (_, i) => `file:///ws/m${i}.py`);
    await run(Command.lintWorkspace);
    expect(host.opened).toHaveLength(LINT_WORKSPACE_MAX_FILES);
    expect(host.messages[0].text).toContain(`Only the first ${LINT_WORKSPACE_MAX_FILES}`);
  });

  it('Restart Server restarts the client; a failing command shows an error instead of throwing', async () => {
    const { host, server, run } = setup();
    await run(Command.restartServer);
    expect(server.restarts).toBe(1);
    host.editor = editor(URI);
    server.handlers[Method.models] = () => {
      throw new Error('connection lost');
    };
    await run(Command.showSummary);
    expect(host.messages.at(-1)).toEqual({ level: 'error', text: 'TensorLens: Show Model Summary failed: connection lost' });
  });
});

describe('status bar', () => {
  it('shows the model under the cursor with its parameter count, and hides elsewhere', async () => {
    const host = new FakeHost();
    const server = new FakeServer({ [Method.models]: () => ({ version: 1, models: MODELS }) });
    const status = new ModelStatus(host, server);
    host.editor = editor(URI, 10);
    await status.update();
    expect(host.status).toMatchObject({ text: '$(symbol-class) Encoder · 11.7 M', command: Command.showSummary, visible: true });
    host.editor = editor(URI, 26);
    await status.update();
    expect(host.status.text).toBe('$(symbol-class) Head · 5.1 k');
    expect(server.calls).toHaveLength(1); // same document version: cached
    host.editor = editor(URI, 40);
    await status.update();
    expect(host.status.visible).toBe(false);
    host.editor = { ...editor('file:///ws/readme.md'), languageId: 'markdown' };
    await status.update();
    expect(host.status.visible).toBe(false);
  });

  it('respects the setting', async () => {
    const host = new FakeHost();
    host.settings.set(Setting.statusBarEnabled, false);
    const server = new FakeServer({ [Method.models]: () => ({ version: 1, models: MODELS }) });
    host.editor = editor(URI, 10);
    await new ModelStatus(host, server).update();
    expect(host.status.visible).toBe(false);
    expect(server.calls).toEqual([]);
  });
});

describe('summary formats', () => {
  const s = summaryFor('Head').summary;
  it('renders text, Markdown and CSV from the JSON contract', () => {
    expect(summaryText(s)).toContain('Total params: 5,130');
    expect(summaryMarkdown(s)).toContain('Input: `[1, 3, 224, 224]` (directive) · Output: `[1, 10]`');
    expect(summaryCsv(s).split('\n').slice(0, 2)).toEqual(['model,path,type,output_shape,params,trainable,line', 'Head,fc,Linear,"[B, 10]",5130,true,7']);
  });
});

describe('protocol', () => {
  it('parses input shapes the way the directive does', () => {
    expect(parseInputShapes('1, 3, 224, 224')).toEqual([[1, 3, 224, 224]]);
    expect(parseInputShapes('(None, 28, 28, 1), [B, 10]')).toEqual([[null, 28, 28, 1], [null, 10]]);
    expect(parseInputShapes('')).toEqual([]);
    expect(parseInputShapes('1, x')).toBeUndefined();
    expect(parseInputShapes('1x3x32x32')).toEqual([[1, 3, 32, 32]]);
  });
});

describe('package.json agrees with src/shared/protocol.ts', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));

  it('contributes every command with its title, in the TensorLens category', () => {
    const contributed = new Map<string, { title: string; category: string }>(pkg.contributes.commands.map((c: { command: string }) => [c.command, c]));
    for (const id of Object.values(Command)) {
      expect(contributed.get(id)).toMatchObject({ title: COMMAND_TITLES[id], category: 'TensorLens' });
    }
  });

  it('declares every setting key with a markdownDescription, in titled sections', () => {
    const sections: Array<{ title: string; properties: Record<string, { markdownDescription?: string }> }> = pkg.contributes.configuration;
    const props = Object.assign({}, ...sections.map((s) => s.properties));
    for (const key of Object.values(Setting)) {
      expect(props[key], key).toBeTruthy();
      expect(props[key].markdownDescription, key).toBeTruthy();
    }
    for (const s of sections) expect(s.title).toBeTruthy();
  });

  it('activates on Python and notebooks, runs dist/extension.js and ships the LSP bin', () => {
    expect(pkg.main).toBe('./dist/extension.js');
    expect(pkg.activationEvents).toEqual(expect.arrayContaining(['onLanguage:python', 'onNotebook:jupyter-notebook']));
    expect(pkg.bin['tensorlens-lsp']).toBe('dist/server.js');
    expect(pkg.engines.vscode).toBe('^1.100.0');
    expect(pkg.contributes.grammars).toContainEqual(expect.objectContaining({ scopeName: 'tensorlens.injection', injectTo: ['source.python'] }));
  });
});
