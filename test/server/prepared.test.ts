// Runs prepared while the user pauses (analysisService.ts prepareNext, analyze.ts prepareRun):
// over real LSP, typing below a model must go on from the prepared statements and publish
// exactly what opening the same text fresh publishes, with the same hovers and inlay hints;
// an edit above the prepared place, or the setting off, analyses from the start.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './lspClient';
import { SRC } from './netSource';

/** Lines typed one after another below the model, a rewrite of a line typed earlier, an edit in the model. */
const STEPS: Array<{ append?: string; replace?: { from: string; to: string } }> = [
  { append: 'z = y.sum()\n' },
  { append: 'bad = nn.Linear(20, 5)(y)\n' }, // a shape error on the prepared model's output
  { append: 'model.fc2 = nn.Linear(300, 3)\nw = model(torch.randn(2, 784))\n' }, // a prepared child replaced
  { replace: { from: 'bad = nn.Linear(20, 5)(y)', to: 'ok = nn.Linear(3, 5)(w)' } },
  { replace: { from: 'nn.Linear(784, 300)', to: 'nn.Linear(784, 200)' } }, // above the prepared place: a DL401 in the model
];

describe('runs prepared while the user pauses', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({}, { TENSORLENS_TRACE_RUNS: '1' });
  });
  afterAll(async () => {
    await server.stop();
  });

  async function sameAsFresh(uri: string, v: number, text: string): Promise<void> {
    const edited = (await server.diagnostics(uri, v)).diagnostics;
    const fresh = `file:///tmp/tensorlens-prepared/fresh${v}.py`;
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: fresh, languageId: 'python', version: 1, text } });
    const expected = JSON.parse(JSON.stringify((await server.diagnostics(fresh, 1)).diagnostics).replaceAll(fresh, uri));
    expect(edited).toEqual(expected);
    const range = { start: { line: 0, character: 0 }, end: { line: text.split('\n').length, character: 0 } };
    const hints = await server.conn.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range });
    const freshHints = await server.conn.sendRequest('textDocument/inlayHint', { textDocument: { uri: fresh }, range });
    expect(hints).toEqual(freshHints);
    const yLine = text.split('\n').findIndex((l) => l.startsWith('y = model('));
    const hover = await server.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: yLine, character: 0 } });
    expect(hover).toEqual(await server.conn.sendRequest('textDocument/hover', { textDocument: { uri: fresh }, position: { line: yLine, character: 0 } }));
    await server.conn.sendNotification('textDocument/didClose', { textDocument: { uri: fresh } });
  }

  it('goes on from the statements above the edit and publishes what a fresh open publishes', async () => {
    const uri = 'file:///tmp/tensorlens-prepared/net.py';
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: SRC } });
    await server.diagnostics(uri, 1);
    let text = SRC;
    const codes: string[][] = [];
    for (const [i, step] of STEPS.entries()) {
      const v = i + 2;
      const before = text;
      let range;
      let newText: string;
      if (step.append) {
        const lines = before.split('\n');
        range = { start: { line: lines.length - 1, character: 0 }, end: { line: lines.length - 1, character: 0 } };
        newText = step.append;
        text = before + step.append;
      } else {
        const at = before.indexOf(step.replace!.from);
        const head = before.slice(0, at).split('\n');
        const start = { line: head.length - 1, character: head[head.length - 1].length };
        range = { start, end: { line: start.line, character: start.character + step.replace!.from.length } };
        newText = step.replace!.to;
        text = before.slice(0, at) + step.replace!.to + before.slice(at + step.replace!.from.length);
      }
      // The user pauses before each edit: time for the server to prepare the next run.
      await sleep(300);
      await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ range, text: newText }] });
      await sameAsFresh(uri, v, text);
      codes.push((await server.diagnostics(uri, v)).diagnostics.map((d) => String(d.code)));
    }
    const runs = server.logs.filter((l) => l.startsWith(`analysed ${uri} v`));
    const wentOn = runs.filter((l) => l.includes('going on after')).map((l) => Number(/ v(\d+) /.exec(l)![1]));
    // The place of the edit is known from the second version on: the lines typed below the
    // model (v3, v4) went on from prepared statements. v5 rewrites a statement the prepared run
    // had already run (v4 was typed below it) and v6 is above: both analysed from the start.
    expect(wentOn).toEqual([3, 4]);
    // Not vacuous: the shape errors were found on prepared values and in the model.
    expect(codes[1]).toContain('DL401');
    expect(codes[STEPS.length - 1]).toContain('DL401');
  });

  it('goes on past the model after an edit inside forward(), and publishes, hints and hovers what a fresh open does', async () => {
    // The model built in `if __name__ == "__main__":`, as model files do.
    const src = SRC.replace('model = Net()\ny = model(torch.randn(4, 784))\n', 'if __name__ == "__main__":\n    model = Net()\n    y = model(torch.randn(4, 784))\n    print(y.shape)\n');
    const uri = 'file:///tmp/tensorlens-prepared/body.py';
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: src } });
    await server.diagnostics(uri, 1);
    // Typing in forward(): a line rewritten three times, the last making a shape error (DL401 at fc2).
    const line = src.split('\n').findIndex((l) => l.includes('h = self.fc1(x)'));
    const versions = ['        h = self.fc1(x) * 2', '        h = torch.relu(self.fc1(x))', '        h = self.fc1(x)[:, :100]'];
    let text = src;
    const codes: string[][] = [];
    for (const [i, to] of versions.entries()) {
      const v = i + 2;
      const lines = text.split('\n');
      const range = { start: { line, character: 0 }, end: { line, character: lines[line].length } };
      lines[line] = to;
      text = lines.join('\n');
      await sleep(300);
      await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ range, text: to }] });
      await sameAsFresh(uri, v, text);
      const fresh = `file:///tmp/tensorlens-prepared/bodyfresh${v}.py`;
      await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: fresh, languageId: 'python', version: 1, text } });
      await server.diagnostics(fresh, 1);
      // Hovers on every line of the class and the main block: layers, tensors, the class name.
      for (let l = text.split('\n').findIndex((x) => x.startsWith('class Net')); l < text.split('\n').length - 1; l++) {
        const character = Math.max(0, text.split('\n')[l].search(/\S/)) + 1;
        const at = async (u: string) => server.conn.sendRequest('textDocument/hover', { textDocument: { uri: u }, position: { line: l, character } });
        expect(await at(uri), `hover on line ${l}`).toEqual(await at(fresh));
      }
      const lenses = async (u: string) => server.conn.sendRequest('textDocument/codeLens', { textDocument: { uri: u } });
      expect(JSON.stringify(await lenses(uri)).replaceAll(uri, 'U')).toBe(JSON.stringify(await lenses(fresh)).replaceAll(fresh, 'U'));
      await server.conn.sendNotification('textDocument/didClose', { textDocument: { uri: fresh } });
      codes.push((await server.diagnostics(uri, v)).diagnostics.map((d) => String(d.code)));
    }
    const runs = server.logs.filter((l) => l.startsWith(`analysed ${uri} v`));
    const wentOn = runs.map((l) => /^analysed \S+ v(\d+) .*going on after (\d+) prepared/.exec(l)).filter((m) => m !== null).map((m) => [Number(m[1]), Number(m[2])]);
    // v2 tells the server where the user types; v3 and v4 went on past the class (statement 2):
    // the `if` (statement 3) entered, the model built ahead.
    expect(wentOn).toEqual([[3, 3], [4, 3]]);
    expect(codes[2]).toContain('DL401');
    expect(codes[1]).not.toContain('DL401');
  });

  it('analyses from the start with tensorlens.server.prepareRuns off', async () => {
    server.settings = { server: { prepareRuns: false } };
    await server.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await sleep(200);
    const uri = 'file:///tmp/tensorlens-prepared/off.py';
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: SRC } });
    await server.diagnostics(uri, 1);
    let text = SRC;
    for (let v = 2; v <= 4; v++) {
      const line = text.split('\n').length - 1;
      await sleep(300);
      await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: `q${v} = ${v}\n` }] });
      text += `q${v} = ${v}\n`;
      await server.diagnostics(uri, v);
    }
    const runs = server.logs.filter((l) => l.startsWith(`analysed ${uri} v`));
    expect(runs.length).toBeGreaterThanOrEqual(4);
    expect(runs.filter((l) => l.includes('going on'))).toEqual([]);
    server.settings = {};
  });
});
