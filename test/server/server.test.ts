// The language server as an editor sees it: `node dist/server.js --stdio` started for real
// and spoken to over LSP JSON-RPC (build first: `npm run build`). Positions are marked in
// the Python sources with the text they point at, not with hand-counted columns.

import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction, CodeLens, Diagnostic, Hover, InlayHint, MarkupContent, TextEdit } from 'vscode-languageserver';
import { Method, type ModelsResult, type SnippetsResult, type SummaryResult, type TranslateResult } from '../../src/shared/protocol';
import { startServer, type TestServer } from './lspClient';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const SMALL_CNN = readFileSync(join(EXAMPLES, 'small_cnn.py'), 'utf8');
const KERAS_SEQ = readFileSync(join(EXAMPLES, 'keras_sequential.py'), 'utf8');

const MLP = `import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        h = self.fc1(x)
        h = torch.relu(h)
        return self.fc2(h)


model = Net()
out = model(torch.randn(8, 784))
`;

/** The position of the `nth` occurrence of `needle` in `text` (plus `offset` characters). */
function at(text: string, needle: string, offset = 0, nth = 0): { line: number; character: number } {
  let idx = -1;
  for (let i = 0; i <= nth; i++) {
    idx = text.indexOf(needle, idx + 1);
    if (idx < 0) throw new Error(`'${needle}' not in text`);
  }
  const before = text.slice(0, idx + offset);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

const hoverText = (h: Hover | null) => (h ? (h.contents as MarkupContent).value : '');

let server: TestServer;
let nextVersion = 1;

async function open(uri: string, text: string): Promise<Diagnostic[]> {
  const version = nextVersion++;
  await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version, text } });
  return (await server.diagnostics(uri, version)).diagnostics;
}

async function change(uri: string, changes: Array<{ range?: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string }>): Promise<Diagnostic[]> {
  const version = nextVersion++;
  await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  return (await server.diagnostics(uri, version)).diagnostics;
}

const request = <T>(method: string, params: unknown) => server.conn.sendRequest(method, params) as Promise<T>;
const hover = (uri: string, position: { line: number; character: number }) => request<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
const hints = (uri: string) => request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 10000, character: 0 } } });

beforeAll(async () => {
  server = await startServer({ inlayHints: { enabled: true, forwardShapes: true } });
});
afterAll(async () => {
  await server?.stop();
});

describe('initialize', () => {
  it('declares incremental sync and the providers', () => {
    const caps = server.init.capabilities;
    expect(caps.textDocumentSync).toMatchObject({ openClose: true, change: 2 });
    expect(caps.hoverProvider).toBe(true);
    expect(caps.inlayHintProvider).toBeTruthy();
    expect(caps.codeLensProvider).toBeTruthy();
    expect(caps.codeActionProvider).toMatchObject({ codeActionKinds: expect.arrayContaining(['quickfix']) });
    expect(server.init.serverInfo?.name).toBe('tensorlens-lsp');
  });

  it('reads its settings through workspace/configuration', async () => {
    await open('file:///ws/settings_probe.py', 'x = 1\n');
    expect(server.serverRequests).toContain('workspace/configuration');
  });
});

describe('diagnostics', () => {
  const uri = 'file:///ws/mlp.py';

  it('publishes no diagnostics for a consistent model', async () => {
    expect(await open(uri, MLP)).toEqual([]);
  });

  it('reports a Linear fed the wrong width after an incremental edit, linked to its definition', async () => {
    const start = at(MLP, '128, 10');
    const diags = await change(uri, [{ range: { start, end: { line: start.line, character: start.character + 3 } }, text: '256' }]);
    // At the call, and at the definition too (pitfalls.md: DL4xx findings go on both lines).
    expect(diags).toHaveLength(2);
    const d = diags.find((x) => !/\(called at line \d+\)$/.test(x.message))!;
    const echo = diags.find((x) => x !== d)!;
    expect(echo.range.start.line).toBe(at(MLP, 'self.fc2 =').line);
    expect(echo.message).toContain(`(called at line ${at(MLP, 'self.fc2(h)').line + 1})`);
    expect(d.code).toBe('DL401');
    expect(d.severity).toBe(1);
    expect(d.source).toBe('TensorLens');
    expect(d.message).toContain('in_features=256');
    expect(d.codeDescription?.href).toMatch(/docs\/rules\.md#dl401$/);
    expect(d.range.start.line).toBe(at(MLP, 'self.fc2(h)').line);
    expect(d.relatedInformation?.[0].location.range.start.line).toBe(at(MLP, 'self.fc2 =').line);
    expect(d.relatedInformation?.[0].location.uri).toBe(uri);
  });

  it('keeps analysing when a half-typed line breaks the syntax', async () => {
    const line = at(MLP, 'h = torch.relu(h)').line;
    const diags = await change(uri, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '        h = torch.cat((h, \n' }]);
    // The server answered for the new version; the engine did not crash (nothing on stderr).
    expect(Array.isArray(diags)).toBe(true);
    expect(server.stderr()).not.toMatch(/analysis failed/);
  });

  it('clears diagnostics when the error is fixed (full-text change)', async () => {
    expect(await change(uri, [{ text: MLP }])).toEqual([]);
  });

  it('offers a noqa suppression for a diagnostic', async () => {
    const broken = MLP.replace('nn.Linear(128, 10)', 'nn.Linear(64, 10)');
    const diags = await change(uri, [{ text: broken }]);
    const actions = await request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diags[0].range, context: { diagnostics: diags } });
    const noqa = actions.find((a) => a.title === 'Suppress DL401 on this line');
    expect(noqa).toBeTruthy();
    const edit = noqa!.edit!.changes![uri][0] as TextEdit;
    expect(edit.newText).toBe('  # noqa: DL401');
    expect(edit.range.start.line).toBe(diags[0].range.start.line);
    await change(uri, [{ text: MLP }]);
  });
});

describe('hover', () => {
  const uri = 'file:///ws/small_cnn.py';
  beforeAll(async () => {
    await open(uri, SMALL_CNN);
  });

  it('on a layer constructor: resolved args, output shape, params with formula, doc, equivalents', async () => {
    const h = hoverText(await hover(uri, at(SMALL_CNN, 'nn.Linear(width * 4 * 4 * 4, 256)', 4)));
    expect(h).toContain('**Linear** `fc1`');
    expect(h).toContain('nn.Linear(in_features=2048, out_features=256)');
    expect(h).toContain('Output: `[1, 256]`');
    expect(h).toContain('Params: 524,544 = in_features·out_features + out_features (bias)');
    expect(h).toContain('MACs:');
    expect(h).toContain('Fully connected layer');
    expect(h).toMatch(/Keras: `.*Dense/);
  });

  it('on the attribute a layer is assigned to and on its call in forward', async () => {
    expect(hoverText(await hover(uri, at(SMALL_CNN, 'self.fc2 =', 6)))).toContain('**Linear** `fc2`');
    const call = hoverText(await hover(uri, at(SMALL_CNN, 'self.fc2(x)', 6)));
    expect(call).toContain('**Linear** `fc2`');
    expect(call).toContain('Output: `[1, 10]`');
  });

  it('on a tensor variable inside forward: its shape at that point', async () => {
    // `x` on the right of `x = torch.flatten(x, 1)` is the features output.
    const h = hoverText(await hover(uri, at(SMALL_CNN, 'torch.flatten(x, 1)', 14)));
    expect(h).toContain('`x`: `[1, 128, 4, 4]`');
    // The target of the same line holds the flattened tensor.
    const t = hoverText(await hover(uri, at(SMALL_CNN, 'x = torch.flatten')));
    expect(t).toContain('`x`: `[1, 2048]`');
  });

  it('on a forward parameter: the model input', async () => {
    const h = hoverText(await hover(uri, at(SMALL_CNN, 'def forward(self, x)', 18, 1)));
    expect(h).toContain('`[1, 3, 32, 32]`');
  });

  it('on a model class name: totals', async () => {
    const h = hoverText(await hover(uri, at(SMALL_CNN, 'class SmallCNN', 7)));
    expect(h).toContain('**SmallCNN**');
    expect(h).toContain('| Total params | 620,586 |');
    expect(h).toContain('| Output | `[1, 10]` |');
  });

  it('on a Keras layer in a Sequential list', async () => {
    const kuri = 'file:///ws/keras_seq.py';
    await open(kuri, KERAS_SEQ);
    const h = hoverText(await hover(kuri, at(KERAS_SEQ, 'layers.Dense(128', 8)));
    expect(h).toContain('**Dense**');
    expect(h).toContain('Output: `[None, 128]`');
    expect(h).toContain('Params: 401,536');
  });

  it('returns null away from anything TensorLens knows', async () => {
    expect(await hover(uri, at(SMALL_CNN, 'import torch'))).toBeNull();
  });
});

describe('inlay hints, code lens, code actions', () => {
  const uri = 'file:///ws/small_cnn_hints.py';
  beforeAll(async () => {
    await open(uri, SMALL_CNN);
  });

  it('shows the shape after each assignment in forward', async () => {
    const hs = await hints(uri);
    const byLine = new Map(hs.map((h) => [h.position.line, h.label]));
    expect(byLine.get(at(SMALL_CNN, 'x = self.features(x)').line)).toBe('[1, 128, 4, 4]');
    expect(byLine.get(at(SMALL_CNN, 'x = torch.flatten(x, 1)').line)).toBe('[1, 2048]');
    expect(byLine.get(at(SMALL_CNN, 'x = self.dropout').line)).toBe('[1, 256]');
    const flat = hs.find((h) => h.label === '[1, 2048]')!;
    expect(flat.position.character).toBe('        x = torch.flatten(x, 1)'.length);
    expect(flat.paddingLeft).toBe(true);
  });

  it('puts a lens above each model with params, output and the summary command', async () => {
    const lenses = await request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    expect(lenses).toHaveLength(1);
    expect(lenses[0].range.start.line).toBe(at(SMALL_CNN, 'class SmallCNN').line);
    expect(lenses[0].command).toMatchObject({ title: 'Σ 620.6 k params · → [1, 10] · Show summary', command: 'tensorlens.showSummary', arguments: [uri, 'SmallCNN'] });
  });

  it('offers an input-shape directive for a model without one', async () => {
    const muri = 'file:///ws/mlp_directive.py';
    await open(muri, MLP);
    const pos = at(MLP, 'def forward');
    const actions = await request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: muri }, range: { start: pos, end: pos }, context: { diagnostics: [] } });
    const a = actions.find((x) => x.title.startsWith('Insert input-shape directive'));
    expect(a?.title).toBe('Insert input-shape directive for Net');
    expect(a?.edit?.changes?.[muri]).toEqual([{ range: { start: { line: at(MLP, 'class Net').line, character: 0 }, end: { line: at(MLP, 'class Net').line, character: 0 } }, newText: '# tensorlens: input=(8, 784)\n' }]);
  });

  it('does not offer it when the model already has a directive', async () => {
    const pos = at(SMALL_CNN, 'def forward', 0, 1);
    const actions = await request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: pos, end: pos }, context: { diagnostics: [] } });
    expect(actions.filter((x) => x.title.startsWith('Insert input-shape directive'))).toEqual([]);
  });
});

describe('custom requests', () => {
  const uri = 'file:///ws/small_cnn_custom.py';
  beforeAll(async () => {
    await open(uri, SMALL_CNN);
  });

  it('tensorlens/models lists the models with their extent', async () => {
    const r = await request<ModelsResult>(Method.models, { uri });
    expect(r.models).toEqual([
      { name: 'SmallCNN', kind: 'module-class', framework: 'pytorch', line: at(SMALL_CNN, 'class SmallCNN').line, endLine: at(SMALL_CNN, 'return self.fc2(x)').line, totalParams: 620586, outputShape: '[1, 10]' },
    ]);
  });

  it('tensorlens/summary returns the JSON contract, optionally for other input shapes', async () => {
    const r = await request<SummaryResult>(Method.summary, { uri, model: 'SmallCNN' });
    expect(r.summary.models[0]).toMatchObject({ name: 'SmallCNN', total_params: 620586, output_shape: [1, 10], input_shapes: [[1, 3, 32, 32]] });
    expect(r.summary.models[0].layers[0]).toMatchObject({ path: 'features.0.conv', type: 'Conv2d', output_shape: [1, 32, 32, 32] });
    // Given shapes do not override the file's directive; on the MLP (no directive) they do.
    const muri = 'file:///ws/mlp_summary.py';
    await open(muri, MLP);
    const g = await request<SummaryResult>(Method.summary, { uri: muri, inputShapes: [[2, 784]] });
    expect(g.summary.models[0]).toMatchObject({ input_shapes: [[2, 784]], output_shape: [2, 10], input_source: 'given' });
  });

  it('tensorlens/summary carries each model\'s dataflow graph, which follows edits', async () => {
    // The runs made on each edit leave the graphs out; the summary request asks for them.
    const guri = 'file:///ws/mlp_graph.py';
    await open(guri, MLP);
    const graphOf = async () => {
      const r = await request<SummaryResult>(Method.summary, { uri: guri });
      const m = r.summary.models[0];
      return { layers: m.layers.length, graph: m.graph };
    };
    const first = await graphOf();
    expect(first.graph).toBeDefined();
    const kinds = first.graph!.nodes.map((n) => n.kind);
    expect(kinds.filter((k) => k === 'input')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'output')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'layer')).toHaveLength(first.layers);
    expect(first.graph!.edges.length).toBeGreaterThanOrEqual(first.layers + 1);
    // The same version again: the same graph.
    expect((await graphOf()).graph).toEqual(first.graph);
    expect(kinds).not.toContain('op');
    // A residual added in forward(): an `add` node fed by the input and fc1, feeding fc2.
    const line = at(MLP, 'return self.fc2(h)').line;
    await change(guri, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '        h = h + x[:, :128]\n' }]);
    const after = (await graphOf()).graph!;
    const add = after.nodes.find((n) => n.kind === 'op');
    expect(add).toMatchObject({ label: 'add', output_shape: [8, 128] });
    const fc2 = after.nodes.find((n) => n.path === 'fc2')!;
    expect(after.edges).toEqual(expect.arrayContaining([{ from: 'in0', to: add!.id }, { from: add!.id, to: fc2.id }]));
  });

  it('tensorlens/setInputShape re-analyses the document with the new shape', async () => {
    const muri = 'file:///ws/mlp_session.py';
    await open(muri, MLP);
    const before = server.serverRequests.length;
    await request(Method.setInputShape, { uri: muri, inputShapes: [[32, 784]] });
    expect(server.serverRequests.slice(before)).toContain('workspace/inlayHint/refresh');
    const hs = await hints(muri);
    expect(hs.find((h) => h.position.line === at(MLP, 'h = self.fc1(x)').line)?.label).toBe('[32, 128]');
    await request(Method.setInputShape, { uri: muri, inputShapes: [] });
    const back = await hints(muri);
    expect(back.find((h) => h.position.line === at(MLP, 'h = self.fc1(x)').line)?.label).toBe('[8, 128]');
  });

  it('tensorlens/translate answers through src/core/translate: code, or why not', async () => {
    const t = await request<TranslateResult>(Method.translate, { uri, target: 'keras', model: 'SmallCNN' });
    // The emitters are still being written: either a translation or the engine's reason.
    if (t.available) expect(t.code).toBeTruthy();
    else expect(t.message).toBeTruthy();
    const missing = await request<TranslateResult>(Method.translate, { uri, target: 'keras', model: 'Nope' });
    expect(missing).toEqual({ available: false, message: "No model named 'Nope' (models: SmallCNN)." });
    const closed = await request<TranslateResult>(Method.translate, { uri: 'file:///ws/closed.py', target: 'keras' });
    expect(closed.available).toBe(false);
  });

  it('tensorlens/snippets lists the Rosetta library (three bodies each), or says it is not available', async () => {
    const s = await request<SnippetsResult>(Method.snippets, {});
    expect(s.available).toBe(s.snippets.length > 0);
    for (const sn of s.snippets) expect(Object.keys(sn.bodies).sort()).toEqual(['keras', 'pytorch', 'tf-keras']);
    if (!s.available) expect(s.message).toContain('not available yet');
  });

  it('answers null for a document it does not have', async () => {
    expect(await request(Method.summary, { uri: 'file:///ws/nope.py' })).toBeNull();
  });
});

const NO_SUPER = `import torch.nn as nn


class Head(nn.Module):
    def __init__(self, d, k):
        self.proj = nn.Linear(d, k)

    def forward(self, x):
        return self.proj(x)
`;

describe('lint findings', () => {
  it('publishes the linter\'s findings with their quick fix', async () => {
    const uri = 'file:///ws/no_super.py';
    const diags = await open(uri, NO_SUPER);
    const d = diags.find((x) => x.code === 'DL111');
    expect(d?.range.start.line).toBe(at(NO_SUPER, 'def __init__').line);
    expect(d?.codeDescription?.href).toMatch(/#dl111$/);
    const actions = await request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d!.range, context: { diagnostics: [d] } });
    const fix = actions.find((a) => a.kind === 'quickfix' && a.isPreferred);
    expect(fix?.title).toBe('Insert super().__init__()');
    expect(fix?.diagnostics?.[0].code).toBe('DL111');
    expect(fix?.edit?.changes?.[uri]).toEqual([{ range: { start: { line: at(NO_SUPER, 'self.proj =').line, character: 0 }, end: { line: at(NO_SUPER, 'self.proj =').line, character: 0 } }, newText: '        super().__init__()\n' }]);
  });

  it('honours [tool.tensorlens] in the nearest pyproject.toml', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tensorlens-lsp-'));
    mkdirSync(join(dir, 'models'));
    writeFileSync(join(dir, 'pyproject.toml'), '[tool.tensorlens]\nignore = ["DL111"]\n');
    const file = join(dir, 'models', 'head.py');
    writeFileSync(file, NO_SUPER);
    const diags = await open(pathToFileURL(file).href, NO_SUPER);
    expect(diags.filter((x) => x.code === 'DL111')).toEqual([]);
  });
});

describe('settings', () => {
  it('turns inlay hints off when the setting says so', async () => {
    const uri = 'file:///ws/small_cnn_settings.py';
    await open(uri, SMALL_CNN);
    expect((await hints(uri)).length).toBeGreaterThan(0);
    const refreshed = server.nextServerRequest('workspace/inlayHint/refresh');
    server.settings = { inlayHints: { enabled: false } };
    await server.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    // The server pulls the settings, then asks for a refresh: wait for that, then ask again.
    await refreshed;
    expect(await hints(uri)).toEqual([]);
    server.settings = { inlayHints: { enabled: true } };
  });
});
