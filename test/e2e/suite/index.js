// The mocha entry point VS Code's extension host loads (`extensionTestsPath`), both under
// code-server (scripts/e2e.mjs, the offline run) and under @vscode/test-electron
// (test/e2e/run-test-electron.js). Writes pass/fail counts beside the workspace copy.

const fs = require('fs');
const path = require('path');
const Mocha = require('mocha');

function run() {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60000, reporter: 'spec' });
  const grep = process.env.TENSORLENS_E2E_GREP;
  if (grep) mocha.grep(grep);
  mocha.addFile(path.join(__dirname, 'extension.test.js'));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      try {
        const vscode = require('vscode');
        const ws = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
        if (ws) fs.writeFileSync(path.join(ws, '..', 'host-results.json'), JSON.stringify({ passes: runner.stats.passes, failures: runner.stats.failures, pending: runner.stats.pending }));
      } catch (e) {
        console.error('could not write host-results.json:', e.message);
      }
      if (failures > 0) reject(new Error(`${failures} tests failed.`));
      else resolve();
    });
  });
}

module.exports = { run };
