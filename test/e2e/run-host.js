// Suite 1 runner: the mocha suite of test/e2e/suite inside code-server's Node extension
// host, with the extension loaded unpacked from the repository through the workbench
// `payload` URL parameter (extensionDevelopmentPath / extensionTestsPath), as test-electron
// does with a desktop VS Code. Usage: node test/e2e/run-host.js RUN_DIR
// Exit code 0 = all passed; RUN_DIR/host-results.json holds the counts.

/* global setTimeout, clearTimeout */

const fs = require('fs');
const path = require('path');
const util = require('util');
const { startServer, launchBrowser, copyWorkspace } = require('./lib/server');

const ROOT = path.resolve(__dirname, '..', '..');
/** Workbench chatter that says nothing about the tests. */
const NOISE = /ENOTFOUND|open-vsx|^\s+at |connection token|Creating a socket|builtin extensions|ChatSessionStore|\[Service Worker\]/;
const TIMEOUT_MS = Number(process.env.TENSORLENS_E2E_HOST_TIMEOUT_MS || 240000);

(async () => {
  const t0 = Date.now();
  const runDir = path.resolve(process.argv[2] || path.join(__dirname, '.out', `host-${Date.now()}`));
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.mkdirSync(runDir, { recursive: true });
  const folder = copyWorkspace(runDir);
  let server;
  let ctx;
  let exitCode = 1;
  try {
    server = await startServer(runDir);
    console.log(`[host] code-server ready in ${server.readyMs} ms on ${server.base}`);
    ctx = await launchBrowser(runDir);
    const page = ctx.pages()[0] || (await ctx.newPage());
    const done = new Promise((resolve) => {
      page.exposeFunction('codeAutomationLog', (type, args) => {
        const line = util.format(...(args || []));
        if (!NOISE.test(line)) console.log(line.replace(/^/gm, '  '));
      });
      page.exposeFunction('codeAutomationExit', (code, logs) => {
        for (const l of Array.isArray(logs) ? logs : []) {
          const p = path.join(runDir, 'workbench-logs', l.relativePath);
          fs.mkdirSync(path.dirname(p), { recursive: true });
          fs.writeFileSync(p, l.contents);
        }
        resolve(code);
      });
    });
    page.on('pageerror', (e) => console.log('[host] page error:', e.message));
    const a = server.authority;
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://${a}${ROOT}`],
      ['extensionTestsPath', `vscode-remote://${a}${path.join(__dirname, 'suite', 'index.js')}`],
    ];
    await page.goto(`${server.base}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    let timer;
    const timeout = new Promise((_, rej) => { timer = setTimeout(() => rej(new Error(`the suite did not finish in ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS); });
    try {
      exitCode = await Promise.race([done, timeout]);
    } finally {
      clearTimeout(timer);
    }
    await page.screenshot({ path: path.join(runDir, 'host-final.png') }).catch(() => {});
  } catch (e) {
    console.error('[host] error:', e.message);
    exitCode = 2;
  } finally {
    if (ctx) await ctx.close().catch(() => {});
    if (server) await server.stop();
  }
  console.log(`[host] exit code ${exitCode} in ${((Date.now() - t0) / 1000).toFixed(1)} s; logs in ${runDir}`);
  process.exit(exitCode);
})();
