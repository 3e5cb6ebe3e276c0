// The TensorLens extension against the real `vscode` API (VS Code 1.100.3 via code-server,
// or a downloaded VS Code via test-electron): diagnostics, hovers, inlay hints, code lenses,
// quick fixes, every contributed command, the summary webview, translation, snippets and
// settings. Every state is polled with a deadline; nothing sleeps for a fixed time.

/* global setTimeout */

const assert = require('assert');
const fs = require('fs');
const vscode = require('vscode');
const { suite, suiteSetup, suiteTeardown, test, teardown } = require('mocha');

const EXT_ID = 'tensorlens.tensorlens';
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value; fails with `what` and the last value seen. */
async function waitFor(fn, what, timeoutMs = 30000) {
  const end = Date.now() + timeoutMs;
  let last;
  let lastErr;
  while (Date.now() < end) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      lastErr = e;
    }
    await pause(150);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}` + (lastErr ? ` (last error: ${lastErr.message})` : '') + (last !== undefined ? ` (last value: ${JSON.stringify(last)})` : ''));
}

const codeOf = (d) => (d.code && typeof d.code === 'object' ? String(d.code.value) : String(d.code));
const tlDiags = (uri, code) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'TensorLens' && (!code || codeOf(d) === code));
const describeDiags = (uri) => tlDiags(uri).map((d) => `${codeOf(d)}@${d.range.start.line}:${d.range.start.character}`).join(', ') || 'none';

function hoverText(hovers) {
  return (hovers || []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}
function hintLabel(h) {
  return typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('');
}
/** The plain text a VS Code snippet body inserts (default placeholders, no tab stops). */
function expandSnippet(body) {
  let s = body;
  for (let i = 0; i < 5; i++) s = s.replace(/\$\{\d+:([^{}]*)\}/g, '$1');
  return s.replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1').replace(/\$\{\d+\}|\$\d+/g, '').replace(/\\([$}\\])/g, '$1');
}

let ws;
const uriOf = (name) => vscode.Uri.joinPath(ws, name);
async function show(name, column) {
  const doc = await vscode.workspace.openTextDocument(uriOf(name));
  return vscode.window.showTextDocument(doc, { viewColumn: column ?? vscode.ViewColumn.One, preview: false });
}
const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);

// --- UI prompts ------------------------------------------------------------------------------
// The commands ask through showQuickPick / showInputBox / showSaveDialog. Tests answer them by
// replacing those functions on the `vscode.window` object the extension shares with this file
// (the extension host hands one API object per extension, and these tests live in its folder).
// Messages are recorded so that a command that reports a failure fails its test.

const prompts = [];
const messages = { info: [], warn: [], error: [] };
let answers = [];
const originals = {};
function answer(...fns) {
  answers = fns;
}
function installStubs() {
  const w = vscode.window;
  for (const k of ['showQuickPick', 'showInputBox', 'showSaveDialog', 'showInformationMessage', 'showWarningMessage', 'showErrorMessage']) originals[k] = w[k];
  const next = (kind, arg, opts) => {
    prompts.push({ kind, placeHolder: opts?.placeHolder, prompt: opts?.prompt });
    const fn = answers.shift();
    if (!fn) throw new Error(`unexpected ${kind} prompt: ${opts?.placeHolder ?? opts?.prompt ?? ''}`);
    return fn(arg, opts);
  };
  w.showQuickPick = async (items, opts) => next('pick', await items, opts);
  w.showInputBox = async (opts) => next('input', undefined, opts);
  w.showSaveDialog = async (opts) => next('save', undefined, opts);
  w.showInformationMessage = (m, ...rest) => { messages.info.push(m); return originals.showInformationMessage(m, ...rest); };
  w.showWarningMessage = (m, ...rest) => { messages.warn.push(m); return originals.showWarningMessage(m, ...rest); };
  w.showErrorMessage = (m, ...rest) => { messages.error.push(m); return originals.showErrorMessage(m, ...rest); };
  return w.showQuickPick !== originals.showQuickPick;
}
function restoreStubs() {
  Object.assign(vscode.window, originals);
}
const byLabel = (label) => (items) => {
  const it = items.find((i) => i.label === label || i.label.startsWith(label));
  assert.ok(it, `no quick pick item "${label}" in ${JSON.stringify(items.map((i) => i.label))}`);
  return it;
};


const ran = new Set();
/** Runs a TensorLens command; fails if it throws, reports an error or warning, or leaves prompts unanswered. */
async function run(id, ...args) {
  messages.error.length = 0;
  messages.warn.length = 0;
  await vscode.commands.executeCommand(id, ...args);
  ran.add(id);
  assert.deepStrictEqual(messages.error, [], `${id} reported an error`);
  assert.deepStrictEqual(messages.warn, [], `${id} reported a warning`);
  assert.deepStrictEqual(answers.length, 0, `${id} did not ask every prompt the test expected (${answers.length} left)`);
}

async function setSetting(key, value) {
  const i = key.indexOf('.');
  await vscode.workspace.getConfiguration(key.slice(0, i)).update(key.slice(i + 1), value, vscode.ConfigurationTarget.Global);
}

suite('TensorLens in VS Code (extension host)', function () {
  this.timeout(90000);

  suiteSetup(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder must be open');
    ws = folder.uri;
    const ext = vscode.extensions.getExtension(EXT_ID);
    assert.ok(ext, `extension ${EXT_ID} is loaded`);
    await ext.activate();
    assert.ok(installStubs(), 'vscode.window prompts can be stubbed');
  });

  suiteTeardown(async () => {
    restoreStubs();
    await setSetting('tensorlens.lint.ignore', undefined);
    await setSetting('tensorlens.inlayHints.enabled', undefined);
  });

  teardown(() => {
    answers = [];
  });

  test('runs the unpacked extension in a Node extension host', () => {
    console.log(`    vscode ${vscode.version}, ${vscode.env.appName}, uiKind=${vscode.env.uiKind}, node ${process.version}`);
    assert.ok(vscode.extensions.getExtension(EXT_ID).isActive);
  });

  test('contributes every command of package.json', async () => {
    const contributed = vscode.extensions.getExtension(EXT_ID).packageJSON.contributes.commands.map((c) => c.command);
    const all = new Set(await vscode.commands.getCommands(true));
    assert.deepStrictEqual(contributed.filter((c) => !all.has(c)), [], 'registered commands');
  });

  test('Lint Workspace: findings for files that were never opened', async () => {
    const shape = uriOf('shape_error.py');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === shape.toString()), 'shape_error.py is not open yet');
    await run('tensorlens.lintWorkspace');
    assert.ok(messages.info.some((m) => /checking \d+ Python file/.test(m)), `info: ${JSON.stringify(messages.info)}`);
    await waitFor(() => tlDiags(shape, 'DL401').length, 'DL401 on shape_error.py after Lint Workspace');
    await waitFor(() => tlDiags(uriOf('train_pitfalls.py')).length >= 2, 'findings on train_pitfalls.py');
  });

  test('diagnostics: DL101 and DL104 with their ranges on the training script', async () => {
    const ed = await show('train_pitfalls.py');
    const uri = ed.document.uri;
    await waitFor(() => tlDiags(uri, 'DL101').length && tlDiags(uri, 'DL104').length, `DL101 and DL104 (have ${describeDiags(uri)})`);
    const [d101] = tlDiags(uri, 'DL101');
    assert.strictEqual(d101.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(d101.range.start.line, 21);
    assert.strictEqual(ed.document.getText(d101.range), 'F.softmax(logits, dim=1)');
    assert.match(d101.message, /softmax/i);
    const [d104] = tlDiags(uri, 'DL104');
    assert.strictEqual(d104.severity, vscode.DiagnosticSeverity.Warning);
    assert.strictEqual(d104.range.start.line, 23);
    assert.strictEqual(ed.document.getText(d104.range), 'optimizer.step()');
    assert.match(d104.message, /zero_grad/);
  });

  test('shape error: DL401 at the call of the mismatched Linear', async () => {
    const ed = await show('shape_error.py');
    const uri = ed.document.uri;
    const diags = await waitFor(() => tlDiags(uri, 'DL401').length && tlDiags(uri, 'DL401'), 'DL401');
    for (const d of diags) console.log(`      DL401 ${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.message}`);
    assert.ok(diags.every((d) => d.severity === vscode.DiagnosticSeverity.Error));
    const lines = diags.map((d) => d.range.start.line);
    assert.ok(lines.includes(14), `DL401 on line 15 (return self.fc2(x)); found on lines ${lines.map((l) => l + 1)}`);
    const atCall = diags.find((d) => d.range.start.line === 14);
    assert.match(ed.document.getText(atCall.range), /self\.fc2/);
    assert.match(atCall.message, /64/);
    assert.match(atCall.message, /128/);
  });

  test('hover on a layer: output shape and parameter count', async () => {
    const ed = await show('torch_cnn.py');
    const line = ed.document.getText().split('\n').findIndex((l) => l.includes('self.conv1 = nn.Conv2d'));
    const pos = new vscode.Position(line, ed.document.lineAt(line).text.indexOf('Conv2d') + 2);
    const text = await waitFor(async () => hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', ed.document.uri, pos)), 'a hover on nn.Conv2d');
    assert.match(text, /\[1, 16, 32, 32\]/, text);
    assert.match(text, /448/, text);
  });

  test('inlay hints: the shape after each assignment in forward', async () => {
    const ed = await show('torch_cnn.py');
    const range = new vscode.Range(0, 0, ed.document.lineCount, 0);
    const labels = await waitFor(async () => {
      const hints = await vscode.commands.executeCommand('vscode.executeInlayHintProvider', ed.document.uri, range);
      return hints && hints.length ? hints.map(hintLabel) : undefined;
    }, 'inlay hints');
    assert.ok(labels.some((l) => l.includes('[1, 16, 16, 16]')), JSON.stringify(labels));
    assert.ok(labels.some((l) => l.includes('[1, 2048]')), JSON.stringify(labels));
  });

  test('code lens above the model: params, output shape, Show summary', async () => {
    const ed = await show('torch_cnn.py');
    const lenses = await waitFor(async () => {
      const ls = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', ed.document.uri, 10);
      return ls && ls.length ? ls : undefined;
    }, 'code lenses');
    const lens = lenses.find((l) => l.command && l.command.command === 'tensorlens.showSummary');
    assert.ok(lens, JSON.stringify(lenses.map((l) => l.command)));
    assert.match(lens.command.title, /params/);
    assert.match(lens.command.title, /\[1, 10\]/);
    assert.strictEqual(lens.range.start.line, ed.document.getText().split('\n').findIndex((l) => l.startsWith('class SmallCNN')));
  });

  test('notebook: a finding in a cell of a .ipynb', async function () {
    const nb = await vscode.workspace.openNotebookDocument(uriOf('mlp_notebook.ipynb'));
    await vscode.window.showNotebookDocument(nb);
    const cell = nb.getCells().find((c) => c.document.getText().includes('optimizer.step()'));
    assert.ok(cell, 'the training cell');
    const diags = await waitFor(() => tlDiags(cell.document.uri, 'DL104').length && tlDiags(cell.document.uri, 'DL104'), `DL104 in the training cell (have ${describeDiags(cell.document.uri)})`);
    assert.strictEqual(cell.document.getText(diags[0].range), 'optimizer.step()');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('setting tensorlens.lint.ignore hides a rule, and clearing it brings it back', async () => {
    const uri = (await show('train_pitfalls.py')).document.uri;
    await waitFor(() => tlDiags(uri, 'DL104').length, 'DL104 before');
    await setSetting('tensorlens.lint.ignore', ['DL104']);
    await waitFor(() => !tlDiags(uri, 'DL104').length && tlDiags(uri, 'DL101').length, `DL104 gone, DL101 kept (have ${describeDiags(uri)})`);
    await setSetting('tensorlens.lint.ignore', undefined);
    await waitFor(() => tlDiags(uri, 'DL104').length, 'DL104 back');
  });

  test('setting tensorlens.inlayHints.enabled=false turns the hints off', async () => {
    const ed = await show('torch_cnn.py');
    const range = new vscode.Range(0, 0, ed.document.lineCount, 0);
    const count = async () => ((await vscode.commands.executeCommand('vscode.executeInlayHintProvider', ed.document.uri, range)) || []).length;
    await waitFor(async () => (await count()) > 0, 'hints before');
    await setSetting('tensorlens.inlayHints.enabled', false);
    await waitFor(async () => (await count()) === 0, 'no hints');
    await setSetting('tensorlens.inlayHints.enabled', undefined);
    await waitFor(async () => (await count()) > 0, 'hints back');
  });

  test('quick fix "Suppress … on this line" adds a noqa comment, and undo brings the finding back', async () => {
    const ed = await show('train_pitfalls.py');
    const doc = ed.document;
    const [d] = await waitFor(() => tlDiags(doc.uri, 'DL104').length && tlDiags(doc.uri, 'DL104'), 'DL104');
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value, 10);
    const fix = (actions || []).find((a) => a.title === 'Suppress DL104 on this line');
    assert.ok(fix && fix.edit, JSON.stringify((actions || []).map((a) => a.title)));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(doc.lineAt(d.range.start.line).text, /# noqa: DL104/);
    await waitFor(() => !tlDiags(doc.uri, 'DL104').length && tlDiags(doc.uri, 'DL101').length, `DL104 suppressed, DL101 kept (have ${describeDiags(doc.uri)})`);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    await waitFor(() => !doc.getText().includes('noqa'), 'the noqa comment undone');
    await waitFor(() => tlDiags(doc.uri, 'DL104').length, 'DL104 back');
  });

  // KNOWN BUG (reported to the lead): shape errors are published from the engine's own
  // diagnostics (src/server/diagnostics.ts), which skip the `# noqa` and `tensorlens.lint.*`
  // filtering of src/core/lint/engine.ts, so this suppression is offered but has no effect.
  // Un-skip once fixed.
  test('"Suppress DL401 on this line" hides the shape error', async () => {
    const ed = await show('shape_error.py');
    const doc = ed.document;
    const [d] = await waitFor(() => tlDiags(doc.uri, 'DL401').length && tlDiags(doc.uri, 'DL401'), 'DL401');
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value, 10);
    const fix = (actions || []).find((a) => a.title === 'Suppress DL401 on this line');
    assert.ok(fix && fix.edit, JSON.stringify((actions || []).map((a) => a.title)));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    await waitFor(() => !tlDiags(doc.uri, 'DL401').some((x) => x.range.start.line === d.range.start.line), 'DL401 suppressed on that line', 10000)
      .catch((e) => { throw new Error(`${e.message}; still published: ${tlDiags(doc.uri, 'DL401').map((x) => x.message).join(' | ')}`); });
  });

  test('quick fixes: DL101 and DL104 apply and their diagnostics disappear', async () => {
    const ed = await show('train_pitfalls.py');
    const doc = ed.document;
    for (const [code, title, expect] of [['DL101', /logits/i, 'criterion(logits, y)'], ['DL104', /zero_grad/, 'optimizer.zero_grad()']]) {
      const [d] = await waitFor(() => tlDiags(doc.uri, code).length && tlDiags(doc.uri, code), code);
      const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value, 10);
      const fix = (actions || []).find((a) => title.test(a.title) && !/^Suppress/.test(a.title));
      assert.ok(fix, `${code} quick fix among ${JSON.stringify((actions || []).map((a) => a.title))}`);
      if (fix.edit) assert.ok(await vscode.workspace.applyEdit(fix.edit), 'applyEdit');
      if (fix.command) await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments || []));
      assert.ok(doc.getText().includes(expect), `after the ${code} fix the file contains ${expect}:\n${doc.getText()}`);
      await waitFor(() => !tlDiags(doc.uri, code).length, `${code} gone (have ${describeDiags(doc.uri)})`);
    }
    assert.deepStrictEqual(tlDiags(doc.uri).map(codeOf), [], 'no findings left');
  });

  test('Show Model Summary opens the webview panel beside the model', async () => {
    const ed = await show('torch_cnn.py');
    await run('tensorlens.showSummary', ed.document.uri.toString());
    const tab = await waitFor(() => tabs().find((t) => t.input instanceof vscode.TabInputWebview && t.label === 'Summary: torch_cnn.py'), 'the summary webview tab');
    assert.match(tab.input.viewType, /tensorlens/i);
    assert.notStrictEqual(tab.group.viewColumn, vscode.ViewColumn.One, 'the panel opens beside the editor');
  });

  test('Show Model Summary without arguments uses the active editor', async () => {
    await show('keras_mlp.py');
    await run('tensorlens.showSummary');
    await waitFor(() => tabs().find((t) => t.input instanceof vscode.TabInputWebview && t.label === 'Summary: keras_mlp.py'), 'the panel retargeted to keras_mlp.py');
  });

  // The translation view and the snippet picker are webviews: the extension exports their
  // state (views.translate() / views.snippets()) and a way to press their buttons
  // (views.receive(kind, message), the same path and validation as a message from the page).
  const views = () => vscode.extensions.getExtension(EXT_ID).exports.views;
  /** Waits until the page of the panel has loaded (it posts `ready`) and shows a view. */
  const viewReady = (kind, what) => waitFor(() => { const st = views()[kind](); return st && st.ready && st.view && st; }, what);
  const webviewTab = (label) => tabs().find((t) => t.input instanceof vscode.TabInputWebview && label.test(t.label));

  test('Translate Model To… opens the translation view beside the source; Insert puts it after the model', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const src = await show('keras_mlp.py');
    answer(byLabel('PyTorch'));
    await run('tensorlens.translateModel');
    assert.strictEqual(prompts.at(-1).placeHolder, 'Translate to…');
    const tab = await waitFor(() => webviewTab(/→ PyTorch$/), 'the translation webview tab');
    assert.match(tab.input.viewType, /tensorlens\.translate/);
    assert.notStrictEqual(tab.group.viewColumn, src.viewColumn, 'beside the source');
    assert.ok(!vscode.window.visibleTextEditors.some((e) => e.document.isUntitled), 'no untitled editor any more');
    const t0 = Date.now();
    const st = await viewReady('translate', 'the translation page to load');
    console.log(`        the translation page loaded in ${Date.now() - t0} ms`);
    assert.match(st.view.code, /nn\.Conv2d|nn\.Linear/, st.view.code);
    assert.strictEqual(st.view.target, 'pytorch');
    assert.strictEqual(st.view.insertLabel, 'Insert after model');
    const lines = src.document.getText().split('\n');
    assert.strictEqual(st.view.source.text.split('\n')[0], lines[st.view.source.firstLine - 1], 'the left pane shows the model from its first line');
    assert.ok(st.view.notes.every((n) => n.line >= 0 && n.line <= lines.length), JSON.stringify(st.view.notes));

    // The target switcher translates again (Keras 3 -> tf.keras rewrites the imports).
    await views().receive('translate', { type: 'setTarget', target: 'tf-keras' });
    await waitFor(() => views().translate().view.target === 'tf-keras', 'the tf.keras translation');
    assert.match(views().translate().view.code, /tensorflow/);
    await waitFor(() => webviewTab(/→ tf\.keras$/), 'the panel title follows the target');
    await views().receive('translate', { type: 'setTarget', target: 'pytorch' });
    await waitFor(() => views().translate().view.target === 'pytorch', 'back to PyTorch');

    // A note's line is revealed in the source editor.
    await views().receive('translate', { type: 'revealLine', line: 5 });
    await waitFor(() => vscode.window.activeTextEditor?.document.uri.toString() === src.document.uri.toString() && vscode.window.activeTextEditor.selection.active.line === 4, 'line 5 of keras_mlp.py revealed');

    const before = src.document.getText();
    await views().receive('translate', { type: 'insert' });
    await waitFor(() => src.document.getText() !== before, 'Insert changed the document');
    const after = src.document.getText();
    const modelEnd = st.view.source.firstLine - 1 + st.view.source.text.split('\n').length;
    assert.strictEqual(after.split('\n').slice(0, modelEnd).join('\n'), lines.slice(0, modelEnd).join('\n'), 'the model itself is unchanged');
    assert.ok(after.includes(views().translate().view.code.trim()), 'the translation is in the document');
    await vscode.window.showTextDocument(src.document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  /** Runs Translate Selection on lines first..last of torch_cnn.py; returns the editor and the panel's state. */
  async function translateSelection(first, last, target) {
    const ed = await show('torch_cnn.py');
    const lines = ed.document.getText().split('\n');
    const from = lines.findIndex((l) => l.includes(first));
    const to = lines.findIndex((l) => l.includes(last));
    ed.selection = new vscode.Selection(from, 0, to, lines[to].length);
    answer(byLabel(target));
    await run('tensorlens.translateSelection');
    assert.strictEqual(prompts.at(-1).placeHolder, 'Translate to…');
    await waitFor(() => webviewTab(/^Selection → /), 'the translation webview tab');
    const st = await waitFor(() => { const s = views().translate(); return s && s.ready && s.view.origin === 'selection' && s; }, 'the selection in the translation view');
    return { ed, from, to, st };
  }

  test('Translate Selection To… shows the selection and its Keras translation; Insert replaces the selection', async () => {
    const { ed, from, to, st } = await translateSelection('class SmallCNN', 'return self.fc2(x)', 'Keras');
    assert.match(st.view.code, /SmallCNN/, st.view.code);
    assert.match(st.view.code, /layers\.Conv2D/, st.view.code);
    assert.strictEqual(st.view.source.firstLine, from + 1);
    assert.strictEqual(st.view.insertLabel, 'Replace selection');
    const placed = st.view.notes.filter((n) => n.line > 0);
    assert.ok(placed.every((n) => n.line >= from + 1 && n.line <= to + 1), `note lines inside the selection (${from + 1}..${to + 1}): ${JSON.stringify(placed.map((n) => n.line))}`);
    await views().receive('translate', { type: 'insert' });
    await waitFor(() => !ed.document.getText().includes('class SmallCNN(nn.Module)'), 'the selection replaced');
    assert.match(ed.document.getText(), /layers\.Conv2D/);
    assert.ok(views().translate().replaced);
    await vscode.window.showTextDocument(ed.document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('Insert Snippet… shows the snippet picker and inserts the Keras version into a Keras file, with tab stops', async () => {
    const ed = await show('keras_mlp.py');
    const end = ed.document.lineAt(ed.document.lineCount - 1).range.end;
    ed.selection = new vscode.Selection(end, end);
    const before = ed.document.getText();
    await run('tensorlens.insertSnippet');
    await waitFor(() => webviewTab(/^TensorLens Snippets$/), 'the snippet picker tab');
    const st = await viewReady('snippets', 'the snippet page to load');
    assert.strictEqual(st.view.framework, 'keras', 'detected from `import keras`');
    assert.strictEqual(st.view.fileName, 'keras_mlp.py');
    const snip = st.view.snippets.find((s) => s.bodies.keras && /\$\{1:/.test(s.bodies.keras));
    assert.ok(snip, 'a Keras snippet with a tab stop');
    await views().receive('snippets', { type: 'insertSnippet', id: snip.id, framework: null });
    const doc = ed.document;
    await waitFor(() => doc.getText() !== before, 'the snippet inserted');
    const expected = expandSnippet(snip.bodies.keras);
    assert.doesNotMatch(expected, /import torch/, 'not the PyTorch body');
    for (const l of expected.split('\n').map((x) => x.trim()).filter(Boolean)) assert.ok(doc.getText().includes(l), `inserted text has "${l}"`);
    // A snippet session: the first tab stop's default is selected in the focused editor.
    const firstDefault = /\$\{1:([^{}$]*)\}/.exec(snip.bodies.keras)[1];
    const active = await waitFor(() => vscode.window.activeTextEditor?.document === doc && vscode.window.activeTextEditor, 'the editor focused');
    assert.strictEqual(doc.getText(active.selection), firstDefault, 'tab stop 1 selected');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('Export Summary writes Markdown to the chosen file', async () => {
    await show('torch_cnn.py');
    const target = vscode.Uri.joinPath(ws, '..', 'exported-summary.md');
    answer(byLabel('Markdown'), () => target);
    await run('tensorlens.exportSummary');
    const text = fs.readFileSync(target.fsPath, 'utf8');
    assert.match(text, /conv1/);
    assert.match(text, /Conv2d/);
  });

  test('Set Input Shape… changes the shapes of the model, and clearing restores them', async () => {
    const ed = await show('torch_cnn.py');
    const lensTitle = async () => ((await vscode.commands.executeCommand('vscode.executeCodeLensProvider', ed.document.uri, 10)) || []).map((l) => l.command?.title ?? '').join(' | ');
    answer(() => '4, 3, 32, 32');
    await run('tensorlens.setInputShape');
    assert.strictEqual(prompts.at(-1).kind, 'input');
    await waitFor(async () => (await lensTitle()).includes('[4, 10]'), 'the code lens to show [4, 10]');
    answer(() => '');
    await run('tensorlens.setInputShape');
    await waitFor(async () => (await lensTitle()).includes('[1, 10]'), 'the code lens back at [1, 10]');
  });

  test('Restart Server: features come back after a restart', async () => {
    const ed = await show('train_pitfalls.py');
    await run('tensorlens.restartServer');
    const shape = await show('shape_error.py');
    const line = shape.document.getText().split('\n').findIndex((l) => l.includes('self.fc1 = nn.Linear'));
    const pos = new vscode.Position(line, shape.document.lineAt(line).text.indexOf('Linear') + 2);
    await waitFor(async () => /\[1, 128\]/.test(hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', shape.document.uri, pos))), 'a hover after the restart');
    assert.ok(ed.document);
  });

  test('every contributed command was run', () => {
    const contributed = vscode.extensions.getExtension(EXT_ID).packageJSON.contributes.commands.map((c) => c.command);
    assert.deepStrictEqual(contributed.filter((c) => !ran.has(c)), [], 'commands no test ran');
  });
});
