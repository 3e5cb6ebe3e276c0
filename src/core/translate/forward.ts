// PyTorch forward() -> a Keras functional model: a printer over the forward AST that runs
// alongside the interpreter. Submodule calls are looked up on the model instance (leaf
// layers map through TORCH_TO_KERAS, containers and user modules are inlined with their
// own `self`, loops over known children unrolled, `if` evaluated on known attributes),
// functional ops and tensor methods map through TORCH_OPS_TO_KERAS, and every tensor keeps
// the shape torch would compute so axes can be remapped for channels-last data.

import type { Interp } from '../eval/interp';
import { type FuncV, type InstanceV, type TensorV, type Value, NONE, float, int, str, tensor, tuple, unknown } from '../eval/values';
import { LayerArgs } from '../frameworks/spec';
import type { Node } from '../python/ast';
import { sym } from '../shapes/dim';
import { type KerasTensorSym, type Layout, type Sym, type TupleSym, py } from './forward-syms';
import { TORCH_TO_KERAS, type TorchToKerasCtx, noteExtraTorchParams, overridesForward } from './mappings/torch-to-keras';
import { TORCH_OPS_TO_KERAS, type OpCtx, fnName, pyInt, pyNum } from './mappings/torch-ops-to-keras';
import { basicIndexText, permCfToCl, permClToCf, pyFloat, pyIdent, pyTuple } from './pyfmt';
import type { TranslationNote } from './types';
import { type PrintFrame, StatementPrinter } from './stmt-printer';

/** Torch layers that work on channels-first data (the Keras tensor must be channels-last). */
const CHANNELS_FIRST = /^(Conv|ConvTranspose|MaxPool|AvgPool|AdaptiveAvgPool|AdaptiveMaxPool|BatchNorm|InstanceNorm|ZeroPad)[123]d$|^(Dropout[123]d|Upsample|UpsamplingNearest2d|PixelShuffle|GroupNorm|PReLU)$/;
/** Layers that work on any layout (elementwise). */
const ELEMENTWISE = /^(ReLU|ReLU6|Sigmoid|Tanh|GELU|ELU|SELU|SiLU|Softplus|Mish|LeakyReLU|Hardsigmoid|Hardswish|Softsign|Dropout|Identity)$/;
/** List methods the printer carries out on lists holding Keras tensors (ForwardPrinter.listMethod). */
const LIST_METHODS = new Set(['append', 'extend', 'insert', 'pop']);
/** A tensor of a module used in forward(): a parameter of a user module (not a layer's own weight), a buffer, or a slice of one. */
interface ModuleTensor {
  owner: InstanceV;
  name: string;
  trainable: boolean;
  buffer: boolean;
  /** Elements of the whole parameter (when this is a slice of it). */
  full: number | null;
  /** The index text of the slice taken (`:, :16`). */
  part?: string;
}
/** Comparison operators -> the keras.ops / tf.math function. */
const CMP_FN: Record<string, string> = { '==': 'equal', '!=': 'not_equal', '<': 'less', '>': 'greater', '<=': 'less_equal', '>=': 'greater_equal' };
/** `k < x` is `x > k`. */
const SWAPPED: Record<string, string> = { '==': '==', '!=': '!=', '<': '>', '>': '<', '<=': '>=', '>=': '<=' };
/** Tensor methods that, on a parameter of batch size 1, can broadcast it to the batch. */
const BATCH_BROADCAST = new Set(['expand', 'repeat', 'expand_as']);
/** Keras layers without weights: a torch layer of this kind called twice may be written inline at each call. */
const STATELESS = /^layers\.(Activation|Dropout|SpatialDropout\dD|\w*Pooling\dD|Flatten|Permute|Reshape|ZeroPadding\dD|Cropping\dD|UpSampling\dD|Softmax|LeakyReLU|ReLU|Identity)\(/;
const MERGE = /^layers\.(Add|Subtract|Multiply|Concatenate|Average|Maximum|Minimum)\(/;
const RNN: Record<string, { keras: string; gates: number }> = { LSTM: { keras: 'LSTM', gates: 4 }, GRU: { keras: 'GRU', gates: 3 }, RNN: { keras: 'SimpleRNN', gates: 1 } };

/** An input of forward(): `keyword`, passed by its name (the example call did so). */
export interface ForwardInput { name: string; shape: Array<number | null>; int: boolean; keyword?: boolean }

export interface ForwardResult {
  lines: string[];
  inputs: Array<{ var: string; kerasShape: Array<number | null>; layout: Layout; int: boolean }>;
  outputs: KerasTensorSym[];
}

export class Unsupported extends Error {}

interface Frame extends PrintFrame<Sym> { user: boolean }

export class ForwardPrinter extends StatementPrinter<Sym, Frame> {
  readonly lines: string[] = [];
  private readonly usedNames = new Set<string>();
  /** Keras layer variables declared for torch layers called more than once, by `${inst.id}:${index}`. */
  private readonly sharedLayers = new Map<string, string>();
  /** Torch layers translated at least once: a layer called again is the same Keras layer, its notes are given once. */
  private readonly translated = new Set<number>();
  private readonly permuted = new Map<string, KerasTensorSym>();
  /** Modules frozen themselves or through a frozen ancestor. */
  private readonly frozen = new Set<number>();
  private line: number;
  private depth = 0;
  /** Helper layer classes the translation uses (written after the imports). */
  readonly helpers = new Set<'WeightOp'>();
  /** WeightOp layers declared for module parameters, by parameter and operation. */
  private readonly weightLayers = new Map<string, string>();
  /** The first TODO of the translation: the root cause when forward() as a whole cannot be translated. */
  private firstTodo: string | undefined;
  /** Tensors of the module that are no layer's weights, seen in forward() other than as an nn.Parameter (buffers, their slices): see origin(). */
  private readonly moduleTensors = new WeakMap<TensorV, ModuleTensor>();
  /** The lines where each torch layer's Keras layer is called, by the layer's id: see unreachableLayers(). */
  private readonly layerLines = new Map<number, number[]>();
  /** Recurrent layers whose final states forward() may use, by the index of their line: the state variables, bound at the first use. */
  private readonly rnnStates = new Map<number, { names: string[]; bound: boolean }>();
  /** A Keras tensor of the model's batch (its first input): what a parameter broadcast to the batch is computed from. */
  private batchRef: KerasTensorSym | undefined;

  constructor(
    protected readonly ip: Interp,
    private readonly root: InstanceV,
    private readonly paths: Map<number, string>,
    private readonly callCounts: Map<number, number>,
    private readonly dialect: 'keras' | 'tf-keras',
    private readonly notes: TranslationNote[],
    modelLine: number,
    private readonly userFile: string | undefined,
  ) {
    super();
    this.line = modelLine;
  }

  /** Prints the model's forward() over inputs of the given torch shapes; throws Unsupported when it cannot. */
  run(inputs: ForwardInput[], channelsLast: boolean, constants?: Map<string, Value>): ForwardResult {
    const mark = (m: InstanceV, f: boolean, depth: number) => {
      if (depth > 100) return;
      if (f || m.frozen) this.frozen.add(m.id);
      for (const c of m.children?.values() ?? []) if (c.k === 'instance') mark(c, f || !!m.frozen, depth + 1);
    };
    mark(this.root, false, 0);
    const fwd = this.ip.findAttr(this.root.cls, 'forward');
    const native = !!(this.root.container || this.root.layer);
    if (!native && (!fwd || fwd.k !== 'func')) throw new Unsupported('the model has no forward()');
    const ins: ForwardResult['inputs'] = [];
    const syms: Sym[] = inputs.map((x) => {
      const r = x.shape.length;
      const layout: Layout = channelsLast && r >= 3 ? 'cl' : 'same';
      const v = this.fresh(x.name);
      const kerasShape = layout === 'cl' ? permCfToCl(r).map((i) => x.shape[i]) : x.shape;
      ins.push({ var: v, kerasShape, layout, int: x.int });
      const t = tensor(x.shape.map((d) => (d === null ? sym('B') : d)), x.int ? 'int64' : 'float32');
      return { k: 'kt', v, t, layout };
    });
    this.batchRef = syms[0]?.k === 'kt' ? syms[0] : undefined;
    this.frames.push({ env: new Map(), closure: { vars: new Map() }, user: true });
    const pos = syms.filter((_, i) => !inputs[i].keyword);
    const kw = new Map<string, Sym>(inputs.flatMap((x, i) => (x.keyword ? [[x.name, syms[i]] as const] : [])));
    for (const [k, v] of constants ?? []) kw.set(k, py(v));
    const out = native || !fwd || fwd.k !== 'func' ? this.callModule(this.root, pos, kw, this.root.node ?? ({ t: 'Pass', line: this.line - 1, col: 0, endLine: this.line - 1, endCol: 0 } as Node), 'x') : this.inline(fwd, [py(this.root), ...pos], kw);
    const outputs = out.k === 'kt' ? [out] : out.k === 'tup' && out.items.every((s) => s.k === 'kt') ? (out.items as KerasTensorSym[]) : [];
    for (const o of outputs) this.materialize(o);
    if (!outputs.length) {
      const why = out.k === 'na' ? out.why : 'something that is not a tensor';
      throw new Unsupported(`forward() returns ${why}${this.firstTodo && this.firstTodo !== why ? `; the first construct not translated: ${this.firstTodo}` : ''}`);
    }
    return { lines: this.lines, inputs: ins, outputs };
  }

  // ---- naming and emission

  private layerName(base: string): string {
    const b = pyIdent(base || 'layer');
    let v = b;
    for (let i = 2; this.usedNames.has(v); i++) v = `${b}_${i}`;
    this.usedNames.add(v);
    return v;
  }

  private withName(expr: string, name: string): string {
    return expr.endsWith('()') ? `${expr.slice(0, -1)}name="${name}")` : `${expr.slice(0, -1)}, name="${name}")`;
  }

  todo(message: string): Sym {
    this.firstTodo ??= message;
    this.notes.push({ line: this.line, message: `TODO: ${message}` });
    this.lines.push(`# TODO(tensorlens): ${message}`);
    return { k: 'na', why: message };
  }

  note(message: string, paramDelta?: number): void {
    this.notes.push({ line: this.line, message, ...(paramDelta ? { paramDelta } : {}) });
  }

  toLayout(s: KerasTensorSym, l: Layout): KerasTensorSym {
    this.materialize(s);
    const r = s.t.shape?.length ?? 0;
    if (r < 3 || s.layout === l) return s;
    const key = `${s.v}->${l}`;
    const hit = this.permuted.get(key);
    if (hit) return hit;
    const perm = l === 'same' ? permClToCf(r) : permCfToCl(r);
    const v = this.fresh(`${s.v}_${l === 'same' ? 'cf' : 'cl'}`);
    this.lines.push(`${v} = layers.Permute(${pyTuple(perm.slice(1))})(${s.v})`);
    const out: KerasTensorSym = { k: 'kt', v, t: s.t, layout: l };
    this.permuted.set(key, out);
    return out;
  }

  /**
   * A final state of a recurrent layer (rnn()) is used: its line becomes
   * `seq, h, c = layers.LSTM(..., return_state=True, ...)(x)`, once, binding every state of it.
   */
  private materialize(s: KerasTensorSym): void {
    if (s.stateLine === undefined) return;
    const rec = this.rnnStates.get(s.stateLine);
    if (!rec || rec.bound) return;
    rec.bound = true;
    const line = this.lines[s.stateLine];
    const m = /^(\w+) = (.*)$/.exec(line);
    if (!m) return;
    this.lines[s.stateLine] = `${m[1]}, ${rec.names.join(', ')} = ${m[2].replace(/layers\.(LSTM|GRU|SimpleRNN)\(\d+/, '$&, return_state=True')}`;
  }

  /** `v = expr(inputs)`; merge layers take a list. */
  apply(expr: string, inputs: KerasTensorSym[], want: Layout | 'any', t: TensorV, outLayout?: Layout, name?: string, hint?: string): KerasTensorSym {
    const e = name ? this.withName(expr, this.layerName(name)) : expr;
    return this.emit(inputs, want, t, outLayout, hint, (xs) => `${e}(${MERGE.test(expr) ? `[${xs.join(', ')}]` : xs.join(', ')})`);
  }

  /**
   * `v = <call>` on `inputs` converted to `want` (channels-last when any input of rank >= 3 is
   * so, for 'any'); the result holds the tensor torch computes (`t`) in `outLayout` (default:
   * the inputs' layout). `call` writes the right-hand side from the input variables.
   */
  private emit(inputs: KerasTensorSym[], want: Layout | 'any', t: TensorV, outLayout: Layout | undefined, hint: string | undefined, call: (xs: string[]) => string): KerasTensorSym {
    const target: Layout = want === 'any' ? (inputs.some((x) => x.layout === 'cl' && (x.t.shape?.length ?? 0) >= 3) ? 'cl' : 'same') : want;
    const xs = inputs.map((x) => this.toLayout(x, target));
    const v = this.fresh(hint ?? (xs[0]?.v.replace(/_\d+$/, '') || 'x'));
    this.lines.push(`${v} = ${call(xs.map((x) => x.v))}`);
    const r = t.shape?.length ?? 0;
    return { k: 'kt', v, t, layout: r >= 3 ? outLayout ?? target : 'same' };
  }

  /**
   * An nn.Parameter of the module combined with a tensor (`x + self.pos_embed`,
   * `x * self.gamma`): a Keras weight of the parameter's size in a small layer (WeightOp,
   * written once into the translation), laid out like the tensor it meets, one layer per
   * parameter and operation. Undefined when its shape is not known or does not broadcast
   * against the tensor in torch's trailing-dims way.
   */
  private weightLayer(w: TensorV, x: KerasTensorSym, op: 'add' | 'sub' | 'rsub' | 'mul' | 'batch'): string | undefined {
    const ref = this.origin(w);
    if (!ref) return undefined;
    const key = `${ref.owner.id}.${ref.name}${ref.part ?? ''}:${op}`;
    const hit = this.weightLayers.get(key);
    if (hit) return hit;
    const shape = w.shape;
    const rx = x.t.shape?.length ?? 0;
    if (!shape || shape.some((d) => typeof d !== 'number') || (op !== 'batch' && shape.length > rx)) return undefined;
    // Broadcasting aligns trailing dims: on channels-last data pad with leading ones and permute like x.
    const full = [...Array.from({ length: rx - shape.length }, () => 1), ...(shape as number[])];
    // A parameter broadcast to the batch is laid out as torch holds it.
    const kept = op !== 'batch' && x.layout === 'cl' && rx >= 3 ? permCfToCl(rx).map((i) => full[i]) : shape as number[];
    const owner = this.paths.get(ref.owner.id);
    const name = `${owner ? `${owner.replace(/\./g, '_')}_` : ''}${ref.name}`;
    const lv = this.fresh(`${pyIdent(name)}_layer`);
    this.helpers.add('WeightOp');
    this.lines.push(`${lv} = WeightOp(${pyTuple(kept)}, "${op}"${op === 'mul' ? ', initializer="ones"' : ''}${ref.trainable ? '' : ', trainable=False'}, name="${this.layerName(name)}")`);
    const use = op === 'batch' ? 'w repeated over the batch' : `x ${op === 'add' ? '+' : op === 'mul' ? '*' : '-'} w${op === 'rsub' ? ', reversed' : ''}`;
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    const what = `${ref.buffer ? 'the buffer' : 'the nn.Parameter'} ${ref.name}${ref.part ? `[${ref.part}]` : ''} ${pyTuple(shape.map(String))}`;
    if (ref.buffer) {
      // Not a parameter in torch; a non-trainable weight in Keras (counted in its total only).
      this.note(`${name}: ${what} is a non-trainable weight of a WeightOp layer (${use}; ${count} non-trainable weights Keras counts in its total, torch does not); it starts at zeros: copy torch's values (layer.set_weights) before use`);
    } else {
      // A slice of a parameter (`self.pos[:, :T]`) is a weight of the slice's size: the rest of torch's parameter is not in the Keras model.
      const fewer = ref.part && ref.full !== null && ref.trainable ? ref.full - count : 0;
      this.note(`${name}: ${what} is a weight of a WeightOp layer (${use}; ${fewer ? `${count} parameters, the part of torch's ${ref.full} this input uses: ${fewer} fewer` : `the same ${count} parameters`}); it starts at ${op === 'mul' ? 'ones' : 'zeros'}: copy torch's values when porting weights`, fewer ? -fewer : undefined);
    }
    this.weightLayers.set(key, lv);
    return lv;
  }

  /**
   * Where a constant tensor of forward() comes from, when it is the module's own: an
   * nn.Parameter of a user module (not a layer's weight), a tensor attribute (a buffer), or
   * a basic slice of either (recorded by subscript()).
   */
  private origin(v: Value): ModuleTensor | undefined {
    if (v.k !== 'tensor') return undefined;
    const p = v.param;
    if (p?.owner && !p.layerOwner) return { owner: p.owner, name: p.name ?? 'weight', trainable: p.trainable, buffer: false, full: p.count };
    return this.moduleTensors.get(v);
  }

  /** `fn(lead, inputs..., extra)`: a keras.ops / tf function on Keras tensors (a graph node of the functional model). */
  applyFn(fn: string, inputs: KerasTensorSym[], want: Layout | 'any', t: TensorV, extra: string, outLayout?: Layout, hint?: string, lead = ''): KerasTensorSym {
    return this.emit(inputs, want, t, outLayout, hint, (xs) => `${fn}(${lead}${xs.join(', ')}${extra})`);
  }

  /**
   * Applies the `index`-th Keras layer of the torch layer `inst`. A torch layer called more
   * than once is one set of weights: the Keras layer object is declared once, at the first
   * call, and every call applies that object (layers without weights are written inline at
   * each call, which is the same model).
   */
  private applyLayer(inst: InstanceV, index: number, expr: string, name: string, inputs: KerasTensorSym[], want: Layout | 'any', t: TensorV, outLayout?: Layout, hint?: string): KerasTensorSym {
    // A Keras layer with weights sizes them from its input's last axis when it is built; torch's
    // layer had its size given (in_features=9216). An unknown size there (the model's input
    // size is not known and a Flatten sits before it) cannot be built.
    const x = inputs[0];
    if (x && !STATELESS.test(expr) && !/^layers\.Embedding\(/.test(expr) && x.t.shape) {
      const r = x.t.shape.length;
      const layout = want === 'any' ? x.layout : want;
      const last = layout === 'cl' && r >= 3 ? x.t.shape[1] : x.t.shape[r - 1];
      if (typeof last !== 'number') this.todo(`${name}: the size of its input's last axis is not known here (Keras sizes the weights from it when the model is built); give the model's input shape (an example call or a "# tensorlens: input=" comment) and translate again`);
    }
    const out = this.sharesWeights(inst, expr) ? this.apply(this.sharedLayer(inst, index, expr, name), inputs, want, t, outLayout, undefined, hint) : this.apply(expr, inputs, want, t, outLayout, name, hint);
    this.calledOn(inst);
    return out;
  }

  /** The ids of the torch layers translated into Keras layers. */
  translatedLayers(): ReadonlySet<number> {
    return this.translated;
  }

  /** The last line written calls `inst`'s Keras layer. */
  private calledOn(inst: InstanceV): void {
    const at = this.layerLines.get(inst.id) ?? [];
    at.push(this.lines.length - 1);
    this.layerLines.set(inst.id, at);
  }

  /**
   * Torch layers whose Keras layer calls all lie off the paths to the model's outputs (a score
   * computed and not used): Keras' functional model leaves them out, torch counts them. The
   * lines are the printer's own assignments (`v = ...`, `v, h, c = ...`), read back by name.
   */
  unreachableLayers(outputs: KerasTensorSym[]): Set<number> {
    const defs = new Map<string, number>();
    this.lines.forEach((l, i) => {
      const m = /^(\w+(?:, \w+)*) = /.exec(l);
      if (m) for (const v of m[1].split(', ')) defs.set(v, i);
    });
    const reached = new Set<number>();
    const todo = outputs.map((o) => o.v);
    while (todo.length) {
      const i = defs.get(todo.pop()!);
      if (i === undefined || reached.has(i)) continue;
      reached.add(i);
      const rhs = this.lines[i].slice(this.lines[i].indexOf(' = ') + 3).replace(/"[^"]*"/g, '');
      todo.push(...(rhs.match(/\b[A-Za-z_]\w*\b/g) ?? []));
    }
    const out = new Set<number>();
    for (const [id, at] of this.layerLines) if (!at.some((i) => reached.has(i))) out.add(id);
    return out;
  }

  private sharesWeights(inst: InstanceV, expr: string): boolean {
    return (this.callCounts.get(inst.id) ?? 0) > 1 && !STATELESS.test(expr);
  }

  /** The variable holding the Keras layer object for `inst`'s `index`-th layer, declared at its first use. */
  private sharedLayer(inst: InstanceV, index: number, expr: string, name: string): string {
    const key = `${inst.id}:${index}`;
    let lv = this.sharedLayers.get(key);
    if (!lv) {
      lv = this.fresh(`${name}_layer`);
      this.lines.push(`${lv} = ${this.withName(expr, this.layerName(name))}`);
      this.sharedLayers.set(key, lv);
      if (index === 0) this.note(`${this.path(inst, inst.layer?.spec.name ?? 'layer')} is called more than once: one Keras layer object is shared, as in PyTorch`);
    }
    return lv;
  }

  /** Notes of a layer's mapping, given at its first translation only (a shared layer is one Keras layer). */
  private layerNote(inst: InstanceV): (message: string, paramDelta?: number) => void {
    return this.translated.has(inst.id) ? () => undefined : (m, d) => this.note(m, d);
  }

  // ---- functions and statements

  private inline(f: FuncV, args: Sym[], kwargs: Map<string, Sym>): Sym {
    if (++this.depth > 40) throw new Unsupported('calls nest too deep');
    const env = new Map<string, Sym>();
    let i = 0;
    for (const p of f.params) {
      if (p.star === '*') { env.set(p.name, { k: 'tup', items: args.slice(i) }); i = args.length; continue; }
      if (p.star === '**') { env.set(p.name, py({ k: 'dict', keys: [], vals: [] })); continue; }
      if (!p.kwOnly && i < args.length) env.set(p.name, args[i++]);
      else if (kwargs.has(p.name)) env.set(p.name, kwargs.get(p.name)!);
      else env.set(p.name, py(f.defaults.get(p.name) ?? unknown(`argument '${p.name}' not given`)));
    }
    const user = !f.file || f.file === this.userFile;
    this.frames.push({ env, closure: f.closure, user });
    try {
      if (f.expr) return this.ev(f.expr);
      const r = this.block(f.body);
      return r && r !== 'break' ? r.ret : py(NONE);
    } finally {
      this.frames.pop();
      this.depth--;
    }
  }

  protected atStatement(s: Node): void {
    if (this.frame.user) this.line = s.line + 1;
  }

  // ---- expressions

  /** The torch value of a printer value. */
  protected tv(s: Sym): Value {
    switch (s.k) {
      case 'kt': return s.t;
      case 'py': return s.v;
      case 'tup': return s.stacked ?? tuple(s.items.map((x) => this.tv(x)));
      case 'method': return s.fn;
      default: return unknown(s.why);
    }
  }

  ev(n: Node, hint?: string): Sym {
    switch (n.t) {
      case 'Num': return py(n.isInt ? int(n.v) : float(n.v));
      case 'Str': return py(str(n.v));
      case 'Const': return py(n.v === null ? NONE : { k: 'bool', v: n.v });
      case 'Name': return this.lookup(n.id);
      case 'Tuple':
      case 'List': {
        const items: Sym[] = [];
        for (const e of n.elts) {
          if (e.t === 'Starred') {
            const s = this.ev(e.value);
            if (s.k === 'tup') items.push(...s.items);
            else if (s.k === 'py') items.push(...(this.ip.iterate(s.v) ?? []).map(py));
          } else items.push(this.ev(e));
        }
        return items.every((x) => x.k === 'py') ? py(n.t === 'List' ? { k: 'list', items: items.map((x) => this.tv(x)) } : tuple(items.map((x) => this.tv(x)))) : { k: 'tup', items, list: n.t === 'List' };
      }
      case 'Comp': return this.comprehension(n);
      case 'Compare': {
        // Comparisons of values known here (`x.shape != skip.shape`, `x.size(1) == self.dim`),
        // as Python chains them; a comparison of tensors (a mask) is not translated.
        let left = this.ev(n.operands[0]);
        let result: Sym = py({ k: 'bool', v: true });
        for (let i = 0; i < n.ops.length; i++) {
          const right = this.ev(n.operands[i + 1] ?? n.operands[0]);
          if (left.k === 'na') return left;
          if (right.k === 'na') return right;
          const op = n.ops[i];
          // `xs is None` of a Keras tensor (a value built in the loop before): known here.
          if ((op === 'is' || op === 'is not') && (left.k !== 'py' || right.k !== 'py')) {
            const same = left.k === 'kt' && right.k === 'kt' && left.v === right.v;
            if ((op === 'is') !== same) return py({ k: 'bool', v: false });
            left = right;
            continue;
          }
          // An elementwise comparison of a tensor (a padding mask `ids != 0`): keras.ops.not_equal / tf.math.not_equal & co.
          if (n.ops.length === 1 && CMP_FN[op] && (left.k === 'kt' || right.k === 'kt')) return this.compareFn(op, left, right, hint);
          if (left.k !== 'py' || right.k !== 'py') return this.todo(`comparison of tensors on line ${n.line + 1} is not translated`);
          const r = this.ip.compare(op, left.v, right.v);
          const t = this.ip.truthy(r);
          if (t === false) return py(r);
          if (t === null) result = py(r);
          left = right;
        }
        return result;
      }
      case 'Attr': {
        const o = this.ev(n.obj);
        if (o.k === 'py') {
          const v = this.ip.getAttr(o.v, n.attr, n);
          if (BATCH_BROADCAST.has(n.attr) && this.origin(o.v) && (v.k === 'builtin' || v.k === 'bound')) return { k: 'method', recv: o, name: n.attr, fn: v };
          // A tensor attribute of a module that is no parameter: a buffer (register_buffer) or a plain tensor attribute.
          if (o.v.k === 'instance' && this.isModule(o.v) && v.k === 'tensor' && !v.param && !this.moduleTensors.has(v)) {
            this.moduleTensors.set(v, { owner: o.v, name: n.attr, trainable: false, buffer: true, full: null });
          }
          return py(v);
        }
        // A tensor method of a Keras tensor, or of a tensor held unstacked (an RNN's h_n): waiting for its call.
        const t = o.k === 'kt' ? o.t : o.k === 'tup' ? o.stacked : undefined;
        if (t && (o.k === 'kt' || o.k === 'tup')) {
          const fn = this.ip.getAttr(t, n.attr, n);
          if (fn.k === 'builtin' || fn.k === 'bound') return { k: 'method', recv: o, name: n.attr, fn };
          return py(fn);
        }
        return o.k === 'na' ? o : this.todo(`attribute .${n.attr} of a ${o.k} value`);
      }
      case 'Subscript': return this.subscript(n.obj, n.index);
      case 'Slice': {
        const part = (x?: Node) => (x ? this.tv(this.ev(x)) : NONE);
        return py({ k: 'slice', start: part(n.start), stop: part(n.stop), step: part(n.step) });
      }
      case 'Call': return this.call(n, hint);
      case 'BinOp': return this.binop(n.op, this.ev(n.left), this.ev(n.right), hint);
      case 'UnaryOp': {
        const o = this.ev(n.operand);
        if (o.k === 'py') return py(this.ip.unary(n.op, o.v));
        if (o.k === 'kt' && n.op === '-') return this.apply('layers.Rescaling(-1.0)', [o], 'any', o.t, undefined, undefined, hint);
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

  private subscript(objN: Node, idxN: Node): Sym {
    const o = this.ev(objN);
    const idx = this.ev(idxN);
    if (o.k === 'na') return o;
    if (o.k === 'tup') {
      if (idx.k === 'py' && idx.v.k === 'slice') {
        // A slice of a sequence of tensors (skips[::-1], feats[1:]): Python's items, by index.
        const picked = this.ip.getItem({ k: 'list', items: o.items.map((_, j) => int(j)) }, idx.v);
        const ids = picked.k === 'list' ? picked.items.map((v) => (v.k === 'int' ? Number(v.v) : -1)) : null;
        if (!ids || ids.some((j) => j < 0)) return this.todo('slicing a sequence of tensors with unknown bounds');
        return { k: 'tup', items: ids.map((j) => o.items[j]), list: o.list };
      }
      // h_n[-1, :, :] of a tensor unstacked along its leading axis: the item, as h_n[-1].
      const lead = o.stacked && idx.k === 'py' && idx.v.k === 'tuple' && idx.v.items.slice(1).every((v) => v.k === 'slice' && v.start.k === 'none' && v.stop.k === 'none' && v.step.k === 'none') ? idx.v.items[0] : undefined;
      const i = pyInt(lead ? py(lead) : idx);
      if (i === null) return this.todo('indexing a tuple with an unknown index');
      return o.items[i < 0 ? i + o.items.length : i] ?? this.todo(`index ${i} out of range`);
    }
    if (o.k === 'py') {
      const item = this.ip.getItem(o.v, this.tv(idx));
      const from = this.origin(o.v);
      const text = from && item.k === 'tensor' ? basicIndexText(idx.k === 'py' && idx.v.k === 'tuple' ? idx.v.items : [this.tv(idx)]) : undefined;
      if (from && text !== undefined && item.k === 'tensor' && !from.part) this.moduleTensors.set(item, { ...from, part: text });
      return py(item);
    }
    if (o.k !== 'kt') return this.todo('indexing a method');
    const result = this.ip.getItem(o.t, this.tv(idx));
    const parts = idx.k === 'py' && idx.v.k === 'tuple' ? idx.v.items : [this.tv(idx)];
    const full = (v: Value) => v.k === 'slice' && v.start.k === 'none' && v.stop.k === 'none' && v.step.k === 'none';
    const r = o.t.shape?.length ?? 0;
    // out[:, -1] / out[:, -1, :] on a (B, T, F) recurrent output: the last step.
    if (r === 3 && o.layout === 'same' && parts.length >= 2 && full(parts[0]) && parts[1].k === 'int' && parts[1].v === -1 && parts.slice(2).every(full)) {
      const last = this.lastStep(o, result);
      if (last) return last;
    }
    // Basic indexing that keeps the batch dim (ints, slices with number bounds, ..., None) is the
    // same in Keras: the functional API records it as a graph node (GetItem / SlicingOpLambda).
    const index = result.k === 'tensor' ? basicIndex(parts, r) : null;
    if (index !== null && result.k === 'tensor') return this.indexLine(this.toLayout(o, 'same'), index, result);
    const txt = `[${parts.map((p) => (p.k === 'slice' ? ':' : p.k === 'int' ? String(p.v) : '?')).join(', ')}]`;
    return this.todo(`tensor indexing ${txt} has no Keras layer; use a keras.ops slice in a custom layer`);
  }

  /** `v = s[text]`: basic indexing, a graph node (GetItem / SlicingOpLambda) giving torch's `t` in the layout of `s`. */
  private indexLine(s: KerasTensorSym, text: string, t: TensorV): KerasTensorSym {
    this.materialize(s);
    const v = this.fresh(s.v.replace(/_\d+$/, '') || 'x');
    this.lines.push(`${v} = ${s.v}[${text}]`);
    return { k: 'kt', v, t, layout: s.layout };
  }

  private lastStep(o: KerasTensorSym, result: Value): KerasTensorSym | undefined {
    if (o.rnnLine === undefined || result.k !== 'tensor') return undefined;
    this.lines[o.rnnLine] = this.lines[o.rnnLine].replace(', return_sequences=True', '');
    this.note('out[:, -1] of the recurrent output: the last recurrent layer returns only its last step (return_sequences=False), so the full sequence is not available to other consumers');
    return { k: 'kt', v: o.v, t: result, layout: 'same' };
  }

  private call(n: Node & { t: 'Call' }, hint?: string): Sym {
    if (n.fn.t === 'Attr' && LIST_METHODS.has(n.fn.attr) && (n.fn.obj.t === 'Name' || n.fn.obj.t === 'Attr')) {
      const owner = this.ev(n.fn.obj);
      if ((owner.k === 'tup' && owner.list) || (owner.k === 'py' && owner.v.k === 'list')) return this.listMethod(n, n.fn, owner);
    }
    // A tensor unstacked along a leading axis (unstackLeading) is a tuple already: unbind(0) of it is itself.
    if (n.fn.t === 'Attr' && n.fn.attr === 'unbind') {
      const owner = this.ev(n.fn.obj);
      const arg = n.args[0];
      if (owner.k === 'tup' && !owner.list && n.args.length <= 1 && (!arg || arg.kind === 'pos' || (arg.kind === 'kw' && arg.name === 'dim'))) {
        const dim = arg && (arg.kind === 'pos' || arg.kind === 'kw') ? this.ev(arg.value) : py(int(0));
        if (pyInt(dim) === 0) return owner;
      }
    }
    const fn = this.ev(n.fn);
    if (fn.k === 'na') return fn;
    const a = this.args(n);
    if ('k' in a) return a;
    const { args, kwargs } = a;
    const missing = [...args, ...kwargs.values()].find((s) => s.k === 'na');
    if (missing) return missing;
    const anyTensor = [...args, ...kwargs.values()].some((s) => s.k === 'kt' || s.k === 'tup');
    const seq = this.sequenceCall(n, fn, args, kwargs);
    if (seq) return seq;
    const tkw = new Map([...kwargs].map(([k, v]) => [k, this.tv(v)]));
    if (fn.k === 'method') {
      if (['size', 'dim', 'numel', 'ndimension'].includes(fn.name)) return py(this.ip.call(fn.fn, args.map((x) => this.tv(x)), tkw, n));
      return this.op(fn.name, [fn.recv, ...args], kwargs, () => this.ip.call(fn.fn, args.map((x) => this.tv(x)), tkw, n), hint);
    }
    if (fn.k !== 'py') return this.todo(`call of a ${fn.k} value on line ${n.line + 1}`);
    const f = fn.v;
    if (f.k === 'instance' && this.isModule(f)) return this.callModule(f, args, kwargs, n, hint);
    // A method of a module (`self._sa_block(x)`): inlined with its own `self`.
    if (anyTensor && f.k === 'builtin' && n.fn.t === 'Attr') {
      const owner = this.ev(n.fn.obj);
      if (owner.k === 'py' && owner.v.k === 'instance') {
        const m = this.ip.findAttr(owner.v.cls, n.fn.attr);
        if (m && m.k === 'func' && !m.isStatic) return this.inline(m, [owner, ...args], kwargs);
      }
    }
    if (f.k === 'bound' && f.func.k === 'func' && (anyTensor || f.self.k === 'instance')) {
      if (anyTensor) return this.inline(f.func, [py(f.self), ...args], kwargs);
    }
    if (f.k === 'func' && anyTensor) return this.inline(f, args, kwargs);
    if (f.k === 'builtin' && anyTensor) {
      const short = f.name.split('.').pop() ?? f.name;
      return this.op(short, args, kwargs, () => this.ip.call(f, args.map((x) => this.tv(x)), tkw, n), hint);
    }
    if (!anyTensor) return py(this.ip.call(f, args.map((x) => this.tv(x)), tkw, n));
    return this.todo(`call on line ${n.line + 1} (${f.k}) with tensor arguments is not translated`);
  }

  /**
   * Python lists and tuples holding Keras tensors (skip connections collected in a loop, the
   * branches of a block): len / reversed / list / tuple / zip / enumerate over them work on
   * the printer's sequence, as Python would. Undefined for any other call.
   */
  private sequenceCall(n: Node & { t: 'Call' }, fn: Sym, args: Sym[], kwargs: Map<string, Sym>): Sym | undefined {
    const isSeq = (s: Sym | undefined): s is TupleSym => s?.k === 'tup';
    if (fn.k !== 'py' || fn.v.k !== 'builtin' || kwargs.size) return undefined;
    const name = fn.v.name;
    // isinstance(x, torch.Tensor) / type(x): what torch's tensor answers.
    if ((name === 'isinstance' || name === 'type') && args.some((x) => x.k === 'kt' || x.k === 'tup')) return py(this.ip.call(fn.v, args.map((x) => this.tv(x)), new Map(), n));
    if (!args.some(isSeq)) return undefined;
    const itemsOf = (s: Sym): Sym[] | null => (s.k === 'tup' ? s.items : s.k === 'py' ? (this.ip.iterate(s.v)?.map(py) ?? null) : null);
    switch (name) {
      case 'len': return isSeq(args[0]) ? py(int(args[0].items.length)) : undefined;
      case 'reversed': return isSeq(args[0]) ? { k: 'tup', items: [...args[0].items].reverse() } : undefined;
      case 'list': return isSeq(args[0]) ? { k: 'tup', items: [...args[0].items], list: true } : undefined;
      case 'tuple': return isSeq(args[0]) ? { k: 'tup', items: [...args[0].items] } : undefined;
      case 'enumerate': return isSeq(args[0]) && args.length === 1 ? { k: 'tup', items: args[0].items.map((x, i) => ({ k: 'tup', items: [py(int(i)), x] })) } : undefined;
      case 'zip': {
        const cols = args.map(itemsOf);
        if (cols.some((c) => c === null)) return undefined;
        const len = Math.min(...cols.map((c) => c!.length));
        return { k: 'tup', items: Array.from({ length: len }, (_, i) => ({ k: 'tup', items: cols.map((c) => c![i]) })) };
      }
      default: return undefined;
    }
  }

  /**
   * `xs.append(x)` / `extend` / `insert` / `pop` on a list: a Python list that is given a Keras
   * tensor becomes the printer's list (a local variable, rebound to it), which later calls
   * change in place; a list of plain values stays the interpreter's.
   */
  private listMethod(n: Node & { t: 'Call' }, fnN: Node & { t: 'Attr' }, owner: Sym): Sym {
    const a = this.args(n);
    if ('k' in a) return a;
    const { args } = a;
    const missing = args.find((x) => x.k === 'na');
    if (missing) return missing;
    const attr = fnN.attr;
    let list: TupleSym;
    if (owner.k === 'tup') list = owner;
    else {
      if (owner.k !== 'py' || owner.v.k !== 'list') return this.todo(`${attr}() on line ${n.line + 1} is not translated`);
      if (!args.some((x) => x.k === 'kt' || x.k === 'tup')) return py(this.ip.call(this.ip.getAttr(owner.v, attr, fnN), args.map((x) => this.tv(x)), new Map(), n));
      if (fnN.obj.t !== 'Name') return this.todo(`${attr}() of a tensor on a list that is not a local variable (line ${n.line + 1})`);
      list = { k: 'tup', items: owner.v.items.map(py), list: true };
      this.assign(fnN.obj, list);
    }
    if (attr === 'append') list.items.push(args[0] ?? py(NONE));
    else if (attr === 'extend') {
      const more = args[0];
      if (more?.k === 'tup') list.items.push(...more.items);
      else if (more?.k === 'py' && this.ip.iterate(more.v)) list.items.push(...this.ip.iterate(more.v)!.map(py));
      else return this.todo(`extend() with an unknown sequence (line ${n.line + 1})`);
    } else if (attr === 'insert') {
      const i = pyInt(args[0]);
      if (i === null) return this.todo(`insert() at an unknown position (line ${n.line + 1})`);
      list.items.splice(i < 0 ? Math.max(0, list.items.length + i) : i, 0, args[1] ?? py(NONE));
    } else {
      const i = args.length ? pyInt(args[0]) : -1;
      if (i === null || !list.items.length) return this.todo(`pop() at an unknown position or from an empty list (line ${n.line + 1})`);
      return list.items.splice(i < 0 ? list.items.length + i : i, 1)[0] ?? this.todo(`pop() index out of range (line ${n.line + 1})`);
    }
    return py(NONE);
  }

  /**
   * A list / generator comprehension over values known here (`[blk(x) for blk in self.heads]`):
   * its items in order; the loop names are local to it, as in Python 3.
   */
  private comprehension(n: Node & { t: 'Comp' }): Sym {
    if (n.kind !== 'list' && n.kind !== 'gen') return this.todo(`${n.kind} comprehension on line ${n.line + 1} is not translated`);
    const saved = new Map<string, Sym | undefined>();
    const bound = (t: Node): void => {
      if (t.t === 'Name') { if (!saved.has(t.id)) saved.set(t.id, this.env.get(t.id)); } else if (t.t === 'Tuple' || t.t === 'List') t.elts.forEach(bound);
    };
    n.gens.forEach((g) => bound(g.target));
    const items: Sym[] = [];
    let failed: Sym | undefined;
    const run = (gi: number): void => {
      if (failed) return;
      if (gi === n.gens.length) {
        const v = this.ev(n.elt);
        if (v.k === 'na') failed = v;
        else items.push(v);
        return;
      }
      const g = n.gens[gi];
      const it = this.ev(g.iter);
      const seq = it.k === 'tup' ? it.items : it.k === 'py' ? this.ip.iterate(it.v)?.map(py) ?? null : null;
      if (!seq) {
        failed = this.todo(`comprehension on line ${n.line + 1} is over values not known before running the model`);
        return;
      }
      for (const item of seq) {
        this.assign(g.target, item);
        let keep = true;
        for (const cond of g.ifs) {
          const c = this.ev(cond);
          const truth = c.k === 'py' ? this.ip.truthy(c.v) : null;
          if (truth === null) {
            failed = this.todo(`condition of the comprehension on line ${n.line + 1} is not known before running the model`);
            return;
          }
          if (!truth) keep = false;
        }
        if (keep) run(gi + 1);
        if (failed) return;
      }
    };
    try {
      run(0);
    } finally {
      for (const [k, v] of saved) {
        if (v) this.env.set(k, v);
        else this.env.delete(k);
      }
    }
    if (failed) return failed;
    return items.every((x) => x.k === 'py') ? py({ k: 'list', items: items.map((x) => this.tv(x)) }) : { k: 'tup', items, list: n.kind === 'list' };
  }

  private op(name: string, args: Sym[], kwargs: Map<string, Sym>, torch: () => Value, hint?: string): Sym {
    if (BATCH_BROADCAST.has(name) && args[0]?.k === 'py') {
      const result = torch();
      return this.paramOverBatch(args[0], result) ?? py(result);
    }
    if (args[0]?.k === 'tup' && args[0].stacked) return this.stackedOp(name, args[0], args.slice(1), kwargs, torch, hint);
    // unsqueeze(0): an axis before the batch (a GRU's initial state (1, B, H)), held as a stack of one.
    if (name === 'unsqueeze' && args[0]?.k === 'kt' && pyInt(args[1] ?? kwargs.get('dim')) === 0) {
      const result = torch();
      if (result.k === 'tensor') return { k: 'tup', items: [args[0]], stacked: result };
    }
    const rule = TORCH_OPS_TO_KERAS[name];
    if (!rule) return this.todo(`${name}() (line ${this.line}) has no Keras mapping`);
    const result = torch();
    const ctx: OpCtx = {
      args, kwargs, result, dialect: this.dialect,
      arg: (k, pos) => kwargs.get(k) ?? args[pos],
      apply: (expr, inputs, want, outLayout, t) => this.apply(expr, inputs, want, t ?? (result.k === 'tensor' ? result : tensor(null)), outLayout, undefined, hint),
      callFn: (fn, inputs, want, extra, outLayout, lead) => this.applyFn(fn, inputs, want, result.k === 'tensor' ? result : tensor(null), extra ?? '', outLayout, hint, lead),
      toLayout: (s, l) => this.toLayout(s, l),
      callWith: (call, inputs, want, outLayout) => this.emit(inputs, want, result.k === 'tensor' ? result : tensor(null), outLayout, hint, call),
      index: (s, text, t) => this.indexLine(s, text, t),
      note: (m, d) => this.note(`line ${this.line}: ${m}`, d),
      todo: (m) => this.todo(m),
      dropKeepdims: (s) => {
        if (s.gapLine === undefined || result.k !== 'tensor') return undefined;
        this.lines[s.gapLine] = this.lines[s.gapLine].replace(/\(keepdims=True, /, '(').replace(/\(keepdims=True\)/, '()');
        return { k: 'kt', v: s.v, t: result, layout: 'same' };
      },
      lastStep: (s) => this.lastStep(s, result),
    };
    return rule(ctx);
  }

  /** `x != 0`, `a < b` on Keras tensors (and numbers): the keras.ops / tf comparison function, a boolean tensor. */
  private compareFn(op: string, l: Sym, r: Sym, hint?: string): Sym {
    const result = this.ip.compare(op, this.tv(l), this.tv(r));
    const t = result.k === 'tensor' ? result : tensor(null, 'bool');
    const fn = (o: string) => fnName(this.dialect, CMP_FN[o], `tf.math.${CMP_FN[o]}`);
    if (l.k === 'kt' && r.k === 'kt') return this.applyFn(fn(op), [l, r], 'any', t, '', undefined, hint);
    // A tensor and a number, the tensor first (`0 < x` is `x > 0`).
    const [x, k, o] = l.k === 'kt' ? [l, r, op] : [r, l, SWAPPED[op]];
    const n = k.k === 'py' ? pyNum(k) : null;
    if (x.k !== 'kt' || n === null) return this.todo(`comparison of a tensor with ${l.k === 'py' ? l.v.k : r.k === 'py' ? r.v.k : 'a value'} on line ${this.line} is not translated`);
    return this.applyFn(fn(o), [x], 'any', t, `, ${k.k === 'py' && k.v.k === 'int' ? String(k.v.v) : pyFloat(n)}`, undefined, hint);
  }

  /**
   * Methods of a tensor held unstacked along its leading axis (an RNN's h_n: (layers·dirs, B, H)):
   * squeeze(0) of a single item is that item; moving the batch to the front
   * (transpose(0, 1), permute(1, 0, 2)) stacks the items on axis 1, a Keras tensor from there.
   */
  private stackedOp(name: string, s: TupleSym, rest: Sym[], kwargs: Map<string, Sym>, torch: () => Value, hint?: string): Sym {
    const result = torch();
    const t = result.k === 'tensor' ? result : undefined;
    const items = s.items;
    if (!t?.shape || !items.every((x) => x.k === 'kt')) return this.todo(`${name}() of a stacked tensor that is not known here`);
    const first = (items[0] as KerasTensorSym).t.shape;
    if (name === 'squeeze' && items.length === 1 && first && t.shape.join() === first.join()) return items[0];
    const ints = rest.map(pyInt);
    const swap = (name === 'transpose' || name === 'swapaxes') && ints.length === 2 && [...ints].sort().join() === '0,1';
    const perm = name === 'permute' && ints.length === t.shape.length && ints[0] === 1 && ints[1] === 0 && ints.slice(2).every((v, i) => v === i + 2);
    if ((swap || perm) && !kwargs.size) return this.applyFn(fnName(this.dialect, 'stack', 'tf.stack'), items as KerasTensorSym[], 'same', t, '], axis=1', 'same', hint, '[');
    return this.todo(`${name}() of a stacked tensor (an RNN's final states) is not translated`);
  }

  /**
   * A module parameter of batch size 1 expanded / repeated to the batch (ViT's class token:
   * `self.cls_token.expand(B, -1, -1)`): the weight of a WeightOp layer that broadcasts it to
   * the batch of the model's input, a Keras tensor from there on (concatenated, added).
   */
  private paramOverBatch(recv: Sym, result: Value): KerasTensorSym | undefined {
    if (recv.k !== 'py' || recv.v.k !== 'tensor' || !this.origin(recv.v) || !this.batchRef) return undefined;
    const w = recv.v;
    if (!w.shape || w.shape[0] !== 1) return undefined;
    const rs = result.k === 'tensor' ? result.shape : null;
    const batch = this.batchRef.t.shape?.[0];
    if (!rs || rs.length !== w.shape.length || rs[0] !== batch || rs.slice(1).some((d, i) => d !== w.shape![i + 1])) return undefined;
    const layer = this.weightLayer(w, this.batchRef, 'batch');
    return layer ? this.apply(layer, [this.batchRef], 'any', result as TensorV, 'same') : undefined;
  }

  protected binop(op: string, l: Sym, r: Sym, hint?: string): Sym {
    if (l.k === 'na') return l;
    if (r.k === 'na') return r;
    if (l.k === 'py' && r.k === 'py') return py(this.ip.binop(op, l.v, r.v));
    const result = this.ip.binop(op, this.tv(l), this.tv(r));
    const t = result.k === 'tensor' ? result : tensor(null);
    if (l.k === 'kt' && r.k === 'kt') {
      if (op === '@') return this.applyFn(fnName(this.dialect, 'matmul', 'tf.matmul'), [l, r], 'same', t, '', 'same', hint);
      if (op === '/') return this.applyFn(fnName(this.dialect, 'divide', 'tf.math.divide'), [l, r], 'any', t, '', undefined, hint);
      const layer = op === '+' ? 'Add' : op === '-' ? 'Subtract' : op === '*' ? 'Multiply' : null;
      if (!layer) return this.todo(`tensor ${op} tensor on line ${this.line} has no Keras layer`);
      return this.apply(`layers.${layer}()`, [l, r], 'any', t, undefined, undefined, hint);
    }
    const [x, c, left] = l.k === 'kt' ? [l, r, false] : [r as KerasTensorSym, l, true];
    if (x.k !== 'kt') return this.todo(`operator ${op} on line ${this.line}`);
    const k = pyNum(c);
    if (k !== null) {
      let expr: string | null = null;
      if (op === '*') expr = `layers.Rescaling(${pyFloat(k)})`;
      else if (op === '/' && !left) expr = `layers.Rescaling(${pyFloat(1 / k)})`;
      else if (op === '+') expr = `layers.Rescaling(1.0, offset=${pyFloat(k)})`;
      else if (op === '-') expr = left ? `layers.Rescaling(-1.0, offset=${pyFloat(k)})` : `layers.Rescaling(1.0, offset=${pyFloat(-k)})`;
      if (expr) return this.apply(expr, [x], 'any', t, undefined, undefined, hint);
      if (op === '**' && !left) return this.applyFn(fnName(this.dialect, 'power', 'tf.pow'), [x], 'any', t, `, ${pyFloat(k)}`, undefined, hint);
    }
    if (c.k === 'py' && c.v.k === 'tensor' && this.origin(c.v) && (op === '+' || op === '-' || op === '*')) {
      const layer = this.weightLayer(c.v, x, op === '+' ? 'add' : op === '*' ? 'mul' : left ? 'rsub' : 'sub');
      if (layer) return this.apply(layer, [x], x.layout, t, undefined, undefined, hint);
    }
    if (c.k === 'py' && c.v.k === 'tensor') {
      this.todo(`line ${this.line}: ${op} with a constant tensor (a buffer or parameter of the module) has no Keras layer; add it in a custom layer (keras.ops) — passed through here`);
      return t.shape && x.t.shape && t.shape.length === x.t.shape.length ? { ...x, t, rnnLine: undefined, gapLine: undefined } : { k: 'na', why: 'constant tensor operand' };
    }
    return this.todo(`operator ${op} with ${c.k === 'py' ? c.v.k : c.k} on line ${this.line} has no Keras mapping`);
  }

  // ---- modules

  private isModule(v: InstanceV): boolean {
    return !!v.layer || !!v.container || !!v.children || v.cls.family === 'torch';
  }

  private callModule(inst: InstanceV, args: Sym[], kwargs: Map<string, Sym>, n: Node, hint?: string): Sym {
    if (inst.layer) return this.callLeaf(inst, args, kwargs, n, hint);
    // A container subclass with its own forward() (DenseNet's `_DenseLayer(nn.Sequential)` concatenating its input) runs that forward.
    const own = overridesForward(inst.cls);
    if (inst.container === 'sequential' && !own) {
      let x: Sym = args[0] ?? py(NONE);
      for (const c of inst.children?.values() ?? []) {
        if (c.k !== 'instance') continue;
        x = this.callModule(c, [x], new Map(), n, hint);
        if (x.k === 'na') return x;
      }
      return x;
    }
    if (inst.container && !own) return this.todo(`${inst.cls.name} is not callable`);
    const fwd = this.ip.findAttr(inst.cls, 'forward');
    if (!fwd || fwd.k !== 'func') return this.todo(`${inst.cls.name} has no forward() to translate`);
    return this.inline(fwd, [py(inst), ...args], kwargs);
  }

  private path(inst: InstanceV, fallback: string): string {
    const p = this.paths.get(inst.id);
    return p ? p.replace(/\./g, '_') : fallback.toLowerCase();
  }

  private callLeaf(inst: InstanceV, args: Sym[], kwargs: Map<string, Sym>, n: Node, hint?: string): Sym {
    const spec = inst.layer!.spec.name;
    const name = this.path(inst, spec);
    let la = new LayerArgs(inst.layer!.args, spec);
    const out = this.ip.call(inst, args.map((x) => this.tv(x)), new Map([...kwargs].map(([k, v]) => [k, this.tv(v)])), n);
    // ConvTranspose(x, output_size=...) picks its output_padding at the call: the one that gave the recorded output.
    if (/^ConvTranspose[123]d$/.test(spec) && kwargs.has('output_size')) {
      const op = impliedOutputPadding(la, Number(spec[spec.length - 2]), this.tv(args[0]), out);
      if (!op) return this.todo(`${name}: ${spec} called with output_size= whose size is not known here`);
      la = new LayerArgs(new Map([...inst.layer!.args, ['output_padding', tuple(op.map((v) => int(v)))]]), spec);
    }
    try {
      return this.callLeafAs(inst, spec, la, name, args, kwargs, out, hint);
    } finally {
      this.translated.add(inst.id);
    }
  }

  private callLeafAs(inst: InstanceV, spec: string, la: LayerArgs, name: string, args: Sym[], kwargs: Map<string, Sym>, out: Value, hint?: string): Sym {
    const x = args[0];
    if (spec in RNN) return this.rnn(inst, spec, la, args, name, out, hint);
    if (spec === 'MultiheadAttention') return this.mha(inst, la, args, kwargs, name, out, hint);
    if (!x || x.k !== 'kt') return this.todo(`${name}: ${spec} called on a value that is not a Keras tensor`);
    const t = out.k === 'tensor' ? out : tensor(null);
    const r = x.t.shape?.length ?? 0;
    if (spec === 'Identity') return x;
    if (spec === 'Unflatten') return this.op('unsqueeze', [x], new Map(), () => out, hint);
    // Layers that are a functional op with their arguments: one rule serves both forms.
    if (/^(Upsample|UpsamplingNearest2d|UpsamplingBilinear2d)$/.test(spec)) {
      const mode = spec === 'Upsample' ? la.raw('mode') : str(spec === 'UpsamplingNearest2d' ? 'nearest' : 'bilinear');
      const ac = spec === 'UpsamplingBilinear2d' ? py({ k: 'bool', v: true }) : py(la.raw('align_corners'));
      return this.op('interpolate', [x], new Map([['scale_factor', py(la.raw('scale_factor'))], ['mode', py(mode)], ['align_corners', ac]]), () => out, hint);
    }
    if (spec === 'GLU') return this.op('glu', [x], new Map([['dim', py(int(la.int('dim') ?? -1))]]), () => out, hint);
    const padKind = /^(Zero|Constant|Reflection|Replication)Pad([123])d$/.exec(spec);
    if (padKind) {
      const nd = Number(padKind[2]);
      const raw = la.raw('padding');
      const widths = raw.k === 'int' ? Array<Value>(2 * nd).fill(raw) : raw.k === 'tuple' || raw.k === 'list' ? raw.items : [];
      const mode = padKind[1] === 'Reflection' ? 'reflect' : padKind[1] === 'Replication' ? 'replicate' : 'constant';
      const value = padKind[1] === 'Constant' ? la.raw('value') : float(0);
      return this.op('pad', [x, py(tuple(widths))], new Map([['mode', py(str(mode))], ['value', py(value)]]), () => out, hint);
    }
    if (spec === 'Flatten' || spec === 'Softmax' || spec === 'LogSoftmax') {
      const opName = spec === 'Flatten' ? 'flatten' : spec === 'Softmax' ? 'softmax' : 'log_softmax';
      const kw = new Map<string, Sym>(spec === 'Flatten'
        ? [['start_dim', py(int(la.int('start_dim') ?? 1))], ['end_dim', py(int(la.int('end_dim') ?? -1))]]
        : [['dim', py(int(la.int('dim') ?? -1))]]);
      return this.op(opName, [x], kw, () => out, hint);
    }
    const rule = TORCH_TO_KERAS[spec];
    if (rule && overridesForward(inst.cls)) return this.todo(`${name}: ${inst.cls.name} subclasses nn.${spec} with its own forward(); translate it by hand`);
    if (!rule) {
      this.todo(`${name}: ${spec} has no Keras mapping`);
      return t.shape && x.t.shape && t.shape.join() === x.t.shape.join() ? x : { k: 'na', why: `${spec} has no Keras mapping` };
    }
    const want: Layout | 'any' = CHANNELS_FIRST.test(spec) && r >= 3 ? 'cl' : ELEMENTWISE.test(spec) ? 'any' : 'same';
    const ctx: TorchToKerasCtx = {
      a: la, inShape: x.t.shape, name: `layer ${name}`, dialect: this.dialect, channelsLast: want === 'cl',
      note: this.layerNote(inst),
      todo: (m) => { this.todo(m); },
    };
    let exprs = rule.layers(ctx);
    if (!exprs.length) return x;
    noteExtraTorchParams(inst, ctx);
    // torch.nn.utils.parametrize (orthogonal, spectral_norm, a user parametrization): the weight torch uses is computed from the one it trains.
    const parametrized = inst.children?.get('parametrizations');
    if (parametrized?.k === 'instance') {
      const which = [...(parametrized.children?.keys() ?? [])].join(', ') || 'weight';
      ctx.note(`${name}: its ${which} is parametrized in torch (torch.nn.utils.parametrize: orthogonal, spectral_norm or your own function of the trained tensor); the Keras layer uses its kernel as trained: add the constraint by hand (keras.layers.SpectralNormalization wraps a layer for spectral_norm)`);
    }
    if (this.frozen.has(inst.id) || (inst.frozenParams?.has('weight') && (inst.frozenParams.has('bias') || !la.bool('bias')))) {
      exprs = exprs.map((e) => (e.endsWith('()') ? `${e.slice(0, -1)}trainable=False)` : `${e.slice(0, -1)}, trainable=False)`));
      ctx.note(`${name} is frozen (requires_grad=False): trainable=False in Keras`);
    } else if (inst.frozenParams?.size && !(inst.frozenParams.has('weight') && (inst.frozenParams.has('bias') || !la.bool('bias')))) this.todo(`${name}: only ${[...inst.frozenParams].join(', ')} frozen — Keras freezes whole layers; freeze by hand (e.g. a constraint or a custom layer)`);
    let cur: KerasTensorSym = x;
    exprs.forEach((e, i) => {
      const last = i === exprs.length - 1;
      cur = this.applyLayer(inst, i, e, last ? name : `${name}_pre`, [cur], i === 0 ? want : 'any', t, undefined, hint);
      if (last && /^layers\.Global\w+Pooling\dD\(keepdims=True/.test(e)) cur.gapLine = this.lines.length - 1;
    });
    return cur;
  }

  private rnn(inst: InstanceV, spec: string, a: LayerArgs, args: Sym[], name: string, out: Value, hint?: string): Sym {
    const x = args[0];
    if (!x || x.k !== 'kt') return this.todo(`${name}: ${spec} called on a value that is not a Keras tensor`);
    const given = args.length > 1 && !(args[1].k === 'py' && args[1].v.k === 'none') ? args[1] : undefined;
    if (!a.bool('batch_first')) return this.todo(`${name}: ${spec} with batch_first=False takes (T, B, F); Keras RNNs are batch-major — transpose the input or set batch_first=True`);
    const info = RNN[spec];
    const H = a.int('hidden_size');
    const L = a.int('num_layers') ?? 1;
    const bi = a.bool('bidirectional');
    const p = a.num('dropout') ?? 0;
    const dirs = bi ? 2 : 1;
    if (H === null) return this.todo(`${name}: hidden_size is not known`);
    if (a.int('proj_size')) return this.todo(`${name}: LSTM proj_size has no Keras equivalent`);
    const o = out.k === 'tuple' ? out.items[0] : out;
    const t = o?.k === 'tensor' ? o : tensor(null);
    // torch's final states: h_n (and c_n) of shape (layers·directions, B, H), item 2·l + d of layer l, direction d.
    const lstm = spec === 'LSTM';
    const states = out.k === 'tuple' ? out.items[1] : undefined;
    const hT = lstm ? (states?.k === 'tuple' ? states.items[0] : undefined) : states;
    const cT = lstm && states?.k === 'tuple' ? states.items[1] : undefined;
    const shared = this.sharesWeights(inst, `layers.${info.keras}(`);
    // An initial state (h0, or (h0, c0)): Keras takes it per layer, as initial_state=[h, c] (both directions' for a Bidirectional).
    let init: KerasTensorSym[][] | undefined;
    if (given) {
      const stacks = lstm ? (given.k === 'tup' && !given.stacked && given.items.length === 2 ? given.items : []) : [given];
      if (!stacks.length || !stacks.every((g) => g.k === 'tup' && g.stacked && g.items.length === L * dirs && g.items.every((x) => x.k === 'kt'))) {
        return this.todo(`${name}: the initial state passed to ${spec} is not the final state of another recurrent layer here; pass it as initial_state= in Keras`);
      }
      const [h0, c0] = stacks as TupleSym[];
      init = Array.from({ length: L }, (_, l) => Array.from({ length: dirs }, (_, d) => [h0.items[l * dirs + d], ...(c0 ? [c0.items[l * dirs + d]] : [])]).flat() as KerasTensorSym[]);
      for (const x0 of init.flat()) this.materialize(x0);
    }
    let cur: KerasTensorSym = this.toLayout(x, 'same');
    let rnnLine = -1;
    const hs: KerasTensorSym[] = [];
    const cs: KerasTensorSym[] = [];
    const stateT = (v: Value | undefined) => (v?.k === 'tensor' && v.shape ? tensor(v.shape.slice(1), v.dtype) : undefined);
    const hPiece = stateT(hT);
    const cPiece = stateT(cT);
    for (let l = 0; l < L; l++) {
      // A layer called more than once is one Keras object whose every call gives its states (return_state=True where it is declared).
      let inner = `layers.${info.keras}(${H}${shared && hPiece ? ', return_state=True' : ''}, return_sequences=True${a.bool('bias') ? '' : ', use_bias=False'}`;
      if (spec === 'RNN' && (a.str('nonlinearity') ?? 'tanh') !== 'tanh') inner += `, activation="${a.str('nonlinearity')}"`;
      inner += ')';
      const lname = L > 1 ? `${name}_l${l}` : name;
      const expr = bi ? `layers.Bidirectional(${inner})` : inner;
      cur = this.applyLayer(inst, 2 * l, expr, lname, [cur], 'same', t, 'same', hint);
      rnnLine = this.lines.length - 1;
      if (init) {
        for (const x0 of init[l]) this.materialize(x0);
        this.lines[rnnLine] = this.lines[rnnLine].replace(/\)$/, `, initial_state=[${init[l].map((x0) => x0.v).join(', ')}])`);
      }
      // The states of this layer, bound to variables only if forward() uses them (materialize).
      if (hPiece && (!lstm || cPiece)) {
        const names: string[] = [];
        for (let d = 0; d < dirs; d++) {
          const suffix = `${L > 1 ? `_l${l}` : ''}${bi ? (d ? '_bw' : '_fw') : ''}`;
          const h = this.fresh(`${name}_h${suffix}`);
          names.push(h);
          hs.push({ k: 'kt', v: h, t: hPiece, layout: 'same', stateLine: rnnLine });
          if (lstm) {
            const c = this.fresh(`${name}_c${suffix}`);
            names.push(c);
            cs.push({ k: 'kt', v: c, t: cPiece!, layout: 'same', stateLine: rnnLine });
          }
        }
        this.rnnStates.set(rnnLine, { names, bound: false });
        if (shared) {
          // The call of a shared layer returns its states already: bind them now.
          const m = /^(\w+) = (.*)$/.exec(this.lines[rnnLine]);
          if (m) this.lines[rnnLine] = `${m[1]}, ${names.join(', ')} = ${m[2]}`;
          this.rnnStates.get(rnnLine)!.bound = true;
        }
      }
      if (p > 0 && l < L - 1) cur = this.applyLayer(inst, 2 * l + 1, `layers.Dropout(${pyFloat(p)})`, `${name}_drop${l}`, [cur], 'same', t, 'same', hint);
    }
    const note = this.layerNote(inst);
    if (a.bool('bias') && spec !== 'GRU') {
      const extra = info.gates * H * dirs * L;
      note(`${name}: torch nn.${spec} keeps two bias vectors (b_ih and b_hh); Keras ${info.keras} has one: ${info.gates}·${H}${dirs > 1 ? '·2 directions' : ''}${L > 1 ? `·${L} layers` : ''} = ${extra} fewer parameters (exactly ${extra})`, -extra);
    }
    if (spec === 'GRU') note(`${name}: Keras GRU (reset_after=True, the default) keeps two bias vectors like torch: same parameter count; gate order differs — Keras [z, r, h], torch [r, z, n]`);
    if (spec === 'LSTM') note(`${name}: gate order is [i, f, c, o] in both; Keras adds unit_forget_bias=True (forget bias starts at 1)`);
    if (L > 1) note(`${name}: num_layers=${L} is ${L} stacked Keras ${info.keras} layers${p > 0 ? ` with Dropout(${pyFloat(p)}) between them (torch's inter-layer dropout)` : ''}`);
    // out[:, -1] can drop return_sequences from the layer's own line; a shared layer's call line does not hold it.
    const seq: KerasTensorSym = { ...cur, rnnLine: bi || shared ? undefined : rnnLine };
    if (hs.length === L * dirs && hT?.k === 'tensor') {
      const hn: TupleSym = { k: 'tup', items: hs, stacked: hT };
      return { k: 'tup', items: [seq, lstm && cT?.k === 'tensor' ? { k: 'tup', items: [hn, { k: 'tup', items: cs, stacked: cT }] } : hn] };
    }
    const state: Sym = { k: 'na', why: `${name}: the final ${spec === 'LSTM' ? '(h_n, c_n) states are' : 'h_n state is'} not translated (use return_state=True)` };
    return { k: 'tup', items: [seq, spec === 'LSTM' ? { k: 'tup', items: [state, state] } : state] };
  }

  private mha(inst: InstanceV, a: LayerArgs, args: Sym[], kwargs: Map<string, Sym>, name: string, out: Value, hint?: string): Sym {
    const [q, k, v] = [args[0], args[1] ?? kwargs.get('key'), args[2] ?? kwargs.get('value')];
    if (q?.k !== 'kt' || k?.k !== 'kt' || v?.k !== 'kt') return this.todo(`${name}: MultiheadAttention needs query, key and value tensors`);
    if (!a.bool('batch_first')) return this.todo(`${name}: MultiheadAttention with batch_first=False takes (T, B, E); Keras' MultiHeadAttention is batch-major`);
    for (const m of ['attn_mask', 'key_padding_mask']) {
      const s = kwargs.get(m);
      if (s && !(s.k === 'py' && s.v.k === 'none')) return this.todo(`${name}: ${m} — pass attention_mask= (True = attend, the opposite of torch) to Keras MultiHeadAttention`);
    }
    if (a.bool('add_bias_kv') || a.bool('add_zero_attn')) return this.todo(`${name}: add_bias_kv / add_zero_attn have no Keras equivalent`);
    const E = a.int('embed_dim');
    const h = a.int('num_heads');
    if (E === null || h === null || E % h) return this.todo(`${name}: embed_dim / num_heads not known`);
    const p = a.num('dropout') ?? 0;
    const bias = a.bool('bias');
    const expr = `layers.MultiHeadAttention(num_heads=${h}, key_dim=${E / h}${p ? `, dropout=${pyFloat(p)}` : ''}${bias ? '' : ', use_bias=False'})`;
    const o = out.k === 'tuple' ? out.items[0] : out;
    const t = o?.k === 'tensor' ? o : tensor(null);
    const qq = this.toLayout(q, 'same');
    const vv = this.toLayout(v, 'same');
    const kk = this.toLayout(k, 'same');
    const layer = this.sharesWeights(inst, expr) ? this.sharedLayer(inst, 0, expr, name) : this.withName(expr, this.layerName(name));
    const res = this.fresh(hint ?? 'attn');
    this.lines.push(`${res} = ${layer}(${qq.v}, ${vv.v}${kk.v === vv.v ? '' : `, key=${kk.v}`})`);
    this.calledOn(inst);
    const count = 4 * E * E + (bias ? 4 * E : 0);
    this.layerNote(inst)(`${name}: nn.MultiheadAttention(${E}, ${h}) is layers.MultiHeadAttention(num_heads=${h}, key_dim=${E / h}): the same ${count} parameters (torch packs q/k/v into in_proj_weight (${3 * E}, ${E}), Keras keeps per-head kernels (${E}, ${h}, ${E / h}); reshape when porting weights)`);
    return { k: 'tup', items: [{ k: 'kt', v: res, t, layout: 'same' }, { k: 'na', why: `${name}: attention weights are not returned (return_attention_scores=True in Keras)` }] };
  }
}

/**
 * The index text of `x[...]` when it is basic indexing (pyfmt.basicIndexText) that leaves the
 * batch dim (dim 0) whole; else null.
 */
function basicIndex(parts: Value[], rank: number): string | null {
  const text = basicIndexText(parts);
  if (text === undefined) return null;
  // The first part must take the whole batch dim: a full slice, or `...` standing for at least
  // it. A None before it (x[None]) puts a new axis in front of the batch.
  const first = parts[0];
  if (!first) return null;
  const indexing = parts.filter((p) => p.k !== 'none' && !(p.k === 'str' && p.v === '...')).length;
  if (first.k === 'str' && first.v === '...') return indexing < rank ? text : null;
  return first.k === 'slice' && first.start.k === 'none' && first.stop.k === 'none' && first.step.k === 'none' ? text : null;
}

/** The output_padding a transposed conv took to give `out` from `input` (torch: out = (n - 1)·s - 2·p + d·(k - 1) + 1 + output_padding). */
function impliedOutputPadding(la: LayerArgs, nd: number, input: Value, out: Value): number[] | undefined {
  if (input.k !== 'tensor' || !input.shape || out.k !== 'tensor' || !out.shape) return undefined;
  const k = la.dims('kernel_size', nd);
  const s = la.dims('stride', nd);
  const p = la.dims('padding', nd);
  const d = la.dims('dilation', nd);
  const ops: number[] = [];
  for (let i = 0; i < nd; i++) {
    const n = input.shape[input.shape.length - nd + i];
    const o = out.shape[out.shape.length - nd + i];
    const [kk, ss, pp, dd] = [k[i], s[i], p[i], d[i]];
    if (typeof n !== 'number' || typeof o !== 'number' || typeof kk !== 'number' || typeof ss !== 'number' || typeof pp !== 'number' || typeof dd !== 'number') return undefined;
    const op = o - ((n - 1) * ss - 2 * pp + dd * (kk - 1) + 1);
    if (op < 0) return undefined;
    ops.push(op);
  }
  return ops;
}
