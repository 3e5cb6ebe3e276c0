// Comment-only edits keep the previous analysis (src/server/commentEdits.ts): the pure
// conditions, then over real LSP that the published diagnostics stay exact (a noqa edit is
// not a comment-only edit: it re-analyses and the finding goes).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadParser } from '../../src/core/python/parser';
import { toModule } from '../../src/core/python/ast';
import { changedLineBlock, commentsAfterCommentEdit } from '../../src/server/commentEdits';
import { startServer, type TestServer } from './lspClient';

const SRC = `import torch.nn as nn

# the model
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        # layers
        self.fc1 = nn.Linear(784, 300)
        self.fc2 = nn.Linear(200, 10)
        self.seq = nn.Sequential(
            # inside a call
            nn.ReLU(),
        )

    def forward(self, x):
        return self.fc2(self.fc1(x))
s = """
# inside a string
"""
`;

async function moduleOf(text: string) {
  const req = createRequire(join(__dirname, 'x.js'));
  const p = await loadParser({
    treeSitter: readFileSync(req.resolve('web-tree-sitter/tree-sitter.wasm')),
    python: readFileSync(req.resolve('tree-sitter-python/tree-sitter-python.wasm')),
  });
  const t = p.parse(text)!;
  try {
    return toModule(t);
  } finally {
    t.delete();
  }
}

const edit = (text: string, from: string, to: string) => text.replace(from, to);

describe('comment-only edits', () => {
  it('accepts free-standing comments and returns the new comment list', async () => {
    const mod = await moduleOf(SRC);
    const after = edit(SRC, '# layers', '  # the layers, reworded');
    const comments = commentsAfterCommentEdit(mod, SRC, after)!;
    expect(comments).toBeDefined();
    expect(comments.find((c) => c.line === 6)).toEqual({ line: 6, col: 10, text: '# the layers, reworded' });
    expect(comments.length).toBe(mod.comments.length);
    expect(commentsAfterCommentEdit(mod, SRC, edit(SRC, '# the model', '# a model'))).toBeDefined();
  });

  it('refuses code edits, new lines, meaningful comments, comments inside statements or strings', async () => {
    const mod = await moduleOf(SRC);
    expect(commentsAfterCommentEdit(mod, SRC, edit(SRC, '784, 300', '784, 200'))).toBeUndefined();
    expect(commentsAfterCommentEdit(mod, SRC, edit(SRC, '# layers', '# layers\n# more'))).toBeUndefined();
    expect(commentsAfterCommentEdit(mod, SRC, edit(SRC, '# layers', '# noqa: DL401'))).toBeUndefined();
    expect(commentsAfterCommentEdit(mod, SRC, edit(SRC, '# the model', '# tensorlens: input=(1, 784)'))).toBeUndefined();
    expect(commentsAfterCommentEdit(mod, SRC, edit(SRC, '# inside a call', '# inside the call'))).toBeUndefined();
    expect(commentsAfterCommentEdit(mod, SRC, edit(SRC, '# inside a string', '# inside the string'))).toBeUndefined();
    expect(commentsAfterCommentEdit(mod, SRC, edit(SRC, '# layers', 'x = 1'))).toBeUndefined();
    expect(commentsAfterCommentEdit(mod, SRC, SRC)).toBeUndefined();
  });
});

describe('the lines an edit changed', () => {
  /** The same, by splitting both texts. */
  function reference(before: string, after: string) {
    const a = before.split('\n');
    const b = after.split('\n');
    if (before === after || a.length !== b.length) return undefined;
    let first = 0;
    while (a[first] === b[first]) first++;
    let last = a.length - 1;
    while (a[last] === b[last]) last--;
    return { first, old: a.slice(first, last + 1), new: b.slice(first, last + 1) };
  }

  it('are found without splitting the texts, as splitting them finds them', () => {
    // A pseudo-random sequence of edits: characters typed, deleted, lines added and removed, CRLF.
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const texts = [SRC, SRC.replaceAll('\n', '\r\n'), 'a\n', '\n\n', 'x = 1', ''];
    let compared = 0;
    for (const text of texts) {
      for (let k = 0; k < 300; k++) {
        const at = text.length ? rnd(text.length + 1) : 0;
        const cut = rnd(4);
        const ins = ['', 'x', '#', '\n', 'ab\ncd', '\r\n', '  '][rnd(7)];
        const after = text.slice(0, at) + ins + text.slice(Math.min(text.length, at + cut));
        expect(changedLineBlock(text, after), JSON.stringify([text.slice(0, 20), at, cut, ins])).toEqual(reference(text, after));
        compared++;
      }
    }
    expect(compared).toBe(1800);
  });
});

describe('comment-only edits over LSP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('keeps the diagnostics through comment edits and re-analyses on a noqa', async () => {
    const uri = 'file:///tmp/tensorlens-comment-edits/net.py';
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: SRC } });
    const first = (await server.diagnostics(uri, 1)).diagnostics;
    // The call and the layer's definition (pitfalls.md: DL4xx findings go on both lines).
    const dl401 = first.filter((d) => d.code === 'DL401');
    expect(dl401.length).toBe(2);
    const line = SRC.split('\n').findIndex((l) => l.includes('# layers'));
    let text = SRC;
    for (let v = 2; v <= 4; v++) {
      const newLine = `        # note ${v}`;
      await server.conn.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: v },
        contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: text.split('\n')[line].length } }, text: newLine }],
      });
      text = text.split('\n').map((l, i) => (i === line ? newLine : l)).join('\n');
      const d = (await server.diagnostics(uri, v)).diagnostics;
      expect(d).toEqual(first);
    }
    // The finding's line gets a noqa: a full re-analysis, and the finding is suppressed.
    const target = dl401[0].range.start.line;
    const lines = text.split('\n');
    await server.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 5 },
      contentChanges: [{ range: { start: { line: target, character: lines[target].length }, end: { line: target, character: lines[target].length } }, text: '  # noqa: DL401' }],
    });
    // That line's finding is suppressed; the other line's stays.
    const after = (await server.diagnostics(uri, 5)).diagnostics;
    expect(after.filter((d) => d.code === 'DL401').map((d) => d.range.start.line)).toEqual([dl401[1].range.start.line]);
  });
});
