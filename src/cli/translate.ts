// `tensorlens translate FILE --to pytorch|keras|tf-keras [--model NAME] [--json]`: prints the
// model translated to the target framework (with the notes as comments at the end), or
// `{ "code", "notes": [{ "line", "message" }] }` with --json. Exit 0 on success, 1 when no
// model was found, 2 for bad usage or an unreadable file.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { analyzeDetailed } from '../core/analyze';
import { withLazyParser } from '../node/wasm';
import { TARGETS, translateModel, type Target, type TranslationNote } from '../core/translate/index';

export const TRANSLATE_USAGE = `Usage:
  tensorlens translate FILE --to pytorch|keras|tf-keras [--model NAME] [--json]

Options:
  --to TARGET    pytorch, keras (Keras 3) or tf-keras (tf.keras).
  --model NAME   Only the model (class or variable) called NAME; default: every model.
  --json         Print {"code", "notes": [{"line", "message"}]} instead of code.
`;


export async function runTranslate(argv: string[]): Promise<number> {
  let file = '';
  let to: string | undefined;
  let model: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string | undefined => (a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i]);
    if (a === '--json') json = true;
    else if (a === '--to' || a.startsWith('--to=')) to = value();
    else if (a === '--model' || a.startsWith('--model=')) model = value();
    else if (a === '-h' || a === '--help') {
      process.stdout.write(TRANSLATE_USAGE);
      return 0;
    } else if (a.startsWith('-')) return usage(`unknown option ${a}`);
    else if (!file) file = a;
    else return usage(`unexpected argument ${a}`);
  }
  if (!file) return usage('translate needs a FILE');
  if (!to || !(TARGETS as readonly string[]).includes(to)) return usage(`--to must be one of ${TARGETS.join(', ')}${to ? ` (got '${to}')` : ''}`);
  if (!existsSync(file) || statSync(file).isDirectory()) {
    process.stderr.write(`tensorlens: no such file: ${file}\n`);
    return 2;
  }
  const text = readFileSync(file, 'utf8');
  const d = await withLazyParser((parser) => analyzeDetailed(parser, text, { fileName: basename(file), model }));
  const models = d.analysis.models.map((m) => m.name);
  if (!models.length) {
    process.stderr.write(`tensorlens: ${model ? `no model named '${model}'` : 'no model found'} in ${file}\n`);
    return 1;
  }
  const codes: string[] = [];
  const notes: TranslationNote[] = [];
  for (const name of models) {
    const r = translateModel(d, name, to as Target, text);
    codes.push(r.code);
    notes.push(...r.notes);
  }
  const code = codes.join('\n\n');
  if (json) process.stdout.write(JSON.stringify({ code, notes: notes.map((n) => ({ line: n.line, message: n.message })) }, null, 2) + '\n');
  else {
    process.stdout.write(code.endsWith('\n') ? code : code + '\n');
    if (notes.length) process.stdout.write(`\n# Notes (TensorLens):\n${notes.map((n) => `#   line ${n.line}: ${n.message}`).join('\n')}\n`);
  }
  return 0;
}

function usage(message: string): number {
  process.stderr.write(`tensorlens: ${message}\n\n${TRANSLATE_USAGE}`);
  return 2;
}
