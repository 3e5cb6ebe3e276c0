// The `tensorlens` command: `summary` prints a model's layers, shapes and parameters
// (a torchinfo-like table, or the DESIGN.md JSON with --json). Exit 0 on success,
// 1 when a requested model is missing, 2 for bad usage or an unreadable file.
// `lint` and `translate` live in their own files (src/cli/lint.ts, translate.ts).

import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { withLazyParser } from '../node/wasm';
import { analyzerFor } from '../core/index';
import { projectResolver } from '../node/resolver';
import { toSummaryJson, type LineMapper } from '../core/summary/json';
import { notebookProgram, parseNotebook } from '../core/notebook';
import { renderAnalysisText } from '../core/summary/text';
import { isFlag, walkArgs } from './args';
import { LINT_USAGE, LintUsageError, lintCommand, lintTask } from './lint';
import { isLintWorker, serveLintTasks } from './lint-pool';
import { runTranslate } from './translate';

const USAGE = `Usage:
  tensorlens summary FILE [--model NAME] [--input-shape 1,3,224,224]... [--json]
  tensorlens lint PATH... [--format text|json|sarif] [--select DL101,...] [--ignore ...] [--fix] [--jobs N]
  tensorlens translate FILE --to pytorch|keras|tf-keras [--model NAME] [--json]

Commands:
  summary     Layer-by-layer output shapes and parameter counts of the models in FILE
              (.py or .ipynb), found without running the code.
  lint        The DL### pitfall rules over files and folders (exit 1 when a warning or
              error is found). \`tensorlens lint --help\` for details.
  translate   The model translated to another framework, with notes on every semantic
              difference. \`tensorlens translate --help\` for details.

Summary options:
  --model NAME         Only the model (class or variable) called NAME.
  --input-shape DIMS   Input shape, comma-separated; repeat for several inputs.
                       A batch dim may be None (e.g. None,28,28,1).
  --json               Print JSON (the summary contract) instead of a table.
  -h, --help           Show this help.
  --version            Print the version.
`;

class UsageError extends Error {}

interface SummaryArgs {
  file: string;
  model?: string;
  inputShapes: Array<Array<number | null>>;
  json: boolean;
}

function parseShape(s: string): Array<number | null> {
  const parts = s.replace(/[()[\]\s]/g, '').split(/[,x]/).filter(Boolean);
  if (!parts.length) throw new UsageError(`--input-shape needs dims, e.g. 1,3,224,224 (got '${s}')`);
  return parts.map((p) => {
    if (/^(none|null|b)$/i.test(p)) return null;
    if (!/^\d+$/.test(p)) throw new UsageError(`--input-shape: '${p}' is not a whole number or None (in '${s}')`);
    return parseInt(p, 10);
  });
}

function parseSummaryArgs(argv: string[]): SummaryArgs {
  const out: SummaryArgs = { file: '', inputShapes: [], json: false };
  walkArgs(argv, (m) => new UsageError(m), (a, value) => {
    if (a === '--json') out.json = true;
    else if (isFlag(a, '--model')) out.model = value();
    else if (isFlag(a, '--input-shape')) out.inputShapes.push(parseShape(value()));
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else if (!out.file) out.file = a;
    else throw new UsageError(`unexpected argument ${a}`);
  });
  if (!out.file) throw new UsageError('summary needs a FILE');
  return out;
}

async function summary(argv: string[]): Promise<number> {
  const args = parseSummaryArgs(argv);
  if (!existsSync(args.file)) {
    process.stderr.write(`tensorlens: no such file: ${args.file}\n`);
    return 2;
  }
  if (statSync(args.file).isDirectory()) {
    process.stderr.write(`tensorlens: ${args.file} is a directory; summary takes one Python file\n`);
    return 2;
  }
  let text = readFileSync(args.file, 'utf8');
  let mapLine: LineMapper | undefined;
  if (args.file.endsWith('.ipynb')) {
    const cells = parseNotebook(text);
    if (!cells) {
      process.stderr.write(`tensorlens: ${args.file} is not a readable Jupyter notebook\n`);
      return 2;
    }
    const prog = notebookProgram(cells);
    text = prog.text;
    mapLine = (l) => {
      const m = prog.lineMap[l];
      return m ? { cell: m.cell + 1, line: m.line + 1 } : { line: l + 1 };
    };
  }
  const fileName = basename(args.file);
  // Project imports, with [tool.tensorlens] roots (a bad setting is reported, not fatal).
  const project = projectResolver(args.file, fileName);
  for (const e of project.errors) process.stderr.write(`tensorlens: ${project.pyproject}: ${e}\n`);
  // Tree-sitter's WASM is loaded only for a file the hand-written parser declines.
  const analysis = await withLazyParser((parser) => analyzerFor(parser).analyze(text, {
    fileName, model: args.model, inputShapes: args.inputShapes, resolveModule: project.resolve,
  }));
  if (args.json) process.stdout.write(JSON.stringify(toSummaryJson(analysis, mapLine), null, 2) + '\n');
  else process.stdout.write(renderAnalysisText(analysis));
  if (args.model && analysis.models.length === 0) {
    if (args.json) process.stderr.write(`tensorlens: no model named '${args.model}' in ${args.file}\n`);
    return 1;
  }
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    if (!cmd || cmd === '-h' || cmd === '--help' || cmd === 'help') {
      process.stdout.write(USAGE);
      return cmd ? 0 : 2;
    }
    if (cmd === '--version') {
      process.stdout.write('tensorlens 0.1.0\n');
      return 0;
    }
    if (cmd === 'summary') return await summary(rest);
    if (cmd === 'lint') return await lintCommand(rest);
    if (cmd === 'translate') return await runTranslate(rest);
    throw new UsageError(`unknown command '${cmd}'`);
  } catch (e) {
    if (e instanceof LintUsageError) {
      process.stderr.write(`tensorlens: ${e.message}\n\n${LINT_USAGE}`);
      return 2;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`tensorlens: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    process.stderr.write(`tensorlens: internal error: ${(e as Error).message}\n`);
    return 3;
  }
}

// A worker thread of `tensorlens lint`'s pool (lint-pool.ts) runs this same bundle: it serves
// the files it is handed instead of reading a command line.
if (isLintWorker()) serveLintTasks(lintTask);
else {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
