// The summary webview in real Chromium: the built bundle, the extension's HTML shell and CSP,
// a stubbed acquireVsCodeApi playing the host, and summaries the built CLI produces for the
// corpus. Covers rows, totals, graph, input-shape round trip, exports, collapse, keyboard,
// cursor highlight, state restore, and escaping of every user string.

import { readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportFormat, ModelGraph, SummaryJson, WebviewState, WebviewToHost } from '../../src/shared/webviewProtocol';
import { cliSummary, launchChromium, openWebview, postToWebview, root, viewMessage } from './harness.mjs';

const CORPUS = '/work/shared/corpus';
const corpusFiles = [
  ...readdirSync(CORPUS).filter((f) => f.endsWith('.py')).map((f) => join(CORPUS, f)),
  ...readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.py')).map((f) => join(root, 'examples', f)),
].sort();

let browser: Browser;
const summaries = new Map<string, SummaryJson>();
const summaryOf = (file: string): SummaryJson => {
  if (!summaries.has(file)) summaries.set(file, cliSummary(file));
  return summaries.get(file)!;
};
const corpus = (name: string): string => join(CORPUS, name);

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const posted = (page: Page): Promise<WebviewToHost[]> => page.evaluate(() => (window as any).__posted);
const layerRows = (page: Page) => page.locator('tbody tr.row-layer');

async function exportVia(page: Page, format: ExportFormat): Promise<string> {
  const before = (await posted(page)).length;
  await page.selectOption('#export-format', format);
  await page.click('#export-copy');
  const msgs = (await posted(page)).slice(before).filter((m) => m.type === 'export');
  expect(msgs).toHaveLength(1);
  const m = msgs[0] as Extract<WebviewToHost, { type: 'export' }>;
  expect(m.format).toBe(format);
  expect(m.destination).toBe('clipboard');
  return m.content;
}

describe('summary webview in Chromium', () => {
  it('renders every corpus model: rows, totals, picker and graph', async () => {
    const { page, context, errors } = await openWebview(browser);
    let models = 0;
    for (const file of corpusFiles) {
      const s = summaryOf(file);
      for (const m of s.models) {
        await postToWebview(page, viewMessage(s, { model: m.name }));
        await page.click('#expand-all');
        const label = `${s.file}:${m.name}`;
        expect(await page.locator('#model-picker option').count(), label).toBe(s.models.length);
        expect(await page.inputValue('#model-picker'), label).toBe(m.name);
        expect(await layerRows(page).count(), label).toBe(m.layers.length);
        // Each leaf row shows its path's last segment, its type and its params.
        const rows = await layerRows(page).evaluateAll((trs) => trs.map((tr) => ({
          name: tr.querySelector('.layer-name')!.textContent, title: (tr.querySelector('.layer-name') as HTMLElement).title,
          type: tr.querySelector('.type')!.textContent, params: tr.querySelector('.params')!.textContent,
        })));
        rows.forEach((r, i) => {
          const l = m.layers[i];
          expect(r.title, label).toBe(l.path);
          expect(r.name, label).toBe(l.path.split('.').pop());
          expect(r.type, label).toBe(l.type);
          expect(r.params, label).toBe(l.params === null ? '—' : l.params.toLocaleString('en-US'));
        });
        expect(await page.textContent('#total-params'), label).toBe(m.total_params.toLocaleString('en-US'));
        expect(await page.textContent('#trainable-params'), label).toBe(m.trainable_params.toLocaleString('en-US'));
        expect(await page.textContent('#non-trainable-params'), label).toBe(m.non_trainable_params.toLocaleString('en-US'));
        expect(await page.textContent('#input-source'), label).toBe(m.input_source);
        await page.click('#tab-graph');
        // The engine's dataflow graph (residual adds and concatenations are op nodes) when it
        // sends one; else the chain: one node per input, per layer row, and the output.
        const g = (m as { graph?: { nodes: unknown[]; edges: unknown[] } }).graph;
        expect(await page.locator('.graph-svg .node').count(), label).toBe(g ? g.nodes.length : m.input_shapes.length + m.layers.length + 1);
        expect(await page.locator('.graph-svg .edge').count(), label).toBe(g ? g.edges.length : m.input_shapes.length + m.layers.length);
        await page.click('#tab-table');
        // Only the chosen tab's panel shows (the graph toolbar must not linger under the table).
        expect(await page.isVisible('#panel-graph'), label).toBe(false);
        expect(await page.isVisible('#zoom-fit'), label).toBe(false);
        models++;
      }
    }
    expect(models).toBeGreaterThanOrEqual(20);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('computes parameter memory and activation memory (Σ output numel × 4 bytes)', async () => {
    const { page, context } = await openWebview(browser);
    const s = summaryOf(corpus('lenet5.py'));
    await postToWebview(page, viewMessage(s));
    const m = s.models[0];
    const bytes = m.layers.reduce((a, l) => a + (l.output_shape as number[]).reduce((p, d) => p * d, 1) * 4, 0);
    expect(await page.getAttribute('#activation-memory', 'title')).toBe(`Σ output elements × 4 bytes = ${bytes.toLocaleString('en-US')} bytes`);
    expect(await page.getAttribute('#param-memory', 'title')).toBe(`${m.param_bytes.toLocaleString('en-US')} bytes`);
    // A Keras model's None batch counts as one sample.
    const k = summaryOf(corpus('keras_mnist_convnet.py'));
    await postToWebview(page, viewMessage(k));
    expect(await page.textContent('#activation-memory')).toContain('per sample');
    await context.close();
  });

  it('round-trips an input shape: the page posts setInputShape, the host re-runs, the shapes update', async () => {
    const file = corpus('lenet5.py');
    const s = summaryOf(file);
    const { page, context, errors } = await openWebview(browser, {
      onPost: async (msg, p) => {
        if (msg.type !== 'setInputShape') return;
        const shapes = msg.inputShapes ?? [];
        const args = ['--model', msg.model, ...shapes.flatMap((sh) => ['--input-shape', sh.map((d) => (d === null ? 'None' : d)).join(',')])];
        const next = cliSummary(file, args);
        const full = { ...s, models: s.models.map((x) => next.models.find((n) => n.name === x.name) ?? x) };
        await postToWebview(p, viewMessage(full, { type: 'update', model: msg.model, inputShapes: msg.inputShapes }));
      },
    });
    await postToWebview(page, viewMessage(s));
    expect(await page.inputValue('.shape-input')).toBe('1, 1, 32, 32');
    expect(await layerRows(page).first().locator('.shape').textContent()).toBe('[1, 6, 28, 28]');

    // A bad dim is refused in the page; nothing is posted.
    await page.fill('.shape-input', '1, H, 32, 32');
    await page.press('.shape-input', 'Enter');
    expect(await page.textContent('#input-error')).toContain("'H' is not a whole number");
    expect(await page.getAttribute('.shape-input', 'aria-invalid')).toBe('true');
    expect((await posted(page)).filter((m) => m.type === 'setInputShape')).toHaveLength(0);

    const renders = Number(await page.getAttribute('body', 'data-renders'));
    await page.fill('.shape-input', '8, 1, 32, 32');
    await page.press('.shape-input', 'Enter');
    await page.waitForFunction((n) => Number(document.body.dataset.renders) > n, renders);
    expect((await posted(page)).filter((m) => m.type === 'setInputShape')).toEqual([{ type: 'setInputShape', model: 'LeNet5', inputShapes: [[8, 1, 32, 32]] }]);
    expect(await page.inputValue('.shape-input')).toBe('8, 1, 32, 32');
    expect(await layerRows(page).first().locator('.shape').textContent()).toBe('[8, 6, 28, 28]');
    expect(await page.textContent('#model-output')).toBe('[8, 10]');
    expect(await page.textContent('#input-source')).toBe('given');
    expect(await page.getAttribute('body', 'class')).not.toContain('busy');

    // "Auto" goes back to the file's own shapes.
    await page.click('#reset-shape');
    await page.waitForFunction(() => (document.querySelector('.shape-input') as HTMLInputElement).value === '1, 1, 32, 32');
    expect((await posted(page)).filter((m) => m.type === 'setInputShape').pop()).toEqual({ type: 'setInputShape', model: 'LeNet5', inputShapes: null });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('exports Markdown, CSV, JSON and SVG of the selected model', async () => {
    const { page, context } = await openWebview(browser);
    const s = summaryOf(corpus('dcgan.py'));
    const m = s.models[1];
    await postToWebview(page, viewMessage(s, { model: m.name }));

    const md = await exportVia(page, 'markdown');
    const mdRows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Layer') && !l.startsWith('| ---'));
    expect(md).toContain('### Discriminator (dcgan.py)');
    expect(md).toContain('| Layer | Type | Output Shape | Param # | % | Trainable | MACs |');
    expect(mdRows).toHaveLength(m.layers.length);
    expect(mdRows[0]).toBe(`| ${m.layers[0].path} | ${m.layers[0].type} | [${(m.layers[0].output_shape as number[]).join(', ')}] | ${m.layers[0].params!.toLocaleString('en-US')} | ${((m.layers[0].params! / m.total_params) * 100).toFixed(2)}% | yes | ${m.layers[0].macs!.toLocaleString('en-US')} |`);
    expect(md).toContain(`Total params: ${m.total_params.toLocaleString('en-US')}`);

    const csv = (await exportVia(page, 'csv')).trimEnd().split('\r\n');
    expect(csv[0]).toBe('path,type,output_shape,params,params_percent,trainable,macs,line,note');
    expect(csv).toHaveLength(m.layers.length + 1);
    const l0 = m.layers[0];
    expect(csv[1].startsWith(`${l0.path},${l0.type},"${(l0.output_shape as number[]).join(', ')}",${l0.params},`)).toBe(true);

    const json = JSON.parse(await exportVia(page, 'json'));
    expect(json).toEqual({ file: s.file, framework: s.framework, models: [m] });

    const svg = await exportVia(page, 'svg');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<g class="node /g)).toHaveLength(m.layers.length + 2);
    expect(svg).toContain(`>${m.layers[0].type}  ${m.layers[0].path}</text>`);
    // Well-formed XML, and the colours are the theme's (no unresolved CSS variables).
    expect(svg).not.toContain('var(--');
    const parseError = await page.evaluate((text) => new DOMParser().parseFromString(text, 'image/svg+xml').querySelector('parsererror')?.textContent ?? null, svg);
    expect(parseError).toBeNull();

    // The host answers; the page announces it.
    await postToWebview(page, { type: 'exportResult', format: 'svg', destination: 'clipboard', ok: true, message: 'Copied the SVG graph to the clipboard.' });
    expect(await page.textContent('#status')).toBe('Copied the SVG graph to the clipboard.');
    await page.selectOption('#export-format', 'markdown');
    await page.click('#export-save');
    const last = (await posted(page)).pop() as Extract<WebviewToHost, { type: 'export' }>;
    expect(last).toMatchObject({ type: 'export', format: 'markdown', destination: 'file', suggestedName: 'dcgan.Discriminator.md' });
    await context.close();
  });

  it('collapses and expands module groups derived from the dotted paths', async () => {
    const { page, context } = await openWebview(browser);
    const s = summaryOf(corpus('resnet18.py'));
    const m = s.models[0];
    await postToWebview(page, viewMessage(s));
    const all = await page.locator('tbody tr').count();
    const layer1 = page.locator('tbody tr.row-group', { has: page.locator('.layer-name', { hasText: /^layer1$/ }) });
    expect(await layer1.getAttribute('aria-expanded')).toBe('true');
    expect(await layer1.locator('.type').textContent()).toBe('12 layers');
    const layer1Params = m.layers.filter((l) => l.path.startsWith('layer1.')).reduce((a, l) => a + l.params!, 0);
    expect(await layer1.locator('.params').textContent()).toBe(layer1Params.toLocaleString('en-US'));
    await layer1.locator('.twisty').click();
    expect(await layer1.getAttribute('aria-expanded')).toBe('false');
    // layer1 hides its 2 blocks and their 12 layers.
    expect(await page.locator('tbody tr').count()).toBe(all - 14);
    await layer1.locator('.twisty').click();
    expect(await page.locator('tbody tr').count()).toBe(all);

    // Depth 1: only the model's direct children (torchinfo's depth=1).
    await page.selectOption('#depth', '1');
    const top = await page.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('aria-level')));
    expect(new Set(top)).toEqual(new Set(['1']));
    expect(top).toHaveLength(['conv1', 'bn1', 'relu', 'maxpool', 'layer1', 'layer2', 'layer3', 'layer4', 'avgpool', 'fc'].length);
    await page.click('#expand-all');
    expect(await page.locator('tbody tr').count()).toBe(all);
    await context.close();
  });

  it('navigates with the keyboard and reveals the source line', async () => {
    const { page, context } = await openWebview(browser);
    const s = summaryOf(corpus('resnet18.py'));
    const m = s.models[0];
    await postToWebview(page, viewMessage(s));
    const first = page.locator('tbody tr').first();
    expect(await first.getAttribute('tabindex')).toBe('0');
    await first.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const focusedPath = () => page.evaluate(() => (document.activeElement?.querySelector('.layer-name') as HTMLElement | null)?.title);
    expect(await focusedPath()).toBe(m.layers[2].path);
    expect(await page.locator('tbody tr[tabindex="0"]').count()).toBe(1);
    await page.keyboard.press('Enter');
    expect((await posted(page)).pop()).toEqual({ type: 'revealLine', line: m.layers[2].line, preserveFocus: false });
    // Down to the layer1 group, collapse it with Left, open it with Right, step into it.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await focusedPath()).toBe('layer1');
    await page.keyboard.press('ArrowLeft');
    expect(await page.getAttribute('tbody tr[data-key="g:layer1#1"]', 'aria-expanded')).toBe('false');
    await page.keyboard.press('ArrowRight');
    expect(await page.getAttribute('tbody tr[data-key="g:layer1#1"]', 'aria-expanded')).toBe('true');
    await page.keyboard.press('ArrowRight');
    expect(await focusedPath()).toBe('layer1.0');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(await focusedPath()).toBe('layer1');
    await page.keyboard.press('End');
    expect(await focusedPath()).toBe('fc');
    await page.keyboard.press('Home');
    expect(await focusedPath()).toBe('conv1');
    // A click reveals too, keeping the focus in the panel.
    await page.locator('tbody tr.row-layer').nth(1).click();
    expect((await posted(page)).pop()).toEqual({ type: 'revealLine', line: m.layers[1].line, preserveFocus: true });
    await context.close();
  });

  it('highlights the rows under the editor cursor, also inside a collapsed group', async () => {
    const { page, context } = await openWebview(browser);
    const s = summaryOf(corpus('resnet18.py'));
    const m = s.models[0];
    await postToWebview(page, viewMessage(s));
    const fc = m.layers.find((l) => l.path === 'fc')!;
    await postToWebview(page, { type: 'cursorMoved', line: fc.line });
    expect(await page.locator('tr.cursor-row .layer-name').allTextContents()).toEqual(['fc']);
    // BasicBlock's conv1 line is shared by every block's conv1.
    const blockConv = m.layers.find((l) => l.path === 'layer1.0.conv1')!;
    await postToWebview(page, { type: 'cursorMoved', line: blockConv.line });
    const sameLine = m.layers.filter((l) => l.line === blockConv.line).length;
    expect(await page.locator('tr.cursor-row').count()).toBe(sameLine);
    await page.selectOption('#depth', '1');
    expect(await page.locator('tr.cursor-row .layer-name').allTextContents()).toEqual(['layer1', 'layer2', 'layer3', 'layer4']);
    await postToWebview(page, { type: 'cursorMoved', line: null });
    expect(await page.locator('tr.cursor-row').count()).toBe(0);
    await context.close();
  });

  it('draws a given dataflow graph with a residual add and several inputs', async () => {
    const { page, context } = await openWebview(browser);
    const s = summaryOf(corpus('keras_two_input.py'));
    const m = s.models[0];
    const graph: ModelGraph = {
      nodes: [
        { id: 'a', kind: 'input', label: 'image', output_shape: m.input_shapes[0] },
        { id: 'b', kind: 'input', label: 'meta', output_shape: m.input_shapes[1] },
        ...m.layers.map((l, i) => ({ id: `l${i}`, kind: 'layer' as const, label: l.type, path: l.path, layer: i, output_shape: l.output_shape })),
        { id: 'add', kind: 'op', label: 'add', output_shape: null },
        { id: 'out', kind: 'output', label: 'output' },
      ],
      edges: [{ from: 'a', to: 'l0' }, { from: 'b', to: 'add' }, { from: 'l0', to: 'add' }, { from: 'a', to: 'add' },
        ...m.layers.slice(1).map((_, i) => ({ from: i === 0 ? 'add' : `l${i}`, to: `l${i + 1}` })), { from: `l${m.layers.length - 1}`, to: 'out' }],
    };
    await postToWebview(page, viewMessage(s, { graph }));
    await page.click('#tab-graph');
    expect(await page.locator('.graph-svg .node').count()).toBe(graph.nodes.length);
    expect(await page.locator('.graph-svg .edge').count()).toBe(graph.edges.length);
    expect(await page.locator('.graph-svg .node-op').count()).toBe(1);
    expect(await page.locator('.graph-svg .node-input').count()).toBe(2);
    // Three arrows end at the add node: it sits below both of its inputs.
    const y = (id: string) => page.locator(`.graph-svg .node[data-id="${id}"] rect`).evaluate((r) => Number(r.getAttribute('y')));
    expect(await y('add')).toBeGreaterThan(await y('l0'));
    expect(await y('add')).toBeGreaterThan(await y('b'));
    // Pan and zoom change the view transform; a node click selects its row and reveals its line.
    const t0 = await page.getAttribute('.graph-root', 'transform');
    await page.click('#zoom-in');
    const t1 = await page.getAttribute('.graph-root', 'transform');
    expect(t1).not.toBe(t0);
    await page.focus('.graph-svg');
    await page.keyboard.press('ArrowDown');
    expect(await page.getAttribute('.graph-root', 'transform')).not.toBe(t1);
    await page.click('#zoom-fit');
    await page.locator('.graph-svg .node[data-id="l0"]').click();
    expect((await posted(page)).pop()).toEqual({ type: 'revealLine', line: m.layers[0].line, preserveFocus: true });
    expect(await page.locator('.graph-svg .node.selected').count()).toBe(1);
    await context.close();
  });

  it('restores from the saved state after a reload, before the host answers', async () => {
    const a = await openWebview(browser);
    const s = summaryOf(corpus('unet_lite.py'));
    await postToWebview(a.page, viewMessage(s));
    await a.page.locator('tbody tr[data-key="g:enc1#1"] .twisty').click();
    await a.page.click('#tab-graph');
    const state = await a.page.evaluate(() => (window as any).__state) as WebviewState;
    expect(state.view?.documentUri).toBe('file:///work/unet_lite.py');
    expect(state.collapsed).toEqual(['g:enc1#1']);
    await a.context.close();
    const b = await openWebview(browser, { state });
    const g0 = (s.models[0] as { graph?: { nodes: unknown[] } }).graph;
    expect(await b.page.locator('.graph-svg .node').count()).toBe(g0 ? g0.nodes.length : s.models[0].layers.length + 2);
    await b.page.click('#tab-table');
    expect(await b.page.getAttribute('tbody tr[data-key="g:enc1#1"]', 'aria-expanded')).toBe('false');
    expect(await b.page.textContent('#file-name')).toBe('unet_lite.py');
    await b.context.close();
  });

  it('marks rows with notes and shows errors from the host', async () => {
    const { page, context } = await openWebview(browser);
    const s = summaryOf(corpus('lenet5.py'));
    const broken: SummaryJson = JSON.parse(JSON.stringify(s));
    broken.models[0].layers[2] = { ...broken.models[0].layers[2], output_shape: null, note: 'Linear expected in_features=256 but the input has 512 (last dim)' };
    await postToWebview(page, viewMessage(broken));
    const row = layerRows(page).nth(2);
    expect(await row.getAttribute('class')).toContain('row-unknown');
    expect(await row.locator('.note').textContent()).toBe('⚠ Linear expected in_features=256 but the input has 512 (last dim)');
    expect(await row.locator('.shape').textContent()).toBe('?');
    await postToWebview(page, { type: 'error', message: 'TensorLens could not analyse lenet5.py: boom' });
    expect(await page.isVisible('#banner')).toBe(true);
    expect(await page.textContent('#banner')).toBe('TensorLens could not analyse lenet5.py: boom');
    await context.close();
  });

  for (const csp of [true, false]) {
    it(`shows markup from user code as text and runs none of it (${csp ? 'with' : 'without'} the CSP)`, async () => {
      const { page, context, errors } = await openWebview(browser, { csp });
      const evil = '<img src=x onerror=window.__pwned=1>';
      const evil2 = '</script><script>window.__pwned=2</script>';
      const evil3 = '"><svg onload=window.__pwned=3>';
      const base = summaryOf(corpus('lenet5.py'));
      const s: SummaryJson = JSON.parse(JSON.stringify(base));
      s.file = `${evil2}.py`;
      s.framework = evil3;
      s.notes = [evil];
      const m = s.models[0];
      m.name = evil;
      m.kind = evil2;
      m.input_source = evil3;
      m.notes = [evil2];
      // Paths split at dots into groups: these two segments have none.
      const seg1 = '<img src=x onerror=__pwned=4>';
      const seg2 = '</script><script>__pwned=5</script>';
      m.layers[0] = { ...m.layers[0], path: `${seg1}.${seg2}`, type: evil3, note: evil };
      m.layers[1] = { ...m.layers[1], type: evil, output_shape: [1, evil2, 3] };
      // The engine's graph carries its own labels: poison the first layer node the same way.
      const gm = m as { graph?: { nodes: Array<{ kind: string; label: string; path?: string }> } };
      const n0 = gm.graph?.nodes.find((n) => n.kind === 'layer');
      if (n0) Object.assign(n0, { label: evil3, path: `${seg1}.${seg2}` });
      await postToWebview(page, viewMessage(s, { fileName: `${evil}${evil2}` }));
      await page.click('#tab-graph');
      await page.click('#tab-table');
      for (const f of ['markdown', 'csv', 'json', 'svg'] as const) await exportVia(page, f);
      await page.waitForTimeout(0);
      const pwned = await page.evaluate(() => (window as any).__pwned);
      expect(pwned).toBeUndefined();
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.locator('body script').count()).toBe(1);
      expect(await page.locator('svg[onload], [onerror], [onload]').count()).toBe(0);
      // The text shows literally.
      expect(await page.textContent('#file-name')).toBe(`${evil}${evil2}`);
      expect(await page.locator('#model-picker option').first().textContent()).toBe(`${evil}  (line ${m.line})`);
      expect(await page.textContent('#input-source')).toBe(evil3);
      expect(await page.textContent('#model-kind')).toBe(`${evil3} · ${evil2}`);
      const group = page.locator('tbody tr.row-group').first();
      expect(await group.locator('.layer-name').textContent()).toBe(seg1);
      const row0 = layerRows(page).first();
      expect(await row0.locator('.layer-name').textContent()).toBe(seg2);
      expect(await row0.locator('.type').textContent()).toBe(evil3);
      expect(await row0.locator('.note').textContent()).toBe(`⚠ ${evil}`);
      expect(await layerRows(page).nth(1).locator('.type').textContent()).toBe(evil);
      expect(await layerRows(page).nth(1).locator('.shape').textContent()).toBe(`[1, ${evil2}, 3]`);
      expect(await page.locator('#model-notes li').allTextContents()).toEqual([evil2, evil]);
      await page.click('#tab-graph');
      expect(await page.locator('.graph-svg .node-title').allTextContents()).toContain(`${evil3}  ${seg1}.${seg2}`);
      // The exports escape for their formats.
      const sent = (await posted(page)).filter((x) => x.type === 'export') as Array<Extract<WebviewToHost, { type: 'export' }>>;
      const content = (f: ExportFormat) => sent.find((x) => x.format === f)!.content;
      expect(content('markdown')).not.toMatch(/</);
      expect(content('markdown')).toContain('&lt;img src=x onerror=window.\\_\\_pwned=1&gt;');
      expect(content('svg')).not.toMatch(/<img|<\/script>|<svg onload/);
      expect(content('svg')).toContain('&lt;img src=x onerror=window.__pwned=1&gt;');
      expect(JSON.parse(content('json')).models[0].name).toBe(evil);
      expect(content('csv')).toContain(`"${evil3.replace(/"/g, '""')}"`);
      for (const x of sent) expect(x.suggestedName).toMatch(/^[\w.-]+$/);
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('saves screenshots in the light and dark themes (docs/images)', async () => {
    mkdirSync(join(root, 'docs/images'), { recursive: true });
    const s = summaryOf(corpus('resnet18.py'));
    for (const theme of ['light', 'dark'] as const) {
      const { page, context } = await openWebview(browser, { theme, viewport: { width: 1100, height: 760 } });
      await postToWebview(page, viewMessage(s, { theme }));
      await page.locator('tbody tr[data-key="g:layer2#1"] .twisty').click();
      await page.locator('tbody tr[data-key="g:layer3#1"] .twisty').click();
      await postToWebview(page, { type: 'cursorMoved', line: s.models[0].layers.find((l) => l.path === 'layer1.0.conv2')!.line });
      await page.locator('tbody tr.row-layer').nth(1).click();
      const png = await page.screenshot();
      writeFileSync(join(root, `docs/images/webview-${theme}.png`), png);
      await page.click('#tab-graph');
      writeFileSync(join(root, `docs/images/webview-graph-${theme}.png`), await page.screenshot());
      expect(png.length).toBeGreaterThan(10_000);
      await context.close();
    }
  });
});
