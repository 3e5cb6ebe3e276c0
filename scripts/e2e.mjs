// `npm run test:e2e`: the offline end-to-end run. Installs (cached) code-server and
// playwright-core, builds and packages the extension, then runs
//   1. the extension-host mocha suite (test/e2e/suite, the real `vscode` API, unpacked), and
//   2. the UI suite (the .vsix in code-server, driven in chromium, screenshots per step).
// Ends with a plain `N passed, N failed` line; exits non-zero on any failure.
// TENSORLENS_E2E_ONLY=host|ui runs one suite; TENSORLENS_E2E_SKIP_BUILD=1 reuses dist/ and the .vsix.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'test', 'e2e', '.out');
const KEEP_RUNS = 3;
const only = process.env.TENSORLENS_E2E_ONLY;
const t0 = Date.now();
const secs = (t = t0) => ((Date.now() - t) / 1000).toFixed(1);
const timings = [];

function sh(cmd, args, label) {
  const s = Date.now();
  return new Promise((res) => {
    const p = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', env: process.env });
    p.on('exit', (code, signal) => {
      timings.push(`${label} ${secs(s)} s`);
      res(code ?? (signal ? 1 : 0));
    });
  });
}
function readCounts(file) {
  try {
    const r = JSON.parse(readFileSync(file, 'utf8'));
    return { passes: r.passes ?? 0, failures: r.failures ?? 0, pending: r.pending ?? 0 };
  } catch {
    return undefined;
  }
}

// Keep the last few runs only (each holds a browser profile and logs, ~10 MB).
mkdirSync(OUT, { recursive: true });
const old = readdirSync(OUT).filter((d) => d.startsWith('run-')).sort();
for (const d of old.slice(0, Math.max(0, old.length - (KEEP_RUNS - 1)))) rmSync(join(OUT, d), { recursive: true, force: true });
const runDir = join(OUT, `run-${new Date().toISOString().replace(/[:.]/g, '-')}`);
mkdirSync(runDir, { recursive: true });
console.log(`[e2e] output (logs, screenshots): ${runDir}`);

let passed = 0;
let failed = 0;
const fail = (why) => {
  console.log(`[e2e] FAILED: ${why}`);
  failed++;
};

if ((await sh('bash', [join(ROOT, 'scripts', 'e2e-setup.sh')], 'setup')) !== 0) fail('scripts/e2e-setup.sh');
else if (process.env.TENSORLENS_E2E_SKIP_BUILD !== '1' && (await sh('npm', ['run', '--silent', 'build'], 'build')) !== 0) fail('npm run build');
else if (process.env.TENSORLENS_E2E_SKIP_BUILD !== '1' && only !== 'host' && (await sh('npm', ['run', '--silent', 'package'], 'package')) !== 0) fail('npm run package');
else {
  if (only !== 'ui') {
    console.log('\n[e2e] suite 1: extension host (mocha, real vscode API, extension loaded unpacked)');
    const dir = join(runDir, 'host');
    const code = await sh(process.execPath, [join(ROOT, 'test', 'e2e', 'run-host.js'), dir], 'host suite');
    const c = readCounts(join(dir, 'host-results.json'));
    if (c) {
      passed += c.passes;
      failed += c.failures;
      console.log(`[e2e] host suite: ${c.passes} passed, ${c.failures} failed, ${c.pending} skipped`);
    }
    if (!c || (code !== 0 && !c.failures)) fail(`host suite exited with code ${code} without reporting its tests`);
  }
  if (only !== 'host') {
    console.log('\n[e2e] suite 2: UI (tensorlens.vsix installed in code-server, driven in chromium)');
    const dir = join(runDir, 'ui');
    const vsix = join(ROOT, 'tensorlens.vsix');
    if (!existsSync(vsix)) fail('tensorlens.vsix missing');
    else {
      const code = await sh(process.execPath, [join(ROOT, 'test', 'e2e', 'run-ui.js'), dir, vsix], 'ui suite');
      const c = readCounts(join(dir, 'ui-results.json'));
      if (c) {
        passed += c.passes;
        failed += c.failures;
        console.log(`[e2e] UI suite: ${c.passes} passed, ${c.failures} failed; screenshots in ${dir}`);
      }
      if (!c || (code !== 0 && !c.failures)) fail(`UI suite exited with code ${code} without reporting its steps`);
    }
  }
}
console.log(`\n[e2e] ${timings.join(' · ')} · total ${secs()} s`);
console.log(`[e2e] output: ${runDir}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
