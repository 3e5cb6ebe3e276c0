// Suite 2: the packaged extension (tensorlens.vsix, installed with
// `code-server --install-extension`) driven through the real web workbench by playwright-core
// in Debian's chromium: squiggles, hover, Problems panel, command palette, the summary webview
// (table read inside its two iframes, input shape changed there) and a translation.
// A screenshot per step goes to RUN_DIR. Every state is polled with a timeout.
// Usage: node test/e2e/run-ui.js RUN_DIR VSIX ; RUN_DIR/ui-results.json holds the counts.

/* global setTimeout */

const fs = require('fs');
const path = require('path');
const { startServer, installVsix, launchBrowser, copyWorkspace } = require('./lib/server');

const runDir = path.resolve(process.argv[2] || path.join(__dirname, '.out', `ui-${Date.now()}`));
const vsix = path.resolve(process.argv[3] || path.join(__dirname, '..', '..', 'tensorlens.vsix'));
const t0 = Date.now();
const secs = () => ((Date.now() - t0) / 1000).toFixed(1);
const results = [];

async function step(page, name, fn) {
  const s0 = Date.now();
  try {
    const note = await fn();
    const shot = path.join(runDir, `${String(results.length + 1).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: shot });
    results.push({ name, ok: true });
    console.log(`  ✔ ${name} (${Date.now() - s0} ms)${note ? ` — ${note}` : ''}`);
  } catch (e) {
    const shot = path.join(runDir, `${String(results.length + 1).padStart(2, '0')}-${name}-FAILED.png`);
    await page.screenshot({ path: shot }).catch(() => {});
    results.push({ name, ok: false, error: e.message });
    console.log(`  ✘ ${name} (${Date.now() - s0} ms): ${e.message.split('\n')[0]}\n    screenshot: ${shot}`);
  }
}

/** Polls `fn` until it returns a truthy value (playwright locators auto-wait; this is for reads). */
async function poll(fn, what, timeoutMs = 30000) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      last = await fn();
      if (last) return last;
    } catch { /* not there yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last !== undefined ? ` (last: ${JSON.stringify(last)})` : ''}`);
}

(async () => {
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.mkdirSync(runDir, { recursive: true });
  const folder = copyWorkspace(runDir);
  let server;
  let ctx;
  try {
    if (!fs.existsSync(vsix)) throw new Error(`${vsix} not found: run npm run package`);
    server = await startServer(runDir);
    const out = installVsix(runDir, vsix);
    if (!/was successfully installed/.test(out)) throw new Error(`install-extension said: ${out}`);
    console.log(`[ui] code-server ready and ${path.basename(vsix)} installed @ ${secs()} s`);
    ctx = await launchBrowser(runDir);
    const page = ctx.pages()[0] || (await ctx.newPage());
    page.on('pageerror', (e) => console.log('[ui] page error:', e.message));
    await page.goto(`${server.base}/?folder=${encodeURIComponent(folder)}`);
    const editor = page.locator('.editor-instance .monaco-editor');
    const row = (name) => page.locator('.explorer-folders-view .monaco-list-row', { hasText: name });
    const openFile = async (name, text) => {
      await row(name).click();
      await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: 30000 });
      await editor.locator('.view-lines', { hasText: text }).first().waitFor({ timeout: 30000 });
    };
    const palette = async (command) => {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ timeout: 10000 });
      await input.fill(`>${command}`);
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: command }).first().waitFor({ timeout: 10000 });
      await page.keyboard.press('Enter');
    };
    const webview = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    const readTable = () => webview.locator('table.layers tbody tr').evaluateAll((trs) => trs.map((tr) => ({
      name: tr.querySelector('.layer-name')?.textContent ?? '', shape: tr.querySelector('td.shape')?.textContent ?? '', params: tr.querySelector('td.params')?.textContent ?? '',
    })));

    await step(page, 'workbench-loaded', async () => {
      await page.locator('.monaco-workbench').waitFor({ timeout: 90000 });
      await row('torch_cnn.py').waitFor({ timeout: 90000 });
    });

    await step(page, 'squiggles', async () => {
      await openFile('train_pitfalls.py', 'def train');
      await page.locator('#status\\.editor\\.mode', { hasText: 'Python' }).waitFor({ timeout: 30000 });
      // The extension is active and its server has answered once the squiggles render.
      await editor.locator('.squiggly-error').first().waitFor({ state: 'attached', timeout: 60000 });
      await editor.locator('.squiggly-warning').first().waitFor({ state: 'attached', timeout: 30000 });
      return `${await editor.locator('.squiggly-error').count()} error and ${await editor.locator('.squiggly-warning').count()} warning squiggle(s)`;
    });

    await step(page, 'problems-panel', async () => {
      await editor.locator('.view-lines').first().click();
      await page.keyboard.press('Control+Shift+M');
      const rows = page.locator('.markers-panel .monaco-list-row');
      const texts = await poll(async () => {
        const t = await rows.allInnerTexts();
        return t.some((x) => x.includes('DL101')) && t.some((x) => x.includes('DL104')) && t;
      }, 'DL101 and DL104 in the Problems panel');
      const findings = texts.filter((t) => /DL\d{3}/.test(t)).map((t) => t.replace(/\s+/g, ' ').trim());
      for (const f of findings) console.log(`      problem: ${f.slice(0, 150)}`);
      if (!findings.some((f) => /softmax/i.test(f))) throw new Error('no softmax finding text');
      await page.keyboard.press('Control+Shift+M');
      return `${findings.length} finding(s)`;
    });

    await step(page, 'hover', async () => {
      await openFile('torch_cnn.py', 'class SmallCNN');
      // Code lenses render once the server has analysed this file.
      await editor.locator('.codelens-decoration', { hasText: 'params' }).first().waitFor({ timeout: 60000 });
      const line = editor.locator('.view-line', { hasText: 'conv1 = nn.Conv2d' }).first();
      // The innermost span holding the layer name (Monaco splits lines into token spans).
      const token = line.locator('span', { hasText: 'Conv2d' }).last();
      await token.waitFor({ timeout: 10000 }).catch(async (e) => {
        throw new Error(`${e.message}; line spans: ${JSON.stringify(await line.locator('span').allInnerTexts().catch(() => []))}`);
      });
      const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content', { hasText: '[1, 16, 32, 32]' });
      for (let attempt = 1; ; attempt++) {
        try {
          await page.mouse.move(5, 5);
          await token.hover({ timeout: 5000, position: { x: 4, y: 4 } });
          const box = await token.boundingBox();
          if (box) await page.mouse.move(box.x + Math.max(box.width - 12, 6), box.y + box.height / 2, { steps: 3 });
          await hover.first().waitFor({ timeout: 5000 });
          break;
        } catch (e) {
          if (attempt === 5) throw e;
        }
      }
      const text = (await hover.first().innerText()).replace(/\s+/g, ' ');
      console.log(`      hover: ${text.slice(0, 200)}`);
      if (!/448/.test(text)) throw new Error(`hover has no parameter count 448: ${text}`);
      await page.screenshot({ path: path.join(runDir, '04-hover-open.png') });
      await page.keyboard.press('Escape');
      await page.mouse.move(5, 5);
      return 'shape [1, 16, 32, 32] and 448 params';
    });

    await step(page, 'summary-webview', async () => {
      await editor.locator('.view-lines').first().click();
      await palette('TensorLens: Show Model Summary');
      await page.locator('.tab', { hasText: 'Summary: torch_cnn.py' }).waitFor({ timeout: 30000 });
      const rows = await poll(async () => {
        const r = await readTable();
        return r.some((x) => x.name === 'conv1' && x.shape === '[1, 16, 32, 32]') && r;
      }, 'the layer table with conv1 [1, 16, 32, 32]');
      for (const r of rows) console.log(`      ${r.name.padEnd(8)} ${r.shape.padEnd(18)} ${r.params}`);
      const total = await webview.locator('#total-params').innerText();
      if (total.replace(/\D/g, '') !== '268650') throw new Error(`total params ${total}`);
      return `${rows.length} rows, total ${total}`;
    });

    await step(page, 'webview-input-shape', async () => {
      const input = webview.locator('#shape-inputs input.shape-input').first();
      await input.fill('4, 3, 32, 32');
      await webview.locator('#apply-shape').click();
      const rows = await poll(async () => {
        const r = await readTable();
        return r.some((x) => x.name === 'conv1' && x.shape === '[4, 16, 32, 32]') && r;
      }, 'conv1 at [4, 16, 32, 32]');
      const fc2 = rows.find((r) => r.name === 'fc2');
      if (!fc2 || fc2.shape !== '[4, 10]') throw new Error(`fc2 ${JSON.stringify(fc2)}`);
      return 'conv1 → [4, 16, 32, 32], fc2 → [4, 10]';
    });

    /** The frame (inside a webview's two iframes) that has `selector`; polled. */
    const frameWith = (selector, what) => poll(async () => {
      for (const f of page.frames()) if (await f.locator(selector).count().catch(() => 0)) return f;
      return undefined;
    }, what);

    await step(page, 'translation', async () => {
      await page.locator('.tab', { hasText: 'torch_cnn.py' }).first().click();
      await editor.locator('.view-lines', { hasText: 'class SmallCNN' }).first().click();
      await palette('TensorLens: Translate Model To');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Keras 3' }).first().waitFor({ timeout: 30000 });
      await input.fill('Keras 3');
      await page.keyboard.press('Enter');
      await page.locator('.tab', { hasText: 'SmallCNN → Keras 3' }).first().waitFor({ timeout: 30000 });
      const frame = await frameWith('#translation-code', 'the translation view');
      const code = await poll(async () => {
        const t = await frame.locator('#translation-code').innerText();
        return /layers\.Conv2D/.test(t) && t;
      }, 'layers.Conv2D in the translation pane');
      const source = await frame.locator('#source-code').innerText();
      if (!/class SmallCNN/.test(source)) throw new Error(`source pane: ${source.slice(0, 200)}`);
      const notes = await frame.locator('#notes li.note').count();
      await frame.locator('#insert').click();
      await poll(async () => /Inserted the translation into torch_cnn\.py/.test(await frame.locator('#status').innerText()), 'the Insert status line');
      return `source and translation side by side (${code.split('\n').length} lines with numbers), ${notes} note(s); Insert done`;
    });

    await step(page, 'snippet-picker', async () => {
      // torch_cnn.py now imports Keras too (the inserted translation), so use a plain PyTorch file.
      await openFile('shape_error.py', 'class BrokenMLP');
      await editor.locator('.view-lines', { hasText: 'class BrokenMLP' }).first().click();
      await palette('TensorLens: Insert Snippet');
      await page.locator('.tab', { hasText: 'TensorLens Snippets' }).first().waitFor({ timeout: 30000 });
      const frame = await frameWith('#snippet-list', 'the snippet picker');
      await frame.locator('#filter').fill('conv');
      const shown = await frame.locator('#snippet-list li').count();
      if (!shown) throw new Error('the filter "conv" matched nothing');
      const cols = await frame.locator('#columns .column').count();
      if (cols !== 3) throw new Error(`${cols} columns`);
      const label = await frame.locator('#insert-snippet').innerText();
      if (label !== 'Insert PyTorch version') throw new Error(`main Insert says "${label}"`);
      await frame.locator('#insert-snippet').click();
      await poll(async () => /Inserted the PyTorch version of .* into shape_error\.py/.test(await frame.locator('#status').innerText()), 'the snippet Insert status line');
      return `${shown} snippet(s) match "conv", 3 columns, PyTorch version inserted`;
    });
  } catch (e) {
    results.push({ name: 'setup', ok: false, error: e.message });
    console.log(`  ✘ setup: ${e.message}`);
  } finally {
    if (ctx) await ctx.close().catch(() => {});
    if (server) await server.stop();
  }
  const passes = results.filter((r) => r.ok).length;
  const failures = results.length - passes;
  fs.writeFileSync(path.join(runDir, 'ui-results.json'), JSON.stringify({ passes, failures, results }, null, 2));
  console.log(`[ui] ${passes} passing, ${failures} failing in ${secs()} s; screenshots in ${runDir}`);
  process.exit(failures ? 1 : 0);
})();
