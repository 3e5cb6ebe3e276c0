// `npm run docs:rules`: regenerates docs/rules.md and the `tensorlens.lint.*` settings in
// package.json from the rule metadata (src/core/lint), so codes, docs and the settings
// schema cannot drift. Only the lint keys of package.json are rewritten (read-modify-write).
//   node scripts/gen-rule-docs.mjs [--check]   --check: exit 1 if anything is out of date.
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const outDir = join(root, 'node_modules', '.cache', 'tensorlens', 'docs');
mkdirSync(outDir, { recursive: true });
const outfile = join(outDir, 'docs.cjs');
await esbuild.build({ absWorkingDir: root, entryPoints: ['src/core/lint/docs.ts'], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' });
const docs = createRequire(import.meta.url)(outfile);

let stale = false;
const mdPath = join(root, 'docs', 'rules.md');
const md = docs.renderRulesMarkdown();
let oldMd = '';
try { oldMd = readFileSync(mdPath, 'utf8'); } catch { /* first run */ }
if (oldMd !== md) {
  stale = true;
  if (!check) {
    mkdirSync(dirname(mdPath), { recursive: true });
    writeFileSync(mdPath, md);
  }
}

const pkgPath = join(root, 'package.json');
const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
const props = docs.lintSettingsSchema();
pkg.contributes ??= {};
let sections = pkg.contributes.configuration;
if (!Array.isArray(sections)) sections = pkg.contributes.configuration = sections ? [sections] : [];
let lint = sections.find((s) => s.id === 'tensorlens-lint');
if (!lint) {
  lint = { id: 'tensorlens-lint', title: 'Lint', order: sections.length + 1, properties: {} };
  sections.push(lint);
}
for (const [k, v] of Object.entries(props)) {
  if (JSON.stringify(lint.properties[k]) !== JSON.stringify(v)) {
    stale = true;
    lint.properties[k] = v;
  }
}
if (stale && !check) writeFileSync(pkgPath, JSON.stringify(pkg, null, 2) + '\n');
console.log(check ? (stale ? 'docs/rules.md or package.json lint settings are out of date: run npm run docs:rules' : 'rule docs up to date') : `wrote docs/rules.md and the lint settings (${Object.keys(props['tensorlens.lint.severity'].properties).length} rule codes)`);
if (check && stale) process.exit(1);
