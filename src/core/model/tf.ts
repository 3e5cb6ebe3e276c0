// Low-level TensorFlow models: discovery of tf.Module objects and classes, and their
// summary — one row per module owning variables (attribute path, class, its own
// tf.Variables split trainable / non-trainable; Keras layers inside count as Keras
// does), totals, and the output of `__call__` on the input from, in order: the
// directive, the given shapes, `@tf.function(input_signature=...)`, an example call.

import type { Module, Node } from '../python/ast';
import type { Interp } from '../eval/interp';
import { BudgetExceeded } from '../eval/budget';
import { type ClassV, type FuncV, type InstanceV, type Value, tensor } from '../eval/values';
import type { TfRecorder, TfRuntime } from '../frameworks/tf/runtime';
import { TF_NONE } from '../frameworks/tf/ops';
import type { InputDirective } from './directives';
import { assignmentLines, directiveFor, outputShapes } from './common';
import type { AnalyzeOptions, InputSource, LayerRow, ModelSummary } from '../summary/types';
import { type Dim } from '../shapes/dim';

export interface TfCandidate {
  framework: 'tensorflow';
  name: string;
  kind: 'tf-module';
  line: number;
  inst?: InstanceV;
  cls?: ClassV;
}

/** What summarizeTfModel needs of a candidate (the pipeline's own Candidate type fits). */
export interface TfCandidateLike {
  name: string;
  kind: ModelSummary['kind'];
  line: number;
  inst?: InstanceV;
  cls?: ClassV;
}

/** Root rows are labelled this way: the root module's own variables. */
export const TF_ROOT_PATH = '(root)';

/** tf.Module models: module-level variables holding one (not a part of another), then tf.Module subclasses of this file. */
export function discoverTfModels(ip: Interp, tf: TfRuntime, mod: Module): TfCandidate[] {
  const out: TfCandidate[] = [];
  const lines = assignmentLines(mod);
  const globalsInst: Array<[string, InstanceV]> = [];
  for (const [name, v] of ip.globals.vars) if (tf.isTfModule(v)) globalsInst.push([name, v]);
  const childIds = new Set<number>();
  for (const [, inst] of globalsInst) for (const m of tf.submodules(inst).slice(1)) childIds.add(m.id);
  const seen = new Set<number>();
  const covered = new Set<ClassV>();
  for (const [name, inst] of globalsInst) {
    if (childIds.has(inst.id) || seen.has(inst.id)) continue;
    seen.add(inst.id);
    covered.add(inst.cls);
    out.push({ framework: 'tensorflow', name, kind: 'tf-module', line: lines.get(name) ?? inst.cls.node?.line ?? 0, inst });
  }
  for (const [, v] of ip.globals.vars) {
    if (v.k !== 'class' || v.file !== ip.fileName || v.family !== 'tf' || covered.has(v) || tf.childClasses.has(v)) continue;
    if (!ip.isSubclass(v, 'tensorflow.Module')) continue;
    out.push({ framework: 'tensorflow', name: v.name, kind: 'tf-module', line: v.node?.line ?? 0, cls: v });
  }
  return out;
}

export function summarizeTfModel(ip: Interp, tf: TfRuntime, c: TfCandidateLike, options: AnalyzeOptions, directives: InputDirective[]): ModelSummary | undefined {
  let inst = c.inst;
  if (!inst && c.cls) {
    const v = ip.call(c.cls, [], new Map(), c.cls.node!);
    if (!tf.isTfModule(v)) return undefined;
    inst = v;
    c.inst = v;
  }
  if (!inst) return undefined;
  const notes: string[] = [];
  const toTfDim = (d: number | null): Dim => (d === null ? TF_NONE : d);

  let inputs: Value[] | undefined;
  let source: InputSource = 'symbolic';
  const directive = directiveFor(directives, c.line);
  if (directive) {
    inputs = directive.shapes.map((s) => tensor(s.map(toTfDim), directive.dtype ?? 'float32'));
    source = 'directive';
  } else if (options.inputShapes && options.inputShapes.length) {
    inputs = options.inputShapes.map((s) => tensor(s.map(toTfDim)));
    source = 'given';
  } else {
    const sig = inputSignature(ip, inst.cls);
    if (sig) {
      inputs = sig;
      source = 'input-signature';
    } else {
      const ex = tf.exampleCalls.find((e) => e.inst.id === inst!.id) ?? tf.exampleCalls.find((e) => e.inst.cls === inst!.cls);
      if (ex && ex.inputs.length && ex.inputs.every((v) => v.k === 'tensor' && v.shape)) {
        inputs = ex.inputs;
        source = 'example-call';
      }
    }
  }
  if (!inputs) {
    inputs = [tensor(null)];
    notes.push('No input shape found: add `@tf.function(input_signature=[tf.TensorSpec(shape=[None, 784])])` on __call__, an example call, or `# tensorlens: input=(None, 784)`.');
  }

  const rec: TfRecorder = { outputs: new Map<number, Value>(), macs: new Map(), unknownMacs: new Set() };
  const kerasRec = { outputs: new Map<number, Value>() };
  tf.recorder = rec;
  const keras = tf.keras;
  const kerasBefore = keras?.recorder;
  if (keras) keras.recorder = kerasRec;
  let out: Value;
  const node = inst.node ?? c.cls?.node ?? ({ t: 'Pass', line: c.line, col: 0, endLine: c.line, endCol: 0 } as Node);
  try {
    out = ip.call(inst, inputs, new Map(), node);
  } catch (e) {
    if (!(e instanceof BudgetExceeded)) throw e;
    out = { k: 'unknown', why: e.message };
    notes.push(`Forward pass stopped: ${e.message}`);
  } finally {
    tf.recorder = undefined;
    if (keras) keras.recorder = kerasBefore;
  }

  // MACs (frameworks/tf/macs.ts): each row shows the ops its own __call__ evaluated (nested
  // modules have their own rows); the total counts every module, with or without a row.
  const macsOf = (m: InstanceV): number | null => (rec.unknownMacs!.has(m.id) ? null : rec.macs!.get(m.id) ?? 0);
  const rows: LayerRow[] = [];
  const owned = new Set<object>();
  const rowless: string[] = [];
  let trainable = 0;
  let nonTrainable = 0;
  let bytes = 0;
  let unknownParams = false;
  for (const entry of tf.walk(inst)) {
    const { path, depth } = entry;
    const m: InstanceV = entry.inst;
    const isRoot = m === inst;
    const defLine = m.node?.line;
    let tr: number | null = 0;
    let nt = 0;
    let rowBytes = 0;
    let hasOwn = false;
    let o: Value | undefined;
    let type = m.cls.name;
    if (tf.isTfModule(entry.inst)) {
      for (const v of m.attrs.values()) {
        for (const t of tf.variablesIn(v)) {
          if (owned.has(t.param)) continue;
          owned.add(t.param);
          hasOwn = true;
          if (t.param.count === null) tr = null;
          else if (t.param.trainable) tr = tr === null ? null : tr + t.param.count;
          else nt += t.param.count;
          rowBytes += (t.param.count ?? 0) * dtypeBytes(t.dtype);
        }
      }
      const leaf = tf.childModules(m).length === 0;
      if (!hasOwn && !leaf) {
        if ((rec.macs!.get(m.id) ?? 0) > 0) rowless.push(isRoot ? m.cls.name : path);
        continue;
      }
      o = isRoot ? out : rec.outputs.get(m.id);
    } else if (keras) {
      const pc = keras.layerParams(m);
      tr = pc.trainable;
      nt = pc.nonTrainable;
      rowBytes = ((pc.trainable ?? 0) + pc.nonTrainable) * 4;
      o = kerasRec.outputs.get(m.id);
      type = keras.layerType(m);
    } else continue;
    if (tr === null) unknownParams = true;
    else trainable += tr;
    nonTrainable += nt;
    bytes += rowBytes;
    const shapes = o ? outputShapes(o) : [];
    rows.push({
      path: isRoot ? TF_ROOT_PATH : path,
      type,
      outputShape: shapes[0] ?? null,
      params: tr === null ? null : tr + nt,
      trainableParams: tr,
      nonTrainableParams: nt,
      trainable: tr === null || tr > 0 || nt === 0,
      line: isRoot ? c.line : defLine ?? c.line,
      macs: o ? macsOf(m) : null,
      depth: Math.max(0, depth - 1),
      note: o && o.k === 'unknown' ? o.why : o ? undefined : 'not called in the forward pass',
      error: !!(o && o.k === 'unknown' && o.why.startsWith('shape error')),
    });
  }
  if (unknownParams) notes.push('Some variable sizes could not be determined.');
  let macs = 0;
  for (const m of tf.submodules(inst)) macs += rec.macs!.get(m.id) ?? 0;
  if (rowless.length) notes.push(`Mult-adds of ${rowless.join(', ')} (no variables of its own, so no row) are in the total only.`);
  if (rec.unknownMacs!.size) notes.push('Some mult-adds could not be worked out (shapes unknown); the total counts the known ones.');
  if (rec.symbolicMacs && macs > 0) notes.push('Mult-adds are per example: dims that are not numbers (the None batch) count 1.');
  const outputs = outputShapes(out);
  if (out.k === 'unknown') notes.push(`Output unknown: ${out.why}`);
  return {
    name: c.name, kind: 'tf-module', framework: 'tensorflow', line: c.line,
    inputShapes: inputs.map((t) => (t.k === 'tensor' && t.shape ? t.shape : [])),
    inputSource: source,
    outputShape: outputs[0] ?? null,
    outputShapes: outputs.length > 1 ? outputs : undefined,
    totalParams: trainable + nonTrainable, trainableParams: trainable, nonTrainableParams: nonTrainable,
    paramBytes: bytes, macs, layers: rows, notes: [...new Set(notes)],
  };
}

/**
 * `@tf.function(input_signature=[tf.TensorSpec(shape=[None, 784], dtype=tf.float32)])` on the class's
 * `__call__`: read from the decorator's syntax (the interpreter keeps decorated functions as they are).
 */
export function inputSignature(ip: Interp, cls: ClassV): Value[] | undefined {
  const f = ip.findAttr(cls, '__call__');
  if (!f || f.k !== 'func') return undefined;
  const node = (f as FuncV).node;
  if (node.t !== 'FunctionDef') return undefined;
  for (const d of node.decorators) {
    if (d.t !== 'Call') continue;
    const kw = d.args.find((a) => a.kind === 'kw' && a.name === 'input_signature');
    if (!kw) continue;
    const v = ip.eval(kw.value, f.closure);
    const items = v.k === 'list' || v.k === 'tuple' ? v.items : [];
    if (items.length && items.every((x) => x.k === 'tensor' && x.shape)) return items;
  }
  return undefined;
}

function dtypeBytes(dt: string): number {
  if (dt === 'float64' || dt === 'int64' || dt === 'complex64') return 8;
  if (dt === 'float16' || dt === 'bfloat16' || dt === 'int16') return 2;
  if (dt === 'int8' || dt === 'uint8' || dt === 'bool') return 1;
  if (dt === 'complex128') return 16;
  return 4;
}

