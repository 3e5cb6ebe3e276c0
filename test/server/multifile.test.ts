// Imports across files in the language server, spoken to over real LSP: a model in
// models/net.py builds a block from models/blocks.py (test/fixtures/lsp/proj). Editing the
// open blocks.py (unsaved, via didChange) re-analyses net.py and re-publishes its
// diagnostics; its lens, hover and hints follow. A missing module, an import cycle and a
// module that exists only as an unsaved open document are handled too.

import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeLens, Diagnostic, Hover, InlayHint, MarkupContent } from 'vscode-languageserver';
import { startServer, type TestServer } from './lspClient';

const PROJ = join(__dirname, '..', 'fixtures', 'lsp', 'proj');
const file = (rel: string) => join(PROJ, rel);
const uriOf = (rel: string) => pathToFileURL(file(rel)).href;
const BLOCKS = readFileSync(file('models/blocks.py'), 'utf8');
const NET = readFileSync(file('models/net.py'), 'utf8');
const USES_DRAFT = readFileSync(file('models/uses_draft.py'), 'utf8');

/** The position of `needle` in `text` (plus `offset` characters). */
function at(text: string, needle: string, offset = 0): { line: number; character: number } {
  const idx = text.indexOf(needle);
  if (idx < 0) throw new Error(`'${needle}' not in text`);
  const before = text.slice(0, idx + offset);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

let server: TestServer;
let nextVersion = 1;
const versions = new Map<string, number>();

async function open(uri: string, text: string): Promise<Diagnostic[]> {
  const version = nextVersion++;
  versions.set(uri, version);
  await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version, text } });
  return (await server.diagnostics(uri, version)).diagnostics;
}

/** Replaces `from` with `to` in the open document (an incremental edit); resolves with its own diagnostics. */
async function edit(uri: string, text: string, from: string, to: string): Promise<Diagnostic[]> {
  const version = nextVersion++;
  versions.set(uri, version);
  const start = at(text, from);
  const range = { start, end: { line: start.line, character: start.character + from.length } };
  await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: to }] });
  return (await server.diagnostics(uri, version)).diagnostics;
}

const request = <T>(method: string, params: unknown) => server.conn.sendRequest(method, params) as Promise<T>;
const hoverText = async (uri: string, position: { line: number; character: number }) => {
  const h = await request<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
  return h ? (h.contents as MarkupContent).value : '';
};
const lenses = (uri: string) => request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
const hints = (uri: string) => request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } } });

beforeAll(async () => {
  server = await startServer({ inlayHints: { enabled: true, forwardShapes: true } });
});
afterAll(async () => {
  await server?.stop();
});

describe('a model built from a block in another file', () => {
  const net = uriOf('models/net.py');
  const blocks = uriOf('models/blocks.py');
  let blocksText = BLOCKS;

  beforeAll(async () => {
    await open(blocks, BLOCKS);
  });

  it('analyses net.py with the imported block (a missing module and an import cycle break nothing)', async () => {
    expect(await open(net, NET)).toEqual([]);
    const [lens] = await lenses(net);
    // Block: Linear(32, 64) = 2,112; head: Linear(64, 10) = 650.
    expect(lens.command?.title).toBe('Σ 2.8 k params · → [4, 10] · Show summary');
    expect(lens.range.start.line).toBe(at(NET, 'class Net').line);
    expect(await hoverText(net, at(NET, 'h = self.block'))).toContain('`h`: `[4, 64]`');
    expect(server.stderr()).not.toMatch(/analysis failed|lint failed/);
  });

  it('re-publishes net.py when blocks.py changes in the editor, without touching net.py', async () => {
    const netPublished = server.nextDiagnostics(net);
    // The block now emits 128 features; net.py's head still expects 64.
    await edit(blocks, blocksText, 'nn.Linear(d_in, 64)', 'nn.Linear(d_in, 128)');
    blocksText = blocksText.replace('nn.Linear(d_in, 64)', 'nn.Linear(d_in, 128)');
    const published = await netPublished;
    expect(published.version).toBe(versions.get(net));
    // At the call and at the head's definition.
    const errors = published.diagnostics.filter((d) => d.severity === 1 && !/\(called at line \d+\)$/.test(d.message));
    expect(published.diagnostics.filter((d) => d.severity === 1)).toHaveLength(2);
    expect(errors).toHaveLength(1);
    expect(errors[0].code).toBe('DL401');
    expect(errors[0].range.start.line).toBe(at(NET, 'return self.head(h)').line);
    expect(errors[0].relatedInformation?.[0].location).toMatchObject({ uri: net, range: { start: { line: at(NET, 'self.head =').line } } });
  });

  it('updates net.py\'s lens, hover and hints from the edited block', async () => {
    const [lens] = await lenses(net);
    // Block: Linear(32, 128) = 4,224; head unchanged.
    expect(lens.command?.title).toMatch(/^Σ 4\.9 k params/);
    expect(await hoverText(net, at(NET, 'h = self.block'))).toContain('`h`: `[4, 128]`');
    const hs = await hints(net);
    expect(hs.find((h) => h.position.line === at(NET, 'h = self.block').line)?.label).toBe('[4, 128]');
  });

  it('asks the client to refresh hints and lenses after an importer was re-analysed', async () => {
    const refreshed = server.nextServerRequest('workspace/codeLens/refresh');
    const netPublished = server.nextDiagnostics(net);
    await edit(blocks, blocksText, 'nn.Linear(d_in, 128)', 'nn.Linear(d_in, 64)');
    blocksText = blocksText.replace('nn.Linear(d_in, 128)', 'nn.Linear(d_in, 64)');
    expect((await netPublished).diagnostics).toEqual([]);
    await refreshed;
    expect((await lenses(net))[0].command?.title).toBe('Σ 2.8 k params · → [4, 10] · Show summary');
  });

  it('keeps layers of the imported file out of net.py\'s positions', async () => {
    // Inside blocks.py's `nn.Linear(d_in, 64)` by its coordinates, which in net.py are `class Net(nn.Module)`.
    const inBlock = at(BLOCKS, 'nn.Linear(d_in', 1);
    expect(NET.split('\n')[inBlock.line]).toBe('class Net(nn.Module):');
    expect(await hoverText(net, inBlock)).not.toContain('block.fc');
  });

  it('falls back to the file on disk when blocks.py is closed', async () => {
    // Make the open text differ from disk first, then close: net.py must follow the disk again.
    const wider = server.nextDiagnostics(net);
    await edit(blocks, blocksText, 'nn.Linear(d_in, 64)', 'nn.Linear(d_in, 100)');
    blocksText = blocksText.replace('nn.Linear(d_in, 64)', 'nn.Linear(d_in, 100)');
    expect((await wider).diagnostics.map((d) => d.code)).toEqual(['DL401', 'DL401']);
    expect(await hoverText(net, at(NET, 'h = self.block'))).toContain('`h`: `[4, 100]`');
    const netPublished = server.nextDiagnostics(net);
    await server.conn.sendNotification('textDocument/didClose', { textDocument: { uri: blocks } });
    expect((await netPublished).diagnostics).toEqual([]);
    expect(await hoverText(net, at(NET, 'h = self.block'))).toContain('`h`: `[4, 64]`');
  });
});

describe('a shape error inside the imported block', () => {
  it('is shown where net.py builds the block, linked to the failing line in blocks.py', async () => {
    const uri = uriOf('models/net_narrow.py');
    // Same model, but the block is built for 16 features while the input has 32.
    const text = NET.replace('Block(32)', 'Block(16)');
    const diags = await open(uri, text);
    expect(diags).toHaveLength(1);
    const d = diags[0];
    expect(d.code).toBe('DL401');
    expect(d.range.start).toEqual(at(text, 'Block(16)'));
    expect(d.message).toContain('(in blocks.py, line ' + (at(BLOCKS, 'return self.act').line + 1) + ')');
    const blocks = uriOf('models/blocks.py');
    expect(d.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line, r.message])).toEqual([
      [blocks, at(BLOCKS, 'return self.act').line, 'fails here'],
      [blocks, at(BLOCKS, 'self.fc = nn.Linear').line, 'layer defined here'],
    ]);
  });
});

describe('a module that exists only as an unsaved document', () => {
  it('is found once it is opened, and its importer is re-analysed', async () => {
    const user = uriOf('models/uses_draft.py');
    await open(user, USES_DRAFT);
    expect((await lenses(user))[0].command?.title).not.toContain('[2, 3]');
    const published = server.nextDiagnostics(user);
    // models/draft.py is not on disk: the editor holds it, unsaved.
    await open(uriOf('models/draft.py'), 'import torch.nn as nn\n\n\nclass Head(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(8, 3)\n\n    def forward(self, x):\n        return self.fc(x)\n');
    await published;
    expect((await lenses(user))[0].command?.title).toBe('Σ 163 params · → [2, 3] · Show summary');
  });
});

describe('a saved change to a file that is not open', () => {
  it('re-analyses its importers on workspace/didChangeWatchedFiles', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tensorlens-lsp-imports-'));
    writeFileSync(join(dir, 'pyproject.toml'), '');
    mkdirSync(join(dir, 'pkg'));
    const blocksPath = join(dir, 'pkg', 'blocks.py');
    writeFileSync(blocksPath, BLOCKS.replace('from . import net  # a cycle: net imports blocks too; Python allows it, so must the server\n', ''));
    const netUri = pathToFileURL(join(dir, 'pkg', 'net.py')).href;
    await open(netUri, NET);
    expect(await hoverText(netUri, at(NET, 'h = self.block'))).toContain('`h`: `[4, 64]`');
    writeFileSync(blocksPath, readFileSync(blocksPath, 'utf8').replace('nn.Linear(d_in, 64)', 'nn.Linear(d_in, 48)'));
    const published = server.nextDiagnostics(netUri);
    await server.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(blocksPath).href, type: 2 }] });
    expect((await published).diagnostics.map((d) => d.code)).toEqual(['DL401', 'DL401']);
    expect(await hoverText(netUri, at(NET, 'h = self.block'))).toContain('`h`: `[4, 48]`');
  });
});
