// `[tool.tensorlens] roots` in the language server, over real LSP (dist/server.js): files of
// test/fixtures/multifile/roots import `mylib.blocks.Block` from third_party/lib/, which only
// the setting in that folder's pyproject.toml makes importable. The summary, the lens and the
// diagnostics come out of the imported class. Run `node esbuild.mjs` first.

import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeLens, Diagnostic } from 'vscode-languageserver';
import { Method, type SummaryResult } from '../../src/shared/protocol';
import { startServer, type TestServer } from './lspClient';

const FIXTURE = join(__dirname, '..', 'fixtures', 'multifile', 'roots');
const TRAIN = readFileSync(join(FIXTURE, 'app', 'train.py'), 'utf8');
const MISMATCH = readFileSync(join(FIXTURE, 'app', 'mismatch.py'), 'utf8');
/** Block(3, 16) + Block(16, 32) (conv + BN each) + Linear(32, 10). */
const NET_PARAMS = 3 * 16 * 9 + 2 * 16 + (16 * 32 * 9 + 2 * 32) + (32 * 10 + 10);

let server: TestServer;
let version = 1;
let tmp: string | undefined;

async function open(path: string, text: string): Promise<Diagnostic[]> {
  const uri = pathToFileURL(path).href;
  const v = version++;
  await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: v, text } });
  return (await server.diagnostics(uri, v)).diagnostics;
}
const request = <T>(method: string, params: unknown) => server.conn.sendRequest(method, params) as Promise<T>;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('extra import roots from [tool.tensorlens] roots', () => {
  it('summarises a model built from a block found only through the configured root', async () => {
    const path = join(FIXTURE, 'app', 'train.py');
    expect(await open(path, TRAIN)).toEqual([]);
    const r = await request<SummaryResult>(Method.summary, { uri: pathToFileURL(path).href });
    const m = r.summary.models[0];
    expect(m).toMatchObject({ name: 'Net', total_params: NET_PARAMS, output_shape: [2, 10] });
    expect(m.layers.slice(0, 3).map((l) => l.path)).toEqual(['stem.conv', 'stem.bn', 'stem.act']);
    const [lens] = await request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: pathToFileURL(path).href } });
    expect(lens.command?.title).toBe('Σ 5.5 k params · → [2, 10] · Show summary');
    expect(server.stderr()).not.toMatch(/analysis failed|lint failed/);
  });

  it('reports the shape error that only the imported class reveals', async () => {
    const diags = await open(join(FIXTURE, 'app', 'mismatch.py'), MISMATCH);
    // At the call and at the head's definition; the call's is checked here.
    expect(diags.filter((d) => d.severity === 1).map((d) => d.code)).toEqual(['DL401', 'DL401']);
    const errors = diags.filter((d) => d.severity === 1 && !/\(called at line \d+\)$/.test(d.message));
    expect(errors[0].message).toMatch(/in_features=48 but receives 32 features/);
    expect(errors[0].range.start.line).toBe(MISMATCH.split('\n').findIndex((l) => l.includes('return self.head(x)')));
  });

  it('without the setting the same file cannot see the block (no error, no params from it)', async () => {
    tmp = mkdtempSync(join(tmpdir(), 'tensorlens-lsp-roots-'));
    cpSync(FIXTURE, tmp, { recursive: true });
    rmSync(join(tmp, 'pyproject.toml'));
    const path = join(tmp, 'app', 'mismatch.py');
    const diags = await open(path, MISMATCH);
    expect(diags.filter((d) => d.severity === 1)).toEqual([]);
    const r = await request<SummaryResult>(Method.summary, { uri: pathToFileURL(path).href });
    expect(r.summary.models[0].total_params).toBe(48 * 10 + 10);
    expect(r.summary.models[0].output_shape).toBeNull();
  });
});
