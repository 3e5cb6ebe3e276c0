// Low-level TensorFlow (tf.Module) -> PyTorch nn.Module / Keras 3 Layer, where the mapping is
// clear. Each tf.Module class of the model is printed from its source: __init__ statement by
// statement (tf.Variable -> nn.Parameter / register_buffer / add_weight), __call__ by a printer
// that runs alongside the interpreter so every tensor keeps the shape TF computes (ranks for
// layout changes, axes to remap). PyTorch runs convolutions and pools on N, C, *spatial:
// a tensor is either 'tf' (the same as TF's) or 'cf' (TF's channels-last permuted to
// channels-first); module inputs and outputs stay in TF's layout. Constructs without a clear
// mapping become `# TODO(tensorlens): ...` with a note.

import type { DetailedAnalysis } from '../analyze';
import type { Interp } from '../eval/interp';
import { type ClassV, type FuncV, type InstanceV, type Scope, type Value, NONE, bool, float, int, list, str, tuple, unknown } from '../eval/values';
import type { Node } from '../python/ast';
import type { TfRuntime } from '../frameworks/tf/runtime';
import { TF_OPS } from '../frameworks/tf/ops';
import { inputSignature } from '../model/tf';
import type { ModelSummary } from '../summary/types';
import { KERAS_TO_TORCH, type KerasToTorchCtx } from './mappings/keras-to-torch';
import { exampleMain } from './from-keras-subclassed';
import { HELPER_DEPS, TORCH_HELPERS, initializerKind, kerasInitializerClass } from './mappings/tf-helpers';
import { LayerArgs } from '../frameworks/spec';
import { permCfToCl, permClToCf, pyFloat, pyIdent, pyLiteral, pyStr, pyTuple } from './pyfmt';
import type { TranslationMeta, TranslationNote, TranslationResult } from './types';

type Target = 'torch' | 'keras';
type Lay = 'tf' | 'cf';

interface Sym {
  code: string;
  v: Value;
  lay: Lay;
  /** Safe to use as an operand without parentheses. */
  atom: boolean;
  /** `self.<attr>` holding a tf.Variable. */
  varAttr?: string;
  /** An initializer object (called with a shape). */
  isInit?: boolean;
}

interface Frame {
  env: Map<string, Sym>;
  self: InstanceV;
  selfName: string;
  closure: Scope;
  out: string[];
  ind: string;
  /** Submodule outputs go back to TF's layout; the root may return channels-first. */
  root: boolean;
  /** Inside __init__: values are not traced (constructor arguments are not known). */
  init: boolean;
  /** Keras build(): `x.shape` of the call's first input is `input_shape`. */
  shapeAlias?: { name: string; alias: string };
}

interface ClassOut {
  cls: ClassV;
  inst: InstanceV;
  callParams: string[];
  callLines: string[];
  buildLines: string[];
  /** Attribute -> the PyTorch layout its variable must take (from its use as a conv filter). */
  filterPerm: Map<string, { perm: number[]; reshape?: string; why: string }>;
  traced: boolean;
}

class Unsupported extends Error {}

const atom = (code: string, v: Value, lay: Lay = 'tf'): Sym => ({ code, v, lay, atom: true });
const expr = (code: string, v: Value, lay: Lay = 'tf'): Sym => ({ code, v, lay, atom: false });
const paren = (s: Sym) => (s.atom ? s.code : `(${s.code})`);
const rankOf = (v: Value): number => (v.k === 'tensor' && v.shape ? v.shape.length : -1);
const isTensor = (v: Value) => v.k === 'tensor';

export function translateTfModel(d: DetailedAnalysis, summary: ModelSummary, inst: InstanceV, target: 'pytorch' | 'keras' | 'tf-keras'): TranslationResult {
  const rt = d.runtimes?.tf;
  const ip = d.interp as Interp | undefined;
  if (!rt || !ip) return { code: '', notes: [{ line: summary.line, message: 'The TensorFlow runtime is not available for this analysis.' }] };
  const t = new TfPrinter(ip, rt, target === 'pytorch' ? 'torch' : 'keras', summary, d.analysis.file);
  const before = rt.recorder;
  rt.recorder = { outputs: new Map() };
  try {
    return t.run(inst);
  } finally {
    rt.recorder = before;
  }
}

class TfPrinter {
  readonly notes: TranslationNote[] = [];
  private readonly classes = new Map<ClassV, ClassOut>();
  private readonly order: ClassV[] = [];
  private readonly helpers = new Set<string>();
  private readonly globalsUsed = new Map<string, string>();
  private line = 0;
  private tmp = 0;

  constructor(private readonly ip: Interp, private readonly tf: TfRuntime, private readonly target: Target, private readonly summary: ModelSummary, private readonly file: string | undefined) {}

  private note(message: string, line = this.line): void {
    this.notes.push({ line: line + 1, message });
  }

  private todo(f: Frame, message: string): void {
    this.note(`TODO: ${message}`);
    f.out.push(`${f.ind}# TODO(tensorlens): ${message} (line ${this.line + 1})`);
  }

  private helper(name: string): void {
    for (const dep of HELPER_DEPS[name] ?? []) this.helper(dep);
    this.helpers.add(name);
  }

  run(root: InstanceV): TranslationResult {
    const s = this.summary;
    const inputs = s.inputShapes;
    const rootOut = this.classFor(root);
    const sig = inputSignature(this.ip, root.cls) ?? this.tf.exampleCalls.find((e) => e.inst.id === root.id)?.inputs;
    if (sig && sig[0] && sig[0].k === 'tensor') this.firstInputDtype = sig[0].dtype;
    const fwdInputs = inputs.map((shape, i) => {
      const dt = i === 0 && /int/.test(this.inputDtype(root) ?? '') ? 'int32' : 'float32';
      return { shape, dtype: dt };
    });
    let outSym: Sym | undefined;
    try {
      outSym = this.traceCall(rootOut, fwdInputs.map((x) => ({ k: 'tensor' as const, shape: x.shape, dtype: x.dtype })), true);
    } catch (e) {
      this.note(`TODO: ${root.cls.name}.__call__ could not be translated: ${(e as Error).message}`, s.line - 1);
    }
    for (const c of this.order) if (!this.classes.get(c)!.traced) this.traceUncalled(this.classes.get(c)!);

    const classes: string[] = [];
    for (const c of this.order) classes.push('', ...this.classCode(this.classes.get(c)!, c === root.cls).flatMap((l) => l.split('\n')), '');
    // Code kept as the source wrote it that still names Keras / TensorFlow (a Keras model
    // held by the module) does not run in PyTorch: each such line gets a TODO.
    if (this.target === 'torch') {
      for (let i = classes.length - 1; i >= 0; i--) {
        const line = classes[i];
        if (line.trimStart().startsWith('#') || !/\b(keras|tf)\.\w/.test(line)) continue;
        const indent = line.slice(0, line.length - line.trimStart().length);
        const msg = `line kept from the TensorFlow source still uses ${/\bkeras\./.test(line) ? 'Keras' : 'TensorFlow'} (\`${line.trim().slice(0, 60)}\`); translate it by hand`;
        classes.splice(i, 0, `${indent}# TODO(tensorlens): ${msg}`);
        this.note(`TODO: ${msg}`, s.line - 1);
      }
    }
    const ctor = this.ctorCall(root);
    const code: string[] = [];
    const torch = this.target === 'torch';
    code.push(`# Translated by TensorLens from TensorFlow (tf.Module \`${s.name}\`${this.file ? ` in ${this.file}` : ''}, line ${s.line}) to ${torch ? 'PyTorch' : 'Keras 3'}.`);
    if (torch) {
      code.push('# Layout: module inputs and outputs keep TensorFlow\'s layout (channels-last); convolutions and pools run on');
      code.push('# N, C, *spatial inside, with their filters stored in PyTorch\'s layout. See the notes.');
      code.push('import torch', 'import torch.nn as nn', 'import torch.nn.functional as F');
    } else {
      code.push('import keras', 'from keras import ops');
    }
    code.push('');
    for (const [k, v] of this.globalsUsed) code.push(`${k} = ${v}`);
    if (this.globalsUsed.size) code.push('');
    for (const h of ['window', 'conv', 'convTranspose', 'pool', 'initializer']) {
      if (this.helpers.has(h)) code.push('', TORCH_HELPERS[h]);
    }
    code.push(...classes);
    const meta: TranslationMeta = { modelVar: pyIdent(s.kind === 'tf-module' && s.name === root.cls.name ? s.name.replace(/^[A-Z]/, (x) => x.toLowerCase()) : s.name), inputs: [], paramDelta: 0 };
    const intIn = /int/.test(this.inputDtype(root) ?? '');
    meta.inputs = inputs.map((shape, i) => ({
      name: `x${i}`, shape: shape.map((dd, j) => (j === 0 ? 1 : typeof dd === 'number' ? dd : 8)),
      dtype: i === 0 && intIn ? (torch ? 'int64' : 'int32') : 'float32',
      ...(i === 0 && intIn ? { high: this.idsHigh(root) } : {}),
    }));
    if (intIn && torch) this.note('Token ids are torch.long (int64) in PyTorch', s.line - 1);
    if (outSym && outSym.v.k === 'tensor' && outSym.v.shape) {
      const b1 = outSym.v.shape.map((dd, j) => (j === 0 ? 1 : typeof dd === 'number' ? dd : null));
      meta.outputShape = b1;
    }
    code.push('', `# tensorlens: input=${meta.inputs.map((x) => pyTuple(x.shape.map((dd, j) => (j === 0 ? 'None' : dd)))).join(', ')}${intIn ? ` dtype=${torch ? 'int64' : 'int32'}` : ''}`);
    code.push(`${meta.modelVar} = ${ctor}`);
    code.push('');
    if (torch) code.push(...exampleMain(meta, outSym && (outSym.v.k === 'tuple' || outSym.v.k === 'list') ? 2 : 1));
    return { code: code.join('\n'), notes: this.notes, meta };
  }

  private inputDtype(root: InstanceV): string | undefined {
    void root;
    const m = this.summary;
    return m.inputShapes.length ? this.firstInputDtype : undefined;
  }

  private firstInputDtype = 'float32';

  /** Vocabulary size for integer inputs: the first dim of a variable used by embedding_lookup, else 100. */
  private idsHigh(root: InstanceV): number {
    void root;
    return this.embeddingRows ?? 100;
  }

  private embeddingRows: number | undefined;

  /** `Name(args)` as the source built the model, else `Name()`. */
  private ctorCall(root: InstanceV): string {
    const n = root.node;
    if (n && n.t === 'Call') {
      const f = this.frameFor(root, true, []);
      try {
        const c = this.call(n, f);
        if (!/TODO/.test(c.code)) return c.code;
      } catch {
        // fall through
      }
    }
    return `${root.cls.name}()`;
  }

  // ------------------------------------------------------------------ classes

  private classFor(inst: InstanceV): ClassOut {
    let co = this.classes.get(inst.cls);
    if (!co) {
      co = { cls: inst.cls, inst, callParams: [], callLines: [], buildLines: [], filterPerm: new Map(), traced: false };
      this.classes.set(inst.cls, co);
      this.order.push(inst.cls);
    }
    return co;
  }

  private frameFor(inst: InstanceV, init: boolean, out: string[], closure?: Scope): Frame {
    return { env: new Map(), self: inst, selfName: 'self', closure: closure ?? this.ip.globals, out, ind: '        ', root: false, init };
  }

  /** Prints `__call__` of the class as forward() / call(), traced with these inputs; returns its output. */
  private traceCall(co: ClassOut, args: Value[], root: boolean): Sym | undefined {
    const fn = this.ip.findAttr(co.cls, '__call__');
    if (!fn || fn.k !== 'func') throw new Unsupported(`${co.cls.name} has no __call__`);
    const f = this.frameFor(co.inst, false, co.callLines, (fn as FuncV).closure);
    f.root = root;
    const params = (fn as FuncV).node.t === 'FunctionDef' ? ((fn as FuncV).node as Extract<Node, { t: 'FunctionDef' }>).params : [];
    co.traced = true;
    let ai = 0;
    for (const [i, p] of params.entries()) {
      if (i === 0) {
        f.selfName = p.name;
        continue;
      }
      if (p.star) {
        co.callParams.push(`${p.star}${p.name}`);
        continue;
      }
      const dflt = p.default ? this.lit(p.default, f) : undefined;
      co.callParams.push(dflt !== undefined ? `${p.name}=${dflt}` : p.name);
      const v = args[ai++] ?? (p.default ? this.ip.eval(p.default, f.closure) : unknown(p.name));
      f.env.set(p.name, atom(p.name, v));
    }
    this.line = (fn as FuncV).node.line;
    return this.block((fn as FuncV).node.t === 'FunctionDef' ? ((fn as FuncV).node as Extract<Node, { t: 'FunctionDef' }>).body : [], f);
  }

  /** A class whose __call__ never ran in the trace: a TODO body. */
  private traceUncalled(co: ClassOut): void {
    co.traced = true;
    co.callParams = ['*args'];
    co.callLines.push(`        # TODO(tensorlens): ${co.cls.name}.__call__ was not called in the traced forward pass; translate it by hand`, '        raise NotImplementedError');
    this.note(`TODO: ${co.cls.name}.__call__ was not called in the traced forward pass`, co.cls.node?.line ?? 0);
  }

  private classCode(co: ClassOut, isRoot: boolean): string[] {
    const torch = this.target === 'torch';
    const out: string[] = [];
    const base = torch ? 'nn.Module' : isRoot ? 'keras.Model' : 'keras.layers.Layer';
    out.push(`class ${co.cls.name}(${base}):`);
    const init = this.ip.findAttr(co.cls, '__init__');
    const initLines: string[] = [];
    let initParams = '';
    if (init && init.k === 'func' && init.node.t === 'FunctionDef') {
      const f = this.frameFor(co.inst, true, initLines, init.closure);
      const ps: string[] = [];
      init.node.params.forEach((p, i) => {
        if (i === 0) {
          f.selfName = p.name;
          return;
        }
        const dflt = p.default ? this.lit(p.default, f) : undefined;
        if (p.star) ps.push(`${p.star}${p.name}`);
        else ps.push(dflt !== undefined ? `${p.name}=${dflt}` : p.name);
        f.env.set(p.name, atom(p.name, unknown(p.name)));
      });
      initParams = ps.length ? `, ${ps.join(', ')}` : '';
      this.line = init.node.line;
      this.initCo = co;
      try {
        this.block(init.node.body, f);
      } finally {
        this.initCo = undefined;
      }
    }
    if (!initLines.some((l) => /super\(\)\.__init__/.test(l))) initLines.unshift('        super().__init__()');
    out.push(`    def __init__(self${initParams}):`, ...initLines, '');
    if (co.buildLines.length) {
      out.push('    def build(self, input_shape):', ...co.buildLines, '');
    }
    out.push(`    def ${torch ? 'forward' : 'call'}(self${co.callParams.length ? `, ${co.callParams.join(', ')}` : ''}):`);
    out.push(...(co.callLines.length ? co.callLines : ['        pass']));
    return out;
  }

  private initCo: ClassOut | undefined;

  // ------------------------------------------------------------------ statements

  private block(body: Node[], f: Frame): Sym | undefined {
    let ret: Sym | undefined;
    for (const s of body) {
      const r = this.stmt(s, f);
      if (r) ret ??= r;
    }
    return ret;
  }

  private stmt(n: Node, f: Frame): Sym | undefined {
    this.line = n.line;
    try {
      switch (n.t) {
        case 'Expr': {
          if (n.value.t === 'Str') return undefined;
          const s = this.ex(n.value, f);
          if (s.code) f.out.push(`${f.ind}${s.code}`);
          return undefined;
        }
        case 'Assign':
          this.assign(n.targets, n.value, f);
          return undefined;
        case 'AnnAssign':
          if (n.value) this.assign([n.target], n.value, f);
          return undefined;
        case 'AugAssign': {
          const bin = { ...n, t: 'BinOp' as const, op: n.op.replace(/=$/, ''), left: n.target, right: n.value };
          this.assign([n.target], bin as Node, f);
          return undefined;
        }
        case 'Return': {
          if (!n.value) {
            f.out.push(`${f.ind}return`);
            return undefined;
          }
          let s = this.ex(n.value, f);
          if (!f.root || this.target === 'keras') s = this.toTf(s);
          else if (s.lay === 'cf' && s.v.k === 'tensor' && s.v.shape) {
            this.note(`The output is channels-first (N, C, ...) where TensorFlow gives channels-last; permute with .permute${pyTuple(permCfToCl(s.v.shape.length))} to compare`);
            s = { ...s, v: { ...s.v, shape: permClToCf(s.v.shape.length).map((i) => (s.v as { shape: NonNullable<typeof s.v extends { shape: infer S } ? S : never> }).shape![i]) } };
          }
          f.out.push(`${f.ind}return ${s.code}`);
          return s;
        }
        case 'If':
          return this.ifStmt(n, f);
        case 'For': {
          const it = this.ex(n.iter, f);
          const iv = it.v;
          const first: Value = iv.k === 'list' || iv.k === 'tuple' ? iv.items[0] ?? unknown('empty') : unknown('loop item');
          const tgt = this.targetCode(n.target);
          f.out.push(`${f.ind}for ${tgt} in ${it.code}:`);
          this.bindTarget(n.target, atom(tgt, first, it.lay), f);
          const inner = { ...f, ind: `${f.ind}    ` };
          const before = f.out.length;
          const r = this.block(n.body, inner);
          if (f.out.length === before) f.out.push(`${inner.ind}pass`);
          if (n.orelse.length) this.todo(f, 'for ... else is not translated');
          return r;
        }
        case 'Pass':
          f.out.push(`${f.ind}pass`);
          return undefined;
        default:
          this.todo(f, `a ${n.t} statement is not translated`);
          return undefined;
      }
    } catch (e) {
      if (e instanceof Unsupported) {
        this.todo(f, e.message);
        return undefined;
      }
      throw e;
    }
  }

  private ifStmt(n: Extract<Node, { t: 'If' }>, f: Frame): Sym | undefined {
    const lazy = n.test.t === 'Compare' && n.test.ops[0] === 'is' && n.test.operands[0].t === 'Attr' && n.test.operands[0].obj.t === 'Name' && n.test.operands[0].obj.id === f.selfName;
    if (lazy && !f.init) {
      // Variables created on the first call (the tf.Module guide's pattern).
      if (this.target === 'keras') {
        // Keras creates weights in build(input_shape): `x.shape` of the first input becomes `input_shape`.
        const co = this.classFor(f.self);
        const first = [...f.env.keys()][0];
        const bf: Frame = { ...f, out: co.buildLines, ind: '        ', shapeAlias: first ? { name: first, alias: 'input_shape' } : undefined };
        this.block(n.body, bf);
        this.note(`${f.self.cls.name}: variables created on the first call are created in build(input_shape)`);
        return undefined;
      }
      const test = this.ex(n.test, f);
      f.out.push(`${f.ind}if ${test.code}:`);
      this.block(n.body, { ...f, ind: `${f.ind}    ` });
      this.note(`${f.self.cls.name}: parameters created on the first call stay lazy (registered when forward() first runs)`);
      return undefined;
    }
    const test = this.ex(n.test, f);
    const tv = test.v;
    const known = tv.k === 'bool' ? tv.v : tv.k === 'none' ? false : tv.k === 'int' && typeof tv.v === 'number' ? tv.v !== 0 : undefined;
    if (!f.init && known !== undefined && !isTensor(tv)) {
      // Trace-time Python control flow: print the branch that runs, as the interpreter did.
      const branch = known ? n.body : n.orelse;
      this.note(`\`if\` at this line is ${known ? 'true' : 'false'} for the traced call; only that branch is translated`);
      return this.block(branch, f);
    }
    f.out.push(`${f.ind}if ${test.code}:`);
    const before = f.out.length;
    const r = this.block(n.body, { ...f, ind: `${f.ind}    ` });
    if (f.out.length === before) f.out.push(`${f.ind}    pass`);
    if (n.orelse.length) {
      f.out.push(`${f.ind}else:`);
      this.block(n.orelse, { ...f, ind: `${f.ind}    ` });
    }
    return r;
  }

  private targetCode(t: Node): string {
    if (t.t === 'Name') return t.id;
    if (t.t === 'Tuple' || t.t === 'List') return t.elts.map((e) => this.targetCode(e)).join(', ');
    if (t.t === 'Attr' && t.obj.t === 'Name') return `${t.obj.id === 'self' ? 'self' : t.obj.id}.${t.attr}`;
    throw new Unsupported('an assignment target that is not a name, a tuple of names or self.<attr>');
  }

  private bindTarget(t: Node, s: Sym, f: Frame): void {
    if (t.t === 'Name') f.env.set(t.id, { ...s, code: t.id, atom: true });
    else if (t.t === 'Tuple' || t.t === 'List') {
      const items = s.v.k === 'list' || s.v.k === 'tuple' ? s.v.items : [];
      t.elts.forEach((e, i) => this.bindTarget(e, atom('', items[i] ?? unknown('unpack'), s.lay), f));
    }
  }

  private assign(targets: Node[], value: Node, f: Frame): void {
    const t = targets[0];
    if (targets.length !== 1) throw new Unsupported('chained assignment');
    // self.<attr> = ... : variables, submodules, Keras layers, plain values.
    if (t.t === 'Attr' && t.obj.t === 'Name' && t.obj.id === f.selfName) {
      const line = this.selfAssign(t.attr, value, f);
      if (line !== undefined) f.out.push(...line.map((l) => `${f.ind}${l}`));
      return;
    }
    const s = this.ex(value, f);
    const code = this.targetCode(t);
    f.out.push(`${f.ind}${code.replace(/^self\./, 'self.')} = ${s.code}`);
    this.bindTarget(t, s, f);
  }

  /** `self.<attr> = value` (in __init__, or lazily in __call__). Returns the lines to print. */
  private selfAssign(attr: string, value: Node, f: Frame): string[] | undefined {
    const torch = this.target === 'torch';
    const cur = f.self.attrs.get(attr);
    // tf.Variable(...)
    if (value.t === 'Call' && this.calleeName(value.fn, f) === 'tensorflow.Variable') {
      const a = this.bindCall(value, [{ name: 'initial_value' }, { name: 'trainable', default: null }, { name: 'validate_shape', default: true }, { name: 'caching_device', default: null }, { name: 'name', default: null }, { name: 'variable_def', default: null }, { name: 'dtype', default: null }], f);
      const initNode = a.nodes.get('initial_value');
      const trainable = a.nodes.get('trainable');
      const trainCode = trainable ? this.ex(trainable, f).code : 'True';
      const frozen = trainCode === 'False';
      if (!initNode) throw new Unsupported('tf.Variable without an initial value');
      const perm = this.classFor(f.self).filterPerm.get(attr);
      if (torch) {
        let init = this.initExpr(initNode, f);
        if (perm) {
          init = `${paren(expr(init, NONE))}.permute${pyTuple(perm.perm)}${perm.reshape ?? ''}.contiguous()`;
          this.note(`${attr}: ${perm.why}; the parameter is stored in PyTorch's layout ${perm.reshape ? '[in·multiplier, 1, kh, kw]' : `(permute${pyTuple(perm.perm)} of TensorFlow's)`}`);
        }
        if (frozen) return [`self.register_buffer(${pyStr(attr)}, ${init})`];
        if (trainCode !== 'True') return [`self.${attr} = nn.Parameter(${init}, requires_grad=${trainCode})`];
        return [`self.${attr} = nn.Parameter(${init})`];
      }
      const { shape, initializer } = this.kerasWeight(initNode, f, cur);
      const nameNode = a.nodes.get('name');
      const nm = nameNode ? this.ex(nameNode, f).code : pyStr(attr);
      return [`self.${attr} = self.add_weight(shape=${shape}, initializer=${initializer}, trainable=${trainCode}, name=${nm})`];
    }
    // A Keras layer.
    if (cur && cur.k === 'instance' && this.tf.keras?.isKeras(cur) && cur.layer) {
      if (!torch) {
        const s = this.ex(value, f);
        return [`self.${attr} = ${s.code.replace(/\btf\.keras\./g, 'keras.')}`];
      }
      return this.kerasLayerToTorch(attr, cur);
    }
    const s = this.ex(value, f);
    return [`self.${attr} = ${s.code}`];
  }

  /** A Keras layer held by a tf.Module, as PyTorch module(s) (mappings/keras-to-torch.ts). */
  private kerasLayerToTorch(attr: string, layer: InstanceV): string[] {
    const spec = layer.layer!.spec;
    const rule = KERAS_TO_TORCH[spec.name];
    const rec = this.kerasCalls.get(layer.id);
    const lines: string[] = [];
    if (!rule || !rec) {
      this.note(`TODO: ${attr}: the Keras ${spec.name} has no PyTorch mapping here; replaced by nn.Identity()`);
      return [`# TODO(tensorlens): ${attr}: Keras ${spec.name} not translated`, `self.${attr} = nn.Identity()`];
    }
    const ctx: KerasToTorchCtx = {
      a: new LayerArgs(layer.layer!.args, spec.name), inShapes: [rec.inShape], outShape: rec.outShape, name: attr,
      note: (message, paramDelta) => this.notes.push({ line: this.line + 1, message, ...(paramDelta ? { paramDelta } : {}) }),
      todo: (message) => this.note(`TODO: ${message}`),
      wrapped: () => undefined,
      layerClass: layer.cls,
    };
    const steps = rule.steps(ctx);
    const mods = steps.filter((s): s is { module: string; call?: string; suffix?: string } => 'module' in s);
    if (mods.length === 1) lines.push(`self.${attr} = ${mods[0].module}`);
    else lines.push(`self.${attr} = nn.Sequential(${mods.map((m) => m.module).join(', ')})`);
    if (steps.some((s) => !('module' in s) || s.call)) lines.push(`# TODO(tensorlens): ${attr}: check the call of this module (the Keras layer needs more than one step)`);
    return lines;
  }

  private readonly kerasCalls = new Map<number, { inShape: import('../shapes/dim').Shape | null; outShape: import('../shapes/dim').Shape | null; wants?: string }>();

  // ------------------------------------------------------------------ initial values

  /** PyTorch code for a tf.Variable's initial value (in TensorFlow's layout). */
  private initExpr(n: Node, f: Frame): string {
    if (n.t === 'Call') {
      const name = this.calleeName(n.fn, f);
      if (name) {
        const creation = this.creation(name, n, f);
        if (creation) return creation;
      }
    }
    if (n.t === 'BinOp') {
      const l = this.initExpr(n.left, f);
      const r = n.right.t === 'Num' ? this.ex(n.right, f).code : this.initExpr(n.right, f);
      return `${l} ${n.op} ${r}`;
    }
    return this.ex(n, f).code;
  }

  /** tf.random.* / tf.zeros / tf.constant / initializer calls as PyTorch tensor code; undefined if not one. */
  private creation(name: string, n: Extract<Node, { t: 'Call' }>, f: Frame): string | undefined {
    const op = TF_OPS.get(name);
    const short = name.replace(/^tensorflow\./, '');
    const kw = (pairs: Array<[string, string | undefined]>) => pairs.filter(([, v]) => v !== undefined).map(([k, v]) => `, ${k}=${v}`).join('');
    if (op) {
      const a = this.bindCall(n, op.signature, f);
      const c = (k: string) => (a.nodes.has(k) ? this.ex(a.nodes.get(k)!, f).code : undefined);
      switch (short) {
        case 'random.normal':
          this.helper('initializer');
          return `_tf_initializer("random_normal", mean=${c('mean') ?? '0.0'}, stddev=${c('stddev') ?? '1.0'})(${c('shape')})`;
        case 'random.truncated_normal':
          this.helper('initializer');
          return `_tf_initializer("truncated_normal", mean=${c('mean') ?? '0.0'}, stddev=${c('stddev') ?? '1.0'})(${c('shape')})`;
        case 'random.uniform':
          this.helper('initializer');
          return `_tf_initializer("random_uniform", minval=${c('minval') ?? '0.0'}, maxval=${c('maxval') ?? '1.0'})(${c('shape')})`;
        case 'zeros':
          return `torch.zeros(${c('shape')})`;
        case 'ones':
          return `torch.ones(${c('shape')})`;
        case 'fill':
          return `torch.full(${c('dims')}, ${c('value')})`;
        case 'eye':
          return `torch.eye(${c('num_rows')}${c('num_columns') ? `, ${c('num_columns')}` : ''})`;
        case 'constant':
          return c('shape') ? `torch.full(${c('shape')}, ${c('value')})` : `torch.tensor(${c('value')}, dtype=torch.float32)`;
        default:
          return undefined;
      }
    }
    // init(shape=...) where init is an initializer object, or tf.zeros_initializer()(shape=...)
    void kw;
    return undefined;
  }

  /** Keras add_weight(shape=..., initializer=...) for a tf.Variable's initial value. */
  private kerasWeight(n: Node, f: Frame, cur: Value | undefined): { shape: string; initializer: string } {
    const fallbackShape = () => {
      if (cur && cur.k === 'tensor' && cur.shape && cur.shape.every((d) => typeof d === 'number')) {
        this.note('The weight shape is taken from the traced instance (the source computes it in a way not translated)');
        return pyTuple(cur.shape as number[]);
      }
      throw new Unsupported('the shape of this variable');
    };
    let scale: string | undefined;
    let node = n;
    if (node.t === 'BinOp' && node.op === '*' && node.right.t === 'Num') {
      scale = this.ex(node.right, f).code;
      node = node.left;
    }
    if (node.t === 'Call') {
      const name = this.calleeName(node.fn, f);
      const op = name ? TF_OPS.get(name) : undefined;
      if (op && name) {
        const a = this.bindCall(node, op.signature, f);
        const c = (k: string) => (a.nodes.has(k) ? this.ex(a.nodes.get(k)!, f).code : undefined);
        const short = name.replace(/^tensorflow\./, '');
        const sc = (x: string) => (scale ? `${x} * ${scale}` : x);
        switch (short) {
          case 'random.normal':
            return { shape: c('shape')!, initializer: `keras.initializers.RandomNormal(mean=${sc(c('mean') ?? '0.0')}, stddev=${sc(c('stddev') ?? '1.0')})` };
          case 'random.truncated_normal':
            return { shape: c('shape')!, initializer: `keras.initializers.TruncatedNormal(mean=${sc(c('mean') ?? '0.0')}, stddev=${sc(c('stddev') ?? '1.0')})` };
          case 'random.uniform':
            return { shape: c('shape')!, initializer: `keras.initializers.RandomUniform(minval=${sc(c('minval') ?? '0.0')}, maxval=${sc(c('maxval') ?? '1.0')})` };
          case 'zeros':
            return { shape: c('shape')!, initializer: '"zeros"' };
          case 'ones':
            return { shape: c('shape')!, initializer: scale ? `keras.initializers.Constant(${scale})` : '"ones"' };
          case 'fill':
            return { shape: c('dims')!, initializer: `keras.initializers.Constant(${sc(c('value')!)})` };
          case 'eye':
            return { shape: `(${c('num_rows')}, ${c('num_columns') ?? c('num_rows')})`, initializer: scale ? `keras.initializers.Identity(gain=${scale})` : 'keras.initializers.Identity()' };
          case 'constant':
            if (c('shape')) return { shape: c('shape')!, initializer: `keras.initializers.Constant(${sc(c('value')!)})` };
            break;
          default:
            break;
        }
      }
      // init(shape=...) with an initializer object or tf.zeros_initializer()(...)
      const callee = node.fn;
      const shapeArg = node.args.find((x) => x.kind === 'kw' && x.name === 'shape') ?? node.args.find((x) => x.kind === 'pos');
      if (shapeArg && !op) {
        const calleeSym = this.ex(callee, f);
        const shape = this.ex(shapeArg.value, f).code;
        if (scale) this.note(`The initial value is scaled by ${scale}; the Keras initializer is not`);
        return { shape, initializer: calleeSym.code };
      }
    }
    return { shape: fallbackShape(), initializer: `lambda shape, dtype=None: ${this.ex(n, f).code}` };
  }

  // ------------------------------------------------------------------ expressions

  private scopeOf(f: Frame, extra?: Map<string, Value>): Scope {
    const vars = new Map<string, Value>();
    vars.set(f.selfName, f.self);
    for (const [k, s] of f.env) vars.set(k, s.v);
    if (extra) for (const [k, v] of extra) vars.set(k, v);
    return { vars, parent: f.closure };
  }

  /** The value of `n` with some sub-expressions replaced by known values (no re-evaluation of tensors). */
  private evalWith(n: Node, f: Frame, subs: Array<[Node, Sym]>): Value {
    if (f.init) return unknown('init');
    const extra = new Map<string, Value>();
    const map = new Map<Node, Node>();
    subs.forEach(([node, s], i) => {
      const name = `__tl${i}`;
      extra.set(name, s.v);
      map.set(node, { ...node, t: 'Name', id: name } as Node);
    });
    const rebuilt = this.substitute(n, map);
    try {
      return this.ip.eval(rebuilt, this.scopeOf(f, extra));
    } catch (e) {
      return unknown((e as Error).message);
    }
  }

  private substitute(n: Node, map: Map<Node, Node>): Node {
    const m = map.get(n);
    if (m) return m;
    switch (n.t) {
      case 'BinOp': return { ...n, left: this.substitute(n.left, map), right: this.substitute(n.right, map) };
      case 'UnaryOp': return { ...n, operand: this.substitute(n.operand, map) };
      case 'Compare': return { ...n, operands: n.operands.map((o) => this.substitute(o, map)) };
      case 'BoolOp': return { ...n, left: this.substitute(n.left, map), right: this.substitute(n.right, map) };
      case 'Subscript': return { ...n, obj: this.substitute(n.obj, map) };
      case 'Attr': return { ...n, obj: this.substitute(n.obj, map) };
      case 'IfExp': return { ...n, test: this.substitute(n.test, map), body: this.substitute(n.body, map), orelse: this.substitute(n.orelse, map) };
      default: return n;
    }
  }

  /** A Python literal for a default / constant expression (source-level). */
  private lit(n: Node, f: Frame): string | undefined {
    try {
      return this.ex(n, { ...f, init: true }).code;
    } catch {
      return undefined;
    }
  }

  private calleeName(fn: Node, f: Frame): string | undefined {
    try {
      const v = this.ip.eval(fn, this.scopeOf(f));
      if (v === this.tf.registry.get('tensorflow.Variable')) return 'tensorflow.Variable';
      if (v.k === 'builtin') return v.name;
    } catch {
      // not resolvable
    }
    return undefined;
  }

  ex(n: Node, f: Frame): Sym {
    switch (n.t) {
      case 'Num':
        return atom(n.isInt ? String(n.v) : pyFloat(n.v), n.isInt ? int(n.v) : float(n.v));
      case 'Str':
        return atom(pyStr(n.v), str(n.v));
      case 'Const':
        return atom(n.v === null ? 'None' : n.v ? 'True' : 'False', n.v === null ? NONE : bool(n.v));
      case 'Name': {
        const s = f.env.get(n.id);
        if (s) return s;
        if (n.id === f.selfName) return atom('self', f.self);
        let v: Value;
        try {
          v = this.ip.eval(n, this.scopeOf(f));
        } catch {
          v = unknown(n.id);
        }
        if (this.ip.globals.vars.get(n.id) === v && (v.k === 'int' || v.k === 'float' || v.k === 'str' || v.k === 'bool')) this.globalsUsed.set(n.id, pyLiteral(v)!);
        if (v.k === 'class' && v.family === 'tf') return atom(n.id, v);
        return atom(n.id, v);
      }
      case 'Attr':
        return this.attr(n, f);
      case 'Call':
        return this.call(n, f);
      case 'BinOp':
        return this.binop(n, f);
      case 'UnaryOp': {
        const o = this.ex(n.operand, f);
        const op = n.op === 'not' ? 'not ' : n.op;
        const v = this.evalWith(n, f, [[n.operand, o]]);
        if (this.target === 'torch' && n.op === '-' && isTensor(o.v)) return expr(`-${paren(o)}`, v, o.lay);
        return expr(`${op}${paren(o)}`, v, o.lay);
      }
      case 'Compare': {
        const ops = n.operands.map((o) => this.ex(o, f));
        const code = ops.map((o, i) => (i === 0 ? paren(o) : `${n.ops[i - 1]} ${paren(o)}`)).join(' ');
        return expr(code, this.evalWith(n, f, n.operands.map((o, i) => [o, ops[i]] as [Node, Sym])));
      }
      case 'BoolOp': {
        const l = this.ex(n.left, f);
        const r = this.ex(n.right, f);
        return expr(`${paren(l)} ${n.op} ${paren(r)}`, this.evalWith(n, f, [[n.left, l], [n.right, r]]));
      }
      case 'IfExp': {
        const t = this.ex(n.test, f);
        const b = this.ex(n.body, f);
        const o = this.ex(n.orelse, f);
        return expr(`${paren(b)} if ${paren(t)} else ${paren(o)}`, this.evalWith(n, f, [[n.test, t], [n.body, b], [n.orelse, o]]));
      }
      case 'Tuple':
      case 'List': {
        const items = n.elts.map((e) => this.ex(e, f));
        const code = n.t === 'List' ? `[${items.map((i) => i.code).join(', ')}]` : items.length === 1 ? `(${items[0].code},)` : `(${items.map((i) => i.code).join(', ')})`;
        const lay = items.find((i) => isTensor(i.v))?.lay ?? 'tf';
        return atom(code, n.t === 'List' ? list(items.map((i) => i.v)) : tuple(items.map((i) => i.v)), lay);
      }
      case 'Subscript': {
        let o = this.ex(n.obj, f);
        if (isTensor(o.v)) o = this.toTf(o);
        const idx = this.index(n.index, f);
        const v = this.evalWith(n, f, [[n.obj, o]]);
        return atom(`${paren(o)}[${idx}]`, v, o.lay);
      }
      default:
        throw new Unsupported(`a ${n.t} expression`);
    }
  }

  private index(n: Node, f: Frame): string {
    if (n.t === 'Slice') return `${n.start ? this.ex(n.start, f).code : ''}:${n.stop ? this.ex(n.stop, f).code : ''}${n.step ? `:${this.ex(n.step, f).code}` : ''}`;
    if (n.t === 'Tuple') return n.elts.map((e) => this.index(e, f)).join(', ');
    if (n.t === 'Ellipsis') return '...';
    return this.ex(n, f).code;
  }

  private attr(n: Extract<Node, { t: 'Attr' }>, f: Frame): Sym {
    if (n.obj.t === 'Name' && n.obj.id === f.selfName && !f.env.has(n.obj.id)) {
      const v = f.self.attrs.get(n.attr) ?? (f.init ? unknown(n.attr) : this.evalWith(n, f, []));
      const s = atom(`self.${n.attr}`, v);
      if (this.tf.isVariable(v)) s.varAttr = n.attr;
      return s;
    }
    const o = this.ex(n.obj, f);
    if (isTensor(o.v) && (n.attr === 'shape' || n.attr === 'dtype')) {
      const v = this.evalWith(n, f, [[n.obj, o]]);
      if (f.shapeAlias && n.obj.t === 'Name' && n.obj.id === f.shapeAlias.name && n.attr === 'shape') return atom(f.shapeAlias.alias, v);
      const t = this.toTf(o);
      return atom(`${paren(t)}.${n.attr}`, v);
    }
    const v = f.init && !(o.v.k === 'instance' || o.v.k === 'modref' || o.v.k === 'class') ? unknown(n.attr) : this.evalWith(n, f, [[n.obj, o]]);
    return atom(`${paren(o)}.${n.attr}`, v, o.lay);
  }

  private binop(n: Extract<Node, { t: 'BinOp' }>, f: Frame): Sym {
    let l = this.ex(n.left, f);
    let r = this.ex(n.right, f);
    const v = this.evalWith(n, f, [[n.left, l], [n.right, r]]);
    let lay: Lay = 'tf';
    if (this.target === 'torch' && (l.lay === 'cf' || r.lay === 'cf')) {
      const cfSide = l.lay === 'cf' ? l : r;
      const other = l.lay === 'cf' ? r : l;
      const rank = rankOf(cfSide.v);
      const orank = rankOf(other.v);
      if (n.op !== '@' && (orank <= 0 || (orank === 1 && rank >= 3) || (other.lay === 'cf' && orank === rank))) {
        // TF broadcasts a [C] vector against the last (channel) axis; on N, C, *spatial it goes along dim 1.
        if (orank === 1) {
          const view = `${paren(other)}${'[:' + ', None'.repeat(rank - 2) + ']'}`;
          if (other === l) l = atom(view, other.v);
          else r = atom(view, other.v);
        }
        lay = 'cf';
      } else {
        l = this.toTf(l);
        r = this.toTf(r);
      }
    }
    return expr(`${paren(l)} ${n.op} ${paren(r)}`, v, lay);
  }

  // ------------------------------------------------------------------ layout

  toTf(s: Sym): Sym {
    if (this.target !== 'torch' || s.lay !== 'cf') return s;
    const r = rankOf(s.v);
    if (r < 3) return { ...s, lay: 'tf' };
    return atom(`${paren(s)}.permute${pyTuple(permCfToCl(r))}`, s.v, 'tf');
  }

  toCf(s: Sym): Sym {
    if (s.lay === 'cf') return s;
    const r = rankOf(s.v);
    if (r < 3) return s;
    return atom(`${paren(s)}.permute${pyTuple(permClToCf(r))}`, s.v, 'cf');
  }

  // ------------------------------------------------------------------ calls

  /** Binds a call's arguments to a signature: the argument nodes by parameter name. */
  private bindCall(n: Extract<Node, { t: 'Call' }>, sig: Array<{ name: string; default?: unknown; star?: '*' | '**' }>, f: Frame): { nodes: Map<string, Node>; extra: Node[] } {
    void f;
    const nodes = new Map<string, Node>();
    const extra: Node[] = [];
    const positional = sig.filter((p) => !p.star);
    let i = 0;
    for (const a of n.args) {
      if (a.kind === 'pos') {
        if (i < positional.length) nodes.set(positional[i++].name, a.value);
        else extra.push(a.value);
      } else if (a.kind === 'kw') {
        if (sig.some((p) => p.name === a.name && !p.star)) nodes.set(a.name, a.value);
        else extra.push(a.value);
      } else throw new Unsupported('*args / **kwargs in a call');
    }
    return { nodes, extra };
  }

  call(n: Extract<Node, { t: 'Call' }>, f: Frame): Sym {
    // Variable methods: v.assign(x) ...
    if (n.fn.t === 'Attr') {
      const objNode = n.fn.obj;
      const method = n.fn.attr;
      if (['assign', 'assign_add', 'assign_sub'].includes(method)) {
        const o = this.ex(objNode, f);
        if (this.tf.isVariable(o.v) && n.args[0]) {
          const val = this.toTf(this.ex(n.args[0].value, f));
          if (this.target === 'keras') return expr(`${o.code}.${method}(${val.code})`, o.v);
          const op = method === 'assign' ? 'copy_' : method === 'assign_add' ? 'add_' : 'sub_';
          this.note(`${o.code}.${method}(...) -> an in-place ${op} on the detached value`);
          return expr(`${o.code}.data.${op}(${paren(val)}.detach())`, o.v);
        }
      }
      if (method === 'numpy' || method === 'read_value' || method === 'value') {
        const o = this.ex(objNode, f);
        if (isTensor(o.v)) return o;
      }
      if (n.fn.obj.t === 'Call' && n.fn.obj.fn.t === 'Name' && n.fn.obj.fn.id === 'super' && method === '__init__') {
        return atom('super().__init__()', NONE);
      }
    }
    if (n.fn.t === 'Name' && f.env.get(n.fn.id)?.isInit) {
      const args = this.argCodes(n, f);
      return expr(`${n.fn.id}(${args.codes.join(', ')})`, unknown('initial value'));
    }
    let fv: Value;
    try {
      fv = this.ip.eval(n.fn, this.scopeOf(f));
    } catch {
      fv = unknown('callee');
    }
    if (fv.k === 'builtin' && fv.name.startsWith('tensorflow.') && TF_OPS.has(fv.name)) return this.tfOp(fv.name, n, f);
    if (fv.k === 'builtin' && this.tf.registry.get(fv.name) === fv) {
      const kind = initializerKind(fv.name);
      if (kind && /initializers|_initializer$/.test(fv.name)) return this.initializerObj(kind, n, f);
    }
    if (fv.k === 'instance' && this.tf.isTfModule(fv)) return this.subCall(fv, n, f);
    if ((fv as Value).k === 'instance' && this.tf.keras?.isKeras(fv)) return this.kerasCall(fv as InstanceV, n, f);
    if (fv.k === 'class' && fv.family === 'tf' && fv.file === this.ip.fileName) {
      const args = this.argCodes(n, f);
      return expr(`${fv.name}(${args.codes.join(', ')})`, unknown('constructed'));
    }
    if (fv.k === 'class' && fv.family === 'keras') {
      const args = this.argCodes(n, f);
      const fnCode = this.ex(n.fn, f).code.replace(/^tf\.keras\./, 'keras.');
      return expr(`${fnCode}(${args.codes.join(', ')})`, unknown('keras layer'));
    }
    // The callable an initializer object returned (`init(shape=[...])`).
    if (fv.k === 'builtin' && /initializers\.|_initializer$/.test(fv.name)) {
      const fnSym = this.ex(n.fn, f);
      const args = this.argCodes(n, f);
      return expr(`${paren(fnSym)}(${args.codes.join(', ')})`, unknown('initial value'));
    }
    if (fv.k === 'builtin' && !fv.name.includes('.') && ['len', 'range', 'int', 'float', 'print', 'list', 'tuple', 'zip', 'enumerate', 'isinstance', 'min', 'max', 'abs', 'reversed', 'sum', 'round'].includes(fv.name)) {
      const args = this.argCodes(n, f);
      let v: Value = unknown(fv.name);
      if (!f.init) {
        try {
          v = this.ip.call(fv, args.vals, args.kw, n);
        } catch {
          v = unknown(fv.name);
        }
      }
      return expr(`${fv.name}(${args.codes.join(', ')})`, v);
    }
    if (f.init && fv.k === 'builtin' && fv.name === 'super') return atom('super()', NONE);
    throw new Unsupported(`the call ${this.shortName(n.fn)}(...) has no ${this.target === 'torch' ? 'PyTorch' : 'Keras'} mapping`);
  }

  private shortName(n: Node): string {
    if (n.t === 'Name') return n.id;
    if (n.t === 'Attr') return `${this.shortName(n.obj)}.${n.attr}`;
    return n.t;
  }

  private argCodes(n: Extract<Node, { t: 'Call' }>, f: Frame): { codes: string[]; vals: Value[]; kw: Map<string, Value>; syms: Sym[] } {
    const codes: string[] = [];
    const vals: Value[] = [];
    const syms: Sym[] = [];
    const kw = new Map<string, Value>();
    for (const a of n.args) {
      if (a.kind === 'pos') {
        const s = this.ex(a.value, f);
        codes.push(s.code);
        vals.push(s.v);
        syms.push(s);
      } else if (a.kind === 'kw') {
        const s = this.ex(a.value, f);
        codes.push(`${a.name}=${s.code}`);
        kw.set(a.name, s.v);
      } else throw new Unsupported('*args / **kwargs in a call');
    }
    return { codes, vals, kw, syms };
  }

  private initializerObj(kind: string, n: Extract<Node, { t: 'Call' }>, f: Frame): Sym {
    const args = this.argCodes(n, f);
    if (this.target === 'keras') return { ...expr(`keras.initializers.${kerasInitializerClass(kind)}(${args.codes.join(', ')})`, unknown('initializer')), isInit: true };
    this.helper('initializer');
    return { ...expr(`_tf_initializer(${pyStr(kind)}${args.codes.length ? `, ${args.codes.join(', ')}` : ''})`, unknown('initializer')), isInit: true };
  }

  /** A tf.Module called from __call__: `self.sub(x)` with inputs in TF's layout; its class is traced on first use. */
  private subCall(m: InstanceV, n: Extract<Node, { t: 'Call' }>, f: Frame): Sym {
    const fnSym = this.ex(n.fn, f);
    const args = n.args.map((a) => {
      if (a.kind === 'star' || a.kind === 'dstar') throw new Unsupported('*args in a module call');
      const s = this.toTf(this.ex(a.value, f));
      return { a, s };
    });
    const co = this.classFor(m);
    if (!co.traced) {
      const save = this.line;
      const pos = args.filter((x) => x.a.kind === 'pos').map((x) => x.s.v);
      this.traceCall(co, pos, false);
      this.line = save;
    }
    const vals = args.filter((x) => x.a.kind === 'pos').map((x) => x.s.v);
    const kw = new Map(args.filter((x) => x.a.kind === 'kw').map((x) => [(x.a as { name: string }).name, x.s.v] as [string, Value]));
    let v: Value;
    try {
      v = this.ip.call(m, vals, kw, n);
    } catch (e) {
      v = unknown((e as Error).message);
    }
    const codes = args.map((x) => (x.a.kind === 'kw' ? `${x.a.name}=${x.s.code}` : x.s.code));
    return expr(`${fnSym.code}(${codes.join(', ')})`, v);
  }

  /** A Keras layer held by the tf.Module. PyTorch: the mapped module on the layout it wants. */
  private kerasCall(layer: InstanceV, n: Extract<Node, { t: 'Call' }>, f: Frame): Sym {
    const fnSym = this.ex(n.fn, f);
    const args = this.argCodes(n, f);
    let v: Value;
    try {
      v = this.ip.call(layer, args.vals, args.kw, n);
    } catch (e) {
      v = unknown((e as Error).message);
    }
    if (this.target === 'keras') return expr(`${fnSym.code}(${args.codes.join(', ')})`, v);
    const spec = layer.layer?.spec.name ?? '';
    const rule = KERAS_TO_TORCH[spec];
    const x = args.syms[0];
    const inShape = x && x.v.k === 'tensor' ? x.v.shape : null;
    this.kerasCalls.set(layer.id, { inShape, outShape: v.k === 'tensor' ? v.shape : null });
    if (!x) throw new Unsupported(`the Keras ${spec} call`);
    const wants = rule?.wants ?? 'any';
    const inp = wants === 'cf' ? this.toCf(x) : wants === 'cl' ? this.toTf(x) : x;
    const outRank = rankOf(v);
    const gives = rule?.gives ?? 'same';
    const lay: Lay = outRank < 3 ? 'tf' : gives === 'same' ? inp.lay : gives === 'cf' ? 'cf' : 'tf';
    if (spec === 'Flatten' && x.lay === 'cf') {
      // Keras flattens channels-last: keep TF's element order.
      const t = this.toTf(x);
      return expr(`torch.flatten(${t.code}, 1)`, v, 'tf');
    }
    return expr(`${fnSym.code}(${inp.code})`, v, lay);
  }

  private tfOp(name: string, n: Extract<Node, { t: 'Call' }>, f: Frame): Sym {
    const op = TF_OPS.get(name)!;
    const bound = this.bindCall(n, op.signature, f);
    const syms = new Map<string, Sym>();
    for (const [k, node] of bound.nodes) syms.set(k, this.ex(node, f));
    const starName = op.signature.find((p) => p.star === '*')?.name;
    const extra = bound.extra.map((e) => this.ex(e, f));
    // The result's value from the op itself (shapes as TF computes them).
    let v: Value = unknown(name);
    if (!f.init) {
      const fv = this.ip.eval(n.fn, this.scopeOf(f));
      const pos: Value[] = [];
      const kw = new Map<string, Value>();
      for (const a of n.args) {
        if (a.kind === 'pos') pos.push(this.findSym(a.value, bound, syms, extra)?.v ?? unknown('arg'));
        else if (a.kind === 'kw') kw.set(a.name, this.findSym(a.value, bound, syms, extra)?.v ?? unknown('arg'));
      }
      try {
        v = this.ip.call(fv, pos, kw, n);
      } catch (e) {
        v = unknown((e as Error).message);
      }
    }
    const short = name.replace(/^tensorflow\./, '').replace(/^(math|linalg|nn|dtypes)\./, (m) => m);
    const ctx: OpCtx = {
      p: this, f, v, short, syms, extra, star: starName ? extra : [],
      c: (k) => syms.get(k)?.code,
      has: (k) => syms.has(k),
    };
    const out = this.target === 'torch' ? torchOp(ctx) : kerasOp(ctx);
    if (!out) throw new Unsupported(`tf.${short}(...) has no ${this.target === 'torch' ? 'PyTorch' : 'Keras'} mapping`);
    return out;
  }

  private findSym(node: Node, bound: { nodes: Map<string, Node>; extra: Node[] }, syms: Map<string, Sym>, extra: Sym[]): Sym | undefined {
    for (const [k, nd] of bound.nodes) if (nd === node) return syms.get(k);
    const i = bound.extra.indexOf(node);
    return i >= 0 ? extra[i] : undefined;
  }

  /** Marks `self.<attr>` as a conv filter: its parameter is emitted in PyTorch's layout. */
  markFilter(f: Frame, s: Sym, kind: 'conv' | 'transpose' | 'depthwise'): Sym {
    const r = rankOf(s.v);
    if (r < 3) throw new Unsupported('a filter of unknown rank');
    const n = r - 2;
    const perm = kind === 'depthwise' ? [2, 3, 0, 1] : [n + 1, n, ...Array.from({ length: n }, (_, i) => i)];
    const why = kind === 'conv' ? `TensorFlow conv filters are [${n === 1 ? 'k' : n === 2 ? 'kh, kw' : 'kd, kh, kw'}, in, out], PyTorch's [out, in, ${n === 1 ? 'k' : n === 2 ? 'kh, kw' : 'kd, kh, kw'}]`
      : kind === 'transpose' ? 'TensorFlow conv_transpose filters are [k..., out, in], PyTorch\'s [in, out, k...]'
        : 'TensorFlow depthwise filters are [kh, kw, in, multiplier], PyTorch\'s grouped conv weight [in·multiplier, 1, kh, kw]';
    if (s.varAttr && s.code === `self.${s.varAttr}`) {
      const co = this.classFor(f.self);
      co.filterPerm.set(s.varAttr, { perm, why, ...(kind === 'depthwise' ? { reshape: `.reshape(-1, 1, ${(s.v as { shape: unknown[] }).shape[0]}, ${(s.v as { shape: unknown[] }).shape[1]})` } : {}) });
      return s;
    }
    this.note(`The filter is not a variable of this module; it is permuted at each call (${why})`);
    const code = `${paren(s)}.permute${pyTuple(perm)}${kind === 'depthwise' ? `.reshape(-1, 1, ${(s.v as { shape: unknown[] }).shape[0]}, ${(s.v as { shape: unknown[] }).shape[1]})` : ''}`;
    return atom(code, s.v);
  }

  useHelper(name: string): void {
    this.helper(name);
  }

  setEmbeddingRows(n: number): void {
    this.embeddingRows = n;
  }

  noteHere(message: string): void {
    this.note(message);
  }
}

interface OpCtx {
  p: TfPrinter;
  f: Frame;
  v: Value;
  short: string;
  syms: Map<string, Sym>;
  extra: Sym[];
  star: Sym[];
  c(k: string): string | undefined;
  has(k: string): boolean;
}

const UNARY_TORCH: Record<string, string> = {
  relu: 'F.relu', relu6: 'F.relu6', elu: 'F.elu', selu: 'F.selu', silu: 'F.silu', swish: 'F.silu', sigmoid: 'torch.sigmoid', tanh: 'torch.tanh',
  softplus: 'F.softplus', softsign: 'F.softsign', log_sigmoid: 'F.logsigmoid', exp: 'torch.exp', log: 'torch.log', sqrt: 'torch.sqrt', rsqrt: 'torch.rsqrt',
  abs: 'torch.abs', square: 'torch.square', negative: 'torch.neg', sign: 'torch.sign', floor: 'torch.floor', ceil: 'torch.ceil', round: 'torch.round',
  sin: 'torch.sin', cos: 'torch.cos', reciprocal: 'torch.reciprocal', erf: 'torch.erf', log1p: 'torch.log1p', expm1: 'torch.expm1', logical_not: 'torch.logical_not',
  identity: '', stop_gradient: '',
};
const UNARY_KERAS: Record<string, string> = {
  relu: 'ops.relu', relu6: 'ops.relu6', elu: 'ops.elu', selu: 'ops.selu', silu: 'ops.silu', swish: 'ops.silu', sigmoid: 'ops.sigmoid', tanh: 'ops.tanh',
  softplus: 'ops.softplus', softsign: 'ops.soft_sign', log_sigmoid: 'ops.log_sigmoid', exp: 'ops.exp', log: 'ops.log', sqrt: 'ops.sqrt', rsqrt: 'ops.rsqrt',
  abs: 'ops.abs', square: 'ops.square', negative: 'ops.negative', sign: 'ops.sign', floor: 'ops.floor', ceil: 'ops.ceil', round: 'ops.round',
  sin: 'ops.sin', cos: 'ops.cos', reciprocal: 'ops.reciprocal', erf: 'ops.erf', log1p: 'ops.log1p', expm1: 'ops.expm1', logical_not: 'ops.logical_not',
  identity: '', stop_gradient: 'ops.stop_gradient',
};
const BINARY: Record<string, string> = { add: '+', subtract: '-', multiply: '*', divide: '/', truediv: '/', floordiv: '//', pow: '**', mod: '%' };
const REDUCE_TORCH: Record<string, string> = { sum: 'torch.sum', mean: 'torch.mean', max: 'torch.amax', min: 'torch.amin', prod: 'torch.prod', any: 'torch.any', all: 'torch.all', logsumexp: 'torch.logsumexp' };

function baseName(short: string): string {
  return short.replace(/^(math|linalg|nn|dtypes|random)\./, '');
}

/** TF axis (of the TF tensor) -> the dim on the PyTorch tensor in layout `lay`. */
function torchDim(axis: number, rank: number, lay: Lay): number {
  const a = axis < 0 ? axis + rank : axis;
  if (lay !== 'cf' || rank < 3) return a;
  return permClToCf(rank).indexOf(a);
}

function axisList(v: Value): number[] | null {
  if (v.k === 'int' && typeof v.v === 'number') return [v.v];
  if ((v.k === 'list' || v.k === 'tuple') && v.items.every((x) => x.k === 'int' && typeof x.v === 'number')) return v.items.map((x) => (x as { v: number }).v);
  return null;
}

function torchOp(x: OpCtx): Sym | undefined {
  const { p, short, v } = x;
  const s = (k: string) => x.syms.get(k);
  const tfv = (k: string) => (s(k) ? p.toTf(s(k)!) : undefined);
  const b = baseName(short);
  const first = s('x') ?? s('features') ?? s('input') ?? s('a') ?? s('value') ?? s('tensor') ?? s('input_tensor') ?? s('logits');
  // Elementwise unary: any layout.
  if (b in UNARY_TORCH && (short.startsWith('nn.') || short.startsWith('math.') || !short.includes('.'))) {
    let t = first;
    if (!t) {
      const kw = x.extra[0];
      if (!kw) return undefined;
      t = kw;
    }
    if (b === 'identity') return t;
    if (b === 'stop_gradient') return atom(`${paren(t)}.detach()`, v, t.lay);
    if (b === 'leaky_relu') return undefined;
    return atom(`${UNARY_TORCH[b]}(${t.code})`, v, t.lay);
  }
  if (b === 'leaky_relu' && first) return atom(`F.leaky_relu(${first.code}, ${x.c('alpha') ?? x.extra[0]?.code ?? '0.2'})`, v, first.lay);
  if (b === 'gelu' && first) return atom(`F.gelu(${first.code}${x.extra[0]?.code === 'True' ? ', approximate="tanh"' : ''})`, v, first.lay);
  if (b in BINARY && s('x') && s('y')) {
    const l = tfv('x')!;
    const r = tfv('y')!;
    return expr(`${paren(l)} ${BINARY[b]} ${paren(r)}`, v);
  }
  if ((b === 'maximum' || b === 'minimum') && s('x') && s('y')) return atom(`torch.${b}(${tfv('x')!.code}, ${tfv('y')!.code})`, v);
  if (b === 'squared_difference' && s('x') && s('y')) return atom(`torch.square(${tfv('x')!.code} - ${tfv('y')!.code})`, v);
  switch (short) {
    case 'matmul':
    case 'linalg.matmul': {
      let a = tfv('a')!;
      let bb = tfv('b')!;
      if (x.c('transpose_a') === 'True' || x.c('adjoint_a') === 'True') a = atom(`${paren(a)}.transpose(-2, -1)`, a.v);
      if (x.c('transpose_b') === 'True' || x.c('adjoint_b') === 'True') bb = atom(`${paren(bb)}.transpose(-2, -1)`, bb.v);
      return atom(`torch.matmul(${a.code}, ${bb.code})`, v);
    }
    case 'einsum':
    case 'linalg.einsum':
      return atom(`torch.einsum(${x.c('equation')}, ${x.extra.map((e) => p.toTf(e).code).join(', ')})`, v);
    case 'tensordot':
    case 'linalg.tensordot':
      return atom(`torch.tensordot(${tfv('a')!.code}, ${tfv('b')!.code}, dims=${x.c('axes')})`, v);
    case 'nn.conv1d':
    case 'nn.conv2d':
    case 'nn.conv3d':
    case 'nn.convolution': {
      const cf = /^N?C/.test((s('data_format')?.v.k === 'str' ? (s('data_format')!.v as { v: string }).v : '') || '');
      const inp = cf ? tfv('input')! : p.toCf(s('input')!);
      const w = p.markFilter(x.f, s('filters')!, 'conv');
      p.useHelper('conv');
      p.noteHere('tf.nn.conv: run on N, C, *spatial by _tf_conv (TensorFlow\'s \'SAME\' padding computed at run time and applied with F.pad, possibly asymmetric)');
      const stride = x.c('strides') ?? x.c('stride') ?? '1';
      return atom(`_tf_conv(${inp.code}, ${w.code}, ${stride}, ${x.c('padding') ?? '"VALID"'}, ${x.c('dilations') ?? 'None'}${cf ? `, ${x.c('data_format')}` : ''})`, v, cf ? 'tf' : 'cf');
    }
    case 'nn.depthwise_conv2d': {
      const cf = s('data_format')?.v.k === 'str' && /^NC/.test((s('data_format')!.v as { v: string }).v);
      const inp = cf ? tfv('input')! : p.toCf(s('input')!);
      const w = p.markFilter(x.f, s('filter')!, 'depthwise');
      p.useHelper('conv');
      return atom(`_tf_conv(${inp.code}, ${w.code}, ${x.c('strides')}, ${x.c('padding')}, ${x.c('dilations') ?? 'None'}${cf ? `, ${x.c('data_format')}` : ''})`, v, cf ? 'tf' : 'cf');
    }
    case 'nn.conv1d_transpose':
    case 'nn.conv2d_transpose':
    case 'nn.conv3d_transpose':
    case 'nn.conv_transpose': {
      const cf = s('data_format')?.v.k === 'str' && /^NC/.test((s('data_format')!.v as { v: string }).v);
      const inp = cf ? tfv('input')! : p.toCf(s('input')!);
      const w = p.markFilter(x.f, s('filters')!, 'transpose');
      p.useHelper('convTranspose');
      if (x.has('dilations') && x.c('dilations') !== 'None') p.noteHere('conv_transpose dilations are not translated');
      return atom(`_tf_conv_transpose(${inp.code}, ${w.code}, ${x.c('output_shape')}, ${x.c('strides')}, ${x.c('padding') ?? '"SAME"'}${cf ? `, ${x.c('data_format')}` : ''})`, v, cf ? 'tf' : 'cf');
    }
    case 'nn.max_pool1d': case 'nn.max_pool2d': case 'nn.max_pool3d': case 'nn.max_pool':
    case 'nn.avg_pool1d': case 'nn.avg_pool2d': case 'nn.avg_pool3d': case 'nn.avg_pool': {
      const cf = s('data_format')?.v.k === 'str' && /^NC/.test((s('data_format')!.v as { v: string }).v);
      const inp = cf ? tfv('input')! : p.toCf(s('input')!);
      p.useHelper('pool');
      const kind = short.includes('max') ? '"max"' : '"avg"';
      return atom(`_tf_pool(${inp.code}, ${kind}, ${x.c('ksize')}, ${x.c('strides')}, ${x.c('padding')}${cf ? `, ${x.c('data_format')}` : ''})`, v, cf ? 'tf' : 'cf');
    }
    case 'nn.bias_add': {
      const val = s('value')!;
      const cf = s('data_format')?.v.k === 'str' && /^NC/.test((s('data_format')!.v as { v: string }).v);
      const r = rankOf(val.v);
      if ((val.lay === 'cf' || cf) && r >= 3) return expr(`${paren(val)} + ${paren(s('bias')!)}[:${', None'.repeat(r - 2)}]`, v, val.lay);
      return expr(`${paren(p.toTf(val))} + ${paren(s('bias')!)}`, v);
    }
    case 'nn.softmax': case 'nn.log_softmax': case 'math.softmax': case 'math.log_softmax': {
      const t = first ?? x.extra[0];
      if (!t) return undefined;
      const axisV = x.syms.get('axis')?.v ?? x.extra[1]?.v;
      const ax = axisV && axisV.k === 'int' && typeof axisV.v === 'number' ? axisV.v : -1;
      const fn = b === 'softmax' ? 'F.softmax' : 'F.log_softmax';
      return atom(`${fn}(${t.code}, dim=${torchDim(ax, rankOf(t.v), t.lay)})`, v, t.lay);
    }
    case 'nn.dropout':
      return atom(`F.dropout(${paren(first!)}, p=${x.c('rate') ?? '0.5'}, training=self.training)`, v, first!.lay);
    case 'reshape':
      return atom(`torch.reshape(${tfv('tensor')!.code}, ${x.c('shape')})`, v);
    case 'transpose':
    case 'linalg.transpose': {
      const a = tfv('a')!;
      return atom(x.has('perm') && x.c('perm') !== 'None' ? `${paren(a)}.permute(${x.c('perm')})` : `${paren(a)}.permute(*reversed(range(${paren(a)}.dim())))`, v);
    }
    case 'expand_dims':
      return atom(`torch.unsqueeze(${tfv('input')!.code}, ${x.c('axis')})`, v);
    case 'squeeze':
      return atom(x.has('axis') && x.c('axis') !== 'None' ? `torch.squeeze(${tfv('input')!.code}, ${x.c('axis')})` : `torch.squeeze(${tfv('input')!.code})`, v);
    case 'concat':
    case 'stack': {
      const vals = s('values')!;
      const items = vals.v.k === 'list' || vals.v.k === 'tuple' ? vals.v.items : [];
      const axisV = s('axis')?.v;
      const ax = axisV && axisV.k === 'int' && typeof axisV.v === 'number' ? axisV.v : 0;
      if (short === 'concat' && vals.lay === 'cf' && items.every((t) => rankOf(t) === rankOf(items[0]))) {
        // Every piece channels-first: concatenate along the remapped dim.
        return atom(`torch.cat(${vals.code}, dim=${torchDim(ax, rankOf(items[0]), 'cf')})`, v, 'cf');
      }
      const code = vals.lay === 'cf' ? `[${p.toTf(atom('_t', items[0])).code.replace(/^_t/, '_t')} for _t in ${vals.code}]` : vals.code;
      return atom(`torch.${short === 'concat' ? 'cat' : 'stack'}(${code}, dim=${x.c('axis') ?? '0'})`, v);
    }
    case 'unstack':
      return atom(`torch.unbind(${tfv('value')!.code}, dim=${x.c('axis') ?? '0'})`, v);
    case 'split': {
      const n = s('num_or_size_splits')!;
      const fn = n.v.k === 'int' ? 'torch.chunk' : 'torch.split';
      return atom(`${fn}(${tfv('value')!.code}, ${n.code}, dim=${x.c('axis') ?? '0'})`, v);
    }
    case 'tile':
      return atom(`${paren(tfv('input')!)}.repeat(${x.c('multiples')})`, v);
    case 'shape':
      return atom(`${paren(tfv('input')!)}.shape`, v);
    case 'cast':
    case 'dtypes.cast': {
      const dt = s('dtype')?.v;
      return atom(`${paren(s('x')!)}.to(torch.${dt && dt.k === 'str' ? dt.v : 'float32'})`, v, s('x')!.lay);
    }
    case 'clip_by_value':
      return atom(`torch.clamp(${s('x')!.code}, ${x.c('clip_value_min')}, ${x.c('clip_value_max')})`, v, s('x')!.lay);
    case 'zeros': case 'ones':
      return atom(`torch.${short}(${x.c('shape')})`, v);
    case 'zeros_like': case 'ones_like':
      return atom(`torch.${short}(${s('input')!.code})`, v, s('input')!.lay);
    case 'fill':
      return atom(`torch.full(${x.c('dims')}, ${x.c('value')})`, v);
    case 'random.normal':
      return atom(`torch.randn(${x.c('shape')})${x.has('stddev') ? ` * ${x.c('stddev')}` : ''}${x.has('mean') ? ` + ${x.c('mean')}` : ''}`, v);
    case 'random.uniform':
      return atom(`torch.rand(${x.c('shape')})`, v);
    case 'range':
      return atom(`torch.arange(${x.c('start')}${x.has('limit') ? `, ${x.c('limit')}` : ''})`, v);
    case 'constant':
      return atom(`torch.tensor(${x.c('value')})`, v);
    case 'argmax': case 'math.argmax': case 'argmin': case 'math.argmin':
      return atom(`torch.${b}(${tfv('input')!.code}, dim=${x.c('axis') ?? '0'})`, v);
    case 'nn.embedding_lookup': {
      const params = s('params')!;
      const pv = params.v;
      if (pv.k === 'tensor' && pv.shape && typeof pv.shape[0] === 'number') p.setEmbeddingRows(pv.shape[0]);
      return atom(`F.embedding(${tfv('ids')!.code}, ${params.code})`, v);
    }
    case 'one_hot':
      return atom(`F.one_hot(${tfv('indices')!.code}.long(), ${x.c('depth')}).float()`, v);
    case 'nn.moments': {
      const t = tfv('x')!;
      const keep = x.c('keepdims') === 'True' ? ', keepdim=True' : '';
      return atom(`(torch.mean(${t.code}, dim=${x.c('axes')}${keep}), torch.var(${t.code}, dim=${x.c('axes')}, unbiased=False${keep}))`, v);
    }
    case 'nn.batch_normalization': {
      const t = tfv('x')!;
      const parts = ['mean', 'variance', 'offset', 'scale'].map((k) => (s(k) && s(k)!.code !== 'None' ? paren(p.toTf(s(k)!)) : undefined));
      let code = `(${paren(t)} - ${parts[0]}) / torch.sqrt(${parts[1]} + ${x.c('variance_epsilon')})`;
      if (parts[3]) code = `${code} * ${parts[3]}`;
      if (parts[2]) code = `${code} + ${parts[2]}`;
      return expr(code, v);
    }
    default:
      break;
  }
  if (short.startsWith('reduce_') || short.startsWith('math.reduce_')) {
    const kind = short.replace(/^(math\.)?reduce_/, '');
    const fn = REDUCE_TORCH[kind];
    const t = s('input_tensor');
    if (!fn || !t) return undefined;
    const keep = x.c('keepdims') === 'True';
    if (!x.has('axis') || x.c('axis') === 'None') return atom(`${fn}(${p.toTf(t).code})`, v);
    const axes = axisList(s('axis')!.v);
    const r = rankOf(t.v);
    if (t.lay === 'cf' && axes && r >= 3) {
      const dims = axes.map((a) => torchDim(a, r, 'cf'));
      const kept = Array.from({ length: r }, (_, i) => i).filter((i) => !dims.includes(i));
      // The remaining dims in TF order when the channel dim is the only one left after N, or keepdims.
      const order = kept.map((i) => permClToCf(r)[i]);
      const inOrder = order.every((o, i) => i === 0 || o > order[i - 1]);
      if (keep || inOrder) return atom(`${fn}(${t.code}, dim=${pyTuple(dims)}${keep ? ', keepdim=True' : ''})`, v, keep ? 'cf' : 'tf');
    }
    const tt = p.toTf(t);
    return atom(`${fn}(${tt.code}, dim=${axes ? pyTuple(axes) : x.c('axis')}${keep ? ', keepdim=True' : ''})`, v);
  }
  return undefined;
}

function kerasOp(x: OpCtx): Sym | undefined {
  const { short, v } = x;
  const b = baseName(short);
  const s = (k: string) => x.syms.get(k);
  const first = s('x') ?? s('features') ?? s('input') ?? s('a') ?? s('value') ?? s('tensor') ?? s('input_tensor') ?? s('logits') ?? x.extra[0];
  const kw = (pairs: Array<[string, string | undefined]>) => pairs.filter(([, val]) => val !== undefined && val !== 'None').map(([k, val]) => `, ${k}=${val}`).join('');
  const lower = (k: string) => {
    const c = x.c(k);
    return c && /^"/.test(c) ? c.toLowerCase() : c ? `${c}.lower()` : undefined;
  };
  const df = () => {
    const d = s('data_format')?.v;
    return d && d.k === 'str' && /^NC/.test(d.v) ? '"channels_first"' : undefined;
  };
  if (b in UNARY_KERAS && first && (short.startsWith('nn.') || short.startsWith('math.') || !short.includes('.'))) {
    if (b === 'identity') return first;
    return atom(`${UNARY_KERAS[b]}(${first.code})`, v);
  }
  if (b === 'leaky_relu' && first) return atom(`ops.leaky_relu(${first.code}, negative_slope=${x.c('alpha') ?? '0.2'})`, v);
  if (b === 'gelu' && first) return atom(`ops.gelu(${first.code}, approximate=${x.extra[1]?.code ?? 'False'})`, v);
  if (b in BINARY && s('x') && s('y')) return expr(`${paren(s('x')!)} ${BINARY[b]} ${paren(s('y')!)}`, v);
  if ((b === 'maximum' || b === 'minimum') && s('x') && s('y')) return atom(`ops.${b}(${s('x')!.code}, ${s('y')!.code})`, v);
  switch (short) {
    case 'matmul': case 'linalg.matmul': {
      const t = (k: string, flag: string) => (x.c(flag) === 'True' ? `ops.swapaxes(${s(k)!.code}, -1, -2)` : s(k)!.code);
      return atom(`ops.matmul(${t('a', 'transpose_a')}, ${t('b', 'transpose_b')})`, v);
    }
    case 'einsum': case 'linalg.einsum':
      return atom(`ops.einsum(${x.c('equation')}, ${x.extra.map((e) => e.code).join(', ')})`, v);
    case 'tensordot': case 'linalg.tensordot':
      return atom(`ops.tensordot(${x.c('a')}, ${x.c('b')}, axes=${x.c('axes')})`, v);
    case 'nn.conv1d': case 'nn.conv2d': case 'nn.conv3d': case 'nn.convolution':
      return atom(`ops.conv(${x.c('input')}, ${x.c('filters')}, strides=${stripWindow(x, x.c('strides') ?? x.c('stride') ?? '1')}, padding=${lower('padding') ?? '"valid"'}${kw([['data_format', df()], ['dilation_rate', x.c('dilations') ? stripWindow(x, x.c('dilations')!) : undefined]])})`, v);
    case 'nn.depthwise_conv2d':
      return atom(`ops.depthwise_conv(${x.c('input')}, ${x.c('filter')}, strides=${stripWindow(x, x.c('strides')!)}, padding=${lower('padding')}${kw([['data_format', df()]])})`, v);
    case 'nn.conv1d_transpose': case 'nn.conv2d_transpose': case 'nn.conv3d_transpose': case 'nn.conv_transpose':
      x.p.noteHere('keras.ops.conv_transpose derives the output size from the input (output_shape is not passed); it matches TensorFlow\'s output_shape for \'SAME\' with size = input·stride');
      return atom(`ops.conv_transpose(${x.c('input')}, ${x.c('filters')}, strides=${stripWindow(x, x.c('strides')!)}, padding=${lower('padding') ?? '"same"'}${kw([['data_format', df()]])})`, v);
    case 'nn.max_pool1d': case 'nn.max_pool2d': case 'nn.max_pool3d': case 'nn.max_pool':
    case 'nn.avg_pool1d': case 'nn.avg_pool2d': case 'nn.avg_pool3d': case 'nn.avg_pool':
      return atom(`ops.${short.includes('max') ? 'max_pool' : 'average_pool'}(${x.c('input')}, ${stripWindow(x, x.c('ksize')!)}, strides=${stripWindow(x, x.c('strides')!)}, padding=${lower('padding')}${kw([['data_format', df()]])})`, v);
    case 'nn.bias_add':
      return df() ? undefined : expr(`${paren(s('value')!)} + ${paren(s('bias')!)}`, v);
    case 'nn.softmax': case 'math.softmax': case 'nn.log_softmax': case 'math.log_softmax':
      return atom(`ops.${b}(${first!.code}, axis=${x.c('axis') ?? x.extra[1]?.code ?? '-1'})`, v);
    case 'nn.dropout':
      x.p.noteHere('tf.nn.dropout is always on; keras.random.dropout needs a seed generator in real code');
      return atom(`keras.random.dropout(${first!.code}, rate=${x.c('rate') ?? '0.5'})`, v);
    case 'reshape': return atom(`ops.reshape(${x.c('tensor')}, ${x.c('shape')})`, v);
    case 'transpose': case 'linalg.transpose': return atom(`ops.transpose(${x.c('a')}${kw([['axes', x.c('perm')]])})`, v);
    case 'expand_dims': return atom(`ops.expand_dims(${x.c('input')}, ${x.c('axis')})`, v);
    case 'squeeze': return atom(`ops.squeeze(${x.c('input')}${kw([['axis', x.c('axis')]])})`, v);
    case 'concat': return atom(`ops.concatenate(${x.c('values')}, axis=${x.c('axis')})`, v);
    case 'stack': return atom(`ops.stack(${x.c('values')}, axis=${x.c('axis') ?? '0'})`, v);
    case 'unstack': return atom(`ops.unstack(${x.c('value')}, axis=${x.c('axis') ?? '0'})`, v);
    case 'split': return atom(`ops.split(${x.c('value')}, ${x.c('num_or_size_splits')}, axis=${x.c('axis') ?? '0'})`, v);
    case 'tile': return atom(`ops.tile(${x.c('input')}, ${x.c('multiples')})`, v);
    case 'shape': return atom(`ops.shape(${x.c('input')})`, v);
    case 'cast': case 'dtypes.cast': {
      const dt = s('dtype')?.v;
      return atom(`ops.cast(${x.c('x')}, ${pyStr(dt && dt.k === 'str' ? dt.v : 'float32')})`, v);
    }
    case 'clip_by_value': return atom(`ops.clip(${x.c('x')}, ${x.c('clip_value_min')}, ${x.c('clip_value_max')})`, v);
    case 'zeros': case 'ones': return atom(`ops.${short}(${x.c('shape')})`, v);
    case 'zeros_like': case 'ones_like': return atom(`ops.${short}(${x.c('input')})`, v);
    case 'fill': return atom(`ops.full(${x.c('dims')}, ${x.c('value')})`, v);
    case 'eye': return atom(`ops.eye(${x.c('num_rows')})`, v);
    case 'random.normal': return atom(`keras.random.normal(${x.c('shape')}${kw([['mean', x.c('mean')], ['stddev', x.c('stddev')]])})`, v);
    case 'random.uniform': return atom(`keras.random.uniform(${x.c('shape')})`, v);
    case 'argmax': case 'math.argmax': case 'argmin': case 'math.argmin': return atom(`ops.${b}(${x.c('input')}, axis=${x.c('axis') ?? '0'})`, v);
    case 'nn.embedding_lookup': return atom(`ops.take(${x.c('params')}, ${x.c('ids')}, axis=0)`, v);
    case 'one_hot': return atom(`ops.one_hot(${x.c('indices')}, ${x.c('depth')})`, v);
    case 'nn.moments': return atom(`ops.moments(${x.c('x')}, axes=${x.c('axes')}${kw([['keepdims', x.c('keepdims')]])})`, v);
    case 'nn.batch_normalization': return atom(`ops.batch_normalization(${x.c('x')}, ${x.c('mean')}, ${x.c('variance')}, axis=-1, offset=${x.c('offset')}, scale=${x.c('scale')}, epsilon=${x.c('variance_epsilon')})`, v);
    default: break;
  }
  if (short.startsWith('reduce_') || short.startsWith('math.reduce_')) {
    const kind = short.replace(/^(math\.)?reduce_/, '');
    const fn = { sum: 'sum', mean: 'mean', max: 'max', min: 'min', prod: 'prod', any: 'any', all: 'all', logsumexp: 'logsumexp', std: 'std', variance: 'var' }[kind];
    if (!fn) return undefined;
    return atom(`ops.${fn}(${x.c('input_tensor')}${kw([['axis', x.c('axis')], ['keepdims', x.c('keepdims')]])})`, v);
  }
  return undefined;
}

/** keras.ops takes n spatial window entries; TF's n + 2 form ([1, s, s, 1]) is cut to them. */
function stripWindow(x: OpCtx, code: string): string {
  const m = /^\[(.*)\]$/.exec(code.trim());
  if (!m) return code;
  const parts = m[1].split(',').map((p) => p.trim());
  const inp = x.syms.get('input')?.v;
  const r = rankOf(inp ?? NONE);
  if (r > 0 && parts.length === r) {
    const d = x.syms.get('data_format')?.v;
    const cf = d && d.k === 'str' && /^NC/.test(d.v);
    return pyTuple(cf ? parts.slice(2) : parts.slice(1, -1));
  }
  return code;
}
