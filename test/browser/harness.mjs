// Loads the real webview bundle (dist/webview.js) in Chromium inside the same HTML shell and
// CSP the extension uses (src/extension/webview/html.ts, rebuilt here from its output), with
// a stubbed acquireVsCodeApi that records what the page posts. Shared by the browser tests
// and the benchmark. Pages are served from disk through page.route: no port, no network.

/* global window, Buffer, URL, setTimeout -- page.evaluate and init-script bodies run in the browser */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const ORIGIN = 'https://tensorlens.test';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync'];

export function launchChromium() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** `tensorlens summary FILE --json` from the built CLI. */
export function cliSummary(file, extra = []) {
  const r = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'summary', file, '--json', ...extra], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cli failed (${r.status}) on ${file}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** `tensorlens translate FILE --to TARGET --json` from the built CLI: `{ code, notes: [{ line, message }] }`. */
export function cliTranslate(file, target, extra = []) {
  const r = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'translate', file, '--to', target, '--json', ...extra], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cli translate failed (${r.status}) on ${file}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

async function importTs(file) {
  const esbuild = await import('esbuild');
  const out = await esbuild.build({ entryPoints: [join(root, file)], bundle: true, write: false, format: 'esm', platform: 'neutral' });
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
}

/** The translation view / snippet picker shell the extension serves (html.ts, renderWebviewHtml). */
export async function translateHtml({ csp = true, theme = 'dark', nonce = 'testNonce0123456789abcdefABCDEF01' } = {}) {
  const mod = await importTs('src/extension/webview/html.ts');
  let html = mod.renderWebviewHtml({ cspSource: ORIGIN, nonce, scriptUri: `${ORIGIN}/dist/translate.js`, styleUri: `${ORIGIN}/dist/translate.css`, title: 'Translation' });
  html = html.replace('<link rel="stylesheet"', `<link rel="stylesheet" href="${ORIGIN}/theme/${theme}.css">\n<link rel="stylesheet"`)
    .replace('<body>', `<body class="vscode-${theme}">`);
  if (!csp) html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
  return html;
}

/** The same shell the extension serves (html.ts is bundled on the fly: it is TypeScript). */
export async function summaryHtml({ csp = true, theme = 'dark', nonce = 'testNonce0123456789abcdefABCDEF01' } = {}) {
  const mod = await importTs('src/extension/webview/html.ts');
  let html = mod.renderSummaryHtml({ cspSource: ORIGIN, nonce, scriptUri: `${ORIGIN}/dist/webview.js`, styleUri: `${ORIGIN}/media/webview.css` });
  // What VS Code adds around our page: the theme's variables and the body class.
  html = html.replace('<link rel="stylesheet"', `<link rel="stylesheet" href="${ORIGIN}/theme/${theme}.css">\n<link rel="stylesheet"`)
    .replace('<body>', `<body class="vscode-${theme}">`);
  if (!csp) html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
  return html;
}

const FILES = {
  '/dist/webview.js': ['dist/webview.js', 'text/javascript'],
  '/media/webview.css': ['media/webview.css', 'text/css'],
  '/dist/translate.js': ['dist/translate.js', 'text/javascript'],
  '/dist/translate.css': ['dist/translate.css', 'text/css'],
  '/theme/light.css': ['test/browser/theme-light.css', 'text/css'],
  '/theme/dark.css': ['test/browser/theme-dark.css', 'text/css'],
};

/**
 * Opens the webview page. `onPost(msg, page)` plays the extension host for what the page posts.
 * `state` is what getState() returns (a reload restoring the panel).
 */
export async function openWebview(browser, { theme = 'dark', csp = true, state, onPost, viewport = { width: 1100, height: 800 }, kind = 'summary' } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const html = kind === 'translate' ? await translateHtml({ csp, theme }) : await summaryHtml({ csp, theme });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/' || path === '/index.html') return route.fulfill({ body: html, contentType: 'text/html' });
    const f = FILES[path];
    if (!f) return route.fulfill({ status: 404, body: '' });
    return route.fulfill({ body: readFileSync(join(root, f[0])), contentType: f[1] });
  });
  await page.exposeFunction('__tlHostReceive', (msg) => onPost?.(msg, page));
  await page.addInitScript((initial) => {
    window.__posted = [];
    window.__state = initial ?? undefined;
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => { window.__posted.push(m); window.__tlHostReceive(m); },
      getState: () => window.__state,
      setState: (s) => { window.__state = s; },
    });
  }, state ?? null);
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => window.__posted.some((m) => m.type === 'ready'));
  return { page, context, errors };
}

/** Posts a host message to the page and, for init/update, waits until it is rendered. */
export async function postToWebview(page, msg) {
  return page.evaluate((m) => new Promise((res) => {
    if (m.type !== 'init' && m.type !== 'update') {
      window.postMessage(m, '*');
      setTimeout(res, 0);
      return;
    }
    window.addEventListener('tensorlens:rendered', (e) => res(e.detail.ms), { once: true });
    window.postMessage(m, '*');
  }), msg);
}

/** An init/update message for a summary. */
export function viewMessage(summary, { type = 'init', model = null, inputShapes = null, theme = 'dark', fileName, graph } = {}) {
  const m = summary.models.find((x) => x.name === model) ?? summary.models[0];
  return {
    type, documentUri: `file:///work/${summary.file}`, fileName: fileName ?? summary.file, summary, model: model ?? m?.name ?? null,
    inputShapes, inputSource: m?.input_source ?? '', theme, ...(graph ? { graph } : {}),
  };
}
