// Test helpers for translation: a parser from node_modules, analysis + translation of a
// file, and running generated PyTorch code in the real PyTorch at /usr/bin/python3.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadParser, type PyParser } from '../../../src/core/python/parser';
import { toModule } from '../../../src/core/python/ast';

export const REAL_PYTHON = '/usr/bin/python3';
const run = promisify(execFile);

let parser: Promise<PyParser> | undefined;
export function getParser(): Promise<PyParser> {
  const req = createRequire(join(__dirname, 'x.js'));
  parser ??= loadParser({
    treeSitter: readFileSync(req.resolve('web-tree-sitter/tree-sitter.wasm')),
    python: readFileSync(req.resolve('tree-sitter-python/tree-sitter-python.wasm')),
  });
  return parser;
}

/** Syntax errors of Python text as parsed by the project's parser (ERROR / MISSING nodes). */
export function syntaxErrors(p: PyParser, text: string): number {
  const t = p.parse(text);
  if (!t) return 1;
  try {
    return toModule(t).errors.length + (t.rootNode.hasError ? 1 : 0);
  } finally {
    t.delete();
  }
}

export interface TorchRun {
  params: number;
  output_shape: number[];
}

/** Runs `code` (which binds `modelVar`) in real PyTorch on the given inputs; returns trainable params and the output shape. */
export async function runTorch(code: string, modelVar: string, inputs: Array<{ shape: number[]; dtype: string; high?: number }>): Promise<TorchRun> {
  const dir = mkdtempSync(join(tmpdir(), 'tl-translate-'));
  const file = join(dir, 'model.py');
  const harness = `
import json, torch
torch.manual_seed(0)
_m = ${modelVar}
_m.eval()
_ins = []
for spec in json.loads(${JSON.stringify(JSON.stringify(inputs))}):
    if spec["dtype"] == "int64":
        _ins.append(torch.randint(0, spec.get("high", 100), tuple(spec["shape"])))
    else:
        _ins.append(torch.randn(*spec["shape"]))
with torch.no_grad():
    _o = _m(*_ins)
if isinstance(_o, (tuple, list)):
    _o = _o[0]
print("RESULT" + json.dumps({"params": sum(p.numel() for p in _m.parameters() if p.requires_grad), "output_shape": list(_o.shape)}))
`;
  writeFileSync(file, code.replace(/\nif __name__ == "__main__":[\s\S]*$/, '\n') + harness);
  const { stdout: out } = await run(REAL_PYTHON, [file], { encoding: 'utf8', timeout: 300_000 });
  const line = out.split('\n').find((l) => l.startsWith('RESULT'));
  if (!line) throw new Error(`no result from PyTorch:\n${out}`);
  return JSON.parse(line.slice(6)) as TorchRun;
}

/** Runs a self-contained Python script in real PyTorch; returns stdout (throws with stderr on failure). */
export async function runPython(code: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'tl-snippet-'));
  const file = join(dir, 'snippet.py');
  writeFileSync(file, code);
  return (await run(REAL_PYTHON, [file], { encoding: 'utf8', timeout: 300_000 })).stdout;
}
