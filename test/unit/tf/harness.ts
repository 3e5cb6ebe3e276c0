// Runs the engine on low-level TensorFlow files. Uses the real pipeline
// (analyzeDetailed) when it summarises tf.Module models; until analyze.ts has the
// TF hook, falls back to a local pipeline with the same steps and the TF runtime.
import { ChainRegistry, mapRegistry } from '../../../src/core/eval/registry';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadParser, type PyParser } from '../../../src/core/python/parser';
import { toModule } from '../../../src/core/python/ast';
import { analyzeDetailed } from '../../../src/core/analyze';
import { Interp } from '../../../src/core/eval/interp';
import { makeBuiltins } from '../../../src/core/eval/builtins';
import type { Value } from '../../../src/core/eval/values';
import { TorchRuntime } from '../../../src/core/frameworks/torch/runtime';
import { KerasRuntime } from '../../../src/core/frameworks/keras/runtime';
import { TfRuntime } from '../../../src/core/frameworks/tf/runtime';
import { discoverTfModels, summarizeTfModel } from '../../../src/core/model/tf';
import { parseInputDirectives } from '../../../src/core/model/directives';
import type { Analysis, AnalyzeOptions, ModelSummary } from '../../../src/core/summary/types';

const req = createRequire(__filename);
let parser: Promise<PyParser> | undefined;

export function tfParser(): Promise<PyParser> {
  parser ??= loadParser({
    treeSitter: readFileSync(req.resolve('web-tree-sitter/tree-sitter.wasm')),
    python: readFileSync(req.resolve('tree-sitter-python/tree-sitter-python.wasm')),
  });
  return parser;
}

/** The analysis of `text`: the real pipeline, or the local one when it found no TensorFlow model. */
export function analyzeTf(p: PyParser, text: string, options: AnalyzeOptions = {}): { analysis: Analysis; via: 'pipeline' | 'harness' } {
  const real = analyzeDetailed(p, text, options).analysis;
  if (real.models.some((m) => m.framework === 'tensorflow')) return { analysis: real, via: 'pipeline' };
  return { analysis: localAnalyze(p, text, options), via: 'harness' };
}

function localAnalyze(p: PyParser, text: string, options: AnalyzeOptions): Analysis {
  const file = options.fileName ?? '<text>';
  const tree = p.parse(text)!;
  const mod = toModule(tree);
  tree.delete();
  const torch = new TorchRuntime();
  const keras = new KerasRuntime();
  const tf = new TfRuntime(keras);
  const late: { ip?: Interp } = {};
  const all = makeBuiltins(() => late.ip!);
  const builtins = new Map<string, Value>();
  const dotted = new Map<string, Value>();
  for (const [k, v] of all) {
    if (k.includes('.') && !k.startsWith('__method__.')) dotted.set(k, v);
    else builtins.set(k, v);
  }
  const registry = new ChainRegistry([mapRegistry(dotted), tf.registry, keras.registry, torch.registry]);
  const ip = new Interp([tf, torch, keras], builtins, registry, file);
  late.ip = ip;
  ip.runModule(mod);
  const directives = parseInputDirectives(mod.comments);
  const models: ModelSummary[] = [];
  for (const c of discoverTfModels(ip, tf, mod)) {
    const s = summarizeTfModel(ip, tf, c, options, directives);
    if (s) models.push(s);
  }
  return {
    file, framework: 'tensorflow', models, syntaxErrors: [], notes: [...ip.notes],
    diagnostics: ip.shapeIssues.map((s) => ({
      code: s.code ?? 'DL406', severity: 'error' as const, message: s.message,
      range: { line: s.node.line, character: s.node.col, endLine: s.node.endLine, endCharacter: s.node.endCol },
    })),
  };
}
