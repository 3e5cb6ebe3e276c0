// Subclassed Keras (`class M(keras.Model)`: layers made in __init__, wired in call()) ->
// a PyTorch nn.Module. call() is printed statement by statement alongside the interpreter:
// built-in Keras layers map through KERAS_TO_TORCH with the shapes Keras would see (so
// in_features / in_channels come from propagated shapes), custom Layer subclasses are
// inlined with their own `self` (add_weight becomes nn.Parameter), keras.ops / tf ops map
// to torch calls with channels-last axes remapped, and `trainable=False` becomes
// requires_grad_(False). What cannot be mapped is a TODO line plus a note.

import type { DetailedAnalysis } from '../analyze';
import type { Interp } from '../eval/interp';
import { type FuncV, type InstanceV, type TensorV, type Value, NONE, float, int, str, tensor, tuple, unknown } from '../eval/values';
import { LayerArgs } from '../frameworks/spec';
import type { KerasRuntime } from '../frameworks/keras/runtime';
import type { Node } from '../python/ast';
import type { ModelSummary } from '../summary/types';
import type { Shape } from '../shapes/dim';
import { KERAS_TO_TORCH, type KerasToTorchCtx, type Layout, type TorchStep, torchAxis } from './mappings/keras-to-torch';
import { KERAS_TO_TORCH_ACTIVATION } from './mappings/activations';
import { permClToCf, pyFloat, pyIdent, pyLiteral, pyTuple } from './pyfmt';
import type { TranslationMeta, TranslationNote, TranslationResult } from './types';
import { type PrintFrame, StatementPrinter, refersToName } from './stmt-printer';

/** A torch tensor variable: its name, the tensor Keras holds there (channels-last) and the layout torch keeps it in. */
interface TT {
  k: 'tt'; v: string; t: TensorV; layout: Layout;
  /** The source expression of the channel (last Keras) dim when it comes from a constructor argument. */
  dimExpr?: string;
  act?: { kind: 'softmax' | 'sigmoid'; pre: TT; line: number; attr?: string } }
interface PyS { k: 'py'; v: Value }
interface TupS { k: 'tup'; items: S[] }
interface NaS { k: 'na'; why: string }
type S = TT | PyS | TupS | NaS;
const py = (v: Value): PyS => ({ k: 'py', v });

class Unsupported extends Error {}

interface Frame extends PrintFrame<S> { self: InstanceV | undefined; frozen: boolean }

export interface SubclassedOptions {
  /** Drop this activation when it is the model's last step (the loss takes logits). */
  dropFinal?: 'softmax' | 'sigmoid';
}

interface Module { attr: string; ctor: string; todos: string[]; inst?: InstanceV }

export function translateKerasSubclassed(d: DetailedAnalysis, summary: ModelSummary, inst: InstanceV, opts: SubclassedOptions = {}): TranslationResult {
  const keras = d.runtimes!.keras;
  const ip = d.interp!;
  const notes: TranslationNote[] = [];
  const modelLine = summary.line;
  const callFn = ip.findAttr(inst.cls, 'call');
  const fail = (msg: string): TranslationResult => {
    notes.push({ line: modelLine, message: `TODO: ${summary.name}: ${msg}` });
    return { code: `# TODO(tensorlens): ${summary.name}: ${msg}\n`, notes };
  };
  if (!callFn || callFn.k !== 'func') return fail('the subclassed model has no call() to translate');
  const printer = new CallPrinter(ip, keras, inst, notes, modelLine + 1);
  let res: ReturnType<CallPrinter['run']>;
  try {
    res = printer.run(callFn, summary.inputShapes, inputDtype(keras, summary, inst), opts.dropFinal);
  } catch (e) {
    return fail(`call() could not be translated: ${(e as Error).message}`);
  }

  // Constructor: the source signature; layer sizes set directly by its arguments keep the argument.
  const init = ip.findAttr(inst.cls, '__init__');
  const initParams = init && init.k === 'func' ? init.params.slice(1).filter((p) => !p.star) : [];
  const sig = initParams.map((p) => {
    const dv = init && init.k === 'func' ? init.defaults.get(p.name) : undefined;
    const lit = dv ? pyLiteral(dv) ?? 'None' : undefined;
    return lit !== undefined ? `${p.name}=${lit}` : p.name;
  });
  const ctorArgs = constructorCallArgs(ip, inst, initParams.map((p) => p.name));
  if (initParams.length) {
    const used = initParams.map((p) => p.name).filter((n) => printer.modules.some((m) => new RegExp(`\\b${n}\\b`).test(m.ctor)));
    notes.push({ line: (init && init.k === 'func' ? init.node.line : modelLine) + 1, message: `${inst.cls.name}(${initParams.map((p) => p.name).join(', ')}): the constructor keeps its arguments${used.length ? ` (${used.join(', ')} set layer sizes, and input sizes that follow from them)` : ''}; the other input sizes (in_features / in_channels) are numbers propagated from the analysed input ${pyTuple(summary.inputShapes[0]?.map((x) => (typeof x === 'number' ? x : 'None')) ?? [])}` });
  }

  const meta: TranslationMeta = { modelVar: pyIdent(summary.name), inputs: [], paramDelta: 0 };
  res.inputs.forEach((x) => {
    const shape = (x.t.shape ?? []).map((dd, j) => (j === 0 ? 1 : typeof dd === 'number' ? dd : UNKNOWN_EXAMPLE_DIM));
    const torchShape = x.layout === 'cf' && shape.length >= 3 ? permClToCf(shape.length).map((j) => shape[j]) : shape;
    const isInt = /int/.test(x.t.dtype);
    meta.inputs.push({ name: x.v, shape: torchShape, dtype: isInt ? 'int64' : 'float32', ...(isInt ? { high: printer.embeddingHigh ?? 100 } : {}) });
    const keep = pyTuple((x.t.shape ?? []).map((dd, j) => (j === 0 ? 'N' : typeof dd === 'number' ? dd : '?')));
    if (x.layout === 'cf' && shape.length >= 3) notes.push({ line: modelLine, message: `Input ${x.v}: Keras takes ${keep} channels-last; the PyTorch model takes channels-first ${pyTuple(['N', ...torchShape.slice(1)])} — feed x.permute${pyTuple(permClToCf(shape.length))}` });
    if (isInt) notes.push({ line: modelLine, message: `Input ${x.v}: token ids as torch.long (int64)` });
  });
  const o0 = res.outputs[0];
  const os = o0.t.shape;
  if (os) {
    const b1 = os.map((dd, j) => (j === 0 ? 1 : typeof dd === 'number' ? dd : null));
    meta.outputShape = o0.layout === 'cf' && b1.length >= 3 ? permClToCf(b1.length).map((j) => b1[j]) : b1;
    if (o0.layout === 'cf' && b1.length >= 3) notes.push({ line: modelLine, message: `The output is channels-first where Keras gives channels-last; permute with .permute${pyTuple([0, ...Array.from({ length: b1.length - 2 }, (_, i) => i + 2), 1])} to compare` });
  }
  if (res.dropped) meta.finalActivationDropped = res.dropped;
  meta.paramDelta = notes.reduce((s, n) => s + (n.paramDelta ?? 0), 0);

  const className = pyIdent(inst.cls.name);
  const out: string[] = [];
  out.push(`# Translated by TensorLens from Keras (subclassed model \`${inst.cls.name}\`${d.analysis.file ? ` in ${d.analysis.file}` : ''}, line ${modelLine}) to PyTorch.`);
  out.push('# Layout: PyTorch is channels-first (N, C, H, W); see the notes for how to feed the model.');
  out.push('import torch');
  out.push('import torch.nn as nn');
  if ([...res.lines, ...printer.modules.map((m) => m.ctor)].some((l) => /\bF\./.test(l))) out.push('import torch.nn.functional as F');
  out.push('');
  out.push(`# tensorlens: input=${meta.inputs.map((x) => pyTuple(x.shape)).join(', ')}${meta.inputs.some((x) => x.dtype === 'int64') ? ' dtype=int64' : ''}`);
  out.push(`class ${className}(nn.Module):`);
  out.push(`    def __init__(${['self', ...sig].join(', ')}):`);
  out.push('        super().__init__()');
  for (const m of printer.modules) {
    for (const t of m.todos) out.push(`        # TODO(tensorlens): ${t}`);
    out.push(`        self.${m.attr} = ${m.ctor}`);
  }
  out.push('');
  out.push(`    def forward(self, ${res.inputs.map((x) => x.v).join(', ')}):`);
  for (const l of res.lines) out.push(`        ${l}`);
  out.push(`        return ${res.outputs.map((o) => o.v).join(', ')}`);
  out.push('');
  out.push('');
  out.push(`${meta.modelVar} = ${className}(${ctorArgs})`);
  out.push('');
  out.push(...exampleMain(meta, res.outputs.length));
  return { code: out.join('\n'), notes, meta };
}

function inputDtype(keras: KerasRuntime, summary: ModelSummary, inst: InstanceV): string {
  const first = summary.layers[0]?.type;
  const st = keras.state(inst);
  const ex = st.exampleInputs?.[0];
  if (ex && ex.k === 'tensor' && /int/.test(ex.dtype)) return 'int32';
  return first === 'Embedding' ? 'int32' : 'float32';
}

/**
 * The size the example inputs give a dim Keras leaves free (a sequence length, an image side):
 * large enough for the downsampling of common backbones (five halvings) and long kernels.
 */
export const UNKNOWN_EXAMPLE_DIM = 64;

/**
 * The generated file's `__main__` block: the model called once on random inputs of the
 * example shapes, in inference mode (as Keras' predict: BatchNormalization on its moving
 * statistics, which also lets a batch of one through), printing each output's shape.
 */
export function exampleMain(meta: TranslationMeta, outputs: number): string[] {
  const example = meta.inputs.map((x) => (x.dtype === 'int64' ? `torch.randint(0, ${x.high}, ${pyTuple(x.shape)})` : `torch.randn${pyTuple(x.shape)}`));
  return [
    'if __name__ == "__main__":',
    `    ${meta.modelVar}.eval()`,
    '    with torch.no_grad():',
    `        out = ${meta.modelVar}(${example.join(', ')})`,
    outputs > 1 ? '    print([o.shape for o in out])' : '    print(out.shape)',
    '',
  ];
}

/** The analysed instance's constructor call, as Python literals bound by parameter name (empty when it used the defaults). */
function constructorCallArgs(ip: Interp, inst: InstanceV, params: string[]): string {
  const n = inst.node;
  if (!n || n.t !== 'Call') return '';
  const parts: string[] = [];
  let i = 0;
  for (const a of n.args) {
    if (a.kind !== 'pos' && a.kind !== 'kw') continue;
    const name = a.kind === 'kw' ? a.name : params[i++];
    if (!name || !params.includes(name)) continue;
    const lit = pyLiteral(ip.eval(a.value, ip.globals));
    if (lit === undefined) continue;
    parts.push(`${name}=${lit}`);
  }
  // Arguments passed as `*args` / `**config` (from_config's `cls(**config)`): the values the
  // instance keeps under the parameters' names (what get_config reads back), for those not given above.
  if (n.args.some((a) => a.kind === 'star' || a.kind === 'dstar')) {
    for (const name of params) {
      const v = inst.attrs.get(name);
      const lit = v && !parts.some((p) => p.startsWith(`${name}=`)) ? pyLiteral(v) : undefined;
      if (lit !== undefined) parts.push(`${name}=${lit}`);
    }
  }
  return parts.join(', ');
}

/** Modules without parameters: freezing them changes nothing, so they are left as they are. */
const PARAMLESS = /^nn\.(ReLU|ReLU6|Sigmoid|Tanh|GELU|ELU|SELU|SiLU|Softplus|Softsign|Softmax|LogSoftmax|Mish|LeakyReLU|Hardsigmoid|Identity|Flatten|Dropout\w*|AlphaDropout|MaxPool\w+|AvgPool\w+|Adaptive\w+|Upsample|ZeroPad2d|ConstantPad\w+)\(/;

/** Layers that keep the channel count: the channel size expression of the input carries to the output. */
const PRESERVE = /^(Activation|ReLU|LeakyReLU|ELU|PReLU|Softmax|Dropout|SpatialDropout\dD|AlphaDropout|GaussianNoise|GaussianDropout|BatchNormalization|LayerNormalization|(Max|Average)Pooling\dD|Global(Average|Max)Pooling\dD|ZeroPadding\dD|Cropping\dD|UpSampling\dD|Add|Subtract|Multiply|Average|Maximum|Minimum|Identity|Rescaling)$/;

const lastDimOf = (t: TensorV) => (t.shape && t.shape.length ? t.shape[t.shape.length - 1] : undefined);

/** The channel expression of an operand with the same rank and last dim as the result. */
function carry(out: TT, from: S[]): void {
  const d = lastDimOf(out.t);
  if (typeof d !== 'number') return;
  const src = from.find((x): x is TT => x.k === 'tt' && !!x.dimExpr && lastDimOf(x.t) === d && (x.t.shape?.length ?? 0) === (out.t.shape?.length ?? -1));
  if (src) out.dimExpr = src.dimExpr;
}

/** `module.requires_grad_(False)` (it returns the module): the torch side of Keras' trainable=False. */
export function freezeModule(ctor: string): string {
  return PARAMLESS.test(ctor) ? ctor : `${ctor}.requires_grad_(False)`;
}

// ------------------------------------------------------------------ the printer

const SENTINEL = 987654321;

class CallPrinter extends StatementPrinter<S, Frame> {
  readonly lines: string[] = [];
  readonly modules: Module[] = [];
  embeddingHigh: number | undefined;
  private readonly usedAttrs = new Set<string>();
  private readonly paths = new Map<number, string>();
  /** Steps of a layer already registered (shared layers are called again with the same modules). */
  private readonly registered = new Map<number, { steps: TorchStep[]; wants: Layout | 'any'; gives: Layout | 'same'; outExpr?: string }>();
  private readonly weights = new Map<string, TT>();
  private readonly noted = new Set<string>();
  private depth = 0;
  private line: number;
  private rootInitParams: Set<string>;

  constructor(
    protected readonly ip: Interp,
    private readonly keras: KerasRuntime,
    private readonly root: InstanceV,
    private readonly notes: TranslationNote[],
    modelLine: number,
  ) {
    super();
    this.line = modelLine;
    this.collectPaths(root, '', 0);
    const init = ip.findAttr(root.cls, '__init__');
    this.rootInitParams = new Set(init && init.k === 'func' ? init.params.slice(1).map((p) => p.name) : []);
  }

  /** Attribute paths of every sub-layer (`block1_conv1`, `blocks_0`), from the instance tree. */
  private collectPaths(inst: InstanceV, prefix: string, depth: number): void {
    if (depth > 30) return;
    const entries: Array<[string, Value]> = [...inst.attrs];
    // A Sequential's layers live in its state, not in attributes.
    const st = this.keras.state(inst);
    if (st.kind === 'sequential') (st.layers ?? []).forEach((l, i) => entries.push([String(i), l]));
    for (const [name, v] of entries) {
      const items: Array<[string, Value]> = v.k === 'list' || v.k === 'tuple' ? v.items.map((x, i) => [`${name}_${i}`, x]) : [[name, v]];
      for (const [n, x] of items) {
        if (!this.keras.isKeras(x) || this.paths.has(x.id) || x === this.root) continue;
        this.paths.set(x.id, pyIdent(`${prefix}${n}`));
        this.collectPaths(x, `${prefix}${n}_`, depth + 1);
      }
    }
  }

  run(call: FuncV, inputShapes: Shape[], dtype: string, dropFinal?: 'softmax' | 'sigmoid'): { lines: string[]; inputs: TT[]; outputs: TT[]; dropped?: 'softmax' | 'sigmoid' } {
    const params = call.params.slice(1).filter((p) => !p.star);
    const first = params[0]?.name ?? 'inputs';
    const inputs: TT[] = inputShapes.map((s, i) => {
      const t = tensor(s.length ? s : null, i === 0 ? dtype : 'float32');
      const r = s.length;
      // The first layer that consumes it decides the layout torch is fed (as the functional path does).
      return { k: 'tt', v: this.fresh(inputShapes.length === 1 ? (first === 'inputs' ? 'x' : first) : `${first}_${i}`), t, layout: r >= 3 && this.firstWantsCf() ? 'cf' : 'cl' };
    });
    const env = new Map<string, S>();
    env.set('self', py(this.root));
    if (params[0]) env.set(params[0].name, inputs.length === 1 ? inputs[0] : { k: 'tup', items: inputs });
    for (const p of params.slice(1)) {
      if (p.name === 'training') env.set(p.name, { k: 'na', why: 'training flag' });
      else env.set(p.name, py(call.defaults.get(p.name) ?? NONE));
    }
    this.frames.push({ env, closure: call.closure, self: this.root, frozen: !this.keras.state(this.root).trainable });
    const r = this.block(call.body);
    const out = r && r !== 'break' ? r.ret : py(NONE);
    let outputs = out.k === 'tt' ? [out] : out.k === 'tup' && out.items.every((x) => x.k === 'tt') ? (out.items as TT[]) : [];
    if (!outputs.length) throw new Unsupported(`call() returns ${out.k === 'na' ? out.why : 'something that is not a tensor'}`);
    let dropped: 'softmax' | 'sigmoid' | undefined;
    if (dropFinal && outputs.length === 1 && outputs[0].act?.kind === dropFinal) {
      const a = outputs[0].act;
      this.lines[a.line] = '';
      if (a.attr) {
        const i = this.modules.findIndex((m) => m.attr === a.attr);
        if (i >= 0) this.modules.splice(i, 1);
      }
      outputs = [a.pre];
      dropped = dropFinal;
      this.notes.push({ line: this.line, message: `The final ${dropFinal} is dropped: the PyTorch loss takes logits (${dropFinal === 'softmax' ? 'nn.CrossEntropyLoss' : 'nn.BCEWithLogitsLoss'}); apply torch.${dropFinal}(model(x)${dropFinal === 'softmax' ? ', dim=-1' : ''}) to get Keras' probabilities` });
    }
    return { lines: this.lines.filter((l) => l !== ''), inputs, outputs, dropped };
  }

  private firstWantsCf(): boolean {
    // The first tracked built-in layer (in assignment order) that cares about layout.
    for (const l of this.keras.state(this.root).tracked) {
      const type = l.layer?.spec.name;
      const rule = type ? KERAS_TO_TORCH[type] : undefined;
      if (rule && rule.wants !== 'any') return rule.wants === 'cf';
      if (!l.layer) {
        for (const s of this.keras.state(l).tracked) {
          const r2 = s.layer ? KERAS_TO_TORCH[s.layer.spec.name] : undefined;
          if (r2 && r2.wants !== 'any') return r2.wants === 'cf';
        }
      }
    }
    return false;
  }

  // ---- naming and emission

  private attrName(base: string): string {
    let a = pyIdent(base);
    while (this.usedAttrs.has(a)) a += '_';
    this.usedAttrs.add(a);
    return a;
  }

  private note(message: string, paramDelta?: number): void {
    const key = `${this.line}:${message}`;
    if (this.noted.has(key)) return;
    this.noted.add(key);
    this.notes.push({ line: this.line, message, ...(paramDelta ? { paramDelta } : {}) });
  }

  protected todo(message: string): NaS {
    this.notes.push({ line: this.line, message: `TODO: ${message}` });
    this.lines.push(`# TODO(tensorlens): ${message}`);
    return { k: 'na', why: message };
  }

  private emit(expr: string, t: TensorV, layout: Layout, hint?: string): TT {
    const v = this.fresh(hint ?? 'x');
    this.lines.push(`${v} = ${expr}`);
    return { k: 'tt', v, t, layout: (t.shape?.length ?? 0) >= 3 ? layout : 'cl' };
  }

  /** The expression of `s` in layout `l` (a permute when it differs). */
  private inLayout(s: TT, l: Layout): string {
    const r = s.t.shape?.length ?? 0;
    if (r < 3 || s.layout === l) return s.v;
    const perm = l === 'cf' ? permClToCf(r) : [0, ...Array.from({ length: r - 2 }, (_, i) => i + 2), 1];
    return `${s.v}.permute${pyTuple(perm)}`;
  }

  // ---- statements

  protected atStatement(s: Node): void {
    this.line = s.line + 1;
  }

  protected override undecidedWhy(test: S): string {
    return test.k === 'na' && test.why === 'training flag' ? ' (it depends on `training`: use `if self.training:` in PyTorch)' : '';
  }

  // ---- expressions

  protected tv(s: S): Value {
    switch (s.k) {
      case 'tt': return s.t;
      case 'py': return s.v;
      case 'tup': return { k: 'list', items: s.items.map((x) => this.tv(x)) };
      default: return unknown(s.why);
    }
  }

  protected ev(n: Node, hint?: string): S {
    switch (n.t) {
      case 'Num': return py(n.isInt ? int(n.v) : float(n.v));
      case 'Str': return py(str(n.v));
      case 'Const': return py(n.v === null ? NONE : { k: 'bool', v: n.v });
      case 'Name': return this.lookup(n.id);
      case 'Tuple':
      case 'List': {
        const items = n.elts.map((e) => this.ev(e));
        return items.every((x) => x.k === 'py') ? py(n.t === 'List' ? { k: 'list', items: items.map((x) => this.tv(x)) } : tuple(items.map((x) => this.tv(x)))) : { k: 'tup', items };
      }
      case 'Attr': {
        const o = this.ev(n.obj);
        if (o.k === 'py') {
          const v = this.ip.getAttr(o.v, n.attr, n);
          if (o.v.k === 'instance' && this.keras.isKeras(o.v) && v.k === 'tensor' && !v.origin) {
            const w = this.weight(o.v, n.attr, v);
            if (w) return w;
          }
          return py(v);
        }
        if (o.k === 'tt') {
          if (n.attr === 'shape') return py(this.ip.getAttr(o.t, 'shape', n));
          return this.todo(`tensor attribute .${n.attr} on line ${n.line + 1} is not translated`);
        }
        return o.k === 'na' ? o : this.todo(`attribute .${n.attr} of a ${o.k} value`);
      }
      case 'Subscript': {
        const o = this.ev(n.obj);
        const idx = this.ev(n.index);
        if (o.k === 'na') return o;
        if (o.k === 'tup') {
          const i = idx.k === 'py' && idx.v.k === 'int' && typeof idx.v.v === 'number' ? idx.v.v : null;
          if (i === null) return this.todo('indexing a tuple with an unknown index');
          return o.items[i < 0 ? i + o.items.length : i] ?? this.todo(`index ${i} out of range`);
        }
        if (o.k === 'py' && idx.k === 'py') return py(this.ip.getItem(o.v, idx.v));
        if (o.k === 'tt' && idx.k === 'py') return this.slice(o, idx.v, hint);
        return this.todo(`indexing on line ${n.line + 1} is not translated`);
      }
      case 'Call': return this.call(n, hint);
      case 'BinOp': return this.binop(n.op, this.ev(n.left), this.ev(n.right), hint);
      case 'UnaryOp': {
        const o = this.ev(n.operand);
        if (o.k === 'py') return py(this.ip.unary(n.op, o.v));
        if (o.k === 'tt' && n.op === '-') return this.emit(`-${o.v}`, o.t, o.layout, hint);
        return o.k === 'na' ? o : this.todo(`unary ${n.op} of a tensor`);
      }
      case 'IfExp': {
        const test = this.ev(n.test);
        const truth = test.k === 'py' ? this.ip.truthy(test.v) : null;
        if (truth === null) return this.todo(`conditional expression on line ${n.line + 1} is not known before running the model`);
        return this.ev(truth ? n.body : n.orelse, hint);
      }
      default:
        if (this.pure(n)) return py(this.ip.eval(n, this.scope()));
        return this.todo(`${n.t} expression on line ${n.line + 1} is not translated`);
    }
  }

  /** x[:, -1] and friends in the channels-last layout (indices stay Keras' own). */
  private slice(o: TT, idx: Value, hint?: string): S {
    const parts = idx.k === 'tuple' ? idx.items : [idx];
    const txt: string[] = [];
    for (const p of parts) {
      if (p.k === 'int' && typeof p.v === 'number') txt.push(String(p.v));
      else if (p.k === 'slice') {
        const b = (x: Value) => (x.k === 'none' ? '' : x.k === 'int' && typeof x.v === 'number' ? String(x.v) : null);
        const [s0, s1, s2] = [b(p.start), b(p.stop), b(p.step)];
        if (s0 === null || s1 === null || s2 === null) return this.todo('a slice with unknown bounds');
        txt.push(`${s0}:${s1}${s2 ? `:${s2}` : ''}`);
      } else if (p.k === 'none') txt.push('None');
      else return this.todo('tensor indexing with a computed index');
    }
    const r = this.ip.getItem(o.t, idx);
    const t = r.k === 'tensor' ? r : tensor(null);
    return this.emit(`${this.inLayout(o, 'cl')}[${txt.join(', ')}]`, t, 'cl', hint);
  }

  private call(n: Node & { t: 'Call' }, hint?: string): S {
    const fn = this.ev(n.fn);
    if (fn.k === 'na') return fn;
    const a = this.args(n);
    if ('k' in a) return a;
    const { args, kwargs } = a;
    const isLayer = fn.k === 'py' && fn.v.k === 'instance' && this.keras.isKeras(fn.v);
    if (isLayer) {
      // training= / mask= are Keras call conventions: torch uses model.train()/eval() and no masks.
      for (const k of ['training', 'mask']) {
        const v = kwargs.get(k);
        if (k === 'mask' && v && !(v.k === 'py' && v.v.k === 'none')) this.note(`line ${this.line}: mask= is dropped — torch layers take no Keras masks (use key_padding_mask / pack_padded_sequence)`);
        kwargs.delete(k);
      }
    }
    const missing = [...args, ...kwargs.values()].find((s) => s.k === 'na');
    if (missing) return missing;
    if (fn.k !== 'py') return this.todo(`call of a ${fn.k} value on line ${n.line + 1}`);
    const f = fn.v;
    const anyTensor = [...args, ...kwargs.values()].some((s) => s.k === 'tt' || (s.k === 'tup' && s.items.some((x) => x.k === 'tt')));
    if (isLayer) return this.callLayer(f as InstanceV, args, kwargs, n, hint);
    if (f.k === 'builtin' && anyTensor) return this.op(f.name, args, kwargs, () => this.ip.call(f, args.map((x) => this.tv(x)), new Map([...kwargs].map(([k, v]) => [k, this.tv(v)])), n), hint);
    if (f.k === 'bound' && f.func.k === 'func' && anyTensor) return this.inline(f.func, [py(f.self), ...args], kwargs);
    if (f.k === 'func' && anyTensor) return this.inline(f, args, kwargs);
    if (!anyTensor) return py(this.ip.call(f, args.map((x) => this.tv(x)), new Map([...kwargs].map(([k, v]) => [k, this.tv(v)])), n));
    return this.todo(`call on line ${n.line + 1} (${f.k}) with tensor arguments is not translated`);
  }

  private inline(f: FuncV, args: S[], kwargs: Map<string, S>, self?: InstanceV, frozen?: boolean): S {
    if (++this.depth > 40) throw new Unsupported('calls nest too deep');
    const env = new Map<string, S>();
    let i = 0;
    for (const p of f.params) {
      if (p.star === '*') { env.set(p.name, { k: 'tup', items: args.slice(i) }); i = args.length; continue; }
      if (p.star === '**') { env.set(p.name, py({ k: 'dict', keys: [], vals: [] })); continue; }
      if (!p.kwOnly && i < args.length) env.set(p.name, args[i++]);
      else if (kwargs.has(p.name)) env.set(p.name, kwargs.get(p.name)!);
      else if (p.name === 'training') env.set(p.name, { k: 'na', why: 'training flag' });
      else env.set(p.name, py(f.defaults.get(p.name) ?? unknown(`argument '${p.name}' not given`)));
    }
    const saved = this.line;
    this.frames.push({ env, closure: f.closure, self: self ?? this.frame.self, frozen: frozen ?? this.frame.frozen });
    try {
      if (f.expr) return this.ev(f.expr);
      const r = this.block(f.body);
      return r && r !== 'break' ? r.ret : py(NONE);
    } finally {
      this.frames.pop();
      this.depth--;
      this.line = saved;
    }
  }

  // ---- layers

  private callLayer(inst: InstanceV, args: S[], kwargs: Map<string, S>, n: Node, hint?: string): S {
    const st = this.keras.state(inst);
    const frozen = this.frame.frozen || !st.trainable;
    const name = this.paths.get(inst.id) ?? pyIdent(st.name || inst.cls.name.toLowerCase());
    const userCall = this.ip.findAttrWithOwner(inst.cls, 'call');
    if (st.kind === 'sequential') {
      let x: S = args[0] ?? py(NONE);
      for (const l of st.layers ?? []) {
        x = this.callLayer(l, [x], new Map(), n, hint);
        if (x.k === 'na') return x;
      }
      return x;
    }
    if (st.kind === 'functional') return this.todo(`${name}: a functional Keras model used inside call() is not translated; translate it on its own and call it`);
    if (!inst.layer || (userCall && userCall.v.k === 'func')) {
      if (!userCall || userCall.v.k !== 'func') return this.todo(`${name}: ${inst.cls.name} has no call()`);
      if (!st.trainable && !this.frame.frozen) this.note(`${name} (${inst.cls.name}) is frozen (trainable=False): every parameter inside it gets requires_grad=False`);
      return this.inline(userCall.v, [py(inst), ...args], kwargs, inst, frozen);
    }
    // A built-in layer: the Keras output shape from the runtime, the torch modules from the table.
    const type = inst.layer.spec.name;
    const tensors: TT[] = [];
    const collect = (s: S) => {
      if (s.k === 'tt') tensors.push(s);
      else if (s.k === 'tup') s.items.forEach(collect);
    };
    args.forEach(collect);
    for (const k of ['query', 'value', 'key', 'inputs']) if (kwargs.has(k)) collect(kwargs.get(k)!);
    if (!tensors.length) return this.todo(`${name}: ${type} called without a tensor`);
    const out = this.ip.call(inst, args.map((x) => this.tv(x)), new Map([...kwargs].map(([k, v]) => [k, this.tv(v)])), n);
    const outT = out.k === 'tensor' ? out : out.k === 'tuple' || out.k === 'list' ? (out.items[0]?.k === 'tensor' ? out.items[0] : tensor(null)) : tensor(null);
    if (out.k !== 'tensor' && out.k !== 'tuple' && out.k !== 'list') return this.todo(`${name}: ${type} gives ${out.k === 'unknown' ? out.why : 'no tensor'} here`);
    if (type === 'Embedding') this.embeddingHigh = new LayerArgs(inst.layer.args, type).int('input_dim') ?? undefined;
    const rule = KERAS_TO_TORCH[type];
    let reg = this.registered.get(inst.id);
    if (!reg) {
      const defLine = (inst.node?.line ?? this.line - 1) + 1;
      const todos: string[] = [];
      const ctx = (values: Map<string, Value>, silent: boolean, inShapes?: Array<Shape | null>): KerasToTorchCtx => ({
        a: new LayerArgs(values, type),
        inShapes: inShapes ?? tensors.map((x) => x.t.shape), outShape: outT.shape, name,
        note: silent ? () => undefined : (message, paramDelta) => this.notes.push({ line: defLine, message, ...(paramDelta ? { paramDelta } : {}) }),
        todo: silent ? () => undefined : (message) => { todos.push(message); this.notes.push({ line: defLine, message: `TODO: ${message}` }); },
        wrapped: (v: Value) => (v.k === 'instance' && v.layer ? { type: v.layer.spec.name, a: new LayerArgs(v.layer.args, v.layer.spec.name) } : undefined),
        layerClass: inst.cls,
      });
      let steps: TorchStep[];
      if (!rule) {
        ctx(inst.layer.args, false).todo(`${name}: ${type} has no PyTorch mapping; replaced by nn.Identity()`);
        steps = [{ module: 'nn.Identity()' }];
      } else steps = rule.steps(ctx(inst.layer.args, false));
      // Layer sizes set straight from a constructor argument keep the argument.
      let outExpr: string | undefined;
      const outDim = outT.shape ? outT.shape[outT.shape.length - 1] : null;
      steps = steps.map((s) => {
        if (!('module' in s) || !rule) return s;
        const k = this.keepArgs(inst, s.module, rule.steps.bind(rule), ctx, tensors.map((x) => x.t.shape), tensors[0].dimExpr, typeof outDim === 'number' ? outDim : null);
        outExpr ??= k.outExpr;
        return { ...s, module: k.ctor };
      });
      if (frozen) {
        steps = steps.map((s) => ('module' in s ? { ...s, module: freezeModule(s.module) } : s));
        this.notes.push({ line: defLine, message: `${name} is frozen (trainable=False${this.frame.frozen && st.trainable ? ', through its parent' : ''}): requires_grad_(False) on its PyTorch parameters${type === 'BatchNormalization' ? '; Keras also runs a frozen BatchNormalization in inference mode — call .eval() on it in PyTorch' : ''}` });
      }
      const withAttrs: TorchStep[] = steps.map((s, si) => {
        if (!('module' in s)) return s;
        const attr = this.attrName(s.suffix && steps.filter((x) => 'module' in x).length > 1 ? `${name}_${s.suffix}` : name);
        this.modules.push({ attr, ctor: s.module, todos: si === 0 ? todos : [], inst });
        return { ...s, module: attr };
      });
      reg = { steps: withAttrs, wants: rule?.wants ?? 'any', gives: rule?.gives ?? 'same', outExpr };
      this.registered.set(inst.id, reg);
    } else this.note(`${name} is called more than once: the same PyTorch module is reused (shared weights), as in Keras`);
    const target: Layout = reg.wants === 'any' ? (tensors.find((x) => (x.t.shape?.length ?? 0) >= 3)?.layout ?? 'cl') : reg.wants;
    let exprs = tensors.map((x) => this.inLayout(x, target));
    const rank0 = tensors[0].t.shape?.length ?? 2;
    const layoutIn: Layout = rank0 >= 3 ? target : 'cl';
    const outRank = outT.shape?.length ?? rank0;
    const layout: Layout = outRank < 3 ? 'cl' : reg.gives === 'same' ? layoutIn : reg.gives;
    const render = (step: TorchStep): string => {
      let expr = 'module' in step ? (step.call ?? '$m($0)').replace(/\$m/g, `self.${step.module}`) : step.expr;
      expr = expr.replace(/\{axis:(-?\d+)\}/g, (_m, ax: string) => String(torchAxis(Number(ax), rank0, layoutIn)));
      return expr.replace(/\$(\d+)/g, (_m, i: string) => exprs[Number(i)] ?? 'None');
    };
    const last = reg.steps[reg.steps.length - 1];
    // A folded activation goes on its own line, so a loss that takes logits can drop it.
    const splitAct = !!last && 'module' in last && last.suffix === 'act' && reg.steps.length > 1;
    for (const step of splitAct ? reg.steps.slice(0, -1) : reg.steps) exprs = [render(step)];
    let result = this.emit(exprs[0] ?? 'None', outT, layout, hint);
    if (splitAct && 'module' in last) {
      const pre = result;
      exprs = [pre.v];
      result = this.emit(render(last), outT, layout, hint);
      const ctor = this.modules.find((m) => m.attr === last.module)?.ctor ?? '';
      const kind = /^nn\.Softmax\(/.test(ctor) ? 'softmax' : /^nn\.Sigmoid\(/.test(ctor) ? 'sigmoid' : undefined;
      if (kind) result.act = { kind, pre, line: this.lines.length - 1, attr: last.module };
    }
    if ((type === 'Activation' || type === 'Softmax') && reg.steps.length === 1 && 'module' in reg.steps[0]) {
      const ctor = this.modules.find((m) => m.attr === (reg!.steps[0] as { module: string }).module)?.ctor ?? '';
      const kind = /^nn\.Softmax\(/.test(ctor) ? 'softmax' : /^nn\.Sigmoid\(/.test(ctor) ? 'sigmoid' : undefined;
      if (kind) result.act = { kind, pre: tensors[0], line: this.lines.length - 1, attr: (reg.steps[0] as { module: string }).module };
    }
    if (reg.outExpr) result.dimExpr = reg.outExpr;
    else if (PRESERVE.test(type)) carry(result, tensors);
    if (result.act) result.act.pre.dimExpr ??= result.dimExpr;
    return result;
  }

  /**
   * Puts the model's constructor arguments back into a module constructor: a size set straight
   * from an argument (`units=hidden_units // 2`) and an input size carried from an earlier layer
   * (`in_features` = the previous layer's `hidden_units`). Each is found by re-running the rule with
   * a sentinel value: the one place where the output changes is where the expression goes.
   */
  private keepArgs(inst: InstanceV, ctor: string, steps: (c: KerasToTorchCtx) => TorchStep[], ctx: (v: Map<string, Value>, silent: boolean, inShapes?: Array<Shape | null>) => KerasToTorchCtx, inShapes: Array<Shape | null>, inExpr: string | undefined, outDim: number | null): { ctor: string; outExpr?: string } {
    const base = ctor.replace(/\.requires_grad_\(False\)$/, '');
    const edits: Array<{ at: number; len: number; text: string; out: boolean }> = [];
    const probe = (values: Map<string, Value>, shapes: Array<Shape | null>, sentinelText: string, curText: string): number | undefined => {
      let alt: TorchStep[];
      try {
        alt = steps(ctx(values, true, shapes));
      } catch {
        return undefined;
      }
      const m = alt.find((x) => 'module' in x && x.module.split(sentinelText).length === 2 && x.module.split(sentinelText).join(curText) === base);
      return m && 'module' in m ? m.module.indexOf(sentinelText) : undefined;
    };
    const wrap = (text: string) => (/^[A-Za-z_][A-Za-z0-9_.]*$/.test(text) ? text : `(${text})`);
    const call = inst.node;
    if (inst.layer && call && call.t === 'Call' && this.rootInitParams.size && this.keras.state(this.root).tracked.includes(inst)) {
      // Only layers built by the model's own __init__ see its arguments.
      const sig = inst.layer.spec.signature.filter((p) => !p.star);
      let i = 0;
      for (const a of call.args) {
        if (a.kind !== 'pos' && a.kind !== 'kw') continue;
        const pname = a.kind === 'kw' ? a.name : sig[i++]?.name;
        if (!pname) continue;
        const text = unparse(a.value);
        if (!text || !refersToName(a.value, this.rootInitParams)) continue;
        const cur = inst.layer.args.get(pname);
        if (!cur || (cur.k !== 'int' && cur.k !== 'float') || typeof cur.v !== 'number') continue;
        const sentinelText = cur.k === 'int' ? String(SENTINEL) : pyFloat(SENTINEL + 0.5);
        const curText = cur.k === 'int' ? String(cur.v) : pyFloat(cur.v);
        const at = probe(new Map(inst.layer.args).set(pname, cur.k === 'int' ? int(SENTINEL) : float(SENTINEL + 0.5)), inShapes, sentinelText, curText);
        if (at !== undefined) edits.push({ at, len: curText.length, text, out: /^(units|filters|output_dim)$/.test(pname) && cur.v === outDim });
      }
    }
    const s0 = inShapes[0];
    const inDim = s0 ? s0[s0.length - 1] : undefined;
    if (inExpr && s0 && typeof inDim === 'number' && inst.layer) {
      const shapes = [[...s0.slice(0, -1), SENTINEL + 2], ...inShapes.slice(1)];
      const at = probe(inst.layer.args, shapes, String(SENTINEL + 2), String(inDim));
      if (at !== undefined) edits.push({ at, len: String(inDim).length, text: inExpr, out: false });
    }
    let out = ctor;
    for (const e of [...edits].sort((x, y) => y.at - x.at)) {
      if (edits.some((o) => o !== e && o.at < e.at + e.len && e.at < o.at + o.len)) continue;
      out = out.slice(0, e.at) + wrap(e.text) + out.slice(e.at + e.len);
    }
    return { ctor: out, outExpr: edits.find((e) => e.out)?.text };
  }

  /** A custom layer's add_weight tensor: an nn.Parameter registered once. */
  private weight(owner: InstanceV, attr: string, t: TensorV): TT | undefined {
    const decl = weightDecl(this.ip, owner, attr);
    if (!decl) return undefined;
    const key = `${owner.id}.${attr}`;
    const hit = this.weights.get(key);
    if (hit) return hit;
    const path = this.paths.get(owner.id);
    const name = this.attrName(owner === this.root ? attr : `${path ?? 'layer'}_${attr}`);
    const dims = (t.shape ?? []).map((x) => (typeof x === 'number' ? x : null));
    const line = decl.line + 1;
    if (dims.some((x) => x === null) || !dims.length) {
      this.notes.push({ line, message: `TODO: ${attr}: add_weight shape ${pyTuple(dims.map((x) => x ?? '?'))} is not fully known` });
      return undefined;
    }
    const shape = dims.join(', ');
    const init = decl.init ?? 'glorot_uniform';
    let make: string;
    switch (init) {
      case 'zeros': make = `torch.zeros(${shape})`; break;
      case 'ones': make = `torch.ones(${shape})`; break;
      case 'random_normal': make = `torch.randn(${shape}) * 0.05`; break;
      case 'random_uniform': make = `torch.empty(${shape}).uniform_(-0.05, 0.05)`; break;
      case 'he_normal': make = dims.length >= 2 ? `nn.init.kaiming_normal_(torch.empty(${shape}).t()).t()` : `torch.zeros(${shape})`; break;
      case 'glorot_uniform': case 'glorot_normal': default:
        make = dims.length >= 2 ? `nn.init.xavier_${init === 'glorot_normal' ? 'normal' : 'uniform'}_(torch.empty(${shape}))` : `torch.zeros(${shape})`;
    }
    const frozen = this.frame.frozen || !decl.trainable;
    this.modules.push({ attr: name, ctor: `nn.Parameter(${make}${frozen ? ', requires_grad=False' : ''})`, todos: [] });
    this.notes.push({ line, message: `${attr} = self.add_weight(shape=${pyTuple(dims as number[])}${decl.init ? `, initializer="${decl.init}"` : ''}) becomes nn.Parameter self.${name}${frozen ? ' with requires_grad=False' : ''}${['zeros', 'ones', 'random_normal', 'random_uniform', 'glorot_uniform', 'glorot_normal', 'he_normal'].includes(init) && (dims.length >= 2 || /zeros|ones|random/.test(init)) ? '' : ` (initializer "${init}" approximated)`}` });
    const sym: TT = { k: 'tt', v: `self.${name}`, t, layout: 'cl' };
    this.weights.set(key, sym);
    return sym;
  }

  // ---- ops and operators

  protected binop(op: string, l: S, r: S, hint?: string): S {
    if (l.k === 'na') return l;
    if (r.k === 'na') return r;
    if (l.k === 'py' && r.k === 'py') return py(this.ip.binop(op, l.v, r.v));
    if (l.k === 'tup' || r.k === 'tup') return this.todo(`operator ${op} on a list of tensors (line ${this.line})`);
    const result = this.ip.binop(op, this.tv(l), this.tv(r));
    const t = result.k === 'tensor' ? result : tensor(null);
    const opText = op === '@' ? '@' : op;
    if (!['+', '-', '*', '/', '@', '**', '//'].includes(op)) return this.todo(`operator ${op} on a tensor (line ${this.line})`);
    const ts = [l, r].filter((x): x is TT => x.k === 'tt');
    const big = ts.filter((x) => (x.t.shape?.length ?? 0) >= 3);
    // Broadcasting follows Keras' axes: with a lower-rank tensor operand (a bias) everything goes channels-last.
    const mixed = ts.some((x) => (x.t.shape?.length ?? 0) < 3 && (x.t.shape?.length ?? 0) > 0);
    const layout: Layout = op === '@' || mixed ? 'cl' : big[0]?.layout ?? 'cl';
    const side = (s: S) => (s.k === 'tt' ? this.inLayout(s, layout) : s.k === 'py' ? pyLiteral(s.v) ?? null : null);
    const a = side(l);
    const b = side(r);
    if (a === null || b === null) return this.todo(`operator ${op} with a value that has no literal (line ${this.line})`);
    const res = this.emit(`${a} ${opText} ${b}`, t, layout, hint);
    if (op !== '@') carry(res, [l, r]);
    return res;
  }

  private op(fullName: string, args: S[], kwargs: Map<string, S>, keras: () => Value, hint?: string): S {
    const name = fullName.split('.').pop() ?? fullName;
    const result = keras();
    const t = result.k === 'tensor' ? result : tensor(null);
    if (result.k === 'unknown') return this.todo(`${fullName}: ${result.why}`);
    const x = args[0];
    const arg = (k: string, pos: number): S | undefined => kwargs.get(k) ?? args[pos];
    const intOf = (s: S | undefined): number | null => (s && s.k === 'py' && s.v.k === 'int' && typeof s.v.v === 'number' ? s.v.v : null);
    const act = KERAS_TO_TORCH_ACTIVATION[name === 'swish' ? 'silu' : name];
    const elem: Record<string, string> = { exp: 'torch.exp($0)', log: 'torch.log($0)', sqrt: 'torch.sqrt($0)', abs: 'torch.abs($0)', square: 'torch.square($0)', negative: '-$0', relu6: 'F.relu6($0)', leaky_relu: 'F.leaky_relu($0, 0.2)' };
    if (x && x.k === 'tt' && (name === 'softmax' || name === 'log_softmax')) {
      const axis = intOf(arg('axis', 1)) ?? -1;
      const r = x.t.shape?.length ?? 2;
      const out = this.emit(`torch.${name}(${x.v}, dim=${torchAxis(axis, r, x.layout)})`, t, x.layout, hint);
      carry(out, [x]);
      if (name === 'softmax' && (axis === -1 || axis === r - 1)) out.act = { kind: 'softmax', pre: x, line: this.lines.length - 1 };
      return out;
    }
    if (x && x.k === 'tt' && (elem[name] || (act && name !== 'softmax' && name !== 'log_softmax'))) {
      if (name === 'leaky_relu') this.note(`line ${this.line}: leaky_relu's negative slope is 0.2 in Keras (torch's default is 0.01): written out`);
      const out = this.emit((elem[name] ?? act.torchFn).replace(/\$0/g, x.v), t, x.layout, hint);
      carry(out, [x]);
      if (name === 'sigmoid') out.act = { kind: 'sigmoid', pre: x, line: this.lines.length - 1 };
      return out;
    }
    if (['add', 'subtract', 'multiply', 'divide'].includes(name) && args.length >= 2) return this.binop({ add: '+', subtract: '-', multiply: '*', divide: '/' }[name]!, args[0], args[1], hint);
    if (name === 'matmul' && args.length >= 2) return this.binop('@', args[0], args[1], hint);
    if ((name === 'maximum' || name === 'minimum') && args[0]?.k === 'tt' && args[1]?.k === 'tt') return this.emit(`torch.${name}(${this.inLayout(args[0], 'cl')}, ${this.inLayout(args[1], 'cl')})`, t, 'cl', hint);
    if (name === 'concatenate' || name === 'concat' || name === 'stack') {
      const xs = arg('xs', 0) ?? arg('values', 0);
      const items = xs?.k === 'tup' ? xs.items : [];
      if (!items.length || !items.every((s) => s.k === 'tt')) return this.todo(`${fullName} of values that are not all tensors`);
      const tts = items as TT[];
      const axis = intOf(arg('axis', 1)) ?? (name === 'stack' ? 0 : name === 'concatenate' ? 0 : -1);
      const r = tts[0].t.shape?.length ?? 2;
      const layout: Layout = name === 'stack' ? 'cl' : tts.find((s) => (s.t.shape?.length ?? 0) >= 3)?.layout ?? 'cl';
      const dim = name === 'stack' ? axis : torchAxis(axis, r, layout);
      return this.emit(`torch.${name === 'stack' ? 'stack' : 'cat'}([${tts.map((s) => this.inLayout(s, layout)).join(', ')}], dim=${dim})`, t, layout, hint);
    }
    if (!x || x.k !== 'tt') return this.todo(`${fullName}() on line ${this.line} has no PyTorch mapping here`);
    if (['mean', 'sum', 'max', 'min', 'reduce_mean', 'reduce_sum', 'reduce_max', 'reduce_min'].includes(name)) {
      const base = name.replace(/^reduce_/, '');
      const fn = base === 'max' ? 'amax' : base === 'min' ? 'amin' : base;
      const axisS = arg('axis', 1);
      const keep = arg('keepdims', 2);
      const keepdims = keep && keep.k === 'py' && this.ip.truthy(keep.v) === true;
      const r = x.t.shape?.length ?? 2;
      const axes: Value[] | null = axisS && axisS.k === 'py' ? (axisS.v.k === 'int' ? [axisS.v] : this.ip.iterate(axisS.v) ?? null) : null;
      if (!axisS || (axisS.k === 'py' && axisS.v.k === 'none')) return this.emit(`torch.${fn}(${x.v})`, t, 'cl', hint);
      const nums = (axes ?? []).map((v) => (v.k === 'int' && typeof v.v === 'number' ? v.v : null));
      if (!axes || nums.some((v) => v === null)) return this.todo(`${fullName}: axis is not known`);
      const dims = (nums as number[]).map((v) => torchAxis(v, r, x.layout));
      const outLayout: Layout = keepdims ? x.layout : dims.includes(x.layout === 'cf' ? 1 : r - 1) ? 'cl' : x.layout;
      if (!keepdims && x.layout === 'cf' && r >= 3 && !dims.includes(1)) {
        // Channels stay but the tensor shrinks: compute in channels-last to keep Keras' axis order.
        return this.emit(`torch.${fn}(${this.inLayout(x, 'cl')}, dim=${pyTuple((nums as number[]).map((v) => (v < 0 ? v + r : v)))}${keepdims ? ', keepdim=True' : ''})`, t, 'cl', hint);
      }
      return this.emit(`torch.${fn}(${x.v}, dim=${dims.length === 1 ? dims[0] : pyTuple(dims)}${keepdims ? ', keepdim=True' : ''})`, t, outLayout, hint);
    }
    if (name === 'reshape') {
      const s = arg('shape', 1);
      const lit = s && s.k === 'py' ? pyLiteral(s.v.k === 'list' ? tuple(s.v.items) : s.v) : undefined;
      if (!lit) return this.todo(`${fullName}: the target shape is not known`);
      return this.emit(`torch.reshape(${this.inLayout(x, 'cl')}, ${lit})`, t, 'cl', hint);
    }
    if (name === 'flatten') return this.emit(`torch.flatten(${this.inLayout(x, 'cl')})`, t, 'cl', hint);
    if (name === 'expand_dims' || name === 'squeeze') {
      const axis = intOf(arg('axis', 1));
      if (name === 'expand_dims' && axis === null) return this.todo(`${fullName}: axis is not known`);
      return this.emit(name === 'expand_dims' ? `torch.unsqueeze(${this.inLayout(x, 'cl')}, ${axis})` : `torch.squeeze(${this.inLayout(x, 'cl')}${axis === null ? '' : `, ${axis}`})`, t, 'cl', hint);
    }
    if (name === 'transpose') {
      const p = arg('axes', 1) ?? arg('perm', 1);
      const lit = p && p.k === 'py' ? (this.ip.iterate(p.v) ?? []).map((v) => (v.k === 'int' ? String(v.v) : '?')) : null;
      if (!lit || lit.includes('?')) return this.todo(`${fullName}: the permutation is not known`);
      return this.emit(`${this.inLayout(x, 'cl')}.permute(${lit.join(', ')})`, t, 'cl', hint);
    }
    if (name === 'cast') {
      const dt = arg('dtype', 1);
      const s = dt && dt.k === 'py' && dt.v.k === 'str' ? dt.v.v : '';
      return this.emit(`${x.v}.${/int/.test(s) ? 'long' : 'float'}()`, t, x.layout, hint);
    }
    if (name === 'identity' || name === 'stop_gradient') return this.emit(name === 'identity' ? x.v : `${x.v}.detach()`, t, x.layout, hint);
    return this.todo(`${fullName}() on line ${this.line} has no PyTorch mapping`);
  }
}

/** `self.<attr> = self.add_weight(...)` in the class' build() or __init__ (from the AST): initializer, trainable, line. */
function weightDecl(ip: Interp, owner: InstanceV, attr: string): { init?: string; trainable: boolean; line: number } | undefined {
  for (const cls of ip.mro(owner.cls)) {
    for (const m of ['build', '__init__']) {
      const f = cls.attrs.get(m);
      if (!f || f.k !== 'func') continue;
      let found: { init?: string; trainable: boolean; line: number } | undefined;
      const visit = (body: Node[]) => {
        for (const s of body) {
          if (found) return;
          if (s.t === 'Assign' && s.value.t === 'Call' && s.value.fn.t === 'Attr' && s.value.fn.attr === 'add_weight'
            && s.targets.some((tg) => tg.t === 'Attr' && tg.attr === attr && tg.obj.t === 'Name' && tg.obj.id === 'self')) {
            let init: string | undefined;
            let trainable = true;
            for (const a of s.value.args) {
              if (a.kind !== 'kw') continue;
              if (a.name === 'initializer' && a.value.t === 'Str') init = a.value.v;
              if (a.name === 'trainable' && a.value.t === 'Const' && a.value.v === false) trainable = false;
            }
            found = { init, trainable, line: s.line };
          } else if (s.t === 'If' || s.t === 'For' || s.t === 'While') {
            visit(s.body);
            visit(s.orelse);
          }
        }
      };
      visit(f.body);
      if (found) return found;
    }
  }
  return undefined;
}

/** Python text of a simple expression (names, numbers, arithmetic, attributes); undefined for anything else. */
export function unparse(n: Node, depth = 0): string | undefined {
  if (depth > 20) return undefined;
  switch (n.t) {
    case 'Name': return n.id;
    case 'Num': return n.isInt ? String(n.v) : pyFloat(n.v);
    case 'Str': return JSON.stringify(n.v);
    case 'Const': return n.v === null ? 'None' : n.v ? 'True' : 'False';
    case 'Attr': {
      const o = unparse(n.obj, depth + 1);
      return o === undefined ? undefined : `${o}.${n.attr}`;
    }
    case 'BinOp': {
      const l = unparse(n.left, depth + 1);
      const r = unparse(n.right, depth + 1);
      const wrap = (s: string, x: Node) => (x.t === 'BinOp' ? `(${s})` : s);
      return l === undefined || r === undefined ? undefined : `${wrap(l, n.left)} ${n.op} ${wrap(r, n.right)}`;
    }
    case 'UnaryOp': {
      const o = unparse(n.operand, depth + 1);
      return o === undefined ? undefined : `${n.op === 'not' ? 'not ' : n.op}${o}`;
    }
    case 'Tuple':
    case 'List': {
      const items = n.elts.map((e) => unparse(e, depth + 1));
      if (items.some((x) => x === undefined)) return undefined;
      return n.t === 'List' ? `[${items.join(', ')}]` : items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
    }
    case 'Call': {
      const f = unparse(n.fn, depth + 1);
      const args = n.args.map((a) => (a.kind === 'pos' ? unparse(a.value, depth + 1) : a.kind === 'kw' ? (() => { const v = unparse(a.value, depth + 1); return v === undefined ? undefined : `${a.name}=${v}`; })() : undefined));
      return f === undefined || args.some((x) => x === undefined) ? undefined : `${f}(${args.join(', ')})`;
    }
    default: return undefined;
  }
}
