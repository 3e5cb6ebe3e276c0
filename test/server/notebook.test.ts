// Jupyter notebooks over real LSP (notebookDocument/* sync): three Python cells (imports;
// the model class; instantiate and call) are one program. Hovers, hints, lenses and
// diagnostics land in the cell that holds them; editing a cell updates the results.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeLens, Diagnostic, Hover, InlayHint, MarkupContent } from 'vscode-languageserver';
import { Method, type ModelsResult, type SummaryResult } from '../../src/shared/protocol';
import { startServer, type TestServer } from './lspClient';
import { cellLineToProgram, programLineToCell } from '../../src/shared/notebookCells';

const NB = 'file:///ws/notebooks/mlp.ipynb';
const cellUri = (i: number) => `vscode-notebook-cell:/ws/notebooks/mlp.ipynb#cell${i}`;

const CELLS = [
  'import torch\nimport torch.nn as nn\n%matplotlib inline',
  `class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        h = self.fc1(x)
        h = torch.relu(h)
        return self.fc2(h)`,
  'model = Net()\nout = model(torch.randn(8, 784))',
];
const MARKDOWN = '# A markdown cell between code cells\nnot Python';

/** The position of `needle` in `text` (plus `offset` characters). */
function at(text: string, needle: string, offset = 0): { line: number; character: number } {
  const idx = text.indexOf(needle);
  if (idx < 0) throw new Error(`'${needle}' not in text`);
  const before = text.slice(0, idx + offset);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

let server: TestServer;
let nbVersion = 1;
const cellVersions = [1, 1, 1, 1];
const texts = [...CELLS];

const request = <T>(method: string, params: unknown) => server.conn.sendRequest(method, params) as Promise<T>;
const hoverText = async (uri: string, position: { line: number; character: number }) => {
  const h = await request<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
  return h ? (h.contents as MarkupContent).value : '';
};
const hints = (uri: string) => request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } } });
const lenses = (uri: string) => request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });

/** Replaces the text of code cell `i` (full-text change); resolves with the diagnostics of `watch` cells. */
async function editCell(i: number, text: string, watch: number[]): Promise<Diagnostic[][]> {
  texts[i] = text;
  const version = ++cellVersions[i];
  const published = watch.map((w) => (w === i ? server.diagnostics(cellUri(w), version) : server.nextDiagnostics(cellUri(w))));
  await server.conn.sendNotification('notebookDocument/didChange', {
    notebookDocument: { uri: NB, version: ++nbVersion },
    change: { cells: { textContent: [{ document: { uri: cellUri(i), version }, changes: [{ text }] }] } },
  });
  return (await Promise.all(published)).map((p) => p.diagnostics);
}

beforeAll(async () => {
  server = await startServer({ inlayHints: { enabled: true, forwardShapes: true } });
});
afterAll(async () => {
  await server?.stop();
});

describe('notebook document sync', () => {
  it('declares notebookDocumentSync for Jupyter notebooks with Python cells', () => {
    expect(server.init.capabilities.notebookDocumentSync).toEqual({
      notebookSelector: [{ notebook: { notebookType: 'jupyter-notebook' }, cells: [{ language: 'python' }] }],
    });
  });

  it('analyses the cells as one program and publishes per cell', async () => {
    const published = [0, 1, 2].map((i) => server.diagnostics(cellUri(i), 1));
    // Code cells 0, 1, a markdown cell, then code cell 2 (URI #cell2).
    await server.conn.sendNotification('notebookDocument/didOpen', {
      notebookDocument: {
        uri: NB, notebookType: 'jupyter-notebook', version: nbVersion,
        cells: [{ kind: 2, document: cellUri(0) }, { kind: 2, document: cellUri(1) }, { kind: 1, document: cellUri(3) }, { kind: 2, document: cellUri(2) }],
      },
      cellTextDocuments: [
        { uri: cellUri(0), languageId: 'python', version: 1, text: CELLS[0] },
        { uri: cellUri(1), languageId: 'python', version: 1, text: CELLS[1] },
        { uri: cellUri(3), languageId: 'markdown', version: 1, text: MARKDOWN },
        { uri: cellUri(2), languageId: 'python', version: 1, text: CELLS[2] },
      ],
    });
    const diags = await Promise.all(published);
    expect(diags.map((d) => d.diagnostics)).toEqual([[], [], []]);
    expect(server.stderr()).not.toMatch(/analysis failed/);
  });

  it('puts the model lens in the cell of the class, with the input from the last cell', async () => {
    const inClass = await lenses(cellUri(1));
    expect(inClass).toHaveLength(1);
    expect(inClass[0].range.start.line).toBe(0);
    expect(inClass[0].command).toMatchObject({ title: 'Σ 101.8 k params · → [8, 10] · Show summary', arguments: [cellUri(1), 'Net'] });
    expect(await lenses(cellUri(0))).toEqual([]);
    expect(await lenses(cellUri(2))).toEqual([]);
  });

  it('answers hovers in the cell asked about, with ranges in that cell', async () => {
    const pos = at(CELLS[1], 'self.fc1(x)', 6);
    const h = await request<Hover | null>('textDocument/hover', { textDocument: { uri: cellUri(1) }, position: pos });
    const text = (h?.contents as MarkupContent).value;
    expect(text).toContain('**Linear** `fc1`');
    expect(text).toContain('Output: `[8, 128]`');
    expect(h?.range?.start.line).toBe(pos.line);
    expect(await hoverText(cellUri(1), at(CELLS[1], 'class Net', 7))).toContain('| Total params | 101,770 |');
    expect(await hoverText(cellUri(0), { line: 0, character: 3 })).toBe('');
  });

  it('puts inlay hints in the cell of the forward pass', async () => {
    const hs = await hints(cellUri(1));
    expect(hs.find((h) => h.position.line === at(CELLS[1], 'h = self.fc1').line)?.label).toBe('[8, 128]');
    expect(hs.every((h) => h.position.line < CELLS[1].split('\n').length)).toBe(true);
    expect(await hints(cellUri(2))).toEqual([]);
  });

  it('follows an edit of another cell (the example input)', async () => {
    const refreshed = server.nextServerRequest('workspace/inlayHint/refresh');
    await editCell(2, 'model = Net()\nout = model(torch.randn(2, 784))', [2]);
    await refreshed;
    const hs = await hints(cellUri(1));
    expect(hs.find((h) => h.position.line === at(CELLS[1], 'h = self.fc1').line)?.label).toBe('[2, 128]');
    expect((await lenses(cellUri(1)))[0].command?.title).toBe('Σ 101.8 k params · → [2, 10] · Show summary');
  });

  it('publishes a shape error to the cell that holds the faulty layer', async () => {
    const broken = texts[1].replace('nn.Linear(128, 10)', 'nn.Linear(256, 10)');
    const [cell0, cell1, cell2] = await editCell(1, broken, [0, 1, 2]);
    expect(cell0).toEqual([]);
    expect(cell2).toEqual([]);
    // At the call and at the layer's definition, both in cell 1; the call's first below.
    expect(cell1).toHaveLength(2);
    cell1.sort((a, b) => Number(/\(called at line/.test(a.message)) - Number(/\(called at line/.test(b.message)));
    expect(cell1[1].range.start.line).toBe(at(broken, 'self.fc2 =').line);
    expect(cell1[0].code).toBe('DL401');
    expect(cell1[0].range.start.line).toBe(at(broken, 'return self.fc2(h)').line);
    expect(cell1[0].relatedInformation?.[0].location).toMatchObject({ uri: cellUri(1), range: { start: { line: at(broken, 'self.fc2 =').line } } });
    // Its quick fix edits the cell.
    const actions = await request<Array<{ title: string; edit?: { changes?: Record<string, Array<{ range: { start: { line: number } } }>> } }>>('textDocument/codeAction', {
      textDocument: { uri: cellUri(1) }, range: cell1[0].range, context: { diagnostics: cell1 },
    });
    const noqa = actions.find((a) => a.title === 'Suppress DL401 on this line');
    expect(Object.keys(noqa?.edit?.changes ?? {})).toEqual([cellUri(1)]);
    expect(noqa?.edit?.changes?.[cellUri(1)][0].range.start.line).toBe(cell1[0].range.start.line);
    const [fixed] = await editCell(1, CELLS[1], [1]);
    expect(fixed).toEqual([]);
  });

  it('answers the summary and models requests for a model defined across cells', async () => {
    for (const uri of [cellUri(1), cellUri(2), NB]) {
      const r = await request<SummaryResult>(Method.summary, { uri });
      expect(r.summary.models[0]).toMatchObject({ name: 'Net', total_params: 101770, input_shapes: [[2, 784]], output_shape: [2, 10] });
    }
    // The summary's lines are program lines; `cells` maps them back: fc1's row is in cell 1, on fc1's line there.
    const r1 = await request<SummaryResult>(Method.summary, { uri: cellUri(1) });
    expect(r1.cells?.map((c) => c.uri)).toEqual([cellUri(0), cellUri(1), cellUri(2)]);
    const fc1 = r1.summary.models[0].layers.find((l) => l.path === 'fc1')!;
    const inCell = programLineToCell(r1.cells!, fc1.line);
    expect(inCell).toEqual({ uri: cellUri(1), line: at(texts[1], 'self.fc1').line + 1 });
    expect(cellLineToProgram(r1.cells!, cellUri(1), inCell!.line)).toBe(fc1.line);
    const m = await request<ModelsResult>(Method.models, { uri: cellUri(1) });
    expect(m.models.map((x) => [x.name, x.line, x.endLine])).toEqual([['Net', 0, CELLS[1].split('\n').length - 1]]);
    expect((await request<ModelsResult>(Method.models, { uri: cellUri(2) })).models).toEqual([]);
  });

  it('clears the cells\' diagnostics when the notebook closes', async () => {
    await editCell(1, CELLS[1].replace('nn.Linear(128, 10)', 'nn.Linear(256, 10)'), [1]);
    const cleared = server.nextDiagnostics(cellUri(1));
    await server.conn.sendNotification('notebookDocument/didClose', {
      notebookDocument: { uri: NB },
      cellTextDocuments: [0, 1, 3, 2].map((i) => ({ uri: cellUri(i) })),
    });
    expect((await cleared).diagnostics).toEqual([]);
    expect(await lenses(cellUri(1))).toEqual([]);
  });
});
