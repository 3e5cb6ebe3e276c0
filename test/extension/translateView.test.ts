// The translation view and the snippet picker behind the commands, against stubbed VS Code
// (FakeHost), language server (FakeServer) and webview panels (FakeView): what the panel is
// sent, and which host functions its buttons call.

import { afterEach, describe, expect, it } from 'vitest';
import { registerCommands } from '../../src/extension/commands';
import { SnippetController, TranslationController, detectFramework, notesOf, viewsForTests } from '../../src/extension/webview/translateController';
import { Command, Method, type ModelInfo, type SnippetInfo, type TranslateParams } from '../../src/shared/protocol';
import { FakeHost, FakeServer, FakeView, editor } from './fakes';

const URI = 'file:///ws/nets.py';
const DOC = [
  'import torch', //                           line 1
  'import torch.nn as nn', //                  2
  '', //                                       3
  'class Head(nn.Module):', //                 4
  '    def __init__(self):', //                5
  '        super().__init__()', //             6
  '        self.fc = nn.Linear(5, 10)', //     7
  '', //                                       8
  '    def forward(self, x):', //              9
  '        return self.fc(x)', //              10
  '', //                                       11
  'print("done")', //                          12
].join('\n');
const MODELS: ModelInfo[] = [{ name: 'Head', kind: 'module-class', framework: 'pytorch', line: 3, endLine: 9, totalParams: 60, outputShape: '[1, 10]' }];
const KERAS = 'import keras\nfrom keras import layers\n\nmodel = keras.Sequential([layers.Dense(10)])\n';

const SNIPPETS: SnippetInfo[] = [
  { id: 'dense-layer', title: 'Fully connected layer', description: 'Dense vs Linear', bodies: { pytorch: 'fc = nn.Linear(${1:128}, ${2:64})', keras: 'fc = layers.Dense(${2:64})', 'tf-keras': 'fc = tf.keras.layers.Dense(${2:64})' } },
  { id: 'flatten', title: 'Flatten', bodies: { pytorch: 'x = torch.flatten(x, 1)', keras: 'x = layers.Flatten()(x)' } },
];

function setup() {
  const host = new FakeHost();
  host.docs.set(URI, DOC);
  const views: FakeView[] = [];
  const server = new FakeServer({
    [Method.models]: () => ({ version: 1, models: MODELS }),
    [Method.translate]: (p: TranslateParams) => ({
      available: true,
      code: p.target === 'pytorch' ? 'import torch\n' : p.target === 'tf-keras' ? KERAS.replace('import keras', 'from tensorflow import keras') : KERAS,
      notes: ['line 7: Linear -> Dense', 'Keras is channels-last'],
      noteDetails: [{ line: 7, message: 'Linear -> Dense' }, { line: 0, message: 'Keras is channels-last' }],
    }),
    [Method.snippets]: () => ({ available: true, snippets: SNIPPETS }),
  });
  const openView = (kind: 'translate' | 'snippets', title: string) => {
    const v = new FakeView(kind, title);
    views.push(v);
    return v;
  };
  registerCommands({ host, server, openView });
  const run = (id: string, ...args: unknown[]) => host.commands.get(id)!(...args) as Promise<void>;
  return { host, server, views, run };
}

afterEach(() => {
  TranslationController.current?.dispose();
  SnippetController.current?.dispose();
});

async function translatedModel() {
  const s = setup();
  s.host.editor = editor(URI, 6);
  s.host.pickAnswer = (items) => items.find((i) => i.value === 'keras')?.value;
  await s.run(Command.translateModel);
  const view = s.views[0];
  await view.send({ type: 'ready' });
  return { ...s, view };
}

describe('Translate Model To… in the translation view', () => {
  it('opens the panel with the model source, the translation and the notes with their lines', async () => {
    const { host, server, views, view } = await translatedModel();
    expect(host.picks).toEqual(['Translate to…']);
    expect(server.calls.map((c) => c.params)).toEqual([{ uri: URI }, { uri: URI, target: 'keras', model: 'Head' }]);
    expect(views).toHaveLength(1);
    expect(view.kind).toBe('translate');
    expect(view.titles.at(-1)).toBe('Head → Keras 3');
    // Nothing goes to the page before it says it is ready; then exactly the view.
    expect(view.posted.map((m) => m.type)).toEqual(['translation']);
    const v = view.last('translation').view;
    expect(v.source).toEqual({ text: DOC.split('\n').slice(3, 10).join('\n'), firstLine: 4 });
    expect(v.code).toBe(KERAS);
    expect(v.target).toBe('keras');
    expect(v.origin).toBe('model');
    expect(v.insertLabel).toBe('Insert after model');
    expect(v.notes).toEqual([{ line: 7, message: 'Linear -> Dense' }, { line: 0, message: 'Keras is channels-last' }]);
    expect(host.beside).toEqual([]);
    expect(host.output).toBe('');
  });

  it('Copy puts the host copy of the code on the clipboard; Open as File opens an untitled Python editor', async () => {
    const { host, view } = await translatedModel();
    await view.send({ type: 'copy' });
    expect(host.clipboard).toBe(KERAS);
    expect(view.last('status')).toEqual({ type: 'status', ok: true, message: 'Copied the Keras 3 translation (4 lines) to the clipboard.' });
    await view.send({ type: 'openAsFile' });
    expect(host.beside).toEqual([{ content: KERAS, language: 'python' }]);
  });

  it('Insert puts the translation after the model, leaving the model as it was', async () => {
    const { host, view } = await translatedModel();
    await view.send({ type: 'insert' });
    expect(host.edits).toEqual([{ uri: URI, range: { start: { line: 10, character: 0 }, end: { line: 10, character: 0 } }, text: `\n${KERAS}` }]);
    const lines = host.docs.get(URI)!.split('\n');
    expect(lines.slice(0, 10)).toEqual(DOC.split('\n').slice(0, 10));
    expect(lines[11]).toBe('import keras');
    expect(lines.at(-1)).toBe('print("done")');
  });

  it('a note click reveals its (0-based) line in the editor; bad messages are ignored', async () => {
    const { host, view } = await translatedModel();
    await view.send({ type: 'revealLine', line: 7 });
    expect(host.revealed).toEqual([{ uri: URI, line: 6 }]);
    for (const bad of [{ type: 'revealLine', line: 0 }, { type: 'revealLine', line: '3' }, { type: 'setTarget', target: 'jax' }, { type: 'insert2' }, null, 'copy']) await view.send(bad);
    expect(host.revealed).toHaveLength(1);
    expect(host.edits).toEqual([]);
    expect(host.clipboard).toBeUndefined();
  });

  it('the target switcher translates again and shows the new result', async () => {
    const { server, view } = await translatedModel();
    await view.send({ type: 'setTarget', target: 'tf-keras' });
    expect(server.calls.at(-1)).toEqual({ method: Method.translate, params: { uri: URI, target: 'tf-keras', model: 'Head' } });
    expect(view.posted.map((m) => m.type)).toEqual(['translation', 'busy', 'translation', 'busy']);
    const v = view.last('translation').view;
    expect(v.target).toBe('tf-keras');
    expect(v.code).toMatch(/^from tensorflow import keras/);
    expect(view.titles.at(-1)).toBe('Head → tf.keras');
  });

  it('a target without a translation shows the reason, and Copy then has nothing to copy', async () => {
    const { host, server, view } = await translatedModel();
    server.handlers[Method.translate] = () => ({ available: false, message: 'The model is already PyTorch.' });
    await view.send({ type: 'setTarget', target: 'pytorch' });
    const v = view.last('translation').view;
    expect(v.code).toBeNull();
    expect(v.message).toBe('The model is already PyTorch.');
    await view.send({ type: 'copy' });
    expect(host.clipboard).toBeUndefined();
    expect(view.last('status')).toEqual({ type: 'status', ok: false, message: 'Nothing to copy.' });
  });

  it('a second Translate command reuses the open panel', async () => {
    const { host, run, views, view } = await translatedModel();
    host.pickAnswer = (items) => items.find((i) => i.value === 'pytorch')?.value;
    await run(Command.translateModel);
    expect(views).toHaveLength(1);
    expect(view.reveals).toBe(1);
    expect(view.last('translation').view.code).toBe('import torch\n');
    expect(viewsForTests.translate()?.view?.target).toBe('pytorch');
  });

  it('after the panel is closed the next command opens a new one', async () => {
    const { run, views, view } = await translatedModel();
    view.dispose();
    expect(TranslationController.current).toBeUndefined();
    await run(Command.translateModel);
    expect(views).toHaveLength(2);
  });
});

describe('Translate Selection To… in the translation view', () => {
  const SEL = { start: { line: 6, character: 8 }, end: { line: 6, character: 34 } };
  async function translatedSelection() {
    const s = setup();
    s.host.editor = editor(URI, 6, { selection: SEL, selectedText: 'self.fc = nn.Linear(5, 10)' });
    s.host.pickAnswer = (items) => items.find((i) => i.value === 'keras')?.value;
    await s.run(Command.translateSelection);
    const view = s.views[0];
    await view.send({ type: 'ready' });
    return { ...s, view };
  }

  it('shows the selection with its document line numbers and offers Replace selection', async () => {
    const { server, view } = await translatedSelection();
    expect(server.calls).toEqual([{ method: Method.translate, params: { uri: URI, target: 'keras', range: SEL } }]);
    const v = view.last('translation').view;
    expect(v.source).toEqual({ text: 'self.fc = nn.Linear(5, 10)', firstLine: 7 });
    expect(v.origin).toBe('selection');
    expect(v.insertLabel).toBe('Replace selection');
    expect(view.titles.at(-1)).toBe('Selection → Keras 3');
  });

  it('Insert replaces the selection once; the target switcher re-sends the same range', async () => {
    const { host, server, view } = await translatedSelection();
    await view.send({ type: 'setTarget', target: 'pytorch' });
    expect(server.calls.at(-1)!.params).toEqual({ uri: URI, target: 'pytorch', range: SEL });
    await view.send({ type: 'insert' });
    expect(host.edits).toEqual([{ uri: URI, range: SEL, text: 'import torch\n' }]);
    expect(host.docs.get(URI)!.split('\n')[6]).toBe('        import torch');
    await view.send({ type: 'insert' });
    expect(host.edits).toHaveLength(1);
    expect(view.last('status').ok).toBe(false);
  });

  it('refuses to replace when the selected code has changed since', async () => {
    const { host, view } = await translatedSelection();
    host.docs.set(URI, DOC.replace('nn.Linear(5, 10)', 'nn.Linear(7, 10)'));
    await view.send({ type: 'insert' });
    expect(host.edits).toEqual([]);
    expect(view.last('status')).toEqual({ type: 'status', ok: false, message: 'The selected code in nets.py has changed since; use Copy, or translate the selection again.' });
  });
});

describe('Insert Snippet… in the snippet picker', () => {
  async function picker(doc: string) {
    const s = setup();
    s.host.docs.set(URI, doc);
    s.host.editor = editor(URI, 0);
    await s.run(Command.insertSnippet);
    const view = s.views[0];
    await view.send({ type: 'ready' });
    return { ...s, view };
  }

  it('opens with every snippet and the framework of the file from its imports', async () => {
    const { host, view } = await picker('import keras\nfrom keras import layers\n');
    expect(host.picks).toEqual([]);
    expect(view.kind).toBe('snippets');
    const v = view.last('snippets').view;
    expect(v.snippets.map((s: SnippetInfo) => s.id)).toEqual(['dense-layer', 'flatten']);
    expect(v.framework).toBe('keras');
    expect(v.fileName).toBe('nets.py');
  });

  it('Insert (the file framework) and a column Insert put the right body as a snippet', async () => {
    const { host, view } = await picker('import keras\n');
    await view.send({ type: 'insertSnippet', id: 'dense-layer', framework: null });
    await view.send({ type: 'insertSnippet', id: 'dense-layer', framework: 'tf-keras' });
    expect(host.snippetsInserted).toEqual([
      { uri: URI, body: 'fc = layers.Dense(${2:64})' },
      { uri: URI, body: 'fc = tf.keras.layers.Dense(${2:64})' },
    ]);
    expect(view.last('status')).toEqual({ type: 'status', ok: true, message: "Inserted the tf.keras version of 'Fully connected layer' into nets.py." });
    await view.send({ type: 'insertSnippet', id: 'flatten', framework: 'tf-keras' });
    expect(view.last('status').ok).toBe(false);
    expect(host.snippetsInserted).toHaveLength(2);
  });

  it('asks for the framework when the imports do not tell, offering only the versions the snippet has', async () => {
    const { host, view } = await picker('x = 1\n');
    expect(view.last('snippets').view.framework).toBeNull();
    let offered: string[] = [];
    host.pickAnswer = (items) => { offered = items.map((i) => i.value); return 'pytorch'; };
    await view.send({ type: 'insertSnippet', id: 'flatten', framework: null });
    expect(offered).toEqual(['pytorch', 'keras']);
    expect(host.snippetsInserted).toEqual([{ uri: URI, body: 'x = torch.flatten(x, 1)' }]);
  });

  it('follows the active Python editor', async () => {
    const { host, view } = await picker('import keras\n');
    const other = 'file:///ws/torch_model.py';
    host.docs.set(other, 'import torch.nn as nn\n');
    host.activate(editor(other));
    await new Promise((r) => setTimeout(r, 0));
    expect(view.last('snippetTarget')).toEqual({ type: 'snippetTarget', fileName: 'torch_model.py', framework: 'pytorch' });
    host.activate(undefined);
    await view.send({ type: 'insertSnippet', id: 'flatten', framework: null });
    expect(host.snippetsInserted).toEqual([{ uri: other, body: 'x = torch.flatten(x, 1)' }]);
  });

  it('says so when no editor shows the file', async () => {
    const { host, view } = await picker('import torch\n');
    host.snippetResult = false;
    await view.send({ type: 'insertSnippet', id: 'flatten', framework: null });
    expect(view.last('status')).toEqual({ type: 'status', ok: false, message: 'nets.py is not open in an editor; open it and try again.' });
  });

  it('without a panel factory: the quick pick flow, with the framework detected instead of asked', async () => {
    const host = new FakeHost();
    host.docs.set(URI, 'from tensorflow import keras\n');
    host.editor = editor(URI);
    const server = new FakeServer({ [Method.snippets]: () => ({ available: true, snippets: SNIPPETS }) });
    registerCommands({ host, server });
    let offered: string[] = [];
    host.pickAnswer = (items) => { offered = items.map((i) => i.label); return items[0].value; };
    await (host.commands.get(Command.insertSnippet)!() as Promise<void>);
    expect(host.picks).toEqual(['Insert which snippet?']);
    expect(offered).toEqual(['Fully connected layer']);
    expect(host.snippetsInserted).toEqual([{ uri: URI, body: 'fc = tf.keras.layers.Dense(${2:64})' }]);
  });
});

describe('helpers', () => {
  it('detectFramework reads the imports', () => {
    expect(detectFramework('import torch\nimport torch.nn as nn\n')).toBe('pytorch');
    expect(detectFramework('from torch import nn')).toBe('pytorch');
    expect(detectFramework('import keras\nfrom keras import layers')).toBe('keras');
    expect(detectFramework('import numpy as np, keras')).toBe('keras');
    expect(detectFramework('import tensorflow as tf\n')).toBe('tf-keras');
    expect(detectFramework('from tensorflow import keras\n')).toBe('tf-keras');
    expect(detectFramework('import keras\nimport tensorflow as tf\n')).toBe('keras');
    expect(detectFramework('import torch\nimport tensorflow as tf\n')).toBeUndefined();
    expect(detectFramework('# import torch\nx = "import torch"\n')).toBeUndefined();
    expect(detectFramework('import torchvision_like\n')).toBeUndefined();
  });

  it('notesOf prefers noteDetails and parses `line N:` strings from older servers', () => {
    expect(notesOf({ available: true, notes: ['line 12: BatchNorm momentum', 'channels-last'] })).toEqual([
      { line: 12, message: 'BatchNorm momentum' }, { line: 0, message: 'channels-last' },
    ]);
    expect(notesOf({ available: true, notes: ['x'], noteDetails: [{ line: 3, message: 'y' }] })).toEqual([{ line: 3, message: 'y' }]);
  });
});
