// Generates snippets/{pytorch,keras,tf-keras}.json (VS Code snippet files) from the
// Rosetta library in src/core/translate/rosetta. Run at build time: `npm run snippets`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Buffer } from 'node:buffer';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundled = await build({
  entryPoints: [join(root, 'src/core/translate/rosetta/index.ts')],
  bundle: true, write: false, format: 'esm', platform: 'neutral', logLevel: 'silent',
});
const mod = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`);
const outDir = join(root, 'snippets');
mkdirSync(outDir, { recursive: true });
const FRAMEWORKS = [['pytorch', 'pytorch', 'PyTorch'], ['keras', 'keras', 'Keras 3'], ['tf-keras', 'tfKeras', 'tf.keras']];
for (const [file, field, label] of FRAMEWORKS) {
  const snippets = {};
  for (const t of mod.ROSETTA) {
    snippets[`${t.title} (${label})`] = {
      prefix: [`tl-${t.id}`, `${file}-${t.id}`],
      body: t[field].replace(/\n$/, '').split('\n'),
      description: `${t.description} — TensorLens Rosetta (${label})`,
      scope: 'python',
    };
  }
  writeFileSync(join(outDir, `${file}.json`), JSON.stringify(snippets, null, 2) + '\n');
  console.log(`snippets/${file}.json: ${mod.ROSETTA.length} snippets`);
}
