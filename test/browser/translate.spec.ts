// The translation view and the snippet picker (dist/translate.js) in real Chromium, inside the
// extension's HTML shell and CSP. Translations come from the engine (the built CLI translating
// test/fixtures/translate/conv_sequential.py), snippets from the server's tensorlens/snippets
// handler. Where a button must reach the host, the real controller (translateController.ts)
// plays the host with stubbed VS Code (test/extension/fakes.ts), wired to the page both ways.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SnippetController, TranslationController } from '../../src/extension/webview/translateController';
import { stripTabStops } from '../../src/core/translate/rosetta/index';
import { snippets as snippetsHandler } from '../../src/server/customRequests';
import { Method, type SnippetInfo, type TargetFramework, type TranslateParams, type TranslateResult } from '../../src/shared/protocol';
import type { TranslateHostToWebview, TranslateWebviewToHost, TranslationView } from '../../src/shared/webviewProtocol';
import { FakeHost, FakeServer, FakeView, editor } from '../extension/fakes';
import { cliTranslate, launchChromium, openWebview, root } from './harness.mjs';

const FIXTURE = join(root, 'test/fixtures/translate/conv_sequential.py');
const SOURCE = readFileSync(FIXTURE, 'utf8');
const URI = `file://${FIXTURE}`;

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(() => {
  TranslationController.current?.dispose();
  SnippetController.current?.dispose();
});

/** The engine's translation as the language server answers it (tensorlens/translate of a model). */
function engineResult(target: TargetFramework): TranslateResult {
  const r = cliTranslate(FIXTURE, target);
  return { available: r.code !== '', code: r.code, notes: r.notes.map((n) => n.message), noteDetails: r.notes };
}

const posted = (page: Page): Promise<TranslateWebviewToHost[]> => page.evaluate(() => (window as any).__posted);
const renders = async (page: Page): Promise<number> => Number((await page.getAttribute('body', 'data-renders')) ?? 0);

/** Posts a host message and waits until the page has rendered it. */
async function send(page: Page, m: TranslateHostToWebview): Promise<void> {
  const before = await renders(page);
  await page.evaluate((msg) => window.postMessage(msg, '*'), m);
  await page.waitForFunction((n) => Number(document.body.dataset.renders ?? 0) > n, before);
}

/** The text of a code pane, line by line (line numbers apart). */
const paneLines = (page: Page, id: string) => page.locator(`#${id} .line .src`).evaluateAll((els) => els.map((e) => e.textContent));
const paneNumbers = (page: Page, id: string) => page.locator(`#${id} .line .ln`).evaluateAll((els) => els.map((e) => Number(e.textContent)));

function viewOf(target: TargetFramework, res: TranslateResult, extra: Partial<TranslationView> = {}): TranslationView {
  return {
    fileName: 'conv_sequential.py', origin: 'model', model: 'model', target, source: { text: SOURCE, firstLine: 1 },
    code: res.code ?? null, notes: res.noteDetails ?? [], insertLabel: 'Insert after model', theme: 'dark', ...extra,
  };
}

/**
 * The page with the real controller as its host: page posts go to the controller, the
 * controller's posts to the page. The server translates with the engine.
 */
/**
 * Connects a controller's views to the page: what a view posts reaches the page once it is
 * open, and what the page posts reaches the view.
 */
function viewBridge() {
  let page: Page | undefined;
  let view: FakeView | undefined;
  return {
    openView: (kind: 'translate' | 'snippets', title: string) => {
      const v = new FakeView(kind, title);
      v.post = (m: unknown) => {
        v.posted.push(m);
        void page?.evaluate((msg) => window.postMessage(msg, '*'), m);
      };
      view = v;
      return v;
    },
    onPost: async (msg: Parameters<FakeView['send']>[0], p: Page) => {
      page = p;
      await view!.send(msg);
    },
    view: () => view!,
  };
}

async function hostedTranslation(target: TargetFramework) {
  const host = new FakeHost();
  host.docs.set(URI, SOURCE);
  const server = new FakeServer({ [Method.translate]: (p: TranslateParams) => engineResult(p.target) });
  const bridge = viewBridge();
  const openView = bridge.openView;
  const lines = SOURCE.split('\n');
  const first = lines.findIndex((l) => l.startsWith('model = nn.Sequential('));
  const last = lines.findIndex((l, i) => i > first && l === ')');
  TranslationController.show({ host, server, openView }, {
    uri: URI, fileName: 'conv_sequential.py', origin: 'model', model: 'model',
    source: { text: lines.slice(first, last + 1).join('\n'), firstLine: first + 1 }, insertAt: { line: last + 1, character: 0 }, insertLabel: 'Insert after model',
  }, target, engineResult(target));
  const opened = await openWebview(browser, { kind: 'translate', onPost: bridge.onPost });
  await opened.page.waitForFunction(() => Number(document.body.dataset.renders ?? 0) >= 1);
  return { ...opened, host, server, view: bridge.view(), first, last };
}

describe('translation view in Chromium', () => {
  it('renders a real translation: source left, translation right, notes below, with line numbers', async () => {
    const res = engineResult('keras');
    expect(res.code).toMatch(/layers\.Conv2D\(16, 3, padding="same"/);
    const { page, context, errors } = await openWebview(browser, { kind: 'translate' });
    await send(page, { type: 'translation', view: viewOf('keras', res) });

    const srcLines = SOURCE.replace(/\n$/, '').split('\n');
    expect(await paneLines(page, 'source-code')).toEqual(srcLines);
    expect(await paneNumbers(page, 'source-code')).toEqual(srcLines.map((_, i) => i + 1));
    const codeLines = res.code!.replace(/\n$/, '').split('\n');
    expect(await paneLines(page, 'translation-code')).toEqual(codeLines);
    expect(await paneNumbers(page, 'translation-code')).toEqual(codeLines.map((_, i) => i + 1));
    // Side by side: the translation pane starts to the right of the source pane, on the same row.
    const a = (await page.locator('#source-pane').boundingBox())!;
    const b = (await page.locator('#translation-pane').boundingBox())!;
    expect(b.x).toBeGreaterThanOrEqual(a.x + a.width);
    expect(Math.abs(b.y - a.y)).toBeLessThan(2);
    // Notes below both panes, one item per engine note, with the line as a link.
    const notesTop = (await page.locator('#notes-section').boundingBox())!.y;
    expect(notesTop).toBeGreaterThan(Math.max(a.y + a.height, b.y + b.height) - 1);
    const notes = await page.locator('#notes li.note').evaluateAll((lis) => lis.map((li) => ({
      line: li.querySelector('.note-line')?.getAttribute('data-line') ?? null, text: li.querySelector('.note-text')!.textContent,
    })));
    expect(notes).toEqual(res.noteDetails!.map((n) => ({ line: n.line > 0 ? String(n.line) : null, text: n.message })));
    expect(await page.textContent('#notes-heading')).toBe(`Notes (${res.noteDetails!.length})`);
    expect(await page.textContent('#title')).toBe('conv_sequential.py · model → Keras 3');
    expect(await page.textContent('#insert')).toBe('Insert after model');
    expect(await page.getAttribute('#target-keras', 'aria-pressed')).toBe('true');
    expect(await page.getAttribute('#target-pytorch', 'aria-pressed')).toBe('false');
    // Python colouring: keywords, strings, comments and numbers get their own spans.
    const kinds = await page.locator('#translation-code [class^="tok-"]').evaluateAll((els) => els.map((e) => `${e.className}:${e.textContent}`));
    expect(kinds).toContain('tok-kw:import');
    expect(kinds).toContain('tok-str:"same"');
    expect(kinds).toContain('tok-num:16');
    expect(kinds.some((k) => k.startsWith('tok-com:# Translated by TensorLens'))).toBe(true);
    expect(await page.locator('#source-code .tok-str').first().textContent()).toBe(SOURCE.split('\n')[0]);
    // ... coloured from the theme: a string, a keyword and plain code each get their own colour.
    const colour = (sel: string) => page.locator(sel).first().evaluate((e) => getComputedStyle(e).color);
    const colours = new Set([await colour('#translation-code .tok-str'), await colour('#translation-code .tok-kw'), await colour('#translation-code .src')]);
    expect(colours.size).toBe(3);
    // Monospaced: the theme's editor font.
    expect(await page.locator('#translation-code').evaluate((e) => getComputedStyle(e).fontFamily)).toBe(
      await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-font-family').trim()),
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it('escapes code, notes and names: <script> stays text', async () => {
    const { page, context, errors } = await openWebview(browser, { kind: 'translate' });
    const evil = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';
    await send(page, {
      type: 'translation',
      view: viewOf('keras', { available: true }, {
        fileName: `${evil}.py`, model: evil, source: { text: `x = "${evil}"\n# ${evil}`, firstLine: 3 },
        code: `y = '${evil}'\n`, notes: [{ line: 3, message: evil }, { line: 0, message: `&amp; ${evil}` }],
      }),
    });
    expect(await paneLines(page, 'source-code')).toEqual([`x = "${evil}"`, `# ${evil}`]);
    expect(await paneNumbers(page, 'source-code')).toEqual([3, 4]);
    expect(await paneLines(page, 'translation-code')).toEqual([`y = '${evil}'`]);
    expect(await page.locator('#notes .note-text').allTextContents()).toEqual([evil, `&amp; ${evil}`]);
    expect(await page.textContent('#title')).toBe(`${evil}.py · ${evil} → Keras 3`);
    expect(await page.locator('body script').count()).toBe(1); // only the bundle's own
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('buttons and note links post copy / openAsFile / insert / revealLine; a missing translation disables them', async () => {
    const res = engineResult('keras');
    const { page, context } = await openWebview(browser, { kind: 'translate' });
    const lines = SOURCE.split('\n');
    const first = lines.findIndex((l) => l.startsWith('model = nn.Sequential(')) + 1;
    await send(page, { type: 'translation', view: viewOf('keras', res, { source: { text: lines.slice(first - 1, first + 15).join('\n'), firstLine: first } }) });
    await page.click('#copy');
    await page.click('#open-file');
    await page.click('#insert');
    const note = res.noteDetails!.find((n) => n.line > 0)!;
    await page.locator(`#notes .note-line[data-line="${note.line}"]`).first().click();
    expect((await posted(page)).slice(1)).toEqual([{ type: 'copy' }, { type: 'openAsFile' }, { type: 'insert' }, { type: 'revealLine', line: note.line }]);
    // The noted line is marked in the source pane too.
    expect(await page.locator('#source-code .line.flash').getAttribute('data-line')).toBe(String(note.line));
    expect(await page.locator('#source-code .line.flash .src').textContent()).toBe(lines[note.line - 1]);

    await send(page, { type: 'translation', view: viewOf('pytorch', { available: false }, { code: null, message: 'The model is already PyTorch.', notes: [] }) });
    expect(await page.textContent('#translation-message')).toBe('The model is already PyTorch.');
    for (const id of ['#copy', '#open-file', '#insert']) expect(await page.isDisabled(id), id).toBe(true);
    expect(await page.textContent('#notes')).toBe('No semantic differences noted.');
    await context.close();
  });

  it('the target switcher posts setTarget; with the real controller the page shows the new translation', async () => {
    const { page, context, host, server, errors } = await hostedTranslation('keras');
    expect(await page.textContent('#translation-heading')).toBe('Keras 3 translation');
    const n = await renders(page);
    await page.click('#target-tf-keras');
    await page.waitForFunction((k) => Number(document.body.dataset.renders) > k, n);
    expect((await posted(page)).filter((m) => m.type === 'setTarget')).toEqual([{ type: 'setTarget', target: 'tf-keras' }]);
    expect(server.calls.at(-1)).toEqual({ method: Method.translate, params: { uri: URI, target: 'tf-keras', model: 'model' } });
    const tf = engineResult('tf-keras');
    expect(await paneLines(page, 'translation-code')).toEqual(tf.code!.replace(/\n$/, '').split('\n'));
    expect(await page.textContent('#translation-heading')).toBe('tf.keras translation');
    expect(await page.getAttribute('#target-tf-keras', 'aria-pressed')).toBe('true');
    expect(await page.isDisabled('#target-pytorch')).toBe(false);

    // Copy and Insert reach the host with the host's own copy of the code.
    await page.click('#copy');
    await page.waitForFunction(() => /Copied/.test(document.getElementById('status')!.textContent ?? ''));
    expect(host.clipboard).toBe(tf.code);
    await page.click('#insert');
    await page.waitForFunction(() => /Inserted/.test(document.getElementById('status')!.textContent ?? ''));
    const last = SOURCE.split('\n').findIndex((l, i) => i > 4 && l === ')');
    expect(host.edits).toEqual([{ uri: URI, range: { start: { line: last + 1, character: 0 }, end: { line: last + 1, character: 0 } }, text: `\n${tf.code}` }]);
    expect(host.docs.get(URI)!.startsWith(SOURCE.split('\n').slice(0, last + 1).join('\n'))).toBe(true);
    // A note click reveals the (0-based) line in the editor.
    const note = tf.noteDetails!.find((x) => x.line > 0)!;
    await page.locator(`#notes .note-line[data-line="${note.line}"]`).first().click();
    await page.waitForFunction(() => (window as any).__posted.some((m: any) => m.type === 'revealLine'));
    await new Promise((r) => setTimeout(r, 50));
    expect(host.revealed).toEqual([{ uri: URI, line: note.line - 1 }]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('snippet picker in Chromium', () => {
  const all: SnippetInfo[] = snippetsHandler({}).snippets;

  async function hostedPicker(fileText: string) {
    const host = new FakeHost();
    const uri = 'file:///ws/model.py';
    host.docs.set(uri, fileText);
    host.editor = editor(uri);
    const bridge = viewBridge();
    await SnippetController.show({ host, server: new FakeServer(), openView: bridge.openView }, all, uri);
    const opened = await openWebview(browser, { kind: 'translate', onPost: bridge.onPost });
    await opened.page.waitForFunction(() => document.querySelectorAll('#snippet-list li').length > 0);
    return { ...opened, host, uri };
  }

  it('lists the Rosetta library, filters it, and shows the three versions side by side', async () => {
    expect(all.length).toBeGreaterThanOrEqual(10);
    const { page, context, errors } = await hostedPicker('import keras\nfrom keras import layers\n');
    expect(await page.locator('#snippet-list li').allTextContents()).toEqual(all.map((s) => s.title));
    expect(await page.textContent('#snippet-target')).toBe('Inserts into model.py (Keras 3)');

    await page.fill('#filter', 'batch');
    const expected = all.filter((s) => `${s.title} ${s.id} ${s.description ?? ''}`.toLowerCase().includes('batch'));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length);
    expect(await page.locator('#snippet-list li').allTextContents()).toEqual(expected.map((s) => s.title));
    await page.fill('#filter', 'zzz-no-such-snippet');
    expect(await page.locator('#snippet-list li').count()).toBe(0);
    expect(await page.isVisible('#no-match')).toBe(true);
    await page.fill('#filter', '');

    const s = all.find((x) => x.bodies.pytorch && x.bodies.keras && x.bodies['tf-keras'] && x.bodies.pytorch.includes('${'))!;
    await page.click(`#snippet-list li[data-id="${s.id}"]`);
    expect(await page.textContent('#snippet-title')).toBe(s.title);
    expect(await page.getAttribute(`#snippet-list li[data-id="${s.id}"]`, 'aria-selected')).toBe('true');
    const cols = page.locator('#columns .column');
    expect(await cols.evaluateAll((els) => els.map((e) => e.getAttribute('data-framework')))).toEqual(['pytorch', 'keras', 'tf-keras']);
    const boxes = await Promise.all([0, 1, 2].map(async (i) => (await cols.nth(i).boundingBox())!));
    expect(boxes[1].x).toBeGreaterThanOrEqual(boxes[0].x + boxes[0].width);
    expect(boxes[2].x).toBeGreaterThanOrEqual(boxes[1].x + boxes[1].width);
    expect(Math.abs(boxes[2].y - boxes[0].y)).toBeLessThan(2);
    // Each column shows its body as inserted with the default tab-stop values.
    for (const f of ['pytorch', 'keras', 'tf-keras'] as const) {
      expect(await paneLines(page, `snippet-code-${f}`), f).toEqual(stripTabStops(s.bodies[f]!).replace(/\n$/, '').split('\n'));
    }
    expect(await page.getAttribute('#columns .column.for-file', 'data-framework')).toBe('keras');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('Insert sends the file framework; a column Insert its own; the host inserts that body as a snippet', async () => {
    const { page, context, host, uri } = await hostedPicker('import torch\nimport torch.nn as nn\n');
    const s = all.find((x) => x.bodies.pytorch && x.bodies.keras && x.bodies['tf-keras'])!;
    await page.fill('#filter', s.title);
    await page.click(`#snippet-list li[data-id="${s.id}"]`);
    expect(await page.textContent('#insert-snippet')).toBe('Insert PyTorch version');
    await page.click('#insert-snippet');
    await page.waitForFunction(() => /Inserted the PyTorch version/.test(document.getElementById('status')!.textContent ?? ''));
    await page.click('#columns .column[data-framework="tf-keras"] .insert-column');
    await page.waitForFunction(() => /Inserted the tf\.keras version/.test(document.getElementById('status')!.textContent ?? ''));
    expect((await posted(page)).filter((m) => m.type === 'insertSnippet')).toEqual([
      { type: 'insertSnippet', id: s.id, framework: null },
      { type: 'insertSnippet', id: s.id, framework: 'tf-keras' },
    ]);
    expect(host.snippetsInserted).toEqual([{ uri, body: s.bodies.pytorch }, { uri, body: s.bodies['tf-keras'] }]);
    // The bodies keep their tab stops (inserted as snippets, not as text).
    expect(host.snippetsInserted[0].body).toMatch(/\$\{1:/);
    await context.close();
  });

  it('keyboard: arrows move the selection in the filtered list, Enter inserts', async () => {
    const { page, context, host } = await hostedPicker('from tensorflow import keras\n');
    await page.focus('#filter');
    await page.keyboard.press('ArrowDown');
    expect(await page.getAttribute('#snippet-list li.selected', 'data-id')).toBe(all[1].id);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await page.getAttribute('#snippet-list li.selected', 'data-id')).toBe(all[0].id);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /Inserted/.test(document.getElementById('status')!.textContent ?? ''));
    expect(host.snippetsInserted.map((x) => x.body)).toEqual([all[0].bodies['tf-keras']]);
    await context.close();
  });
});
