// Code edits re-parse only what an edit can reach (src/core/python/incremental.ts): over real
// LSP, a chain of edits (inside a class, a new statement, a new line count, an indented line
// that extends a block) must publish exactly what opening the final text fresh publishes,
// and hovers must agree too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './lspClient';
import { SRC } from './netSource';

type Edit = { from: string; to: string };
const EDITS: Edit[] = [
  { from: 'nn.Linear(300, 10)', to: 'nn.Linear(200, 10)' }, // a shape error inside the class
  { from: 'y = model(torch.randn(4, 784))', to: 'y = model(torch.randn(8, 784))\nz = y.sum()' }, // one more line
  { from: '        return self.fc2(h)', to: '        h = h * 2\n        return self.fc2(h)' }, // a line inside forward
  { from: 'nn.Linear(200, 10)', to: 'nn.Linear(300, 10)' }, // fixed again
  { from: 'z = y.sum()', to: 'z = y.sum()\n    # indented comment\nw = 1' },
];

describe('incremental re-parse over LSP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('publishes what a fresh open of the same text publishes, after every edit', async () => {
    const uri = 'file:///tmp/tensorlens-incremental/net.py';
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: SRC } });
    await server.diagnostics(uri, 1);
    let text = SRC;
    let sawError = false;
    for (const [i, e] of EDITS.entries()) {
      const v = i + 2;
      const at = text.indexOf(e.from);
      expect(at).toBeGreaterThanOrEqual(0);
      const before = text.slice(0, at).split('\n');
      const start = { line: before.length - 1, character: before[before.length - 1].length };
      const fromLines = e.from.split('\n');
      const end = { line: start.line + fromLines.length - 1, character: (fromLines.length === 1 ? start.character : 0) + fromLines[fromLines.length - 1].length };
      await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ range: { start, end }, text: e.to }] });
      text = text.slice(0, at) + e.to + text.slice(at + e.from.length);
      const edited = (await server.diagnostics(uri, v)).diagnostics;

      const fresh = `file:///tmp/tensorlens-incremental/fresh${v}.py`;
      await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: fresh, languageId: 'python', version: 1, text } });
      // (Related information names the document: the fresh copy's URI stands for the edited one.)
      const expected = JSON.parse(JSON.stringify((await server.diagnostics(fresh, 1)).diagnostics).replaceAll(fresh, uri));
      expect(edited).toEqual(expected);
      if (edited.some((d) => d.code === 'DL401')) sawError = true;

      // Hover on `h` in forward (its shape) agrees as well.
      const hLine = text.split('\n').findIndex((l) => l.includes('h = self.fc1(x)'));
      const pos = { line: hLine, character: 8 };
      const hovered = await server.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: pos });
      const hoveredFresh = await server.conn.sendRequest('textDocument/hover', { textDocument: { uri: fresh }, position: pos });
      expect(JSON.stringify(hovered)).toMatch(/`h`: `\[[48], 300\]`/);
      expect(hovered).toEqual(hoveredFresh);
      await server.conn.sendNotification('textDocument/didClose', { textDocument: { uri: fresh } });
    }
    expect(sawError).toBe(true);
  });
});
