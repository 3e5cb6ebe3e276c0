// Starts code-server (VS Code 1.100.3 server + web workbench, the Node extension host of
// desktop VS Code) in a sandbox: its own HOME, user-data, extensions and tmp folders under
// the run directory, bound to 127.0.0.1 on a free port. Also the chromium launch options.

/* global setTimeout */

const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const net = require('net');
const path = require('path');

const CACHE = process.env.TENSORLENS_E2E_CACHE || path.join(require('os').homedir(), '.cache', 'tensorlens-e2e');
const CODE_SERVER = process.env.CODE_SERVER_BIN || path.join(CACHE, 'node_modules/.bin/code-server');

/** playwright-core from the e2e cache (the repo's own copy is used when the cache has none). */
function playwright() {
  try {
    return require(require.resolve('playwright-core', { paths: [CACHE] }));
  } catch {
    return require('playwright-core');
  }
}

function get(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.setTimeout(2000, () => req.destroy(new Error('timeout')));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** User settings of the sandbox: no welcome page, no telemetry, no marketplace, quick hovers. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'editor.hover.delay': 100,
  'files.autoSave': 'off',
  'git.enabled': false,
};

/** A short TMPDIR per run: VS Code puts its IPC sockets there, and socket paths must stay under 107 chars. */
const tmpDirs = new Map();
function shortTmp(runDir) {
  if (!tmpDirs.has(runDir)) tmpDirs.set(runDir, fs.mkdtempSync(path.join(fs.existsSync('/tmp') ? '/tmp' : require('os').tmpdir(), 'tle2e-')));
  return tmpDirs.get(runDir);
}

function sandboxEnv(runDir) {
  const home = path.join(runDir, 'home');
  const env = {
    ...process.env, HOME: home, TMPDIR: shortTmp(runDir),
    XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local/share'), XDG_CACHE_HOME: path.join(home, '.cache'),
  };
  // No marketplace: otherwise the workbench queries open-vsx.org.
  if (env.EXTENSIONS_GALLERY === undefined) env.EXTENSIONS_GALLERY = '{}';
  delete env.VSCODE_IPC_HOOK_CLI;
  delete env.ELECTRON_RUN_AS_NODE;
  return env;
}

function prepareSandbox(runDir) {
  for (const d of ['home', 'user-data/User', 'extensions']) fs.mkdirSync(path.join(runDir, d), { recursive: true });
  fs.writeFileSync(path.join(runDir, 'user-data/User/settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  fs.writeFileSync(path.join(runDir, 'config.yaml'), 'auth: none\ncert: false\n');
}

function cliArgs(runDir) {
  return ['--config', path.join(runDir, 'config.yaml'), '--user-data-dir', path.join(runDir, 'user-data'), '--extensions-dir', path.join(runDir, 'extensions')];
}

/** `code-server --install-extension VSIX` into the sandbox's extensions folder. */
function installVsix(runDir, vsix) {
  return execFileSync(CODE_SERVER, [...cliArgs(runDir), '--install-extension', vsix, '--force'], { env: sandboxEnv(runDir), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

async function startServer(runDir) {
  if (!fs.existsSync(CODE_SERVER)) throw new Error(`code-server not found at ${CODE_SERVER}: run scripts/e2e-setup.sh`);
  prepareSandbox(runDir);
  const port = await freePort();
  const args = [
    ...cliArgs(runDir), '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--disable-proxy', '--ignore-last-opened',
  ];
  const t0 = Date.now();
  const logFile = path.join(runDir, 'server.log');
  const log = fs.createWriteStream(logFile);
  // Its own process group, so that stop() also ends the helpers it forks (file watcher, extension host).
  const proc = spawn(CODE_SERVER, args, { env: sandboxEnv(runDir), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  proc.stdout.pipe(log);
  proc.stderr.pipe(log);
  let exited = false;
  proc.on('exit', () => { exited = true; });
  // Never leave a server behind, also when the runner is interrupted.
  const killGroup = () => {
    try {
      process.kill(-proc.pid, 'SIGKILL');
    } catch { /* gone */ }
  };
  process.once('exit', killGroup);
  for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => process.exit(130));
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (exited) throw new Error(`code-server exited early, see ${logFile}`);
    try {
      if ((await get(`${base}/healthz`)) === 200) break;
    } catch { /* not listening yet */ }
    if (Date.now() - t0 > 60000) throw new Error(`code-server not ready after 60 s, see ${logFile}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    base, port, authority: `127.0.0.1:${port}`, readyMs: Date.now() - t0, logFile,
    async stop() {
      const group = -proc.pid;
      const alive = () => {
        try {
          process.kill(group, 0);
          return true;
        } catch {
          return false;
        }
      };
      const signal = (sig) => {
        try {
          process.kill(group, sig);
        } catch { /* already gone */ }
      };
      signal('SIGTERM');
      const end = Date.now() + 5000;
      while (alive() && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
      if (alive()) signal('SIGKILL');
      while (alive() && Date.now() < end + 2000) await new Promise((r) => setTimeout(r, 100));
      fs.rmSync(shortTmp(runDir), { recursive: true, force: true });
    },
  };
}

/** Debian's chromium, headless, with its own HOME (it writes ~/.config/chromium otherwise). */
async function launchBrowser(runDir) {
  const home = path.join(runDir, 'chromium-home');
  fs.mkdirSync(home, { recursive: true });
  const { chromium } = playwright();
  return chromium.launchPersistentContext(path.join(runDir, 'chromium-profile'), {
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_CACHE_HOME: path.join(home, '.cache') },
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** A fresh copy of the fixture workspace (the suites edit files). */
function copyWorkspace(runDir) {
  const dest = path.join(runDir, 'workspace');
  fs.cpSync(path.join(__dirname, '..', 'workspace'), dest, { recursive: true });
  return dest;
}

module.exports = { CACHE, CODE_SERVER, startServer, installVsix, launchBrowser, copyWorkspace };
