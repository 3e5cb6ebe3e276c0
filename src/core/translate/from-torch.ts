// PyTorch -> Keras 3 / tf.keras, from the IR. forward() is printed statement by statement
// into a Keras functional model (forward.ts: submodules from the instance, functional ops
// through the op table, shapes from the interpreter for channels-last axes). When that
// fails and the recorded dataflow is a plain chain of leaves (nn.Sequential style), a
// keras.Sequential is emitted instead; otherwise the result is a TODO with a note.

import type { DetailedAnalysis } from '../analyze';
import { type InstanceV, type Value, tensor } from '../eval/values';
import { LayerArgs } from '../frameworks/spec';
import { type CallRecord, type TorchRuntime, modulePaths } from '../frameworks/torch/runtime';
import type { ModelSummary } from '../summary/types';
import { type Dim, sym } from '../shapes/dim';
import { TORCH_TO_KERAS, type TorchToKerasCtx, noteExtraTorchParams, overridesForward } from './mappings/torch-to-keras';
import { ForwardPrinter, type ForwardInput } from './forward';
import { permCfToCl, permClToCf, pyIdent, pyTuple } from './pyfmt';
import type { Target, TranslationMeta, TranslationNote, TranslationResult } from './types';

const CHANNELS_FIRST = /^(Conv|ConvTranspose|MaxPool|AvgPool|AdaptiveAvgPool|AdaptiveMaxPool|BatchNorm)[123]d$|^Dropout[123]d$/;

export function translateTorchToKeras(d: DetailedAnalysis, summary: ModelSummary, inst: InstanceV, target: Target): TranslationResult {
  const dialect = target === 'tf-keras' ? 'tf-keras' : 'keras';
  const notes: TranslationNote[] = [];
  const rows = recordCalls(d, summary, inst);
  const chain = rows && isChain(rows, inst) ? rows : undefined;
  const varName = pyIdent(summary.kind === 'module-class' ? summary.name.replace(/^[A-Z]/, (c) => c.toLowerCase()) : summary.name);
  const header = [
    `# Translated by TensorLens from PyTorch (${summary.kind === 'module-class' ? 'class' : 'variable'} \`${summary.name}\`${d.analysis.file ? ` in ${d.analysis.file}` : ''}, line ${summary.line}) to ${dialect === 'keras' ? 'Keras 3' : 'tf.keras'}.`,
    '# Layout: Keras is channels-last (N, H, W, C); see the notes for how to feed the model.',
    ...(dialect === 'keras' ? ['import keras', 'from keras import layers'] : ['import tensorflow as tf', 'from tensorflow import keras', 'from tensorflow.keras import layers']),
    '',
  ];
  const fwd = translateForward(d, summary, inst, rows, dialect, header, varName);
  if (fwd?.meta || (fwd && !chain)) return fwd;
  if (!chain) {
    const msg = `${summary.name}: forward() could not be translated (see the notes); translate it by hand`;
    notes.push({ line: summary.line, message: `TODO: ${msg}` });
    return { code: [...header, `# TODO(tensorlens): ${msg}`, ''].join('\n'), notes };
  }

  const inShape = summary.inputShapes[0] ?? [];
  const rank = inShape.length;
  const firstType = chain[0]?.type ?? '';
  const cf = rank >= 3 && CHANNELS_FIRST.test(firstType);
  const kerasIn = cf ? permCfToCl(rank).map((i) => inShape[i]) : inShape;
  const isInt = summary.layers[0]?.type === 'Embedding';
  const lines: string[] = [];
  let prevFoldTarget = -1;
  for (const r of chain) {
    const spec = r.inst.layer?.spec;
    const rule = spec ? TORCH_TO_KERAS[spec.name] : undefined;
    const line = (r.inst.node?.line ?? summary.line - 1) + 1;
    const input = r.inputs[0];
    const ctx: TorchToKerasCtx = {
      a: new LayerArgs(r.inst.layer?.args ?? new Map(), spec?.name ?? r.type),
      inShape: input && input.k === 'tensor' ? input.shape : null,
      name: `layer ${r.path || r.type}`, dialect, channelsLast: cf,
      note: (message, paramDelta) => notes.push({ line, message, ...(paramDelta ? { paramDelta } : {}) }),
      todo: (message) => {
        notes.push({ line, message: `TODO: ${message}` });
        lines.push(`# TODO(tensorlens): ${message}`);
      },
    };
    if (!rule) {
      ctx.todo(`${ctx.name}: ${r.type} has no Keras mapping`);
      continue;
    }
    if (overridesForward(r.inst.cls)) {
      ctx.todo(`${ctx.name}: ${r.inst.cls.name} subclasses nn.${spec!.name} with its own forward(); translate it by hand`);
      continue;
    }
    // Activation modules fold into the Dense / Conv just before them.
    if (rule.foldable && prevFoldTarget === lines.length - 1 && prevFoldTarget >= 0) {
      lines[prevFoldTarget] = lines[prevFoldTarget].replace(/\)$/, `, activation="${rule.foldable}")`).replace('(, ', '(');
      prevFoldTarget = -1;
      continue;
    }
    const out = rule.layers(ctx);
    noteExtraTorchParams(r.inst, ctx);
    lines.push(...out);
    prevFoldTarget = out.length && /^layers\.(Dense|Conv\dD|DepthwiseConv2D)\(/.test(out[out.length - 1]) ? lines.length - 1 : -1;
  }
  // A torch Flatten after a global pool on (N, C, 1, 1) needs no permute; drop the Permute before it.
  for (let i = 0; i + 2 < lines.length; i++) {
    if (/GlobalAveragePooling2D\(keepdims=True\)|GlobalMaxPooling2D\(keepdims=True\)/.test(lines[i]) && /^layers\.Permute/.test(lines[i + 1])) lines.splice(i + 1, 1);
  }

  const dims = kerasIn.slice(1).map((x: Dim) => (typeof x === 'number' ? String(x) : 'None'));
  const shapeArg = pyTuple(dims);
  const ns = 'keras';
  const code = [...header];
  code.push(`# tensorlens: input=${pyTuple(['None', ...dims])}${isInt ? ' dtype=int64' : ''}`);
  code.push(`${varName} = ${ns}.Sequential(`);
  code.push('    [');
  code.push(`        ${ns}.Input(shape=${shapeArg}${isInt ? ', dtype="int32"' : ''}),`);
  for (const l of lines) code.push(l.startsWith('#') ? `        ${l}` : `        ${l},`);
  code.push('    ],');
  code.push(`    name="${pyIdent(summary.name)}",`);
  code.push(')');
  code.push('');
  if (cf) notes.push({ line: summary.line, message: `Input: PyTorch takes ${pyTuple(['N', ...inShape.slice(1).map(String)])} channels-first; the Keras model takes ${pyTuple(['N', ...dims])} channels-last — feed x.permute${pyTuple(permCfToCl(rank))} (or np.transpose)` });
  const outShape = summary.outputShape;
  const meta: TranslationMeta = {
    modelVar: varName,
    inputs: [{ name: 'x', shape: kerasIn.map((x, i) => (i === 0 ? 1 : typeof x === 'number' ? x : 8)), dtype: isInt ? 'int32' : 'float32' }],
    paramDelta: notes.reduce((s, n) => s + (n.paramDelta ?? 0), 0),
    outputShape: outShape ? (outShape.length >= 3 && cf ? permCfToCl(outShape.length).map((i) => outShape[i]) : outShape).map((x, i) => (i === 0 ? 1 : typeof x === 'number' ? x : null)) : undefined,
  };
  return { code: code.join('\n'), notes, meta };
}

/** Calls the model again on its summary inputs with the leaf-call recorder on. */
export function recordCalls(d: DetailedAnalysis, summary: ModelSummary, inst: InstanceV): CallRecord[] | undefined {
  const ip = d.interp;
  const torch = d.runtimes?.torch;
  if (!ip || !torch) return undefined;
  const inputs: Value[] = summary.inputShapes.map((s) => tensor(s.length ? s.map((x) => (x === null ? sym('B') : x)) : null, summary.layers[0]?.type === 'Embedding' ? 'int64' : 'float32'));
  const rec = { paths: modulePaths(inst), depths: new Map<number, number>(), rows: [] as CallRecord[], seen: new Set<number>(), leafDepth: 0 };
  torch.recorder = rec;
  let output: Value | undefined;
  try {
    output = ip.call(inst, inputs, new Map(), inst.node ?? { t: 'Pass', line: summary.line, col: 0, endLine: summary.line, endCol: 0 } as never);
  } catch {
    return undefined;
  } finally {
    torch.recorder = undefined;
  }
  recorded.set(rec.rows, { inputs, output });
  return rec.rows;
}

const recorded = new WeakMap<CallRecord[], { inputs: Value[]; output: Value | undefined }>();

/** Each leaf consumes exactly the previous leaf's output (the first one the model input), and each leaf runs once. */
function isChain(rows: CallRecord[], inst: InstanceV): boolean {
  void inst;
  const run = recorded.get(rows);
  const inputs = run?.inputs ?? [];
  if (!rows.length || !run || run.output !== rows[rows.length - 1].output) return false;
  const ids = new Set<number>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (ids.has(r.inst.id)) return false;
    ids.add(r.inst.id);
    if (r.inputs.length !== 1) return false;
    const expected = i === 0 ? inputs[0] : rows[i - 1].output;
    if (r.inputs[0] !== expected) return false;
  }
  return true;
}

/** Any forward(): printed statement by statement into a Keras functional model (see forward.ts). */
function translateForward(d: DetailedAnalysis, summary: ModelSummary, inst: InstanceV, rows: CallRecord[] | undefined, dialect: 'keras' | 'tf-keras', header: string[], varName: string): TranslationResult | undefined {
  const ip = d.interp;
  const torch = d.runtimes?.torch;
  if (!ip || !torch) return undefined;
  const notes: TranslationNote[] = [];
  const counts = new Map<number, number>();
  for (const r of rows ?? []) counts.set(r.inst.id, (counts.get(r.inst.id) ?? 0) + 1);
  const fwd = ip.findAttr(inst.cls, 'forward');
  const params = fwd && fwd.k === 'func' ? fwd.params.filter((p) => !p.star).slice(1) : [];
  const isInt = rows?.[0]?.type === 'Embedding' || summary.layers[0]?.type === 'Embedding';
  // The example call's tensors passed by keyword (`model(ids, attention_mask=mask)`) come last
  // in the summary's inputs, in the call's order: they bind to those parameters, not by position.
  const ex = torch.exampleCalls.find((e) => e.inst === inst);
  const kwTensors = [...(ex?.kwargs ?? [])].filter(([, v]) => v.k === 'tensor').map(([k]) => k);
  const positional = ex && kwTensors.length && ex.inputs.length + kwTensors.length === summary.inputShapes.length ? ex.inputs.length : summary.inputShapes.length;
  // Its other keyword arguments (`pool=False`) chose the path the summary followed: the translation follows it too.
  const fromExample = !!ex && (summary.inputSource === 'example-call' || positional < summary.inputShapes.length);
  const constKw = new Map([...(ex?.kwargs ?? [])].filter(([, v]) => v.k !== 'tensor'));
  const inputs: ForwardInput[] = summary.inputShapes.map((s, i) => ({
    name: i < positional ? params[i]?.name ?? `input_${i + 1}` : kwTensors[i - positional],
    ...(i < positional ? {} : { keyword: true }),
    shape: s.map((x) => (typeof x === 'number' ? x : null)),
    int: isInt && i === 0,
  }));
  const channelsLast = [...modulePaths(inst).keys()].length > 0 && hasChannelsFirstLeaf(inst);
  const exampleCalls = torch.exampleCalls.length;
  const printer = new ForwardPrinter(ip, inst, modulePaths(inst), counts, dialect, notes, summary.line + 1, d.analysis.file || undefined);
  let res: ReturnType<ForwardPrinter['run']>;
  try {
    res = printer.run(inputs, channelsLast, fromExample ? constKw : undefined);
  } catch (e) {
    notes.push({ line: summary.line + 1, message: `TODO: ${summary.name}: forward() could not be translated: ${(e as Error).message}` });
    return { code: [...header, `# TODO(tensorlens): ${summary.name}: forward() could not be translated: ${(e as Error).message}`, ''].join('\n'), notes };
  } finally {
    torch.exampleCalls.length = exampleCalls;
  }
  if (rows) {
    // Layers forward() calls whose result never reaches its outputs are left out of a functional Keras model, as uncalled ones.
    const unused = printer.unreachableLayers(res.outputs);
    // Called: in the summary's rows, or translated by the printer (a parametrized layer's row is its inner module's).
    noteUncalledLayers(inst, new Set([...counts.keys(), ...printer.translatedLayers()].filter((id) => !unused.has(id))), torch, summary.line + 1, notes);
  }
  const code = [...header];
  if (printer.helpers.has('WeightOp')) code.push(...weightOpClass(dialect), '');
  const dims = (s: Array<number | null>) => s.slice(1).map((x) => (x === null ? 'None' : String(x)));
  code.push(`# tensorlens: input=${res.inputs.map((x) => pyTuple(['None', ...dims(x.kerasShape)])).join(', ')}${res.inputs.some((x) => x.int) ? ' dtype=int64' : ''}`);
  for (const x of res.inputs) code.push(`${x.var} = keras.Input(shape=${pyTuple(dims(x.kerasShape))}${x.int ? ', dtype="int32"' : ''}, name="${x.var}")`);
  code.push(...res.lines);
  const ins = res.inputs.length === 1 ? res.inputs[0].var : `[${res.inputs.map((x) => x.var).join(', ')}]`;
  const outs = res.outputs.length === 1 ? res.outputs[0].v : `[${res.outputs.map((x) => x.v).join(', ')}]`;
  code.push(`${varName} = keras.Model(${ins}, ${outs}, name="${pyIdent(summary.name)}")`);
  code.push('');
  for (const x of res.inputs) {
    const r = x.kerasShape.length;
    const src = summary.inputShapes[res.inputs.indexOf(x)] ?? [];
    if (x.layout === 'cl') notes.push({ line: summary.line + 1, message: `Input ${x.var}: PyTorch takes ${pyTuple(['N', ...src.slice(1).map(String)])} channels-first; the Keras model takes ${pyTuple(['N', ...dims(x.kerasShape)])} channels-last — feed x.permute${pyTuple(permCfToCl(r))} (or np.transpose)` });
    if (x.int) notes.push({ line: summary.line + 1, message: `Input ${x.var}: token ids (int32 in Keras, torch.long in PyTorch)` });
  }
  const o = res.outputs[0];
  const oShape = o.t.shape ?? [];
  if (o.layout === 'cl' && oShape.length >= 3) notes.push({ line: summary.line + 1, message: `The output is channels-last (${oShape.length === 4 ? 'N, H, W, C' : 'N, ..., C'}) where PyTorch gives channels-first; permute with ${pyTuple(permClToCf(oShape.length))} to compare` });
  const kOut = o.layout === 'cl' && oShape.length >= 3 ? permCfToCl(oShape.length).map((i) => oShape[i]) : oShape;
  const meta: TranslationMeta = {
    modelVar: varName,
    inputs: res.inputs.map((x) => ({ name: x.var, shape: x.kerasShape.map((v, i) => (i === 0 ? 1 : v ?? 8)), dtype: x.int ? 'int32' : 'float32' })),
    paramDelta: notes.reduce((s, n) => s + (n.paramDelta ?? 0), 0),
    outputShape: kOut.map((x, i) => (i === 0 ? 1 : typeof x === 'number' ? x : null)),
  };
  return { code: code.join('\n'), notes, meta };
}

/**
 * Layers with weights that forward() did not call on the summary's input (the heads of a
 * ModuleDict other than the one chosen, a layer kept for later): torch counts their
 * parameters, the Keras model built from forward() has none of them. Stated once, with their
 * size, as a parameter difference.
 */
function noteUncalledLayers(root: InstanceV, called: Set<number>, torch: TorchRuntime, line: number, notes: TranslationNote[]): void {
  const paths = modulePaths(root);
  const seen = new Set<number>();
  const missed: Array<{ path: string; type: string; count: number }> = [];
  const visit = (m: InstanceV) => {
    if (seen.has(m.id)) return;
    seen.add(m.id);
    if (m.layer && !called.has(m.id)) {
      const c = torch.paramCount(m, false).trainable;
      if (c) missed.push({ path: paths.get(m.id) ?? m.layer.spec.name, type: m.layer.spec.name, count: c });
    }
    for (const c of m.children?.values() ?? []) if (c.k === 'instance') visit(c);
  };
  visit(root);
  if (!missed.length) return;
  const total = missed.reduce((n, x) => n + x.count, 0);
  const shown = missed.slice(0, 6).map((x) => `${x.path} (${x.type})`).join(', ');
  notes.push({
    line,
    message: `${missed.length === 1 ? 'Layer' : `${missed.length} layers`} with weights that forward() does not call on this input, or whose result does not reach its output: ${shown}${missed.length > 6 ? ', …' : ''}; the Keras model has no counterpart for ${missed.length === 1 ? 'it' : 'them'}: ${total} parameters fewer (exactly ${total})`,
    paramDelta: -total,
  });
}

/** The WeightOp helper layer: `x <op> w` for a module parameter w; "batch" is w broadcast to x's batch (a class token). */
function weightOpClass(dialect: 'keras' | 'tf-keras'): string[] {
  const [broadcast, shape] = dialect === 'keras' ? ['keras.ops.broadcast_to', 'keras.ops.shape'] : ['tf.broadcast_to', 'tf.shape'];
  return [
    'class WeightOp(layers.Layer):',
    '    """x <op> w, w a weight of the given shape: a PyTorch nn.Parameter used in forward()."""',
    '',
    '    def __init__(self, shape, op, initializer="zeros", **kwargs):',
    '        super().__init__(**kwargs)',
    '        self.op = op',
    '        self.w = self.add_weight(name="w", shape=shape, initializer=initializer)',
    '',
    '    def call(self, x):',
    '        if self.op == "batch":',
    `            return ${broadcast}(self.w, (${shape}(x)[0],) + tuple(self.w.shape[1:]))`,
    '        if self.op == "add":',
    '            return x + self.w',
    '        if self.op == "sub":',
    '            return x - self.w',
    '        if self.op == "rsub":',
    '            return self.w - x',
    '        return x * self.w',
    '',
  ];
}

function hasChannelsFirstLeaf(inst: InstanceV): boolean {
  const seen = new Set<number>();
  const visit = (m: InstanceV): boolean => {
    if (seen.has(m.id)) return false;
    seen.add(m.id);
    if (m.layer && CHANNELS_FIRST.test(m.layer.spec.name)) return true;
    for (const c of m.children?.values() ?? []) if (c.k === 'instance' && visit(c)) return true;
    return false;
  };
  return visit(inst);
}
